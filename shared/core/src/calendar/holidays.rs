//! Public holidays per country, from `data/holidays.tsv` (generated from the maintained `holidays` package;
//! see `.ci/generate_holidays.py`), each named in the languages the package has for its country. Outside
//! the years the file covers, only weekends are non-business days.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::locale::Language;

const DATA: &str = include_str!("../../data/holidays.tsv");

/// A public holiday's names: one per language column of the file, empty where the package has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// Where it is a holiday, whose language names it at home.
    country: &'static str,
    names: &'static [&'static str],
}

struct Table {
    /// Language codes in the order of the name columns; English first.
    languages: Vec<&'static str>,
    days: HashMap<&'static str, BTreeMap<NaiveDate, Holiday>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let languages = DATA
            .lines()
            .find_map(|l| l.strip_prefix("# country\tdate\t"))
            .map(|header| header.split('\t').collect())
            .unwrap_or_default();
        let mut days: HashMap<&'static str, BTreeMap<NaiveDate, Holiday>> = HashMap::new();
        for line in DATA.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let cols: Vec<&'static str> = line.split('\t').collect();
            let [country, date, names @ ..] = cols.as_slice() else {
                continue;
            };
            if let (Ok(day), false) = (date.parse(), names.is_empty()) {
                let names: &'static [&'static str] = Box::leak(names.to_vec().into_boxed_slice());
                days.entry(*country)
                    .or_default()
                    .insert(day, Holiday { country, names });
            }
        }
        Table { languages, days }
    })
}

impl Holiday {
    fn in_language(&self, code: &str) -> Option<&'static str> {
        let column = table().languages.iter().position(|l| *l == code)?;
        self.names.get(column).copied().filter(|n| !n.is_empty())
    }

    /// Where it is a public holiday (ISO 3166-1 alpha-2).
    pub fn country(&self) -> &'static str {
        self.country
    }

    pub fn english(&self) -> &'static str {
        self.names.first().copied().unwrap_or_default()
    }

    /// The name in `lang` where the package has it; else as the holiday's own country names it (a
    /// proper name, as "Jaanipäev" is to a reader of any language); else in English.
    pub fn name(&self, lang: Language) -> &'static str {
        self.in_language(lang.code())
            .or_else(|| Language::of_country(self.country).and_then(|home| self.in_language(home.code())))
            .unwrap_or_else(|| self.english())
    }
}

/// The holiday when `day` is a public holiday in `country` (ISO 3166-1 alpha-2).
pub fn holiday(country: &str, day: NaiveDate) -> Option<Holiday> {
    table().days.get(country).and_then(|days| days.get(&day).copied())
}

/// Countries with holiday data.
pub fn countries() -> Vec<&'static str> {
    let mut c: Vec<&'static str> = table().days.keys().copied().collect();
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
        let english = |country, d| holiday(country, d).map(|h| h.english());
        assert_eq!(english("EE", day(2026, 2, 24)), Some("Independence Day"));
        assert_eq!(english("EE", day(2026, 12, 24)), Some("Christmas Eve"));
        assert!(holiday("LV", day(2026, 11, 18)).is_some(), "Proclamation Day");
        assert!(holiday("PL", day(2026, 11, 11)).is_some(), "Independence Day");
        assert!(holiday("US", day(2026, 11, 26)).is_some(), "Thanksgiving");
        assert_eq!(holiday("EE", day(2026, 11, 30)), None);
        assert_eq!(holiday("XX", day(2026, 12, 25)), None);
    }

    #[test]
    fn a_holiday_is_named_in_the_readers_language_else_as_its_country_names_it() {
        let proclamation = holiday("LV", day(2026, 11, 18)).unwrap();
        assert_eq!(proclamation.name(Language::En), "Republic of Latvia Proclamation Day");
        assert_eq!(
            proclamation.name(Language::Lv),
            "Latvijas Republikas Proklamēšanas diena"
        );
        assert_eq!(
            proclamation.name(Language::Ru),
            "День провозглашения Латвийской Республики"
        );
        // No German names for Latvia's holidays: the Latvian one, as a proper name.
        assert_eq!(
            proclamation.name(Language::De),
            "Latvijas Republikas Proklamēšanas diena"
        );
        assert_eq!(
            holiday("EE", day(2026, 12, 24)).unwrap().name(Language::Et),
            "jõululaupäev"
        );
        // A country whose holidays have English names alone keeps them.
        assert_eq!(
            holiday("GB", day(2026, 12, 25)).unwrap().name(Language::Pl),
            "Christmas Day"
        );
    }
}
