//! The schedule editor: the creditor's default steps, sending window, gaps and minimums, saved through the
//! same flow as `PUT /v1/policy` (validated, then every open invoice replanned).

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::policy::PolicyError;
use duly_core::web::schedule::{cadence, keep_wording, policy_from_form, PolicyForm, TONES};
use duly_core::web::Session;

use super::{checked, creditor};
use crate::settings::{put_policy, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

fn page(
    web: Web<'_>,
    c: &duly_core::model::Creditor,
    lang: duly_core::messages::locale::Language,
    session: &Session,
    form: &PolicyForm,
    error: Option<&PolicyError>,
    saved: bool,
) -> String {
    let none = FluentArgs::new();
    // The saved steps on a timeline, in the creditor's words (what is on the form may not be saved yet).
    let cadence = cadence(&c.policy.steps);
    let marks: Vec<_> = cadence
        .marks
        .iter()
        .map(|m| {
            let channels: Vec<String> = [(m.email, "email"), (m.sms, "sms")]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, ch)| say(lang, &format!("report-channel-{ch}"), &none))
                .chain(m.call.then(|| say(lang, "web-schedule-step-call", &none)))
                .collect();
            json!({
                "id": m.id,
                "call": m.call,
                "at": m.at,
                "tone": m.tone,
                "tone_text": say(lang, &format!("web-tone-{}", m.tone), &none),
                "when": crate::web::view::offset_text(lang, m.days, m.business),
                "channels": channels.join(" + "),
            })
        })
        .collect();
    let tones: Vec<(&str, String)> = TONES
        .iter()
        .map(|(name, _)| (*name, say(lang, &format!("web-tone-{name}"), &FluentArgs::new())))
        .collect();
    render(
        "schedule",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-schedule-title", &FluentArgs::new()),
            "nav": "schedule",
            "form": form,
            "saved": saved.then(|| say(lang, "web-saved", &none)),
            "email_label": say(lang, "report-channel-email", &none),
            "sms_label": say(lang, "report-channel-sms", &none),
            "tones": tones,
            "error": error.map(|e| json!({"field": e.field, "reason": e.reason})),
            // The step row a `steps[i]…` error is about, shown next to it.
            "cadence": {"marks": marks, "due_at": cadence.due_at},
            "existing": form.steps.iter().filter(|s| !s.id.is_empty()).count(),
            "wrong_step": error.and_then(|e| e.field.strip_prefix("steps[")?.split(']').next()?.parse::<usize>().ok()),
        }),
    )
}

/// `GET /app/schedule?saved=`.
pub async fn schedule(web: Web<'_>, session: &Session, saved: bool) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let html = page(web, &c, lang, session, &PolicyForm::of(&c.policy), None, saved);
    Ok(Reply::page(200, html))
}

/// `POST /app/schedule`: saves the policy, or shows the form again with the field that is wrong.
pub async fn save_schedule(
    web: Web<'_>,
    session: &Session,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let csrf = fields.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let refused = |policy_form: &PolicyForm, e: &PolicyError| {
        Ok(Reply::page(
            422,
            page(web, &c, lang, session, policy_form, Some(e), false),
        ))
    };
    let policy = match policy_from_form(fields) {
        Ok(mut p) => {
            keep_wording(&mut p.steps, &c.policy.steps);
            p
        }
        Err(e) => return refused(&PolicyForm::of(&c.policy), &e),
    };
    match put_policy(web.store, &c.creditor_id, policy.clone(), now).await {
        Ok(_) => Ok(Reply::see_other("/app/schedule?saved=1")),
        Err(SettingsError::Invalid(e)) => refused(&PolicyForm::of(&policy), &e),
        Err(e) => Err(e.into()),
    }
}
