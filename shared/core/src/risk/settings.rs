//! What a creditor sets about the payment-risk score, as stored with the creditor.

use serde::Serialize;

use crate::policy::refusal::PolicyError;

/// Points from which a debtor is surfaced as unlikely to pay, unless the creditor sets their own.
pub const DEFAULT_THRESHOLD: u32 = 8;

/// What the creditor set about the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskSettings {
    /// Points from which a debtor is listed as unlikely to pay.
    pub threshold: u32,
}

impl Default for RiskSettings {
    fn default() -> Self {
        RiskSettings {
            threshold: DEFAULT_THRESHOLD,
        }
    }
}

impl RiskSettings {
    pub fn check(&self) -> Result<(), PolicyError> {
        if !(1..=50).contains(&self.threshold) {
            return Err(PolicyError::new("threshold", "invalid-points-between")
                .with("min", 1_i64)
                .with("max", 50_i64));
        }
        Ok(())
    }
}
