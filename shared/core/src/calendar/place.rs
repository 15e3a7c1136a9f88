//! Where a debtor is and what they read: the creditor's setting for the debtor, else for the debtor's
//! group, else the platform's contact, else what the debtor's country implies, else the creditor's own.

use chrono_tz::Tz;

use crate::calendar::zones::country_time_zone;
use crate::locale::Language;
use crate::model::{Creditor, Debtor, Place};
use crate::policy::precedence::group_of;

/// A debtor's language, country (for public holidays) and time zone (for the sending window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whereabouts {
    pub language: Language,
    /// Why that language: the customer's page says so, and the creditor may set another.
    pub language_rule: LanguageRule,
    pub country: String,
    pub time_zone: Tz,
}

/// Where a debtor's language came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LanguageRule {
    /// The creditor set it for this customer.
    Customer,
    /// The creditor set it for the customer's group.
    Group,
    /// The accounting platform's contact says so.
    Platform,
    /// The language of the customer's country.
    Country,
    /// The customer's country speaks none of Duly's languages and not the creditor's either: English,
    /// which a business abroad reads more often than the creditor's own language.
    English,
    /// The customer's country is not known, or speaks the creditor's language: the creditor's own.
    Creditor,
}

impl LanguageRule {
    /// The id of its wording: `web-language-rule-{code}`.
    pub fn code(self) -> &'static str {
        match self {
            LanguageRule::Customer => "customer",
            LanguageRule::Group => "group",
            LanguageRule::Platform => "platform",
            LanguageRule::Country => "country",
            LanguageRule::English => "english",
            LanguageRule::Creditor => "creditor",
        }
    }
}

