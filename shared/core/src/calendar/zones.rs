//! Where a creditor or a debtor is: a platform's country names read as ISO 3166 codes, a country (and its
//! region, where a country spans zones) read as its time zone, and Xero's Windows-style zone names read as
//! IANA zones.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use chrono_tz::Tz;

/// The ISO 3166-1 alpha-2 code of a country as platforms write it: a code (`EE`, `EST`) or a name in
/// English (`Estonia`, `United States`, `USA`), in any case. `None` when it names no country.
pub fn country_code(written: &str) -> Option<String> {
    let trimmed = written.trim();
    if trimmed.is_empty() || trimmed.len() > 64 {
        return None;
    }
    let compact: String = trimmed.chars().filter(|c| c.is_alphanumeric()).collect();
    // "UK" is how many write it in an address, though ISO 3166 reserves it.
    if compact.eq_ignore_ascii_case("UK") {
        return Some("GB".into());
    }
    celes::Country::from_str(trimmed)
        .or_else(|_| celes::Country::from_str(&compact))
        .ok()
        .map(|c| c.alpha2.to_string())
}

/// The time zone of a place: the region's where the country spans several and the address names one,
/// else the zone most of the country lives in. `None` for countries Duly has no zone for.
pub fn country_time_zone(country: &str, region: Option<&str>) -> Option<Tz> {
    let region = region.map(|r| r.trim().to_ascii_uppercase());
    let region = region.as_deref();
    use chrono_tz::America as Am;
    use chrono_tz::Australia as Au;
    use chrono_tz::Europe as Eu;
    Some(match country.to_ascii_uppercase().as_str() {
        "US" => match region {
            Some("CA" | "NV" | "OR" | "WA") => Am::Los_Angeles,
            Some("AZ") => Am::Phoenix,
            Some("CO" | "ID" | "MT" | "NM" | "UT" | "WY") => Am::Denver,
            Some(
                "AL" | "AR" | "IA" | "IL" | "KS" | "LA" | "MN" | "MO" | "MS" | "ND" | "NE" | "OK" | "SD" | "TN" | "TX"
                | "WI",
            ) => Am::Chicago,
            Some("AK") => Am::Anchorage,
            Some("HI") => chrono_tz::Pacific::Honolulu,
            _ => Am::New_York,
        },
        "CA" => match region {
            Some("NL") => Am::St_Johns,
            Some("NS" | "NB" | "PE") => Am::Halifax,
            Some("MB") => Am::Winnipeg,
            Some("SK") => Am::Regina,
            Some("AB" | "NT") => Am::Edmonton,
            Some("BC") => Am::Vancouver,
            Some("YT") => Am::Whitehorse,
            _ => Am::Toronto,
        },
        "AU" => match region {
            Some("QLD") => Au::Brisbane,
            Some("SA") => Au::Adelaide,
            Some("NT") => Au::Darwin,
            Some("WA") => Au::Perth,
            Some("TAS") => Au::Hobart,
            Some("VIC") => Au::Melbourne,
            _ => Au::Sydney,
        },
        "ES" => match region {
            Some("CN" | "TF" | "GC") => chrono_tz::Atlantic::Canary,
            _ => Eu::Madrid,
        },
        "PT" => Eu::Lisbon,
        "EE" => Eu::Tallinn,
        "LV" => Eu::Riga,
        "LT" => Eu::Vilnius,
        "PL" => Eu::Warsaw,
        "RO" => Eu::Bucharest,
        "BG" => Eu::Sofia,
        "FI" => Eu::Helsinki,
        "DE" => Eu::Berlin,
        "GB" => Eu::London,
        "IE" => Eu::Dublin,
        "FR" => Eu::Paris,
        "NL" => Eu::Amsterdam,
        "BE" => Eu::Brussels,
        "LU" => Eu::Luxembourg,
        "AT" => Eu::Vienna,
        "CH" => Eu::Zurich,
        "IT" => Eu::Rome,
        "DK" => Eu::Copenhagen,
        "SE" => Eu::Stockholm,
        "NO" => Eu::Oslo,
        "IS" => chrono_tz::Atlantic::Reykjavik,
        "CZ" => Eu::Prague,
        "SK" => Eu::Bratislava,
        "HU" => Eu::Budapest,
        "SI" => Eu::Ljubljana,
        "HR" => Eu::Zagreb,
        "GR" => Eu::Athens,
        "CY" => chrono_tz::Asia::Nicosia,
        "MT" => Eu::Malta,
        "UA" => Eu::Kyiv,
        "MD" => Eu::Chisinau,
        "RS" => Eu::Belgrade,
        "TR" => Eu::Istanbul,
        "GE" => chrono_tz::Asia::Tbilisi,
        "NZ" => chrono_tz::Pacific::Auckland,
        "JP" => chrono_tz::Asia::Tokyo,
        "SG" => chrono_tz::Asia::Singapore,
        "HK" => chrono_tz::Asia::Hong_Kong,
        "IN" => chrono_tz::Asia::Kolkata,
        "AE" => chrono_tz::Asia::Dubai,
        "IL" => chrono_tz::Asia::Jerusalem,
        "ZA" => chrono_tz::Africa::Johannesburg,
        "MX" => Am::Mexico_City,
        "BR" => Am::Sao_Paulo,
        _ => return None,
    })
}

