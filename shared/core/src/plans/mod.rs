//! Payment plans: an invoice's balance split into instalments with their own dates. Each instalment is
//! reminded of as an invoice would be (its own pre-due and overdue steps); what the platform reports paid
//! is matched to instalments in date order; an instalment missed past the grace days breaks the plan and
//! the invoice returns to its normal reminders.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::money::Money;
use crate::policy::PolicyError;

/// Most instalments a plan may have.
pub const MAX_INSTALMENTS: usize = 24;

/// What a creditor allows debtors to ask for; `max_instalments` 0 offers no plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanLimits {
    #[serde(default)]
    pub max_instalments: u8,
    /// Days between instalments when the debtor asks and the creditor approves as asked.
    #[serde(default = "default_days_between")]
    pub days_between: u16,
    /// Days an instalment may be late before the plan breaks.
    #[serde(default = "default_grace_days")]
    pub grace_days: u16,
}

fn default_days_between() -> u16 {
    30
}
fn default_grace_days() -> u16 {
    7
}

impl Default for PlanLimits {
    fn default() -> Self {
        PlanLimits {
            max_instalments: 0,
            days_between: default_days_between(),
            grace_days: default_grace_days(),
        }
    }
}

impl PlanLimits {
    pub fn check(&self) -> Result<(), PolicyError> {
        if usize::from(self.max_instalments) > MAX_INSTALMENTS {
            return Err(PolicyError::new("max_instalments", "invalid-at-most").with("max", MAX_INSTALMENTS));
        }
        if !(7..=92).contains(&self.days_between) {
            return Err(PolicyError::new("days_between", "invalid-days-between")
                .with("min", 7_i64)
                .with("max", 92_i64));
        }
        if self.grace_days > 60 {
            return Err(PolicyError::new("grace_days", "invalid-at-most-days").with("max", 60_i64));
        }
        Ok(())
    }
}

/// One instalment: its date and amount in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    pub due: NaiveDate,
    pub amount: i64,
}

/// An agreed plan: instalments summing to `base`, the balance when it was agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentPlan {
    pub base: Money,
    pub instalments: Vec<Instalment>,
    pub agreed_at: DateTime<Utc>,
    /// When Duly saw an instalment missed past the grace days and told the creditor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken_at: Option<DateTime<Utc>>,
}

/// The debtor's request, waiting for the creditor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRequest {
    pub instalments: u8,
    pub at: DateTime<Utc>,
}

/// Where a plan stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanState {
    /// The instalment to pay next, and what is left of it.
    Current {
        index: usize,
        due: NaiveDate,
        remaining: i64,
    },
    /// Instalment `index` is past its date and the grace days, unpaid.
    Missed { index: usize, due: NaiveDate },
    /// Everything the plan covers is paid.
    Done,
}

/// Splits `base` into `count` equal instalments `days_between` apart from `first`, the remainder on the
/// last so they sum to it exactly.
pub fn split(base: Money, count: u8, first: NaiveDate, days_between: u16) -> Vec<Instalment> {
    let count = i64::from(count.max(1));
    let each = base.minor / count;
    (0..count)
        .map(|i| Instalment {
            due: crate::calendar::bounds::shift(first, i * i64::from(days_between)),
            amount: if i == count - 1 {
                base.minor - each * (count - 1)
            } else {
                each
            },
        })
        .collect()
}

/// Checks instalments a creditor sets: 1–24, dates strictly increasing from `today`, positive amounts
/// summing to `balance` exactly.
pub fn check_instalments(instalments: &[Instalment], balance: Money, today: NaiveDate) -> Result<(), PolicyError> {
    let err = |id: &'static str| PolicyError::new("instalments", id);
    if instalments.is_empty() || instalments.len() > MAX_INSTALMENTS {
        return Err(err("invalid-instalments-count").with("max", MAX_INSTALMENTS));
    }
    if instalments.iter().any(|i| i.amount <= 0) {
        return Err(err("invalid-instalment-zero"));
    }
    if instalments.iter().any(|i| i.amount > balance.minor) {
        return Err(err("invalid-instalment-over"));
    }
    if instalments[0].due < today || instalments.windows(2).any(|w| w[1].due <= w[0].due) {
        return Err(err("invalid-instalment-dates"));
    }
    if instalments.last().map(|i| i.due) > Some(crate::calendar::bounds::shift(today, 3 * 366)) {
        return Err(err("invalid-instalment-years"));
    }
    // Checked: amounts come from outside, and a sum that wrapped could land exactly on the balance.
    let sum = instalments.iter().try_fold(0i64, |sum, i| sum.checked_add(i.amount));
    if sum != Some(balance.minor) {
        return Err(err("invalid-instalment-sum"));
    }
    Ok(())
}

