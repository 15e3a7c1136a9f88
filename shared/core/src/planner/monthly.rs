//! The monthly statement of account: for debtors in a customer group that has it switched on, on the
//! business day of the month the creditor chose, one message listing every open invoice, what was paid
//! since the last statement, and the balance. It goes whether or not a reminder step is due, and counts
//! against the minimum gap and the weekly cap like any other message.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::calendar::{bounds, Calendar};
use crate::model::{Creditor, Debtor, InvoiceControls};
use crate::policy::precedence::{group_of, reminders_switch};
use crate::policy::Channel;

pub use crate::policy::statement::MonthlyStatement;

/// A statement not sent within this many days of its day waits for the next month's: switching
/// statements on late in a month does not send one at once.
pub const LATE_BY_AT_MOST_DAYS: i64 = 7;

impl MonthlyStatement {
    /// The statement's day in the month of `day`.
    pub fn day_in(&self, calendar: &Calendar, day: NaiveDate) -> NaiveDate {
        let first = day.with_day(1).unwrap_or(day);
        let first_open = calendar.business_day_on_or_after(first);
        calendar.add_business_days(first_open, i32::from(self.business_day.max(1)) - 1)
    }

    /// When the debtor's next statement is due: this month's, unless it was sent or is long past, else
    /// next month's; at the opening of the debtor's window.
    pub fn next_at(&self, calendar: &Calendar, debtor: &Debtor, now: DateTime<Utc>) -> DateTime<Utc> {
        let today = now.with_timezone(&calendar.time_zone).date_naive();
        let this = self.day_in(calendar, today);
        let sent_this_month = debtor.history.statement_on.is_some_and(|d| {
            // A statement sent for this month (on its day or in the week after).
            d.year() == this.year() && d.month() == this.month() && d >= this
        });
        if !sent_this_month && today >= this && (today - this).num_days() < LATE_BY_AT_MOST_DAYS {
            return calendar.opening(this);
        }
        if !sent_this_month && today < this {
            return calendar.opening(this);
        }
        let next_month = bounds::shift(this.with_day(1).unwrap_or(this), 32);
        calendar.opening(self.day_in(calendar, next_month))
    }

    /// Whether the debtor's statement is due now.
    pub fn due(&self, calendar: &Calendar, debtor: &Debtor, now: DateTime<Utc>) -> bool {
        self.next_at(calendar, debtor, now) <= now
    }
}

/// What the debtor's monthly statement comes to now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MonthlyDecision {
    /// Not yet: the next one is due then.
    NotDue {
        at: DateTime<Utc>,
    },
    /// Due, but the window is closed, the gap since the last message has not passed, or the weekly cap
    /// is reached.
    Wait {
        until: DateTime<Utc>,
        reason: super::Deferral,
    },
    Send,
}

/// The debtor's statement setting, if they get statements: their group has them on, reminders are on
/// for them, and they can be e-mailed.
pub fn setting(creditor: &Creditor, debtor: &Debtor, today: NaiveDate) -> Option<MonthlyStatement> {
    let group = group_of(creditor, Some(debtor));
    let statement = group.and_then(|(_, g)| g.statement)?;
    let on = reminders_switch(creditor, group, Some(debtor), &InvoiceControls::default(), today).on;
    let email = debtor
        .email
        .as_deref()
        .is_some_and(|e| !debtor.controls.refuses(e) && !debtor.controls.opted_out.contains(&Channel::Email));
    (on && email).then_some(statement)
}

