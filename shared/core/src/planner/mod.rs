//! What to do about a debtor's invoices right now, in three pure steps:
//!
//! 1. [`plan_invoice`]: for one invoice, is a reminder step due, when is the next one, or what holds it
//!    (paid, disputed, promised, switched off at some level, below the minimum, every step done)?
//! 2. [`compose`]: for one debtor, turn the due steps of all their invoices into one message (a statement),
//!    unless the sending window is closed, the minimum gap since the last message has not passed, or the
//!    weekly cap is reached; then it says until when to wait.
//! 3. [`explain`]: simulate 1 and 2 forward to answer "what will be sent, when, and why" for the API.
//!
//! Steps are placed on business days (weekends and the debtor's country's public holidays excluded) at the
//! opening of the debtor's sending window. When a run is late, only the latest step that is due is sent and
//! the earlier ones are marked skipped: a debtor never gets a burst of stale reminders.

pub mod cadence;
mod explain;
pub mod fairness;
pub mod monthly;
pub mod thanks;
pub mod words;

pub use explain::{explain, Explanation, PlannedAction, RuleParts};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::calendar::{bounds, Calendar};
use crate::country_rules::{Applied, Binding};
use crate::ledger::Invoice;
use crate::messages::recipients::recipients;
use crate::messages::render::ReminderLine;
use crate::model::money::Money;
use crate::model::{Creditor, Debtor};
use crate::policy::precedence::{group_of, reminders_switch, steps, Level, Switch};
use crate::policy::{Channel, Policy, Step, Tone};

/// The key that makes a step happen once for one due date. A changed due date re-arms the steps.
pub fn step_key(due: NaiveDate, step: &Step) -> String {
    format!("{due}/{}", step.id)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledStep<'a> {
    pub step: &'a Step,
    pub at: DateTime<Utc>,
    pub key: String,
}

/// When each step becomes due for an invoice due on `due`, earliest first.
pub fn schedule<'a>(due: NaiveDate, steps: &'a [Step], calendar: &Calendar) -> Vec<ScheduledStep<'a>> {
    let mut out: Vec<ScheduledStep<'a>> = steps
        .iter()
        .map(|step| ScheduledStep {
            step,
            at: calendar.opening(calendar.step_day(due, step.offset)),
            key: step_key(due, step),
        })
        .collect();
    out.sort_by_key(|s| s.at);
    out
}

/// Everything about the debtor and creditor an invoice's plan depends on.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub creditor: &'a Creditor,
    pub debtor: Option<&'a Debtor>,
    pub calendar: &'a Calendar,
}

/// Why nothing is sent for an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hold {
    /// Paid, voided, fully credited, a draft, or only a payment seen so far.
    NotOpen,
    Disputed {
        reason: String,
    },
    /// Reminders resume on `resume_on` (the promised date plus the grace days) if it is still unpaid.
    Promised {
        date: NaiveDate,
        resume_on: NaiveDate,
    },
    SwitchedOff(Switch),
    BelowMinimum {
        minimum: Money,
    },
    /// Every step is behind us.
    Finished,
    /// The debtor asked to pay in instalments: reminders wait for the creditor's answer.
    PlanRequested,
    /// An instalment of the agreed plan is past its date and the grace days, unpaid: the plan breaks and
    /// the invoice returns to its normal reminders once the scheduler has marked it broken.
    InstalmentMissed {
        due: NaiveDate,
    },
    /// The debtor paid what the creditor's settlement offer asked by its date: Duly's ledger closes it.
    /// `told`: the creditor has been told to book the write-off.
    Settled {
        paid: Money,
        told: bool,
    },
}

impl Hold {
    /// When to look at the invoice again by itself; `None` keeps it off the due index until something
    /// changes (a fact, or a control set through the API).
    pub fn resume_at(&self, calendar: &Calendar) -> Option<DateTime<Utc>> {
        match self {
            Hold::Promised { resume_on, .. } => Some(calendar.opening(*resume_on)),
            Hold::SwitchedOff(s) if !s.on => s.until.map(|d| calendar.opening(d)),
            // Due at once: the scheduler records it and tells the creditor, then it leaves the index.
            Hold::Settled { told: false, .. } | Hold::InstalmentMissed { .. } => Some(DateTime::UNIX_EPOCH),
            _ => None,
        }
    }
}

