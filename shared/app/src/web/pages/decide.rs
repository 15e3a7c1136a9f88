//! An invoice an answer holds back, and the creditor's choices about it, each shown with what it leads to
//! (the next message and its date, or the instalments) before a button makes it.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::{json, Value};

use duly_core::locale::{format_date, format_money, Language};
use duly_core::model::ids::InvoiceId;
use duly_core::model::money::Money;
use duly_core::web::todo::{needs_on, Need};
use duly_core::web::Session;

use super::{checked, creditor, local_time, not_found};
use crate::settings::{decide, try_decision, Decision, SettingsError, Tried};
use crate::web::view::{render, rule_text, say};
use crate::web::{Reply, Web, WebError};

/// The choices each need offers, the one that keeps the customer's side first.
fn choices(need: Need) -> &'static [Decision] {
    match need {
        Need::Dispute => &[Decision::HoldForCreditNote, Decision::ResolveDispute],
        Need::PlanRequest => &[Decision::ApprovePlan, Decision::DeclinePlan],
        Need::BrokenPromise => &[Decision::EndPromise],
        Need::SaysPaid => &[Decision::Resume],
    }
}

/// A planned message as the creditor reads it: when and in which tone, and the rule behind it.
pub(super) fn next_message(lang: Language, tz: chrono_tz::Tz, a: &duly_core::planner::PlannedAction) -> Value {
    let mut args = FluentArgs::new();
    args.set("when", local_time(lang, tz, a.at));
    args.set("tone", crate::web::view::tone_text(lang, a.tone));
    json!({
        "text": say(lang, "web-decide-next", &args),
        "why": rule_text(lang, &a.rule_parts),
    })
}

/// What a decision leads to, in the creditor's words.
fn outcome(lang: Language, tz: chrono_tz::Tz, tried: &Tried) -> Value {
    let none = FluentArgs::new();
    let next = tried.explanation.planned.first().map(|a| next_message(lang, tz, a));
    let currency = tried.before.currency();
    let instalments: Vec<Value> = tried
        .after
        .plan
        .as_ref()
        .filter(|_| tried.before.controls.plan.is_none())
        .map(|p| {
            p.instalments
                .iter()
                .map(|i| {
                    json!({
                        "due": format_date(lang, i.due),
                        "amount": currency.map(|currency| format_money(lang, &Money { minor: i.amount, currency })),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "next": next,
        "nothing": next.is_none().then(|| say(lang, "web-decide-nothing", &none)),
        "instalments": instalments,
    })
}

/// `GET /app/invoices/{id}/decide`: what holds the invoice back and the choices, each with its outcome.
pub async fn decision(web: Web<'_>, session: &Session, invoice: &str, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let Ok(id) = InvoiceId::parse(invoice.to_string()) else {
        return Ok(not_found(lang));
    };
    let Some(current) = web.store.get_invoice(&c.creditor_id, &id).await? else {
        return Ok(not_found(lang));
    };
    let Some(doc) = current.doc.as_ref().filter(|_| current.is_open()) else {
        return Ok(not_found(lang));
    };
    let today = now.with_timezone(&c.time_zone).date_naive();
    let debtor = web.store.get_debtor(&c.creditor_id, &doc.debtor_id).await?;
    let none = FluentArgs::new();
    let mut needs = Vec::new();
    for need in needs_on(&current.controls, today) {
        let mut offered = Vec::new();
        for &d in choices(need) {
            match try_decision(web.store, &c.creditor_id, &id, d, now).await {
                Ok(tried) => offered.push(json!({
                    "code": d.code(),
                    "label": say(lang, &format!("web-choice-{}", d.code()), &none),
                    "help": say(lang, &format!("web-choice-{}-help", d.code()), &none),
                    "declines": d.declines(),
                    "outcome": outcome(lang, c.time_zone, &tried),
                })),
                // A choice the rules refuse now (a plan the balance no longer allows) is not offered.
                Err(SettingsError::Invalid(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        needs.push(json!({
            "code": need.code(),
            "what": super::todo::need_text(lang, need, &current.controls),
            "detail": match need {
                Need::Dispute => current.controls.dispute.as_ref().map(|d| d.reason.clone()),
                _ => None,
            },
            "choices": offered,
        }));
    }
    let mut args = FluentArgs::new();
    args.set("invoice", doc.number.clone());
    let mut owed = FluentArgs::new();
    owed.set(
        "amount",
        current
            .balance
            .map(|b| format_money(lang, &b.amount_due))
            .unwrap_or_default(),
    );
    owed.set("date", format_date(lang, doc.due_date));
    let html = render(
        "decide",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-decide-title", &args),
            "nav": "todo",
            "invoice": id.as_str(),
            "debtor": debtor.as_ref().map_or_else(|| doc.debtor_id.to_string(), |d| d.name.clone()),
            "debtor_id": doc.debtor_id.as_str(),
            "owed": say(lang, "web-decide-owed", &owed),
            "needs": needs,
        }),
    );
    Ok(Reply::page(200, html))
}

/// `POST /app/invoices/{id}/{decision}`: makes the decision; back to To do, which says it was saved.
pub async fn act_on_invoice(
    web: Web<'_>,
    session: &Session,
    invoice: &str,
    action: &str,
    csrf: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let (Ok(invoice), Some(decision)) = (InvoiceId::parse(invoice.to_string()), Decision::parse(action)) else {
        return Ok(not_found(lang));
    };
    match decide(web.store, &c.creditor_id, &invoice, decision, now).await {
        Ok(_) => Ok(Reply::see_other(format!("/app/todo?done={}", decision.code()))),
        // Decided already (a second press, or another colleague): say why rather than fail.
        Err(e) => super::answers::refused(lang, e),
    }
}
