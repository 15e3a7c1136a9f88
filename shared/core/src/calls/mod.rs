//! Call steps: when a step of the schedule is a call, the creditor gets a task to phone the debtor
//! instead of a message going out. The task says whom to call, at which local hours, about what, and
//! what to say; the outcome the creditor records feeds the plan as the debtor's own answer would.

use chrono::{DateTime, Days, NaiveDate, Utc};
use fluent_bundle::FluentArgs;
use serde::{Deserialize, Serialize};

use crate::locale::wording;
use crate::locale::{format_amounts, format_date, format_money, Language};
use crate::messages::render::{ReminderLine, RenderError};
use crate::model::ids::{DebtorId, InvoiceId};
use crate::model::{Dispute, InvoiceControls, Promise};
use crate::policy::PolicyError;

/// How far ahead a promise taken on the phone may be, as on the debtor's own answer page.
pub use crate::model::DEBTOR_PROMISE_MAX_DAYS as PROMISE_MAX_DAYS;

/// Longest reason kept for a dispute noted on a call.
const MAX_REASON_CHARS: usize = 1000;

/// A call the creditor is asked to make: one per debtor and local day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallTask {
    pub debtor_id: DebtorId,
    /// The debtor's local day the step fell due.
    pub day: NaiveDate,
    /// The invoices whose call step is due.
    pub invoices: Vec<InvoiceId>,
    /// Their step keys.
    pub steps: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl CallTask {
    /// The task's name in URLs: its day and debtor.
    pub fn id(&self) -> String {
        format!("{}.{}", self.day, self.debtor_id)
    }

    /// The day and debtor a task's name stands for.
    pub fn parse_id(id: &str) -> Option<(NaiveDate, DebtorId)> {
        let (day, debtor) = id.split_once('.')?;
        Some((day.parse().ok()?, DebtorId::parse(debtor.to_string()).ok()?))
    }
}

/// How a call went, as the creditor records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Spoke to them; nothing agreed. The schedule goes on.
    Reached,
    /// They promised to pay by this date: reminders wait until then, as for a promise on the answer page.
    Promised(NaiveDate),
    /// They dispute the invoices: reminders stop until the creditor resolves it.
    Disputed(String),
    /// Nobody answered. The schedule goes on.
    NoAnswer,
}

fn invalid(field: &str, id: &'static str) -> PolicyError {
    PolicyError::new(field, id)
}

impl Outcome {
    /// Reads a posted outcome: `reached`, `promised` with a `date` from `today` to 90 days ahead,
    /// `disputed` with a `reason`, or `no_answer`.
    pub fn parse(
        kind: &str,
        date: Option<&str>,
        reason: Option<&str>,
        today: NaiveDate,
    ) -> Result<Outcome, PolicyError> {
        match kind.trim() {
            "reached" => Ok(Outcome::Reached),
            "no_answer" => Ok(Outcome::NoAnswer),
            "promised" => {
                let last = today + Days::new(PROMISE_MAX_DAYS);
                date.and_then(|d| d.trim().parse::<NaiveDate>().ok())
                    .filter(|d| *d >= today && *d <= last)
                    .map(Outcome::Promised)
                    .ok_or_else(|| invalid("date", "invalid-date-ahead").with("days", PROMISE_MAX_DAYS as i64))
            }
            "disputed" => {
                let reason: String = reason.unwrap_or("").trim().chars().take(MAX_REASON_CHARS).collect();
                if reason.is_empty() || reason.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
                    return Err(invalid("reason", "invalid-dispute-reason"));
                }
                Ok(Outcome::Disputed(reason))
            }
            _ => Err(invalid("outcome", "invalid-outcome")),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::Promised(_) => "promised",
            Outcome::Disputed(_) => "disputed",
            Outcome::NoAnswer => "no_answer",
        }
    }

    /// What it changes on each invoice the call was about, as the debtor's answer would; `false`: nothing.
    pub fn apply(&self, controls: &mut InvoiceControls, now: DateTime<Utc>) -> bool {
        match self {
            Outcome::Promised(date) => {
                controls.promise = Some(Promise { date: *date, at: now });
                true
            }
            Outcome::Disputed(reason) => {
                controls.dispute = Some(Dispute {
                    reason: reason.clone(),
                    at: now,
                });
                true
            }
            Outcome::Reached | Outcome::NoAnswer => false,
        }
    }

    /// The outcome in words for the record of answers and the audit trail.
    pub fn detail(&self) -> String {
        match self {
            Outcome::Reached => "reached on the phone; nothing agreed".into(),
            Outcome::Promised(date) => format!("promised on the phone to pay by {date}"),
            Outcome::Disputed(reason) => format!("disputes it on the phone: {reason}"),
            Outcome::NoAnswer => "no answer on the phone".into(),
        }
    }
}

/// What to say on the call, in the creditor's language, about the invoices listed (oldest due first).
pub fn script(
    lang: Language,
    creditor: &str,
    debtor: &str,
    lines: &[ReminderLine],
) -> Result<Vec<String>, RenderError> {
    let mut args = FluentArgs::new();
    args.set("creditor", creditor.to_string());
    args.set("debtor", debtor.to_string());
    let what = match lines {
        [one] => {
            let mut a = FluentArgs::new();
            a.set("number", one.number.clone());
            a.set("amount", format_money(lang, &one.amount_due));
            wording(lang, "what-single", &a)?
        }
        _ => {
            let amounts: Vec<_> = lines.iter().map(|l| l.amount_due).collect();
            let mut a = FluentArgs::new();
            a.set("count", lines.len());
            a.set(
                "amount",
                format_amounts(lang, &crate::model::money::per_currency(&amounts)),
            );
            wording(lang, "what-several", &a)?
        }
    };
    args.set("what", what);
    if let Some(first) = lines.first() {
        args.set("due", format_date(lang, first.due_date));
    }
    [
        "call-script-open",
        "call-script-ask",
        "call-script-offer",
        "call-script-close",
    ]
    .iter()
    .map(|id| wording(lang, id, &args).map_err(RenderError::from))
    .collect()
}

#[cfg(test)]
mod tests;
