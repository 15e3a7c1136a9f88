//! What reminders brought in: the invoices paid after Duly reminded the customer of them.

use chrono::{DateTime, Utc};

use crate::ledger::Invoice;
use crate::model::ids::DebtorId;
use crate::model::money::{per_currency, Money};

/// A reminder sent: when, to whom, about which invoices (their ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminded {
    pub at: DateTime<Utc>,
    pub invoices: Vec<String>,
}

/// An invoice paid after a reminder of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidAfter {
    pub number: String,
    pub debtor_id: DebtorId,
    pub amount: Money,
    /// The latest reminder before the payment.
    pub reminded_at: DateTime<Utc>,
    pub paid_at: DateTime<Utc>,
}

/// Of `invoices` (those the reminders named), the ones settled after a reminder sent since `since`,
/// latest payment first; and their totals per currency.
pub fn paid_after_reminders(
    reminders: &[Reminded],
    invoices: &[Invoice],
    since: DateTime<Utc>,
) -> (Vec<PaidAfter>, Vec<Money>) {
    let mut paid: Vec<PaidAfter> = invoices
        .iter()
        .filter(|i| i.voided_at.is_none() && !i.is_open())
        .filter_map(|i| {
            let doc = i.doc.as_ref().filter(|d| !d.draft)?;
            let balance = i.balance.filter(|b| b.amount_due.minor == 0)?;
            let id = i.invoice_id.as_str();
            let reminded_at = reminders
                .iter()
                .filter(|r| r.at >= since && r.at < balance.as_of && r.invoices.iter().any(|x| x == id))
                .map(|r| r.at)
                .max()?;
            Some(PaidAfter {
                number: doc.number.clone(),
                debtor_id: doc.debtor_id.clone(),
                amount: doc.total,
                reminded_at,
                paid_at: balance.as_of,
            })
        })
        .collect();
    paid.sort_by_key(|p| std::cmp::Reverse(p.paid_at));
    let totals = per_currency(paid.iter().map(|p| &p.amount));
    (paid, totals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::merge;
    use crate::model::ids::{CreditorId, InvoiceId};
    use crate::model::money::Currency;
    use crate::webhooks::canonical::{DocumentStatus, InvoiceFact, InvoiceSnapshot};

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// An invoice of 100.00 EUR whose balance is `due` as of `at`.
    fn invoice(id: &str, due: i64, at: &str) -> Invoice {
        let eur = Currency::parse("EUR").unwrap();
        let fact = InvoiceFact::Upserted(InvoiceSnapshot {
            invoice_id: InvoiceId::parse(id).unwrap(),
            number: format!("INV-{id}"),
            debtor_id: DebtorId::parse("cus-1").unwrap(),
            total: Money {
                minor: 10_000,
                currency: eur,
            },
            amount_due: Money {
                minor: due,
                currency: eur,
            },
            issue_date: None,
            due_date: "2026-11-01".parse().unwrap(),
            status: if due == 0 {
                DocumentStatus::Paid
            } else {
                DocumentStatus::Open
            },
            pay_url: None,
            bill_to: Vec::new(),
            updated_at: t(at),
        });
        merge(None, &CreditorId::parse("acme").unwrap(), &fact, t(at))
            .unwrap()
            .unwrap()
    }

    #[test]
    fn only_invoices_settled_after_a_recent_reminder_of_them_count() {
        let reminders = vec![
            Reminded {
                at: t("2026-11-10T09:00:00Z"),
                invoices: vec!["1".into(), "2".into()],
            },
            Reminded {
                at: t("2026-11-15T09:00:00Z"),
                invoices: vec!["1".into()],
            },
            Reminded {
                at: t("2026-10-01T09:00:00Z"),
                invoices: vec!["4".into()],
            },
            Reminded {
                at: t("2026-11-12T09:00:00Z"),
                invoices: vec!["5".into()],
            },
        ];
        let invoices = vec![
            invoice("1", 0, "2026-11-16T12:00:00Z"),
            invoice("2", 0, "2026-11-11T08:00:00Z"),
            invoice("3", 0, "2026-11-11T08:00:00Z"),
            invoice("4", 0, "2026-10-02T08:00:00Z"),
            invoice("5", 0, "2026-11-11T08:00:00Z"),
            invoice("6", 5_000, "2026-11-16T12:00:00Z"),
        ];
        let (paid, totals) = paid_after_reminders(&reminders, &invoices, t("2026-10-20T00:00:00Z"));
        let got: Vec<(&str, DateTime<Utc>)> = paid.iter().map(|p| (p.number.as_str(), p.reminded_at)).collect();
        assert_eq!(
            got,
            [
                ("INV-1", t("2026-11-15T09:00:00Z")),
                ("INV-2", t("2026-11-10T09:00:00Z"))
            ],
            "never reminded (3), reminded before the window (4), paid before its reminder (5), still open (6)"
        );
        assert_eq!(totals.iter().map(|m| m.minor).collect::<Vec<_>>(), [20_000]);
    }
}
