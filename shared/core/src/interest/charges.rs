//! What a reminder shows on top of the amount due: each overdue invoice's interest and compensation as of
//! a day, under the creditor's settings. Shown apart, never added to the platform's amount due.

use chrono::{DateTime, NaiveDate, Utc};

use super::allocation::{Allocation, Settled};
use super::compensation::compensation;
use super::rates::RateBook;
use super::{applied_interest, ContractRate, Interest, InterestError, LateCharges};
use crate::ledger::Invoice;
use crate::model::money::Money;

/// A payment or credit note the platform reported on an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paid {
    pub at: DateTime<Utc>,
    /// Minor units.
    pub amount: i64,
    pub credit_note: bool,
}

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
    /// Payments and credit notes the platform reported.
    pub history: Vec<Paid>,
}

impl Overdue {
    /// An invoice as the charges read it, with the payments and credit notes recorded on it; `None` while its
    /// document or balance is not known.
    pub fn of(invoice: &Invoice, history: Vec<Paid>) -> Option<Overdue> {
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

    /// Interest up to and including `today` under `country`'s law, or at the contractual rate, with each
    /// payment applied first to `costs` and the interest; each counts from the day after it.
    pub fn interest(
        &self,
        book: &RateBook,
        country: &str,
        contract: Option<ContractRate>,
        costs: i64,
        today: NaiveDate,
    ) -> Result<Interest, InterestError> {
        let settled = settlements(
            self.principal.minor,
            &self.history,
            self.balance.minor,
            self.balance_since,
        );
        applied_interest(
            book,
            country,
            self.principal,
            self.due,
            costs,
            &settled,
            today,
            contract,
        )
    }

    /// The fixed compensation under `country`'s law, once the invoice is late on `today`; `None` before, or
    /// where its currency has no rate of exchange for the day the law names. Payments go to it first.
    pub fn compensation(&self, book: &RateBook, country: &str, today: NaiveDate) -> Option<Money> {
        compensation(book, country, self.principal, self.due)
            .ok()
            .filter(|_| self.due < today)
    }
}

/// What an invoice's history says, for the engine: each payment and credit note on its day, then whatever
/// moved the balance without being itemised (an edited invoice), on the day the balance was reported.
fn settlements(principal: i64, history: &[Paid], balance: i64, balance_since: DateTime<Utc>) -> Vec<Settled> {
    let mut history = history.to_vec();
    history.sort_by_key(|p| p.at);
    history.truncate(super::MAX_BALANCE_CHANGES - 1);
    let mut settled: Vec<Settled> = history
        .iter()
        .map(|p| {
            let (on, amount) = (p.at.date_naive(), p.amount.max(0));
            match p.credit_note {
                true => Settled::Credited { on, amount },
                false => Settled::Paid { on, amount },
            }
        })
        .collect();
    let itemised: i64 = history.iter().map(|p| p.amount.max(0)).sum();
    let unexplained = principal - itemised - balance.max(0);
    if unexplained != 0 {
        settled.push(Settled::Adjusted {
            on: balance_since.date_naive(),
            amount: unexplained,
        });
    }
    settled
}

/// One invoice's charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeLine {
    pub number: String,
    /// All the interest accrued, what payments covered included.
    pub interest: Option<Money>,
    pub compensation: Option<Money>,
    /// How each payment was applied, where one went to the compensation or the interest.
    pub allocations: Vec<Allocation>,
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
    book: &RateBook,
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
            let compensation = with_compensation
                .then(|| o.compensation(book, country, today))
                .flatten();
            let costs = compensation.map_or(0, |c| c.minor);
            let computed = (settings.interest || contract.is_some())
                .then(|| o.interest(book, country, contract, costs, today))
                .and_then(Result::ok);
            let allocations = computed
                .as_ref()
                .map(|i| {
                    i.allocations
                        .iter()
                        .filter(|a| a.to_costs > 0 || a.to_interest > 0)
                        .copied()
                        .collect()
                })
                .unwrap_or_default();
            ChargeLine {
                number: o.number.clone(),
                interest: computed.map(|i| i.total).filter(|m| m.minor > 0),
                compensation,
                allocations,
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
    fn each_reported_payment_and_credit_note_counts_on_its_day_and_an_edit_on_the_days_balance() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let on = |s: &str| s.parse::<NaiveDate>().unwrap();
        let history = [
            Paid {
                at: at("2025-09-20T10:00:00Z"),
                amount: 30_000,
                credit_note: true,
            },
            Paid {
                at: at("2025-09-11T08:00:00Z"),
                amount: 40_000,
                credit_note: false,
            },
        ];
        assert_eq!(
            settlements(100_000, &history, 30_000, at("2025-09-20T10:00:00Z")),
            [
                Settled::Paid {
                    on: on("2025-09-11"),
                    amount: 40_000
                },
                Settled::Credited {
                    on: on("2025-09-20"),
                    amount: 30_000
                },
            ]
        );
        // A balance the platform reports without a payment of its own (an edited invoice) counts too.
        assert_eq!(
            settlements(100_000, &[], 90_000, at("2025-09-05T00:00:00Z")),
            [Settled::Adjusted {
                on: on("2025-09-05"),
                amount: 10_000
            }]
        );
        assert!(settlements(100_000, &[], 100_000, at("2025-09-05T00:00:00Z")).is_empty());
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
        let book = RateBook::seed();
        let shown = charges(book, &settings, "EE", None, &lines[..1], "2025-04-09".parse().unwrap()).unwrap();
        assert_eq!(
            shown.lines,
            [ChargeLine {
                number: "INV-1".into(),
                interest: Some(eur(916)),
                compensation: Some(eur(4_000)),
                allocations: vec![],
            }]
        );
        let later = charges(book, &settings, "EE", None, &lines[1..], "2025-09-30".parse().unwrap()).unwrap();
        assert_eq!(later.lines.len(), 1);
        assert_eq!(later.lines[0].interest, Some(eur(595)));
        assert_eq!(
            charges(
                book,
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
