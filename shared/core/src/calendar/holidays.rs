//! Public holidays per country, from `data/holidays.tsv` (generated from the maintained `holidays` package;
//! see `.ci/generate_holidays.py`). Outside the years the file covers, only weekends are non-business days.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::NaiveDate;

const DATA: &str = include_str!("../../data/holidays.tsv");

type Table = HashMap<&'static str, BTreeMap<NaiveDate, &'static str>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Table = HashMap::new();
        for line in DATA.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let mut cols = line.split('\t');
            let (Some(country), Some(date), Some(name)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            if let Ok(day) = date.parse() {
                t.entry(country).or_default().insert(day, name);
            }
        }
        t
    })
}

/// The holiday's name when `day` is a public holiday in `country` (ISO 3166-1 alpha-2).
pub fn holiday(country: &str, day: NaiveDate) -> Option<&'static str> {
    table().get(country).and_then(|days| days.get(&day).copied())
}

/// Countries with holiday data.
pub fn countries() -> Vec<&'static str> {
    let mut c: Vec<&'static str> = table().keys().copied().collect();
    c.sort_unstable();
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn covers_every_market() {
        assert_eq!(
            countries(),
            ["BG", "DE", "EE", "FI", "GB", "IE", "LT", "LV", "PL", "RO", "US"]
        );
    }

    #[test]
    fn knows_national_days() {
        assert_eq!(holiday("EE", day(2026, 2, 24)), Some("Independence Day"));
        assert_eq!(holiday("EE", day(2026, 12, 24)), Some("Christmas Eve"));
        assert!(holiday("LV", day(2026, 11, 18)).is_some(), "Proclamation Day");
        assert!(holiday("PL", day(2026, 11, 11)).is_some(), "Independence Day");
        assert!(holiday("US", day(2026, 11, 26)).is_some(), "Thanksgiving");
        assert_eq!(holiday("EE", day(2026, 11, 30)), None);
        assert_eq!(holiday("XX", day(2026, 12, 25)), None);
    }
}