pub fn decide(
    creditor: &Creditor,
    debtor: &Debtor,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Option<MonthlyDecision> {
    let today = now.with_timezone(&calendar.time_zone).date_naive();
    let statement = setting(creditor, debtor, today)?;
    let at = statement.next_at(calendar, debtor, now);
    if at > now {
        return Some(MonthlyDecision::NotDue { at });
    }
    let (earliest, reason) = super::throttle_release(Some(debtor), &creditor.policy, &calendar.rules, now);
    let until = calendar.next_open(earliest);
    if until > now {
        let reason = super::wait_reason(reason, earliest, calendar, now);
        return Some(MonthlyDecision::Wait { until, reason });
    }
    Some(MonthlyDecision::Send)
}

/// When the scheduler must look at the debtor's invoices again for their statement, if ever.
pub fn wake_at(
    creditor: &Creditor,
    debtor: Option<&Debtor>,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match decide(creditor, debtor?, calendar, now)? {
        MonthlyDecision::NotDue { at } => Some(at),
        MonthlyDecision::Wait { until, .. } => Some(until),
        MonthlyDecision::Send => Some(now),
    }
}

/// The earlier of an invoice's own next look and the statement's.
pub fn earliest(next: Option<DateTime<Utc>>, wake: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (next, wake) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The debtor's recorded payments since the last statement: the statement lists the invoices paid since (as far as the debtor's payment record reaches, see `risk::history`).
pub fn paid_since(debtor: &Debtor) -> Vec<&crate::model::PaidLate> {
    debtor
        .paid_late
        .iter()
        .filter(|p| debtor.history.statement_on.is_none_or(|last| p.paid_on >= last))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::SendingWindow;
    use crate::testing::{day, debtor, utc};

    fn ee() -> Calendar {
        Calendar::new(chrono_tz::Europe::Tallinn, SendingWindow::default()).with_country(Some("EE"))
    }

    #[test]
    fn the_statement_falls_on_the_chosen_business_day() {
        let cal = ee();
        let first = MonthlyStatement { business_day: 1 };
        // 1 January 2027 is a holiday and the 2nd and 3rd a weekend: the first business day is Monday 4th.
        assert_eq!(first.day_in(&cal, day(2027, 1, 20)), day(2027, 1, 4));
        assert_eq!(first.day_in(&cal, day(2026, 12, 20)), day(2026, 12, 1));
        let third = MonthlyStatement { business_day: 3 };
        assert_eq!(third.day_in(&cal, day(2026, 12, 1)), day(2026, 12, 3));
        assert!(MonthlyStatement { business_day: 0 }.check().is_err());
        assert!(MonthlyStatement { business_day: 11 }.check().is_err());
    }

    #[test]
    fn a_statement_is_due_once_a_month_from_its_day_and_not_long_after() {
        let cal = ee();
        let s = MonthlyStatement { business_day: 1 };
        let mut d = debtor();
        // Tuesday 1 December, 09:00 in Tallinn.
        assert_eq!(
            s.next_at(&cal, &d, utc("2026-11-30T08:00:00Z")),
            utc("2026-12-01T07:00:00Z")
        );
        assert!(!s.due(&cal, &d, utc("2026-12-01T06:00:00Z")), "before the window opens");
        assert!(s.due(&cal, &d, utc("2026-12-01T07:00:00Z")));
        assert!(
            s.due(&cal, &d, utc("2026-12-04T10:00:00Z")),
            "a few days late it still goes"
        );
        assert_eq!(
            s.next_at(&cal, &d, utc("2026-12-09T08:00:00Z")),
            utc("2027-01-04T07:00:00Z"),
            "switched on a week after the day: next month's"
        );
        d.history.statement_on = Some(day(2026, 12, 1));
        assert!(!s.due(&cal, &d, utc("2026-12-02T08:00:00Z")), "sent this month");
        assert_eq!(
            s.next_at(&cal, &d, utc("2026-12-02T08:00:00Z")),
            utc("2027-01-04T07:00:00Z")
        );
        assert!(s.due(&cal, &d, utc("2027-01-04T07:00:00Z")));
    }

    #[test]
    fn a_statement_goes_to_a_group_that_has_it_counts_against_the_gap_and_needs_an_address() {
        let cal = ee();
        let mut c = crate::testing::creditor();
        let mut d = debtor();
        let now = utc("2026-12-01T07:00:00Z");
        assert_eq!(decide(&c, &d, &cal, now), None, "not in a group with statements");
        c.groups.insert(
            "Trade".into(),
            crate::policy::CustomerGroup {
                name: String::new(),
                enabled: true,
                steps: None,
                platform_groups: vec![],
                place: Default::default(),
                statement: Some(MonthlyStatement { business_day: 1 }),
                attach_invoice: None,
            },
        );
        d.controls.group = Some("Trade".into());
        assert_eq!(decide(&c, &d, &cal, now), Some(MonthlyDecision::Send));
        assert_eq!(wake_at(&c, Some(&d), &cal, now), Some(now));
        // A reminder went out at 12:00 UTC the day before: the default 20 hours' gap ends at 08:00 UTC,
        // an hour after the window opened.
        d.history = d.history.with_message(utc("2026-11-30T12:00:00Z"));
        assert_eq!(
            decide(&c, &d, &cal, now),
            Some(MonthlyDecision::Wait {
                until: utc("2026-12-01T08:00:00Z"),
                reason: crate::planner::Deferral::Gap
            })
        );
        d.email = None;
        assert_eq!(decide(&c, &d, &cal, now), None, "no address");
        assert_eq!(earliest(Some(now), None), Some(now));
        assert_eq!(earliest(None, Some(now)), Some(now));
    }

    #[test]
    fn the_payments_since_the_last_statement_are_listed() {
        let mut d = debtor();
        let paid = |id: &str, on| crate::model::PaidLate {
            invoice_id: id.into(),
            paid_on: on,
            days: 0,
        };
        d.paid_late = vec![paid("a", day(2026, 11, 20)), paid("b", day(2026, 12, 3))];
        assert_eq!(paid_since(&d).len(), 2, "no statement yet: every recorded payment");
        d.history.statement_on = Some(day(2026, 12, 1));
        assert_eq!(
            paid_since(&d).iter().map(|p| p.invoice_id.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
    }
}
