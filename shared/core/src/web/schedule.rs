//! The schedule editor's form: a policy shown as rows of fields, and the posted fields read back into a
//! policy, with the field and the reason when something is wrong.

use std::collections::BTreeMap;

use chrono::NaiveTime;
use serde::Serialize;

use crate::model::money::{Currency, Money};
use crate::policy::{Channel, Offset, Policy, PolicyError, Step, MAX_STEPS};

/// Empty rows the form offers for new steps and minimum amounts.
pub const SPARE_ROWS: usize = 2;

/// One step as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRow {
    pub id: String,
    pub days: String,
    /// `calendar` or `business`.
    pub unit: &'static str,
    pub tone: &'static str,
    pub email: bool,
    pub sms: bool,
    pub written: bool,
    /// A call task for the creditor instead of a message.
    pub call: bool,
    pub suspend_after_days: String,
    /// The creditor's own name for the step; empty: Duly names it.
    pub name: String,
}

/// A policy as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyForm {
    pub enabled: bool,
    pub window_start: String,
    pub window_end: String,
    pub min_gap_hours: u32,
    pub max_per_week: u32,
    pub promise_grace_days: u32,
    pub final_notice_grace_days: u32,
    pub max_written: u32,
    pub thank_you: bool,
    pub formal_letter: bool,
    /// `first`, `every` or `never`: when the invoice itself goes with a reminder.
    pub attach_invoice: &'static str,
    pub steps: Vec<StepRow>,
    /// `(currency, amount)` rows, the amount in major units.
    pub minimums: Vec<(String, String)>,
}

pub use crate::policy::step_words::{tone_name, TONES};

impl PolicyForm {
    pub fn of(policy: &Policy) -> PolicyForm {
        let mut steps: Vec<StepRow> = policy
            .steps
            .iter()
            .map(|s| StepRow {
                id: s.id.clone(),
                days: s.offset.days().to_string(),
                unit: match s.offset {
                    Offset::CalendarDays(_) => "calendar",
                    Offset::BusinessDays(_) => "business",
                },
                tone: tone_name(s.tone),
                email: s.channels.contains(&Channel::Email),
                sms: s.channels.contains(&Channel::Sms),
                written: s.written,
                call: s.call,
                suspend_after_days: s.suspend_after_days.map(|d| d.to_string()).unwrap_or_default(),
                name: s.name.clone().unwrap_or_default(),
            })
            .collect();
        for _ in 0..SPARE_ROWS {
            steps.push(StepRow {
                id: String::new(),
                days: String::new(),
                unit: "business",
                tone: "friendly",
                email: true,
                sms: false,
                written: false,
                call: false,
                suspend_after_days: String::new(),
                name: String::new(),
            });
        }
        let mut minimums: Vec<(String, String)> = policy
            .minimum_amounts
            .iter()
            .map(|(c, minor)| {
                let money = Money {
                    minor: *minor,
                    currency: *c,
                };
                (c.to_string(), money.to_decimal().to_string())
            })
            .collect();
        minimums.extend((0..SPARE_ROWS).map(|_| (String::new(), String::new())));
        PolicyForm {
            enabled: policy.enabled,
            window_start: policy.window.start.format("%H:%M").to_string(),
            window_end: policy.window.end.format("%H:%M").to_string(),
            min_gap_hours: policy.min_gap_hours,
            max_per_week: policy.max_per_week,
            promise_grace_days: policy.promise_grace_days,
            final_notice_grace_days: policy.final_notice_grace_days,
            max_written: policy.max_written,
            thank_you: policy.thank_you,
            formal_letter: policy.formal_letter,
            attach_invoice: policy.attach_invoice.code(),
            steps,
            minimums,
        }
    }
}

fn invalid(field: impl Into<String>, id: &'static str) -> PolicyError {
    PolicyError::new(field, id)
}

/// An id for a new step from its days ("after-14", "before-3", "on-due"), not one of `taken`.
fn new_id(days: i32, taken: &[String]) -> String {
    let base = match days.cmp(&0) {
        std::cmp::Ordering::Less => format!("before-{}", days.unsigned_abs()),
        std::cmp::Ordering::Equal => "on-due".to_string(),
        std::cmp::Ordering::Greater => format!("after-{days}"),
    };
    (1..)
        .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
        .find(|id| !taken.contains(id))
        .expect("an unused id among unboundedly many")
}

