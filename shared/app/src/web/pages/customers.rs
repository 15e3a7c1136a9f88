//! Customers: everyone who owes the creditor, searched by name, address, id or invoice number, each
//! linking to their page.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::messages::locale::{format_amounts, format_date};
use duly_core::web::customers::customers as find;
use duly_core::web::Session;

use super::creditor;
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// `GET /app/debtors?q=`.
pub async fn customers(web: Web<'_>, session: &Session, query: &str, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let (open, debtors) = web.store.open_invoices_with_debtors(&c.creditor_id).await?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    let (rows, matched) = find(&open, &debtors, query, today);
    let more = (matched > rows.len()).then(|| {
        let mut args = FluentArgs::new();
        args.set("shown", rows.len());
        args.set("matched", matched);
        say(lang, "web-customers-more", &args)
    });
    let rows: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.debtor_id.as_str(),
                "name": r.name,
                "email": r.email,
                "invoices": r.invoices,
                "due": format_amounts(lang, &r.due),
                "earliest": format_date(lang, r.earliest_due),
                "overdue": r.earliest_due < today,
                "paused": r.paused,
            })
        })
        .collect();
    let query: String = query
        .trim()
        .chars()
        .take(duly_core::web::customers::MAX_QUERY)
        .collect();
    let html = render(
        "customers",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-customers-title", &FluentArgs::new()),
            "nav": "customers",
            "query": query,
            "rows": rows,
            "more": more,
        }),
    );
    Ok(Reply::page(200, html))
}