/// A step of one invoice that is due now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueStep {
    pub step: Step,
    pub key: String,
    /// Earlier steps that are out of date and will not be sent.
    pub skipped: Vec<String>,
    /// When the invoice's following step is due, if any.
    pub next_after: Option<DateTime<Utc>>,
    pub steps_from: Level,
    pub due_date: NaiveDate,
    pub invoice_id: crate::model::ids::InvoiceId,
    /// What the invoice owes now, in minor units: a final notice is not repeated for what it stated.
    pub amount_due_minor: i64,
    /// The debtor's country's rule that moved the step later, if one did.
    pub held_by: Option<Binding>,
}

// A plan lives briefly, one per open invoice of one debtor: boxing the due step would cost an allocation
// for each, to save stack that is never short.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoicePlan {
    Due(DueStep),
    Waiting { until: DateTime<Utc>, step_id: String },
    Hold(Hold),
}

impl InvoicePlan {
    /// When the scheduler should look at the invoice again, judging the invoice alone.
    pub fn next_look(&self, calendar: &Calendar, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            InvoicePlan::Due(_) => Some(now),
            InvoicePlan::Waiting { until, .. } => Some(*until),
            InvoicePlan::Hold(h) => h.resume_at(calendar),
        }
    }

    /// Whether the invoice belongs in a statement to the debtor (open and not held back).
    pub fn is_remindable(&self) -> bool {
        !matches!(self, InvoicePlan::Hold(_)) || matches!(self, InvoicePlan::Hold(Hold::Finished))
    }
}

/// The first moment a final notice (or anything firmer) may go out on the invoice: the policy's grace in
/// business days after the creditor last resolved a dispute or ended a promise on it, or after a promise
/// ran out (its date and the promise grace days). `None`: nothing of the kind ended.
pub fn final_notice_gate(invoice: &Invoice, policy: &Policy, calendar: &Calendar) -> Option<DateTime<Utc>> {
    let ended_by_creditor = invoice
        .controls
        .hold_ended_at
        .map(|t| t.with_timezone(&calendar.time_zone).date_naive());
    let promise_ran_out = invoice
        .controls
        .promise
        .as_ref()
        .map(|p| bounds::shift(p.date, i64::from(policy.promise_grace_days)));
    let ended = ended_by_creditor.max(promise_ran_out)?;
    let grace = i32::try_from(policy.final_notice_grace_days.min(30)).unwrap_or(30);
    Some(calendar.opening(calendar.add_business_days(ended, grace)))
}

/// The first moment a final notice (or anything firmer) may go out to a consumer whose country gives them
/// days to object to the first notice: that many days after the first overdue reminder of the invoice was
/// sent, or, before one was, after the day the first overdue step is scheduled for.
pub fn objection_gate(
    invoice: &Invoice,
    due: NaiveDate,
    steps: &[Step],
    calendar: &Calendar,
) -> Option<(DateTime<Utc>, Binding)> {
    let (days, binding) = calendar.rules.days_to_object()?;
    let first = match invoice.progress.first_overdue_at {
        Some(sent) => sent.with_timezone(&calendar.time_zone).date_naive(),
        None => steps
            .iter()
            .filter(|s| s.offset.days() > 0)
            .map(|s| calendar.step_day(due, s.offset))
            .min()?,
    };
    let day = calendar.business_day_on_or_after(bounds::shift(first, i64::from(days)));
    Some((calendar.opening(day), binding))
}

