//! The invoice item: the one entity written by both functions, mapped by hand so that the attribute names
//! used in condition expressions and the ones written are the same constants.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::NaiveDate;

use duly_core::ledger::{Balance, Invoice, InvoiceDoc, Progress};
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::money::{Currency, Money};
use duly_core::model::InvoiceControls;

use super::{keys, n, parse_ts, s, ts, StoreError};

pub(crate) mod attr {
    pub const PK: &str = "pk";
    pub const SK: &str = "sk";
    pub const CREDITOR_ID: &str = "creditor_id";
    pub const INVOICE_ID: &str = "invoice_id";
    pub const NUMBER: &str = "number";
    pub const DEBTOR_ID: &str = "debtor_id";
    pub const CURRENCY: &str = "currency";
    pub const TOTAL_MINOR: &str = "total_minor";
    pub const ISSUE_DATE: &str = "issue_date";
    pub const DUE_DATE: &str = "due_date";
    pub const DRAFT: &str = "draft";
    pub const PAY_URL: &str = "pay_url";
    pub const BILL_TO: &str = "bill_to";
    pub const DOC_AT: &str = "doc_at";
    pub const AMOUNT_DUE_MINOR: &str = "amount_due_minor";
    pub const BAL_AT: &str = "bal_at";
    pub const VOIDED_AT: &str = "voided_at";
    pub const STEPS_DONE: &str = "steps_done";
    pub const LAST_SENT_AT: &str = "last_sent_at";
    pub const FIRST_OVERDUE_AT: &str = "first_overdue_at";
    pub const DOCUMENT_KEPT: &str = "document_kept";
    pub const NEXT_ACTION_AT: &str = "next_action_at";
    pub const DUE_SHARD: &str = "due_shard";
    pub const DEBTOR_KEY: &str = "debtor_key";
    pub const CREDITOR_OPEN: &str = "creditor_open";
    pub const CONTROLS: &str = "controls";
    pub const NEEDS_YOU: &str = "needs_you";
    pub const NEEDS_FROM: &str = "needs_from";
    pub const REV: &str = "rev";
}

