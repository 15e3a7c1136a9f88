//! Customer groups: each with its switch and where its steps come from, made and renamed here. A group
//! is named in any script and kept under an id of its own, which its URLs use and a rename never changes.
//! Every change goes through the settings flow, so its debtors' invoices are replanned at once.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::web::Session;

use super::{checked, creditor, not_found};
use crate::settings::{put_group, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};
use duly_core::policy::{AttachInvoice, CustomerGroup, PolicyError};
use duly_core::settings::{check_group_title, group_id_for};

pub async fn groups(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let groups: Vec<_> = c
        .groups
        .iter()
        .map(|(id, g)| {
            json!({
                "id": id,
                "name": g.title(id),
                "enabled": g.enabled,
                "own_steps": g.steps.is_some(),
                "platform_groups": g.platform_groups.join(", "),
                "statement_day": g.statement.map(|s| s.business_day),
                "attach": g.attach_invoice.map(|a| a.code()).unwrap_or(""),
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

/// A refusal of the group's name as a page, in the member's language.
fn refused(lang: duly_core::locale::Language, e: &duly_core::policy::PolicyError) -> Reply {
    Reply::page(
        422,
        crate::web::view::in_app::problem_text(lang, 422, &duly_core::web::refused::refusal_words(lang, e)),
    )
}

/// `POST /app/groups` with `name`: a new group, switched on and following the creditor's steps.
pub async fn create_group(
    web: Web<'_>,
    session: &Session,
    csrf: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let name = name.trim();
    if let Err(e) = check_group_title(name) {
        return Ok(refused(lang, &e));
    }
    let id = group_id_for(name, |id| c.groups.keys().any(|k| k.eq_ignore_ascii_case(id)));
    let group = CustomerGroup {
        name: name.to_string(),
        enabled: true,
        steps: None,
        platform_groups: Vec::new(),
        place: Default::default(),
        statement: None,
        attach_invoice: None,
    };
    match put_group(web.store, &c.creditor_id, &id, Some(group), now).await {
        Ok(_) => Ok(Reply::see_other("/app/groups")),
        Err(SettingsError::Invalid(e)) => Ok(refused(lang, &e)),
        Err(e) => Err(e.into()),
    }
}

/// One group changed from its page: the session's token checked, the group found, `change` applied (its
/// refusal said in the member's language), and saved through the settings flow.
async fn change_group(
    web: Web<'_>,
    session: &Session,
    id: &str,
    csrf: &str,
    now: DateTime<Utc>,
    change: impl FnOnce(&mut CustomerGroup) -> Result<(), PolicyError>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let Some(mut group) = c.groups.get(id).cloned() else {
        return Ok(not_found(lang));
    };
    if let Err(e) = change(&mut group) {
        return Ok(refused(lang, &e));
    }
    match put_group(web.store, &c.creditor_id, id, Some(group), now).await {
        Ok(_) => Ok(Reply::see_other("/app/groups")),
        Err(SettingsError::NotFound(_)) => Ok(not_found(lang)),
        Err(SettingsError::Invalid(e)) => Ok(refused(lang, &e)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /app/groups/{id}/name` with `name`: the group renamed; its id, and so its customers, stay.
pub async fn rename_group(
    web: Web<'_>,
    session: &Session,
    id: &str,
    csrf: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    change_group(web, session, id, csrf, now, |group| {
        check_group_title(name)?;
        group.name = name.trim().to_string();
        Ok(())
    })
    .await
}

/// `POST /app/groups/{id}/attach` with `attach` `first`, `every`, `never`, or empty to follow the
/// creditor's choice: when the group's reminders carry the invoice itself.
pub async fn set_group_attach(
    web: Web<'_>,
    session: &Session,
    id: &str,
    csrf: &str,
    attach: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    change_group(web, session, id, csrf, now, |group| {
        group.attach_invoice = match attach.trim() {
            "" => None,
            code => Some(
                AttachInvoice::parse(code)
                    .ok_or_else(|| PolicyError::new("attach_invoice", "invalid-attach-invoice"))?,
            ),
        };
        Ok(())
    })
    .await
}

/// `POST /app/groups/{id}` with `enabled=on|off`.
pub async fn switch_group(
    web: Web<'_>,
    session: &Session,
    id: &str,
    csrf: &str,
    enabled: bool,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    change_group(web, session, id, csrf, now, |group| {
        group.enabled = enabled;
        Ok(())
    })
    .await
}

/// `POST /app/groups/{id}/statement` with `business_day` 1 to 10, or empty for no monthly statement.
pub async fn set_group_statement(
    web: Web<'_>,
    session: &Session,
    id: &str,
    csrf: &str,
    business_day: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    change_group(web, session, id, csrf, now, |group| {
        group.statement = match business_day.trim() {
            "" => None,
            day => Some(duly_core::planner::monthly::MonthlyStatement {
                business_day: day
                    .parse::<u8>()
                    .map_err(|_| PolicyError::new("statement.business_day", "invalid-whole-number"))?,
            }),
        };
        Ok(())
    })
    .await
}
