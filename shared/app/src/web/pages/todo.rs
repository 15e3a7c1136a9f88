//! To do: everything that waits for the creditor, in one queue: invoices an answer holds back (disputes,
//! plan requests, promises that passed unpaid, "already paid"), calls to make, connections that fail;
//! then the latest notices. Each line leads to where it is dealt with; dealt with, it leaves.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_adapters::store::{Store, StoreError};
use duly_core::locale::{format_date, format_money, Language};
use duly_core::model::ids::DebtorId;
use duly_core::model::Creditor;
use duly_core::web::todo::{needs_on, Need};
use duly_core::web::Session;

use super::creditor;
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Invoices listed; past this many the oldest are shown first and the rest wait their turn.
const SHOWN: i32 = 100;
const LATEST_NOTICES: i32 = 5;

/// The platform connections whose catch-up keeps failing, by platform.
async fn failing_connections(store: &Store, c: &Creditor) -> Result<Vec<(String, u32)>, StoreError> {
    let jobs = store.catch_ups(&c.creditor_id).await?;
    if jobs.iter().all(|j| j.attempts == 0) {
        return Ok(Vec::new());
    }
    let linked = store.linked(&c.creditor_id).await?;
    Ok(jobs
        .into_iter()
        .filter(|j| j.attempts > 0)
        .filter(|j| !linked.iter().any(|l| l.connection == j.connection && !l.active))
        .map(|j| (j.platform, j.attempts))
        .collect())
}

/// What waits in To do, for the navigation: decisions, calls and failing connections.
pub async fn todo_count(store: &Store, c: &Creditor, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let today = now.with_timezone(&c.time_zone).date_naive();
    let decisions = store
        .invoices_needing(&c.creditor_id, today, SHOWN)
        .await?
        .iter()
        .filter(|i| !needs_on(&i.controls, today).is_empty())
        .count();
    let calls = store.open_calls(&c.creditor_id).await?.len();
    Ok(decisions + calls + failing_connections(store, c).await?.len())
}

/// [`todo_count`] for the session's creditor; a failed read shows no count rather than no page.
pub async fn count_todo(web: Web<'_>, session: &Session, now: DateTime<Utc>) -> usize {
    let counted = async {
        let (c, _) = creditor(web, session).await?;
        Ok::<_, WebError>(todo_count(web.store, &c, now).await?)
    };
    counted.await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "could not count what waits in To do");
        0
    })
}

/// A need in the creditor's words.
pub(super) fn need_text(lang: Language, need: Need, controls: &duly_core::model::InvoiceControls) -> String {
    let mut args = FluentArgs::new();
    if let Some(p) = &controls.promise {
        args.set("date", format_date(lang, p.date));
    }
    if let Some(r) = &controls.plan_request {
        args.set("count", r.instalments);
    }
    say(lang, &format!("web-need-{}", need.code()), &args)
}

pub async fn todo(web: Web<'_>, session: &Session, done: &str, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    let invoices = web.store.invoices_needing(&c.creditor_id, today, SHOWN).await?;
    let debtor_ids: Vec<DebtorId> = invoices
        .iter()
        .filter_map(|i| i.doc.as_ref().map(|d| d.debtor_id.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let debtors = web.store.get_debtors(&c.creditor_id, &debtor_ids).await?;
    let decisions: Vec<_> = invoices
        .iter()
        .filter_map(|i| {
            let doc = i.doc.as_ref()?;
            let needs = needs_on(&i.controls, today);
            if needs.is_empty() {
                return None;
            }
            Some(json!({
                "invoice_id": i.invoice_id.as_str(),
                "invoice": doc.number,
                "debtor_id": doc.debtor_id.as_str(),
                "debtor": debtors.iter().find(|d| d.debtor_id == doc.debtor_id).map_or_else(|| doc.debtor_id.to_string(), |d| d.name.clone()),
                "amount": i.balance.map(|b| format_money(lang, &b.amount_due)),
                "needs": needs.iter().map(|n| json!({"code": n.code(), "text": need_text(lang, *n, &i.controls)})).collect::<Vec<_>>(),
                "detail": i.controls.dispute.as_ref().map(|d| d.reason.clone()),
            }))
        })
        .collect();
    let calls = web.store.open_calls(&c.creditor_id).await?.len();
    let mut args = FluentArgs::new();
    args.set("count", calls);
    let failing: Vec<String> = failing_connections(web.store, &c)
        .await?
        .into_iter()
        .map(|(platform, attempts)| {
            let mut args = FluentArgs::new();
            args.set("platform", super::connections::platform_name(&platform).to_string());
            args.set("attempts", attempts);
            say(lang, "web-connection-failing", &args)
        })
        .collect();
    let notices: Vec<_> = web
        .store
        .latest_notices(&c.creditor_id, LATEST_NOTICES)
        .await?
        .iter()
        .filter_map(|n| n.notice.subject(lang).ok())
        .collect();
    let none = FluentArgs::new();
    let saved = crate::settings::Decision::parse(done).map(|d| {
        let mut args = FluentArgs::new();
        args.set("what", say(lang, &format!("web-choice-{}", d.code()), &none));
        say(lang, "web-decided", &args)
    });
    let empty = decisions.is_empty() && calls == 0 && failing.is_empty();
    let html = render(
        "todo",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-todo-title", &none),
            "nav": "todo",
            "saved": saved,
            "decisions": decisions,
            "calls": (calls > 0).then(|| say(lang, "web-today-calls", &args)),
            "failing": failing,
            "notices": notices,
            "empty": empty,
        }),
    );
    Ok(Reply::page(200, html))
}
