//! Applying one verified delivery to the ledger: a single `TransactWriteItems` that records the webhook id
//! (so a redelivery has no second effect), the settlement if there is one, and the invoice change.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update};
use chrono::{DateTime, Duration, Utc};

use duly_core::ledger::{BlindWrite, Expect, IndexPatch, Invoice};
use duly_core::model::ids::{ConnectionId, CreditorId, WebhookId};
use duly_core::webhooks::canonical::{Contact, InvoiceFact, Settlement};

use super::invoice_item::{
    attr, balance_attrs, doc_attrs, index_attrs, invoice_from_item, invoice_to_item, open_attrs,
};
use super::{cancellation_reasons, keys, n, reason_code, s, sdk_error, ts, Store, StoreError};

/// Who sent a fact, and when we got it.
#[derive(Debug, Clone, Copy)]
pub struct Delivery<'a> {
    pub creditor: &'a CreditorId,
    pub connection: &'a ConnectionId,
    pub webhook_id: &'a WebhookId,
    pub received_at: DateTime<Utc>,
}

/// How the invoice item changes with this delivery.
#[derive(Debug, Clone, Copy)]
pub enum LedgerWrite<'a> {
    /// Assume the stored invoice is older than the fact; DynamoDB checks the assumptions.
    Blind(&'a BlindWrite),
    /// Replace the invoice that was read at `expected_rev` (`None`: there was none).
    Replace {
        invoice: &'a Invoice,
        expected_rev: Option<u64>,
    },
    /// The fact changes nothing on the invoice; only the delivery (and settlement) are recorded.
    Nothing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    Applied,
    /// This webhook id, or this settlement, was applied before.
    Duplicate,
    /// The invoice was not as the write assumed; here is how it is now.
    Conflict(Option<Box<Invoice>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactOutcome {
    Applied,
    Duplicate,
    /// A newer version of the contact is already stored.
    Stale,
}

/// Collects `#name` and `:value` placeholders for one expression set.
#[derive(Default)]
struct Expr {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
    set: Vec<String>,
    remove: Vec<String>,
    conditions: Vec<String>,
}

impl Expr {
    fn name(&mut self, attribute: &str) -> String {
        let placeholder = format!("#{attribute}");
        self.names.insert(placeholder.clone(), attribute.to_string());
        placeholder
    }

    fn value(&mut self, key: &str, v: AttributeValue) -> String {
        let placeholder = format!(":{key}");
        self.values.insert(placeholder.clone(), v);
        placeholder
    }

    /// Setting the same attribute twice (the currency comes with both the document and the balance) keeps
    /// one clause: DynamoDB rejects overlapping paths.
    fn set(&mut self, attribute: &str, v: AttributeValue) {
        let name = self.name(attribute);
        let value = self.value(attribute, v);
        let clause = format!("{name} = {value}");
        if !self.set.contains(&clause) {
            self.set.push(clause);
        }
    }

    fn set_all(&mut self, attrs: Vec<(&'static str, AttributeValue)>) {
        for (k, v) in attrs {
            self.set(k, v);
        }
    }

    fn remove(&mut self, attribute: &str) {
        let name = self.name(attribute);
        self.remove.push(name);
    }

    fn update_expression(&self, add: Option<&str>) -> String {
        let mut parts = Vec::new();
        if !self.set.is_empty() {
            parts.push(format!("SET {}", self.set.join(", ")));
        }
        if !self.remove.is_empty() {
            parts.push(format!("REMOVE {}", self.remove.join(", ")));
        }
        if let Some(add) = add {
            parts.push(format!("ADD {add}"));
        }
        parts.join(" ")
    }

    fn condition_expression(&self) -> Option<String> {
        (!self.conditions.is_empty()).then(|| self.conditions.join(" AND "))
    }
}

fn blind_update(
    table: &str,
    creditor: &CreditorId,
    invoice_key: &str,
    fact: &InvoiceFact,
    w: &BlindWrite,
) -> Result<Update, StoreError> {
    let mut e = Expr::default();
    let invoice_id = fact.invoice_id();
    e.set(attr::CREDITOR_ID, s(creditor.as_str()));
    e.set(attr::INVOICE_ID, s(invoice_id.as_str()));
    if let Some(doc) = &w.patch.doc {
        let (set, remove) = doc_attrs(doc);
        e.set_all(set);
        for r in remove {
            e.remove(r);
        }
    }
    if let Some(b) = &w.patch.balance {
        e.set_all(balance_attrs(b));
    }
    if let Some(v) = w.patch.voided_at {
        e.set(attr::VOIDED_AT, s(ts(v)));
    }
    match &w.patch.index {
        IndexPatch::Replan { at, debtor } => {
            e.set_all(index_attrs(creditor, invoice_id, *at));
            if let Some(d) = debtor {
                e.set_all(open_attrs(creditor, d));
            }
        }
        IndexPatch::Remove => {
            e.remove(attr::NEXT_ACTION_AT);
            e.remove(attr::DUE_SHARD);
            e.remove(attr::DEBTOR_KEY);
            e.remove(attr::CREDITOR_OPEN);
            e.remove(attr::NEEDS_YOU);
            e.remove(attr::NEEDS_FROM);
        }
    }
    for expect in &w.expect {
        let condition = match *expect {
            Expect::DocOlderThan(t) => {
                let name = e.name(attr::DOC_AT);
                let value = e.value("expect_doc_at", s(ts(t)));
                format!("(attribute_not_exists({name}) OR {name} < {value})")
            }
            Expect::BalanceOlderThan(t) => {
                let name = e.name(attr::BAL_AT);
                let value = e.value("expect_bal_at", s(ts(t)));
                format!("(attribute_not_exists({name}) OR {name} < {value})")
            }
            Expect::NotVoided => format!("attribute_not_exists({})", e.name(attr::VOIDED_AT)),
            Expect::Open => format!("attribute_exists({})", e.name(attr::DEBTOR_KEY)),
            Expect::CurrencyIs(c) => {
                let name = e.name(attr::CURRENCY);
                let value = e.value("expect_currency", s(c.code()));
                format!("(attribute_not_exists({name}) OR {name} = {value})")
            }
        };
        e.conditions.push(condition);
    }
    let rev = e.name(attr::REV);
    let one = e.value("one", n(1));
    let add = format!("{rev} {one}");
    Update::builder()
        .table_name(table)
        .key(attr::PK, s(invoice_key))
        .key(attr::SK, s(keys::INVOICE_SK))
        .update_expression(e.update_expression(Some(&add)))
        .set_condition_expression(e.condition_expression())
        .set_expression_attribute_names(Some(e.names))
        .set_expression_attribute_values(Some(e.values))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .build()
        .map_err(|e| StoreError::Rejected(e.to_string()))
}

fn replace_put(table: &str, invoice: &Invoice, expected_rev: Option<u64>) -> Result<Put, StoreError> {
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(invoice_to_item(invoice)))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
    let put = match expected_rev {
        None => put
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", attr::PK),
        Some(rev) => put
            .condition_expression("#rev = :rev")
            .expression_attribute_names("#rev", attr::REV)
            .expression_attribute_values(":rev", n(rev)),
    };
    put.build().map_err(|e| StoreError::Rejected(e.to_string()))
}

fn put_if_absent(table: &str, item: HashMap<String, AttributeValue>) -> Result<TransactWriteItem, StoreError> {
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(#pk)")
        .expression_attribute_names("#pk", attr::PK)
        .build()
        .map_err(|e| StoreError::Rejected(e.to_string()))?;
    Ok(TransactWriteItem::builder().put(put).build())
}

fn webhook_item(d: &Delivery<'_>, kind: &str) -> HashMap<String, AttributeValue> {
    let expires = d.received_at + Duration::days(super::WEBHOOK_ID_TTL_DAYS);
    HashMap::from([
        (
            attr::PK.to_string(),
            s(keys::webhook(d.creditor, d.connection, d.webhook_id)),
        ),
        (attr::SK.to_string(), s(keys::WEBHOOK_SK)),
        ("kind".to_string(), s(kind)),
        ("received_at".to_string(), s(ts(d.received_at))),
        ("expires_at".to_string(), n(expires.timestamp())),
    ])
}

fn settlement_item(
    creditor: &CreditorId,
    st: &Settlement,
    received_at: DateTime<Utc>,
) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (attr::PK.to_string(), s(keys::invoice(creditor, &st.invoice_id))),
        (attr::SK.to_string(), s(keys::settlement_sk(st.kind, &st.settlement_id))),
        ("kind".to_string(), s(format!("{:?}", st.kind).to_lowercase())),
        (attr::CURRENCY.to_string(), s(st.amount.currency.code())),
        ("amount_minor".to_string(), n(st.amount.minor)),
        ("at".to_string(), s(ts(st.at))),
        ("invoice_amount_due_minor".to_string(), n(st.invoice_amount_due.minor)),
        ("received_at".to_string(), s(ts(received_at))),
    ])
}

