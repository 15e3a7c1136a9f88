//! Signing in with a link mailed to a member's address, and signing out.
//!
//! The answer to "send me a link" is the same whether the address is a member or not, so the form tells
//! nobody who uses Duly. Opening the link shows a button (mail scanners open links); only pressing it
//! uses the link up and starts a session.

use chrono::{DateTime, Duration, Utc};
use fluent_bundle::FluentArgs;

use duly_adapters::store::SignInLink;
use duly_core::calendar::zones::country_code;
use duly_core::locale::Language;
use duly_core::model::ids::CreditorId;
use duly_core::platforms::onboarding::{new_creditor, Organisation};
use duly_core::web::{normalise_email, Session, SIGN_IN_LINK_MINUTES};

use super::view::{say, SignInView};
use super::{Reply, Web, WebError};

/// `GET /app/sign-in`: an address to mail a link to, and the platforms to sign in with.
pub fn form(web: Web<'_>, lang: Language, note: Option<String>) -> Reply {
    Reply::page(
        200,
        SignInView::ask(lang, note).offering(&web.identities.offered()).render(),
    )
}

/// Stores a one-time link for `link`, valid for [`SIGN_IN_LINK_MINUTES`]; its address in the app.
async fn issue_link(
    store: &duly_adapters::store::Store,
    app_url: &str,
    link: &SignInLink,
    now: DateTime<Utc>,
) -> Result<String, duly_adapters::store::StoreError> {
    let token = Session::link_token();
    store
        .put_sign_in_link(
            &Session::key(&token),
            link,
            now + Duration::minutes(SIGN_IN_LINK_MINUTES),
        )
        .await?;
    Ok(format!("{}/app/sign-in/{token}", app_url.trim_end_matches('/')))
}

/// Mails `link` to its address; a failed send is logged, and the page says the same either way.
async fn mail_link(
    web: Web<'_>,
    notifier: crate::notify::Notifier<'_>,
    lang: Language,
    link: &SignInLink,
    now: DateTime<Utc>,
) -> Result<(), WebError> {
    let mut args = FluentArgs::new();
    args.set("link", issue_link(web.store, web.app_url, link, now).await?);
    let subject = say(lang, "web-sign-in-mail-subject", &args);
    let text = say(lang, "web-sign-in-mail-body", &args);
    if let Err(e) = notifier.send(lang, &link.email, &subject, &text).await {
        tracing::warn!(error = %e, "could not send a sign-in link");
    }
    Ok(())
}

/// The page for a link that is used up, expired, or no longer anyone's.
fn link_gone(lang: Language) -> Reply {
    Reply::page(
        400,
        SignInView::ask(lang, Some(say(lang, "web-sign-in-expired", &FluentArgs::new()))).render(),
    )
}

/// The page that says a link is on its way, whatever became of it.
fn link_sent(lang: Language, email: String) -> Reply {
    let mut args = FluentArgs::new();
    args.set("email", email);
    Reply::page(
        200,
        SignInView::sent(lang, say(lang, "web-sign-in-sent", &args)).render(),
    )
}

/// `POST /app/sign-in`: mails a link to a member's address.
pub async fn request_link(web: Web<'_>, lang: Language, email: &str, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let Some(email) = normalise_email(email) else {
        return Ok(Reply::page(
            422,
            SignInView::ask(lang, Some(say(lang, "web-sign-in-bad-email", &FluentArgs::new()))).render(),
        ));
    };
    let (browser, cookie) = duly_core::web::pre_session();
    // The same turn is taken for any address, member or not, so the work done tells nobody who is one.
    let turn = web
        .store
        .take_mail_turn_to(&email, crate::notify::MAILS_TO_AN_ADDRESS_PER_HOUR, now)
        .await?;
    let member = web.store.member(&email).await?.filter(|_| turn);
    if let (Some(creditor_id), Some(notifier)) = (member, web.notifier) {
        let link = SignInLink {
            creditor_id,
            email: email.clone(),
            sign_up: None,
            browser: Some(duly_core::web::pre_session_fingerprint(&browser)),
        };
        mail_link(web, notifier, lang, &link, now).await?;
    }
    // The cookie whether or not a link went out: the answer tells nobody who is a member.
    Ok(link_sent(lang, email).with_cookie(cookie))
}

