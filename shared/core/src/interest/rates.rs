//! The statutory rate table: each country's periods, the reference rate and margin of each, and where they
//! come from; the rates of exchange for the fixed compensation; the ceilings on agreed interest. The
//! checked-in `data/late_payment_rates.tsv` is the seed; what the rate feed fetched from the publishers is
//! laid over it (`RateBook::with_fetched`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;

const DATA: &str = include_str!("../../data/late_payment_rates.tsv");

/// The eight countries whose late-payment law Duly follows.
pub const COUNTRIES: [&str; 8] = ["BG", "DE", "EE", "FI", "LT", "LV", "PL", "RO"];

/// One period of a country's statutory rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatePeriod {
    pub from: NaiveDate,
    /// The central bank's rate the law refers to, per cent a year.
    pub reference: Decimal,
    /// Percentage points the law adds.
    pub margin: Decimal,
    pub source: String,
    /// When the row was last checked against its source.
    pub checked: NaiveDate,
    /// The day the rate feed fetched it; `None` for a row of the checked-in seed.
    pub fetched: Option<NaiveDate>,
}

impl RatePeriod {
    /// Per cent a year.
    pub fn rate(&self) -> Decimal {
        self.reference + self.margin
    }
}

/// A rate of exchange from a day on: units of `currency` per euro.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FxRate {
    pub currency: String,
    pub from: NaiveDate,
    pub per_euro: Decimal,
    pub source: String,
    pub fetched: Option<NaiveDate>,
}

/// A ceiling on agreed late interest, from a day on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceiling {
    pub country: String,
    pub from: NaiveDate,
    /// Per cent a year.
    pub rate: Decimal,
    pub source: String,
    /// The last day the ceiling is known to have held.
    pub checked: NaiveDate,
}

/// Everything the engine reads: the seed with what the feed fetched laid over it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateBook {
    periods: BTreeMap<String, Vec<RatePeriod>>,
    fx: BTreeMap<String, BTreeMap<NaiveDate, FxRate>>,
    ceilings: Vec<Ceiling>,
}

/// A row's six tab-separated columns.
fn columns(n: usize, line: &str) -> Result<[&str; 6], String> {
    let cols: Vec<&str> = line.split('\t').collect();
    <[&str; 6]>::try_from(cols).map_err(|_| format!("line {}: expected six tab-separated columns", n + 1))
}

/// A row's source: "same as above" (and what follows it) points at the previous row's of the same kind.
fn source_or_previous(source: &str, previous: Option<&str>) -> String {
    match previous {
        Some(previous) if source.starts_with("same as") => previous.to_string(),
        _ => source.to_string(),
    }
}

fn parse_fx(data: &str) -> Result<Vec<FxRate>, String> {
    let mut out: Vec<FxRate> = Vec::new();
    for (n, line) in data.lines().enumerate().filter(|(_, l)| l.starts_with("FX\t")) {
        let [_, currency, from, per_euro, source, _checked] = columns(n, line)?;
        let previous = out
            .iter()
            .rev()
            .find(|r| r.currency == currency)
            .map(|r| r.source.as_str());
        let source = source_or_previous(source, previous);
        out.push(FxRate {
            currency: currency.to_string(),
            from: from.parse().map_err(|_| format!("line {}: bad date", n + 1))?,
            per_euro: per_euro.parse().map_err(|_| format!("line {}: bad rate", n + 1))?,
            source,
            fetched: None,
        });
    }
    Ok(out)
}

/// Currencies pegged to the euro: a row holds from its day until the currency's next row. Every other
/// currency's rate is the central bank's of one publication day, so a row counts on its own day only.
const PEGGED: [&str; 1] = ["BGN"];

fn parse_ceilings(data: &str) -> Result<Vec<Ceiling>, String> {
    let mut out: Vec<Ceiling> = Vec::new();
    for (n, line) in data.lines().enumerate().filter(|(_, l)| l.starts_with("CAP\t")) {
        let [_, country, from, rate, source, checked] = columns(n, line)?;
        let bad = |what: &str| format!("line {}: {what}", n + 1);
        let previous = out.iter().rev().find(|c| c.country == country);
        let from: NaiveDate = from.parse().map_err(|_| bad("bad date"))?;
        if previous.is_some_and(|p| p.from >= from) {
            return Err(bad("ceilings must be in date order"));
        }
        let source = source_or_previous(source, previous.map(|p| p.source.as_str()));
        out.push(Ceiling {
            country: country.to_string(),
            from,
            rate: rate.parse().map_err(|_| bad("bad rate"))?,
            source,
            checked: checked.trim().parse().map_err(|_| bad("bad checked date"))?,
        });
    }
    Ok(out)
}