pub fn plan_invoice(invoice: &Invoice, ctx: &Context<'_>, now: DateTime<Utc>) -> InvoicePlan {
    let (Some(doc), Some(balance)) = (invoice.doc.as_ref(), invoice.balance.as_ref()) else {
        return InvoicePlan::Hold(Hold::NotOpen);
    };
    if !invoice.is_open() {
        return InvoicePlan::Hold(Hold::NotOpen);
    }
    let today = now.with_timezone(&ctx.calendar.time_zone).date_naive();
    if let Some(s) = &invoice.controls.settlement {
        let reported = balance.as_of.with_timezone(&ctx.creditor.time_zone).date_naive();
        if s.met(doc.total, balance.amount_due, reported) {
            return InvoicePlan::Hold(Hold::Settled {
                paid: Money {
                    minor: doc.total.minor - balance.amount_due.minor,
                    currency: doc.total.currency,
                },
                told: s.settled_at.is_some(),
            });
        }
    }
    if let Some(d) = &invoice.controls.dispute {
        return InvoicePlan::Hold(Hold::Disputed {
            reason: d.reason.clone(),
        });
    }
    if invoice.controls.plan_request.is_some() {
        return InvoicePlan::Hold(Hold::PlanRequested);
    }
    // An agreed plan that stands: its next instalment is reminded of as the invoice would be.
    let mut due_date = doc.due_date;
    // When an unpaid instalment would break the plan: the scheduler looks then, whatever the steps say.
    let mut breaks_at = None;
    if let Some(plan) = invoice.controls.plan.as_ref().filter(|p| p.broken_at.is_none()) {
        let grace = ctx.creditor.payment_plans.grace_days;
        match plan.state(balance.amount_due.minor, today, grace) {
            crate::plans::PlanState::Current { due, .. } => {
                due_date = due;
                breaks_at = Some(ctx.calendar.opening(bounds::shift(due, i64::from(grace) + 1)));
            }
            crate::plans::PlanState::Missed { due, .. } => return InvoicePlan::Hold(Hold::InstalmentMissed { due }),
            crate::plans::PlanState::Done => {}
        }
    }
    let policy = &ctx.creditor.policy;
    if let Some(p) = &invoice.controls.promise {
        let resume_on = bounds::shift(p.date, i64::from(policy.promise_grace_days));
        if today < resume_on {
            return InvoicePlan::Hold(Hold::Promised {
                date: p.date,
                resume_on,
            });
        }
    }
    let group = group_of(ctx.creditor, ctx.debtor);
    let switch = reminders_switch(ctx.creditor, group, ctx.debtor, &invoice.controls, today);
    if !switch.on {
        return InvoicePlan::Hold(Hold::SwitchedOff(switch));
    }
    let currency = balance.amount_due.currency;
    if let Some(&minimum) = policy.minimum_amounts.get(&currency) {
        if balance.amount_due.minor < minimum {
            return InvoicePlan::Hold(Hold::BelowMinimum {
                minimum: Money {
                    minor: minimum,
                    currency,
                },
            });
        }
    }
    let (steps, steps_from) = steps(ctx.creditor, group);
    let done = &invoice.progress.steps_done;
    let declined_pre_due = ctx.debtor.is_some_and(|d| d.controls.declined_pre_due);
    let mut pending: Vec<(ScheduledStep<'_>, Option<Binding>)> = schedule(due_date, steps, ctx.calendar)
        .into_iter()
        .filter(|s| !done.contains(&s.key))
        .filter(|s| !(declined_pre_due && s.step.offset.days() < 0))
        .map(|s| (s, None))
        .collect();
    let gates = [
        final_notice_gate(invoice, policy, ctx.calendar).map(|g| (g, None)),
        objection_gate(invoice, due_date, steps, ctx.calendar).map(|(g, b)| (g, Some(b))),
    ];
    for (gate, binding) in gates.into_iter().flatten() {
        for (s, held_by) in pending
            .iter_mut()
            .filter(|(s, _)| s.step.tone >= Tone::FinalNotice && s.at < gate)
        {
            s.at = gate;
            *held_by = binding.or(*held_by);
        }
    }
    pending.sort_by_key(|(s, _)| s.at);
    let (due, later): (Vec<_>, Vec<_>) = pending.into_iter().partition(|(s, _)| s.at <= now);
    let later: Vec<ScheduledStep<'_>> = later.into_iter().map(|(s, _)| s).collect();
    let Some(((latest, held_by), earlier)) = due.split_last() else {
        return match (later.first(), breaks_at) {
            (Some(next), Some(b)) if b < next.at => InvoicePlan::Waiting {
                until: b,
                step_id: next.step.id.clone(),
            },
            (Some(next), _) => InvoicePlan::Waiting {
                until: next.at,
                step_id: next.step.id.clone(),
            },
            (None, Some(b)) => InvoicePlan::Waiting {
                until: b,
                step_id: String::new(),
            },
            (None, None) => InvoicePlan::Hold(Hold::Finished),
        };
    };
    InvoicePlan::Due(DueStep {
        step: latest.step.clone(),
        key: latest.key.clone(),
        skipped: earlier.iter().map(|(s, _)| s.key.clone()).collect(),
        next_after: match (later.first().map(|s| s.at), breaks_at) {
            (Some(next), Some(b)) => Some(next.min(b)),
            (next, b) => next.or(b),
        },
        steps_from,
        due_date,
        invoice_id: invoice.invoice_id.clone(),
        amount_due_minor: balance.amount_due.minor,
        held_by: *held_by,
    })
}

/// The channels a debtor can be reached on now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reachability {
    pub email: bool,
    pub sms: bool,
}

