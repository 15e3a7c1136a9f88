//! What a reminder shows on top of the amount due: each overdue invoice's interest and compensation as of
//! a day, under the creditor's settings. Shown apart, never added to the platform's amount due.

use chrono::{DateTime, NaiveDate, Utc};

use super::compensation::compensation;
use super::{late_interest, BalanceChange, ContractRate, Interest, InterestError, LateCharges};
use crate::ledger::Invoice;
use crate::model::money::Money;

/// An overdue invoice, as the charges need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    pub number: String,
    /// What was owed on the due date (the invoice's total).
    pub principal: Money,
    pub due: NaiveDate,
    /// The balance now, and since when the platform has reported it.
    pub balance: Money,
    pub balance_since: DateTime<Utc>,
    /// Payments and credit notes the platform reported: when, and the balance after each.
    pub history: Vec<(DateTime<Utc>, i64)>,
}

impl Overdue {
    /// An invoice as the charges read it, with the payments and credit notes recorded on it; `None` while its
    /// document or balance is not known.
    pub fn of(invoice: &Invoice, history: Vec<(DateTime<Utc>, i64)>) -> Option<Overdue> {
        let (doc, balance) = (invoice.doc.as_ref()?, invoice.balance?);
        Some(Overdue {
            number: doc.number.clone(),
            principal: doc.total,
            due: doc.due_date,
            balance: balance.amount_due,
            balance_since: balance.as_of,
            history,
        })
    }

    /// Interest up to and including `today` under `country`'s law, or at the contractual rate; each reported
    /// change of the balance counts from the day after it.
    pub fn interest(
        &self,
        country: &str,
        contract: Option<ContractRate>,
        today: NaiveDate,
    ) -> Result<Interest, InterestError> {
        let changes = balance_changes(
            self.principal.minor,
            &self.history,
            self.balance.minor,
            self.balance_since,
        );
        late_interest(country, self.principal, self.due, &changes, today, contract)
    }
}

/// The balance changes of an invoice: each reported payment or credit note (its day, the balance after it),
/// then the balance as reported now where it differs from the last of them.
fn balance_changes(
    principal: i64,
    history: &[(DateTime<Utc>, i64)],
    balance: i64,
    balance_since: DateTime<Utc>,
) -> Vec<BalanceChange> {
    let mut history = history.to_vec();
    history.sort_by_key(|(at, _)| *at);
    let mut changes: Vec<BalanceChange> = history
        .iter()
        .map(|(at, after)| BalanceChange {
            on: at.date_naive(),
            balance: (*after).max(0),
        })
        .collect();
    let last = changes.last().map_or(principal, |c| c.balance);
    if balance != last {
        changes.push(BalanceChange {
            on: balance_since.date_naive(),
            balance: balance.max(0),
        });
    }
    changes.truncate(super::MAX_BALANCE_CHANGES);
    changes
}

/// One invoice's charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeLine {
    pub number: String,
    pub interest: Option<Money>,
    pub compensation: Option<Money>,
}

/// The charges a message shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charges {
    pub lines: Vec<ChargeLine>,
    /// The day interest is computed up to, included.
    pub as_of: NaiveDate,
    /// The country whose law sets them.
    pub country: String,
}

/// The charges on `overdue` invoices of a debtor in `group` as of `today`, or `None` when nothing is owed
/// on top. An invoice whose rate the table does not know yet shows no interest rather than a guess.
pub fn charges(
    settings: &LateCharges,
    creditor_country: &str,
    group: Option<&str>,
    overdue: &[Overdue],
    today: NaiveDate,
) -> Option<Charges> {
    let (contract, with_compensation) = settings.for_group(group)?;
    let country = settings.law_country(creditor_country);
    let lines: Vec<ChargeLine> = overdue
        .iter()
        .filter(|o| o.due < today && o.balance.minor > 0)
        .map(|o| {
            let interest = (settings.interest || contract.is_some())
                .then(|| o.interest(country, contract, today))
                .and_then(Result::ok)
                .map(|i| i.total)
                .filter(|m| m.minor > 0);
            let compensation = with_compensation
                .then(|| compensation(country, o.principal, o.due))
                .and_then(Result::ok);
            ChargeLine {
                number: o.number.clone(),
                interest,
                compensation,
            }
        })
        .filter(|l| l.interest.is_some() || l.compensation.is_some())
        .collect();
    (!lines.is_empty()).then(|| Charges {
        lines,
        as_of: today,
        country: country.to_string(),
    })
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

    fn overdue(number: &str, due: &str, balance: i64, since: &str) -> Overdue {
        Overdue {
            number: number.into(),
            principal: eur(100_000),
            due: due.parse().unwrap(),
            balance: eur(balance),
            balance_since: since.parse().unwrap(),
            history: Vec::new(),
        }
    }

    #[test]
    fn each_reported_payment_lowers_the_balance_from_the_next_day() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let history = [
            (at("2025-09-20T10:00:00Z"), 30_000),
            (at("2025-09-11T08:00:00Z"), 60_000),
        ];
        let changes = balance_changes(100_000, &history, 30_000, at("2025-09-20T10:00:00Z"));
        assert_eq!(
            changes,
            [
                BalanceChange {
                    on: "2025-09-11".parse().unwrap(),
                    balance: 60_000
                },
                BalanceChange {
                    on: "2025-09-20".parse().unwrap(),
                    balance: 30_000
                },
            ]
        );
        // A balance the platform reports without a payment of its own (an edited invoice) counts too.
        let edited = balance_changes(100_000, &[], 90_000, at("2025-09-05T00:00:00Z"));
        assert_eq!(
            edited,
            [BalanceChange {
                on: "2025-09-05".parse().unwrap(),
                balance: 90_000
            }]
        );
        assert!(balance_changes(100_000, &[], 100_000, at("2025-09-05T00:00:00Z")).is_empty());
    }

    #[test]
    fn an_estonian_creditors_overdue_invoices_carry_interest_and_forty_euros() {
        let settings = LateCharges {
            interest: true,
            compensation: true,
            ..LateCharges::default()
        };
        let lines = [
            // 30 days at 11.15 %: €9.16 (see the engine's worked example).
            overdue("INV-1", "2025-03-10", 100_000, "2025-03-01T00:00:00Z"),
            // €400 paid, reported on 11 September: €5.95, as in the engine's part-payment example.
            overdue("INV-2", "2025-09-01", 60_000, "2025-09-11T08:00:00Z"),
            // Not due yet: nothing.
            overdue("INV-3", "2025-12-01", 100_000, "2025-03-01T00:00:00Z"),
        ];
        let shown = charges(&settings, "EE", None, &lines[..1], "2025-04-09".parse().unwrap()).unwrap();
        assert_eq!(
            shown.lines,
            [ChargeLine {
                number: "INV-1".into(),
                interest: Some(eur(916)),
                compensation: Some(eur(4_000))
            }]
        );
        let later = charges(&settings, "EE", None, &lines[1..], "2025-09-30".parse().unwrap()).unwrap();
        assert_eq!(later.lines.len(), 1);
        assert_eq!(later.lines[0].interest, Some(eur(595)));
        assert_eq!(
            charges(
                &LateCharges::default(),
                "EE",
                None,
                &lines,
                "2025-09-30".parse().unwrap()
            ),
            None
        );
    }
}
