//! The money side of the demo: late-payment charges switched on, a Latvian customer who asks to pay in
//! instalments (approved, one instalment paid, the next missed: the plan breaks), and an Estonian customer
//! who accepts a settlement offer.

use chrono::{DateTime, Utc};
use serde_json::json;

use duly_core::locale::Language;
use duly_core::messages::links::{Action, Answer};
use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::fixtures::{facts, nordwind};
use duly_local::{at, test_links};

use super::Happening;

fn contact(id: &str, name: &str, email: &str, language: &str, country: &str, zone: &str, t: &str) -> String {
    json!({"type": "contact.updated", "data": {
        "debtor_id": id, "name": name, "email": email, "language": language, "country": country,
        "time_zone": zone, "updated_at": t
    }})
    .to_string()
}

pub fn happenings() -> Vec<(DateTime<Utc>, Happening)> {
    let t = "2026-11-16T09:00:00Z";
    let fact = |what: &'static str, id: &'static str, body: String| Happening::Fact { what, id, body };
    let api = |what: &'static str, method: &'static str, path: &'static str, body| Happening::Api {
        what,
        method,
        path,
        body,
    };
    vec![
        (
            at("2026-11-16T07:00:00Z"),
            api(
                "switches on statutory interest and the 40 € compensation",
                "PUT",
                "/v1/late-charges",
                Some(json!({"interest": true, "compensation": true})),
            ),
        ),
        (
            at("2026-11-16T07:05:00Z"),
            api(
                "lets customers ask for up to 3 instalments, 14 days apart",
                "PUT",
                "/v1/payment-plans",
                Some(json!({"max_instalments": 3, "days_between": 14})),
            ),
        ),
        (
            at(t),
            fact(
                "Ozols SIA (Riga)",
                "m1",
                contact(
                    "cus-ozols",
                    "Ozols SIA",
                    "rekini@ozols.example",
                    "lv",
                    "LV",
                    "Europe/Riga",
                    t,
                ),
            ),
        ),
        (
            at(t),
            fact(
                "INV-1006, 1200,00 € due 20 Nov",
                "m2",
                facts::invoice("1006", "cus-ozols", "1200.00", "1200.00", "2026-11-20", "open", t),
            ),
        ),
        (
            at(t),
            fact(
                "Kask OÜ (Tartu)",
                "m3",
                contact(
                    "cus-kask",
                    "Kask OÜ",
                    "arved@kask.example",
                    "et",
                    "EE",
                    "Europe/Tallinn",
                    t,
                ),
            ),
        ),
        (
            at(t),
            fact(
                "INV-1007, 2000,00 € due 18 Nov",
                "m4",
                facts::invoice("1007", "cus-kask", "2000.00", "2000.00", "2026-11-18", "open", t),
            ),
        ),
        (
            at("2026-11-24T10:00:00Z"),
            Happening::Answer {
                what: "Ozols asks on the answer page to pay INV-1006 in 3 instalments",
                path: promise_link("cus-ozols", "1006", Language::Lv, at("2026-11-24T10:00:00Z")),
                form: "instalments=3",
            },
        ),
        (
            at("2026-11-24T15:00:00Z"),
            api(
                "approves Ozols's 3 instalments",
                "POST",
                "/v1/invoices/1006/payment-plan/approve",
                None,
            ),
        ),
        (
            at("2026-11-25T12:00:00Z"),
            api(
                "offers Kask to settle INV-1007 for 1700,00 € by 10 Dec",
                "PUT",
                "/v1/invoices/1007/settlement",
                Some(json!({"amount": "1700.00", "pay_by": "2026-12-10"})),
            ),
        ),
        (
            at("2026-12-04T10:00:00Z"),
            fact(
                "Kask pays 1700,00 € of INV-1007",
                "m5",
                facts::invoice(
                    "1007",
                    "cus-kask",
                    "2000.00",
                    "300.00",
                    "2026-11-18",
                    "open",
                    "2026-12-04T10:00:00Z",
                ),
            ),
        ),
        (
            at("2026-12-08T10:00:00Z"),
            fact(
                "Ozols pays the first instalment of INV-1006",
                "m6",
                facts::invoice(
                    "1006",
                    "cus-ozols",
                    "1200.00",
                    "800.00",
                    "2026-11-20",
                    "open",
                    "2026-12-08T10:00:00Z",
                ),
            ),
        ),
    ]
}

