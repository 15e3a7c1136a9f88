//! "What will be sent, when, on which channel, and why" for one invoice: the plan simulated forward.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::cadence::Listed;
use super::{
    compose, plan_invoice, sort_due, Context, DebtorDecision, Deferral, DueStep, Hold, InvoicePlan, Reachability,
};
use fluent_bundle::FluentArgs;

use super::words::{hold_words, rule_text};
use crate::calendar::{Calendar, Closed};
use crate::ledger::Invoice;
use crate::locale::wording_or_id;
use crate::locale::{format_date_time, Language};
use crate::policy::precedence::{group_of, reminders_switch, steps, Level, Switch};
use crate::policy::{Channel, Offset, Tone};
/// One message the plan expects to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedAction {
    pub at: DateTime<Utc>,
    pub step_id: String,
    /// The creditor's own name for the step, if they gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_name: Option<String>,
    pub tone: Tone,
    pub channels: Vec<Channel>,
    /// The rule that produced it, in words.
    pub rule: String,
    /// The same rule as data, for wording it in the creditor's language.
    #[serde(skip)]
    pub rule_parts: RuleParts,
}

/// What a planned message's rule says, as data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleParts {
    /// Days from the due date: negative before, zero on, positive after.
    pub days: i32,
    pub business_days: bool,
    /// The customer group's own steps, rather than the creditor's default.
    pub group_steps: bool,
    /// The day the step fell on and why it was closed, when it moved to the next business day.
    pub moved_from: Option<(NaiveDate, Closed)>,
    /// What first held the message back past its moment (a gap, a weekly cap, the hours, a closed day).
    pub deferred: Option<Deferral>,
    /// The debtor's country's rule that moved the step later.
    pub held_by: Option<crate::country_rules::Binding>,
}

fn rule_parts(d: &DueStep, calendar: &Calendar, deferred: Option<Deferral>) -> RuleParts {
    let (days, business_days) = match d.step.offset {
        Offset::CalendarDays(n) => (n, false),
        Offset::BusinessDays(n) => (n, true),
    };
    let raw = calendar.nominal_step_day(d.due_date, d.step.offset);
    RuleParts {
        days,
        business_days,
        group_steps: d.steps_from == Level::Group,
        moved_from: calendar.closed_because(raw).map(|why| (raw, why)),
        deferred,
        held_by: d.held_by,
    }
}

/// "What will be sent, when, on which channel, and why" for one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub reminders: Switch,
    pub group: Option<String>,
    pub steps_from: Level,
    pub reachable: Reachability,
    /// When the scheduler looks at the invoice next; `None`: it is off the due index.
    pub next_look: Option<DateTime<Utc>>,
    /// The next three messages, if nothing changes.
    pub planned: Vec<PlannedAction>,
    /// Why nothing (more) will be sent, when that is the case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nothing_because: Option<String>,
}

const PLANNED_ACTIONS: usize = 3;

/// When a message goes, in the debtor's own zone: `30.11.2026 09:00 Europe/Tallinn`.
fn local_time(lang: Language, calendar: &Calendar, at: DateTime<Utc>) -> String {
    let zone = calendar.time_zone;
    format!("{} {}", format_date_time(lang, zone, at), zone.name())
}

