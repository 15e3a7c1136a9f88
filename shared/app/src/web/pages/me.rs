//! Your own settings: the language you read the app in, whatever the company's.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::locale::Language;
use duly_core::web::{form_field, Session};

use super::creditor;
use crate::web::view::{language_choices, language_name, render, say};
use crate::web::{Reply, Web, WebError};

/// `GET /app/me?saved=`.
pub async fn me(web: Web<'_>, session: &Session, saved: bool) -> Result<Reply, WebError> {
    page(web, session, None, saved, 200).await
}

async fn page(
    web: Web<'_>,
    session: &Session,
    note: Option<String>,
    saved: bool,
    status: u16,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let none = FluentArgs::new();
    let mut company = FluentArgs::new();
    company.set("language", language_name(lang, Language::of_creditor(&c)));
    let html = render(
        "me",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-me-title", &none),
            "nav": "me",
            "note": note,
            "saved": saved.then(|| say(lang, "web-saved", &none)),
            "email": session.email,
            "company_language": say(lang, "web-me-company-language", &company),
            "languages": language_choices(lang),
            "chosen": session.language.map(Language::code),
        }),
    );
    Ok(Reply::page(status, html))
}

/// `POST /app/me`: the language this member reads the app in; empty for the company's.
pub async fn change_me(web: Web<'_>, session: &Session, fields: &[(String, String)]) -> Result<Reply, WebError> {
    let (_, lang) = creditor(web, session).await?;
    let none = FluentArgs::new();
    let language = match form_field(fields, "language") {
        "" => None,
        code => match Language::from_code(code) {
            Some(l) => Some(l),
            None => return page(web, session, Some(say(lang, "web-me-bad-language", &none)), false, 422).await,
        },
    };
    if session.email.is_empty() {
        return page(
            web,
            session,
            Some(say(lang, "web-team-add-yourself", &none)),
            false,
            409,
        )
        .await;
    }
    match web
        .store
        .set_member_language(&session.creditor_id, &session.email, language)
        .await?
    {
        true => Ok(Reply::see_other("/app/me?saved=1")),
        false => Ok(super::not_found(lang)),
    }
}
