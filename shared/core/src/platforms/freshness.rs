//! Whether Duly's copy of a creditor's ledger is fresh enough to remind anyone. Reminding a customer who has
//! already paid is the complaint creditors make most about reminder products; Duly must never do it because
//! its own fetching fell behind the platform.

use chrono::{DateTime, Duration, Utc};

/// The oldest a connection's last completed catch-up may be while reminders go out.
pub const MAX_CATCH_UP_AGE_HOURS: i64 = 36;

/// What the freshness rule needs to know of one sync job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncJobState {
    pub connection: String,
    /// The connection's standing daily catch-up, rather than a notice of one resource.
    pub catch_up: bool,
    /// Given up: a dead letter for the creditor.
    pub failed: bool,
    /// For a notice: when the platform said the resource changed.
    pub noticed_at: Option<DateTime<Utc>>,
    /// For the catch-up: the time its last completed run covered up to; `None` before the first import.
    pub covered_until: Option<DateTime<Utc>>,
    /// A platform without webhooks (Merit), polled on the creditor's clock: its catch-up is each poll.
    pub polled_in: Option<chrono_tz::Tz>,
}

/// Each catch-up starts this much before the previous one began, for clock differences with the platform.
pub const CATCH_UP_OVERLAP_MINUTES: i64 = 10;

/// Why a creditor's reminders wait, as logs and the scheduler's summary say it; [`stale_words`] says it in
/// a reader's language.
pub const FIRST_IMPORT: &str = "the first import from the accounting platform has not finished";
pub const CATCH_UP_OLD: &str = "the last catch-up with the accounting platform is more than 36 hours old";
pub const FETCH_FAILED: &str = "a fetch from the accounting platform failed; reminders wait for the next catch-up";
pub const FETCHING: &str = "changes from the accounting platform are still being fetched";
pub const POLLS_MISSED: &str = "the last two polls of the accounting platform did not happen";

/// One of [`stale_because`]'s reasons in `lang`.
pub fn stale_words(reason: &str, lang: crate::locale::Language) -> String {
    let id = match reason {
        FIRST_IMPORT => "plan-stale-first-import",
        CATCH_UP_OLD => "plan-stale-old",
        FETCH_FAILED => "plan-stale-failed",
        POLLS_MISSED => "plan-stale-polls",
        _ => "plan-stale-fetching",
    };
    crate::locale::wording_or_id(lang, id, &fluent_bundle::FluentArgs::new())
}

/// Why no reminder may go out for this creditor now, if that is so: a notice is still waiting to be fetched,
/// or its fetch gave up, and no catch-up has covered that change since; a connection's first import has not
/// finished; its last catch-up is older than [`MAX_CATCH_UP_AGE_HOURS`]; or, for a polled platform, the two
/// polls due after the last one that succeeded have not happened. A creditor without platform connections
/// has no jobs and is always fresh.
pub fn stale_because(jobs: &[SyncJobState], now: DateTime<Utc>) -> Option<&'static str> {
    let oldest_allowed = now - Duration::hours(MAX_CATCH_UP_AGE_HOURS);
    let covered = |connection: &str| {
        jobs.iter()
            .find(|j| j.catch_up && j.connection == connection)
            .and_then(|j| j.covered_until)
    };
    for job in jobs {
        if job.catch_up {
            match job.covered_until {
                None => return Some(FIRST_IMPORT),
                Some(t)
                    if job.polled_in.is_some_and(|tz| {
                        let last_poll = t + Duration::minutes(CATCH_UP_OVERLAP_MINUTES);
                        crate::platforms::merit::polling::poll_overdue(last_poll, tz, now)
                    }) =>
                {
                    return Some(POLLS_MISSED)
                }
                Some(t) if t < oldest_allowed => return Some(CATCH_UP_OLD),
                Some(_) => continue,
            }
        }
        // A catch-up that covered the notice's change has read it already, whatever became of the notice.
        let healed = matches!((covered(&job.connection), job.noticed_at), (Some(c), Some(n)) if n < c);
        if healed {
            continue;
        }
        return Some(if job.failed { FETCH_FAILED } else { FETCHING });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn catch_up(covered: Option<&str>) -> SyncJobState {
        SyncJobState {
            connection: "conn-1".into(),
            catch_up: true,
            failed: false,
            noticed_at: None,
            covered_until: covered.map(at),
            polled_in: None,
        }
    }

    fn notice(noticed: &str, failed: bool) -> SyncJobState {
        SyncJobState {
            connection: "conn-1".into(),
            catch_up: false,
            failed,
            noticed_at: Some(at(noticed)),
            covered_until: None,
            polled_in: None,
        }
    }

    #[test]
    fn reminders_wait_for_pending_failed_or_old_platform_data() {
        let now = at("2026-12-02T09:00:00Z");
        let fresh = catch_up(Some("2026-12-02T08:00:00Z"));
        assert_eq!(stale_because(&[], now), None, "no platform, nothing to wait for");
        assert_eq!(stale_because(std::slice::from_ref(&fresh), now), None);
        assert!(stale_because(&[catch_up(Some("2026-11-30T20:59:00Z"))], now).is_some_and(|r| r.contains("36 hours")));
        assert!(stale_because(&[catch_up(None)], now).is_some_and(|r| r.contains("first import")));
        let pending = [fresh.clone(), notice("2026-12-02T08:30:00Z", false)];
        assert!(stale_because(&pending, now).is_some_and(|r| r.contains("still being fetched")));
        let failed = [fresh.clone(), notice("2026-12-02T08:30:00Z", true)];
        assert!(stale_because(&failed, now).is_some_and(|r| r.contains("failed")));
        // A failure the next catch-up has covered no longer holds anything back.
        let healed = [fresh, notice("2026-12-01T08:30:00Z", true)];
        assert_eq!(stale_because(&healed, now), None);
    }

    #[test]
    fn a_polled_platform_is_stale_once_two_polls_are_missed() {
        // Monday 10:00 in Tallinn; a catch-up covers from ten minutes before its poll began.
        let now = at("2026-12-07T08:00:00Z");
        let polled = |began: &str| SyncJobState {
            polled_in: Some(chrono_tz::Europe::Tallinn),
            ..catch_up(Some(
                &(at(began) - Duration::minutes(CATCH_UP_OVERLAP_MINUTES)).to_rfc3339(),
            ))
        };
        assert_eq!(stale_because(&[polled("2026-12-07T07:50:00Z")], now), None);
        assert_eq!(
            stale_because(&[polled("2026-12-07T07:30:00Z")], now),
            Some(POLLS_MISSED)
        );
        // The same age is fine for a platform with webhooks, whose catch-up is daily.
        assert_eq!(stale_because(&[catch_up(Some("2026-12-07T07:20:00Z"))], now), None);
    }
}
