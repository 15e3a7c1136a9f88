//! The schedule editor: the creditor's default steps, sending window, gaps and minimums, saved through the
//! same flow as `PUT /v1/policy` (validated, then every open invoice replanned).

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::policy::PolicyError;
use duly_core::web::schedule::{cadence, keep_wording, policy_from_form, steps_from_form, PolicyForm, TONES};
use duly_core::web::Session;

use super::{checked, creditor};
use crate::settings::{put_group, put_policy, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Where on the form a refused field is, in the member's words: a step by its number and when it goes,
/// a setting by its label; never the field's path.
fn where_wrong(lang: duly_core::locale::Language, field: &str) -> String {
    duly_core::web::refused::field_words(lang, field)
        .unwrap_or_else(|| say(lang, "web-schedule-steps", &FluentArgs::new()))
}

/// Whose schedule a page shows: the company's, or one group's.
#[derive(Clone, Copy)]
struct Whose<'a> {
    group: Option<&'a str>,
    saved: bool,
}

/// The steps a schedule runs on: a group's own, else the company's; and whether they are the group's own.
fn steps_of<'c>(c: &'c duly_core::model::Creditor, group: Option<&str>) -> (&'c [duly_core::policy::Step], bool) {
    match group.and_then(|g| c.groups.get(g)).and_then(|g| g.steps.as_deref()) {
        Some(own) => (own, true),
        None => (&c.policy.steps, false),
    }
}

fn page(
    web: Web<'_>,
    c: &duly_core::model::Creditor,
    lang: duly_core::locale::Language,
    session: &Session,
    form: &PolicyForm,
    error: Option<&PolicyError>,
    whose: Whose<'_>,
) -> String {
    let none = FluentArgs::new();
    let (steps, own_steps) = steps_of(c, whose.group);
    // The saved steps on a timeline, in the creditor's words (what is on the form may not be saved yet).
    let cadence = cadence(steps);
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
                "name": m.name,
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
            "saved": whose.saved.then(|| say(lang, "web-saved", &none)),
            "group": whose.group,
            "own_steps": own_steps,
            // Every schedule there is, the company's first, each a link to its own editor.
            "schedules": std::iter::once(json!({
                "href": "/app/schedule",
                "name": say(lang, "web-schedule-company", &none),
                "current": whose.group.is_none(),
            }))
            .chain(c.groups.iter().map(|(g, group)| json!({
                "href": format!("/app/schedule?group={}", form_urlencoded::byte_serialize(g.as_bytes()).collect::<String>()),
                "name": group.title(g),
                "current": whose.group == Some(g.as_str()),
            })))
            .collect::<Vec<_>>(),
            "email_label": say(lang, "report-channel-email", &none),
            "sms_label": say(lang, "report-channel-sms", &none),
            "tones": tones,
            "error": error.map(|e| json!({"field": where_wrong(lang, &e.field), "reason": duly_core::policy::refusal::say(lang, &e.reason)})),
            // The step row a `steps[i]…` error is about, shown next to it.
            "cadence": {"marks": marks, "due_at": cadence.due_at},
            "existing": form.steps.iter().filter(|s| !s.id.is_empty()).count(),
            "wrong_step": error.and_then(|e| e.field.strip_prefix("steps[")?.split(']').next()?.parse::<usize>().ok()),
            "countries": country_rules(lang),
        }),
    )
}

/// Each country's rules in `lang`, each with how binding it is and a link to its source.
fn country_rules(lang: duly_core::locale::Language) -> Vec<serde_json::Value> {
    use duly_core::planner::words::{kind_words, pack_words};
    duly_core::country_rules::countries()
        .map(|(code, pack)| {
            let rules: Vec<_> = pack_words(lang, pack)
                .into_iter()
                .map(|(text, source)| {
                    json!({
                        "text": text,
                        "kind": source.map(|s| kind_words(lang, s.kind)),
                        "title": source.map(|s| s.title.as_str()),
                        "url": source.map(|s| s.url.as_str()),
                    })
                })
                .collect();
            json!({"name": duly_core::calendar::names::country_name(lang, code), "rules": rules})
        })
        .collect()
}

/// The form for `group`'s steps (the company's as the starting point while it has none of its own), or
/// for the company's whole schedule.
fn form_of(c: &duly_core::model::Creditor, group: Option<&str>) -> PolicyForm {
    form_with(c, steps_of(c, group).0)
}

/// The company's form with `steps` in place of its own.
fn form_with(c: &duly_core::model::Creditor, steps: &[duly_core::policy::Step]) -> PolicyForm {
    PolicyForm::of(&duly_core::policy::Policy {
        steps: steps.to_vec(),
        ..c.policy.clone()
    })
}

/// `GET /app/schedule?group=&saved=`.
pub async fn schedule(web: Web<'_>, session: &Session, group: &str, saved: bool) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let group = (!group.is_empty()).then_some(group);
    if group.is_some_and(|g| !c.groups.contains_key(g)) {
        return Ok(super::not_found(lang));
    }
    let html = page(
        web,
        &c,
        lang,
        session,
        &form_of(&c, group),
        None,
        Whose { group, saved },
    );
    Ok(Reply::page(200, html))
}

/// `POST /app/schedule`: saves the company's schedule, or with `group` that group's steps (`action=inherit`:
/// the group follows the company's again); or shows the form again with the field that is wrong.
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
    let group = duly_core::web::form_field(fields, "group");
    if !group.is_empty() {
        return save_group(web, session, &c, lang, group, fields, now).await;
    }
    let whose = Whose {
        group: None,
        saved: false,
    };
    let refused = |policy_form: &PolicyForm, e: &PolicyError| {
        Ok(Reply::page(
            422,
            page(web, &c, lang, session, policy_form, Some(e), whose),
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

/// A group's steps saved through the groups' rules (checked, then every open invoice replanned).
async fn save_group(
    web: Web<'_>,
    session: &Session,
    c: &duly_core::model::Creditor,
    lang: duly_core::locale::Language,
    name: &str,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let Some(mut group) = c.groups.get(name).cloned() else {
        return Ok(super::not_found(lang));
    };
    let whose = Whose {
        group: Some(name),
        saved: false,
    };
    let refused =
        |form: &PolicyForm, e: &PolicyError| Ok(Reply::page(422, page(web, c, lang, session, form, Some(e), whose)));
    group.steps = match duly_core::web::form_field(fields, "action") {
        "inherit" => None,
        _ => match steps_from_form(fields) {
            Ok(mut steps) => {
                keep_wording(&mut steps, steps_of(c, Some(name)).0);
                Some(steps)
            }
            Err(e) => return refused(&form_of(c, Some(name)), &e),
        },
    };
    let tried = form_with(c, group.steps.as_deref().unwrap_or(&c.policy.steps));
    match put_group(web.store, &c.creditor_id, name, Some(group), now).await {
        Ok(_) => {
            let name: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
            Ok(Reply::see_other(format!("/app/schedule?group={name}&saved=1")))
        }
        Err(SettingsError::Invalid(e)) => refused(&tried, &e),
        Err(e) => Err(e.into()),
    }
}