impl Reachability {
    /// `bill_to` holds the recipients of the debtor's open invoices, as the platform gives them: whoever
    /// an invoice went to can be written to about it, even where the contact has no address of its own.
    pub fn of(debtor: Option<&Debtor>, bill_to: &[&[String]]) -> Reachability {
        let Some(d) = debtor else {
            return Reachability {
                email: false,
                sms: false,
            };
        };
        Reachability {
            email: recipients(d, bill_to).is_some() && !d.controls.opted_out.contains(&Channel::Email),
            sms: d.phone.is_some() && d.phone_kind.texts() && !d.controls.opted_out.contains(&Channel::Sms),
        }
    }

    pub fn allows(&self, channel: Channel) -> bool {
        match channel {
            Channel::Email => self.email,
            Channel::Sms => self.sms,
        }
    }
}

/// One message to a debtor, covering the due steps of one or more invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<Id> {
    /// The firmest tone among the due steps.
    pub tone: Tone,
    pub channels: Vec<Channel>,
    pub due: Vec<(Id, DueStep)>,
    /// For a suspension warning: the local day service would stop.
    pub suspend_on: Option<NaiveDate>,
    /// One of its steps is a written overdue reminder (not a final notice): it counts against the cap.
    pub written: bool,
}

/// Why a due message waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deferral {
    /// The minimum gap since the last message to the debtor has not passed.
    Gap,
    /// The weekly cap of messages to the debtor is reached.
    WeeklyCap,
    /// Outside the sending window's hours.
    Hours,
    /// A weekend or a public holiday where the debtor is.
    Closed(crate::calendar::Closed),
    /// The platform may know of a payment Duly has not read yet.
    PlatformStale,
    /// A rule of the debtor's country (see [`crate::country_rules`]).
    Country(Binding),
}

