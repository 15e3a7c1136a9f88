//! What the feed refuses before anything is stored, and what it raises an alarm for: a document older than
//! what was already taken, a value no central bank would publish, and a country whose current period has
//! gone without its rate for five business days.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::{Observation, Series};
use crate::calendar::Calendar;
use crate::interest::rates::{half_year_start, RateBook, FOLLOWS_EVERY_CHANGE};

/// The newest observation the feed took from a series before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newest {
    pub day: NaiveDate,
    pub value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the document ends on {newest}, before {had}, which was already taken: it moves backwards in time")]
    Backwards { newest: NaiveDate, had: NaiveDate },
    #[error("{value} on {day} cannot be right: {why}")]
    Absurd {
        day: NaiveDate,
        value: Decimal,
        why: &'static str,
    },
}

/// The widest move between two published values checked: a policy rate moved at most 2.5 points at once
/// in recent years (the Basiszinssatz on 1 January 2023); a currency a fifth.
const MAX_RATE_STEP: i64 = 3;
const MAX_FX_STEP_PERCENT: i64 = 20;
/// How far back moves are checked: older history holds the steps of another era (Poland's 24 % of 1998).
const CHECKED_YEARS: u64 = 3;

/// Whether `observations` of `series` may be taken, given the newest taken before.
pub fn check(series: Series, observations: &[Observation], known: Option<&Newest>) -> Result<(), Refused> {
    let Some(last) = observations.iter().map(|o| o.day).max() else {
        return Ok(());
    };
    if let Some(known) = known.filter(|k| last < k.day) {
        return Err(Refused::Backwards {
            newest: last,
            had: known.day,
        });
    }
    let since = last.checked_sub_days(Days::new(365 * CHECKED_YEARS)).unwrap_or(last);
    let absurd = |o: &Observation, why| Refused::Absurd {
        day: o.day,
        value: o.value,
        why,
    };
    let mut previous: std::collections::BTreeMap<Option<&str>, &Observation> = Default::default();
    for o in observations.iter().filter(|o| o.day >= since) {
        if series.is_exchange_rate() {
            if o.value <= Decimal::ZERO || o.value > Decimal::from(100_000) {
                return Err(absurd(o, "a rate of exchange is above zero and below 100,000 per euro"));
            }
        } else if o.value < Decimal::from(-1) || o.value > Decimal::from(25) {
            return Err(absurd(o, "a central bank's rate is between -1 and 25 per cent a year"));
        }
        if let Some(before) = previous.insert(o.currency.as_deref(), o) {
            let step = (o.value - before.value).abs();
            let too_far = match series.is_exchange_rate() {
                true => step * Decimal::from(100) > before.value * Decimal::from(MAX_FX_STEP_PERCENT),
                false => step > Decimal::from(MAX_RATE_STEP),
            };
            if too_far {
                return Err(absurd(o, "it moved further at once than a central bank's rate does"));
            }
        }
    }
    // The newest value against the one taken before, where the document starts after it.
    if let (Some(known), Some(first)) = (known, observations.iter().find(|o| o.day >= since)) {
        let step = (first.value - known.value).abs();
        if !series.is_exchange_rate() && first.day > known.day && step > Decimal::from(MAX_RATE_STEP) {
            return Err(absurd(
                first,
                "it moved further at once than a central bank's rate does",
            ));
        }
    }
    Ok(())
}

/// Business days a country's current period may go without its rate before the alarm.
pub const GRACE_BUSINESS_DAYS: u32 = 5;

/// The countries among `offered` whose period in force on `today` has had no rate for
/// `GRACE_BUSINESS_DAYS` business days: each with the first day the book does not know.
pub fn missing<'a>(
    book: &RateBook,
    offered: impl IntoIterator<Item = &'a str>,
    today: NaiveDate,
) -> Vec<(&'a str, NaiveDate)> {
    offered
        .into_iter()
        .filter_map(|country| {
            let known = book.known_until(country);
            if known.is_some_and(|k| k >= today) {
                return None;
            }
            let unknown_from = known.and_then(|k| k.succ_opt()).unwrap_or(today);
            // A half-year's rate is due on its first day; Romania's is checked against every business day.
            let owed_from = match FOLLOWS_EVERY_CHANGE.contains(&country) {
                true => unknown_from,
                false => half_year_start(today).max(unknown_from),
            };
            let calendar = Calendar::new(chrono_tz::UTC, Default::default()).with_country(Some(country));
            let business_days = owed_from
                .iter_days()
                .take_while(|d| *d <= today)
                .take(400)
                .filter(|d| calendar.is_business_day(*d))
                .count();
            (business_days >= GRACE_BUSINESS_DAYS as usize).then_some((country, unknown_from))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interest::feed::obs;

    #[test]
    fn a_document_older_than_what_was_taken_or_with_an_absurd_value_is_refused() {
        let doc = [obs("2025-06-11", 215), obs("2026-07-01", 215)];
        assert_eq!(check(Series::EcbMainRefinancing, &doc, None), Ok(()));
        let known = Newest {
            day: "2026-09-01".parse().unwrap(),
            value: Decimal::new(215, 2),
        };
        assert!(matches!(
            check(Series::EcbMainRefinancing, &doc, Some(&known)),
            Err(Refused::Backwards { .. })
        ));
        let jump = [obs("2025-06-11", 215), obs("2026-07-01", 2150)];
        assert!(matches!(
            check(Series::EcbMainRefinancing, &jump, None),
            Err(Refused::Absurd { .. })
        ));
        let step = [obs("2025-06-11", 215), obs("2026-07-01", 615)];
        assert!(matches!(
            check(Series::EcbMainRefinancing, &step, None),
            Err(Refused::Absurd { .. })
        ));
        // Poland's history holds steps of another era: only the last three years are checked.
        let history = [obs("1998-02-26", 2400), obs("1999-01-21", 1550), obs("2025-12-04", 400)];
        assert_eq!(check(Series::NbpReferenceRate, &history, None), Ok(()));
        let fx = |day: &str, value: i64| Observation {
            currency: Some("PLN".into()),
            ..obs(day, value)
        };
        assert_eq!(
            check(Series::NbpEuro, &[fx("2026-11-02", 424), fx("2026-11-03", 425)], None),
            Ok(())
        );
        assert!(check(
            Series::NbpEuro,
            &[fx("2026-11-02", 424), fx("2026-11-03", 42_500)],
            None
        )
        .is_err());
    }

    #[test]
    fn a_country_without_its_rate_five_business_days_into_its_period_is_missing() {
        let book = RateBook::seed();
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        // The seed knows Estonia to 30 June 2026: 1–3 July 2026 are three business days, 7 July the fifth.
        assert!(missing(book, ["EE"], day("2026-07-03")).is_empty());
        assert_eq!(missing(book, ["EE"], day("2026-07-07")), [("EE", day("2026-07-01"))]);
        assert!(missing(book, ["EE"], day("2026-06-30")).is_empty());
    }
}
