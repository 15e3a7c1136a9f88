//! Who signs in for the creditor: invite a colleague by e-mail, remove one.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::web::{normalise_email, Session};

use super::{checked, creditor};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// The page, with a note on what went wrong answered with `status`.
pub async fn team(web: Web<'_>, session: &Session, note: Option<String>, status: u16) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let members = web.store.members(&c.creditor_id).await?;
    let html = render(
        "team",
        lang,
        Some(&session.csrf),
        json!({
            "title": say(lang, "web-team-title", &FluentArgs::new()),
            "nav": "team",
            "members": members,
            "you": session.email,
            "note": note,
            "no_address": session.email.is_empty(),
        }),
    );
    Ok(Reply::page(status, html))
}

/// `POST /app/team`: `email` may sign in from now on, and is told so by e-mail.
pub async fn invite(web: Web<'_>, session: &Session, csrf: &str, email: &str) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let none = FluentArgs::new();
    let Some(email) = normalise_email(email) else {
        return team(web, session, Some(say(lang, "web-sign-in-bad-email", &none)), 422).await;
    };
    if !web.store.put_member(&c.creditor_id, &email).await? {
        return team(web, session, Some(say(lang, "web-team-taken", &none)), 409).await;
    }
    if let Some(notifier) = web.notifier {
        let mut args = FluentArgs::new();
        args.set("creditor", c.branding.trading_name.clone());
        args.set("link", format!("{}/app/sign-in", web.app_url.trim_end_matches('/')));
        let subject = say(lang, "web-team-mail-subject", &args);
        let text = say(lang, "web-team-mail-body", &args);
        if let Err(e) = notifier.send(&email, &subject, &text).await {
            tracing::warn!(error = %e, "could not send an invitation");
        }
    }
    Ok(Reply::see_other("/app/team"))
}

/// `POST /app/team/remove`: `email` signs in no more; a session of theirs ends at its next request.
pub async fn remove(web: Web<'_>, session: &Session, csrf: &str, email: &str) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let Some(email) = normalise_email(email) else {
        return Ok(super::not_found(lang));
    };
    match web.store.remove_member(&c.creditor_id, &email).await? {
        true => Ok(Reply::see_other("/app/team")),
        false => Ok(super::not_found(lang)),
    }
}
