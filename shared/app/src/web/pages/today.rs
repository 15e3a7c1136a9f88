//! Today: what goes out in the next seven days and why, the latest answers, and the latest notices.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::calendar::calendar_for;
use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_core::model::Debtor;
use duly_core::planner::{explain, Context};
use duly_core::web::Session;

use super::{creditor, local_time};
use crate::web::view::{render, rule_text, say};
use crate::web::{Reply, Web, WebError};

/// Invoices looked at for the week ahead; a creditor with more sees the earliest due first.
const MAX_INVOICES: usize = 200;
/// Lines shown of answers and notices.
const LATEST: usize = 5;
/// Messages shown of those sent lately.
const LATEST_SENT: i32 = 10;

pub async fn today(web: Web<'_>, session: &Session, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let mut open = web.store.open_invoices_of_creditor(&c.creditor_id).await?;
    open.sort_by_key(|i| i.doc.as_ref().map(|d| d.due_date));
    let mut debtors: HashMap<DebtorId, Option<Debtor>> = HashMap::new();
    let mut planned = Vec::new();
    for invoice in open.iter().take(MAX_INVOICES) {
        let Some(doc) = invoice.doc.as_ref() else { continue };
        if !debtors.contains_key(&doc.debtor_id) {
            let d = web.store.get_debtor(&c.creditor_id, &doc.debtor_id).await?;
            debtors.insert(doc.debtor_id.clone(), d);
        }
        let debtor = debtors[&doc.debtor_id].as_ref();
        let calendar = calendar_for(&c, debtor);
        let ctx = Context {
            creditor: &c,
            debtor,
            calendar: &calendar,
        };
        for action in explain(invoice, &ctx, now)
            .planned
            .into_iter()
            .filter(|a| a.at < now + Duration::days(7))
        {
            planned.push((
                action.at,
                json!({
                    "when": local_time(lang, c.time_zone, action.at),
                    "debtor": debtor.map_or_else(|| doc.debtor_id.to_string(), |d| d.name.clone()),
                    "debtor_id": doc.debtor_id.as_str(),
                    "invoice": doc.number,
                    "step": action.step_id,
                    "channels": action.channels.iter().map(|ch| format!("{ch:?}").to_lowercase()).collect::<Vec<_>>().join(" + "),
                    "why": rule_text(lang, &action.rule_parts),
                }),
            ));
        }
    }
    planned.sort_by_key(|(at, _)| *at);
    let recent = web.store.recent_messages(&c.creditor_id, LATEST_SENT).await?;
    // Which of the invoices reminded lately are paid now: one batch read for the whole list.
    let reminded: Vec<InvoiceId> = recent
        .iter()
        .flat_map(|m| m.invoices.iter())
        .filter_map(|i| InvoiceId::parse(i.clone()).ok())
        .collect();
    let paid: HashSet<String> = web
        .store
        .get_invoices(&c.creditor_id, &reminded)
        .await?
        .iter()
        .filter(|i| i.voided_at.is_none() && !i.is_open() && i.balance.is_some_and(|b| b.amount_due.minor == 0))
        .filter_map(|i| i.doc.as_ref().map(|_| i.invoice_id.to_string()))
        .collect();
    let mut sent = Vec::new();
    for m in recent {
        let Ok(id) = DebtorId::parse(m.debtor_id.clone()) else {
            continue;
        };
        if !debtors.contains_key(&id) {
            let d = web.store.get_debtor(&c.creditor_id, &id).await?;
            debtors.insert(id.clone(), d);
        }
        let at = duly_adapters::store::parse_ts(&m.claimed_at)
            .map(|t| local_time(lang, c.time_zone, t))
            .unwrap_or_default();
        sent.push(json!({
            "when": at,
            "debtor": debtors[&id].as_ref().map_or_else(|| m.debtor_id.clone(), |d| d.name.clone()),
            "debtor_id": m.debtor_id,
            "summary": m.summary,
            "state": m.status,
            "status": say(lang, &format!("web-status-{}", m.status), &FluentArgs::new()),
            "paid": m.invoices.iter().any(|i| paid.contains(i)),
        }));
    }
    let mut latest_answers = Vec::new();
    for a in &web.store.latest_answers(&c.creditor_id, LATEST as i32).await? {
        let Ok(id) = DebtorId::parse(a.debtor_id.clone()) else {
            continue;
        };
        if !debtors.contains_key(&id) {
            let d = web.store.get_debtor(&c.creditor_id, &id).await?;
            debtors.insert(id.clone(), d);
        }
        latest_answers.push(json!({
            "debtor": debtors[&id].as_ref().map_or_else(|| a.debtor_id.clone(), |d| d.name.clone()),
            "debtor_id": a.debtor_id,
            "what": say(lang, &format!("web-answer-{}", a.action), &FluentArgs::new()),
            "invoices": a.invoices.join(", "),
            "detail": a.detail,
        }));
    }
    let notices: Vec<_> = web
        .store
        .notices(&c.creditor_id)
        .await?
        .iter()
        .take(LATEST)
        .filter_map(|n| n.notice.subject(lang).ok())
        .collect();
    let title = say(lang, "web-today-title", &FluentArgs::new());
    let html = render(
        "today",
        lang,
        Some(&session.csrf),
        json!({
            "title": title,
            "nav": "today",
            "planned": planned.into_iter().map(|(_, row)| row).collect::<Vec<_>>(),
            "answers": latest_answers,
            "notices": notices,
            "sent": sent,
            "no_address": session.email.is_empty(),
        }),
    );
    Ok(Reply::page(200, html))
}