impl Deferral {
    /// For logs.
    pub fn as_str(&self) -> &'static str {
        match self {
            Deferral::Gap => "the minimum gap since the last message has not passed",
            Deferral::WeeklyCap => "the weekly cap of messages to this debtor is reached",
            Deferral::Hours => "outside the sending hours",
            Deferral::Closed(crate::calendar::Closed::Weekend) => "a weekend",
            Deferral::Closed(crate::calendar::Closed::Holiday(_)) => "a public holiday",
            Deferral::PlatformStale => "the platform's data is not current",
            Deferral::Country(_) => "a rule of the debtor's country",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DebtorDecision<Id> {
    Send(Statement<Id>),
    /// Steps are due but may not go out yet.
    Defer {
        until: DateTime<Utc>,
        reason: Deferral,
    },
    /// Steps are due but the debtor has no channel they use: they are recorded as skipped.
    Unreachable(Vec<(Id, DueStep)>),
    /// Nothing is due.
    Idle,
}

/// The earliest instant a message may go to a debtor with this history, by gap and weekly cap alone, and
/// which of them holds it back (`None`: neither).
pub(crate) fn throttle_release(
    debtor: Option<&Debtor>,
    policy: &Policy,
    rules: &Applied,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, Option<Deferral>) {
    let Some(history) = debtor.map(|d| &d.history) else {
        return (now, None);
    };
    let mut earliest = (now, None);
    if let Some(last) = history.last() {
        let (gap, country) = rules.min_gap_hours(policy.min_gap_hours);
        let gap_ends = last + Duration::hours(i64::from(gap));
        if gap_ends > earliest.0 {
            earliest = (gap_ends, Some(country.map_or(Deferral::Gap, Deferral::Country)));
        }
    }
    let mut week: Vec<DateTime<Utc>> = history
        .recent
        .iter()
        .copied()
        .filter(|t| now - *t < Duration::days(7))
        .collect();
    week.sort();
    let cap = policy.max_per_week as usize;
    if week.len() >= cap {
        // The (len - cap + 1)-th oldest message must leave the seven-day window first.
        let release = week[week.len() - cap] + Duration::days(7);
        if release > earliest.0 {
            earliest = (release, Some(Deferral::WeeklyCap));
        }
    }
    earliest
}

/// What holds a message back until the calendar's next opening after `earliest`: the gap or the weekly
/// cap when they reach past now, else a closed day or the hours.
pub(crate) fn wait_reason(
    throttled: Option<Deferral>,
    earliest: DateTime<Utc>,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Deferral {
    match throttled {
        Some(throttled) if earliest > now => throttled,
        _ => {
            let today = now.with_timezone(&calendar.time_zone).date_naive();
            calendar.closed_because(today).map_or(Deferral::Hours, Deferral::Closed)
        }
    }
}

pub fn compose<Id: Clone>(
    plans: &[(Id, InvoicePlan)],
    debtor: Option<&Debtor>,
    reach: Reachability,
    policy: &Policy,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> DebtorDecision<Id> {
    let due: Vec<(Id, DueStep)> = plans
        .iter()
        .filter_map(|(id, p)| match p {
            InvoicePlan::Due(d) => Some((id.clone(), d.clone())),
            _ => None,
        })
        .collect();
    if due.is_empty() {
        return DebtorDecision::Idle;
    }
    let mut channels: Vec<Channel> = due
        .iter()
        .flat_map(|(_, d)| d.step.channels.iter().copied())
        .filter(|c| reach.allows(*c))
        .collect();
    channels.sort();
    channels.dedup();
    if channels.is_empty() {
        return DebtorDecision::Unreachable(due);
    }
    let (earliest, throttle_reason) = throttle_release(debtor, policy, &calendar.rules, now);
    // A country's hours for the channels used; the calendar is copied only where they narrow the window.
    let window = calendar.rules.window(calendar.window, &channels);
    let narrowed;
    let calendar = if window == calendar.window {
        calendar
    } else {
        narrowed = Calendar {
            window,
            ..calendar.clone()
        };
        &narrowed
    };
    let until = calendar.next_open(earliest);
    if until > now {
        let reason = wait_reason(throttle_reason, earliest, calendar, now);
        return DebtorDecision::Defer { until, reason };
    }
    let dunning = debtor.map(|d| d.history.dunning.clone()).unwrap_or_default();
    let tone = dunning.tone(due.iter().map(|(_, d)| (d.step.tone, d.step.offset.days() > 0)));
    let written = due
        .iter()
        .any(|(_, d)| d.step.written && d.step.offset.days() > 0 && d.step.tone < Tone::FinalNotice);
    let today = now.with_timezone(&calendar.time_zone).date_naive();
    let suspend_on = due
        .iter()
        .filter(|(_, d)| d.step.tone == tone)
        .find_map(|(_, d)| d.step.suspend_after_days)
        .map(|days| bounds::shift(today, i64::from(days)));
    DebtorDecision::Send(Statement {
        tone,
        channels,
        due,
        suspend_on,
        written,
    })
}

/// A debtor's due steps sorted before a message is composed: the plans left for [`compose`], call tasks
/// for the creditor, and steps the debtor's cadence holds back (recorded as skipped, with the reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sorted<Id> {
    pub plans: Vec<(Id, InvoicePlan)>,
    pub calls: Vec<(Id, DueStep)>,
    pub held: Vec<(Id, DueStep, &'static str)>,
}

/// Takes call steps and the steps the cadence holds (see [`cadence`]) out of the plans; what is left of
/// such an invoice waits for its next step.
pub fn sort_due<Id: Clone>(
    plans: &[(Id, InvoicePlan)],
    debtor: Option<&Debtor>,
    policy: &Policy,
    rules: &Applied,
) -> Sorted<Id> {
    let (max_written, country) = rules.max_written(policy.max_written);
    let dunning = debtor.map(|d| d.history.dunning.clone()).unwrap_or_default();
    let mut sorted = Sorted {
        plans: Vec::with_capacity(plans.len()),
        calls: Vec::new(),
        held: Vec::new(),
    };
    for (id, plan) in plans {
        let InvoicePlan::Due(d) = plan else {
            sorted.plans.push((id.clone(), plan.clone()));
            continue;
        };
        let held = dunning.holds(d, max_written).map(|reason| match country {
            Some(_) if reason == cadence::WRITTEN_ALL_SENT => {
                "the written reminders the debtor's country allows before the final notice have all been sent"
            }
            _ => reason,
        });
        if !d.step.call && held.is_none() {
            sorted.plans.push((id.clone(), plan.clone()));
            continue;
        }
        let waiting = match d.next_after {
            Some(until) => InvoicePlan::Waiting {
                until,
                step_id: String::new(),
            },
            None => InvoicePlan::Hold(Hold::Finished),
        };
        sorted.plans.push((id.clone(), waiting));
        match held {
            Some(reason) => sorted.held.push((id.clone(), d.clone(), reason)),
            None => sorted.calls.push((id.clone(), d.clone())),
        }
    }
    sorted
}

/// The invoices a statement lists: every open invoice not held back, oldest due date first.
pub fn statement_lines(
    invoices: &[Invoice],
    plans: &[(usize, InvoicePlan)],
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Vec<(usize, ReminderLine)> {
    let today = now.with_timezone(&calendar.time_zone).date_naive();
    let mut lines: Vec<(usize, ReminderLine)> = plans
        .iter()
        .filter(|(_, p)| p.is_remindable())
        .filter_map(|(i, _)| {
            let inv = &invoices[*i];
            let (doc, balance) = (inv.doc.as_ref()?, inv.balance?);
            // Under a plan, the line is the instalment due now.
            let (amount_due, due_date) = match inv
                .controls
                .plan
                .as_ref()
                .filter(|p| p.broken_at.is_none())
                .map(|p| p.state(balance.amount_due.minor, today, u16::MAX))
            {
                Some(crate::plans::PlanState::Current { due, remaining, .. }) => (
                    Money {
                        minor: remaining,
                        currency: balance.amount_due.currency,
                    },
                    due,
                ),
                _ => (balance.amount_due, doc.due_date),
            };
            Some((
                *i,
                ReminderLine {
                    number: doc.number.clone(),
                    amount_due,
                    due_date,
                    days_overdue: (today - due_date).num_days(),
                    pay_url: doc.pay_url.clone(),
                    settlement: inv
                        .controls
                        .settlement
                        .as_ref()
                        .filter(|s| s.open_on(today))
                        .map(|s| (s.amount, s.pay_by)),
                },
            ))
        })
        .collect();
    lines.sort_by(|(_, a), (_, b)| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
    lines
}

#[cfg(test)]
mod tests;
