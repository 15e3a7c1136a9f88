//! What a poll does with each invoice Merit lists, against what Duly holds: a poll every ten minutes must
//! not write every open invoice every time, so only what changed is applied.

use chrono::NaiveDate;

use super::merit_guid;
use super::records::MeritInvoice;
use crate::ledger::Invoice;
use crate::model::ids::InvoiceId;

/// What one listed invoice asks of the poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Duly holds it as Merit lists it, or it is paid history Duly never held.
    Nothing,
    /// Its header changed (a due date, a number, a total): the listed version is applied.
    Apply,
    /// What was paid on it changed: it is read in full, so that each payment is itemised.
    InFull,
}

fn paid_so_far(stored: &Invoice) -> Option<i64> {
    let total = stored.doc.as_ref()?.total;
    let due = stored.balance?.amount_due;
    (total.currency == due.currency).then_some(total.minor - due.minor)
}

pub fn compare(stored: Option<&Invoice>, listed: &MeritInvoice) -> Read {
    let s = &listed.snapshot;
    let Some(stored) = stored.filter(|i| i.doc.is_some()) else {
        return match s.amount_due.minor {
            0 => Read::Nothing,
            _ => Read::Apply,
        };
    };
    if stored.voided_at.is_some() {
        return Read::Nothing;
    }
    if paid_so_far(stored) != Some(listed.paid.minor) && stored.is_open() {
        return Read::InFull;
    }
    let doc = stored.doc.as_ref().expect("filtered to a document");
    let same = doc.number == s.number
        && doc.debtor_id == s.debtor_id
        && doc.total == s.total
        && doc.issue_date == s.issue_date
        && doc.due_date == s.due_date
        && stored.balance.map(|b| b.amount_due) == Some(s.amount_due);
    if same {
        Read::Nothing
    } else {
        Read::Apply
    }
}

/// Duly's open Merit invoices dated in `period` that Merit no longer lists as unpaid: paid, or deleted.
/// Open invoices without a date are looked for with the first period of the sweep.
pub fn missing<'a>(
    open: &'a [Invoice],
    listed: &[MeritInvoice],
    period: (NaiveDate, NaiveDate),
    first_period: bool,
) -> Vec<&'a InvoiceId> {
    open.iter()
        .filter(|i| i.is_open() && merit_guid(i.invoice_id.as_str()).is_some())
        .filter(|i| match i.doc.as_ref().and_then(|d| d.issue_date) {
            Some(d) => (period.0..=period.1).contains(&d),
            None => first_period,
        })
        .filter(|i| !listed.iter().any(|l| l.snapshot.invoice_id == i.invoice_id))
        .map(|i| &i.invoice_id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Balance, InvoiceDoc};
    use crate::model::ids::{CreditorId, DebtorId};
    use crate::model::money::{Currency, Money};
    use crate::webhooks::canonical::{DocumentStatus, InvoiceSnapshot};
    use chrono::{DateTime, Utc};

    fn eur(minor: i64) -> Money {
        Money {
            minor,
            currency: Currency::parse("EUR").unwrap(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn listed(id: &str, due: i64, paid: i64) -> MeritInvoice {
        MeritInvoice {
            snapshot: InvoiceSnapshot {
                invoice_id: InvoiceId::parse(id).unwrap(),
                number: "ARV-1".into(),
                debtor_id: DebtorId::parse("merit:c1").unwrap(),
                total: eur(10_000),
                amount_due: eur(due),
                issue_date: Some(day("2026-11-02")),
                due_date: day("2026-11-16"),
                status: if due == 0 {
                    DocumentStatus::Paid
                } else {
                    DocumentStatus::Open
                },
                pay_url: None,
                bill_to: Vec::new(),
                updated_at: DateTime::<Utc>::UNIX_EPOCH,
            },
            paid: eur(paid),
        }
    }

    fn stored(id: &str, due: i64) -> Invoice {
        let l = listed(id, due, 10_000 - due).snapshot;
        Invoice {
            doc: Some(InvoiceDoc {
                number: l.number,
                debtor_id: l.debtor_id,
                total: l.total,
                issue_date: l.issue_date,
                due_date: l.due_date,
                draft: false,
                pay_url: None,
                bill_to: Vec::new(),
                updated_at: l.updated_at,
            }),
            balance: Some(Balance {
                amount_due: eur(due),
                as_of: l.updated_at,
            }),
            ..Invoice::empty(CreditorId::parse("c").unwrap(), InvoiceId::parse(id).unwrap())
        }
    }

    #[test]
    fn only_what_changed_is_applied_and_a_payment_is_read_in_full() {
        let held = stored("merit:a", 10_000);
        assert_eq!(compare(Some(&held), &listed("merit:a", 10_000, 0)), Read::Nothing);
        assert_eq!(compare(Some(&held), &listed("merit:a", 4_000, 6_000)), Read::InFull);
        let mut later = listed("merit:a", 10_000, 0);
        later.snapshot.due_date = day("2026-12-16");
        assert_eq!(compare(Some(&held), &later), Read::Apply);
        assert_eq!(compare(None, &listed("merit:b", 10_000, 0)), Read::Apply);
        assert_eq!(
            compare(None, &listed("merit:b", 0, 10_000)),
            Read::Nothing,
            "paid history"
        );
    }

    #[test]
    fn open_merit_invoices_of_the_period_that_merit_no_longer_lists_are_missing() {
        let open = [
            stored("merit:a", 10_000),
            stored("merit:b", 10_000),
            stored("in_stripe", 10_000),
        ];
        let period = (day("2026-10-01"), day("2026-12-07"));
        let found: Vec<&str> = missing(&open, &[listed("merit:a", 10_000, 0)], period, false)
            .into_iter()
            .map(InvoiceId::as_str)
            .collect();
        assert_eq!(
            found,
            ["merit:b"],
            "another platform's invoice is never Merit's to miss"
        );
        assert!(missing(&open, &[], (day("2026-12-01"), day("2026-12-07")), false).is_empty());
    }
}