impl PaymentPlan {
    /// The plan on `today`, with the platform's balance now: what has been paid since it was agreed goes to
    /// the instalments in date order.
    pub fn state(&self, balance: i64, today: NaiveDate, grace_days: u16) -> PlanState {
        let paid = (self.base.minor - balance).max(0);
        let mut covered = 0i64;
        for (index, instalment) in self.instalments.iter().enumerate() {
            covered = covered.saturating_add(instalment.amount);
            if covered > paid {
                let remaining = (covered - paid).min(instalment.amount);
                if today > crate::calendar::bounds::shift(instalment.due, i64::from(grace_days)) {
                    return PlanState::Missed {
                        index,
                        due: instalment.due,
                    };
                }
                return PlanState::Current {
                    index,
                    due: instalment.due,
                    remaining,
                };
            }
        }
        PlanState::Done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::money::Currency;

    fn eur(minor: i64) -> Money {
        Money {
            minor,
            currency: Currency::parse("EUR").unwrap(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn instalments_sum_to_the_balance_with_the_remainder_on_the_last() {
        let parts = split(eur(100_000), 3, day("2026-12-15"), 30);
        assert_eq!(
            parts.iter().map(|i| (i.due.to_string(), i.amount)).collect::<Vec<_>>(),
            [
                ("2026-12-15".into(), 33_333),
                ("2027-01-14".into(), 33_333),
                ("2027-02-13".into(), 33_334)
            ]
        );
        assert!(check_instalments(&parts, eur(100_000), day("2026-12-01")).is_ok());
        assert!(check_instalments(&parts, eur(100_001), day("2026-12-01")).is_err());
        assert!(
            check_instalments(&parts, eur(100_000), day("2026-12-20")).is_err(),
            "a date in the past"
        );
    }

    #[test]
    fn instalments_whose_sum_would_wrap_onto_the_balance_are_refused() {
        let balance: i64 = 900_000_000_000_000_000;
        // 21 instalments of the whole balance and one more that together pass i64::MAX and wrap to exactly
        // the balance again: 2^64 + balance.
        let wrapped_rest = i64::try_from((1i128 << 64) + i128::from(balance) - 21 * i128::from(balance)).unwrap();
        let parts: Vec<Instalment> = (0..22)
            .map(|i| Instalment {
                due: crate::calendar::bounds::shift(day("2026-12-15"), i * 30),
                amount: if i == 21 { wrapped_rest } else { balance },
            })
            .collect();
        let refused = check_instalments(&parts, eur(balance), day("2026-12-01")).unwrap_err();
        assert_eq!(refused.reason.id, "invalid-instalment-sum");
        let over = [Instalment {
            due: day("2026-12-15"),
            amount: 100_001,
        }];
        let refused = check_instalments(&over, eur(100_000), day("2026-12-01")).unwrap_err();
        assert_eq!(refused.reason.id, "invalid-instalment-over");
    }

    #[test]
    fn payments_go_to_instalments_in_date_order_and_a_missed_one_breaks_the_plan() {
        let plan = PaymentPlan {
            base: eur(100_000),
            instalments: split(eur(100_000), 3, day("2026-12-15"), 30),
            agreed_at: "2026-12-01T00:00:00Z".parse().unwrap(),
            broken_at: None,
        };
        let on = |balance, today: &str| plan.state(balance, day(today), 7);
        assert_eq!(
            on(100_000, "2026-12-10"),
            PlanState::Current {
                index: 0,
                due: day("2026-12-15"),
                remaining: 33_333
            }
        );
        // 20 000 paid: the first instalment has 13 333 left.
        assert_eq!(
            on(80_000, "2026-12-16"),
            PlanState::Current {
                index: 0,
                due: day("2026-12-15"),
                remaining: 13_333
            }
        );
        // The first paid in full: the second is next.
        assert_eq!(
            on(66_667, "2026-12-20"),
            PlanState::Current {
                index: 1,
                due: day("2027-01-14"),
                remaining: 33_333
            }
        );
        // The first still short eight days after its date: missed.
        assert_eq!(
            on(80_000, "2026-12-23"),
            PlanState::Missed {
                index: 0,
                due: day("2026-12-15")
            }
        );
        assert_eq!(on(0, "2027-03-01"), PlanState::Done);
    }
}