type Periods = BTreeMap<String, Vec<RatePeriod>>;

fn parse(data: &str) -> Result<Periods, String> {
    let mut table: Periods = BTreeMap::new();
    for (n, line) in data.lines().enumerate().filter(|(_, l)| {
        !l.starts_with('#') && !l.starts_with("FX\t") && !l.starts_with("CAP\t") && !l.trim().is_empty()
    }) {
        let [country, from, reference, margin, source, checked] = columns(n, line)?;
        let bad = |what: &str| format!("line {}: {what}", n + 1);
        let from: NaiveDate = from.parse().map_err(|_| bad("bad date"))?;
        let reference: Decimal = reference.parse().map_err(|_| bad("bad reference rate"))?;
        let margin: Decimal = margin.parse().map_err(|_| bad("bad margin"))?;
        let checked: NaiveDate = checked.trim().parse().map_err(|_| bad("bad checked date"))?;
        let periods = table.entry(country.to_string()).or_default();
        let source = source_or_previous(source, periods.last().map(|p| p.source.as_str()));
        if periods.last().is_some_and(|p| p.from >= from) {
            return Err(bad("periods must be in date order"));
        }
        periods.push(RatePeriod {
            from,
            reference,
            margin,
            source,
            checked,
            fetched: None,
        });
    }
    Ok(table)
}

/// Countries whose rate changes whenever the central bank's does, not by half-years.
pub const FOLLOWS_EVERY_CHANGE: [&str; 1] = ["RO"];

/// A statutory period the feed fetched: the country's rate from a day on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPeriod {
    pub country: String,
    pub period: RatePeriod,
}

impl RateBook {
    /// The checked-in table alone.
    pub fn seed() -> &'static RateBook {
        static SEED: OnceLock<RateBook> = OnceLock::new();
        // The shipped file parses: `the_shipped_table_parses_and_names_a_source_for_every_period` proves it.
        SEED.get_or_init(|| RateBook::parse(DATA).unwrap_or_default())
    }

    fn parse(data: &str) -> Result<RateBook, String> {
        let mut fx: BTreeMap<String, BTreeMap<NaiveDate, FxRate>> = BTreeMap::new();
        for r in parse_fx(data)? {
            fx.entry(r.currency.clone()).or_default().insert(r.from, r);
        }
        Ok(RateBook {
            periods: parse(data)?,
            fx,
            ceilings: parse_ceilings(data)?,
        })
    }

    /// This book with what the feed fetched laid over it: a fetched period replaces the row that starts on
    /// the same day, and a country's last row is checked up to the latest day either knows of; a fetched
    /// rate of exchange is added for its day.
    pub fn with_fetched(&self, periods: Vec<FetchedPeriod>, fx: Vec<FxRate>) -> RateBook {
        let mut book = self.clone();
        for FetchedPeriod { country, period } in periods {
            let rows = book.periods.entry(country).or_default();
            let checked = rows.iter().map(|r| r.checked).max();
            match rows.iter_mut().find(|r| r.from == period.from) {
                Some(row) => *row = period,
                None => {
                    rows.push(period);
                    rows.sort_by_key(|r| r.from);
                }
            }
            if let (Some(last), Some(checked)) = (rows.last_mut(), checked) {
                last.checked = last.checked.max(checked);
            }
        }
        for r in fx {
            book.fx.entry(r.currency.clone()).or_default().insert(r.from, r);
        }
        book
    }

    /// The country's periods, oldest first; empty for a country without statutory rates in the table.
    pub fn periods(&self, country: &str) -> &[RatePeriod] {
        self.periods.get(country).map_or(&[], Vec::as_slice)
    }

    /// The last day the table's rates are known for in `country`: the end of the half-year of its last
    /// period (each half-year's rate is published before it starts, or on its first day), or, where every
    /// change of the central bank's rate starts a period, the day the last row was checked.
    pub fn known_until(&self, country: &str) -> Option<NaiveDate> {
        let last = self.periods(country).last()?;
        if FOLLOWS_EVERY_CHANGE.contains(&country) {
            return Some(last.checked);
        }
        Some(half_year_end(last.from))
    }

    /// Units of `currency` per euro as the central bank set it for `day`, when the table has that day's rate.
    pub fn per_euro(&self, currency: &str, day: NaiveDate) -> Option<&FxRate> {
        let (_, latest) = self.fx.get(currency)?.range(..=day).next_back()?;
        (PEGGED.contains(&currency) || latest.from == day).then_some(latest)
    }

    /// The ceilings on agreed late interest in `country`, oldest first; empty where the law sets none.
    pub fn ceilings(&self, country: &str) -> Vec<&Ceiling> {
        self.ceilings.iter().filter(|c| c.country == country).collect()
    }
}

