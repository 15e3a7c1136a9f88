//! Accepting an invitation: the mailed link shows who invited the address to which company, and only
//! pressing "Accept" makes the address a member and signs it in. Until then the address is nobody's, so
//! an invitation cannot pre-claim a person (their own sign-up, e-mail sign-in and platform sign-in stay
//! theirs), and the creditor's members hear of every member added.

use chrono::{DateTime, Duration, Utc};
use fluent_bundle::FluentArgs;

use duly_adapters::store::{Invitation, SignInLink};
use duly_core::locale::Language;
use duly_core::web::Session;

use super::sign_in::start_session;
use super::view::{say, SignInView};
use super::{Reply, Web, WebError};

/// How long an invitation's link works.
pub const INVITATION_DAYS: i64 = 7;

/// The page for an invitation that is used up, expired, or never was.
fn gone(lang: Language) -> Reply {
    Reply::page(
        400,
        SignInView::ask(lang, Some(say(lang, "web-invitation-gone", &FluentArgs::new()))).render(),
    )
}

/// What an invitation says, in words: who invited which address to which company.
async fn described(web: Web<'_>, lang: Language, invitation: &Invitation) -> Result<(String, String), WebError> {
    let creditor = web
        .store
        .get_creditor(&invitation.creditor_id)
        .await?
        .map(|c| c.branding.trading_name)
        .unwrap_or_default();
    let mut args = FluentArgs::new();
    args.set("inviter", inviter_name(invitation, &creditor));
    args.set("email", invitation.email.clone());
    args.set("creditor", creditor.clone());
    Ok((say(lang, "web-invitation-ask", &args), creditor))
}

fn inviter_name(invitation: &Invitation, creditor: &str) -> String {
    match invitation.inviter.is_empty() {
        true => creditor.to_string(),
        false => invitation.inviter.clone(),
    }
}

/// Stores an invitation for `invitation.email` and mails its link; `false` when it could not be mailed.
pub async fn send(
    web: Web<'_>,
    lang: Language,
    invitation: &Invitation,
    creditor_name: &str,
    now: DateTime<Utc>,
) -> Result<bool, WebError> {
    let Some(notifier) = web.notifier else {
        return Ok(false);
    };
    let token = Session::link_token();
    web.store
        .put_invitation(&Session::key(&token), invitation, now + Duration::days(INVITATION_DAYS))
        .await?;
    let mut args = FluentArgs::new();
    args.set("inviter", inviter_name(invitation, creditor_name));
    args.set("creditor", creditor_name.to_string());
    args.set(
        "link",
        format!("{}/app/invitation/{token}", web.app_url.trim_end_matches('/')),
    );
    let subject = say(lang, "web-team-mail-subject", &args);
    let text = say(lang, "web-team-mail-body", &args);
    if let Err(e) = notifier.send(lang, &invitation.email, &subject, &text).await {
        tracing::warn!(error = %e, "could not send an invitation");
        return Ok(false);
    }
    Ok(true)
}

/// `GET /app/invitation/{token}`: who invited whom to which company; nothing is used up.
pub async fn show(web: Web<'_>, lang: Language, token: &str, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let invitation = match Session::well_formed(token) {
        true => web.store.peek_invitation(&Session::key(token), now).await?,
        false => None,
    };
    let Some(invitation) = invitation else {
        return Ok(gone(lang));
    };
    let (text, _) = described(web, lang, &invitation).await?;
    Ok(Reply::page(200, SignInView::invitation(lang, text).render()))
}

/// `POST /app/invitation/{token}`: the address becomes a member and is signed in; the other members are
/// told. An address that signs in for another company meanwhile is refused, and nothing changes.
pub async fn accept(web: Web<'_>, lang: Language, token: &str, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let invitation = match Session::well_formed(token) {
        true => web.store.take_invitation(&Session::key(token), now).await?,
        false => None,
    };
    let Some(invitation) = invitation else {
        return Ok(gone(lang));
    };
    let others = web.store.members(&invitation.creditor_id).await?;
    if !web
        .store
        .put_member_as(&invitation.creditor_id, &invitation.email, invitation.role)
        .await?
    {
        let none = FluentArgs::new();
        return Ok(Reply::page(
            409,
            SignInView::ask(lang, Some(say(lang, "web-team-taken", &none))).render(),
        ));
    }
    tell_members(web, &invitation, &others, now).await?;
    let link = SignInLink {
        creditor_id: invitation.creditor_id,
        email: invitation.email,
        sign_up: None,
        browser: None,
    };
    start_session(web, link, now).await
}

/// Mails every member there was before that `invitation`'s address has joined.
async fn tell_members(
    web: Web<'_>,
    invitation: &Invitation,
    members: &[String],
    now: DateTime<Utc>,
) -> Result<(), WebError> {
    let Some(notifier) = web.notifier else { return Ok(()) };
    let Some(creditor) = web.store.get_creditor(&invitation.creditor_id).await? else {
        return Ok(());
    };
    let lang = Language::of_creditor(&creditor);
    let mut args = FluentArgs::new();
    args.set("email", invitation.email.clone());
    args.set("inviter", inviter_name(invitation, &creditor.branding.trading_name));
    args.set("creditor", creditor.branding.trading_name.clone());
    args.set("link", format!("{}/app/team", web.app_url.trim_end_matches('/')));
    let subject = say(lang, "web-team-added-subject", &args);
    let text = say(lang, "web-team-added-body", &args);
    for member in members.iter().filter(|m| **m != invitation.email) {
        if !web
            .store
            .take_mail_turn_to(member, crate::notify::MAILS_TO_AN_ADDRESS_PER_HOUR, now)
            .await?
        {
            continue;
        }
        if let Err(e) = notifier.send(lang, member, &subject, &text).await {
            tracing::warn!(error = %e, "could not tell a member of a new member");
        }
    }
    Ok(())
}
