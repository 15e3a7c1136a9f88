//! One debtor: where they are written to, their open invoices, and the messages sent to them.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::calendar::place::whereabouts;
use duly_core::messages::locale::format_money;
use duly_core::model::ids::DebtorId;
use duly_core::web::Session;

use super::{creditor, not_found};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Messages shown, newest first.
const SHOWN: usize = 50;

pub async fn debtor(web: Web<'_>, session: &Session, id: &str) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let Ok(id) = DebtorId::parse(id.to_string()) else {
        return Ok(not_found(lang));
    };
    let Some(d) = web.store.get_debtor(&c.creditor_id, &id).await? else {
        return Ok(not_found(lang));
    };
    let place = whereabouts(&c, Some(&d));
    let open: Vec<_> = web
        .store
        .open_invoices_of(&c.creditor_id, &id)
        .await?
        .iter()
        .filter_map(|i| {
            let doc = i.doc.as_ref()?;
            let due = i.balance.as_ref()?.amount_due;
            Some(
                json!({"number": doc.number, "due_date": doc.due_date.to_string(), "amount": format_money(lang, &due)}),
            )
        })
        .collect();
    let mut messages: Vec<_> = web
        .store
        .message_summaries(&c.creditor_id, &id)
        .await?
        .into_iter()
        .map(|mut m| {
            m.claimed_at = m.claimed_at.get(..16).unwrap_or_default().replace('T', " ");
            m
        })
        .collect();
    messages.reverse();
    messages.truncate(SHOWN);
    let refused: Vec<String> = d
        .controls
        .email_refused
        .iter()
        .map(|r| r.address.clone())
        .chain(d.controls.earlier_refused.iter().cloned())
        .collect();
    let mut args = FluentArgs::new();
    args.set("addresses", refused.join(", "));
    let html = render(
        "debtor",
        lang,
        Some(&session.csrf),
        json!({
            "title": d.name,
            "nav": "",
            "place": format!("{} · {} · {}", place.language.code(), place.country, place.time_zone.name()),
            "email": d.email,
            "refused": (!refused.is_empty()).then(|| say(lang, "web-debtor-refused", &args)),
            "open": open,
            "messages": messages,
        }),
    );
    Ok(Reply::page(200, html))
}
