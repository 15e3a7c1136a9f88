//! Customer groups: each with its switch and where its steps come from. Switching a group goes through
//! the settings flow, so its debtors' invoices are replanned at once.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::web::Session;

use super::{checked, creditor, not_found};
use crate::settings::{put_group, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

pub async fn groups(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let groups: Vec<_> = c
        .groups
        .iter()
        .map(|(name, g)| {
            json!({
                "name": name,
                "enabled": g.enabled,
                "own_steps": g.steps.is_some(),
                "platform_groups": g.platform_groups.join(", "),
            })
        })
        .collect();
    let html = render(
        "groups",
        lang,
        Some(&session.csrf),
        json!({"title": say(lang, "web-groups-title", &FluentArgs::new()), "nav": "groups", "groups": groups}),
    );
    Ok(Reply::page(200, html))
}

/// `POST /app/groups/{name}` with `enabled=on|off`.
pub async fn switch_group(
    web: Web<'_>,
    session: &Session,
    name: &str,
    csrf: &str,
    enabled: bool,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let Some(mut group) = c.groups.get(name).cloned() else {
        return Ok(not_found(lang));
    };
    group.enabled = enabled;
    match put_group(web.store, &c.creditor_id, name, Some(group), now).await {
        Ok(_) => Ok(Reply::see_other("/app/groups")),
        Err(SettingsError::NotFound(_)) => Ok(not_found(lang)),
        Err(e) => Err(e.into()),
    }
}
