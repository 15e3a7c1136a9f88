//! Where a customer is, as people read it: a country by its name in the reader's language, a time zone
//! by its city; never a bare code.

use std::str::FromStr;

use chrono_tz::Tz;
use fluent_bundle::FluentArgs;

use crate::locale::wording;
use crate::locale::Language;

/// The countries a form offers by name: those Duly knows the public holidays of.
pub fn offered_countries() -> Vec<&'static str> {
    crate::calendar::holidays::countries()
}

/// A country's name in `lang`: from the shipped wording for the countries Duly serves, else its English
/// name, else the code as given.
pub fn country_name(lang: Language, code: &str) -> String {
    let code = code.trim().to_ascii_uppercase();
    wording(lang, &format!("web-country-{code}"), &FluentArgs::new())
        .ok()
        .or_else(|| celes::Country::from_str(&code).ok().map(|c| c.long_name.to_string()))
        .unwrap_or(code)
}

/// A time zone by its city: `Europe/Tallinn` is "Tallinn", `America/New_York` "New York".
pub fn zone_name(tz: Tz) -> String {
    let name = tz.name();
    name.rsplit('/').next().unwrap_or(name).replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_and_zones_are_named_not_coded() {
        assert_eq!(country_name(Language::Et, "ee"), "Eesti");
        assert_eq!(country_name(Language::Pl, "DE"), "Niemcy");
        assert_eq!(
            country_name(Language::En, "SE"),
            "Sweden",
            "one Duly has no words for yet"
        );
        assert_eq!(country_name(Language::En, "ZZ"), "ZZ");
        for lang in Language::ALL {
            for code in offered_countries() {
                let name = country_name(lang, code);
                assert!(name != code && !name.starts_with("web-"), "{lang:?} {code}: {name}");
            }
        }
        assert_eq!(zone_name(chrono_tz::America::New_York), "New York");
        assert_eq!(zone_name(chrono_tz::Europe::Tallinn), "Tallinn");
        assert_eq!(zone_name(chrono_tz::UTC), "UTC");
    }
}