/// The form does not carry a step's own words (they have a page of their own): each step that kept its
/// id keeps them.
pub fn keep_wording(steps: &mut [Step], before: &[Step]) {
    for step in steps {
        if let Some(old) = before.iter().find(|b| b.id == step.id) {
            step.wording = old.wording.clone();
        }
    }
}

/// Reads the posted step rows; rows ticked for removal and empty rows are left out. A group's schedule
/// posts these alone.
pub fn steps_from_form(fields: &[(String, String)]) -> Result<Vec<Step>, PolicyError> {
    let get = |name: &str| super::form_field(fields, name).trim();
    let mut steps = Vec::new();
    // Ids are the form's to keep, not the creditor's to type: a new row gets one from when it goes.
    let mut taken: Vec<String> = (0..MAX_STEPS + SPARE_ROWS)
        .map(|i| get(&format!("step_{i}_id")).to_string())
        .filter(|id| !id.is_empty())
        .collect();
    for i in 0..MAX_STEPS + SPARE_ROWS {
        let field = |f: &str| format!("step_{i}_{f}");
        let id = get(&field("id"));
        if !get(&field("remove")).is_empty() || (id.is_empty() && get(&field("days")).is_empty()) {
            continue;
        }
        let at = format!("steps[{}]", steps.len());
        let days: i32 = get(&field("days"))
            .parse()
            .map_err(|_| invalid(format!("{at}.offset"), "invalid-whole-days"))?;
        let offset = match get(&field("unit")) {
            "calendar" => Offset::CalendarDays(days),
            _ => Offset::BusinessDays(days),
        };
        let tone = TONES
            .iter()
            .find(|(n, _)| *n == get(&field("tone")))
            .map(|(_, t)| *t)
            .ok_or_else(|| invalid(format!("{at}.tone"), "invalid-tone"))?;
        let call = !get(&field("call")).is_empty();
        let mut channels = Vec::new();
        // A call sends nothing: the channels' boxes of its row are not read.
        if !call && !get(&field("email")).is_empty() {
            channels.push(Channel::Email);
        }
        if !call && !get(&field("sms")).is_empty() {
            channels.push(Channel::Sms);
        }
        let suspend_after_days = match get(&field("suspend")) {
            "" => None,
            d => Some(
                d.parse::<u32>()
                    .map_err(|_| invalid(format!("{at}.suspend_after_days"), "invalid-whole-number"))?,
            ),
        };
        let id = match id {
            "" => {
                let fresh = new_id(days, &taken);
                taken.push(fresh.clone());
                fresh
            }
            id => id.to_string(),
        };
        steps.push(Step {
            id,
            offset,
            tone,
            channels,
            written: !get(&field("written")).is_empty(),
            call,
            suspend_after_days,
            wording: Default::default(),
            name: Some(get(&field("name")).to_string()).filter(|n| !n.is_empty()),
        });
        if steps.len() > MAX_STEPS {
            return Err(invalid("steps", "invalid-steps-at-most").with("max", MAX_STEPS));
        }
    }
    Ok(steps)
}

/// Reads the posted fields into a policy; rows ticked for removal and empty rows are left out.
/// Only the shape is checked here: [`crate::policy::validate`] checks the rules when it is saved.
pub fn policy_from_form(fields: &[(String, String)]) -> Result<Policy, PolicyError> {
    let get = |name: &str| super::form_field(fields, name).trim();
    let number = |name: &str| -> Result<u32, PolicyError> {
        get(name)
            .parse::<u32>()
            .map_err(|_| invalid(name, "invalid-whole-number"))
    };
    let time = |name: &str| -> Result<NaiveTime, PolicyError> {
        NaiveTime::parse_from_str(get(name), "%H:%M").map_err(|_| invalid("window", "invalid-time"))
    };
    let steps = steps_from_form(fields)?;
    let mut minimum_amounts = BTreeMap::new();
    for i in 0..8 {
        let (code, amount) = (get(&format!("min_{i}_currency")), get(&format!("min_{i}_amount")));
        if code.is_empty() && amount.is_empty() {
            continue;
        }
        let currency = Currency::parse(code).map_err(|_| invalid("minimum_amounts", "invalid-currency"))?;
        let money = currency
            .parse_amount(amount)
            .map_err(|_| invalid("minimum_amounts", "invalid-amount"))?;
        minimum_amounts.insert(currency, money.minor);
    }
    Ok(Policy {
        enabled: !get("enabled").is_empty(),
        steps,
        window: crate::policy::SendingWindow {
            start: time("window_start")?,
            end: time("window_end")?,
        },
        min_gap_hours: number("min_gap_hours")?,
        max_per_week: number("max_per_week")?,
        minimum_amounts,
        promise_grace_days: number("promise_grace_days")?,
        final_notice_grace_days: number("final_notice_grace_days")?,
        max_written: number("max_written")?,
        thank_you: !get("thank_you").is_empty(),
        formal_letter: !get("formal_letter").is_empty(),
        attach_invoice: match get("attach_invoice") {
            "" => crate::policy::AttachInvoice::default(),
            raw => crate::policy::AttachInvoice::parse(raw)
                .ok_or_else(|| invalid("attach_invoice", "invalid-attach-invoice"))?,
        },
    })
}

