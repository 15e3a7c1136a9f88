//! A creditor's reminder policy: which messages go out relative to an invoice's due date, in which tone,
//! on which channels, inside which local hours, and how often one debtor may be contacted at most.

pub mod precedence;
pub mod refusal;
pub mod statement;
pub mod step_words;
pub mod wording;

use std::collections::BTreeMap;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::model::money::Currency;

/// How a message sounds. Never threatening: even the final notice and the suspension warning ask and
/// inform, they do not menace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Friendly,
    Firm,
    FinalNotice,
    /// States the date on which the creditor would suspend service, as a fact.
    SuspensionWarning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
}

/// Where a step sits relative to the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "days", rename_all = "snake_case")]
pub enum Offset {
    CalendarDays(i32),
    BusinessDays(i32),
}

impl Offset {
    pub fn days(&self) -> i32 {
        match self {
            Offset::CalendarDays(d) | Offset::BusinessDays(d) => *d,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable name of the step; part of the key that makes each send happen once.
    pub id: String,
    pub offset: Offset,
    pub tone: Tone,
    pub channels: Vec<Channel>,
    /// A formal written reminder (some countries limit how many may precede a final notice or a fee).
    #[serde(default)]
    pub written: bool,
    /// A call task for the creditor instead of a message: they see it in the app and their digest, with
    /// what to say, and record how the call went. A call step has no channels.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub call: bool,
    /// For a suspension warning: how many days after this message service would stop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend_after_days: Option<u32>,
    /// The creditor's own opening words for this step's e-mails, by language code, in place of Duly's
    /// (see [`wording`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub wording: std::collections::BTreeMap<String, String>,
    /// The creditor's own name for the step ("Second reminder"), shown in the app in place of the name
    /// Duly gives it from when it goes and its tone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Longest name a creditor may give a step, in characters.
pub const MAX_STEP_NAME_CHARS: usize = 60;

/// The local hours in which messages may go out; never before 08:00 or after 20:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendingWindow {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

pub fn earliest_send() -> NaiveTime {
    NaiveTime::from_hms_opt(8, 0, 0).expect("valid time")
}

pub fn latest_send() -> NaiveTime {
    NaiveTime::from_hms_opt(20, 0, 0).expect("valid time")
}

impl SendingWindow {
    /// The window cut to 08:00–20:00; an empty result falls back to the default hours.
    pub fn clamped(self) -> SendingWindow {
        let start = self.start.max(earliest_send());
        let end = self.end.min(latest_send());
        if start < end {
            SendingWindow { start, end }
        } else {
            SendingWindow::default()
        }
    }
}

impl Default for SendingWindow {
    fn default() -> Self {
        SendingWindow {
            start: NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(17, 0, 0).expect("valid time"),
        }
    }
}

fn default_min_gap_hours() -> u32 {
    20
}
fn default_max_per_week() -> u32 {
    3
}
fn default_promise_grace_days() -> u32 {
    3
}
fn default_max_written() -> u32 {
    2
}
fn default_final_notice_grace_days() -> u32 {
    5
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub enabled: bool,
    pub steps: Vec<Step>,
    pub window: SendingWindow,
    /// No two messages to one debtor closer than this.
    #[serde(default = "default_min_gap_hours")]
    pub min_gap_hours: u32,
    /// At most this many messages to one debtor in any seven days.
    #[serde(default = "default_max_per_week")]
    pub max_per_week: u32,
    /// Invoices owing less than this (per currency, in minor units) get no reminders.
    #[serde(default)]
    pub minimum_amounts: BTreeMap<Currency, i64>,
    /// After a promised payment date passes unpaid, reminders resume this many days later.
    #[serde(default = "default_promise_grace_days")]
    pub promise_grace_days: u32,
    /// Written overdue reminders (steps marked `written`) per debtor and per invoice before the final
    /// notice; further written steps are skipped (see [`crate::planner::cadence`]).
    #[serde(default = "default_max_written")]
    pub max_written: u32,
    /// Thank a debtor who was reminded once they have paid everything (at most once a week).
    #[serde(default)]
    pub thank_you: bool,
    /// A final notice carries the formal letter, a PDF for the debtor's country (see
    /// [`crate::messages::letter`]).
    #[serde(default)]
    pub formal_letter: bool,
    /// No final notice (or anything firmer) goes out sooner than this many business days after a dispute
    /// is resolved or a promise ends: the customer who was waiting for a credit note, or who has just
    /// missed a date, hears a reminder first, never a final notice the same afternoon.
    #[serde(default = "default_final_notice_grace_days")]
    pub final_notice_grace_days: u32,
    /// Whether the invoice itself (the platform's PDF) goes with the e-mail; a group may say otherwise.
    #[serde(default)]
    pub attach_invoice: AttachInvoice,
}

/// When a reminder e-mail carries the invoice as the platform prints it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachInvoice {
    /// With the first reminder about the invoice: the one a debtor who lost it needs.
    #[default]
    First,
    /// With every reminder about it.
    Every,
    Never,
}

impl AttachInvoice {
    pub const ALL: [AttachInvoice; 3] = [AttachInvoice::First, AttachInvoice::Every, AttachInvoice::Never];

    pub fn code(self) -> &'static str {
        match self {
            AttachInvoice::First => "first",
            AttachInvoice::Every => "every",
            AttachInvoice::Never => "never",
        }
    }

    pub fn parse(raw: &str) -> Option<AttachInvoice> {
        Self::ALL.into_iter().find(|a| a.code() == raw.trim())
    }

    /// Whether a reminder about an invoice carries it: `reminded_before` is whether an earlier reminder
    /// about that invoice went out.
    pub fn attaches(self, reminded_before: bool) -> bool {
        match self {
            AttachInvoice::First => !reminded_before,
            AttachInvoice::Every => true,
            AttachInvoice::Never => false,
        }
    }
}

impl Default for Policy {
    /// A friendly nudge three days before the due date; the first overdue reminder on the next business day
    /// morning after it; a firm one a week later; then a final notice. Two written overdue reminders
    /// precede the final notice. A suspension warning is available but not on by default.
    fn default() -> Self {
        use Channel::{Email, Sms};
        let step = |id: &str, offset, tone, channels: &[Channel], written| Step {
            id: id.to_string(),
            offset,
            tone,
            channels: channels.to_vec(),
            written,
            call: false,
            suspend_after_days: None,
            wording: Default::default(),
            name: None,
        };
        Policy {
            enabled: true,
            steps: vec![
                step("before-3", Offset::CalendarDays(-3), Tone::Friendly, &[Email], false),
                step("after-1", Offset::BusinessDays(1), Tone::Friendly, &[Email, Sms], true),
                step("after-7", Offset::BusinessDays(7), Tone::Firm, &[Email, Sms], true),
                step(
                    "after-14",
                    Offset::BusinessDays(14),
                    Tone::FinalNotice,
                    &[Email, Sms],
                    true,
                ),
            ],
            window: SendingWindow::default(),
            min_gap_hours: default_min_gap_hours(),
            max_per_week: default_max_per_week(),
            minimum_amounts: BTreeMap::new(),
            promise_grace_days: default_promise_grace_days(),
            max_written: default_max_written(),
            thank_you: false,
            formal_letter: false,
            final_notice_grace_days: default_final_notice_grace_days(),
            attach_invoice: AttachInvoice::First,
        }
    }
}

/// A named set of the creditor's customers with its own switch and, optionally, its own steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerGroup {
    /// The group's name as the creditor or the platform writes it, in any script ("Клиенты", "Stali
    /// klienci"); empty for a group made before names were kept apart from ids, whose id is its name.
    /// The key it is kept under is its id, which URLs and customers refer to and which never changes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub enabled: bool,
    /// Replaces the creditor's steps for this group when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
    /// Contact group names on the platform that put a debtor in this group.
    #[serde(default)]
    pub platform_groups: Vec<String>,
    /// Language, country and time zone for the group's debtors, where the platform's contact is wrong.
    #[serde(default, skip_serializing_if = "crate::model::place::Place::is_empty")]
    pub place: crate::model::place::Place,
    /// A monthly statement of account to each of the group's debtors with open invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<statement::MonthlyStatement>,
    /// When its reminders carry the invoice, where it differs from the creditor's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_invoice: Option<AttachInvoice>,
}

