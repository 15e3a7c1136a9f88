//! How long Duly keeps what it sent, as the creditor sets it, stored with the creditor.

use serde::{Deserialize, Serialize};

use crate::policy::refusal::PolicyError;

/// Three years: how long a claim for payment usually stays open in the countries Duly serves, so a
/// hand-off can still show every message the claim rests on.
pub const DEFAULT_KEEP_SENT_DAYS: u32 = 3 * 365;
/// Shortest and longest a creditor may choose, in days.
pub const KEEP_SENT_DAYS: std::ops::RangeInclusive<u32> = 30..=3650;

/// What the creditor set about the records Duly keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Records {
    /// Days each message is kept as it was sent, from the day it went; it is erased sooner with the debtor.
    pub keep_sent_days: u32,
}

impl Default for Records {
    fn default() -> Self {
        Records {
            keep_sent_days: DEFAULT_KEEP_SENT_DAYS,
        }
    }
}

impl Records {
    pub fn check(&self) -> Result<(), PolicyError> {
        if !KEEP_SENT_DAYS.contains(&self.keep_sent_days) {
            return Err(PolicyError::new("keep_sent_days", "invalid-days-between")
                .with("min", i64::from(*KEEP_SENT_DAYS.start()))
                .with("max", i64::from(*KEEP_SENT_DAYS.end())));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_years_unless_set_and_the_bounds_are_refused_outside() {
        assert_eq!(Records::default().keep_sent_days, 1095);
        for days in [30, 1095, 3650] {
            assert!(Records { keep_sent_days: days }.check().is_ok(), "{days}");
        }
        for days in [0, 29, 3651, u32::MAX] {
            let refused = Records { keep_sent_days: days }.check().unwrap_err();
            assert_eq!(refused.field, "keep_sent_days", "{days}");
        }
    }
}
