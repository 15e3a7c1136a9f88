//! Where a debtor is, as a creditor sets it: their language, country and time zone.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Where debtors are and what they read, as a creditor sets it for one debtor or a customer group. Each
/// field given wins over what the platform says; the rest are read from the contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// One of Duly's languages (`et`, `pl`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// ISO 3166-1 alpha-2: its public holidays, and its zone unless a zone is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<Tz>,
}

impl Place {
    pub fn is_empty(&self) -> bool {
        self.language.is_none() && self.country.is_none() && self.time_zone.is_none()
    }
}
