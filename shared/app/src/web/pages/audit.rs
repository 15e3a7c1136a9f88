//! The audit trail: the latest entries of the creditor's hash chain (each message sent and what became of
//! it, each hand-off and resolved dispute), and the chain verified on request from its first entry.

use std::collections::HashMap;

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::model::ids::DebtorId;
use duly_core::web::Session;

use super::{creditor, local_time};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Entries listed, newest first.
const SHOWN: u64 = 100;

/// What an entry records, in the creditor's words; an event this page does not know keeps its name.
fn what(lang: duly_core::locale::Language, event: &str, detail: &str) -> String {
    let none = FluentArgs::new();
    match event {
        "message.sent" => say(lang, "web-audit-sent", &none),
        "message.delivery" => format!(
            "{}: {}",
            say(lang, "web-audit-delivery", &none),
            say(lang, &format!("web-delivery-{detail}"), &none)
        ),
        duly_core::audit::events::HANDED_OFF => say(lang, "web-audit-handed-off", &none),
        duly_core::audit::events::DISPUTE_RESOLVED => say(lang, "web-audit-dispute-resolved", &none),
        other => duly_core::handoff::event_words(lang, other),
    }
}

/// `GET /app/audit?verify=`.
pub async fn audit(web: Web<'_>, session: &Session, verify: bool) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let (head, _) = web.store.audit_head(&c.creditor_id).await?;
    let mut entries =
        crate::audit::entries(web.store, &c.creditor_id, head.saturating_sub(SHOWN), SHOWN as i32).await?;
    entries.reverse();
    let ids: Vec<DebtorId> = entries
        .iter()
        .filter_map(|e| DebtorId::parse(e.entry.debtor_id.clone()).ok())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let names: HashMap<String, String> = web
        .store
        .get_debtors(&c.creditor_id, &ids)
        .await?
        .into_iter()
        .map(|d| (d.debtor_id.to_string(), d.name))
        .collect();
    let rows: Vec<_> = entries
        .iter()
        .map(|s| {
            let e = &s.entry;
            json!({
                "seq": e.seq,
                "when": local_time(lang, c.time_zone, e.at),
                "debtor_id": e.debtor_id,
                "debtor": names.get(&e.debtor_id).cloned().unwrap_or_else(|| e.debtor_id.clone()),
                "what": what(lang, &e.event, &e.detail),
                "hash": s.hash.get(..12).unwrap_or(&s.hash),
            })
        })
        .collect();
    let checked = match verify {
        true => {
            let v = crate::audit::verify_chain(web.store, &c.creditor_id, 0).await?;
            let mut args = FluentArgs::new();
            args.set("count", v.entries);
            args.set("head", v.head.get(..16).unwrap_or(&v.head).to_string());
            Some(match &v.broken {
                None => json!({"ok": true, "text": say(lang, "web-audit-verified", &args)}),
                Some(b) => {
                    args.set("seq", b.seq);
                    json!({"ok": false, "text": say(lang, "web-audit-broken", &args)})
                }
            })
        }
        false => None,
    };
    let html = render(
        "audit",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-audit-title", &FluentArgs::new()),
            "nav": "audit",
            "rows": rows,
            "checked": checked,
        }),
    );
    Ok(Reply::page(200, html))
}