impl CustomerGroup {
    /// What the creditor reads: its name, else its id.
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        match self.name.trim() {
            "" => id,
            name => name,
        }
    }
}

/// Whether two group names are the same to a reader: alike in any script's case.
pub fn same_group_title(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

pub use refusal::PolicyError;

fn err(field: impl Into<String>, id: &'static str) -> PolicyError {
    PolicyError::new(field, id)
}

pub const MAX_STEPS: usize = 20;

/// Checks steps a creditor submits: what would be ambiguous or harmful is refused with a reason.
pub fn validate_steps(steps: &[Step], field: &str) -> Result<(), PolicyError> {
    if steps.len() > MAX_STEPS {
        return Err(err(field, "invalid-steps-at-most").with("max", MAX_STEPS));
    }
    let mut ids = std::collections::HashSet::new();
    for (i, step) in steps.iter().enumerate() {
        let at = format!("{field}[{i}]");
        let id_ok = !step.id.is_empty()
            && step.id.len() <= 32
            && step
                .id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !id_ok {
            return Err(err(format!("{at}.id"), "invalid-step-id"));
        }
        if !ids.insert(step.id.as_str()) {
            return Err(err(format!("{at}.id"), "invalid-step-id-twice").with("id", step.id.as_str()));
        }
        if !(-60..=365).contains(&step.offset.days()) {
            return Err(err(format!("{at}.offset"), "invalid-offset-range"));
        }
        if step.call {
            if !step.channels.is_empty() {
                return Err(err(format!("{at}.channels"), "invalid-call-channels"));
            }
            if step.offset.days() <= 0 || step.tone >= Tone::FinalNotice {
                return Err(err(format!("{at}.call"), "invalid-call-when"));
            }
        } else if step.channels.is_empty() {
            return Err(err(format!("{at}.channels"), "invalid-channels-none"));
        }
        let mut channels = step.channels.clone();
        channels.sort();
        channels.dedup();
        if channels.len() != step.channels.len() {
            return Err(err(format!("{at}.channels"), "invalid-channels-twice"));
        }
        match (step.tone, step.suspend_after_days) {
            (Tone::SuspensionWarning, None) => {
                return Err(err(format!("{at}.suspend_after_days"), "invalid-suspend-missing"));
            }
            (Tone::SuspensionWarning, Some(d)) if d < 7 => {
                return Err(err(format!("{at}.suspend_after_days"), "invalid-suspend-short").with("days", 7_i64));
            }
            (Tone::SuspensionWarning, Some(_)) => {}
            (_, Some(_)) => {
                return Err(err(format!("{at}.suspend_after_days"), "invalid-suspend-only"));
            }
            (_, None) => {}
        }
        if step.name.as_ref().is_some_and(|n| {
            n.trim().is_empty() || n.chars().count() > MAX_STEP_NAME_CHARS || n.chars().any(char::is_control)
        }) {
            return Err(err(format!("{at}.name"), "invalid-line").with("max", MAX_STEP_NAME_CHARS));
        }
        if let Err((language, reason)) = wording::check_all(&step.wording) {
            return Err(PolicyError {
                field: format!("{at}.wording.{language}"),
                reason,
            });
        }
        if step.offset.days() <= 0 && step.tone != Tone::Friendly {
            return Err(err(format!("{at}.tone"), "invalid-tone-before-due"));
        }
    }
    Ok(())
}

pub fn validate(policy: &Policy) -> Result<(), PolicyError> {
    validate_steps(&policy.steps, "steps")?;
    let w = policy.window;
    if w.start < earliest_send() || w.end > latest_send() || w.start >= w.end {
        return Err(err("window", "invalid-window"));
    }
    if policy.min_gap_hours > 24 * 14 {
        return Err(err("min_gap_hours", "invalid-at-most-days").with("max", 14_i64));
    }
    if policy.max_per_week == 0 || policy.max_per_week > 7 {
        return Err(err("max_per_week", "invalid-between")
            .with("min", 1_i64)
            .with("max", 7_i64));
    }
    if !(1..=10).contains(&policy.max_written) {
        return Err(err("max_written", "invalid-between")
            .with("min", 1_i64)
            .with("max", 10_i64));
    }
    if policy.promise_grace_days > 60 {
        return Err(err("promise_grace_days", "invalid-at-most-days").with("max", 60_i64));
    }
    if policy.final_notice_grace_days > 30 {
        return Err(err("final_notice_grace_days", "invalid-at-most-days").with("max", 30_i64));
    }
    if policy.minimum_amounts.values().any(|m| *m < 0) {
        return Err(err("minimum_amounts", "invalid-not-negative"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_valid_and_follows_good_practice() {
        let p = Policy::default();
        validate(&p).unwrap();
        let overdue_written = p
            .steps
            .iter()
            .filter(|s| s.offset.days() > 0 && s.written && s.tone != Tone::FinalNotice);
        assert_eq!(
            overdue_written.count(),
            2,
            "two written overdue reminders before the final notice"
        );
        assert_eq!(p.steps.last().unwrap().tone, Tone::FinalNotice);
        assert_eq!(
            p.steps[1].offset,
            Offset::BusinessDays(1),
            "first overdue reminder the next business day"
        );
    }

    #[test]
    fn refuses_harmful_or_ambiguous_steps() {
        let mut p = Policy::default();
        p.steps[0].tone = Tone::FinalNotice;
        assert_eq!(validate(&p).unwrap_err().field, "steps[0].tone");

        let mut p = Policy::default();
        p.steps[1].id = p.steps[0].id.clone();
        assert_eq!(validate(&p).unwrap_err().field, "steps[1].id");

        let mut p = Policy::default();
        p.steps[2].channels.clear();
        assert_eq!(validate(&p).unwrap_err().field, "steps[2].channels");

        let mut p = Policy::default();
        p.steps[1].name = Some("Second\nreminder".into());
        assert_eq!(validate(&p).unwrap_err().field, "steps[1].name");
        p.steps[1].name = Some("ж".repeat(MAX_STEP_NAME_CHARS + 1));
        assert_eq!(validate(&p).unwrap_err().field, "steps[1].name");
        p.steps[1].name = Some("Второе напоминание".into());
        validate(&p).unwrap();

        let mut p = Policy::default();
        p.steps[3].tone = Tone::SuspensionWarning;
        assert_eq!(validate(&p).unwrap_err().field, "steps[3].suspend_after_days");
        p.steps[3].suspend_after_days = Some(14);
        validate(&p).unwrap();

        let mut p = Policy::default();
        p.window.start = NaiveTime::from_hms_opt(7, 0, 0).unwrap();
        assert_eq!(validate(&p).unwrap_err().field, "window");
    }

    #[test]
    fn stored_policies_without_new_fields_still_load() {
        let old = serde_json::json!({
            "enabled": true,
            "steps": [{"id": "after-1", "offset": {"unit": "business_days", "days": 1}, "tone": "friendly", "channels": ["email"]}],
            "window": {"start": "09:00:00", "end": "17:00:00"}
        });
        let p: Policy = serde_json::from_value(old).unwrap();
        assert_eq!((p.min_gap_hours, p.max_per_week, p.promise_grace_days), (20, 3, 3));
    }
}
