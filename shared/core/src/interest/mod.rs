//! Statutory late-payment interest on a business debtor's invoice, exact to the cent: the rate the law of
//! the debtor's country sets for each period (`rates`), simple interest for each calendar day from the day
//! after the due date up to and including the day it is computed for, on the unpaid balance of that day.
//!
//! Each period's interest is kept exact (`rust_decimal`, in minor units) and the total is rounded half-up
//! to the minor unit once. A payment on day d lowers the balance from day d + 1. A part payment is applied
//! as the debtor's law orders it (`allocation`): first to the creditor's costs, then to the interest
//! accrued by that day, and only then to the principal.

pub mod allocation;
pub mod charges;
pub mod compensation;
pub mod feed;
pub mod rates;
pub mod settings;
pub mod sheet;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
pub use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;

use crate::calendar::Calendar;
use crate::model::money::Money;
use allocation::{Allocation, Settled};
use rates::RateBook;
pub use rates::{country_rule, ContractRate, CountryRule};
pub use settings::{LateCharges, Offered, MAX_CONTRACT_RATE};

/// Most balance changes taken for one invoice: a payment plan's worth, and then some.
pub const MAX_BALANCE_CHANGES: usize = 1_000;

/// How a country's law counts interest.
/// The unpaid balance after a payment (or credit) on `on`, in minor units; it counts from the next day.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalanceChange {
    pub on: NaiveDate,
    pub balance: i64,
}

/// One stretch of days with one balance and one rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    pub from: NaiveDate,
    /// The last day, included.
    pub to: NaiveDate,
    pub days: i64,
    /// Minor units.
    pub balance: i64,
    /// Per cent a year; the statutory reference and margin, or the creditor's own rate.
    pub rate: Decimal,
    pub reference: Option<Decimal>,
    pub margin: Option<Decimal>,
    pub source: String,
    /// Minor units, unrounded.
    pub interest: Decimal,
}

/// Interest on one invoice up to a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interest {
    /// The due date interest runs from (moved to a business day where the law says so).
    pub due: NaiveDate,
    pub stretches: Vec<Stretch>,
    /// Minor units, unrounded (after a cap).
    pub exact: Decimal,
    /// Rounded half-up to the minor unit, once.
    pub total: Money,
    /// The total reached the principal and stopped growing.
    pub capped: bool,
    /// How each payment, credit note or reported balance was applied, in order.
    pub allocations: Vec<Allocation>,
    /// The principal left once payments were applied in the law's order (minor units).
    pub principal_left: i64,
}

impl Interest {
    /// Of `total`, what payments have covered (minor units).
    pub fn interest_paid(&self) -> i64 {
        self.allocations.iter().map(|a| a.to_interest).sum()
    }

