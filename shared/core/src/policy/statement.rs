//! A group's monthly statement of account, as the creditor sets it; [`crate::planner::monthly`] plans it.

use serde::{Deserialize, Serialize};

use super::refusal::PolicyError;

/// A group's monthly statement: on the `business_day`-th business day of each month, in the debtor's
/// calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthlyStatement {
    pub business_day: u8,
}

impl MonthlyStatement {
    pub fn check(&self) -> Result<(), PolicyError> {
        if !(1..=10).contains(&self.business_day) {
            return Err(PolicyError::new("statement.business_day", "invalid-business-day")
                .with("min", 1_i64)
                .with("max", 10_i64));
        }
        Ok(())
    }
}
