//! The languages Duly writes in, and how each writes money and dates: numbers and dates come from CLDR
//! through ICU4X ([`numbers`], [`dates`]), so `1234,56 €` in Estonian and `1 234,56 €` in Russian are
//! CLDR's own choices, not a table of ours.

pub mod answers;
mod dates;
mod numbers;
#[cfg(feature = "pseudo-locale")]
pub mod pseudo;
pub mod wording;

pub use dates::{format_date, format_date_time, format_month};
pub use numbers::{format_amounts, format_decimal, format_money, format_whole};
pub use wording::{labels, wording, wording_or_id, WordingError};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Et,
    Ru,
    Lv,
    Lt,
    Pl,
    Bg,
    Ro,
    De,
    Fi,
    /// Tests only: English with every text of every message accented and bracketed (`⟦Ínvóícé⟧`), so
    /// that a page rendered in it shows at once any word that did not come from the language files.
    #[cfg(feature = "pseudo-locale")]
    Pseudo,
}

impl Language {
    pub const ALL: [Language; 10] = [
        Language::En,
        Language::Et,
        Language::Ru,
        Language::Lv,
        Language::Lt,
        Language::Pl,
        Language::Bg,
        Language::Ro,
        Language::De,
        Language::Fi,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Et => "et",
            Language::Ru => "ru",
            Language::Lv => "lv",
            Language::Lt => "lt",
            Language::Pl => "pl",
            Language::Bg => "bg",
            Language::Ro => "ro",
            Language::De => "de",
            Language::Fi => "fi",
            #[cfg(feature = "pseudo-locale")]
            Language::Pseudo => "qps",
        }
    }

    /// Every language there is to format in: [`Language::ALL`], and the pseudo-locale where it is built.
    pub(crate) fn every() -> impl Iterator<Item = Language> {
        let all = Language::ALL.into_iter();
        #[cfg(feature = "pseudo-locale")]
        let all = all.chain([Language::Pseudo]);
        all
    }

    /// Where this language stands in [`Language::every`]: an index into a table made per language.
    pub(crate) fn index(self) -> usize {
        Language::every()
            .position(|l| l == self)
            .expect("every language is in every()")
    }

    /// The language whose code is exactly `code` (`et`, not `ET` or `et-EE`): what Duly's own links and
    /// forms carry.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::every().find(|l| l.code() == code)
    }

    pub fn parse(code: &str) -> Option<Language> {
        let primary = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Language::from_code(&primary)
    }

    /// The first language of an `Accept-Language` header that Duly writes in (its first ten tags, in the
    /// order given: the weights browsers send only restate that order).
    pub fn from_accept_language(header: &str) -> Option<Language> {
        header
            .split(',')
            .take(10)
            .find_map(|tag| Language::parse(tag.split(';').next()?.trim()))
    }

    /// The CLDR locale whose numbers and dates this language writes: British English, since Duly's English
    /// readers are in Europe.
    pub(crate) fn cldr_locale(self) -> icu_locale_core::Locale {
        let tag = match self {
            Language::En => "en-GB",
            #[cfg(feature = "pseudo-locale")]
            Language::Pseudo => "en-GB",
            other => other.code(),
        };
        tag.parse().expect("language codes are valid locales")
    }

    /// Whether this language is widely read by businesses in `country`, beyond the one
    /// [`Language::of_country`] gives it: Russian in Kazakhstan, German in Switzerland.
    pub fn spoken_in(self, country: &str) -> bool {
        let country = country.to_ascii_uppercase();
        let where_spoken: &[&str] = match self {
            Language::En => &["GB", "IE", "US", "MT", "CA", "AU", "NZ"],
            Language::Et => &["EE"],
            Language::Ru => &["RU", "BY", "KZ", "KG", "EE", "LV", "LT", "MD"],
            Language::Lv => &["LV"],
            Language::Lt => &["LT"],
            Language::Pl => &["PL"],
            Language::Bg => &["BG"],
            Language::Ro => &["RO", "MD"],
            Language::De => &["DE", "AT", "CH", "LI", "LU", "BE"],
            Language::Fi => &["FI"],
            #[cfg(feature = "pseudo-locale")]
            Language::Pseudo => &[],
        };
        where_spoken.contains(&country.as_str())
    }

    /// The language of a country's customers, where Duly speaks it.
    pub fn of_country(country: &str) -> Option<Language> {
        match country.to_ascii_uppercase().as_str() {
            "EE" => Some(Language::Et),
            "LV" => Some(Language::Lv),
            "LT" => Some(Language::Lt),
            "PL" => Some(Language::Pl),
            "BG" => Some(Language::Bg),
            "RO" | "MD" => Some(Language::Ro),
            "DE" | "AT" | "LI" => Some(Language::De),
            "FI" => Some(Language::Fi),
            "GB" | "IE" | "US" | "MT" => Some(Language::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
