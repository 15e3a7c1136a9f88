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
                "statement_day": g.statement.map(|s| s.business_day),
            })
        })
        .collect();
    let html = render(
        "groups",
        lang,
        Some(web.chrome(session)),
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

/// `POST /app/groups/{name}/statement` with `business_day` 1 to 10, or empty for no monthly statement.
pub async fn set_group_statement(
    web: Web<'_>,
    session: &Session,
    name: &str,
    csrf: &str,
    business_day: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let Some(mut group) = c.groups.get(name).cloned() else {
        return Ok(not_found(lang));
    };
    group.statement = match business_day.trim() {
        "" => None,
        day => match day.parse::<u8>() {
            Ok(business_day) => Some(duly_core::planner::monthly::MonthlyStatement { business_day }),
            Err(_) => {
                let reason = "statement.business_day: a business day of the month, 1 to 10";
                return Ok(Reply::page(
                    422,
                    crate::web::view::in_app::problem_text(lang, 422, reason),
                ));
            }
        },
    };
    match put_group(web.store, &c.creditor_id, name, Some(group), now).await {
        Ok(_) => Ok(Reply::see_other("/app/groups")),
        Err(SettingsError::NotFound(_)) => Ok(not_found(lang)),
        Err(SettingsError::Invalid(e)) => Ok(Reply::page(
            422,
            crate::web::view::in_app::problem_text(lang, 422, &duly_core::web::refused::refusal_words(lang, &e)),
        )),
        Err(e) => Err(e.into()),
    }
}
