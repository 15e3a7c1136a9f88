//! When a Merit company is polled, and what one poll reads, step by step.
//!
//! Merit has no webhooks, so Duly asks. During the creditor's business hours (weekdays 08:00–18:00 on
//! their clock) every ten minutes, when a payment is most likely to be booked and a reminder most likely to
//! go; otherwise hourly. Reminders wait when two polls in a row have been missed.
//!
//! One poll is a sequence of steps, each one request, so that a poll cut short (a timeout, a throttle, an
//! outage) goes on from the step it stopped at: the customers changed since the last poll; the invoices
//! changed since then (Merit filters by day, in periods of at most three months); and the creditor's open
//! invoices, period by period, to see what was paid or deleted.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;

/// Between polls in business hours.
pub const POLL_IN_BUSINESS_HOURS_MINUTES: i64 = 10;
/// Between polls outside them.
pub const POLL_OTHERWISE_MINUTES: i64 = 60;
/// Business hours on the creditor's clock, weekdays.
pub const BUSINESS_HOURS: (u32, u32) = (8, 18);
/// How late a due poll may start: the sync function's sweep runs every five minutes.
pub const SWEEP_EVERY_MINUTES: i64 = 5;
/// The longest period Merit lists in one request.
pub const PERIOD_MONTHS: u32 = 3;
/// How far back the first import looks for open invoices.
pub const IMPORT_MONTHS: u32 = 12;
/// The most periods one poll sweeps: open invoices older than two years are not looked at again.
pub const MAX_SWEEP_PERIODS: u32 = 8;

fn in_business_hours(local: DateTime<Tz>) -> bool {
    let weekday = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
    weekday && (BUSINESS_HOURS.0..BUSINESS_HOURS.1).contains(&local.hour())
}

/// The next start of business hours after `local`.
fn next_opening(local: DateTime<Tz>, tz: Tz) -> DateTime<Utc> {
    let opening = NaiveTime::from_hms_opt(BUSINESS_HOURS.0, 0, 0).expect("a time of day");
    let mut day = local.date_naive();
    for _ in 0..8 {
        let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if let Some(at) = tz.from_local_datetime(&day.and_time(opening)).earliest() {
            if weekday && at > local {
                return at.to_utc();
            }
        }
        day = day.succ_opt().unwrap_or(day);
    }
    local.to_utc() + Duration::hours(24)
}

/// When the poll after one at `after` is due: ten minutes on in business hours, else an hour on or the
/// next opening, whichever is sooner.
pub fn next_poll(after: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    let local = after.with_timezone(&tz);
    if in_business_hours(local) {
        return after + Duration::minutes(POLL_IN_BUSINESS_HOURS_MINUTES);
    }
    (after + Duration::minutes(POLL_OTHERWISE_MINUTES)).min(next_opening(local, tz))
}

/// Whether Duly's copy of a polled company is too old to remind from: the two polls due after the last
/// that succeeded have both been missed (with the sweep's own lateness allowed).
pub fn poll_overdue(last_poll: DateTime<Utc>, tz: Tz, now: DateTime<Utc>) -> bool {
    let second = next_poll(next_poll(last_poll, tz), tz);
    now > second + Duration::minutes(SWEEP_EVERY_MINUTES)
}

/// One request of a poll, and where a cut-short poll goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Customers changed since the last poll (all of them on the first).
    Customers,
    /// Invoices changed in the period starting that day.
    Changed(NaiveDate),
    /// Unpaid invoices dated in the period starting that day, against Duly's open ones.
    Open(NaiveDate),
}

impl Step {
    /// The cursor a sync job keeps: `customers`, `changed:20261201`, `open:20260901`.
    pub fn cursor(self) -> String {
        match self {
            Step::Customers => "customers".to_string(),
            Step::Changed(d) => format!("changed:{}", d.format("%Y%m%d")),
            Step::Open(d) => format!("open:{}", d.format("%Y%m%d")),
        }
    }

    /// A stored cursor; `None` for anything else (the poll then starts from its first step).
    pub fn from_cursor(raw: &str) -> Option<Step> {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y%m%d").ok();
        match raw.split_once(':') {
            None if raw == "customers" => Some(Step::Customers),
            Some(("changed", d)) => day(d).map(Step::Changed),
            Some(("open", d)) => day(d).map(Step::Open),
            _ => None,
        }
    }
}

/// The period a step starting on `start` lists, ending no later than `today`.
pub fn period(start: NaiveDate, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let end = start
        .checked_add_months(Months::new(PERIOD_MONTHS))
        .and_then(|d| d.pred_opt())
        .unwrap_or(today)
        .min(today);
    (start, end.max(start))
}

/// Where the sweep of open invoices starts: the oldest open invoice Duly holds of this company, no later
/// than one period ago (so that new invoices dated in the past are seen) and no earlier than
/// [`MAX_SWEEP_PERIODS`] periods ago; on the first import, [`IMPORT_MONTHS`] ago.
pub fn sweep_from(oldest_open: Option<NaiveDate>, first_import: bool, today: NaiveDate) -> NaiveDate {
    let back = |months: u32| today.checked_sub_months(Months::new(months)).unwrap_or(today);
    if first_import {
        return back(IMPORT_MONTHS);
    }
    let recent = back(PERIOD_MONTHS);
    let earliest = back(PERIOD_MONTHS * MAX_SWEEP_PERIODS);
    oldest_open.map_or(recent, |d| d.min(recent)).max(earliest)
}

