//! Connections: each platform the creditor connected, when its catch-up last covered the data, whether
//! it is failing or was revoked; and the buttons that send the browser to the connect function (which
//! alone reaches connections) with a one-time grant: connect, connect again, disconnect.

use std::collections::BTreeMap;

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_adapters::store::parse_ts;
use duly_core::model::Platform;
use duly_core::web::grant::Grant;
use duly_core::web::Session;

use super::{checked, creditor, local_time, not_found};
use crate::connect::grant::mint;
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

pub(super) fn platform_name(segment: &str) -> &str {
    Platform::name_of_segment(segment).unwrap_or(segment)
}

/// Platforms a creditor may add from the app: consent for Xero and QuickBooks, keys for Stripe, a new
/// secret for Standard Webhooks.
const ADDABLE: [Platform; 5] = [
    Platform::Xero,
    Platform::QuickBooks,
    Platform::Stripe,
    Platform::Merit,
    Platform::StandardWebhooks,
];

pub async fn connections(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let catch_ups: BTreeMap<String, _> = web
        .store
        .catch_ups(&c.creditor_id)
        .await?
        .into_iter()
        .map(|job| (job.connection.to_string(), job))
        .collect();
    let mut linked = web.store.linked(&c.creditor_id).await?;
    // Connections made before the creditor's list was kept are known by their catch-up only.
    for (id, job) in &catch_ups {
        if !linked.iter().any(|l| l.connection.as_str() == id) {
            let off = c.disconnected.as_ref().filter(|d| d.platform == job.platform);
            linked.push(duly_adapters::store::LinkedConnection {
                connection: job.connection.clone(),
                platform: job.platform.clone(),
                name: None,
                active: off.is_none(),
                changed_at: off.map_or(chrono::DateTime::UNIX_EPOCH, |d| d.at),
            });
        }
    }
    let mut rows = Vec::new();
    for l in &linked {
        let name = platform_name(&l.platform).to_string();
        let mut args = FluentArgs::new();
        args.set("platform", name.clone());
        let job = catch_ups.get(l.connection.as_str());
        let (state, status) = match (l.active, job.and_then(|j| j.since.as_deref())) {
            (false, _) => {
                args.set("at", local_time(lang, c.time_zone, l.changed_at));
                ("off", say(lang, "web-connection-revoked", &args))
            }
            (true, None) if l.platform == "standard" => ("on", String::new()),
            (true, None) => ("on", say(lang, "web-connection-first", &args)),
            (true, Some(since)) => {
                let at = parse_ts(since)
                    .map(|t| local_time(lang, c.time_zone, t))
                    .unwrap_or_default();
                args.set("at", at);
                ("on", say(lang, "web-connection-ok", &args))
            }
        };
        let failing = job.filter(|j| j.attempts > 0 && l.active).map(|j| {
            let mut args = FluentArgs::new();
            args.set("attempts", j.attempts);
            say(lang, "web-connection-failing", &args)
        });
        let again = ADDABLE
            .into_iter()
            .find(|p| p.path_segment() == l.platform && *p != Platform::StandardWebhooks)
            .map(|p| Grant::Connect(p).encode());
        rows.push(json!({
            "platform": name,
            "name": l.name,
            "state": state,
            "status": status,
            "failing": failing,
            "again": again,
            "disconnect": l.active.then(|| Grant::Disconnect(l.connection.clone()).encode()),
        }));
    }
    let add: Vec<_> = ADDABLE
        .into_iter()
        .filter(|p| !linked.iter().any(|l| l.platform == p.path_segment() && l.active))
        .map(|p| json!({"grant": Grant::Connect(p).encode(), "platform": platform_name(p.path_segment())}))
        .collect();
    let html = render(
        "connections",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-connections-title", &FluentArgs::new()),
            "nav": "connections",
            "connections": rows,
            "actions": web.connect_url.is_some(),
            "add": add,
        }),
    );
    Ok(Reply::page(200, html))
}

/// `POST /app/connections`: a grant for the session's creditor and the asked purpose, and the connect
/// function's page that takes it. A connection that is not the creditor's answers 404.
pub async fn change_connection(
    web: Web<'_>,
    session: &Session,
    csrf: &str,
    grant: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let (Some(connect_url), Some(grant)) = (web.connect_url, Grant::parse(grant)) else {
        return Ok(not_found(lang));
    };
    if let Grant::Disconnect(id) = &grant {
        let theirs = web
            .store
            .linked(&c.creditor_id)
            .await?
            .iter()
            .any(|l| l.connection == *id)
            || web
                .store
                .catch_ups(&c.creditor_id)
                .await?
                .iter()
                .any(|j| j.connection == *id);
        if !theirs {
            return Ok(not_found(lang));
        }
    }
    let token = mint(web.store, &c.creditor_id, &grant, now).await?;
    Ok(Reply::see_other(format!(
        "{}{}?grant={token}",
        connect_url.trim_end_matches('/'),
        grant.path()
    )))
}
