//! The range of dates Duly works with. A date outside it comes from a bug or an attack: far ahead, it would
//! overflow the calendar's arithmetic in every scheduler run that reads it, or (as a change time) make an
//! invoice newer than anything that could ever replace it.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The first and last day accepted from outside.
pub fn earliest() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
}

pub fn latest() -> NaiveDate {
    NaiveDate::from_ymd_opt(2100, 12, 31).expect("a valid date")
}

/// How far ahead of Duly's clock a platform's change time may be: clocks differ, but not by a day.
pub const MAX_CLOCK_AHEAD_HOURS: i64 = 24;

pub fn date_in_range(day: NaiveDate) -> bool {
    (earliest()..=latest()).contains(&day)
}

/// A change time in range, and no more than [`MAX_CLOCK_AHEAD_HOURS`] ahead of `now`.
pub fn change_time_acceptable(t: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    date_in_range(t.date_naive()) && t <= now + Duration::hours(MAX_CLOCK_AHEAD_HOURS)
}

/// `day` moved by `days`, saturating at chrono's limits instead of panicking.
pub fn shift(day: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        day.checked_add_days(chrono::Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(chrono::Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(if days >= 0 { NaiveDate::MAX } else { NaiveDate::MIN })
}

/// The longest wait a platform's number may set: a `Retry-After` or a token's `expires_in` is input like
/// any other, and an absurd one must neither overflow the clock nor park a connection for years.
pub const MAX_PLATFORM_WAIT_HOURS: i64 = 24;

/// `now` plus `seconds` a platform named, clamped to zero and [`MAX_PLATFORM_WAIT_HOURS`].
pub fn after_platform_wait(now: DateTime<Utc>, seconds: i128) -> DateTime<Utc> {
    let max = MAX_PLATFORM_WAIT_HOURS * 3600;
    let seconds = i64::try_from(seconds.clamp(0, i128::from(max))).unwrap_or(max);
    now.checked_add_signed(Duration::seconds(seconds))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_platform_s_wait_is_clamped_not_overflowed() {
        let now = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").unwrap().to_utc();
        assert_eq!(after_platform_wait(now, 1800), now + Duration::minutes(30));
        assert_eq!(after_platform_wait(now, -5), now);
        assert_eq!(
            after_platform_wait(now, i128::from(i64::MAX)),
            now + Duration::hours(24)
        );
        assert_eq!(
            after_platform_wait(now, i128::from(u64::MAX)),
            now + Duration::hours(24)
        );
        assert_eq!(
            after_platform_wait(DateTime::<Utc>::MAX_UTC, 60),
            DateTime::<Utc>::MAX_UTC
        );
    }

    #[test]
    fn the_range_is_1970_to_2100_and_shifting_saturates() {
        assert!(date_in_range(earliest()) && date_in_range(latest()));
        assert!(!date_in_range(NaiveDate::from_ymd_opt(1969, 12, 31).unwrap()));
        assert!(!date_in_range(NaiveDate::from_ymd_opt(2101, 1, 1).unwrap()));
        assert_eq!(shift(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(shift(NaiveDate::MIN, -1), NaiveDate::MIN);
        assert_eq!(shift(latest(), 1), NaiveDate::from_ymd_opt(2101, 1, 1).unwrap());
        let now = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z").unwrap().to_utc();
        assert!(change_time_acceptable(now + Duration::hours(24), now));
        assert!(!change_time_acceptable(
            now + Duration::hours(24) + Duration::seconds(1),
            now
        ));
    }
}
