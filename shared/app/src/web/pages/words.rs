//! A step's own words: the opening paragraph of its e-mails in one language, in plain text with
//! placeholders, saved through the schedule's rules (checked, then every open invoice replanned).

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::locale::Language;
use duly_core::policy::step_words::step_label;
use duly_core::policy::wording::{MAX_WORDING_CHARS, PLACEHOLDERS};
use duly_core::web::{form_field, Session};

use super::{creditor, not_found};
use crate::settings::{put_group, put_policy, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// The language a form names, written exactly as Duly writes its code.
fn language_of(code: &str, otherwise: Language) -> Option<Language> {
    match code {
        "" => Some(otherwise),
        code => Language::from_code(code),
    }
}

/// Which step: its id, and the group whose own steps hold it (none: the company's).
#[derive(Clone, Copy)]
pub struct StepOf<'a> {
    pub step: &'a str,
    pub group: &'a str,
}

impl StepOf<'_> {
    /// The steps that hold it, when they exist.
    fn steps<'c>(&self, c: &'c duly_core::model::Creditor) -> Option<&'c [duly_core::policy::Step]> {
        match self.group {
            "" => Some(&c.policy.steps),
            g => c.groups.get(g)?.steps.as_deref(),
        }
    }

    /// Its page's address, in `language`.
    fn href(&self, language: Language) -> String {
        let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let group = match self.group {
            "" => String::new(),
            g => format!("&group={}", enc(g)),
        };
        format!(
            "/app/schedule/words?step={}{group}&language={}",
            enc(self.step),
            language.code()
        )
    }
}

/// `GET /app/schedule/words?step=&group=&language=&saved=`.
pub async fn words(
    web: Web<'_>,
    session: &Session,
    of: StepOf<'_>,
    language: &str,
    saved: bool,
) -> Result<Reply, WebError> {
    page(web, session, of, language, None, saved, 200).await
}

async fn page(
    web: Web<'_>,
    session: &Session,
    of: StepOf<'_>,
    language: &str,
    refused: Option<(String, String)>,
    saved: bool,
    status: u16,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let (Some(found), Some(language)) = (
        of.steps(&c)
            .and_then(|steps| steps.iter().find(|s| s.id == of.step && !s.call)),
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
            "group": of.group,
            "step_name": step_label(lang, found),
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
    let of = StepOf {
        step: field("step"),
        group: field("group"),
    };
    let Some(language) = language_of(field("language"), lang) else {
        return Ok(not_found(lang));
    };
    let Some(mut steps) = of.steps(&c).map(<[_]>::to_vec) else {
        return Ok(not_found(lang));
    };
    let Some(found) = steps.iter_mut().find(|s| s.id == of.step && !s.call) else {
        return Ok(not_found(lang));
    };
    let text = field("text").replace("\r\n", "\n");
    match field("action") {
        "reset" => {
            found.wording.remove(language.code());
        }
        _ => {
            if let Err(refusal) = duly_core::policy::wording::check(&text) {
                let reason = duly_core::policy::refusal::say(lang, &refusal.reason());
                return page(web, session, of, language.code(), Some((text, reason)), false, 422).await;
            }
            found
                .wording
                .insert(language.code().to_string(), text.trim().to_string());
        }
    }
    let saved = match of.group {
        "" => {
            let policy = duly_core::policy::Policy {
                steps,
                ..c.policy.clone()
            };
            put_policy(web.store, &c.creditor_id, policy, now).await
        }
        name => match c.groups.get(name).cloned() {
            Some(mut group) => {
                group.steps = Some(steps);
                put_group(web.store, &c.creditor_id, name, Some(group), now).await
            }
            None => return Ok(not_found(lang)),
        },
    };
    match saved {
        Ok(_) => Ok(Reply::see_other(format!("{}&saved=1", of.href(language)))),
        Err(SettingsError::Invalid(e)) => {
            page(
                web,
                session,
                of,
                language.code(),
                Some((text, duly_core::policy::refusal::say(lang, &e.reason))),
                false,
                422,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
