//! Notices: what Duly told the creditor (or keeps for their digest), and the failed items behind them.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_adapters::store::DeadLetter;
use duly_core::web::Session;

use super::creditor;
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Lines shown of each list; the JSON API lists all.
const SHOWN: usize = 100;

pub async fn notices(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let notices: Vec<_> = web
        .store
        .notices(&c.creditor_id)
        .await?
        .iter()
        .take(SHOWN)
        .filter_map(|n| {
            Some(json!({
                "at": n.at.get(..16).unwrap_or(&n.at).replace('T', " "),
                "subject": n.notice.subject(lang).ok()?,
                "body": n.notice.body(lang, None).ok()?,
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
            } => format!("{claimed_at} · {debtor_id}"),
            DeadLetter::Template {
                language, template, at, ..
            } => format!("{at} · {language}/{template}"),
            DeadLetter::Sync {
                platform,
                entity,
                resource_id,
                ..
            } => format!("{platform} · {entity} {resource_id}"),
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
