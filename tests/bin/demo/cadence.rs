//! The humane cadence in the demo: Tamm & Sons in a "Trade" group with a monthly statement and a call
//! ten business days after the due date; thank-yous switched on for everyone who pays after a reminder.

use anyhow::bail;
use chrono::{DateTime, Utc};
use serde_json::json;

use duly_core::model::ids::CreditorId;
use duly_core::policy::{Policy, Tone};
use duly_local::{at, Local};

use super::Happening;

/// One message the scheduler sent: its day, the debtor, its steps and its tone.
pub type Sent = (String, String, Vec<String>, Tone);

pub fn happenings() -> Vec<(DateTime<Utc>, Happening)> {
    let mut thanking = serde_json::to_value(Policy::default()).expect("a policy is plain data");
    thanking["thank_you"] = json!(true);
    thanking["formal_letter"] = json!(true);
    let mut steps = serde_json::to_value(Policy::default().steps).expect("steps are plain data");
    if let Some(steps) = steps.as_array_mut() {
        steps.insert(
            3,
            json!({"id": "call-10", "offset": {"unit": "business_days", "days": 10}, "tone": "firm",
                   "channels": [], "call": true}),
        );
    }
    let api = |what: &'static str, method: &'static str, path: &'static str, body| Happening::Api {
        what,
        method,
        path,
        body,
    };
    vec![
        (
            at("2026-11-16T07:10:00Z"),
            api(
                "thanks customers who pay everything after a reminder, and attaches a formal letter to final notices",
                "PUT",
                "/v1/policy",
                Some(thanking),
            ),
        ),
        (
            at("2026-11-16T08:30:00Z"),
            api(
                "adds a Trade group: a statement on the first business day of each month, a call 10 business days after the due date",
                "PUT",
                "/v1/groups/Trade",
                Some(json!({"enabled": true, "steps": steps, "statement": {"business_day": 1}})),
            ),
        ),
        (
            at("2026-11-16T08:31:00Z"),
            api(
                "puts Tamm & Sons in the Trade group",
                "PUT",
                "/v1/debtors/cus-tamm/group",
                Some(json!({"group": "Trade"})),
            ),
        ),
        (
            at("2026-12-15T12:00:00Z"),
            api(
                "calls Tamm & Sons as the Calls page asks; they promise to pay by 18 Dec",
                "POST",
                "/v1/calls/2026-12-15.cus-tamm/outcome",
                Some(json!({"outcome": "promised", "date": "2026-12-18"})),
            ),
        ),
    ]
}

/// The cadence's promises, checked; the lines the demo prints about them.
pub async fn check(local: &Local, creditor: &CreditorId, sent: &[Sent]) -> anyhow::Result<Vec<String>> {
    let tamm: Vec<&Sent> = sent.iter().filter(|(_, d, ..)| d == "cus-tamm").collect();
    let written: Vec<&str> = tamm
        .iter()
        .filter(|(_, _, steps, tone)| *tone < Tone::FinalNotice && steps.iter().any(|s| s.starts_with("after-")))
        .map(|(day, ..)| day.as_str())
        .collect();
    let finals: Vec<&str> = tamm
        .iter()
        .filter(|(.., tone)| *tone == Tone::FinalNotice)
        .map(|(day, ..)| day.as_str())
        .collect();
    if written.len() > Policy::default().max_written as usize || finals.len() != 1 {
        bail!("Tamm & Sons got {written:?} written reminders and {finals:?} final notices");
    }
    let statements: Vec<&str> = tamm
        .iter()
        .filter(|(_, _, steps, _)| steps == &["statement"])
        .map(|(day, ..)| day.as_str())
        .collect();
    if statements.is_empty() {
        bail!("Tamm & Sons got no monthly statement");
    }
    let thanked: Vec<String> = sent
        .iter()
        .filter(|(_, _, steps, _)| steps == &["thanks"])
        .map(|(day, debtor, ..)| format!("{debtor} on {day}"))
        .collect();
    if thanked.is_empty() || thanked.iter().any(|t| t.starts_with("cus-kowalski")) {
        bail!("thank-yous went to {thanked:?}: someone, and not Kowalski, whose invoice a credit note closed");
    }
    let answers = local.store.answers(creditor).await?;
    let Some(call) = answers.iter().find(|a| a.action == "call") else {
        bail!("no call was recorded");
    };
    Ok(vec![
        format!(
            "Tamm & Sons got {} written reminders ({}) and one final notice ({}): INV-1005's own firm step and final notice were held, the final notice having stated it.",
            written.len(),
            written.join(", "),
            finals.join(", ")
        ),
        format!("Tamm & Sons' monthly statement of account went on {}.", statements.join(", ")),
        format!(
            "The call step put Tamm & Sons on the Calls page on 15 Dec; the outcome fed the plan: \"{}\".",
            call.detail
        ),
        format!("Thank-yous after the last payment: {}.", thanked.join("; ")),
    ])
}
