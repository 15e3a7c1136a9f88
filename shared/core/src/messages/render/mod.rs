//! The words and markup of a message.
//!
//! Wording comes from Project Fluent resources, one per language (`shared/i18n/*.ftl`), with each
//! language's plural rules; amounts and dates are formatted for the debtor's locale ([`crate::locale`]).
//! Markup comes from minijinja templates (`shared/templates/`), sandboxed and strict: a missing variable is an
//! error, never an empty string, and the HTML template escapes everything it prints. A creditor may replace
//! any template per language; [`validate_override`] refuses one that does not render, with line and reason.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::locale::Language;
pub use crate::locale::{labels, wording, wording_or_id, WordingError};
use crate::model::money::Money;
use crate::model::Branding;
use crate::policy::Tone;

mod view;
use view::view;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Wording(#[from] WordingError),
    #[error("template {name} failed at line {line}: {reason}")]
    Template { name: String, line: usize, reason: String },
}

/// What a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Reminder(Tone),
    /// Sent once a reminded debtor has paid everything.
    Thanks,
    /// The monthly statement of account: every open invoice, and what was paid since the last one.
    Statement,
}

/// One message, ready for SES and SNS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMessage {
    pub subject: String,
    pub html: String,
    pub text: String,
    pub sms: String,
    /// A pre-due nudge the debtor may unsubscribe from (`List-Unsubscribe` applies).
    pub optional: bool,
}

/// An invoice line as a message shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderLine {
    pub number: String,
    pub amount_due: Money,
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    pub pay_url: Option<String>,
    /// The creditor's settlement offer still open: this much in total by this date settles the invoice.
    pub settlement: Option<(Money, NaiveDate)>,
}

/// Where the debtor can answer; signed links made by the sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerLinks {
    pub paid: String,
    pub promise: String,
    pub dispute: String,
    pub unsubscribe: Option<String>,
    /// A page listing every open invoice of the debtor, for statements too long to list in full.
    pub statement: Option<String>,
}

/// Everything a message says. With several lines it is an account statement.
#[derive(Debug, Clone)]
pub struct MessageInput<'a> {
    pub branding: &'a Branding,
    pub debtor_name: &'a str,
    pub kind: Kind,
    pub language: Language,
    pub lines: &'a [ReminderLine],
    /// For a suspension warning: the day service would stop.
    pub suspend_on: Option<NaiveDate>,
    pub links: Option<&'a AnswerLinks>,
    /// A short pay link for the SMS.
    pub sms_link: Option<&'a str>,
    /// The creditor's own templates, keyed `{language}/{template}`.
    pub overrides: &'a BTreeMap<String, String>,
    /// Late-payment interest and compensation, shown apart from the amount due.
    pub charges: Option<&'a crate::interest::charges::Charges>,
    /// For a statement of account: the invoices paid since the last one.
    pub paid_since: &'a [ReminderLine],
    /// The creditor's own opening words for the step, checked when saved (see
    /// [`crate::policy::wording`]); Duly's first paragraph when `None`.
    pub opening: Option<&'a str>,
}

const HTML: &str = "email.html";
const TEXT: &str = "email.txt";
const SMS: &str = "sms";
/// The templates a creditor may replace.
pub const TEMPLATE_NAMES: [&str; 3] = [HTML, TEXT, SMS];

/// Duly's own source of a template a creditor may replace: what their own starts from.
pub fn shipped_template(name: &str) -> Option<&'static str> {
    match name {
        HTML => Some(include_str!("../../../templates/email.html.j2")),
        TEXT => Some(include_str!("../../../templates/email.txt.j2")),
        SMS => Some(include_str!("../../../templates/sms.txt.j2")),
        _ => None,
    }
}

/// The shipped templates, compiled once per process: most creditors never override them, and compiling
/// them was most of a render's time.
fn shipped_environment() -> &'static Environment<'static> {
    static SHIPPED: OnceLock<Environment<'static>> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        environment_with(|name| shipped_template(name).expect("a shipped template").to_string())
            .expect("the shipped templates compile")
    })
}

fn environment(
    overrides: &BTreeMap<String, String>,
    lang: Language,
) -> Result<Cow<'static, Environment<'static>>, RenderError> {
    let key = |name: &str| format!("{}/{name}", lang.code());
    if !TEMPLATE_NAMES.iter().any(|name| overrides.contains_key(&key(name))) {
        return Ok(Cow::Borrowed(shipped_environment()));
    }
    environment_with(|name| {
        overrides
            .get(&key(name))
            .cloned()
            .unwrap_or_else(|| shipped_template(name).expect("a shipped template").to_string())
    })
    .map(Cow::Owned)
}

/// The work one template may do for one message: instructions executed and data made (about 64 bytes a
/// unit). The shipped templates need under 20,000 for a 150-invoice statement; a creditor's loop
/// that would run for seconds stops here in milliseconds.
pub const TEMPLATE_FUEL: u64 = 400_000;

/// The most invoices one message lists; the rest are summed up in one line with a link to the debtor's
/// statement page. A hundred rows is already more than anyone reads, and the message must stay small.
pub const MAX_LISTED_LINES: usize = 25;

