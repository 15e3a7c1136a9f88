//! A step's own words: the opening paragraph of its e-mails in one language, in plain text with
//! placeholders, saved through the schedule's rules (checked, then every open invoice replanned).

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::messages::locale::Language;
use duly_core::policy::wording::{MAX_WORDING_CHARS, PLACEHOLDERS};
use duly_core::web::step_words::step_words;
use duly_core::web::{form_field, Session};

use super::{creditor, not_found};
use crate::settings::{put_policy, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// The language a form names, written exactly as Duly writes its code.
fn language_of(code: &str, otherwise: Language) -> Option<Language> {
    match code {
        "" => Some(otherwise),
        code => Language::parse(code).filter(|l| l.code() == code),
    }
}

/// `GET /app/schedule/words?step=&language=&saved=`.
pub async fn words(
    web: Web<'_>,
    session: &Session,
    step: &str,
    language: &str,
    saved: bool,
) -> Result<Reply, WebError> {
    page(web, session, step, language, None, saved, 200).await
}

async fn page(
    web: Web<'_>,
    session: &Session,
    step: &str,
    language: &str,
    refused: Option<(String, String)>,
    saved: bool,
    status: u16,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let (Some(found), Some(language)) = (
        c.policy.steps.iter().find(|s| s.id == step && !s.call),
        language_of(language, lang),
    ) else {
        return Ok(not_found(lang));
    };
    let none = FluentArgs::new();
    let mut max = FluentArgs::new();
    max.set("max", MAX_WORDING_CHARS);
    let (text, error) = match refused {
        Some((text, reason)) => (text, Some(reason)),
        None => (found.wording.get(language.code()).cloned().unwrap_or_default(), None),
    };
    let html = render(
        "words",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-words-title", &none),
            "nav": "schedule",
            "step": found.id,
            "step_name": step_words(lang, found),
            "language": language.code(),
            "languages": crate::web::view::language_choices(lang),
            "text": text,
            "own": found.wording.contains_key(language.code()),
            "max": MAX_WORDING_CHARS,
            "help": say(lang, "web-words-help", &max),
            "placeholders": PLACEHOLDERS
                .iter()
                .map(|p| json!({"code": format!("{{{p}}}"), "meaning": say(lang, &format!("web-words-ph-{p}"), &none)}))
                .collect::<Vec<_>>(),
            "error": error,
            "saved": saved.then(|| say(lang, "web-saved", &none)),
        }),
    );
    Ok(Reply::page(status, html))
}

/// `POST /app/schedule/words`: saves the step's words in the language (`action=save`), or goes back to
/// Duly's (`action=reset`).
pub async fn change_words(
    web: Web<'_>,
    session: &Session,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    let (step, language) = (field("step"), field("language"));
    let Some(language) = language_of(language, lang) else {
        return Ok(not_found(lang));
    };
    let mut policy = c.policy.clone();
    let Some(found) = policy.steps.iter_mut().find(|s| s.id == step && !s.call) else {
        return Ok(not_found(lang));
    };
    let text = field("text").replace("\r\n", "\n");
    match field("action") {
        "reset" => {
            found.wording.remove(language.code());
        }
        _ => {
            if let Err(refusal) = duly_core::policy::wording::check(&text) {
                let mut args = FluentArgs::new();
                args.set("max", MAX_WORDING_CHARS);
                args.set("placeholders", PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", "));
                if let duly_core::policy::wording::Refusal::Unknown(name) = &refusal {
                    args.set("name", format!("{{{name}}}"));
                }
                let reason = say(lang, refusal.message_id(), &args);
                return page(web, session, step, language.code(), Some((text, reason)), false, 422).await;
            }
            found
                .wording
                .insert(language.code().to_string(), text.trim().to_string());
        }
    }
    match put_policy(web.store, &c.creditor_id, policy, now).await {
        Ok(_) => Ok(Reply::see_other(format!(
            "/app/schedule/words?step={step}&language={}&saved=1",
            language.code()
        ))),
        Err(SettingsError::Invalid(e)) => {
            page(web, session, step, language.code(), Some((text, e.reason)), false, 422).await
        }
        Err(e) => Err(e.into()),
    }
}
