//! The debtor's own page: every open invoice as it stands when the page is opened, with its charges, its
//! pay link and its answers, and a bank transfer for everything. Every message links to it.

use std::collections::HashMap;

use chrono::NaiveDate;
use fluent_bundle::{FluentArgs, FluentValue};
use serde::Serialize;

use crate::ledger::Invoice;
use crate::locale::{format_amounts, format_date, format_money, Language};
use crate::messages::render::{wording, RenderError};
use crate::model::ids::InvoiceId;
use crate::model::money::{per_currency, Money};
use crate::model::BankAccount;
use crate::webhooks::canonical::safe_https_url;

/// The most rows the page lists; past this it says how many more there are.
pub const MAX_STATEMENT_ROWS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRow {
    pub number: String,
    pub due_date: String,
    pub amount_due: String,
    pub overdue_text: Option<String>,
    pub pay_url: Option<String>,
    /// Late-payment interest to today, where the creditor charges it.
    pub interest: Option<String>,
    pub compensation: Option<String>,
    /// What the debtor can answer about this invoice: label and signed link.
    pub answers: Vec<(String, String)>,
    /// Where the invoice itself can be downloaded, when Duly keeps its document.
    pub document_url: Option<String>,
}

/// An invoice paid lately.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaidRow {
    pub number: String,
    pub amount: String,
    pub paid_on: String,
}

/// What the page adds to the list of open invoices, made where the store and the link key are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// Interest and compensation to today, per invoice, where the creditor charges them.
    pub charges: HashMap<InvoiceId, (Option<Money>, Option<Money>)>,
    /// Each invoice's answer links: already paid, will pay on a date, disputed.
    pub answers: HashMap<InvoiceId, [String; 3]>,
    /// The creditor's account, for paying everything by one transfer.
    pub bank: Option<BankAccount>,
    /// Each invoice's document link, where Duly keeps its document.
    pub documents: HashMap<InvoiceId, String>,
    /// Invoices paid lately: number, total and the day of the payment, latest first.
    pub paid: Vec<(String, Money, NaiveDate)>,
}

/// What the page shows, in the debtor's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub title: String,
    pub labels: StatementLabels,
    pub rows: Vec<StatementRow>,
    /// "3 more open invoices, €30.00 in total" past [`MAX_STATEMENT_ROWS`].
    pub more: Option<String>,
    /// One sum per currency.
    pub totals: Vec<String>,
    /// Said instead of an empty table.
    pub empty: Option<String>,
    /// How to pay everything at once, when the creditor gave a bank account.
    pub pay_all: Option<String>,
    /// What was paid lately, so the debtor sees their payment arrived.
    pub paid: Vec<PaidRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementLabels {
    pub invoice: String,
    pub due_date: String,
    pub amount_due: String,
    pub total: String,
    pub pay_now: String,
    pub interest: String,
    pub compensation: String,
    pub answers: String,
    pub document: String,
    pub paid_title: String,
    pub paid_on: String,
}

