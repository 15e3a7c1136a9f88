//! Connections: each platform's standing catch-up, when it last covered the creditor's data, and whether
//! it is failing or was revoked.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_adapters::store::parse_ts;
use duly_core::web::Session;

use super::{creditor, local_time};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

fn platform_name(segment: &str) -> &str {
    duly_core::model::Platform::name_of_segment(segment).unwrap_or(segment)
}

pub async fn connections(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let mut rows = Vec::new();
    for job in web.store.catch_ups(&c.creditor_id).await? {
        let platform = job.platform.clone();
        let name = platform_name(&platform).to_string();
        let mut args = FluentArgs::new();
        args.set("platform", name.clone());
        let attempts = job.attempts;
        let status = match (&c.disconnected, job.since.as_deref()) {
            (Some(d), _) if d.platform == platform => {
                args.set("at", local_time(lang, c.time_zone, d.at));
                ("off", say(lang, "web-connection-revoked", &args))
            }
            (_, None) => ("on", say(lang, "web-connection-first", &args)),
            (_, Some(since)) => {
                let at = parse_ts(since)
                    .map(|t| local_time(lang, c.time_zone, t))
                    .unwrap_or_default();
                args.set("at", at);
                ("on", say(lang, "web-connection-ok", &args))
            }
        };
        let failing = (attempts > 0).then(|| {
            let mut args = FluentArgs::new();
            args.set("attempts", attempts);
            say(lang, "web-connection-failing", &args)
        });
        rows.push(json!({"platform": name, "state": status.0, "status": status.1, "failing": failing}));
    }
    let html = render(
        "connections",
        lang,
        Some(&session.csrf),
        json!({"title": say(lang, "web-connections-title", &FluentArgs::new()), "nav": "connections", "connections": rows}),
    );
    Ok(Reply::page(200, html))
}
