//! The daily digest: the day's notices in one e-mail, at the creditor's chosen local hour.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;
use fluent_bundle::FluentArgs;

use super::{Notice, Told};
use crate::locale::Language;
use crate::locale::{wording, WordingError};

/// Notices one digest lists in full; the rest are counted, and listed by the next one.
pub const MAX_DIGEST_NOTICES: usize = 50;

/// The first `hour`:00 in `tz` after `now`. A local hour skipped by a clock change falls an hour later.
pub fn next_digest_at(tz: Tz, hour: u8, now: DateTime<Utc>) -> DateTime<Utc> {
    let hour = u32::from(hour.min(23));
    let today = now.with_timezone(&tz).date_naive();
    (0..3)
        .filter_map(|days| {
            let local = (today + Duration::days(days)).and_time(NaiveTime::from_hms_opt(hour, 0, 0)?);
            local
                .and_local_timezone(tz)
                .earliest()
                .or_else(|| (local + Duration::hours(1)).and_local_timezone(tz).earliest())
        })
        .map(|t| t.with_timezone(&Utc))
        .find(|t| *t > now)
        .unwrap_or(now + Duration::days(1))
}

/// One e-mail listing `notices` (the oldest [`MAX_DIGEST_NOTICES`]), and how many more are waiting.
pub fn compose_digest(
    lang: Language,
    notices: &[Notice],
    waiting: usize,
    app_url: Option<&str>,
) -> Result<Told, WordingError> {
    let listed = &notices[..notices.len().min(MAX_DIGEST_NOTICES)];
    let more = waiting + (notices.len() - listed.len());
    let mut args = FluentArgs::new();
    args.set("count", listed.len() + more);
    let subject = wording(lang, "notify-digest-subject", &args)?;
    let mut paragraphs = vec![wording(lang, "notify-digest-intro", &args)?];
    for notice in listed {
        paragraphs.push(format!("— {}\n{}", notice.subject(lang)?, notice.body(lang, app_url)?));
    }
    if more > 0 {
        let mut args = FluentArgs::new();
        args.set("count", more);
        paragraphs.push(wording(lang, "notify-digest-more", &args)?);
    }
    Ok(Told {
        subject,
        text: paragraphs.join("\n\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notices::tests::every_kind;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_digest_goes_at_the_next_local_hour() {
        let tallinn: Tz = "Europe/Tallinn".parse().unwrap();
        // 07:30 in Tallinn (UTC+2 in winter): today at 08:00.
        assert_eq!(
            next_digest_at(tallinn, 8, at("2026-12-02T05:30:00Z")),
            at("2026-12-02T06:00:00Z")
        );
        // 08:00 sharp has gone: tomorrow.
        assert_eq!(
            next_digest_at(tallinn, 8, at("2026-12-02T06:00:00Z")),
            at("2026-12-03T06:00:00Z")
        );
        // Late at night in UTC is already the next day in Tallinn.
        assert_eq!(
            next_digest_at(tallinn, 8, at("2026-12-02T23:30:00Z")),
            at("2026-12-03T06:00:00Z")
        );
    }

    #[test]
    fn a_digest_hour_skipped_by_the_clock_change_falls_an_hour_later() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // 29 March 2026: 02:00 does not exist in Berlin; 03:00 CEST is 01:00 UTC.
        assert_eq!(
            next_digest_at(berlin, 2, at("2026-03-28T12:00:00Z")),
            at("2026-03-29T01:00:00Z")
        );
    }

    #[test]
    fn a_digest_lists_each_notice_and_counts_what_does_not_fit() {
        let notices: Vec<Notice> = every_kind().into_iter().cycle().take(MAX_DIGEST_NOTICES + 3).collect();
        let told = compose_digest(Language::En, &notices, 4, None).unwrap();
        assert!(
            told.subject.contains(&(MAX_DIGEST_NOTICES + 7).to_string()),
            "{}",
            told.subject
        );
        assert_eq!(told.text.matches("— ").count(), MAX_DIGEST_NOTICES);
        assert!(told.text.ends_with("next summary: 7."), "{}", told.text);
        let one = compose_digest(Language::Et, &notices[..1], 0, None).unwrap();
        assert_eq!(one.text.matches("— ").count(), 1);
        assert!(one.text.contains("Kowalski"), "{}", one.text);
    }
}
