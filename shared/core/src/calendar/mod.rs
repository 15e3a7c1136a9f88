//! Business days and sending windows in the debtor's own time zone.

pub mod bounds;
pub mod holidays;
pub mod names;
pub mod place;
pub mod zones;

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::model::{Creditor, Debtor};
use crate::policy::{Offset, SendingWindow};

/// Why a day is not a business day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    Weekend,
    Holiday(holidays::Holiday),
}

/// The days and hours in which one debtor may be contacted: business days of the debtor's country, inside
/// the sending window in the debtor's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub time_zone: Tz,
    pub window: SendingWindow,
    /// ISO 3166-1 alpha-2; its public holidays are not business days.
    pub country: Option<String>,
    /// What the debtor's country expects of reminders to them, on top of the creditor's policy.
    pub rules: crate::country_rules::Applied,
}

impl Calendar {
    pub fn new(time_zone: Tz, window: SendingWindow) -> Self {
        Calendar {
            time_zone,
            window: window.clamped(),
            country: None,
            rules: crate::country_rules::Applied::default(),
        }
    }

    pub fn with_country(mut self, country: Option<&str>) -> Self {
        self.country = country.map(str::to_string);
        self
    }

    /// Why `day` is not a business day, if it is not.
    pub fn closed_because(&self, day: NaiveDate) -> Option<Closed> {
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            return Some(Closed::Weekend);
        }
        let country = self.country.as_deref()?;
        crate::calendar::holidays::holiday(country, day).map(Closed::Holiday)
    }

    pub fn is_business_day(&self, day: NaiveDate) -> bool {
        self.closed_because(day).is_none()
    }

    pub fn business_day_on_or_after(&self, mut day: NaiveDate) -> NaiveDate {
        // No country closes for a month; the bound only matters at chrono's last day.
        for _ in 0..31 {
            if self.is_business_day(day) {
                break;
            }
            day = bounds::shift(day, 1);
        }
        day
    }

    /// `n` business days after (or, if negative, before) `day`.
    pub fn add_business_days(&self, mut day: NaiveDate, n: i32) -> NaiveDate {
        let mut remaining = n.unsigned_abs();
        while remaining > 0 {
            let next = bounds::shift(day, if n > 0 { 1 } else { -1 });
            if next == day {
                break;
            }
            day = next;
            if self.is_business_day(day) {
                remaining -= 1;
            }
        }
        day
    }

    /// The local day a step falls on; a weekend moves it to the next business day.
    pub fn step_day(&self, due: NaiveDate, offset: Offset) -> NaiveDate {
        self.business_day_on_or_after(self.nominal_step_day(due, offset))
    }

    /// The day a step's offset names, before a closed day moves it to the next business day.
    pub fn nominal_step_day(&self, due: NaiveDate, offset: Offset) -> NaiveDate {
        match offset {
            Offset::CalendarDays(n) => bounds::shift(due, i64::from(n)),
            Offset::BusinessDays(n) => self.add_business_days(due, n),
        }
    }

    /// The instant the window opens on `day`, local time. In a daylight-saving gap the first valid
    /// instant after it is used.
    pub fn opening(&self, day: NaiveDate) -> DateTime<Utc> {
        self.local_to_utc(day.and_time(self.window.start))
    }

    fn local_to_utc(&self, mut local: NaiveDateTime) -> DateTime<Utc> {
        // A daylight-saving gap is at most two hours; the bound only matters at chrono's limits.
        for _ in 0..16 {
            match self.time_zone.from_local_datetime(&local) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
                LocalResult::None => match local.checked_add_signed(chrono::Duration::minutes(15)) {
                    Some(later) => local = later,
                    None => break,
                },
            }
        }
        Utc.from_utc_datetime(&local)
    }

    /// Whether a message may go out at `t`.
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&self.time_zone);
        let time = local.time();
        self.is_business_day(local.date_naive()) && time >= self.window.start && time < self.window.end
    }

    /// `t` itself when the window is open then, otherwise the next opening.
    pub fn next_open(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        if self.is_open(t) {
            return t;
        }
        let local = t.with_timezone(&self.time_zone);
        let today = local.date_naive();
        if self.is_business_day(today) && local.time() < self.window.start {
            return self.opening(today);
        }
        self.opening(self.business_day_on_or_after(bounds::shift(today, 1)))
    }
}