    /// Of the creditor's costs (the fixed compensation), what payments have covered (minor units).
    pub fn costs_paid(&self) -> i64 {
        self.allocations.iter().map(|a| a.to_costs).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterestError {
    #[error("no statutory late-payment rate is known for {0}")]
    NoStatute(String),
    #[error("the statutory rate for {country} on {day} is not in the rate table yet")]
    RateUnknown { country: &'static str, day: NaiveDate },
    #[error("the rate of exchange for {currency} on {day} is not in the rate table")]
    FxUnknown { currency: String, day: NaiveDate },
    #[error("{0}")]
    Invalid(&'static str),
}

/// Interest on `principal` (the balance on the due date) of an invoice due on `due` in `country`, for
/// every day up to and including `until`, with the balance lowered by `changes`: the worked examples'
/// form, each change lowering the principal alone.
#[cfg(test)]
pub fn late_interest(
    book: &RateBook,
    country: &str,
    principal: Money,
    due: NaiveDate,
    changes: &[BalanceChange],
    until: NaiveDate,
    contract: Option<ContractRate>,
) -> Result<Interest, InterestError> {
    if changes.iter().any(|c| c.balance < 0) {
        return Err(InterestError::Invalid("a balance is negative"));
    }
    let mut before = principal.minor;
    let mut sorted = changes.to_vec();
    sorted.sort_by_key(|c| c.on);
    let settled: Vec<Settled> = sorted
        .iter()
        .map(|c| {
            let amount = before - c.balance;
            before = c.balance;
            Settled::Adjusted { on: c.on, amount }
        })
        .collect();
    applied_interest(book, country, principal, due, 0, &settled, until, contract)
}

/// Interest as `late_interest` computes it, with each payment applied in the law's order: to `costs` (the
/// creditor's claimed costs, owed from the first day late), then to the interest accrued by its day, then
/// to the principal; credit notes and adjustments move the principal.
#[allow(clippy::too_many_arguments)]
pub fn applied_interest(
    book: &RateBook,
    country: &str,
    principal: Money,
    due: NaiveDate,
    costs: i64,
    settled: &[Settled],
    until: NaiveDate,
    contract: Option<ContractRate>,
) -> Result<Interest, InterestError> {
    let rule = country_rule(country).ok_or_else(|| InterestError::NoStatute(country.to_string()))?;
    if settled.len() > MAX_BALANCE_CHANGES {
        return Err(InterestError::Invalid("too many balance changes"));
    }
    if principal.minor < 0 || costs < 0 || settled.iter().any(|s| !s.is_valid()) {
        return Err(InterestError::Invalid("a balance is negative"));
    }
    if contract.is_some_and(|ContractRate(r)| r < Decimal::ZERO || r > Decimal::from(100)) {
        return Err(InterestError::Invalid(
            "a contract rate is between 0 and 100 per cent a year",
        ));
    }
    let due = match rule.due_moves_to_business_day {
        true => Calendar::new(chrono_tz::UTC, Default::default())
            .with_country(Some(rule.country))
            .business_day_on_or_after(due),
        false => due,
    };
    let mut settled = settled.to_vec();
    settled.sort_by_key(Settled::on);
    let statutory = book.periods(rule.country);
    // An agreed rate is owed at most at the law's ceiling, which moves on its own days.
    let ceilings = match contract {
        Some(_) => book.ceilings(rule.country),
        None => Vec::new(),
    };
    let first = due.succ_opt().unwrap_or(due);
    // Where a stretch ends: a new rate period or ceiling, or a payment taking effect.
    let mut starts: Vec<NaiveDate> = statutory
        .iter()
        .map(|p| p.from)
        .chain(ceilings.iter().map(|c| c.from))
        .chain(settled.iter().filter_map(|s| s.on().succ_opt()))
        .filter(|d| *d > first && *d <= until)
        .collect();
    if first <= until {
        starts.push(first);
    }
    starts.sort_unstable();
    starts.dedup();
    let known = book.known_until(rule.country);
    let basis = Decimal::from(rule.day_basis);
    let divisor = Decimal::from(100) * basis;
    let cap = rule.capped_at_principal.then(|| Decimal::from(principal.minor));
    let mut ledger = allocation::Ledger::new(principal.minor, costs, due);
    let mut pending = settled.iter().peekable();
    let mut stretches = Vec::new();
    let mut numerators = Decimal::ZERO;
    for (i, from) in starts.iter().copied().enumerate() {
        // What was paid before this stretch is applied with the interest accrued up to its day.
        while let Some(s) = pending.next_if(|s| s.on() < from) {
            ledger.apply(s, accrued(numerators, divisor, cap));
        }
        let to = starts.get(i + 1).and_then(|next| next.pred_opt()).unwrap_or(until);
        let balance = ledger.principal();
        let (rate, reference, margin, source) = match contract {
            Some(ContractRate(rate)) if ceilings.is_empty() => {
                (rate, None, None, "the creditor's contractual rate".to_string())
            }
            Some(ContractRate(rate)) => {
                let unknown = |day| InterestError::RateUnknown {
                    country: rule.country,
                    day,
                };
                let ceiling = ceilings.iter().rev().find(|c| c.from <= from).ok_or(unknown(from))?;
                let checked = ceilings.last().map_or(from, |c| c.checked);
                if checked < to {
                    return Err(unknown(checked.succ_opt().unwrap_or(to)));
                }
                match rate > ceiling.rate {
                    true => (ceiling.rate, None, None, ceiling.source.clone()),
                    false => (rate, None, None, "the creditor's contractual rate".to_string()),
                }
            }
            None => {
                let unknown = |day| InterestError::RateUnknown {
                    country: rule.country,
                    day,
                };
                let period = statutory.iter().rev().find(|p| p.from <= from).ok_or(unknown(from))?;
                // A later rate may differ: days past what the table knows are not guessed.
                match known {
                    Some(k) if k >= to => {}
                    Some(k) => return Err(unknown(k.succ_opt().unwrap_or(to))),
                    None => return Err(unknown(from)),
                }
                (
                    period.rate(),
                    Some(period.reference),
                    Some(period.margin),
                    period.source.clone(),
                )
            }
        };
        let days = (to - from).num_days() + 1;
        // balance × rate × days is exact; dividing once, for the total, keeps the sum additive to the
        // last digit however the days are split.
        let numerator = Decimal::from(balance) * rate * Decimal::from(days);
        numerators += numerator;
        stretches.push(Stretch {
            from,
            to,
            days,
            balance,
            rate,
            reference,
            margin,
            source,
            interest: numerator / divisor,
        });
    }
    // Payments on the last day counted, or before interest began, are applied all the same.
    for s in pending.filter(|s| s.on() <= until) {
        ledger.apply(s, accrued(numerators, divisor, cap));
    }
    let mut exact = numerators / divisor;
    let mut capped = false;
    if let Some(cap) = cap.filter(|cap| exact > *cap) {
        exact = cap;
        capped = true;
    }
    let minor = round(exact)?;
    Ok(Interest {
        due,
        stretches,
        exact,
        total: Money {
            minor,
            currency: principal.currency,
        },
        capped,
        principal_left: ledger.principal(),
        allocations: ledger.into_allocations(),
    })
}

/// Interest accrued so far, in whole minor units, as a payment finds it.
fn accrued(numerators: Decimal, divisor: Decimal, cap: Option<Decimal>) -> i64 {
    let exact = numerators / divisor;
    let exact = cap.map_or(exact, |cap| exact.min(cap));
    round(exact).unwrap_or(i64::MAX)
}

fn round(exact: Decimal) -> Result<i64, InterestError> {
    exact
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .try_into()
        .map_err(|_| InterestError::Invalid("the interest does not fit an amount"))
}
