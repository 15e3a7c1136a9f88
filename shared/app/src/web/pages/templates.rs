//! The creditor's own templates: Duly's wording to start from, checked on save through the same rules as
//! `PUT /v1/templates/{language}/{name}`, a refusal shown at its line with the lines around it.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::locale::Language;
use duly_core::messages::render::{shipped_template, TEMPLATE_NAMES};
use duly_core::settings::{template_problem, TemplateProblem};
use duly_core::web::{form_field, Session};

use super::{checked, creditor, not_found};
use crate::settings::{put_template, SettingsError};
use crate::web::view::{language_name, render, say};
use crate::web::{Reply, Web, WebError};

/// A language and template name as the page's links and forms carry them; the creditor's language and
/// the HTML e-mail when left out.
fn chosen(lang: Language, language: &str, name: &str) -> Option<(Language, &'static str)> {
    let language = match language {
        "" => lang,
        code => Language::from_code(code)?,
    };
    let name = match name {
        "" => TEMPLATE_NAMES[0],
        n => TEMPLATE_NAMES.into_iter().find(|t| *t == n)?,
    };
    Some((language, name))
}

/// What the editor shows: the source (the creditor's, or Duly's), and a refusal at its line.
struct Editor<'a> {
    language: Language,
    name: &'static str,
    source: &'a str,
    problem: Option<TemplateProblem>,
}

async fn page(
    web: Web<'_>,
    session: &Session,
    editor: Option<Editor<'_>>,
    wanted: (Language, &'static str),
    status: u16,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let (language, name) = editor.as_ref().map_or(wanted, |e| (e.language, e.name));
    let key = format!("{}/{name}", language.code());
    let custom = c.templates.contains_key(&key);
    let source = match &editor {
        Some(e) => e.source,
        None => c
            .templates
            .get(&key)
            .map(String::as_str)
            .or_else(|| shipped_template(name))
            .unwrap_or(""),
    };
    let problem = editor.as_ref().and_then(|e| e.problem.as_ref()).map(|p| {
        let mut args = FluentArgs::new();
        args.set("line", p.line);
        args.set("reason", p.reason.clone());
        json!({
            "message": say(lang, "web-templates-line", &args),
            "excerpt": p.excerpt(source).into_iter().map(|(n, text, bad)| json!({"n": n, "text": text, "bad": bad})).collect::<Vec<_>>(),
        })
    });
    let yours: Vec<serde_json::Value> = c
        .templates
        .keys()
        .filter_map(|k| k.split_once('/'))
        .map(|(l, n)| {
            let shown = Language::from_code(l).map_or_else(|| l.to_string(), |l| language_name(lang, l));
            json!({"language": l, "name": n, "shown": format!("{shown}: {}", template_name(lang, n))})
        })
        .collect();
    let html = render(
        "templates",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-templates-title", &FluentArgs::new()),
            "nav": "templates",
            "languages": crate::web::view::language_choices(lang),
            "names": TEMPLATE_NAMES.iter().map(|n| json!({"code": n, "name": template_name(lang, n)})).collect::<Vec<_>>(),
            "language": language.code(),
            "name": name,
            "name_shown": template_name(lang, name),
            "source": source,
            "custom": custom,
            "problem": problem,
            "yours": yours,
        }),
    );
    Ok(Reply::page(status, html))
}

/// `GET /app/templates?language=&name=`.
pub async fn templates(web: Web<'_>, session: &Session, language: &str, name: &str) -> Result<Reply, WebError> {
    let (_, lang) = creditor(web, session).await?;
    match chosen(lang, language, name) {
        Some(wanted) => page(web, session, None, wanted, 200).await,
        None => Ok(not_found(lang)),
    }
}

/// `POST /app/templates`: `action=save` checks and stores the source; `action=reset` goes back to Duly's.
pub async fn change_template(web: Web<'_>, session: &Session, fields: &[(String, String)]) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    let Some((language, name)) = chosen(lang, field("language"), field("name")) else {
        return Ok(not_found(lang));
    };
    let back = format!("/app/templates?language={}&name={name}", language.code());
    if field("action") == "reset" {
        return match put_template(web.store, &c.creditor_id, language, name, None).await {
            Ok(()) | Err(SettingsError::NotFound(_)) => Ok(Reply::see_other(back)),
            Err(e) => Err(e.into()),
        };
    }
    // Browsers send a textarea's lines with CRLF; templates are kept with LF.
    let source = field("source").replace("\r\n", "\n");
    if let Some(problem) = template_problem(&c.branding, language, name, &source) {
        let editor = Editor {
            language,
            name,
            source: &source,
            problem: Some(problem),
        };
        return page(web, session, Some(editor), (language, name), 422).await;
    }
    match put_template(web.store, &c.creditor_id, language, name, Some(source)).await {
        Ok(()) => Ok(Reply::see_other(back)),
        Err(e) => Err(e.into()),
    }
}

/// A template's name in `lang`: "E-mail (plain text)" for `email.txt`.
fn template_name(lang: Language, name: &str) -> String {
    say(
        lang,
        &format!("web-template-{}", name.replace('.', "-")),
        &FluentArgs::new(),
    )
}