/// The open invoices among `invoices`, oldest due date first, as of the creditor's `today`, each with what
/// `extras` gives it (charges and answers), and a transfer for everything.
pub fn debtor_page(
    creditor_name: &str,
    invoices: &[Invoice],
    lang: Language,
    today: NaiveDate,
    extras: &Extras,
) -> Result<Statement, RenderError> {
    let w = |id: &str, args: &FluentArgs<'_>| wording(lang, id, args);
    let none = FluentArgs::new();
    let mut open: Vec<(&crate::ledger::InvoiceDoc, Money, &InvoiceId)> = invoices
        .iter()
        .filter(|i| i.is_open())
        .filter_map(|i| Some((i.doc.as_ref()?, i.balance?.amount_due, &i.invoice_id)))
        .collect();
    open.sort_by(|(a, _, _), (b, _, _)| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
    let labels = [
        w("answer-paid", &none)?,
        w("answer-promise", &none)?,
        w("answer-dispute", &none)?,
    ];
    let rows = open
        .iter()
        .take(MAX_STATEMENT_ROWS)
        .map(|(doc, amount, id)| {
            let (interest, compensation) = extras.charges.get(*id).copied().unwrap_or_default();
            let answers = extras
                .answers
                .get(*id)
                .map(|urls| labels.iter().cloned().zip(urls.iter().cloned()).collect())
                .unwrap_or_default();
            let days = (today - doc.due_date).num_days();
            let mut a = FluentArgs::new();
            a.set("days", FluentValue::from(days));
            Ok(StatementRow {
                number: doc.number.clone(),
                due_date: format_date(lang, doc.due_date),
                amount_due: format_money(lang, amount),
                overdue_text: if days > 0 { Some(w("overdue-days", &a)?) } else { None },
                pay_url: doc.pay_url.clone().filter(|u| safe_https_url(u)),
                interest: interest.filter(|m| m.minor > 0).map(|m| format_money(lang, &m)),
                compensation: compensation.filter(|m| m.minor > 0).map(|m| format_money(lang, &m)),
                answers,
                document_url: extras.documents.get(*id).cloned(),
            })
        })
        .collect::<Result<Vec<_>, RenderError>>()?;
    let more = match open.get(MAX_STATEMENT_ROWS..) {
        Some(rest) if !rest.is_empty() => {
            let mut a = FluentArgs::new();
            a.set("count", FluentValue::from(rest.len()));
            a.set(
                "amount",
                format_amounts(lang, &per_currency(rest.iter().map(|(_, m, _)| m))),
            );
            Some(w("statement-more", &a)?)
        }
        _ => None,
    };
    let mut title_args = FluentArgs::new();
    title_args.set("creditor", creditor_name.to_string());
    Ok(Statement {
        title: w("statement-title", &title_args)?,
        labels: StatementLabels {
            invoice: w("label-invoice", &none)?,
            due_date: w("label-due-date", &none)?,
            amount_due: w("label-amount-due", &none)?,
            total: w("label-total", &none)?,
            pay_now: w("label-pay-now", &none)?,
            interest: w("charges-interest", &none)?,
            compensation: w("charges-compensation", &none)?,
            answers: w("answer-intro", &none)?,
            document: w("statement-document", &none)?,
            paid_title: w("statement-paid-title", &none)?,
            paid_on: w("statement-paid-on", &none)?,
        },
        paid: extras
            .paid
            .iter()
            .map(|(number, amount, day)| PaidRow {
                number: number.clone(),
                amount: format_money(lang, amount),
                paid_on: format_date(lang, *day),
            })
            .collect(),
        pay_all: match &extras.bank {
            Some(bank) if !open.is_empty() => {
                let mut a = FluentArgs::new();
                a.set("iban", bank.iban.clone());
                Some(w("bank-transfer", &a)?)
            }
            _ => None,
        },
        totals: per_currency(open.iter().map(|(_, m, _)| m))
            .iter()
            .map(|m| format_money(lang, m))
            .collect(),
        empty: if open.is_empty() {
            Some(w("statement-empty", &none)?)
        } else {
            None
        },
        rows,
        more,
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::ledger::{Balance, InvoiceDoc};
    use crate::model::ids::{CreditorId, DebtorId, InvoiceId};
    use crate::model::money::Currency;

    fn invoice(number: &str, due: u32, amount: &str, currency: &str) -> Invoice {
        let money = Currency::parse(currency).unwrap().parse_amount(amount).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        Invoice {
            doc: Some(InvoiceDoc {
                number: number.into(),
                debtor_id: DebtorId::parse("cus-1").unwrap(),
                total: money,
                issue_date: None,
                due_date: NaiveDate::from_ymd_opt(2026, 11, due).unwrap(),
                draft: false,
                pay_url: Some(format!("https://pay.example/{number}")),
                bill_to: Vec::new(),
                updated_at: at,
            }),
            balance: Some(Balance {
                amount_due: money,
                as_of: at,
            }),
            ..Invoice::empty(
                CreditorId::parse("nordwind").unwrap(),
                InvoiceId::parse(number).unwrap(),
            )
        }
    }

    #[test]
    fn lists_what_is_open_oldest_first_with_totals_per_currency() {
        let mut paid = invoice("INV-3", 2, "5.00", "EUR");
        paid.balance.as_mut().unwrap().amount_due.minor = 0;
        let invoices = [
            invoice("INV-2", 20, "10.00", "EUR"),
            paid,
            invoice("INV-1", 10, "1000.50", "EUR"),
            invoice("INV-4", 25, "7.00", "PLN"),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        let s = debtor_page("Nordwind OÜ", &invoices, Language::En, today, &Extras::default()).unwrap();
        assert_eq!(s.title, "Open invoices from Nordwind OÜ");
        let numbers: Vec<&str> = s.rows.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(numbers, ["INV-1", "INV-2", "INV-4"]);
        assert_eq!(s.rows[0].overdue_text.as_deref(), Some("5 days overdue"));
        assert_eq!(s.rows[1].overdue_text, None);
        assert_eq!(s.totals.len(), 2, "{:?}", s.totals);
        assert!(s.totals[0].contains("1,010.50"), "{:?}", s.totals);
        assert_eq!((s.more, s.empty), (None, None));
    }

    #[test]
    fn a_long_statement_stops_at_its_limit_and_counts_the_rest_and_an_empty_one_says_so() {
        let invoices: Vec<Invoice> = (0..MAX_STATEMENT_ROWS + 3)
            .map(|n| invoice(&format!("INV-{n:04}"), 1 + (n % 28) as u32, "10.00", "EUR"))
            .collect();
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        let s = debtor_page("Nordwind OÜ", &invoices, Language::Et, today, &Extras::default()).unwrap();
        assert_eq!(s.rows.len(), MAX_STATEMENT_ROWS);
        assert_eq!(s.more.as_deref(), Some("veel 3 tasumata arvet, kokku 30,00\u{a0}€"));
        let empty = debtor_page("Nordwind OÜ", &[], Language::Lt, today, &Extras::default()).unwrap();
        assert_eq!(empty.empty.as_deref(), Some("Neapmokėtų sąskaitų nėra. Ačiū!"));
        assert!(empty.rows.is_empty() && empty.totals.is_empty());
    }

    #[test]
    fn the_debtors_page_adds_each_invoices_charges_and_answers_and_a_transfer_for_everything() {
        let invoices = [
            invoice("INV-1", 10, "1000.50", "EUR"),
            invoice("INV-2", 20, "10.00", "EUR"),
        ];
        let eur = |a: &str| Currency::parse("EUR").unwrap().parse_amount(a).unwrap();
        let first = InvoiceId::parse("INV-1").unwrap();
        let extras = Extras {
            charges: HashMap::from([(first.clone(), (Some(eur("2.75")), Some(eur("40.00"))))]),
            answers: HashMap::from([(
                first,
                [
                    "https://a/paid".to_string(),
                    "https://a/promise".into(),
                    "https://a/dispute".into(),
                ],
            )]),
            bank: Some(BankAccount {
                iban: "EE382200221020145685".into(),
                bic: None,
            }),
            documents: HashMap::from([(InvoiceId::parse("INV-2").unwrap(), "/a/t/invoice/INV-2".to_string())]),
            paid: vec![(
                "INV-0".into(),
                eur("99.90"),
                NaiveDate::from_ymd_opt(2026, 11, 12).unwrap(),
            )],
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        let s = debtor_page("Nordwind OÜ", &invoices, Language::Pl, today, &extras).unwrap();
        let row = &s.rows[0];
        assert_eq!(
            (row.interest.as_deref(), row.compensation.as_deref()),
            (Some("2,75\u{a0}€"), Some("40,00\u{a0}€"))
        );
        let urls: Vec<&str> = row.answers.iter().map(|(_, url)| url.as_str()).collect();
        assert_eq!(urls, ["https://a/paid", "https://a/promise", "https://a/dispute"]);
        assert!(row
            .answers
            .iter()
            .all(|(label, _)| !label.is_empty() && !label.starts_with("answer-")));
        // No charges, no answers where none were given; a document link where one was.
        assert_eq!((s.rows[1].interest.as_deref(), s.rows[1].answers.len()), (None, 0));
        assert_eq!(
            (row.document_url.as_deref(), s.rows[1].document_url.as_deref()),
            (None, Some("/a/t/invoice/INV-2"))
        );
        assert_eq!(
            s.paid,
            [PaidRow {
                number: "INV-0".into(),
                amount: "99,90\u{a0}€".into(),
                paid_on: "12.11.2026".into()
            }]
        );
        assert_eq!(s.labels.paid_title, "Ostatnio opłacone");
        assert!(
            s.pay_all.as_deref().is_some_and(|t| t.contains("EE382200221020145685")),
            "{:?}",
            s.pay_all
        );
        assert_eq!(
            debtor_page("Nordwind OÜ", &invoices, Language::Pl, today, &Extras::default())
                .unwrap()
                .pay_all,
            None
        );
    }
}