/// One step on the schedule's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub id: String,
    /// The creditor's own name for the step, if they gave one.
    pub name: Option<String>,
    /// Days from the due date: negative before it.
    pub days: i32,
    pub business: bool,
    pub tone: &'static str,
    pub email: bool,
    pub sms: bool,
    pub call: bool,
    /// Where it sits on the timeline, in per cent of its width, in steps of five.
    pub at: u32,
}

/// The schedule as a timeline: its steps in the order they come, and where the due date sits. The span
/// runs from a week before the due date (or the earliest step) to thirty days after it (or the latest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cadence {
    pub marks: Vec<Mark>,
    pub due_at: u32,
}

pub fn cadence(steps: &[Step]) -> Cadence {
    let lo = steps.iter().map(|s| s.offset.days()).min().unwrap_or(0).min(-7);
    let hi = steps.iter().map(|s| s.offset.days()).max().unwrap_or(0).max(30);
    let at = |days: i32| -> u32 {
        let share = i64::from(days - lo) * 100 / i64::from((hi - lo).max(1));
        // Rounded to the nearest five, so that the stylesheet can place it without inline styles.
        u32::try_from((share + 2) / 5 * 5).unwrap_or(0).min(100)
    };
    let mut marks: Vec<Mark> = steps
        .iter()
        .map(|s| Mark {
            id: s.id.clone(),
            name: s.name.clone(),
            days: s.offset.days(),
            business: matches!(s.offset, Offset::BusinessDays(_)),
            tone: tone_name(s.tone),
            email: s.channels.contains(&Channel::Email),
            sms: s.channels.contains(&Channel::Sms),
            call: s.call,
            at: at(s.offset.days()),
        })
        .collect();
    marks.sort_by_key(|m| m.days);
    Cadence { marks, due_at: at(0) }
}

#[cfg(test)]
mod cadence_tests {
    use super::*;

    #[test]
    fn the_timeline_places_each_step_by_its_days_from_the_due_date() {
        let policy = Policy::default();
        let c = cadence(&policy.steps);
        assert!(
            c.marks.windows(2).all(|w| w[0].days <= w[1].days),
            "in the order they come"
        );
        let first = &c.marks[0];
        assert!(
            first.days < 0 && first.at < c.due_at,
            "before the due date, left of it: {c:?}"
        );
        assert!(c.marks.iter().all(|m| m.at % 5 == 0 && m.at <= 100));
        let late = cadence(&[Step {
            offset: Offset::CalendarDays(60),
            ..policy.steps[0].clone()
        }]);
        assert_eq!((late.marks[0].at, late.due_at), (100, 10), "a span from -7 to 60 days");
    }

