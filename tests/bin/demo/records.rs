//! What the creditor keeps and pays for at the end of the demo: December's usage statement, the audit
//! trail checked whole, and the hand-off bundle of the customer whose plan broke.

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use serde_json::json;

use duly_local::Local;

pub async fn write(local: &Local, now: DateTime<Utc>, output: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();

    let (status, statement) = local.api("GET", "/v1/usage?month=2026-12", None, None, now).await;
    if status != 200 {
        bail!("no usage statement: {statement}");
    }
    std::fs::write(
        output.join("usage-2026-12.json"),
        serde_json::to_string_pretty(&statement)?,
    )?;
    let quantity = |i: usize| statement["lines"][i]["quantity"].as_i64().unwrap_or(0);
    lines.push(format!(
        "December's usage statement: {} e-mails, {} SMS segments, {} customers reminded: €{} (usage-2026-12.json).",
        quantity(0),
        quantity(1),
        quantity(2),
        statement["total"].as_str().unwrap_or("?")
    ));

    let (_, verified) = local.api("GET", "/v1/audit/verify", None, None, now).await;
    if verified["verified"] != json!(true) {
        bail!("the audit trail does not verify: {verified}");
    }
    lines.push(format!(
        "The audit trail holds {} entries, every one chained to the one before; verified.",
        verified["entries"]
    ));

    let handoff = output.join("handoff");
    std::fs::create_dir_all(&handoff)?;
    let body = json!({"requested_by": "Mari Maasikas"});
    let (status, bundle) = local
        .api("POST", "/v1/debtors/cus-ozols/handoff", Some(body.clone()), None, now)
        .await;
    if status != 200 || bundle["messages"].as_array().is_none_or(Vec::is_empty) {
        bail!("no hand-off bundle: {bundle}");
    }
    std::fs::write(handoff.join("ozols.json"), serde_json::to_string_pretty(&bundle)?)?;
    for format in ["csv", "html"] {
        let (status, _, text) = local
            .api_raw(
                "POST",
                &format!("/v1/debtors/cus-ozols/handoff?format={format}"),
                Some(body.clone()),
                None,
                now,
            )
            .await;
        if status != 200 {
            bail!("the hand-off bundle as {format} failed: {text}");
        }
        std::fs::write(handoff.join(format!("ozols.{format}")), text)?;
    }
    lines.push(format!(
        "Ozols SIA was handed to collection: {} messages, each with its audit proof, in handoff/ozols.{{json,csv,html}}.",
        bundle["messages"].as_array().context("messages")?.len()
    ));
    Ok(lines)
}
