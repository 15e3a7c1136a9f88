//! The table's rows from what the publishers published, taken as each law takes them: the rate in force on
//! the first day of a half-year (Estonia, Latvia, Lithuania, Poland, Bulgaria since the euro), the ECB's
//! last rate before it rounded up to half a point (Finland), the Basiszinssatz of each half-year (Germany),
//! every change of the NBR's rate (Romania); and each day's rate of exchange.

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;

use super::{Observation, Series};
use crate::interest::rates::{half_year_end, half_year_start, FetchedPeriod, FxRate, RatePeriod};

/// The first half-year the feed writes: the seed holds everything before.
fn first_half_year() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default()
}

/// The euro's first day in Bulgaria: from then on its statutory rate is the ECB's.
fn bulgarian_euro() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

/// The law that takes a country's reference rate, and the margin it adds.
fn law(country: &str) -> (&'static str, i64) {
    match country {
        "EE" => ("Law of Obligations Act § 113 (1): ECB rate in force on 1 January/1 July + 8 pp", 8),
        "LV" => ("Civil Law § 1765.1: ECB rate of the half-year's first day + 8 pp", 8),
        "LT" => ("Law on the Prevention of Late Payment in Commercial Transactions, art. 3: ECB rate + 8 pp", 8),
        "FI" => ("Korkolaki 4 a § and 12 §: the ECB's last rate before the half-year, rounded up to half a point, + 8 pp", 8),
        "BG" => ("Directive 2011/7/EU reference rate for a euro-area state: ECB rate + 8 pp", 8),
        "DE" => ("§ 288 (2) BGB: Basiszinssatz + 9 pp", 9),
        "PL" => ("Act on late payments in commercial transactions, art. 4 pt 3: NBP reference rate of 1 January/1 July + 10 pp", 10),
        "RO" => ("OG 13/2011 art. 3 (2^1): NBR policy rate + 8 pp, from each change", 8),
        _ => ("", 0),
    }
}

fn row(
    country: &str,
    series: Series,
    from: NaiveDate,
    reference: Decimal,
    fetched: NaiveDate,
    checked: NaiveDate,
) -> FetchedPeriod {
    let (law, margin) = law(country);
    FetchedPeriod {
        country: country.to_string(),
        period: RatePeriod {
            from,
            reference,
            margin: Decimal::from(margin),
            source: format!("{law}; {}", series.source()),
            checked,
            fetched: Some(fetched),
        },
    }
}

/// Each half-year that has begun by `fetched`, from the first the feed writes.
fn half_years(fetched: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut day = first_half_year();
    let last = half_year_start(fetched);
    while day <= last && out.len() < 200 {
        out.push(day);
        let Some(next) = half_year_end(day).succ_opt() else {
            break;
        };
        day = next;
    }
    out
}

/// The value in force on `day` (published for it or before), or strictly before it.
fn in_force(observations: &[Observation], day: NaiveDate, strictly_before: bool) -> Option<Decimal> {
    observations
        .iter()
        .filter(|o| if strictly_before { o.day < day } else { o.day <= day })
        .max_by_key(|o| o.day)
        .map(|o| o.value)
}

/// Rounded up to the next half point: 2.15 → 2.50, 4.50 → 4.50.
fn up_to_half_point(value: Decimal) -> Decimal {
    (value * Decimal::from(2)).ceil() / Decimal::from(2)
}

/// The rows `observations` of `series`, fetched on `fetched`, give.
pub fn periods(series: Series, observations: &[Observation], fetched: NaiveDate) -> Vec<FetchedPeriod> {
    let mut out = Vec::new();
    match series {
        Series::EcbMainRefinancing => {
            for h in half_years(fetched) {
                if let Some(rate) = in_force(observations, h, false) {
                    for country in ["EE", "LV", "LT"] {
                        out.push(row(country, series, h, rate, fetched, fetched));
                    }
                    if h >= bulgarian_euro() {
                        out.push(row("BG", series, h, rate, fetched, fetched));
                    }
                }
                if let Some(rate) = in_force(observations, h, true) {
                    out.push(row("FI", series, h, up_to_half_point(rate), fetched, fetched));
                }
            }
        }
        Series::BundesbankBaseRate => {
            // The Bundesbank announces a half-year's rate in its last days before; a month's value is taken
            // once it is published.
            let horizon = fetched.checked_add_days(Days::new(31)).unwrap_or(fetched);
            for o in observations {
                let starts_half_year = o.day.day() == 1 && matches!(o.day.month(), 1 | 7);
                if starts_half_year && o.day >= first_half_year() && o.day <= horizon {
                    out.push(row("DE", series, o.day, o.value, fetched, fetched));
                }
            }
        }
        Series::NbpReferenceRate => {
            for h in half_years(fetched) {
                if let Some(rate) = in_force(observations, h, false) {
                    out.push(row("PL", series, h, rate, fetched, fetched));
                }
            }
        }
        Series::NbrPolicyRate => {
            let newest = observations.iter().map(|o| o.day).max().unwrap_or(fetched);
            let mut before: Option<Decimal> = None;
            for o in observations {
                if before != Some(o.value) && o.day >= NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default() {
                    out.push(row("RO", series, o.day, o.value, fetched, newest));
                }
                before = Some(o.value);
            }
            // The rate in force is checked up to the newest day published, even when it changed long ago.
            if let Some(last) = out.last_mut() {
                last.period.checked = newest;
            }
        }
        Series::EcbExchangeRates | Series::NbpEuro | Series::NbrEuro => {}
    }
    out
}