/// What a poll reads after `step`; `None` when it is done. `since` is the day the last poll started
/// (`None` on the first import, which reads no changes: everything open is read by the sweep).
pub fn next_step(step: Step, since: Option<NaiveDate>, sweep_start: NaiveDate, today: NaiveDate) -> Option<Step> {
    match step {
        Step::Customers => Some(match since {
            Some(day) => Step::Changed(day.min(today)),
            None => Step::Open(sweep_start),
        }),
        Step::Changed(start) => {
            let (_, end) = period(start, today);
            Some(match end < today {
                true => Step::Changed(end.succ_opt()?),
                false => Step::Open(sweep_start),
            })
        }
        Step::Open(start) => {
            let (_, end) = period(start, today);
            (end < today).then(|| end.succ_opt()).flatten().map(Step::Open)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn polls_are_ten_minutes_apart_in_business_hours_and_hourly_otherwise() {
        let tallinn = chrono_tz::Europe::Tallinn;
        // Monday 7 December 2026, 10:00 in Tallinn (08:00 UTC).
        assert_eq!(
            next_poll(at("2026-12-07T08:00:00Z"), tallinn),
            at("2026-12-07T08:10:00Z")
        );
        // 21:00 in Tallinn: an hour on.
        assert_eq!(
            next_poll(at("2026-12-07T19:00:00Z"), tallinn),
            at("2026-12-07T20:00:00Z")
        );
        // 07:30 in Tallinn: at the opening, 08:00, rather than an hour on.
        assert_eq!(
            next_poll(at("2026-12-08T05:30:00Z"), tallinn),
            at("2026-12-08T06:00:00Z")
        );
        // Saturday noon: hourly.
        assert_eq!(
            next_poll(at("2026-12-12T10:00:00Z"), tallinn),
            at("2026-12-12T11:00:00Z")
        );
        // The same instant is business hours in Tallinn and night in New York.
        let new_york = chrono_tz::America::New_York;
        assert_eq!(
            next_poll(at("2026-12-07T08:00:00Z"), new_york),
            at("2026-12-07T09:00:00Z")
        );
    }

    #[test]
    fn reminders_wait_once_two_polls_in_a_row_are_missed() {
        let tallinn = chrono_tz::Europe::Tallinn;
        let last = at("2026-12-07T08:00:00Z");
        // Due 08:10 and 08:20; a sweep may start either up to five minutes late.
        assert!(!poll_overdue(last, tallinn, at("2026-12-07T08:24:00Z")));
        assert!(poll_overdue(last, tallinn, at("2026-12-07T08:26:00Z")));
        // At night, two hours and five minutes.
        let night = at("2026-12-07T20:00:00Z");
        assert!(!poll_overdue(night, tallinn, at("2026-12-07T22:04:00Z")));
        assert!(poll_overdue(night, tallinn, at("2026-12-07T22:06:00Z")));
    }

    #[test]
    fn a_poll_reads_customers_then_changes_then_open_invoices_in_periods_of_three_months() {
        let today = day("2026-12-07");
        let sweep = sweep_from(Some(day("2026-03-15")), false, today);
        assert_eq!(sweep, day("2026-03-15"));
        let mut steps = vec![Step::Customers];
        while let Some(next) = next_step(*steps.last().unwrap(), Some(day("2026-12-07")), sweep, today) {
            steps.push(next);
        }
        let cursors: Vec<String> = steps.iter().map(|s| s.cursor()).collect();
        assert_eq!(
            cursors,
            [
                "customers",
                "changed:20261207",
                "open:20260315",
                "open:20260615",
                "open:20260915"
            ]
        );
        assert_eq!(period(day("2026-09-15"), today), (day("2026-09-15"), day("2026-12-07")));
        assert_eq!(period(day("2026-03-15"), today), (day("2026-03-15"), day("2026-06-14")));
        for cursor in &cursors {
            assert_eq!(Step::from_cursor(cursor).map(Step::cursor).as_ref(), Some(cursor));
        }
        assert_eq!(Step::from_cursor("open:2026"), None);
    }

    #[test]
    fn the_sweep_reaches_back_at_most_two_years_and_at_least_one_period() {
        let today = day("2026-12-07");
        assert_eq!(sweep_from(None, false, today), day("2026-09-07"));
        assert_eq!(sweep_from(Some(day("2026-11-30")), false, today), day("2026-09-07"));
        assert_eq!(sweep_from(Some(day("2019-01-01")), false, today), day("2024-12-07"));
        assert_eq!(sweep_from(None, true, today), day("2025-12-07"));
        // The first import reads no changes: what is open is all it needs.
        assert_eq!(
            next_step(Step::Customers, None, day("2025-12-07"), today),
            Some(Step::Open(day("2025-12-07")))
        );
    }
}