/// A whole number attribute of a settlement, or the record is corrupt (`missing` says how).
fn number(item: &HashMap<String, AttributeValue>, name: &str, missing: &str) -> Result<i64, StoreError> {
    match item.get(name) {
        Some(AttributeValue::N(n)) => n
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("{name} is not a number"))),
        _ => Err(StoreError::Corrupt(missing.to_string())),
    }
}

fn is_condition_failure(code: Option<&str>) -> bool {
    code == Some("ConditionalCheckFailed")
}

/// A payment or credit note as recorded on an invoice, for its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedSettlement {
    pub at: DateTime<Utc>,
    pub credit_note: bool,
    pub amount: duly_core::model::money::Money,
}

impl Store {
    /// The payments and credit notes recorded on each of `invoices`, a few invoices read at a time.
    pub async fn settlements_of_each(
        &self,
        creditor: &CreditorId,
        invoices: &[duly_core::model::ids::InvoiceId],
    ) -> Result<Vec<(duly_core::model::ids::InvoiceId, RecordedSettlement)>, StoreError> {
        use futures_util::stream::{self, StreamExt};
        // The futures are made before the stream: a closure inside it would not be `Send` for every lifetime.
        let reads: Vec<_> = invoices.iter().map(|i| self.settlements_of(creditor, i)).collect();
        let read: Vec<_> = stream::iter(reads).buffered(8).collect().await;
        let mut out = Vec::new();
        for (invoice, settled) in invoices.iter().zip(read) {
            out.extend(settled?.into_iter().map(|s| (invoice.clone(), s)));
        }
        Ok(out)
    }