pub fn whereabouts(creditor: &Creditor, debtor: Option<&Debtor>) -> Whereabouts {
    let none = Place::default();
    let own = debtor.map_or(&none, |d| &d.controls.place);
    let group = group_of(creditor, debtor).map_or(&none, |(_, g)| &g.place);
    let contact = debtor.map(|d| Place {
        language: d.language.clone(),
        country: d.country.clone(),
        time_zone: d.time_zone,
    });
    let contact = contact.as_ref().unwrap_or(&none);
    let layers = [own, group, contact];

    let country = layers.iter().find_map(|l| l.country.clone());
    // A country set at a level says where the debtor is at that level: a zone from a lower one (the
    // platform's, say) does not win over it.
    let time_zone = layers
        .iter()
        .find_map(|l| {
            l.time_zone
                .or_else(|| l.country.as_deref().and_then(|c| country_time_zone(c, None)))
        })
        .unwrap_or(creditor.time_zone);
    let rules = [LanguageRule::Customer, LanguageRule::Group, LanguageRule::Platform];
    let (language, language_rule) = layers
        .iter()
        .zip(rules)
        .find_map(|(l, rule)| l.language.as_deref().and_then(Language::parse).map(|lang| (lang, rule)))
        .unwrap_or_else(|| {
            let own = Language::of_creditor(creditor);
            match country.as_deref() {
                None => (own, LanguageRule::Creditor),
                Some(c) => match Language::of_country(c) {
                    Some(lang) => (lang, LanguageRule::Country),
                    None if own.spoken_in(c) => (own, LanguageRule::Creditor),
                    None => (Language::En, LanguageRule::English),
                },
            }
        });
    Whereabouts {
        language,
        language_rule,
        country: country.unwrap_or_else(|| creditor.country.clone()),
        time_zone,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::ids::{CreditorId, DebtorId};
    use crate::platforms::onboarding::new_creditor;
    use crate::policy::CustomerGroup;

    fn debtor(country: Option<&str>, language: Option<&str>) -> Debtor {
        Debtor {
            creditor_id: CreditorId::parse("c1").unwrap(),
            debtor_id: DebtorId::parse("d1").unwrap(),
            name: "Tamm".into(),
            email: None,
            phone: None,
            phone_kind: Default::default(),
            phone_refused: None,
            language: language.map(str::to_string),
            country: country.map(str::to_string),
            time_zone: None,
            updated_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
            platform_groups: vec!["Wholesale".into()],
            cc: Vec::new(),
            controls: Default::default(),
            history: Default::default(),
            paid_late: Vec::new(),
        }
    }

    fn creditor() -> Creditor {
        let org = crate::platforms::onboarding::Organisation {
            name: "Nordwind".into(),
            ..Default::default()
        };
        let mut c = new_creditor(CreditorId::parse("c1").unwrap(), &org);
        c.country = "EE".into();
        c.language = "et".into();
        c.time_zone = chrono_tz::Europe::Tallinn;
        c
    }

    #[test]
    fn a_debtors_country_gives_their_language_zone_and_holidays() {
        let w = whereabouts(&creditor(), Some(&debtor(Some("PL"), None)));
        assert_eq!(
            (w.language, w.country.as_str(), w.time_zone),
            (Language::Pl, "PL", chrono_tz::Europe::Warsaw)
        );
        let us = whereabouts(&creditor(), Some(&debtor(Some("US"), None)));
        assert_eq!(
            (us.language, us.time_zone),
            (Language::En, chrono_tz::America::New_York)
        );
    }

    #[test]
    fn the_contacts_own_language_wins_over_its_country_and_the_creditors_fills_gaps() {
        let w = whereabouts(&creditor(), Some(&debtor(Some("LV"), Some("ru"))));
        assert_eq!((w.language, w.time_zone), (Language::Ru, chrono_tz::Europe::Riga));
        assert_eq!(w.language_rule, LanguageRule::Platform);
        // A country Duly does not write in: English rather than the creditor's Estonian, the country's zone.
        let fr = whereabouts(&creditor(), Some(&debtor(Some("FR"), None)));
        assert_eq!(
            (fr.language, fr.language_rule, fr.time_zone),
            (Language::En, LanguageRule::English, chrono_tz::Europe::Paris)
        );
        // Unless the creditor's language is spoken there.
        let mut russian = creditor();
        russian.language = "ru".into();
        let kz = whereabouts(&russian, Some(&debtor(Some("KZ"), None)));
        assert_eq!((kz.language, kz.language_rule), (Language::Ru, LanguageRule::Creditor));
        let de = whereabouts(&creditor(), Some(&debtor(Some("AT"), None)));
        assert_eq!((de.language, de.language_rule), (Language::De, LanguageRule::Country));
        let unknown = whereabouts(&creditor(), Some(&debtor(None, None)));
        assert_eq!(
            (
                unknown.language,
                unknown.language_rule,
                unknown.country.as_str(),
                unknown.time_zone
            ),
            (Language::Et, LanguageRule::Creditor, "EE", chrono_tz::Europe::Tallinn)
        );
        assert_eq!(whereabouts(&creditor(), None).language, Language::Et);
    }

    #[test]
    fn the_debtors_setting_wins_over_the_groups_which_wins_over_the_contact() {
        let mut c = creditor();
        c.groups = BTreeMap::from([(
            "Wholesale".to_string(),
            CustomerGroup {
                name: String::new(),
                enabled: true,
                steps: None,
                platform_groups: vec![],
                place: Place {
                    language: Some("en".into()),
                    country: Some("RO".into()),
                    time_zone: None,
                },
                statement: None,
                attach_invoice: None,
            },
        )]);
        let mut d = debtor(Some("PL"), None);
        let by_group = whereabouts(&c, Some(&d));
        assert_eq!(
            (by_group.language, by_group.country.as_str(), by_group.time_zone),
            (Language::En, "RO", chrono_tz::Europe::Bucharest)
        );
        d.controls.place = Place {
            language: None,
            country: None,
            time_zone: Some(chrono_tz::Europe::Helsinki),
        };
        let own = whereabouts(&c, Some(&d));
        assert_eq!(
            (own.language, own.country.as_str(), own.time_zone),
            (Language::En, "RO", chrono_tz::Europe::Helsinki)
        );
    }

    #[test]
    fn a_country_set_by_hand_brings_its_zone_over_the_platforms_zone() {
        let mut d = debtor(Some("EE"), None);
        d.time_zone = Some(chrono_tz::Europe::Tallinn);
        d.controls.place.country = Some("PL".into());
        let w = whereabouts(&creditor(), Some(&d));
        assert_eq!((w.language, w.time_zone), (Language::Pl, chrono_tz::Europe::Warsaw));
    }
}
