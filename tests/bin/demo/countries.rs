//! A country's rule in the demo: Anna Bērziņa, a consumer in Riga, in the creditor's "Retail" group of
//! consumers. Latvian law gives a consumer 21 days from the first notice to object before a formal demand,
//! so her final notice waits past the day the creditor's schedule alone would send it. The creditor has
//! final notices carry the formal letter: hers is the Latvian demand, kept in `demo-output/`.

use std::path::Path;

use anyhow::bail;
use chrono::{DateTime, Utc};
use serde_json::json;

use anyhow::Context;
use duly_core::model::ids::{CreditorId, DebtorId};
use duly_core::policy::Tone;
use duly_local::fixtures::facts;
use duly_local::moto::SentEmail;
use duly_local::{at, Local};

use super::cadence::Sent;
use super::Happening;

pub const DEBTOR: &str = "cus-berzina";
/// Where her letter is kept.
const LETTER: &str = "letter-berzina.pdf";

const EMAIL: &str = "anna.berzina@pasts.example";

/// The formal letters e-mails carried: to whom, the file's name and its size.
fn letters(emails: &[SentEmail]) -> Vec<(&str, &str, usize)> {
    emails
        .iter()
        .flat_map(|e| {
            let to = e.destinations.to.first().map_or("", String::as_str);
            e.attachments
                .iter()
                .filter(|a| a.pdf && a.file_name.starts_with("demand-"))
                .map(move |a| (to, a.file_name.as_str(), a.size))
        })
        .collect()
}

/// Her formal letter as the customer's page gives it at `at`, kept for reading.
pub async fn save_letter(local: &Local, creditor: &CreditorId, at: DateTime<Utc>, output: &Path) -> anyhow::Result<()> {
    let c = local.store.get_creditor(creditor).await?.context("the creditor")?;
    let d = local
        .store
        .get_debtor(creditor, &DebtorId::parse(DEBTOR)?)
        .await?
        .context("Anna Bērziņa")?;
    let file = duly_app::letter::debtor_letter(&local.store, &c, &d, at)
        .await?
        .context("her invoice is open")?;
    std::fs::write(output.join(LETTER), file.bytes)?;
    Ok(())
}
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
                    "debtor_id": DEBTOR, "name": "Anna Bērziņa", "email": EMAIL,
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
pub fn check(sent: &[Sent], emails: &[SentEmail]) -> anyhow::Result<Vec<String>> {
    let letters = letters(emails);
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
    let Some((_, file, size)) = letters.iter().find(|(to, ..)| *to == EMAIL) else {
        bail!("her final notice carried no formal letter: {letters:?}");
    };
    Ok(vec![format!(
        "A Latvian rule held a message back: Anna Bērziņa, a consumer, got her first overdue reminder on \
         {} and her final notice on {BY_LATVIAN_LAW}, not on {BY_SCHEDULE} as the schedule alone would \
         have it: in Latvia a consumer has 21 days from the first notice to object (Parādu ārpustiesas \
         atgūšanas likums, section 7). The final notice carried the formal letter, {file} ({size} bytes), a \
         Latvian demand giving 21 days to pay and saying how to object: {LETTER}. {} other final notice(s) \
         carried one too.",
        first_overdue.unwrap_or_default(),
        letters.iter().filter(|(to, ..)| *to != EMAIL).count()
    )])
}