/// The first day of the half-year `day` falls in.
pub fn half_year_start(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let month = if day.month() <= 6 { 1 } else { 7 };
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

/// The last day of the half-year `day` falls in.
pub fn half_year_end(day: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let (month, last) = if day.month() <= 6 { (6, 30) } else { (12, 31) };
    NaiveDate::from_ymd_opt(day.year(), month, last).unwrap_or(day)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryRule {
    pub country: &'static str,
    /// Days in the year the annual rate is divided by: 365, or 360 (Bulgaria).
    pub day_basis: u32,
    /// A due date on a weekend or public holiday moves to the next business day first (Poland, Germany).
    pub due_moves_to_business_day: bool,
    /// Interest stops growing once it equals the principal (Latvia).
    pub capped_at_principal: bool,
}

/// The rule of `country` (ISO 3166-1 alpha-2), when Duly follows its law.
pub fn country_rule(country: &str) -> Option<CountryRule> {
    let country = COUNTRIES.into_iter().find(|c| *c == country)?;
    Some(CountryRule {
        country,
        day_basis: if country == "BG" { 360 } else { 365 },
        due_moves_to_business_day: matches!(country, "PL" | "DE"),
        capped_at_principal: country == "LV",
    })
}

/// The creditor's own annual rate, replacing the statutory one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractRate(pub Decimal);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_parses_and_names_a_source_for_every_period() {
        let table = parse(DATA).expect("data/late_payment_rates.tsv parses");
        let fx = parse_fx(DATA).expect("its rates of exchange parse");
        let all = parse_ceilings(DATA).expect("its ceilings parse");
        assert!(all.iter().all(|c| c.source.starts_with("http")), "{all:?}");
        let seed = RateBook::seed();
        assert_eq!(
            seed.ceilings("PL").last().map(|c| c.rate.to_string()),
            Some("18.50".into())
        );
        assert!(fx.iter().all(|r| r.source.starts_with("http")), "{fx:?}");
        assert_eq!(table.keys().map(String::as_str).collect::<Vec<_>>(), COUNTRIES);
        for (country, periods) in &table {
            for p in periods {
                assert!(
                    p.source.starts_with("http") || p.source.contains("euro"),
                    "{country} {}: {}",
                    p.from,
                    p.source
                );
            }
        }
        assert_eq!(seed.periods("DE")[3].rate().to_string(), "10.27");
        assert_eq!(seed.known_until("EE"), NaiveDate::from_ymd_opt(2026, 6, 30));
    }

    #[test]
    fn a_table_out_of_order_or_short_of_columns_is_refused() {
        assert!(parse("EE\t2025-07-01\t2.15\t8\tx\td\nEE\t2025-01-01\t3.15\t8\tx\td\n").is_err());
        assert!(parse("EE\t2025-07-01\t2.15\t8\n").is_err());
        assert!(parse("EE\t2025-07-01\tlots\t8\tx\td\n").is_err());
    }

    #[test]
    fn fetched_rows_replace_the_seeds_and_extend_what_is_known() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let period = |from: &str, reference: i64, checked: &str| RatePeriod {
            from: day(from),
            reference: Decimal::new(reference, 2),
            margin: Decimal::from(8),
            source: "https://data-api.ecb.europa.eu/".into(),
            checked: day(checked),
            fetched: Some(day(checked)),
        };
        let seed = RateBook::seed();
        let book = seed.with_fetched(
            vec![FetchedPeriod {
                country: "EE".into(),
                period: period("2027-01-01", 190, "2027-01-02"),
            }],
            vec![FxRate {
                currency: "PLN".into(),
                from: day("2027-01-04"),
                per_euro: Decimal::new(42_100, 4),
                source: "https://api.nbp.pl/".into(),
                fetched: Some(day("2027-01-04")),
            }],
        );
        assert_eq!(book.known_until("EE"), Some(day("2027-06-30")));
        assert_eq!(book.periods("EE").last().unwrap().rate().to_string(), "9.90");
        assert!(book.per_euro("PLN", day("2027-01-04")).is_some());
        assert!(
            book.per_euro("PLN", day("2027-01-05")).is_none(),
            "a day's own rate only"
        );
        assert_eq!(
            seed.known_until("EE"),
            Some(day("2026-06-30")),
            "the seed is left as it was"
        );
        // Romania: a fetched check of the rate in force carries the country's last row forward.
        let last = seed.periods("RO").last().unwrap().clone();
        let checked = seed.with_fetched(
            vec![FetchedPeriod {
                country: "RO".into(),
                period: RatePeriod {
                    checked: day("2027-03-01"),
                    ..last
                },
            }],
            vec![],
        );
        assert_eq!(checked.known_until("RO"), Some(day("2027-03-01")));
    }
}
