//! The calls the schedule asks for: whom to phone, at which of their hours, about what, what to say, and a
//! form to note how it went.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::web::{form_field, Session};

use super::{checked, creditor, not_found};
use crate::settings::{calls as open_calls, record_call, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

pub async fn calls(web: Web<'_>, session: &Session, saved: bool, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let list = open_calls(web.store, &c.creditor_id, now).await?;
    let html = render(
        "calls",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-calls-title", &FluentArgs::new()),
            "nav": "calls",
            "calls": list,
            "saved": saved.then(|| say(lang, "web-calls-saved", &FluentArgs::new())),
        }),
    );
    Ok(Reply::page(200, html))
}

/// `POST /app/calls/{id}`: the outcome, through the same rules as `POST /v1/calls/{id}/outcome`.
pub async fn record(
    web: Web<'_>,
    session: &Session,
    id: &str,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    let given = |name: &str| Some(field(name)).filter(|v| !v.trim().is_empty());
    match record_call(
        web.store,
        &c.creditor_id,
        id,
        field("outcome"),
        given("date"),
        given("reason"),
        now,
    )
    .await
    {
        Ok(_) => Ok(Reply::see_other("/app/calls?saved=1")),
        Err(SettingsError::NotFound(_)) => Ok(not_found(lang)),
        Err(SettingsError::Invalid(e)) => Ok(Reply::page(
            422,
            crate::web::view::in_app::problem_text(lang, 422, &duly_core::web::refused::refusal_words(lang, &e)),
        )),
        Err(e) => Err(e.into()),
    }
}
