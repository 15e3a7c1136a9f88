//! Notices: what Duly told the creditor (or keeps for their digest), and the failed items behind them.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_adapters::store::DeadLetter;
use duly_core::locale::format_date_time;
use duly_core::web::Session;

use super::creditor;
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Lines shown of each list; the JSON API lists all.
const SHOWN: usize = 100;

pub async fn notices(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    // Stored as RFC 3339; shown on the creditor's clock as the member's language writes it.
    let moment = |raw: &str| {
        raw.parse::<chrono::DateTime<chrono::Utc>>()
            .map(|t| format_date_time(lang, c.time_zone, t))
            .unwrap_or_else(|_| raw.to_string())
    };
    let notices: Vec<_> = web
        .store
        .notices(&c.creditor_id)
        .await?
        .iter()
        .take(SHOWN)
        .filter_map(|n| {
            Some(json!({
                "at": moment(&n.at),
                "subject": n.notice.subject(lang).ok()?,
                "body": n.notice.body(lang, None).ok()?,
                "page": n.notice.page,
            }))
        })
        .collect();
    let dead: Vec<String> = web
        .store
        .dead_letters(&c.creditor_id)
        .await?
        .iter()
        .take(SHOWN)
        .map(|d| match d {
            DeadLetter::Message {
                debtor_id, claimed_at, ..
            } => format!("{} · {debtor_id}", moment(claimed_at)),
            DeadLetter::Template {
                language, template, at, ..
            } => format!("{} · {language}/{template}", moment(at)),
            DeadLetter::Sync {
                platform,
                entity,
                resource_id,
                ..
            } => {
                let mut args = FluentArgs::new();
                args.set("entity", entity.as_str());
                format!("{platform} · {} {resource_id}", say(lang, "sync-entity", &args))
            }
        })
        .collect();
    let html = render(
        "notices",
        lang,
        Some(web.chrome(session)),
        json!({"title": say(lang, "web-notices-title", &FluentArgs::new()), "nav": "notices", "notices": notices, "dead": dead}),
    );
    Ok(Reply::page(200, html))
}