pub(crate) type Attrs = Vec<(&'static str, AttributeValue)>;

/// Attributes of the document part, plus those to remove when the document leaves them empty.
pub(crate) fn doc_attrs(doc: &InvoiceDoc) -> (Attrs, Vec<&'static str>) {
    let mut set: Attrs = vec![
        (attr::NUMBER, s(&doc.number)),
        (attr::DEBTOR_ID, s(doc.debtor_id.as_str())),
        (attr::CURRENCY, s(doc.total.currency.code())),
        (attr::TOTAL_MINOR, n(doc.total.minor)),
        (attr::DUE_DATE, s(doc.due_date.to_string())),
        (attr::DRAFT, AttributeValue::Bool(doc.draft)),
        (attr::DOC_AT, s(ts(doc.updated_at))),
    ];
    let mut remove = Vec::new();
    match doc.issue_date {
        Some(d) => set.push((attr::ISSUE_DATE, s(d.to_string()))),
        None => remove.push(attr::ISSUE_DATE),
    }
    // A pay link, once known, stays until the platform gives another: Xero's is read on its own, and
    // the invoice's later versions come without it.
    if let Some(u) = &doc.pay_url {
        set.push((attr::PAY_URL, s(u)));
    }
    if doc.bill_to.is_empty() {
        remove.push(attr::BILL_TO);
    } else {
        set.push((attr::BILL_TO, AttributeValue::L(doc.bill_to.iter().map(s).collect())));
    }
    (set, remove)
}

pub(crate) fn balance_attrs(b: &Balance) -> Attrs {
    vec![
        (attr::CURRENCY, s(b.amount_due.currency.code())),
        (attr::AMOUNT_DUE_MINOR, n(b.amount_due.minor)),
        (attr::BAL_AT, s(ts(b.as_of))),
    ]
}

pub(crate) fn index_attrs(creditor: &CreditorId, invoice: &InvoiceId, at: chrono::DateTime<chrono::Utc>) -> Attrs {
    vec![
        (attr::NEXT_ACTION_AT, s(ts(at))),
        (attr::DUE_SHARD, s(keys::due_shard(creditor, invoice))),
    ]
}

/// The sparse keys of the by-debtor and by-creditor indexes of open invoices.
pub(crate) fn open_attrs(creditor: &CreditorId, debtor: &DebtorId) -> Attrs {
    vec![
        (attr::DEBTOR_KEY, s(keys::debtor(creditor, debtor))),
        (attr::CREDITOR_OPEN, s(keys::creditor(creditor))),
    ]
}

/// The sparse keys of the needs-you index: an open invoice whose controls may wait for the creditor, from
/// the first day they do; `None` when the invoice leaves the index.
pub(crate) fn needs_attrs(creditor: &CreditorId, controls: &InvoiceControls) -> Option<Attrs> {
    let from = duly_core::web::todo::needs_from(controls)?;
    Some(vec![
        (attr::NEEDS_YOU, s(keys::creditor(creditor))),
        (attr::NEEDS_FROM, s(from.to_string())),
    ])
}

pub(crate) fn controls_value(controls: &InvoiceControls) -> AttributeValue {
    serde_dynamo::to_attribute_value(controls).expect("invoice controls serialise")
}

/// The whole item for an invoice; the due and by-debtor index attributes exist only while they apply.
pub(crate) fn invoice_to_item(inv: &Invoice) -> HashMap<String, AttributeValue> {
    let mut attrs: Attrs = vec![
        (attr::PK, s(keys::invoice(&inv.creditor_id, &inv.invoice_id))),
        (attr::SK, s(keys::INVOICE_SK)),
        (attr::CREDITOR_ID, s(inv.creditor_id.as_str())),
        (attr::INVOICE_ID, s(inv.invoice_id.as_str())),
        (attr::REV, n(inv.rev)),
    ];
    if let Some(doc) = &inv.doc {
        attrs.extend(doc_attrs(doc).0);
    }
    if let Some(b) = &inv.balance {
        attrs.extend(balance_attrs(b));
    }
    if let Some(v) = inv.voided_at {
        attrs.push((attr::VOIDED_AT, s(ts(v))));
    }
    if !inv.progress.steps_done.is_empty() {
        attrs.push((
            attr::STEPS_DONE,
            AttributeValue::L(inv.progress.steps_done.iter().map(s).collect()),
        ));
    }
    if let Some(t) = inv.progress.last_sent_at {
        attrs.push((attr::LAST_SENT_AT, s(ts(t))));
    }
    if let Some(t) = inv.progress.first_overdue_at {
        attrs.push((attr::FIRST_OVERDUE_AT, s(ts(t))));
    }
    if inv.progress.document_kept {
        attrs.push((attr::DOCUMENT_KEPT, AttributeValue::Bool(true)));
    }
    if let Some(at) = inv.next_action_at {
        attrs.extend(index_attrs(&inv.creditor_id, &inv.invoice_id, at));
    }
    if let Some(d) = inv.open_for_debtor() {
        attrs.extend(open_attrs(&inv.creditor_id, d));
        attrs.extend(needs_attrs(&inv.creditor_id, &inv.controls).unwrap_or_default());
    }
    if !inv.controls.is_empty() {
        attrs.push((attr::CONTROLS, controls_value(&inv.controls)));
    }
    attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn get_s<'a>(item: &'a HashMap<String, AttributeValue>, name: &str) -> Result<Option<&'a str>, StoreError> {
    match item.get(name) {
        None => Ok(None),
        Some(AttributeValue::S(v)) => Ok(Some(v)),
        Some(_) => Err(StoreError::Corrupt(format!("{name} is not a string"))),
    }
}

fn get_n(item: &HashMap<String, AttributeValue>, name: &str) -> Result<Option<i64>, StoreError> {
    match item.get(name) {
        None => Ok(None),
        Some(AttributeValue::N(v)) => v
            .parse()
            .map(Some)
            .map_err(|_| StoreError::Corrupt(format!("{name} is not an integer"))),
        Some(_) => Err(StoreError::Corrupt(format!("{name} is not a number"))),
    }
}

fn need<T>(v: Option<T>, name: &str) -> Result<T, StoreError> {
    v.ok_or_else(|| StoreError::Corrupt(format!("{name} is missing")))
}

fn date(raw: &str) -> Result<NaiveDate, StoreError> {
    raw.parse().map_err(|_| StoreError::Corrupt(format!("date {raw:?}")))
}

