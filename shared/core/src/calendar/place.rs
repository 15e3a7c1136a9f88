//! Where a debtor is and what they read: the creditor's setting for the debtor, else for the debtor's
//! group, else the platform's contact, else what the debtor's country implies, else the creditor's own.

use chrono_tz::Tz;

use crate::calendar::zones::country_time_zone;
use crate::messages::locale::Language;
use crate::model::{Creditor, Debtor, Place};
use crate::policy::precedence::group_of;

/// A debtor's language, country (for public holidays) and time zone (for the sending window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whereabouts {
    pub language: Language,
    pub country: String,
    pub time_zone: Tz,
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
    let language = layers
        .iter()
        .find_map(|l| l.language.as_deref().and_then(Language::parse))
        .or_else(|| country.as_deref().and_then(Language::of_country))
        .unwrap_or_else(|| Language::of_creditor(creditor));
    Whereabouts {
        language,
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
        // A country Duly does not write in: the creditor's language, the country's zone.
        let fr = whereabouts(&creditor(), Some(&debtor(Some("FR"), None)));
        assert_eq!((fr.language, fr.time_zone), (Language::Et, chrono_tz::Europe::Paris));
        let unknown = whereabouts(&creditor(), Some(&debtor(None, None)));
        assert_eq!(
            (unknown.language, unknown.country.as_str(), unknown.time_zone),
            (Language::Et, "EE", chrono_tz::Europe::Tallinn)
        );
        assert_eq!(whereabouts(&creditor(), None).language, Language::Et);
    }

    #[test]
    fn the_debtors_setting_wins_over_the_groups_which_wins_over_the_contact() {
        let mut c = creditor();
        c.groups = BTreeMap::from([(
            "Wholesale".to_string(),
            CustomerGroup {
                enabled: true,
                steps: None,
                platform_groups: vec![],
                place: Place {
                    language: Some("en".into()),
                    country: Some("RO".into()),
                    time_zone: None,
                },
                statement: None,
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