/// The rates of exchange `observations` of `series` give: the national bank's for its own currency, the
/// ECB's for every other.
pub fn exchange_rates(series: Series, observations: &[Observation], fetched: NaiveDate) -> Vec<FxRate> {
    if !series.is_exchange_rate() {
        return Vec::new();
    }
    observations
        .iter()
        .filter_map(|o| {
            let currency = o.currency.clone()?;
            let national = matches!(currency.as_str(), "PLN" | "RON");
            if series == Series::EcbExchangeRates && national {
                return None;
            }
            Some(FxRate {
                currency,
                from: o.day,
                per_euro: o.value,
                source: series.source().to_string(),
                fetched: Some(fetched),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interest::feed::obs;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_half_year_takes_the_ecb_rate_in_force_on_its_first_day_and_only_once_it_began() {
        let mro = [
            obs("2024-06-12", 425),
            obs("2024-09-18", 365),
            obs("2025-06-11", 215),
            obs("2026-06-10", 190),
        ];
        let rows = periods(Series::EcbMainRefinancing, &mro, day("2026-06-30"));
        let of = |country: &str, from: &str| {
            rows.iter()
                .find(|r| r.country == country && r.period.from == day(from))
                .map(|r| r.period.rate().to_string())
        };
        assert_eq!(of("EE", "2024-07-01"), Some("12.25".into()));
        assert_eq!(of("EE", "2026-01-01"), Some("10.15".into()));
        // 1 July 2026 has not begun on 30 June: no row yet, whatever the ECB decided for it.
        assert_eq!(of("EE", "2026-07-01"), None);
        // Finland: 2.15 rounded up to 2.50; Bulgaria only since the euro.
        assert_eq!(of("FI", "2026-01-01"), Some("10.50".into()));
        assert_eq!(of("BG", "2025-07-01"), None);
        assert_eq!(of("BG", "2026-01-01"), Some("10.15".into()));
        let july = periods(Series::EcbMainRefinancing, &mro, day("2026-07-01"));
        assert!(july.iter().any(|r| r.country == "LV"
            && r.period.from == day("2026-07-01")
            && r.period.reference == Decimal::new(190, 2)));
        // Finland takes the rate before the half-year's first day: 1.90 from 10 June → 2.00.
        assert!(july.iter().any(|r| r.country == "FI"
            && r.period.from == day("2026-07-01")
            && r.period.reference == Decimal::from(2)));
    }

    #[test]
    fn romania_starts_a_row_at_every_change_and_checks_the_last_to_the_newest_day() {
        let daily = [
            obs("2024-07-05", 675),
            obs("2024-07-08", 675),
            obs("2024-08-08", 650),
            obs("2026-11-30", 650),
        ];
        let rows = periods(Series::NbrPolicyRate, &daily, day("2026-12-01"));
        let starts: Vec<_> = rows
            .iter()
            .map(|r| (r.period.from.to_string(), r.period.reference.to_string()))
            .collect();
        assert_eq!(
            starts,
            [
                ("2024-07-05".to_string(), "6.75".to_string()),
                ("2024-08-08".into(), "6.50".into())
            ]
        );
        assert_eq!(rows.last().unwrap().period.checked, day("2026-11-30"));
    }

    #[test]
    fn the_ecb_prices_every_currency_but_the_zloty_and_the_leu() {
        let fx = |currency: &str| Observation {
            currency: Some(currency.into()),
            ..obs("2026-11-02", 1150)
        };
        let rows = exchange_rates(
            Series::EcbExchangeRates,
            &[fx("SEK"), fx("PLN"), fx("RON")],
            day("2026-11-02"),
        );
        assert_eq!(rows.iter().map(|r| r.currency.as_str()).collect::<Vec<_>>(), ["SEK"]);
        assert_eq!(
            exchange_rates(Series::NbpEuro, &[fx("PLN")], day("2026-11-02")).len(),
            1
        );
    }
}
