//! Signing in with a link mailed to a member's address, and signing out.
//!
//! The answer to "send me a link" is the same whether the address is a member or not, so the form tells
//! nobody who uses Duly. Opening the link shows a button (mail scanners open links); only pressing it
//! uses the link up and starts a session.

use chrono::{DateTime, Duration, Utc};
use fluent_bundle::FluentArgs;

use duly_adapters::store::SignInLink;
use duly_core::messages::locale::Language;
use duly_core::web::{normalise_email, Session, SIGN_IN_LINK_MINUTES};

use super::view::{say, SignInView};
use super::{Reply, Web, WebError};

/// `GET /app/sign-in`.
pub fn form(lang: Language, note: Option<String>) -> Reply {
    Reply::page(200, SignInView::ask(lang, note).render())
}

/// `POST /app/sign-in`: mails a link to a member's address.
pub async fn request_link(web: Web<'_>, lang: Language, email: &str, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let Some(email) = normalise_email(email) else {
        return Ok(Reply::page(
            422,
            SignInView::ask(lang, Some(say(lang, "web-sign-in-bad-email", &FluentArgs::new()))).render(),
        ));
    };
    if let (Some(creditor_id), Some(notifier)) = (web.store.member(&email).await?, web.notifier) {
        let token = Session::link_token();
        let link = SignInLink {
            creditor_id,
            email: email.clone(),
        };
        web.store
            .put_sign_in_link(
                &Session::key(&token),
                &link,
                now + Duration::minutes(SIGN_IN_LINK_MINUTES),
            )
            .await?;
        let mut args = FluentArgs::new();
        args.set(
            "link",
            format!("{}/app/sign-in/{token}", web.app_url.trim_end_matches('/')),
        );
        let subject = say(lang, "web-sign-in-mail-subject", &args);
        let text = say(lang, "web-sign-in-mail-body", &args);
        if let Err(e) = notifier.send(&email, &subject, &text).await {
            tracing::warn!(error = %e, "could not send a sign-in link");
        }
    }
    let mut args = FluentArgs::new();
    args.set("email", email);
    Ok(Reply::page(
        200,
        SignInView::sent(lang, say(lang, "web-sign-in-sent", &args)).render(),
    ))
}

/// A one-time link into the app for someone a platform has just vouched for (they consented for the
/// creditor's organisation), valid for [`SIGN_IN_LINK_MINUTES`]. It names no address: they add theirs in
/// the app to sign in again by e-mail.
pub async fn platform_link(
    store: &duly_adapters::store::Store,
    app_url: &str,
    creditor_id: duly_core::model::ids::CreditorId,
    now: DateTime<Utc>,
) -> Result<String, duly_adapters::store::StoreError> {
    let token = Session::link_token();
    let link = SignInLink {
        creditor_id,
        email: String::new(),
    };
    store
        .put_sign_in_link(
            &Session::key(&token),
            &link,
            now + Duration::minutes(SIGN_IN_LINK_MINUTES),
        )
        .await?;
    Ok(format!("{}/app/sign-in/{token}", app_url.trim_end_matches('/')))
}

/// `GET /app/sign-in/{token}`: a button that finishes signing in; nothing is used up yet.
pub fn confirm(lang: Language) -> Reply {
    Reply::page(200, SignInView::confirm(lang).render())
}

/// `POST /app/sign-in/{token}`: uses the link up and starts a session.
pub async fn finish(web: Web<'_>, lang: Language, token: &str, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let link = match Session::well_formed(token) {
        true => web.store.take_sign_in_link(&Session::key(token), now).await?,
        false => None,
    };
    let Some(link) = link else {
        return Ok(Reply::page(
            400,
            SignInView::ask(lang, Some(say(lang, "web-sign-in-expired", &FluentArgs::new()))).render(),
        ));
    };
    // Still a member? An address removed since the link was sent signs nobody in. A link a platform's
    // consent earned names no address.
    if !link.email.is_empty() && web.store.member(&link.email).await?.as_ref() != Some(&link.creditor_id) {
        return Ok(Reply::page(
            400,
            SignInView::ask(lang, Some(say(lang, "web-sign-in-expired", &FluentArgs::new()))).render(),
        ));
    }
    start_session(web, link, now).await
}

/// A session for a member, and the cookie that carries it.
pub async fn start_session(web: Web<'_>, link: SignInLink, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (token, session) = Session::start(link.creditor_id, link.email, now);
    web.store.put_session(&Session::key(&token), &session).await?;
    Ok(Reply::see_other("/app/today").with_cookie(Session::cookie(&token, now, session.valid_until)))
}

/// `POST /app/sign-out`.
pub async fn sign_out(web: Web<'_>, session_key: &str) -> Result<Reply, WebError> {
    web.store.delete_session(session_key).await?;
    Ok(Reply::see_other("/app/sign-in").with_cookie(Session::cleared_cookie()))
}