    #[test]
    fn a_step_ticked_for_removal_leaves_the_schedule() {
        let mut fields: Vec<(String, String)> = [
            ("window_start", "09:00"),
            ("window_end", "17:00"),
            ("min_gap_hours", "48"),
            ("max_per_week", "2"),
            ("promise_grace_days", "2"),
            ("final_notice_grace_days", "5"),
            ("max_written", "3"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (i, (id, days)) in [("before-3", "-3"), ("after-7", "7")].iter().enumerate() {
            for (f, v) in [
                ("id", *id),
                ("days", *days),
                ("unit", "calendar"),
                ("tone", "friendly"),
                ("email", "on"),
            ] {
                fields.push((format!("step_{i}_{f}"), v.to_string()));
            }
        }
        fields.push(("step_0_remove".into(), "on".into()));
        let policy = policy_from_form(&fields).unwrap();
        assert_eq!(
            policy.steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["after-7"]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields a browser posts for `form`, as the template names them.
    fn posted(form: &PolicyForm) -> Vec<(String, String)> {
        let mut f = vec![
            ("window_start".to_string(), form.window_start.clone()),
            ("window_end".into(), form.window_end.clone()),
            ("min_gap_hours".into(), form.min_gap_hours.to_string()),
            ("max_per_week".into(), form.max_per_week.to_string()),
            ("promise_grace_days".into(), form.promise_grace_days.to_string()),
            (
                "final_notice_grace_days".into(),
                form.final_notice_grace_days.to_string(),
            ),
            ("max_written".into(), form.max_written.to_string()),
        ];
        if form.enabled {
            f.push(("enabled".into(), "on".into()));
        }
        if form.thank_you {
            f.push(("thank_you".into(), "on".into()));
        }
        if form.formal_letter {
            f.push(("formal_letter".into(), "on".into()));
        }
        f.push(("attach_invoice".into(), form.attach_invoice.into()));
        for (i, s) in form.steps.iter().enumerate() {
            let mut push = |k: &str, v: String| f.push((format!("step_{i}_{k}"), v));
            push("id", s.id.clone());
            push("days", s.days.clone());
            push("unit", s.unit.into());
            push("tone", s.tone.into());
            push("suspend", s.suspend_after_days.clone());
            if s.email {
                push("email", "on".into());
            }
            if s.sms {
                push("sms", "on".into());
            }
            if s.written {
                push("written", "on".into());
            }
            if s.call {
                push("call", "on".into());
            }
        }
        for (i, (c, a)) in form.minimums.iter().enumerate() {
            f.push((format!("min_{i}_currency"), c.clone()));
            f.push((format!("min_{i}_amount"), a.clone()));
        }
        f
    }

    #[test]
    fn a_policy_survives_the_form_unchanged() {
        let mut policy = Policy::default();
        policy.minimum_amounts.insert(Currency::parse("EUR").unwrap(), 1_050);
        policy.thank_you = true;
        policy.formal_letter = true;
        policy.max_written = 3;
        policy.steps[2].call = true;
        policy.steps[2].channels.clear();
        let back = policy_from_form(&posted(&PolicyForm::of(&policy))).unwrap();
        assert_eq!(back, policy);
    }

    #[test]
    fn a_filled_spare_row_adds_a_step_named_by_when_it_goes() {
        let mut form = PolicyForm::of(&Policy::default());
        let spare = form.steps.len() - SPARE_ROWS;
        form.steps[spare].days = "30".into();
        form.steps[spare].tone = "firm";
        form.steps[spare + 1].days = "14".into();
        let policy = policy_from_form(&posted(&form)).unwrap();
        let ids: Vec<&str> = policy.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            ["before-3", "after-1", "after-7", "after-14", "after-30", "after-14-2"]
        );
        assert_eq!(new_id(-3, &[]), "before-3");
        assert_eq!(new_id(0, &[]), "on-due");
    }

    #[test]
    fn a_wrong_field_is_named() {
        let mut fields = posted(&PolicyForm::of(&Policy::default()));
        for (k, v) in &mut fields {
            if k == "step_1_days" {
                *v = "soon".into();
            }
        }
        assert_eq!(policy_from_form(&fields).unwrap_err().field, "steps[1].offset");
        let mut fields = posted(&PolicyForm::of(&Policy::default()));
        fields.retain(|(k, _)| k != "window_end");
        assert_eq!(policy_from_form(&fields).unwrap_err().field, "window");
        let mut fields = posted(&PolicyForm::of(&Policy::default()));
        for (k, v) in &mut fields {
            match k.as_str() {
                "min_0_currency" => *v = "XXX".into(),
                "min_0_amount" => *v = "5".into(),
                _ => {}
            }
        }
        assert_eq!(policy_from_form(&fields).unwrap_err().field, "minimum_amounts");
    }
}
