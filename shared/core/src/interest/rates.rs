//! The statutory rate table (`data/late_payment_rates.tsv`): each country's periods, the reference rate and
//! margin of each, and where they come from.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;

const DATA: &str = include_str!("../../data/late_payment_rates.tsv");

/// One period of a country's statutory rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatePeriod {
    pub from: NaiveDate,
    /// The central bank's rate the law refers to, per cent a year.
    pub reference: Decimal,
    /// Percentage points the law adds.
    pub margin: Decimal,
    pub source: &'static str,
    /// When the row was last checked against its source.
    pub checked: NaiveDate,
}

impl RatePeriod {
    /// Per cent a year.
    pub fn rate(&self) -> Decimal {
        self.reference + self.margin
    }
}

type Table = BTreeMap<&'static str, Vec<RatePeriod>>;

/// A rate of exchange from a day on: units of `currency` per euro.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FxRate {
    pub currency: &'static str,
    pub from: NaiveDate,
    pub per_euro: Decimal,
    pub source: &'static str,
}

/// A row's six tab-separated columns.
fn columns(n: usize, line: &'static str) -> Result<[&'static str; 6], String> {
    let cols: Vec<&'static str> = line.split('\t').collect();
    <[&'static str; 6]>::try_from(cols).map_err(|_| format!("line {}: expected six tab-separated columns", n + 1))
}

/// A row's source: "same as above" (and what follows it) points at the previous row's of the same kind.
fn source_or_previous(source: &'static str, previous: Option<&'static str>) -> &'static str {
    match previous {
        Some(previous) if source.starts_with("same as") => previous,
        _ => source,
    }
}

fn parse_fx(data: &'static str) -> Result<Vec<FxRate>, String> {
    let mut out: Vec<FxRate> = Vec::new();
    for (n, line) in data.lines().enumerate().filter(|(_, l)| l.starts_with("FX\t")) {
        let [_, currency, from, per_euro, source, _checked] = columns(n, line)?;
        let previous = out.iter().rev().find(|r| r.currency == currency).map(|r| r.source);
        let source = source_or_previous(source, previous);
        out.push(FxRate {
            currency,
            from: from.parse().map_err(|_| format!("line {}: bad date", n + 1))?,
            per_euro: per_euro.parse().map_err(|_| format!("line {}: bad rate", n + 1))?,
            source,
        });
    }
    Ok(out)
}

/// Currencies pegged to the euro: a row holds from its day until the currency's next row. Every other
/// currency's rate is the central bank's of one publication day, so a row counts on its own day only.
const PEGGED: [&str; 1] = ["BGN"];

/// Units of `currency` per euro as the central bank set it for `day`, when the table has that day's rate.
pub fn per_euro(currency: &str, day: NaiveDate) -> Option<&'static FxRate> {
    static FX: OnceLock<Vec<FxRate>> = OnceLock::new();
    let rows = FX.get_or_init(|| parse_fx(DATA).unwrap_or_default()).iter();
    let latest = rows
        .filter(|r| r.currency == currency && r.from <= day)
        .max_by_key(|r| r.from)?;
    (PEGGED.contains(&currency) || latest.from == day).then_some(latest)
}

/// A ceiling on agreed late interest, from a day on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceiling {
    pub country: &'static str,
    pub from: NaiveDate,
    /// Per cent a year.
    pub rate: Decimal,
    pub source: &'static str,
    /// The last day the ceiling is known to have held.
    pub checked: NaiveDate,
}

fn parse_ceilings(data: &'static str) -> Result<Vec<Ceiling>, String> {
    let mut out: Vec<Ceiling> = Vec::new();
    for (n, line) in data.lines().enumerate().filter(|(_, l)| l.starts_with("CAP\t")) {
        let [_, country, from, rate, source, checked] = columns(n, line)?;
        let bad = |what: &str| format!("line {}: {what}", n + 1);
        let previous = out.iter().rev().find(|c| c.country == country);
        let from: NaiveDate = from.parse().map_err(|_| bad("bad date"))?;
        if previous.is_some_and(|p| p.from >= from) {
            return Err(bad("ceilings must be in date order"));
        }
        let source = source_or_previous(source, previous.map(|p| p.source));
        out.push(Ceiling {
            country,
            from,
            rate: rate.parse().map_err(|_| bad("bad rate"))?,
            source,
            checked: checked.trim().parse().map_err(|_| bad("bad checked date"))?,
        });
    }
    Ok(out)
}