/// A one-time link into the app for someone a platform has just vouched for, valid for
/// [`SIGN_IN_LINK_MINUTES`]: a member whose address the platform vouches for, or (with an empty `email`)
/// whoever just signed a new creditor up, until the creditor has a member.
pub async fn platform_link(
    store: &duly_adapters::store::Store,
    app_url: &str,
    creditor_id: duly_core::model::ids::CreditorId,
    email: String,
    now: DateTime<Utc>,
) -> Result<String, duly_adapters::store::StoreError> {
    let link = SignInLink {
        creditor_id,
        email,
        sign_up: None,
        browser: None,
    };
    issue_link(store, app_url, &link, now).await
}

/// `GET /app/sign-up`.
pub fn sign_up_form(lang: Language, note: Option<String>, status: u16) -> Reply {
    Reply::page(status, SignInView::sign_up(lang, note).render())
}

/// `POST /app/sign-up`: mails a link that makes the creditor when it is used, so an address nobody
/// confirmed makes nothing. The answer is the sign-in page's, whether or not the address uses Duly.
pub async fn request_sign_up(
    web: Web<'_>,
    lang: Language,
    email: &str,
    company: &str,
    country: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let none = FluentArgs::new();
    let company: String = company.trim().chars().filter(|c| !c.is_control()).take(121).collect();
    let (Some(email), Some(country)) = (normalise_email(email), country_code(country)) else {
        return Ok(sign_up_form(lang, Some(say(lang, "web-sign-up-invalid", &none)), 422));
    };
    if company.is_empty() || company.chars().count() > 120 {
        return Ok(sign_up_form(lang, Some(say(lang, "web-sign-up-invalid", &none)), 422));
    }
    // Someone who uses Duly already gets a sign-in link instead.
    if web.store.member(&email).await?.is_some() {
        return request_link(web, lang, &email, now).await;
    }
    let allowed = web
        .store
        .may_mail_sign_up(&email, now, now + Duration::minutes(SIGN_IN_LINK_MINUTES))
        .await?
        && web
            .store
            .take_mail_turn_to(&email, crate::notify::MAILS_TO_AN_ADDRESS_PER_HOUR, now)
            .await?;
    let (browser, cookie) = duly_core::web::pre_session();
    if let (true, Some(notifier)) = (allowed, web.notifier) {
        let id = CreditorId::parse(format!("signup-{}", &Session::link_token()[..20])).expect("a well-formed id");
        let link = SignInLink {
            creditor_id: id,
            email: email.clone(),
            sign_up: Some((company, country)),
            browser: Some(duly_core::web::pre_session_fingerprint(&browser)),
        };
        mail_link(web, notifier, lang, &link, now).await?;
    }
    Ok(link_sent(lang, email).with_cookie(cookie))
}

/// The creditor a used sign-up link asked for: named as the form said, in its country's zone and
/// language, reminders off until they set a sender; the address becomes its first member.
async fn sign_up(web: Web<'_>, link: &SignInLink, name: &str, country: &str) -> Result<bool, WebError> {
    let organisation = Organisation {
        name: name.to_string(),
        legal_name: None,
        country: Some(country.to_string()),
        time_zone: None,
        currency: None,
        registration_number: None,
        tax_number: None,
        address: None,
        email: Some(link.email.clone()),
    };
    // The creditor first: a member never points at a creditor that is not there.
    if web.store.get_creditor(&link.creditor_id).await?.is_none() {
        web.store
            .put_creditor(&new_creditor(link.creditor_id.clone(), &organisation))
            .await?;
    }
    Ok(web.store.put_member(&link.creditor_id, &link.email).await?)
}