    /// The payments and credit notes recorded on an invoice, in the order they came.
    pub async fn settlements_of(
        &self,
        creditor: &CreditorId,
        invoice: &duly_core::model::ids::InvoiceId,
    ) -> Result<Vec<RecordedSettlement>, StoreError> {
        let mut out = self
            .settlement_items(creditor, invoice)
            .await?
            .iter()
            .map(|(credit_note, i)| {
                let text = |k: &str| super::required_s(i, k, "settlement");
                let currency = duly_core::model::money::Currency::parse(&text(attr::CURRENCY)?)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(RecordedSettlement {
                    at: super::parse_ts(&text("at")?)?,
                    credit_note: *credit_note,
                    amount: duly_core::model::money::Money {
                        minor: number(i, "amount_minor", "a settlement without its amount")?,
                        currency,
                    },
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by_key(|s| s.at);
        Ok(out)
    }

    /// The payment (`false`) and credit note (`true`) items of an invoice's partition, read in one query.
    async fn settlement_items(
        &self,
        creditor: &CreditorId,
        invoice: &duly_core::model::ids::InvoiceId,
    ) -> Result<Vec<(bool, HashMap<String, AttributeValue>)>, StoreError> {
        let items = self
            .query_partition(keys::invoice(creditor, invoice), None, false)
            .await?;
        Ok(items
            .into_iter()
            .filter_map(|i| {
                let sk = i.get(attr::SK).and_then(|v| v.as_s().ok())?;
                let (payment, credit_note) = (sk.starts_with("PAY#"), sk.starts_with("CN#"));
                (payment || credit_note).then_some((credit_note, i))
            })
            .collect())
    }

    /// The payments and credit notes recorded on an invoice, each with its day and amount, for the charges.
    pub async fn balance_history(
        &self,
        creditor: &CreditorId,
        invoice: &duly_core::model::ids::InvoiceId,
    ) -> Result<Vec<duly_core::interest::charges::Paid>, StoreError> {
        self.settlement_items(creditor, invoice)
            .await?
            .iter()
            .map(|(credit_note, i)| {
                Ok(duly_core::interest::charges::Paid {
                    at: super::parse_ts(&super::required_s(i, "at", "settlement")?)?,
                    amount: number(i, "amount_minor", "a settlement without its amount")?,
                    credit_note: *credit_note,
                })
            })
            .collect()
    }

    pub async fn get_invoice(
        &self,
        creditor: &CreditorId,
        invoice: &duly_core::model::ids::InvoiceId,
    ) -> Result<Option<Invoice>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::invoice(creditor, invoice)))
            .key(attr::SK, s(keys::INVOICE_SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        out.item().map(invoice_from_item).transpose()
    }

    /// One request: the delivery id, the settlement record (if any) and the invoice change, all or nothing.
    pub async fn write_invoice_fact(
        &self,
        delivery: Delivery<'_>,
        kind: &str,
        fact: &InvoiceFact,
        write: LedgerWrite<'_>,
    ) -> Result<WriteOutcome, StoreError> {
        let table = self.table();
        let invoice_key = keys::invoice(delivery.creditor, fact.invoice_id());
        let mut items = vec![put_if_absent(table, webhook_item(&delivery, kind))?];
        let settlement_at = if let InvoiceFact::Settled(st) = fact {
            items.push(put_if_absent(
                table,
                settlement_item(delivery.creditor, st, delivery.received_at),
            )?);
            Some(items.len() - 1)
        } else {
            None
        };
        match write {
            LedgerWrite::Blind(w) => {
                let update = blind_update(table, delivery.creditor, &invoice_key, fact, w)?;
                items.push(TransactWriteItem::builder().update(update).build());
            }
            LedgerWrite::Replace { invoice, expected_rev } => {
                items.push(
                    TransactWriteItem::builder()
                        .put(replace_put(table, invoice, expected_rev)?)
                        .build(),
                );
            }
            LedgerWrite::Nothing => {}
        }
        let invoice_at = matches!(write, LedgerWrite::Blind(_) | LedgerWrite::Replace { .. }).then(|| items.len() - 1);

        let result = self
            .client()
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        let err = match result {
            Ok(_) => return Ok(WriteOutcome::Applied),
            Err(err) => err,
        };
        let Some(reasons) = cancellation_reasons(&err) else {
            return Err(sdk_error(err));
        };
        let code = |i: usize| reason_code(reasons, i);
        if is_condition_failure(code(0)) || settlement_at.is_some_and(|i| is_condition_failure(code(i))) {
            return Ok(WriteOutcome::Duplicate);
        }
        if let Some(i) = invoice_at {
            if is_condition_failure(code(i)) {
                // The item that failed the condition comes back with the cancellation; when it does not
                // come back whole, one consistent read gets it.
                let returned = reasons
                    .get(i)
                    .and_then(|r| r.item())
                    .filter(|item| !item.is_empty())
                    .and_then(|item| invoice_from_item(item).ok());
                let current = match returned {
                    Some(invoice) => Some(Box::new(invoice)),
                    None => self
                        .get_invoice(delivery.creditor, fact.invoice_id())
                        .await?
                        .map(Box::new),
                };
                return Ok(WriteOutcome::Conflict(current));
            }
        }
        if reasons.iter().any(|r| r.code() == Some("TransactionConflict")) {
            // Another transaction touched the same invoice at the same moment: re-read and merge.
            let current = self.get_invoice(delivery.creditor, fact.invoice_id()).await?;
            return Ok(WriteOutcome::Conflict(current.map(Box::new)));
        }
        Err(sdk_error(err))
    }

    /// A contact update: last writer by the platform's `updated_at` wins; Duly's own fields are kept.
    pub async fn write_contact(&self, delivery: Delivery<'_>, contact: &Contact) -> Result<ContactOutcome, StoreError> {
        let table = self.table();
        let mut e = Expr::default();
        e.set("creditor_id", s(delivery.creditor.as_str()));
        e.set("debtor_id", s(contact.debtor_id.as_str()));
        e.set("name", s(&contact.name));
        e.set("updated_at", s(ts(contact.updated_at)));
        let optional = [
            ("email", contact.email.clone()),
            ("phone", contact.phone.number.clone()),
            ("country", contact.country.clone()),
            ("time_zone", contact.time_zone.map(|tz| tz.name().to_string())),
        ];
        for (name, value) in optional {
            match value {
                Some(v) => e.set(name, s(v)),
                None => e.remove(name),
            }
        }
        e.set("phone_kind", s(contact.phone.kind.code()));
        match &contact.phone.refused {
            Some(refused) => e.set(
                "phone_refused",
                AttributeValue::M(
                    [
                        ("given".to_string(), s(&refused.given)),
                        ("problem".to_string(), s(refused.problem.code())),
                    ]
                    .into(),
                ),
            ),
            None => e.remove("phone_refused"),
        }
        // A language, once said, stays until another is: Stripe says it only in the customer's own events,
        // and the customer as its invoices describe them comes without it.
        if let Some(language) = &contact.language {
            e.set("language", s(language));
        }
        e.set(
            "platform_groups",
            AttributeValue::L(contact.groups.iter().map(s).collect()),
        );
        e.set("cc", AttributeValue::L(contact.cc.iter().map(s).collect()));
        let at = e.name("updated_at");
        let t = e.value("expect_updated_at", s(ts(contact.updated_at)));
        e.conditions.push(format!("(attribute_not_exists({at}) OR {at} < {t})"));
        // An erased debtor's contact is not stored again until the creditor lifts the erasure.
        let erased = e.name("erased_at");
        e.conditions.push(format!("attribute_not_exists({erased})"));
        let update = Update::builder()
            .table_name(table)
            .key(attr::PK, s(keys::debtor(delivery.creditor, &contact.debtor_id)))
            .key(attr::SK, s(keys::DEBTOR_SK))
            .update_expression(e.update_expression(None))
            .set_condition_expression(e.condition_expression())
            .set_expression_attribute_names(Some(e.names))
            .set_expression_attribute_values(Some(e.values))
            .build()
            .map_err(|e| StoreError::Rejected(e.to_string()))?;
        let items = vec![
            put_if_absent(table, webhook_item(&delivery, "contact.updated"))?,
            TransactWriteItem::builder().update(update).build(),
        ];
        match self
            .client()
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(ContactOutcome::Applied),
            Err(err) => {
                if let Some(reasons) = cancellation_reasons(&err) {
                    if is_condition_failure(reason_code(reasons, 0)) {
                        return Ok(ContactOutcome::Duplicate);
                    }
                    if is_condition_failure(reason_code(reasons, 1)) {
                        return Ok(ContactOutcome::Stale);
                    }
                }
                Err(sdk_error(err))
            }
        }
    }
}