pub fn invoice_from_item(item: &HashMap<String, AttributeValue>) -> Result<Invoice, StoreError> {
    let corrupt = |e: duly_core::model::ids::IdError| StoreError::Corrupt(e.to_string());
    let creditor_id = CreditorId::parse(need(get_s(item, attr::CREDITOR_ID)?, attr::CREDITOR_ID)?).map_err(corrupt)?;
    let invoice_id = InvoiceId::parse(need(get_s(item, attr::INVOICE_ID)?, attr::INVOICE_ID)?).map_err(corrupt)?;
    let currency = get_s(item, attr::CURRENCY)?
        .map(|c| Currency::parse(c).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()?;
    let doc = match get_s(item, attr::DOC_AT)? {
        None => None,
        Some(at) => Some(InvoiceDoc {
            number: need(get_s(item, attr::NUMBER)?, attr::NUMBER)?.to_string(),
            debtor_id: DebtorId::parse(need(get_s(item, attr::DEBTOR_ID)?, attr::DEBTOR_ID)?).map_err(corrupt)?,
            total: Money {
                minor: need(get_n(item, attr::TOTAL_MINOR)?, attr::TOTAL_MINOR)?,
                currency: need(currency, attr::CURRENCY)?,
            },
            issue_date: get_s(item, attr::ISSUE_DATE)?.map(date).transpose()?,
            due_date: date(need(get_s(item, attr::DUE_DATE)?, attr::DUE_DATE)?)?,
            draft: matches!(item.get(attr::DRAFT), Some(AttributeValue::Bool(true))),
            pay_url: get_s(item, attr::PAY_URL)?.map(str::to_string),
            bill_to: match item.get(attr::BILL_TO) {
                Some(AttributeValue::L(list)) => list.iter().filter_map(|v| v.as_s().ok().cloned()).collect(),
                _ => Vec::new(),
            },
            updated_at: parse_ts(at)?,
        }),
    };
    let balance = match get_s(item, attr::BAL_AT)? {
        None => None,
        Some(at) => Some(Balance {
            amount_due: Money {
                minor: need(get_n(item, attr::AMOUNT_DUE_MINOR)?, attr::AMOUNT_DUE_MINOR)?,
                currency: need(currency, attr::CURRENCY)?,
            },
            as_of: parse_ts(at)?,
        }),
    };
    let steps_done = match item.get(attr::STEPS_DONE) {
        None => Vec::new(),
        Some(AttributeValue::L(list)) => list
            .iter()
            .map(|v| match v {
                AttributeValue::S(k) => Ok(k.clone()),
                _ => Err(StoreError::Corrupt("steps_done holds a non-string".into())),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(StoreError::Corrupt("steps_done is not a list".into())),
    };
    Ok(Invoice {
        creditor_id,
        invoice_id,
        doc,
        balance,
        voided_at: get_s(item, attr::VOIDED_AT)?.map(parse_ts).transpose()?,
        progress: Progress {
            steps_done,
            last_sent_at: get_s(item, attr::LAST_SENT_AT)?.map(parse_ts).transpose()?,
            first_overdue_at: get_s(item, attr::FIRST_OVERDUE_AT)?.map(parse_ts).transpose()?,
            document_kept: matches!(item.get(attr::DOCUMENT_KEPT), Some(AttributeValue::Bool(true))),
        },
        controls: match item.get(attr::CONTROLS) {
            None => InvoiceControls::default(),
            Some(v) => serde_dynamo::from_attribute_value(v.clone()).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        },
        next_action_at: get_s(item, attr::NEXT_ACTION_AT)?.map(parse_ts).transpose()?,
        rev: get_n(item, attr::REV)?.unwrap_or(0) as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use duly_core::webhooks::canonical::{DocumentStatus, InvoiceFact, InvoiceSnapshot};

    #[test]
    fn an_invoice_round_trips_through_its_item() {
        let eur = Currency::parse("EUR").unwrap();
        let fact = InvoiceFact::Upserted(InvoiceSnapshot {
            invoice_id: InvoiceId::parse("inv-1").unwrap(),
            number: "INV-1".into(),
            debtor_id: DebtorId::parse("cus-1").unwrap(),
            total: Money {
                minor: 10_000,
                currency: eur,
            },
            amount_due: Money {
                minor: 2_500,
                currency: eur,
            },
            issue_date: Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
            due_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            status: DocumentStatus::Open,
            pay_url: Some("https://pay.example/1".into()),
            bill_to: vec!["ap@tamm.example".into(), "cfo@tamm.example".into()],
            updated_at: Utc.with_ymd_and_hms(2026, 11, 2, 3, 4, 5).unwrap(),
        });
        let now = Utc.with_ymd_and_hms(2026, 11, 3, 0, 0, 0).unwrap();
        let mut inv = duly_core::ledger::merge(None, &CreditorId::parse("acme").unwrap(), &fact, now)
            .unwrap()
            .unwrap();
        inv.progress.steps_done = vec!["2026-12-01/before-3".into()];
        inv.progress.last_sent_at = Some(now);
        inv.progress.first_overdue_at = Some(now);
        inv.progress.document_kept = true;
        inv.controls.promise = Some(duly_core::model::Promise {
            date: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
            at: now,
        });
        let item = invoice_to_item(&inv);
        assert_eq!(item.get(attr::DEBTOR_KEY), Some(&s("C#acme#D#cus-1")));
        assert_eq!(item.get(attr::CREDITOR_OPEN), Some(&s("C#acme")));
        assert!(item.contains_key(attr::DUE_SHARD));
        assert_eq!(invoice_from_item(&item).unwrap(), inv);
    }
}