/// The largest e-mail (HTML and text together) a message may render to: well inside what a claimed
/// message's outbox may hold in DynamoDB.
pub const MAX_RENDERED_BYTES: usize = 256 * 1024;

fn environment_with(source: impl Fn(&str) -> String) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.set_fuel(Some(TEMPLATE_FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_filter("url", url_attribute);
    env.set_auto_escape_callback(|name| {
        if name == HTML {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    for name in TEMPLATE_NAMES {
        env.add_template_owned(name.to_string(), source(name))
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

fn template_error(name: &str, e: &minijinja::Error) -> RenderError {
    let reason = if e.kind() == minijinja::ErrorKind::OutOfFuel {
        "the template does too much work for one message (a loop too large?)".to_string()
    } else {
        e.detail().map(str::to_string).unwrap_or_else(|| e.kind().to_string())
    };
    RenderError::Template {
        name: name.to_string(),
        line: e.line().unwrap_or(0),
        reason,
    }
}

/// A URL for an `href` or `src` attribute. The default HTML escaping also encodes `/`, which is valid but
/// leaves links unreadable in the source some mail clients show; this escapes only what HTML needs.
fn url_attribute(url: String) -> minijinja::Value {
    let escaped = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    minijinja::Value::from_safe_string(escaped)
}

/// A friendly note before anything is due: the debtor may decline these.
fn is_optional(input: &MessageInput<'_>) -> bool {
    matches!(input.kind, Kind::Reminder(Tone::Friendly)) && input.lines.iter().all(|l| l.days_overdue < 0)
}

pub fn render(input: &MessageInput<'_>) -> Result<RenderedMessage, RenderError> {
    let view = view(input)?;
    let env = environment(input.overrides, input.language)?;
    let render = |name: &str| {
        env.get_template(name)
            .and_then(|t| t.render(minijinja::value::Serde(&view)))
            .map_err(|e| template_error(name, &e))
    };
    let optional = is_optional(input);
    let (html, text) = (render(HTML)?, render(TEXT)?);
    if html.len() + text.len() > MAX_RENDERED_BYTES {
        let name = if html.len() >= text.len() { HTML } else { TEXT };
        return Err(RenderError::Template {
            name: name.to_string(),
            line: 0,
            reason: format!(
                "the message would be too much text: over {} KiB",
                MAX_RENDERED_BYTES / 1024
            ),
        });
    }
    Ok(RenderedMessage {
        subject: view.subject.clone(),
        html,
        text,
        sms: render(SMS)?.trim().to_string(),
        optional,
    })
}

/// A sample of everything a message can contain, for previews and for checking creditors' templates.
pub fn sample_lines() -> Vec<ReminderLine> {
    let eur = crate::model::money::Currency::parse("EUR").expect("EUR is known");
    let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).expect("valid date");
    vec![
        ReminderLine {
            number: "INV-1001".into(),
            amount_due: Money {
                minor: 125_000,
                currency: eur,
            },
            due_date: day(1),
            days_overdue: 9,
            pay_url: Some("https://pay.example/i/1001".into()),
            settlement: None,
        },
        ReminderLine {
            number: "INV-1005".into(),
            amount_due: Money {
                minor: 32_000,
                currency: eur,
            },
            due_date: day(9),
            days_overdue: 1,
            pay_url: None,
            settlement: None,
        },
    ]
}

/// Checks a creditor's template for one language before it is saved: it must parse and render every kind of
/// message, single and statement, with and without answer links. The error names the line and the reason.
pub fn validate_override(branding: &Branding, lang: Language, name: &str, source: &str) -> Result<(), RenderError> {
    if shipped_template(name).is_none() {
        return Err(RenderError::Template {
            name: name.to_string(),
            line: 0,
            reason: format!("no such template; use one of {}", TEMPLATE_NAMES.join(", ")),
        });
    }
    let overrides = BTreeMap::from([(format!("{}/{name}", lang.code()), source.to_string())]);
    let lines = sample_lines();
    let links = AnswerLinks {
        paid: "https://duly.example/a/paid".into(),
        promise: "https://duly.example/a/promise".into(),
        dispute: "https://duly.example/a/dispute".into(),
        unsubscribe: Some("https://duly.example/a/unsubscribe".into()),
        statement: Some("https://duly.example/a/statement".into()),
    };
    let kinds = [
        Kind::Reminder(Tone::Friendly),
        Kind::Reminder(Tone::Firm),
        Kind::Reminder(Tone::FinalNotice),
        Kind::Reminder(Tone::SuspensionWarning),
        Kind::Thanks,
        Kind::Statement,
    ];
    for kind in kinds {
        for (count, with_links) in [(1, true), (2, false)] {
            render(&MessageInput {
                branding,
                debtor_name: "Sample Customer",
                kind,
                language: lang,
                lines: &lines[..count],
                suspend_on: NaiveDate::from_ymd_opt(2027, 1, 15),
                links: with_links.then_some(&links),
                sms_link: Some("https://duly.example/p/abc"),
                overrides: &overrides,
                charges: None,
                paid_since: &[],
                opening: None,
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