/// The ceilings on agreed late interest in `country`, oldest first; empty where the law sets none.
pub fn ceilings(country: &str) -> Vec<&'static Ceiling> {
    static CEILINGS: OnceLock<Vec<Ceiling>> = OnceLock::new();
    CEILINGS
        .get_or_init(|| parse_ceilings(DATA).unwrap_or_default())
        .iter()
        .filter(|c| c.country == country)
        .collect()
}

fn parse(data: &'static str) -> Result<Table, String> {
    let mut table: Table = BTreeMap::new();
    for (n, line) in data.lines().enumerate().filter(|(_, l)| {
        !l.starts_with('#') && !l.starts_with("FX\t") && !l.starts_with("CAP\t") && !l.trim().is_empty()
    }) {
        let [country, from, reference, margin, source, checked] = columns(n, line)?;
        let bad = |what: &str| format!("line {}: {what}", n + 1);
        let from: NaiveDate = from.parse().map_err(|_| bad("bad date"))?;
        let reference: Decimal = reference.parse().map_err(|_| bad("bad reference rate"))?;
        let margin: Decimal = margin.parse().map_err(|_| bad("bad margin"))?;
        let checked: NaiveDate = checked.trim().parse().map_err(|_| bad("bad checked date"))?;
        let periods = table.entry(country).or_default();
        let source = source_or_previous(source, periods.last().map(|p| p.source));
        if periods.last().is_some_and(|p| p.from >= from) {
            return Err(bad("periods must be in date order"));
        }
        periods.push(RatePeriod {
            from,
            reference,
            margin,
            source,
            checked,
        });
    }
    Ok(table)
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    // The shipped file parses: `the_shipped_table_parses` proves it.
    TABLE.get_or_init(|| parse(DATA).unwrap_or_default())
}

/// The country's periods, oldest first; empty for a country without statutory rates in the table.
pub fn periods(country: &str) -> &'static [RatePeriod] {
    table().get(country).map_or(&[], Vec::as_slice)
}

/// Countries the table covers.
pub fn countries() -> Vec<&'static str> {
    table().keys().copied().collect()
}

/// Countries whose rate changes whenever the central bank's does, not by half-years.
const FOLLOWS_EVERY_CHANGE: [&str; 1] = ["RO"];

/// The last day the table's rates are known for in `country`: the end of the half-year of its last
/// period (each half-year's rate is published before it starts), or, where every change of the central
/// bank's rate starts a period, the day the last row was checked.
pub fn known_until(country: &str) -> Option<NaiveDate> {
    use chrono::Datelike;
    let last = periods(country).last()?;
    if FOLLOWS_EVERY_CHANGE.contains(&country) {
        return Some(last.checked);
    }
    match last.from.month() {
        1..=6 => NaiveDate::from_ymd_opt(last.from.year(), 6, 30),
        _ => NaiveDate::from_ymd_opt(last.from.year(), 12, 31),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_parses_and_names_a_source_for_every_period() {
        let table = parse(DATA).expect("data/late_payment_rates.tsv parses");
        let fx = parse_fx(DATA).expect("its rates of exchange parse");
        let all = parse_ceilings(DATA).expect("its ceilings parse");
        assert!(all.iter().all(|c| c.source.starts_with("http")), "{all:?}");
        assert_eq!(ceilings("PL").last().map(|c| c.rate.to_string()), Some("18.50".into()));
        assert!(fx.iter().all(|r| r.source.starts_with("http")), "{fx:?}");
        assert_eq!(
            table.keys().copied().collect::<Vec<_>>(),
            ["BG", "DE", "EE", "FI", "LT", "LV", "PL", "RO"]
        );
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
        assert_eq!(periods("DE")[3].rate().to_string(), "10.27");
        assert_eq!(known_until("EE"), NaiveDate::from_ymd_opt(2026, 6, 30));
    }

    #[test]
    fn a_table_out_of_order_or_short_of_columns_is_refused() {
        assert!(parse("EE\t2025-07-01\t2.15\t8\tx\td\nEE\t2025-01-01\t3.15\t8\tx\td\n").is_err());
        assert!(parse("EE\t2025-07-01\t2.15\t8\n").is_err());
        assert!(parse("EE\t2025-07-01\tlots\t8\tx\td\n").is_err());
    }
}
