//! A country's rule in the demo: Anna Bērziņa, a consumer in Riga, in the creditor's "Retail" group of
//! consumers. Latvian law gives a consumer 21 days from the first notice to object before a formal demand,
//! so her final notice waits past the day the creditor's schedule alone would send it.

use anyhow::bail;
use chrono::{DateTime, Utc};
use serde_json::json;

use duly_core::policy::Tone;
use duly_local::at;
use duly_local::fixtures::facts;

use super::cadence::Sent;
use super::Happening;

const DEBTOR: &str = "cus-berzina";
/// Where the default schedule puts the final notice of an invoice due Tuesday 24 November: 14 business
/// days after the due date.
const BY_SCHEDULE: &str = "14 Dec";
/// 21 days after the first overdue reminder of Wednesday 25 November.
const BY_LATVIAN_LAW: &str = "16 Dec";

pub fn happenings() -> Vec<(DateTime<Utc>, Happening)> {
    let t = "2026-11-16T09:00:00Z";
    let api = |what: &'static str, method: &'static str, path: &'static str, body| Happening::Api {
        what,
        method,
        path,
        body,
    };
    let fact = |what: &'static str, id: &'static str, body: String| Happening::Fact { what, id, body };
    vec![
        (
            at("2026-11-16T07:20:00Z"),
            api(
                "adds a Retail group",
                "PUT",
                "/v1/groups/Retail",
                Some(json!({"enabled": true})),
            ),
        ),
        (
            at("2026-11-16T07:21:00Z"),
            api(
                "marks the Retail group as consumers (no statutory interest or compensation for them)",
                "PUT",
                "/v1/late-charges",
                Some(json!({"interest": true, "compensation": true, "consumer_groups": {"Retail": null}})),
            ),
        ),
        (
            at(t),
            fact(
                "Anna Bērziņa (Riga), a consumer",
                "r1",
                json!({"type": "contact.updated", "data": {
                    "debtor_id": DEBTOR, "name": "Anna Bērziņa", "email": "anna.berzina@pasts.example",
                    "language": "lv", "country": "LV", "time_zone": "Europe/Riga", "updated_at": t
                }})
                .to_string(),
            ),
        ),
        (
            at(t),
            fact(
                "INV-1008, 180,00 € due 24 Nov",
                "r2",
                facts::invoice("1008", DEBTOR, "180.00", "180.00", "2026-11-24", "open", t),
            ),
        ),
        (
            at("2026-11-16T09:01:00Z"),
            api(
                "puts Anna Bērziņa in the Retail group",
                "PUT",
                "/v1/debtors/cus-berzina/group",
                Some(json!({"group": "Retail"})),
            ),
        ),
        (
            at("2026-12-10T12:00:00Z"),
            api(
                "asks what will be sent for INV-1008",
                "GET",
                "/v1/invoices/1008/plan",
                None,
            ),
        ),
    ]
}

/// Checks that the rule held the final notice, and says so.
pub fn check(sent: &[Sent]) -> anyhow::Result<Vec<String>> {
    let hers: Vec<&Sent> = sent.iter().filter(|(_, d, ..)| d == DEBTOR).collect();
    let first_overdue = hers
        .iter()
        .find(|(_, _, steps, _)| steps.iter().any(|s| s.starts_with("after-")))
        .map(|(day, ..)| day.as_str());
    let finals: Vec<&str> = hers
        .iter()
        .filter(|(.., tone)| *tone == Tone::FinalNotice)
        .map(|(day, ..)| day.as_str())
        .collect();
    if first_overdue != Some("25 Nov") || finals != [BY_LATVIAN_LAW] {
        bail!("Anna Bērziņa's first overdue reminder went on {first_overdue:?} and her final notice on {finals:?}");
    }
    Ok(vec![format!(
        "A Latvian rule held a message back: Anna Bērziņa, a consumer, got her first overdue reminder on \
         {} and her final notice on {BY_LATVIAN_LAW}, not on {BY_SCHEDULE} as the schedule alone would \
         have it: in Latvia a consumer has 21 days from the first notice to object (Parādu ārpustiesas \
         atgūšanas likums, section 7).",
        first_overdue.unwrap_or_default()
    )])
}
