//! What the creditor keeps and pays for at the end of the demo: December's usage statement, the audit
//! trail checked whole, and the hand-off bundle of the customer whose plan broke.

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use serde_json::json;

use duly_local::Local;

pub async fn write(
    local: &Local,
    stream: &mut duly_local::stream::BillingFeed,
    now: DateTime<Utc>,
    output: &std::path::Path,
) -> anyhow::Result<Vec<String>> {
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

    // The billing function counts the rest of what the table's stream saw.
    let counting = duly_billing::App::<duly_adapters::metering::StripeMeters> {
        store: local.store.clone(),
        sink: None,
        notify: None,
        prices: Default::default(),
    };
    let batch = stream.next(local.store.client(), local.store.table()).await;
    duly_billing::handle(&counting, &batch, now).await?;
    let (status, report) = local
        .api("GET", "/v1/report?period=month&date=2026-12-01", None, None, now)
        .await;
    let sent: i64 = report["sent"]
        .as_array()
        .map_or(0, |lines| lines.iter().filter_map(|l| l["count"].as_i64()).sum());
    if status != 200 || sent == 0 {
        bail!("no monthly report: {report}");
    }
    let (_, _, page) = local
        .api_raw(
            "GET",
            "/v1/report?period=month&date=2026-12-01&format=html",
            None,
            None,
            now,
        )
        .await;
    std::fs::write(output.join("report-2026-12.html"), page)?;
    lines.push(format!(
        "December's report: {sent} sends by step and channel, {} payments ({} within a week of a reminder), {} answers; report-2026-12.html.",
        report["payments"],
        report["paid_after_reminder"],
        report["answers"].as_object().map_or(0, |a| a.values().filter_map(serde_json::Value::as_i64).sum::<i64>())
    ));

    // The creditor asks for a weekly report: the billing function's next hourly run mails last week's.
    let (status, _) = local
        .api(
            "PUT",
            "/v1/notifications",
            Some(json!({"delivery": "each", "report": "week"})),
            None,
            now,
        )
        .await;
    if status != 200 {
        bail!("the report could not be asked for");
    }
    let mailing = duly_billing::App::<duly_adapters::metering::StripeMeters> {
        store: local.store.clone(),
        sink: None,
        notify: Some(duly_local::notify_from()),
        prices: Default::default(),
    };
    let told = duly_billing::handle(&mailing, &json!({}), now).await?;
    let mail = duly_local::moto::sent_emails()
        .await
        .into_iter()
        .find(|m| m.subject.starts_with("Teie aruanne, 21.12.2026"))
        .with_context(|| format!("no weekly report mailed: {told}"))?;
    std::fs::write(output.join("report-week-mail.html"), &mail.body)?;
    let (_, _, week) = local
        .api_raw(
            "GET",
            "/v1/report?period=week&date=2026-12-21&format=html",
            None,
            None,
            now,
        )
        .await;
    std::fs::write(output.join("report-week.html"), week)?;
    lines.push(format!(
        "The weekly report was mailed: \"{}\" (report-week-mail.html, and the page report-week.html).",
        mail.subject
    ));

    let handoff = output.join("handoff");
    std::fs::create_dir_all(&handoff)?;
    let body = json!({"requested_by": "Mari Maasikas"});
    let (status, _, written) = local
        .api_raw("POST", "/v1/debtors/cus-ozols/handoff", Some(body.clone()), None, now)
        .await;
    let bundle: serde_json::Value = serde_json::from_str(&written).context("the bundle is JSON")?;
    if status != 200 || bundle["body"]["messages"].as_array().is_none_or(Vec::is_empty) {
        bail!("no hand-off bundle: {bundle}");
    }
    std::fs::write(handoff.join("ozols.json"), &written)?;
    // Checked as anyone who receives it would: the same check as `duly-verify` and verify.html.
    let verified = duly_core::handoff::proof::verify_json(written.as_bytes())
        .map_err(|broken| anyhow::anyhow!("the hand-off bundle does not verify: {broken}"))?;
    std::fs::write(
        handoff.join("verify.html"),
        include_str!("../../../shared/core/templates/verify.html"),
    )?;
    let mut changed = bundle.clone();
    let first = &mut changed["body"]["messages"][0]["sent"]["email"]["text"];
    let text = first.as_str().context("the first message is kept")?.to_string();
    *first = json!(text.replacen('1', "7", 1));
    let broken = duly_core::handoff::proof::verify_json(&serde_json::to_vec(&changed)?)
        .err()
        .context("a changed bundle still verified")?;
    std::fs::write(handoff.join("ozols-changed.json"), serde_json::to_vec_pretty(&changed)?)?;
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
        "Ozols SIA was handed to collection: {} messages, each as it was sent, in handoff/ozols.{{json,csv,html}}. \
         Verified: {} entries of the audit chain ({} of Ozols's), {} messages and {} answers checked against \
         what was recorded (make demo runs duly-verify on it; handoff/verify.html does the same in a browser). \
         With one character of the first message changed (ozols-changed.json): \"{broken}\".",
        bundle["body"]["messages"].as_array().context("messages")?.len(),
        verified.links,
        verified.own_entries,
        verified.messages,
        verified.answers,
    ));
    Ok(lines)
}
