//! What a creditor switched on: statutory interest, the fixed compensation, and whether reminders show
//! them; customer groups of consumers, who owe neither unless the creditor sets a contractual rate.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::rates::{country_rule, ContractRate};
use crate::policy::refusal::PolicyError;

/// The creditor's late-charge settings; everything off until they switch it on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LateCharges {
    /// Statutory late-payment interest for business debtors.
    #[serde(default)]
    pub interest: bool,
    /// The fixed compensation for recovery costs (40 €), once per late invoice, business debtors only.
    #[serde(default)]
    pub compensation: bool,
    /// The country whose law sets the rate; the creditor's own when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Customer groups whose debtors are consumers: no statutory interest or compensation; the group's
    /// contractual rate (per cent a year) when the creditor agreed one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub consumer_groups: BTreeMap<String, Option<Decimal>>,
    /// Customer groups the creditor charges nothing, business or not.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub groups_off: std::collections::BTreeSet<String>,
}

/// The countries whose statutory interest a deployment offers. The operator lists those whose rates they
/// keep current in the table (`make lint` fails when one's current half-year is missing); a run without
/// the list (a developer's machine, the tests) offers every country the table holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Offered {
    #[default]
    Every,
    Only(std::collections::BTreeSet<String>),
}

impl Offered {
    /// A comma-separated list of country codes, as the deployment passes it; blank offers none.
    pub fn parse(list: &str) -> Self {
        Offered::Only(
            list.split(',')
                .map(|c| c.trim().to_ascii_uppercase())
                .filter(|c| !c.is_empty())
                .collect(),
        )
    }

    pub fn includes(&self, country: &str) -> bool {
        match self {
            Offered::Every => true,
            Offered::Only(countries) => countries.contains(country),
        }
    }
}

/// Highest contractual rate taken, per cent a year: above it a rate is a typing mistake, and several
/// countries cap agreed late interest well below it.
pub const MAX_CONTRACT_RATE: u32 = 50;

impl LateCharges {
    pub fn check(&self, creditor_country: &str, offered: &Offered) -> Result<(), PolicyError> {
        let err = |field: &str, id: &'static str| PolicyError::new(field, id);
        let country = self.country.as_deref().unwrap_or(creditor_country);
        if (self.interest || self.compensation) && country_rule(country).is_none() {
            return Err(err("country", "invalid-law-unknown")
                .with("country", country)
                .with("known", super::rates::COUNTRIES.join(", ")));
        }
        if self.interest && !offered.includes(country) {
            return Err(err("interest", "invalid-interest-not-offered").with("country", country));
        }
        if self.consumer_groups.len() > 100 || self.groups_off.len() > 100 {
            return Err(err("consumer_groups", "invalid-groups-at-most").with("max", 100_i64));
        }
        let ceiling = super::rates::RateBook::seed().ceilings(country).last().copied();
        for (group, rate) in &self.consumer_groups {
            if let Some(rate) = rate {
                if *rate < Decimal::ZERO || *rate > Decimal::from(MAX_CONTRACT_RATE) {
                    return Err(err(&format!("consumer_groups.{group}"), "invalid-contract-rate")
                        .with("max", MAX_CONTRACT_RATE));
                }
                if let Some(c) = ceiling.filter(|c| *rate > c.rate) {
                    return Err(err(&format!("consumer_groups.{group}"), "invalid-rate-cap")
                        .with("country", country)
                        .with("rate", c.rate)
                        .with("since", c.from));
                }
            }
        }
        Ok(())
    }

    /// The law charges follow for this creditor.
    pub fn law_country<'a>(&'a self, creditor_country: &'a str) -> &'a str {
        self.country.as_deref().unwrap_or(creditor_country)
    }

    /// What a debtor in `group` owes on top: `None` when nothing (consumers without a contractual rate,
    /// or everything off); otherwise the interest rate to use (`None` inside: the statutory one) and whether
    /// the compensation applies.
    pub fn for_group(&self, group: Option<&str>) -> Option<(Option<ContractRate>, bool)> {
        if group.is_some_and(|g| self.groups_off.contains(g)) {
            return None;
        }
        match group.and_then(|g| self.consumer_groups.get(g)) {
            Some(Some(rate)) if self.interest => Some((Some(ContractRate(*rate)), false)),
            Some(_) => None,
            None if self.interest || self.compensation => Some((None, self.compensation)),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumers_owe_nothing_but_an_agreed_rate_and_rates_are_bounded() {
        let mut charges = LateCharges {
            interest: true,
            compensation: true,
            ..LateCharges::default()
        };
        charges.consumer_groups.insert("retail".into(), None);
        charges
            .consumer_groups
            .insert("members".into(), Some(Decimal::from(12)));
        assert_eq!(charges.for_group(Some("wholesale")), Some((None, true)));
        assert_eq!(charges.for_group(None), Some((None, true)));
        assert_eq!(charges.for_group(Some("retail")), None);
        assert_eq!(
            charges.for_group(Some("members")),
            Some((Some(ContractRate(Decimal::from(12))), false))
        );
        assert_eq!(LateCharges::default().for_group(None), None);
        charges.groups_off.insert("wholesale".into());
        assert_eq!(charges.for_group(Some("wholesale")), None, "switched off for the group");
        assert_eq!(charges.for_group(Some("export")), Some((None, true)));
        let every = Offered::Every;
        assert!(charges.check("EE", &every).is_ok());
        assert_eq!(charges.check("US", &every).unwrap_err().field, "country");
        charges.consumer_groups.insert("loan".into(), Some(Decimal::from(80)));
        assert_eq!(charges.check("EE", &every).unwrap_err().field, "consumer_groups.loan");
    }

    #[test]
    fn statutory_interest_is_offered_only_where_the_deployment_keeps_rates_current() {
        let on = LateCharges {
            interest: true,
            ..LateCharges::default()
        };
        let offered = Offered::parse(" ee, LV ,");
        assert!(on.check("EE", &offered).is_ok());
        assert!(on.check("LV", &offered).is_ok());
        let refused = on.check("DE", &offered).unwrap_err();
        assert_eq!(refused.field, "interest");
        assert!(refused.reason.to_string().contains("DE"), "{}", refused.reason);
        assert_eq!(on.check("EE", &Offered::parse("")).unwrap_err().field, "interest");
        let compensation_only = LateCharges {
            compensation: true,
            ..LateCharges::default()
        };
        assert!(compensation_only.check("DE", &Offered::parse("")).is_ok());
    }

    #[test]
    fn an_agreed_rate_above_the_national_ceiling_is_refused() {
        let mut charges = LateCharges {
            interest: true,
            ..LateCharges::default()
        };
        charges
            .consumer_groups
            .insert("retail".into(), Some(Decimal::new(1850, 2)));
        assert!(charges.check("PL", &Offered::Every).is_ok());
        charges
            .consumer_groups
            .insert("retail".into(), Some(Decimal::new(1851, 2)));
        let refused = charges.check("PL", &Offered::Every).unwrap_err();
        assert_eq!(refused.field, "consumer_groups.retail");
        assert!(refused.reason.to_string().contains("18.50"), "{}", refused.reason);
        // Estonia's table sets no ceiling: the general bound holds.
        assert!(charges.check("EE", &Offered::Every).is_ok());
    }
}
