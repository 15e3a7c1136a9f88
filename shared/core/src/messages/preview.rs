//! Any message rendered exactly as the scheduler would, without sending it: for the creditor to see what
//! a step, a tone or their own template looks like in each language.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::interest::charges::{charges, Overdue};
use crate::messages::render::{render, sample_lines, AnswerLinks, Kind, MessageInput, ReminderLine};
use crate::model::Creditor;
use crate::policy::{PolicyError, Tone};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    #[error("no such step")]
    UnknownStep,
    #[error("{0}")]
    Invalid(#[from] PolicyError),
}

fn invalid(field: &str, id: &'static str) -> PreviewError {
    PreviewError::Invalid(PolicyError::new(field, id))
}

fn invalid_with(
    field: &str,
    id: &'static str,
    name: &'static str,
    value: impl Into<crate::policy::refusal::Arg>,
) -> PreviewError {
    PreviewError::Invalid(PolicyError::new(field, id).with(name, value))
}

/// A preview request: any step or tone, any language, a sample or given debtor and invoices.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewInput {
    pub language: crate::locale::Language,
    /// A step of the creditor's policy; its tone is used, and the sample is overdue as it would be.
    #[serde(default)]
    pub step: Option<String>,
    /// Or a tone directly; `thanks` previews the thank-you message, `statement` the monthly statement.
    #[serde(default)]
    pub tone: Option<String>,
    #[serde(default)]
    pub debtor_name: Option<String>,
    /// Several lines make an account statement.
    #[serde(default)]
    pub invoices: Option<Vec<PreviewLine>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewLine {
    pub number: String,
    pub amount_due: String,
    pub currency: String,
    pub due_date: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub subject: String,
    pub html: String,
    pub text: String,
    pub sms: String,
    pub sms_segments: u32,
    pub sms_encoding: &'static str,
    /// Whether the message is an optional pre-due nudge (it carries List-Unsubscribe).
    pub optional: bool,
}

/// Renders a message exactly as the scheduler would, without sending anything.
impl PreviewInput {
    /// The currencies of the invoices given, whose rates of exchange a preview's compensation may need.
    pub fn currencies(&self) -> Vec<&str> {
        self.invoices
            .iter()
            .flatten()
            .map(|l| l.currency.as_str())
            .take(50)
            .collect()
    }
}

pub fn preview(
    book: &crate::interest::rates::RateBook,
    creditor: &Creditor,
    input: &PreviewInput,
    now: DateTime<Utc>,
) -> Result<Preview, PreviewError> {
    let today = now.with_timezone(&creditor.time_zone).date_naive();
    let mut opening: Option<&str> = None;
    let (kind, overdue) = match (&input.step, input.tone.as_deref()) {
        (Some(id), _) => {
            let step = creditor
                .policy
                .steps
                .iter()
                .chain(creditor.groups.values().flat_map(|g| g.steps.iter().flatten()))
                .find(|s| &s.id == id)
                .ok_or(PreviewError::UnknownStep)?;
            if step.call {
                return Err(invalid("step", "invalid-preview-call"));
            }
            opening = step.wording.get(input.language.code()).map(String::as_str);
            (Kind::Reminder(step.tone), i64::from(step.offset.days()))
        }
        (None, Some("thanks")) => (Kind::Thanks, 0),
        (None, Some("statement")) => (Kind::Statement, 10),
        (None, Some(tone)) => {
            let tone: Tone = serde_json::from_value(serde_json::Value::String(tone.to_string())).map_err(|_| {
                invalid_with(
                    "tone",
                    "invalid-one-of",
                    "values",
                    "friendly, firm, final_notice, suspension_warning, thanks, statement",
                )
            })?;
            (Kind::Reminder(tone), if tone == Tone::Friendly { -3 } else { 10 })
        }
        (None, None) => return Err(invalid("step", "invalid-preview-step")),
    };
    let lines: Vec<ReminderLine> = match &input.invoices {
        None => sample_lines()
            .into_iter()
            .map(|mut l| {
                l.days_overdue += overdue - 9;
                l.due_date = today - chrono::Days::new(u64::try_from(l.days_overdue.max(0)).unwrap_or(0));
                l
            })
            .collect(),
        Some(given) if given.is_empty() || given.len() > 50 => {
            return Err(PreviewError::Invalid(
                PolicyError::new("invoices", "invalid-invoices-between")
                    .with("min", 1_i64)
                    .with("max", 50_i64),
            ));
        }
        Some(given) => given
            .iter()
            .map(|g| {
                let currency = crate::model::money::Currency::parse(&g.currency)
                    .map_err(|_| invalid("currency", "invalid-currency"))?;
                Ok(ReminderLine {
                    number: g.number.chars().take(64).collect(),
                    amount_due: currency
                        .parse_amount(&g.amount_due)
                        .map_err(|_| invalid("amount_due", "invalid-amount"))?,
                    due_date: g.due_date,
                    days_overdue: (today - g.due_date).num_days(),
                    pay_url: Some("https://pay.example/i/preview".into()),
                    settlement: None,
                })
            })
            .collect::<Result<_, PreviewError>>()?,
    };
    let links = AnswerLinks {
        paid: "https://answers.example/a/preview".into(),
        promise: "https://answers.example/a/preview".into(),
        dispute: "https://answers.example/a/preview".into(),
        unsubscribe: Some("https://answers.example/a/preview".into()),
        statement: Some("https://answers.example/a/preview".into()),
    };
    let name = input.debtor_name.clone().unwrap_or_else(|| "Sample Customer OÜ".into());
    // The charges as the creditor's settings would add them, on the lines as they stand.
    let overdue: Vec<Overdue> = lines
        .iter()
        .map(|l| Overdue {
            number: l.number.clone(),
            principal: l.amount_due,
            due: l.due_date,
            balance: l.amount_due,
            balance_since: l.due_date.and_time(chrono::NaiveTime::MIN).and_utc(),
            history: Vec::new(),
        })
        .collect();
    let charges = charges(book, &creditor.late_charges, &creditor.country, None, &overdue, today);
    let message = render(&MessageInput {
        branding: &creditor.branding,
        debtor_name: &name,
        kind,
        language: input.language,
        lines: &lines,
        suspend_on: Some(today + chrono::Days::new(14)),
        links: Some(&links),
        sms_link: Some("https://answers.example/p/Ab3dE9xQ0z"),
        overrides: &creditor.templates,
        charges: charges.as_ref(),
        paid_since: &[],
        opening,
    })
    .map_err(|e| invalid_with("template", "invalid-template", "detail", e.to_string()))?;
    let segments = crate::messages::sms::count_segments(&message.sms);
    Ok(Preview {
        sms_segments: segments.segments,
        sms_encoding: match segments.encoding {
            crate::messages::sms::Encoding::Gsm7 => "gsm-7",
            crate::messages::sms::Encoding::Ucs2 => "ucs-2",
        },
        subject: message.subject,
        html: message.html,
        text: message.text,
        sms: message.sms,
        optional: message.optional,
    })
}
