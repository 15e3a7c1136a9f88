//! Who signs in for the creditor: invite a colleague by e-mail, remove one.

use fluent_bundle::FluentArgs;
use serde_json::json;

use chrono::{DateTime, Utc};

use duly_adapters::store::Invitation;
use duly_core::web::roles::may_change;
use duly_core::web::{normalise_email, Role, Session};

use super::{checked, creditor};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// The page, with a note on what went wrong answered with `status`.
pub async fn team(web: Web<'_>, session: &Session, note: Option<String>, status: u16) -> Result<Reply, WebError> {
    page(web, session, note, false, status).await
}

/// `GET /app/team?saved=`.
pub async fn team_saved(web: Web<'_>, session: &Session, saved: bool) -> Result<Reply, WebError> {
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
    let members: Vec<_> = web
        .store
        .members_with_roles(&c.creditor_id)
        .await?
        .into_iter()
        .map(|(email, role)| json!({"email": email, "role": role.as_str()}))
        .collect();
    let roles: Vec<_> = Role::ALL
        .iter()
        .map(|r| json!({"value": r.as_str(), "label": say(lang, &format!("web-role-{}", r.as_str()), &FluentArgs::new())}))
        .collect();
    let html = render(
        "team",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-team-title", &FluentArgs::new()),
            "nav": "team",
            "members": members,
            "roles": roles,
            "owner": session.role == Role::Owner,
            "you": session.email,
            "note": note,
            "saved": saved.then(|| say(lang, "web-saved", &FluentArgs::new())),
            "no_address": session.email.is_empty(),
        }),
    );
    Ok(Reply::page(status, html))
}

/// `POST /app/team`: mails `email` an invitation; the address signs in only once it accepts. A creditor
/// sends a bounded number a day, and any one address gets a bounded number an hour.
pub async fn invite(
    web: Web<'_>,
    session: &Session,
    csrf: &str,
    email: &str,
    role: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let none = FluentArgs::new();
    let Some(email) = normalise_email(email) else {
        return team(web, session, Some(say(lang, "web-sign-in-bad-email", &none)), 422).await;
    };
    match web.store.member(&email).await? {
        Some(theirs) if theirs == c.creditor_id => return Ok(Reply::see_other("/app/team")),
        Some(_) => return team(web, session, Some(say(lang, "web-team-taken", &none)), 409).await,
        None => {}
    }
    let turns = web
        .store
        .take_mail_turn_of(&c.creditor_id, "invitations", crate::notify::INVITATIONS_PER_DAY, now)
        .await?
        && web
            .store
            .take_mail_turn_to(&email, crate::notify::MAILS_TO_AN_ADDRESS_PER_HOUR, now)
            .await?;
    if !turns {
        return team(web, session, Some(say(lang, "web-team-too-many", &none)), 429).await;
    }
    let invitation = Invitation {
        creditor_id: c.creditor_id.clone(),
        email: email.clone(),
        inviter: session.email.clone(),
        role: Role::parse(role).unwrap_or(Role::Member),
    };
    crate::web::invitation::send(web, lang, &invitation, &c.branding.trading_name, now).await?;
    let mut args = FluentArgs::new();
    args.set("email", email);
    team(web, session, Some(say(lang, "web-team-invited", &args)), 200).await
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
    let members = web.store.members_with_roles(&c.creditor_id).await?;
    if let Err(refusal) = may_change(&members, &email, None) {
        return team(
            web,
            session,
            Some(say(lang, refusal.message_id(), &FluentArgs::new())),
            409,
        )
        .await;
    }
    match web.store.remove_member(&c.creditor_id, &email).await? {
        true => {
            web.store.end_sessions_of(&c.creditor_id, &email).await?;
            Ok(Reply::see_other("/app/team"))
        }
        false => Ok(super::not_found(lang)),
    }
}

/// `POST /app/team/role`: what `email` may do from their next request on. The account keeps an owner.
pub async fn change_role(web: Web<'_>, session: &Session, email: &str, role: &str) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let (Some(email), Some(role)) = (normalise_email(email), Role::parse(role)) else {
        return team(
            web,
            session,
            Some(say(lang, "web-refused-unknown-role", &FluentArgs::new())),
            422,
        )
        .await;
    };
    let members = web.store.members_with_roles(&c.creditor_id).await?;
    if let Err(refusal) = may_change(&members, &email, Some(role)) {
        return team(
            web,
            session,
            Some(say(lang, refusal.message_id(), &FluentArgs::new())),
            409,
        )
        .await;
    }
    match web.store.set_member_role(&c.creditor_id, &email, role).await? {
        true => Ok(Reply::see_other("/app/team?saved=1")),
        false => Ok(super::not_found(lang)),
    }
}