/// The plan in `lang`: its rules and reasons worded for the reader (the app's member, or the API's caller).
pub fn explain(invoice: &Invoice, ctx: &Context<'_>, now: DateTime<Utc>, lang: Language) -> Explanation {
    let today = now.with_timezone(&ctx.calendar.time_zone).date_naive();
    let group = group_of(ctx.creditor, ctx.debtor);
    let switch = reminders_switch(ctx.creditor, group, ctx.debtor, &invoice.controls, today);
    let (_, steps_from) = steps(ctx.creditor, group);
    let first_plan = plan_invoice(invoice, ctx, now);

    let bill_to: Vec<&[String]> = invoice.doc.iter().map(|d| d.bill_to.as_slice()).collect();
    let reach = Reachability::of(ctx.debtor, &bill_to);
    let mut simulated = invoice.clone();
    let mut debtor = ctx.debtor.cloned();
    let mut t = now;
    let mut deferred: Option<Deferral> = None;
    let mut planned = Vec::new();
    let mut nothing_because = None;
    // Bounded: every iteration sends, or moves `t` strictly forward to a finite set of instants.
    for _ in 0..64 {
        if planned.len() == PLANNED_ACTIONS {
            break;
        }
        let sim_ctx = Context {
            debtor: debtor.as_ref(),
            ..*ctx
        };
        match plan_invoice(&simulated, &sim_ctx, t) {
            InvoicePlan::Hold(h) => match h.resume_at(ctx.calendar).filter(|r| *r > t) {
                Some(resume) => t = resume,
                None => {
                    if planned.is_empty() || !matches!(h, Hold::Finished) {
                        nothing_because = Some(hold_words(&h, lang));
                    }
                    break;
                }
            },
            InvoicePlan::Waiting { until, .. } => {
                t = until;
                deferred = None;
            }
            InvoicePlan::Due(d) => {
                // The debtor's other open invoices are taken to stay as they are: the cadence is read from
                // the debtor's record and moved on by this invoice's messages alone.
                let sorted = sort_due(
                    &[((), InvoicePlan::Due(d.clone()))],
                    debtor.as_ref(),
                    &ctx.creditor.policy,
                    &ctx.calendar.rules,
                );
                if !sorted.held.is_empty() || !sorted.calls.is_empty() {
                    if !sorted.calls.is_empty() {
                        let parts = rule_parts(&d, ctx.calendar, None);
                        let call = wording_or_id(lang, "plan-call", &FluentArgs::new());
                        planned.push(PlannedAction {
                            at: t,
                            step_id: d.step.id.clone(),
                            step_name: d.step.name.clone(),
                            tone: d.step.tone,
                            channels: Vec::new(),
                            rule: format!("{}; {call}", rule_text(lang, &parts)),
                            rule_parts: parts,
                        });
                    }
                    simulated.progress.steps_done.extend(d.skipped.iter().cloned());
                    simulated.progress.steps_done.push(d.key.clone());
                    continue;
                }
                let plans = [((), InvoicePlan::Due(d.clone()))];
                match compose(&plans, debtor.as_ref(), reach, &ctx.creditor.policy, ctx.calendar, t) {
                    DebtorDecision::Defer { until, reason } => {
                        t = until;
                        deferred.get_or_insert(reason);
                    }
                    DebtorDecision::Send(statement) => {
                        let parts = rule_parts(&d, ctx.calendar, deferred.take());
                        planned.push(PlannedAction {
                            at: t,
                            step_id: d.step.id.clone(),
                            step_name: d.step.name.clone(),
                            tone: statement.tone,
                            channels: statement.channels,
                            rule: format!("{}; {}", rule_text(lang, &parts), local_time(lang, ctx.calendar, t)),
                            rule_parts: parts,
                        });
                        simulated.progress.steps_done.extend(d.skipped.iter().cloned());
                        simulated.progress.steps_done.push(d.key.clone());
                        if let Some(debtor) = debtor.as_mut() {
                            let listed = Listed {
                                invoice_id: d.invoice_id.as_str(),
                                amount_due_minor: d.amount_due_minor,
                                overdue: t.with_timezone(&ctx.calendar.time_zone).date_naive() > d.due_date,
                            };
                            let dunning = debtor
                                .history
                                .dunning
                                .after(statement.tone, statement.written, &[listed]);
                            debtor.history = debtor.history.with_message(t);
                            debtor.history.dunning = dunning;
                        }
                    }
                    DebtorDecision::Unreachable(_) => {
                        nothing_because = Some(wording_or_id(lang, "plan-unreachable", &FluentArgs::new()));
                        break;
                    }
                    DebtorDecision::Idle => break,
                }
            }
        }
    }
    Explanation {
        reminders: switch,
        group: group.map(|(name, _)| name.to_string()),
        steps_from,
        reachable: reach,
        next_look: first_plan.next_look(ctx.calendar, now),
        planned,
        nothing_because,
    }
}