/// Whose account a link opens, as its page names it: the company and the address.
async fn whose(web: Web<'_>, link: &SignInLink) -> Result<(String, String), WebError> {
    let company = match &link.sign_up {
        Some((name, _)) => name.clone(),
        None => web
            .store
            .get_creditor(&link.creditor_id)
            .await?
            .map(|c| c.branding.trading_name)
            .unwrap_or_default(),
    };
    Ok((company, link.email.clone()))
}

/// The page of a link: whose account it opens, and a button; in a browser other than the one that asked
/// for the link, also a box to tick that says the visitor asked for it. Nothing is used up yet.
async fn confirm_page(
    web: Web<'_>,
    lang: Language,
    link: &SignInLink,
    cookies: &str,
    status: u16,
) -> Result<Reply, WebError> {
    let (company, email) = whose(web, link).await?;
    let other_browser = !duly_core::web::same_browser(cookies, link.browser.as_deref());
    Ok(Reply::page(
        status,
        SignInView::confirm(lang, &company, &email, other_browser).render(),
    ))
}

/// `GET /app/sign-in/{token}`: the link's page; nothing is used up yet (mail scanners open links).
pub async fn confirm(
    web: Web<'_>,
    lang: Language,
    token: &str,
    cookies: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let link = match Session::well_formed(token) {
        true => web.store.peek_sign_in_link(&Session::key(token), now).await?,
        false => None,
    };
    match link {
        Some(link) => confirm_page(web, lang, &link, cookies, 200).await,
        None => Ok(link_gone(lang)),
    }
}

/// `POST /app/sign-in/{token}`: uses the link up and starts a session. In a browser other than the one
/// that asked for the link, only once the visitor has confirmed whose account they are opening.
pub async fn finish(
    web: Web<'_>,
    lang: Language,
    token: &str,
    cookies: &str,
    confirmed: bool,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let peeked = match Session::well_formed(token) {
        true => web.store.peek_sign_in_link(&Session::key(token), now).await?,
        false => None,
    };
    let Some(peeked) = peeked else {
        return Ok(link_gone(lang));
    };
    if !confirmed && !duly_core::web::same_browser(cookies, peeked.browser.as_deref()) {
        return confirm_page(web, lang, &peeked, cookies, 409).await;
    }
    let Some(link) = web.store.take_sign_in_link(&Session::key(token), now).await? else {
        return Ok(link_gone(lang));
    };
    if let Some((name, country)) = link.sign_up.clone() {
        if !sign_up(web, &link, &name, &country).await? {
            // The address signed up elsewhere since the link was mailed.
            return Ok(link_gone(lang));
        }
        return start_session(web, link, now).await;
    }
    // Still a member? An address removed since the link was sent signs nobody in. A link a platform's
    // consent earned names no address.
    if !link.email.is_empty() && web.store.member(&link.email).await?.as_ref() != Some(&link.creditor_id) {
        return Ok(link_gone(lang));
    }
    start_session(web, link, now).await
}

/// A session for a member, and the cookie that carries it.
pub async fn start_session(web: Web<'_>, link: SignInLink, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (token, session) = Session::start(link.creditor_id, link.email, now);
    web.store.put_session(&Session::key(&token), &session).await?;
    Ok(Reply::see_other("/app/today").with_cookie(Session::cookie(&token, now, session.valid_until)))
}

/// `POST /app/sign-out-everywhere`: ends every session of the signed-in member, on every device.
pub async fn sign_out_everywhere(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    web.store.end_sessions_of(&session.creditor_id, &session.email).await?;
    Ok(Reply::see_other("/app/sign-in").with_cookie(Session::cleared_cookie()))
}

/// `POST /app/sign-out`.
pub async fn sign_out(web: Web<'_>, session_key: &str) -> Result<Reply, WebError> {
    web.store.delete_session(session_key).await?;
    Ok(Reply::see_other("/app/sign-in").with_cookie(Session::cleared_cookie()))
}