/// A contact's country and zone from its address as a platform writes it: `None` when the address names
/// no country Duly can read; a zone only where Duly knows the country's.
pub fn locate(country: Option<&str>, region: Option<&str>) -> Option<(String, Option<Tz>)> {
    let code = country_code(country?)?;
    let zone = country_time_zone(&code, region);
    Some((code, zone))
}

/// An IANA zone for a Xero organisation's `Timezone` (`FLESTANDARDTIME` is Europe/Kyiv's zone), from
/// `data/xero_time_zones.tsv`, which `.ci/generate_zones.py` makes from CLDR's Windows zone mapping.
pub fn xero_time_zone(name: &str) -> Option<Tz> {
    static TABLE: OnceLock<HashMap<&'static str, Tz>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            include_str!("../../data/xero_time_zones.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| {
                    let (xero, iana) = l.split_once('\t')?;
                    Some((xero, Tz::from_str(iana).ok()?))
                })
                .collect()
        })
        .get(name.trim().to_ascii_uppercase().as_str())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `Timezone` Xero's accounting API may return (its OpenAPI document's `TimeZone` enum).
    const XERO_ZONES: [&str; 141] = [
        "AFGHANISTANSTANDARDTIME",
        "ALASKANSTANDARDTIME",
        "ALEUTIANSTANDARDTIME",
        "ALTAISTANDARDTIME",
        "ARABIANSTANDARDTIME",
        "ARABICSTANDARDTIME",
        "ARABSTANDARDTIME",
        "ARGENTINASTANDARDTIME",
        "ASTRAKHANSTANDARDTIME",
        "ATLANTICSTANDARDTIME",
        "AUSCENTRALSTANDARDTIME",
        "AUSCENTRALWSTANDARDTIME",
        "AUSEASTERNSTANDARDTIME",
        "AZERBAIJANSTANDARDTIME",
        "AZORESSTANDARDTIME",
        "BAHIASTANDARDTIME",
        "BANGLADESHSTANDARDTIME",
        "BELARUSSTANDARDTIME",
        "BOUGAINVILLESTANDARDTIME",
        "CANADACENTRALSTANDARDTIME",
        "CAPEVERDESTANDARDTIME",
        "CAUCASUSSTANDARDTIME",
        "CENAUSTRALIASTANDARDTIME",
        "CENTRALAMERICASTANDARDTIME",
        "CENTRALASIASTANDARDTIME",
        "CENTRALBRAZILIANSTANDARDTIME",
        "CENTRALEUROPEANSTANDARDTIME",
        "CENTRALEUROPESTANDARDTIME",
        "CENTRALPACIFICSTANDARDTIME",
        "CENTRALSTANDARDTIME",
        "CENTRALSTANDARDTIME(MEXICO)",
        "CHATHAMISLANDSSTANDARDTIME",
        "CHINASTANDARDTIME",
        "CUBASTANDARDTIME",
        "DATELINESTANDARDTIME",
        "EAFRICASTANDARDTIME",
        "EASTERISLANDSTANDARDTIME",
        "EASTERNSTANDARDTIME",
        "EASTERNSTANDARDTIME(MEXICO)",
        "EAUSTRALIASTANDARDTIME",
        "EEUROPESTANDARDTIME",
        "EGYPTSTANDARDTIME",
        "EKATERINBURGSTANDARDTIME",
        "ESOUTHAMERICASTANDARDTIME",
        "FIJISTANDARDTIME",
        "FLESTANDARDTIME",
        "GEORGIANSTANDARDTIME",
        "GMTSTANDARDTIME",
        "GREENLANDSTANDARDTIME",
        "GREENWICHSTANDARDTIME",
        "GTBSTANDARDTIME",
        "HAITISTANDARDTIME",
        "HAWAIIANSTANDARDTIME",
        "INDIASTANDARDTIME",
        "IRANSTANDARDTIME",
        "ISRAELSTANDARDTIME",
        "JORDANSTANDARDTIME",
        "KALININGRADSTANDARDTIME",
        "KAMCHATKASTANDARDTIME",
        "KOREASTANDARDTIME",
        "LIBYASTANDARDTIME",
        "LINEISLANDSSTANDARDTIME",
        "LORDHOWESTANDARDTIME",
        "MAGADANSTANDARDTIME",
        "MAGALLANESSTANDARDTIME",
        "MARQUESASSTANDARDTIME",
        "MAURITIUSSTANDARDTIME",
        "MIDATLANTICSTANDARDTIME",
        "MIDDLEEASTSTANDARDTIME",
        "MONTEVIDEOSTANDARDTIME",
        "MOROCCOSTANDARDTIME",
        "MOUNTAINSTANDARDTIME",
        "MOUNTAINSTANDARDTIME(MEXICO)",
        "MYANMARSTANDARDTIME",
        "NAMIBIASTANDARDTIME",
        "NCENTRALASIASTANDARDTIME",
        "NEPALSTANDARDTIME",
        "NEWFOUNDLANDSTANDARDTIME",
        "NEWZEALANDSTANDARDTIME",
        "NORFOLKSTANDARDTIME",
        "NORTHASIAEASTSTANDARDTIME",
        "NORTHASIASTANDARDTIME",
        "NORTHKOREASTANDARDTIME",
        "OMSKSTANDARDTIME",
        "PACIFICSASTANDARDTIME",
        "PACIFICSTANDARDTIME",
        "PACIFICSTANDARDTIME(MEXICO)",
        "PAKISTANSTANDARDTIME",
        "PARAGUAYSTANDARDTIME",
        "QYZYLORDASTANDARDTIME",
        "ROMANCESTANDARDTIME",
        "RUSSIANSTANDARDTIME",
        "RUSSIATIMEZONE10",
        "RUSSIATIMEZONE11",
        "RUSSIATIMEZONE3",
        "SAEASTERNSTANDARDTIME",
        "SAINTPIERRESTANDARDTIME",
        "SAKHALINSTANDARDTIME",
        "SAMOASTANDARDTIME",
        "SAOTOMESTANDARDTIME",
        "SAPACIFICSTANDARDTIME",
        "SARATOVSTANDARDTIME",
        "SAWESTERNSTANDARDTIME",
        "SEASIASTANDARDTIME",
        "SINGAPORESTANDARDTIME",
        "SOUTHAFRICASTANDARDTIME",
        "SOUTHSUDANSTANDARDTIME",
        "SRILANKASTANDARDTIME",
        "SUDANSTANDARDTIME",
        "SYRIASTANDARDTIME",
        "TAIPEISTANDARDTIME",
        "TASMANIASTANDARDTIME",
        "TOCANTINSSTANDARDTIME",
        "TOKYOSTANDARDTIME",
        "TOMSKSTANDARDTIME",
        "TONGASTANDARDTIME",
        "TRANSBAIKALSTANDARDTIME",
        "TURKEYSTANDARDTIME",
        "TURKSANDCAICOSSTANDARDTIME",
        "ULAANBAATARSTANDARDTIME",
        "USEASTERNSTANDARDTIME",
        "USMOUNTAINSTANDARDTIME",
        "UTC",
        "UTC+12",
        "UTC+13",
        "UTC02",
        "UTC08",
        "UTC09",
        "UTC11",
        "VENEZUELASTANDARDTIME",
        "VLADIVOSTOKSTANDARDTIME",
        "VOLGOGRADSTANDARDTIME",
        "WAUSTRALIASTANDARDTIME",
        "WCENTRALAFRICASTANDARDTIME",
        "WESTASIASTANDARDTIME",
        "WESTBANKSTANDARDTIME",
        "WESTPACIFICSTANDARDTIME",
        "WEUROPESTANDARDTIME",
        "WMONGOLIASTANDARDTIME",
        "YAKUTSKSTANDARDTIME",
        "YUKONSTANDARDTIME",
    ];

    #[test]
    fn every_xero_time_zone_has_an_iana_zone() {
        let missing: Vec<&str> = XERO_ZONES
            .iter()
            .copied()
            .filter(|n| xero_time_zone(n).is_none())
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
        assert_eq!(xero_time_zone("FLESTANDARDTIME").map(|z| z.name()), Some("Europe/Kiev"));
        assert_eq!(xero_time_zone("GTBSTANDARDTIME"), Some(chrono_tz::Europe::Bucharest));
        assert_eq!(
            xero_time_zone("CENTRALEUROPEANSTANDARDTIME"),
            Some(chrono_tz::Europe::Warsaw)
        );
        assert_eq!(xero_time_zone("nzst"), None);
    }

    #[test]
    fn countries_are_read_from_codes_and_english_names() {
        for (written, code) in [
            ("EE", "EE"),
            ("est", "EE"),
            ("Estonia", "EE"),
            ("  Poland ", "PL"),
            ("Romania", "RO"),
            ("United States", "US"),
            ("USA", "US"),
            ("United Kingdom", "GB"),
        ] {
            assert_eq!(country_code(written).as_deref(), Some(code), "{written}");
        }
        for nothing in ["", "Atlantis", "x".repeat(100).as_str()] {
            assert_eq!(country_code(nothing), None, "{nothing}");
        }
    }

    #[test]
    fn a_country_has_its_main_zone_and_a_region_picks_among_several() {
        use chrono_tz::America;
        assert_eq!(country_time_zone("EE", None), Some(chrono_tz::Europe::Tallinn));
        assert_eq!(country_time_zone("ro", Some("B")), Some(chrono_tz::Europe::Bucharest));
        assert_eq!(country_time_zone("US", Some("ca")), Some(America::Los_Angeles));
        assert_eq!(country_time_zone("US", Some("TX")), Some(America::Chicago));
        assert_eq!(country_time_zone("US", None), Some(America::New_York));
        assert_eq!(country_time_zone("CA", Some("BC")), Some(America::Vancouver));
        assert_eq!(country_time_zone("AU", Some("WA")), Some(chrono_tz::Australia::Perth));
        assert_eq!(country_time_zone("ZZ", None), None);
    }
}
