//! The customers page: everyone who owes the creditor something, found by name, address, id or invoice
//! number, those with the oldest due date first.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::ledger::Invoice;
use crate::model::ids::DebtorId;
use crate::model::money::{per_currency, Money};
use crate::model::Debtor;

/// Longest search text taken; anything after it is ignored.
pub const MAX_QUERY: usize = 100;
/// Rows shown; the page says how many more matched.
pub const MAX_ROWS: usize = 100;

/// One customer with open invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRow {
    pub debtor_id: DebtorId,
    pub name: String,
    pub email: Option<String>,
    pub invoices: usize,
    /// What they owe, one amount per currency.
    pub due: Vec<Money>,
    pub earliest_due: NaiveDate,
    pub paused: bool,
}

/// The customers among `open` (a creditor's open invoices) that `query` matches, oldest due date first,
/// at most [`MAX_ROWS`]; and how many matched in all.
pub fn customers(open: &[Invoice], debtors: &[Debtor], query: &str, today: NaiveDate) -> (Vec<CustomerRow>, usize) {
    let needle: String = query.trim().chars().take(MAX_QUERY).collect::<String>().to_lowercase();
    let by_id: BTreeMap<&DebtorId, &Debtor> = debtors.iter().map(|d| (&d.debtor_id, d)).collect();
    let mut owed: BTreeMap<&DebtorId, Vec<&Invoice>> = BTreeMap::new();
    for invoice in open.iter().filter(|i| i.is_open()) {
        if let Some(doc) = &invoice.doc {
            owed.entry(&doc.debtor_id).or_default().push(invoice);
        }
    }
    let mut rows: Vec<CustomerRow> = owed
        .into_iter()
        .filter_map(|(id, invoices)| {
            let debtor = by_id.get(id).copied();
            let name = debtor.map_or_else(|| id.to_string(), |d| d.name.clone());
            let email = debtor.and_then(|d| d.email.clone());
            let matches = needle.is_empty()
                || name.to_lowercase().contains(&needle)
                || id.as_str().to_lowercase().contains(&needle)
                || email.as_deref().is_some_and(|e| e.to_lowercase().contains(&needle))
                || invoices
                    .iter()
                    .filter_map(|i| i.doc.as_ref())
                    .any(|d| d.number.to_lowercase().contains(&needle));
            matches.then(|| CustomerRow {
                debtor_id: id.clone(),
                name,
                email,
                invoices: invoices.len(),
                due: per_currency(
                    invoices
                        .iter()
                        .filter_map(|i| i.balance.as_ref())
                        .map(|b| &b.amount_due),
                ),
                earliest_due: invoices
                    .iter()
                    .filter_map(|i| i.doc.as_ref().map(|d| d.due_date))
                    .min()
                    .unwrap_or(today),
                paused: debtor
                    .and_then(|d| d.controls.reminders.as_ref())
                    .is_some_and(|o| !o.on && o.applies_on(today)),
            })
        })
        .collect();
    rows.sort_by(|a, b| (a.earliest_due, &a.name).cmp(&(b.earliest_due, &b.name)));
    let matched = rows.len();
    rows.truncate(MAX_ROWS);
    (rows, matched)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::ledger::merge;
    use crate::model::ids::{CreditorId, InvoiceId};
    use crate::model::money::Currency;
    use crate::model::Override;
    use crate::webhooks::canonical::{DocumentStatus, InvoiceFact, InvoiceSnapshot};

    fn at() -> DateTime<Utc> {
        "2026-11-20T10:00:00Z".parse().unwrap()
    }

    fn invoice(number: &str, debtor: &str, due: &str, minor: i64, currency: &str) -> Invoice {
        let money = Money {
            minor,
            currency: Currency::parse(currency).unwrap(),
        };
        let fact = InvoiceFact::Upserted(InvoiceSnapshot {
            invoice_id: InvoiceId::parse(number).unwrap(),
            number: number.into(),
            debtor_id: DebtorId::parse(debtor).unwrap(),
            total: money,
            amount_due: money,
            issue_date: None,
            due_date: due.parse().unwrap(),
            status: DocumentStatus::Open,
            pay_url: None,
            bill_to: Vec::new(),
            updated_at: at(),
        });
        merge(None, &CreditorId::parse("acme").unwrap(), &fact, at())
            .unwrap()
            .unwrap()
    }

    fn debtor(id: &str, name: &str, email: &str) -> Debtor {
        Debtor {
            creditor_id: CreditorId::parse("acme").unwrap(),
            debtor_id: DebtorId::parse(id).unwrap(),
            name: name.into(),
            email: Some(email.into()),
            phone: None,
            language: None,
            country: None,
            time_zone: None,
            updated_at: at(),
            platform_groups: vec![],
            cc: Vec::new(),
            controls: Default::default(),
            history: Default::default(),
            paid_late: Vec::new(),
        }
    }

    #[test]
    fn customers_are_found_by_name_address_or_invoice_and_listed_oldest_due_first() {
        let open = vec![
            invoice("INV-1", "cus-1", "2026-12-01", 10_000, "EUR"),
            invoice("INV-2", "cus-1", "2026-11-10", 5_050, "EUR"),
            invoice("INV-3", "cus-1", "2026-12-05", 2_000, "USD"),
            invoice("INV-9", "cus-2", "2026-11-25", 700, "EUR"),
            invoice("INV-7", "cus-3", "2026-10-01", 100, "EUR"),
        ];
        let mut paused = debtor("cus-2", "Lõuna Ehitus AS", "arved@louna.example");
        paused.controls.reminders = Some(Override {
            on: false,
            until: None,
            reason: Some("talking".into()),
            set_at: at(),
        });
        let debtors = vec![debtor("cus-1", "Tamm & Sons OÜ", "ap@tamm.example"), paused];
        let today = "2026-11-20".parse().unwrap();

        let (all, matched) = customers(&open, &debtors, "", today);
        assert_eq!(matched, 3);
        let order: Vec<&str> = all.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            order,
            ["cus-3", "Tamm & Sons OÜ", "Lõuna Ehitus AS"],
            "oldest due first; unknown by id"
        );
        let tamm = &all[1];
        assert_eq!((tamm.invoices, tamm.earliest_due), (3, "2026-11-10".parse().unwrap()));
        assert_eq!(
            tamm.due
                .iter()
                .map(|m| (m.minor, m.currency.code()))
                .collect::<Vec<_>>(),
            [(15_050, "EUR"), (2_000, "USD")]
        );
        assert!(all[2].paused && !tamm.paused);

        for query in ["tamm", "AP@TAMM", "inv-3", "cus-1", "  Tamm  "] {
            let (found, _) = customers(&open, &debtors, query, today);
            assert_eq!(found.len(), 1, "{query}");
            assert_eq!(found[0].debtor_id.as_str(), "cus-1");
        }
        assert_eq!(
            customers(&open, &debtors, "lõuna", today).0[0].debtor_id.as_str(),
            "cus-2"
        );
        assert!(customers(&open, &debtors, "nobody", today).0.is_empty());
        let long = "x".repeat(10 * MAX_QUERY);
        assert_eq!(customers(&open, &debtors, &long, today).1, 0);
    }
}
