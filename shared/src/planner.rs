//! What to do about one invoice right now: send a step, wait, or take it off the due index.
//!
//! Steps are placed on business days at the opening of the debtor's sending window. When a run is late (the
//! scheduler was down, or the invoice arrived after some steps' days), only the latest step that is due is
//! sent and the earlier ones are marked skipped: a debtor never gets a burst of stale reminders.

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::Calendar;
use crate::ledger::Invoice;
use crate::policy::{Channel, Policy, Step};

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

/// When each step of the policy becomes due for an invoice due on `due`, earliest first.
pub fn schedule<'a>(due: NaiveDate, policy: &'a Policy, calendar: &Calendar) -> Vec<ScheduledStep<'a>> {
    let mut steps: Vec<ScheduledStep<'a>> = policy
        .steps
        .iter()
        .map(|step| ScheduledStep {
            step,
            at: calendar.opening(calendar.step_day(due, step.offset)),
            key: step_key(due, step),
        })
        .collect();
    steps.sort_by_key(|s| s.at);
    steps
}

/// The channels a debtor can be reached on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reachability {
    pub email: bool,
    pub sms: bool,
}

impl Reachability {
    fn allows(&self, channel: Channel) -> bool {
        match channel {
            Channel::Email => self.email,
            Channel::Sms => self.sms,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendPlan {
    pub step: Step,
    pub key: String,
    /// Channels of the step the debtor can be reached on; never empty.
    pub channels: Vec<Channel>,
    /// Earlier steps that are now out of date and will not be sent.
    pub skipped: Vec<String>,
    /// When to look at the invoice again after this send; `None` when no step is left.
    pub next_action_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Send(SendPlan),
    /// Nothing to send yet; look again at this time.
    WaitUntil(DateTime<Utc>),
    /// A step is due but the debtor has no channel it uses: it is recorded as skipped.
    Skip {
        keys: Vec<String>,
        next_action_at: Option<DateTime<Utc>>,
    },
    /// Every step is behind us.
    Finished,
    /// Paid, voided, a draft, or not seen yet: no reminders.
    NotOpen,
    /// The creditor switched reminders off.
    Disabled,
}

impl Decision {
    /// Why nothing is sent, in words for logs and reports.
    pub fn reason(&self) -> &'static str {
        match self {
            Decision::Send(_) => "a step is due",
            Decision::WaitUntil(_) => "the next step is not due yet, or the sending window is closed",
            Decision::Skip { .. } => "the debtor has no address for this step's channels",
            Decision::Finished => "every step has been sent",
            Decision::NotOpen => "the invoice is paid, voided, a draft or unknown",
            Decision::Disabled => "reminders are switched off",
        }
    }
}

pub fn decide(
    invoice: &Invoice,
    policy: &Policy,
    calendar: &Calendar,
    reach: Reachability,
    now: DateTime<Utc>,
) -> Decision {
    let Some(doc) = invoice.doc.as_ref().filter(|_| invoice.is_open()) else {
        return Decision::NotOpen;
    };
    if !policy.enabled {
        return Decision::Disabled;
    }
    let done = &invoice.progress.steps_done;
    let pending: Vec<ScheduledStep<'_>> = schedule(doc.due_date, policy, calendar)
        .into_iter()
        .filter(|s| !done.contains(&s.key))
        .collect();
    let (due, later): (Vec<_>, Vec<_>) = pending.into_iter().partition(|s| s.at <= now);
    let next_after = later.first().map(|s| s.at);

    let Some((latest, earlier)) = due.split_last() else {
        return match next_after {
            Some(at) => Decision::WaitUntil(at),
            None => Decision::Finished,
        };
    };
    let channels: Vec<Channel> = latest
        .step
        .channels
        .iter()
        .copied()
        .filter(|c| reach.allows(*c))
        .collect();
    let skipped: Vec<String> = earlier.iter().map(|s| s.key.clone()).collect();
    if channels.is_empty() {
        let mut keys = skipped;
        keys.push(latest.key.clone());
        return Decision::Skip {
            keys,
            next_action_at: next_after,
        };
    }
    if !calendar.is_open(now) {
        return Decision::WaitUntil(calendar.next_open(now));
    }
    Decision::Send(SendPlan {
        step: latest.step.clone(),
        key: latest.key.clone(),
        channels,
        skipped,
        next_action_at: next_after,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::canonical::{DocumentStatus, InvoiceFact, InvoiceSnapshot};
    use crate::ids::{CreditorId, DebtorId, InvoiceId};
    use crate::ledger::merge;
    use crate::money::{Currency, Money};
    use crate::policy::{SendingWindow, Tone};

    fn cal() -> Calendar {
        Calendar::new(chrono_tz::Europe::Tallinn, SendingWindow::default())
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    const ALL: Reachability = Reachability { email: true, sms: true };

    /// An open invoice due Tuesday 2026-12-01.
    fn invoice() -> Invoice {
        let eur = Currency::parse("EUR").unwrap();
        let fact = InvoiceFact::Upserted(InvoiceSnapshot {
            invoice_id: InvoiceId::parse("inv-1").unwrap(),
            number: "INV-1".into(),
            debtor_id: DebtorId::parse("cus-1").unwrap(),
            total: Money {
                minor: 10_000,
                currency: eur,
            },
            amount_due: Money {
                minor: 10_000,
                currency: eur,
            },
            issue_date: None,
            due_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            status: DocumentStatus::Open,
            pay_url: None,
            updated_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        });
        merge(
            None,
            &CreditorId::parse("acme").unwrap(),
            &fact,
            utc("2026-11-01T00:00:00Z"),
        )
        .unwrap()
        .unwrap()
    }

    #[test]
    fn the_default_schedule_lands_on_business_mornings() {
        let policy = Policy::default();
        let times: Vec<String> = schedule(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), &policy, &cal())
            .iter()
            .map(|s| format!("{} {}", s.step.id, s.at.to_rfc3339()))
            .collect();
        assert_eq!(
            times,
            [
                // Saturday 28 Nov moves to Monday 30 Nov; 09:00 in Tallinn is 07:00 UTC in winter.
                "before-3 2026-11-30T07:00:00+00:00",
                "on-due 2026-12-01T07:00:00+00:00",
                "after-1 2026-12-02T07:00:00+00:00",
                "after-7 2026-12-10T07:00:00+00:00",
                "after-14 2026-12-21T07:00:00+00:00",
            ]
        );
    }

    #[test]
    fn waits_for_the_first_step() {
        let d = decide(&invoice(), &Policy::default(), &cal(), ALL, utc("2026-11-20T10:00:00Z"));
        assert_eq!(d, Decision::WaitUntil(utc("2026-11-30T07:00:00Z")));
    }

    #[test]
    fn sends_a_due_step_inside_the_window() {
        let Decision::Send(plan) = decide(&invoice(), &Policy::default(), &cal(), ALL, utc("2026-11-30T08:00:00Z"))
        else {
            panic!("expected a send")
        };
        assert_eq!(plan.key, "2026-12-01/before-3");
        assert_eq!(plan.step.tone, Tone::Friendly);
        assert_eq!(plan.channels, [Channel::Email]);
        assert!(plan.skipped.is_empty());
        assert_eq!(plan.next_action_at, Some(utc("2026-12-01T07:00:00Z")));
    }

    #[test]
    fn a_late_run_sends_only_the_latest_due_step() {
        let Decision::Send(plan) = decide(&invoice(), &Policy::default(), &cal(), ALL, utc("2026-12-10T09:00:00Z"))
        else {
            panic!("expected a send")
        };
        assert_eq!(plan.key, "2026-12-01/after-7");
        assert_eq!(plan.step.tone, Tone::Firm);
        assert_eq!(
            plan.skipped,
            ["2026-12-01/before-3", "2026-12-01/on-due", "2026-12-01/after-1"]
        );
    }

    #[test]
    fn never_sends_outside_the_window() {
        // Wednesday 2 December, 20:00 in Tallinn.
        let d = decide(&invoice(), &Policy::default(), &cal(), ALL, utc("2026-12-02T18:00:00Z"));
        assert_eq!(d, Decision::WaitUntil(utc("2026-12-03T07:00:00Z")));
    }

    #[test]
    fn sent_steps_are_not_sent_again() {
        let mut inv = invoice();
        inv.progress.steps_done = vec!["2026-12-01/before-3".into()];
        let d = decide(&inv, &Policy::default(), &cal(), ALL, utc("2026-11-30T08:00:00Z"));
        assert_eq!(d, Decision::WaitUntil(utc("2026-12-01T07:00:00Z")));
    }

    #[test]
    fn sms_only_when_the_debtor_has_a_phone() {
        let email_only = Reachability {
            email: true,
            sms: false,
        };
        let Decision::Send(plan) = decide(
            &invoice(),
            &Policy::default(),
            &cal(),
            email_only,
            utc("2026-12-02T08:00:00Z"),
        ) else {
            panic!("expected a send")
        };
        assert_eq!(plan.channels, [Channel::Email]);
        let nobody = Reachability {
            email: false,
            sms: false,
        };
        let d = decide(
            &invoice(),
            &Policy::default(),
            &cal(),
            nobody,
            utc("2026-12-02T08:00:00Z"),
        );
        assert!(matches!(d, Decision::Skip { ref keys, .. } if keys.len() == 3), "{d:?}");
    }

    #[test]
    fn finished_paid_and_disabled() {
        let mut inv = invoice();
        inv.progress.steps_done = schedule(
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            &Policy::default(),
            &cal(),
        )
        .into_iter()
        .map(|s| s.key)
        .collect();
        assert_eq!(
            decide(&inv, &Policy::default(), &cal(), ALL, utc("2027-01-10T08:00:00Z")),
            Decision::Finished
        );
        let mut paid = invoice();
        paid.balance.as_mut().unwrap().amount_due.minor = 0;
        assert_eq!(
            decide(&paid, &Policy::default(), &cal(), ALL, utc("2026-12-02T08:00:00Z")),
            Decision::NotOpen
        );
        let off = Policy {
            enabled: false,
            ..Policy::default()
        };
        assert_eq!(
            decide(&invoice(), &off, &cal(), ALL, utc("2026-12-02T08:00:00Z")),
            Decision::Disabled
        );
    }
}
