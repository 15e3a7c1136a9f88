//! Statutory late-payment interest on a business debtor's invoice, exact to the cent: the rate the law of
//! the debtor's country sets for each period (`rates`), simple interest for each calendar day from the day
//! after the due date up to and including the day it is computed for, on the unpaid balance of that day.
//!
//! Each period's interest is kept exact (`rust_decimal`, in minor units) and the total is rounded half-up
//! to the minor unit once. A payment on day d lowers the balance from day d + 1.

pub mod charges;
pub mod compensation;
pub mod rates;
mod settings;
pub mod sheet;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
pub use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;

use crate::calendar::Calendar;
use crate::model::money::Money;
use rates::{known_until, periods};
pub use settings::{LateCharges, Offered, MAX_CONTRACT_RATE};

/// Most balance changes taken for one invoice: a payment plan's worth, and then some.
pub const MAX_BALANCE_CHANGES: usize = 1_000;

/// How a country's law counts interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryRule {
    pub country: &'static str,
    /// Days in the year the annual rate is divided by: 365, or 360 (Bulgaria).
    pub day_basis: u32,
    /// A due date on a weekend or public holiday moves to the next business day first (Poland, Germany).
    pub due_moves_to_business_day: bool,
    /// Interest stops growing once it equals the principal (Latvia).
    pub capped_at_principal: bool,
}

/// The rule of `country` (ISO 3166-1 alpha-2), when the rate table covers it.
pub fn country_rule(country: &str) -> Option<CountryRule> {
    let country = rates::countries().into_iter().find(|c| *c == country)?;
    Some(CountryRule {
        country,
        day_basis: if country == "BG" { 360 } else { 365 },
        due_moves_to_business_day: matches!(country, "PL" | "DE"),
        capped_at_principal: country == "LV",
    })
}

/// The unpaid balance after a payment (or credit) on `on`, in minor units; it counts from the next day.
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
    pub source: &'static str,
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

/// The creditor's own annual rate, replacing the statutory one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractRate(pub Decimal);

/// Interest on `principal` (the balance on the due date) of an invoice due on `due` in `country`, for
/// every day up to and including `until`, with the balance lowered by `changes`.
pub fn late_interest(
    country: &str,
    principal: Money,
    due: NaiveDate,
    changes: &[BalanceChange],
    until: NaiveDate,
    contract: Option<ContractRate>,
) -> Result<Interest, InterestError> {
    let rule = country_rule(country).ok_or_else(|| InterestError::NoStatute(country.to_string()))?;
    if changes.len() > MAX_BALANCE_CHANGES {
        return Err(InterestError::Invalid("too many balance changes"));
    }
    if principal.minor < 0 || changes.iter().any(|c| c.balance < 0) {
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
    let zero = Interest {
        due,
        stretches: Vec::new(),
        exact: Decimal::ZERO,
        total: Money {
            minor: 0,
            currency: principal.currency,
        },
        capped: false,
    };
    let Some(first) = due.succ_opt().filter(|f| *f <= until) else {
        return Ok(zero);
    };
    let mut changes = changes.to_vec();
    changes.sort_by_key(|c| c.on);
    let statutory = periods(rule.country);
    // An agreed rate is owed at most at the law's ceiling, which moves on its own days.
    let ceilings = match contract {
        Some(_) => rates::ceilings(rule.country),
        None => Vec::new(),
    };
    // Where a stretch ends: a new rate period or ceiling, or a balance change taking effect.
    let mut starts: Vec<NaiveDate> = statutory
        .iter()
        .map(|p| p.from)
        .chain(ceilings.iter().map(|c| c.from))
        .chain(changes.iter().filter_map(|c| c.on.succ_opt()))
        .filter(|d| *d > first && *d <= until)
        .collect();
    starts.push(first);
    starts.sort_unstable();
    starts.dedup();
    let known = known_until(rule.country);
    let basis = Decimal::from(rule.day_basis);
    let mut stretches = Vec::new();
    let mut numerators = Decimal::ZERO;
    for (i, from) in starts.iter().copied().enumerate() {
        let to = starts.get(i + 1).and_then(|next| next.pred_opt()).unwrap_or(until);
        let balance = changes
            .iter()
            .rev()
            .find(|c| c.on < from)
            .map_or(principal.minor, |c| c.balance);
        let (rate, reference, margin, source) = match contract {
            Some(ContractRate(rate)) if ceilings.is_empty() => (rate, None, None, "the creditor's contractual rate"),
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
                    true => (ceiling.rate, None, None, ceiling.source),
                    false => (rate, None, None, "the creditor's contractual rate"),
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
                    period.source,
                )
            }
        };
        let days = (to - from).num_days() + 1;
        // balance × rate × days is exact; dividing once, for the total, keeps the sum additive to the
        // last digit however the days are split.
        let numerator = Decimal::from(balance) * rate * Decimal::from(days);
        numerators += numerator;
        let interest = numerator / (Decimal::from(100) * basis);
        stretches.push(Stretch {
            from,
            to,
            days,
            balance,
            rate,
            reference,
            margin,
            source,
            interest,
        });
    }
    let mut exact = numerators / (Decimal::from(100) * basis);
    let mut capped = false;
    if rule.capped_at_principal && exact > Decimal::from(principal.minor) {
        exact = Decimal::from(principal.minor);
        capped = true;
    }
    let minor = exact
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .try_into()
        .map_err(|_| InterestError::Invalid("the interest does not fit an amount"))?;
    Ok(Interest {
        stretches,
        exact,
        total: Money {
            minor,
            currency: principal.currency,
        },
        capped,
        ..zero
    })
}