/// The "I will pay on…" link of a reminder, as the debtor's mail would carry it.
fn promise_link(debtor: &str, invoice: &str, language: Language, now: DateTime<Utc>) -> String {
    let token = test_links().token(&Answer {
        creditor: nordwind(),
        debtor: DebtorId::parse(debtor).expect("a debtor id"),
        invoices: vec![InvoiceId::parse(invoice).expect("an invoice id")],
        action: Action::Promise,
        language,
        expires: (now + chrono::Duration::days(30)).timestamp(),
    });
    format!("/a/{token}")
}

fn subject_of(mail: &duly_local::moto::SentEmail) -> String {
    mail.subject.clone()
}

/// What the money side must have done; a line for each, or an error naming what went wrong.
pub async fn check(
    local: &duly_local::Local,
    creditor: &duly_core::model::ids::CreditorId,
    last_reminder: &std::collections::BTreeMap<String, DateTime<Utc>>,
) -> anyhow::Result<Vec<String>> {
    use anyhow::{bail, Context};
    let get = |id: &'static str| async move {
        local
            .store
            .get_invoice(creditor, &InvoiceId::parse(id).expect("an invoice id"))
            .await
            .map_err(anyhow::Error::from)?
            .context("the invoice exists")
    };
    let mails = duly_local::moto::sent_emails().await;
    let to = |address: &'static str| {
        mails
            .iter()
            .filter(move |m| m.destinations.to.iter().any(|t| t == address))
    };

    let kask = get("1007").await?;
    let settled = kask.controls.settlement.as_ref().and_then(|s| s.settled_at);
    let Some(settled) = settled else {
        bail!("INV-1007's settlement was not recorded");
    };
    if last_reminder
        .get("INV-1007")
        .is_some_and(|t| *t > at("2026-12-04T10:00:00Z"))
    {
        bail!("INV-1007 got a reminder after it was settled");
    }
    if !to("arved@kask.example").any(|m| m.body.contains("Tasuge 10.12.2026 jooksul 1700,00\u{a0}€")) {
        bail!("no reminder to Kask carried the settlement offer");
    }
    if !to("arved@kask.example").any(|m| m.body.contains("Sissenõudmiskulude hüvitis")) {
        bail!("no reminder to Kask listed the compensation");
    }
    // The checked-in table ends on 30 June 2026: interest on these November reminders comes from the feed.
    let with_interest = to("arved@kask.example")
        .find(|m| m.body.contains(">Viivis</td>"))
        .context("no reminder to Kask carried interest from the fetched rates")?;
    let interest_line = with_interest
        .body
        .split(">Viivis</td>")
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_default()
        .to_string();

    let ozols = get("1006").await?;
    let plan = ozols.controls.plan.as_ref().context("INV-1006's plan")?;
    let Some(broken) = plan.broken_at else {
        bail!("INV-1006's plan did not break after the missed instalment");
    };
    let Some(resumes) = ozols.next_action_at else {
        bail!("INV-1006 left the due index when its plan broke");
    };
    let instalment_reminders = to("rekini@ozols.example")
        .filter(|m| m.subject.contains("400,00"))
        .count();
    if instalment_reminders < 2 {
        bail!("Ozols got {instalment_reminders} reminders of an instalment, not one for each");
    }
    let (_, notices) = local
        .api("GET", "/v1/notices", None, None, at("2026-12-31T12:00:00Z"))
        .await;
    let kinds: Vec<&str> = notices
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["kind"].as_str())
        .collect();
    for kind in ["settled", "answer_plan", "plan_broken"] {
        if !kinds.contains(&kind) {
            bail!("Nordwind was not told of {kind}");
        }
    }
    let dates: Vec<String> = plan
        .instalments
        .iter()
        .map(|i| i.due.format("%d %b").to_string())
        .collect();
    Ok(vec![
        format!(
            "INV-1006 (Ozols SIA, Riga) asked on the answer page for 3 instalments; approved: 400,00 € on {}; \
             the first was paid, the second missed, and the plan broke on {}: the usual reminders about the whole \
             800,00 € resume (next look {}, the first business morning in Riga).",
            dates.join(", "),
            broken.format("%a %d %b"),
            resumes.format("%a %d %b %H:%M UTC")
        ),
        format!(
            "INV-1007 (Kask OÜ) accepted the offer to settle for 1700,00 € by 10 Dec: closed in Duly's ledger on {}, \
             and Nordwind was told to write off the other 300,00 €.",
            settled.format("%a %d %b")
        ),
        format!(
            "Overdue reminders listed the interest and the 40 € compensation apart from the amount due: the first \
             to Kask OÜ with interest said \"{}\", at the ECB's 2.15 % + 8 for the second half of 2026, a rate the \
             feed fetched (the checked-in table ends in June).",
            subject_of(with_interest)
        ) + &format!(" Its interest line: {interest_line}."),
    ])
}
