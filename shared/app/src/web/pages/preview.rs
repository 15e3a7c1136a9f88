//! Previews of every message the creditor sends, in every language: subject, the text version, the SMS
//! with its segment count, and the e-mail as it looks (`/app/preview/email`, a page of its own).

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::locale::Language;
use duly_core::messages::preview::{preview as render_preview, PreviewInput};
use duly_core::web::{form_field, Session};

use super::{checked, creditor, not_found};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// The creditor's steps that send a message (a call step sends none), by id.
fn message_steps(c: &duly_core::model::Creditor) -> Vec<String> {
    c.policy
        .steps
        .iter()
        .filter(|s| !s.call)
        .map(|s| s.id.clone())
        .collect()
}

/// What a preview link names: a language and one of the creditor's message steps (or `thanks`, or the
/// monthly `statement`).
fn input(language: &str, step: &str, steps: &[String]) -> Option<PreviewInput> {
    let language = Language::parse(language).filter(|l| l.code() == language)?;
    let (step, tone) = match step {
        "thanks" | "statement" => (None, Some(step.to_string())),
        s if steps.iter().any(|id| id == s) => (Some(s.to_string()), None),
        _ => return None,
    };
    Some(PreviewInput {
        language,
        step,
        tone,
        debtor_name: None,
        invoices: None,
    })
}

pub async fn preview(
    web: Web<'_>,
    session: &Session,
    language: &str,
    step: &str,
    sent: bool,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let steps = message_steps(&c);
    let language = if language.is_empty() { lang.code() } else { language };
    let step = match step {
        "" => steps.first().map_or("thanks", String::as_str),
        s => s,
    };
    let Some(wanted) = input(language, step, &steps) else {
        return Ok(not_found(lang));
    };
    let shown = match render_preview(&web.store.rate_book(&wanted.currencies()).await?, &c, &wanted, now) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "a preview did not render");
            return Ok(not_found(lang));
        }
    };
    let mut args = FluentArgs::new();
    args.set("segments", shown.sms_segments);
    let mut to = FluentArgs::new();
    to.set("email", session.email.clone());
    let html = render(
        "preview",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-preview-title", &FluentArgs::new()),
            "nav": "preview",
            "languages": crate::web::view::language_choices(lang),
            // Each step by what it is (when, and in which tone), not by its id.
            "steps": c
                .policy
                .steps
                .iter()
                .filter(|s| !s.call)
                .map(|s| json!({"id": s.id, "label": duly_core::policy::step_words::step_label(lang, s)}))
                .chain(["thanks", "statement"].map(|k| json!({"id": k, "label": say(lang, &format!("web-preview-{k}"), &FluentArgs::new())})))
                .collect::<Vec<_>>(),
            "language": language,
            "step": step,
            "subject": shown.subject,
            "text": shown.text,
            "sms": shown.sms,
            "segments": say(lang, "web-preview-segments", &args),
            "sent": sent.then(|| say(lang, "web-preview-sent", &to)),
            "can_send": !session.email.is_empty() && web.notifier.is_some(),
        }),
    );
    Ok(Reply::page(200, html))
}

/// `GET /app/preview/email`: the e-mail's HTML as the debtor's mail client gets it.
pub async fn preview_email(
    web: Web<'_>,
    session: &Session,
    language: &str,
    step: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let steps = message_steps(&c);
    let Some(wanted) = input(language, step, &steps) else {
        return Ok(not_found(lang));
    };
    match render_preview(&web.store.rate_book(&wanted.currencies()).await?, &c, &wanted, now) {
        Ok(p) => Ok(Reply::email(p.html)),
        Err(_) => Ok(not_found(lang)),
    }
}

/// `POST /app/preview/send`: the previewed e-mail (`language`, `step`) sent to the signed-in member's own
/// address from Duly's, as the customer would get it, its subject marked as a preview; a bounded number an
/// hour to any address.
pub async fn send_preview(
    web: Web<'_>,
    session: &Session,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    let steps = message_steps(&c);
    let (Some(wanted), Some(notifier)) = (input(field("language"), field("step"), &steps), web.notifier) else {
        return Ok(not_found(lang));
    };
    if session.email.is_empty() {
        return Ok(Reply::page(
            422,
            crate::web::view::in_app::problem(lang, 422, "web-team-add-yourself"),
        ));
    }
    if !web
        .store
        .take_mail_turn_to(&session.email, crate::notify::MAILS_TO_AN_ADDRESS_PER_HOUR, now)
        .await?
    {
        return Ok(Reply::page(
            429,
            crate::web::view::in_app::problem(lang, 429, "web-preview-too-many"),
        ));
    }
    let Ok(shown) = render_preview(&web.store.rate_book(&wanted.currencies()).await?, &c, &wanted, now) else {
        return Ok(not_found(lang));
    };
    let mut args = FluentArgs::new();
    args.set("subject", shown.subject.clone());
    let subject = say(lang, "web-preview-mail-subject", &args);
    let mail = duly_adapters::outbound::Email {
        sender_name: &c.branding.sender_name,
        from_address: notifier.from,
        reply_to: &c.branding.reply_to,
        to: &session.email,
        cc: &[],
        subject: &subject,
        html: &shown.html,
        text: &shown.text,
        headers: &[],
        track_opens: false,
        attachments: &[],
    };
    if let Err(e) = web.outbound.send_email(&mail).await {
        tracing::warn!(error = %e, "could not send a preview");
        return Ok(Reply::page(
            503,
            crate::web::view::in_app::problem(lang, 503, "web-unavailable"),
        ));
    }
    crate::settings::preview_sent(web.store, &c.creditor_id, now).await?;
    let back: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("language", wanted.language.code())
        .append_pair("step", field("step"))
        .append_pair("sent", "1")
        .finish();
    Ok(Reply::see_other(format!("/app/preview?{back}")))
}