/// The debtor's time zone and country (see [`place::whereabouts`]), and their country's rules, read for a
/// consumer when the debtor's group is one of the creditor's consumer groups.
pub fn calendar_for(creditor: &Creditor, debtor: Option<&Debtor>) -> Calendar {
    let w = place::whereabouts(creditor, debtor);
    let consumer = crate::policy::precedence::group_of(creditor, debtor)
        .is_some_and(|(group, _)| creditor.late_charges.consumer_groups.contains_key(group));
    let mut calendar = Calendar::new(w.time_zone, creditor.policy.window).with_country(Some(&w.country));
    calendar.rules = crate::country_rules::Applied::for_debtor(Some(&w.country), consumer);
    calendar
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn cal() -> Calendar {
        Calendar::new(chrono_tz::Europe::Tallinn, SendingWindow::default())
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn business_days_skip_weekends() {
        // 2026-11-27 is a Friday.
        assert_eq!(cal().add_business_days(day(2026, 11, 27), 1), day(2026, 11, 30));
        assert_eq!(cal().add_business_days(day(2026, 11, 27), 7), day(2026, 12, 8));
        assert_eq!(cal().add_business_days(day(2026, 11, 30), -1), day(2026, 11, 27));
        assert_eq!(cal().add_business_days(day(2026, 11, 28), 0), day(2026, 11, 28));
    }

    #[test]
    fn steps_on_weekends_move_to_monday() {
        // Due Tuesday 2026-12-01; three days before is Saturday.
        assert_eq!(
            cal().step_day(day(2026, 12, 1), Offset::CalendarDays(-3)),
            day(2026, 11, 30)
        );
        assert_eq!(
            cal().step_day(day(2026, 11, 29), Offset::CalendarDays(0)),
            day(2026, 11, 30)
        );
    }

    #[test]
    fn opening_is_local_nine_oclock() {
        // Tallinn is UTC+2 in winter and UTC+3 in summer.
        assert_eq!(
            cal().opening(day(2026, 11, 30)).to_rfc3339(),
            "2026-11-30T07:00:00+00:00"
        );
        assert_eq!(cal().opening(day(2026, 7, 1)).to_rfc3339(), "2026-07-01T06:00:00+00:00");
    }

    #[test]
    fn holidays_are_not_business_days() {
        let ee = cal().with_country(Some("EE"));
        // Thursday 24 and Friday 25 December 2026 are holidays in Estonia, then a weekend.
        assert_eq!(ee.business_day_on_or_after(day(2026, 12, 24)), day(2026, 12, 28));
        assert_eq!(ee.add_business_days(day(2026, 12, 23), 1), day(2026, 12, 28));
        let Some(Closed::Holiday(eve)) = ee.closed_because(day(2026, 12, 24)) else {
            panic!("Christmas Eve is a holiday in Estonia");
        };
        assert_eq!((eve.english(), eve.country()), ("Christmas Eve", "EE"));
        assert_eq!(ee.closed_because(day(2026, 12, 26)), Some(Closed::Weekend));
        assert!(
            cal().is_business_day(day(2026, 12, 24)),
            "without a country only weekends count"
        );
    }

    #[test]
    fn the_window_is_never_wider_than_eight_to_eight() {
        let wide = SendingWindow {
            start: NaiveTime::from_hms_opt(6, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
        };
        let c = Calendar::new(chrono_tz::Europe::Tallinn, wide);
        assert_eq!(c.window.start, NaiveTime::from_hms_opt(8, 0, 0).unwrap());
        assert_eq!(c.window.end, NaiveTime::from_hms_opt(20, 0, 0).unwrap());
    }

    #[test]
    fn next_open_respects_window_and_weekend() {
        let c = cal();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // Friday 18:00 local -> Monday 09:00 local.
        assert_eq!(c.next_open(at("2026-11-27T16:00:00Z")), at("2026-11-30T07:00:00Z"));
        // Monday 06:00 local -> 09:00 the same day.
        assert_eq!(c.next_open(at("2026-11-30T04:00:00Z")), at("2026-11-30T07:00:00Z"));
        // Inside the window: now.
        assert_eq!(c.next_open(at("2026-11-30T10:00:00Z")), at("2026-11-30T10:00:00Z"));
        // The window end is exclusive.
        let end = c.opening(day(2026, 11, 30)) + chrono::Duration::hours(8);
        assert!(!c.is_open(end));
        assert_eq!(c.window.end, NaiveTime::from_hms_opt(17, 0, 0).unwrap());
    }

    #[test]
    fn arithmetic_at_the_end_of_time_saturates_instead_of_panicking() {
        let last = NaiveDate::MAX;
        for offset in [
            Offset::CalendarDays(30),
            Offset::BusinessDays(10),
            Offset::BusinessDays(-3),
        ] {
            let stepped = cal().step_day(last, offset);
            assert!(stepped <= last);
            let _ = cal().opening(stepped);
        }
        assert_eq!(
            cal().business_day_on_or_after(NaiveDate::MIN).year(),
            NaiveDate::MIN.year()
        );
    }
}
