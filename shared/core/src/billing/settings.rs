//! What a creditor sets about paying for Duly, as stored with the creditor.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::policy::refusal::PolicyError;

/// What a creditor sets about paying for Duly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingSettings {
    /// Euros a calendar month (UTC) may cost at most; no cap when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_cap: Option<Decimal>,
}

impl BillingSettings {
    pub fn check(&self) -> Result<(), PolicyError> {
        self.monthly_cap.map_or(Ok(()), check_cap)
    }
}

/// The highest cap a creditor can set, in euros: far above any real month, low enough to catch a typo.
pub const MAX_CAP: u32 = 1_000_000;

/// A cap as the creditor sets it: euros to the cent, from 0 to [`MAX_CAP`].
pub fn check_cap(cap: Decimal) -> Result<(), PolicyError> {
    if cap < Decimal::ZERO || cap > Decimal::from(MAX_CAP) || cap.scale() > 2 {
        return Err(PolicyError::new("monthly_cap", "invalid-cap").with("max", MAX_CAP));
    }
    Ok(())
}
