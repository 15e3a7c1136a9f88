//! How late a debtor paid before, kept as it happens: when an open invoice closes with nothing left to
//! pay (paid or credited, not voided), the days from its due date to the payment go on the debtor's record,
//! the latest few only.

use crate::ledger::Invoice;
use crate::model::ids::DebtorId;
use crate::model::PaidLate;

/// How many paid invoices a debtor's record keeps.
pub const KEPT: usize = 6;

/// The debtor and how late, when this change closed an open invoice by paying it.
pub fn closed_paid(before: Option<&Invoice>, after: Option<&Invoice>) -> Option<(DebtorId, PaidLate)> {
    let (before, after) = (before?, after?);
    if !before.is_open() || after.is_open() || after.voided_at.is_some() {
        return None;
    }
    let (doc, balance) = (after.doc.as_ref()?, after.balance.as_ref()?);
    if balance.amount_due.minor != 0 {
        return None;
    }
    let days = (balance.as_of.date_naive() - doc.due_date).num_days();
    Some((
        doc.debtor_id.clone(),
        PaidLate {
            invoice_id: after.invoice_id.to_string(),
            paid_on: balance.as_of.date_naive(),
            days,
        },
    ))
}

/// The record with `paid` added as the latest: an invoice paid again (reopened, then paid) is counted
/// once, at its latest payment; the record is in the order of the payments' days, whatever order they were
/// seen in, and only the latest [`KEPT`] stay. The same payment told twice changes nothing.
pub fn remember(record: &[PaidLate], paid: PaidLate) -> Vec<PaidLate> {
    if record.contains(&paid) {
        return record.to_vec();
    }
    let mut out: Vec<PaidLate> = record
        .iter()
        .filter(|p| p.invoice_id != paid.invoice_id)
        .cloned()
        .collect();
    out.push(paid);
    out.sort_by_key(|p| p.paid_on);
    let extra = out.len().saturating_sub(KEPT);
    out.drain(..extra);
    out
}

/// The last three payments, when each came later than the one before and all were late.
pub fn later_each_time(record: &[PaidLate]) -> Option<[i64; 3]> {
    let last: Vec<i64> = record.iter().rev().take(3).rev().map(|p| p.days).collect();
    match last[..] {
        [a, b, c] if 0 < a && a < b && b < c => Some([a, b, c]),
        _ => None,
    }
}

/// The average days late over the whole record, rounded down; `None` for an empty record.
pub fn average_late(record: &[PaidLate]) -> Option<i64> {
    let n = i64::try_from(record.len()).ok().filter(|n| *n > 0)?;
    Some(record.iter().map(|p| p.days).sum::<i64>().div_euclid(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Balance;
    use crate::model::money::Money;
    use crate::testing::{day, invoice_due, utc};

    /// Paid on the `n`th of November, `days` after its due date.
    fn paid(id: &str, n: u32, days: i64) -> PaidLate {
        PaidLate {
            invoice_id: id.into(),
            paid_on: day(2026, 11, n),
            days,
        }
    }

    #[test]
    fn a_payment_that_closes_an_invoice_records_how_late_it_came() {
        let open = invoice_due("1", day(2026, 11, 1), 10_000);
        let mut closed = open.clone();
        closed.balance = Some(Balance {
            amount_due: Money::zero(open.balance.unwrap().amount_due.currency),
            as_of: utc("2026-11-13T10:00:00Z"),
        });
        let (debtor, late) = closed_paid(Some(&open), Some(&closed)).expect("closed by a payment");
        assert_eq!((debtor.as_str(), late), ("cus-1", paid("1", 13, 12)));
        // Voided, or still owing, or closed before: nothing.
        let mut voided = closed.clone();
        voided.voided_at = Some(utc("2026-11-13T10:00:00Z"));
        assert_eq!(closed_paid(Some(&open), Some(&voided)), None);
        let mut part = open.clone();
        part.balance.as_mut().unwrap().amount_due.minor = 4_000;
        assert_eq!(closed_paid(Some(&open), Some(&part)), None);
        assert_eq!(closed_paid(Some(&closed), Some(&closed)), None);
    }

    #[test]
    fn the_record_keeps_the_latest_six_and_each_invoice_once() {
        let mut record = Vec::new();
        // Seen out of order: the record follows the days they were paid.
        for (i, days) in [7, 1, 2, 3, 4, 5, 6].into_iter().enumerate() {
            record = remember(&record, paid(&i.to_string(), u32::try_from(days).unwrap(), days));
        }
        assert_eq!(record.iter().map(|p| p.days).collect::<Vec<_>>(), [2, 3, 4, 5, 6, 7]);
        // Invoice "3" (paid on the 3rd) reopened and paid again on the 20th, 30 days late.
        let again = remember(&record, paid("3", 20, 30));
        assert_eq!(again.iter().map(|p| p.days).collect::<Vec<_>>(), [2, 4, 5, 6, 7, 30]);
        assert_eq!(remember(&again, again[2].clone()), again, "told twice");
    }

    #[test]
    fn later_each_time_needs_three_late_payments_each_later() {
        let record = [paid("a", 1, -2), paid("b", 2, 3), paid("c", 3, 10), paid("d", 4, 21)];
        assert_eq!(later_each_time(&record), Some([3, 10, 21]));
        assert_eq!(later_each_time(&record[..3]), None, "the first was early");
        assert_eq!(
            later_each_time(&[paid("a", 1, 5), paid("b", 2, 5), paid("c", 3, 9)]),
            None
        );
        assert_eq!(average_late(&record), Some(8));
        assert_eq!(average_late(&[]), None);
    }
}
