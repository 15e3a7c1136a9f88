//! QuickBooks Online: `intuit-signature`, both notification formats (the legacy `eventNotifications` body
//! and the CloudEvents array), and fetched invoices, payments and customers as canonical facts.
//!
//! The signature is base64 HMAC-SHA256 of the raw body keyed with the app's verifier token as UTF-8.
//! Notices are thin; a payment names the invoices it applies to in `Line[].LinkedTxn`, and those invoices
//! are fetched again for their new `Balance`.

use chrono::{DateTime, NaiveDate, Utc};
use http::HeaderMap;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{ChangeNotice, Entity};
use crate::calendar::zones::locate;
use crate::model::ids::{DebtorId, InvoiceId, SettlementId};
use crate::model::money::Currency;
use crate::model::phone;
use crate::webhooks::canonical::{
    email_list, safe_https_url, Contact, DocumentStatus, FactError, InvoiceSnapshot, Settlement, SettlementKind,
};
use crate::webhooks::signature::SignatureError;

/// Same construction as Xero's: base64 HMAC-SHA256 with the verifier token's UTF-8 bytes.
pub fn sign(verifier_token: &str, body: &[u8]) -> String {
    super::xero::sign(verifier_token, body)
}

pub fn verify(tokens: &[String], headers: &HeaderMap, body: &[u8]) -> Result<(), SignatureError> {
    use subtle::ConstantTimeEq;
    let offered = crate::webhooks::signature::single_header(headers, "intuit-signature")?.trim();
    if tokens
        .iter()
        .any(|t| bool::from(sign(t, body).as_bytes().ct_eq(offered.as_bytes())))
    {
        Ok(())
    } else {
        Err(SignatureError::NoMatch)
    }
}

fn invalid(field: &'static str, reason: impl ToString) -> FactError {
    FactError::Invalid {
        field,
        reason: reason.to_string(),
    }
}

fn entity(name: &str) -> Option<Entity> {
    match name.to_ascii_lowercase().as_str() {
        "invoice" => Some(Entity::Invoice),
        "payment" => Some(Entity::Payment),
        "creditmemo" => Some(Entity::CreditNote),
        "customer" => Some(Entity::Contact),
        "refundreceipt" => Some(Entity::RefundReceipt),
        "journalentry" => Some(Entity::JournalEntry),
        _ => None,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Legacy {
    event_notifications: Vec<LegacyNotification>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LegacyNotification {
    realm_id: String,
    data_change_event: LegacyChanges,
}

#[derive(Deserialize)]
struct LegacyChanges {
    entities: Vec<LegacyEntity>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LegacyEntity {
    name: String,
    id: String,
    operation: String,
    last_updated: DateTime<Utc>,
}

#[derive(Deserialize)]
struct CloudEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    time: DateTime<Utc>,
    intuitentityid: String,
    intuitaccountid: String,
}

/// Either format; notices about entities Duly does not use are left out.
pub fn parse(body: &[u8]) -> Result<Vec<ChangeNotice>, FactError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    if value.is_array() {
        let events: Vec<CloudEvent> = serde_json::from_value(value).map_err(|e| FactError::Malformed(e.to_string()))?;
        return Ok(events
            .into_iter()
            .filter_map(|e| {
                // "qbo.invoice.updated.v1": the entity, then the operation.
                let mut parts = e.kind.split('.');
                let (_, name, operation) = (parts.next()?, parts.next()?, parts.next()?);
                Some(ChangeNotice {
                    tenant: e.intuitaccountid,
                    entity: entity(name)?,
                    id: e.intuitentityid,
                    operation: operation.to_ascii_lowercase(),
                    at: e.time,
                    dedupe_key: format!("qbo:{}", e.id),
                })
            })
            .collect());
    }
    let legacy: Legacy = serde_json::from_value(value).map_err(|e| FactError::Malformed(e.to_string()))?;
    Ok(legacy
        .event_notifications
        .into_iter()
        .flat_map(|n| {
            let realm = n.realm_id;
            n.data_change_event.entities.into_iter().filter_map(move |e| {
                Some(ChangeNotice {
                    tenant: realm.clone(),
                    entity: entity(&e.name)?,
                    dedupe_key: format!(
                        "qbo:{realm}:{}:{}:{}:{}",
                        e.name,
                        e.id,
                        e.operation,
                        e.last_updated.timestamp()
                    ),
                    id: e.id,
                    operation: e.operation.to_ascii_lowercase(),
                    at: e.last_updated,
                })
            })
        })
        .collect())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InvoiceResponse {
    invoice: QboInvoice,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QboInvoice {
    id: String,
    doc_number: Option<String>,
    txn_date: Option<NaiveDate>,
    due_date: Option<NaiveDate>,
    total_amt: Box<RawValue>,
    balance: Box<RawValue>,
    customer_ref: Ref,
    currency_ref: Option<Ref>,
    meta_data: MetaData,
    #[serde(default)]
    invoice_link: Option<String>,
    bill_email: Option<Address>,
    bill_email_cc: Option<Address>,
}

#[derive(Deserialize)]
struct Ref {
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetaData {
    last_updated_time: DateTime<Utc>,
}

/// `GET /v3/company/{realm}/invoice/{id}` as a snapshot. `home_currency` is the company's currency, used
/// when the invoice names none (multi-currency off).
pub fn invoice_from_response(body: &[u8], home_currency: Currency) -> Result<InvoiceSnapshot, FactError> {
    let r: InvoiceResponse = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let inv = r.invoice;
    let currency = match &inv.currency_ref {
        Some(c) => Currency::parse(&c.value).map_err(|e| invalid("CurrencyRef", e))?,
        None => home_currency,
    };
    let total = currency
        .parse_amount(inv.total_amt.get())
        .map_err(|e| invalid("TotalAmt", e))?;
    let balance = currency
        .parse_amount(inv.balance.get())
        .map_err(|e| invalid("Balance", e))?;
    // QuickBooks has no invoice status: a zero balance is paid, and a voided invoice has a zero total.
    let status = if total.is_zero() {
        DocumentStatus::Void
    } else if balance.is_zero() {
        DocumentStatus::Paid
    } else {
        DocumentStatus::Open
    };
    Ok(InvoiceSnapshot {
        invoice_id: InvoiceId::parse(inv.id).map_err(|e| invalid("Id", e))?,
        number: inv.doc_number.unwrap_or_default().chars().take(64).collect(),
        debtor_id: DebtorId::parse(inv.customer_ref.value).map_err(|e| invalid("CustomerRef", e))?,
        total,
        amount_due: if balance.minor > total.minor { total } else { balance },
        issue_date: inv.txn_date,
        due_date: inv.due_date.or(inv.txn_date).unwrap_or(NaiveDate::MIN),
        status,
        pay_url: inv.invoice_link.filter(|u| safe_https_url(u)),
        bill_to: [inv.bill_email, inv.bill_email_cc]
            .iter()
            .flat_map(|a| email_list(a.as_ref().and_then(|a| a.address.as_deref())))
            .take(5)
            .collect(),
        updated_at: inv.meta_data.last_updated_time,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PaymentResponse {
    payment: QboPayment,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QboPayment {
    id: Option<String>,
    txn_date: Option<NaiveDate>,
    total_amt: Option<Box<RawValue>>,
    #[serde(default)]
    line: Vec<PaymentLine>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PaymentLine {
    amount: Option<Box<RawValue>>,
    #[serde(default)]
    linked_txn: Vec<LinkedTxn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LinkedTxn {
    txn_id: String,
    txn_type: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreditMemoResponse {
    credit_memo: QboCreditMemo,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QboCreditMemo {
    customer_ref: Ref,
}

/// The customers a fetched refund receipt or journal entry names: a refund receipt's `CustomerRef`; a
/// journal entry's lines whose entity is a customer (the accounts-receivable lines). At most ten.
pub fn customers_touched(body: &[u8], entity: &str) -> Result<Vec<String>, FactError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let object = &value[entity];
    let mut customers: Vec<String> = Vec::new();
    if let Some(id) = object["CustomerRef"]["value"].as_str() {
        customers.push(id.to_string());
    }
    for line in object["Line"].as_array().into_iter().flatten() {
        let named = &line["JournalEntryLineDetail"]["Entity"];
        if named["Type"] == "Customer" {
            if let Some(id) = named["EntityRef"]["value"].as_str() {
                customers.push(id.to_string());
            }
        }
    }
    customers.sort();
    customers.dedup();
    customers.truncate(10);
    for id in &customers {
        DebtorId::parse(id.clone()).map_err(|e| invalid("CustomerRef", e))?;
    }
    Ok(customers)
}

/// The customer a fetched credit memo credits; a platform id, checked to be one.
pub fn credit_memo_customer(body: &[u8]) -> Result<String, FactError> {
    let r: CreditMemoResponse = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let id = r.credit_memo.customer_ref.value;
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(invalid("CustomerRef", "not a QuickBooks id"));
    }
    Ok(id)
}

/// Whether a fetched payment applies the credit memo `id` to invoices: QuickBooks applies a credit memo
/// through a payment (of zero, when no money came) that links both the credit memo and the invoices.
pub fn applies_credit_memo(body: &[u8], id: &str) -> Result<bool, FactError> {
    let r: PaymentResponse = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    Ok(r.payment
        .line
        .iter()
        .flat_map(|l| &l.linked_txn)
        .any(|t| t.txn_type == "CreditMemo" && t.txn_id == id))
}

/// The invoices a fetched payment applies to; each is fetched again for its new balance.
pub fn invoices_paid_by(body: &[u8]) -> Result<Vec<String>, FactError> {
    let r: PaymentResponse = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let mut ids: Vec<String> = r
        .payment
        .line
        .into_iter()
        .flat_map(|l| l.linked_txn)
        .filter(|t| t.txn_type == "Invoice")
        .map(|t| t.txn_id)
        .collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// What a fetched payment paid of `invoice` (fetched after it, for its balance now): one settlement per
/// payment line linked to it, on the payment's day, so interest applies it in the law's order; none where
/// the payment names no day or amount.
pub fn payment_settlements(body: &[u8], invoice: &InvoiceSnapshot) -> Result<Vec<Settlement>, FactError> {
    let r: PaymentResponse = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let (Some(id), Some(day)) = (r.payment.id, r.payment.txn_date) else {
        return Ok(Vec::new());
    };
    let currency = invoice.total.currency;
    // A payment of nothing that links a credit memo applies that credit: what it settles is credited, not
    // paid (interest treats both alike; the sheet and the report tell them apart).
    let no_money = r
        .payment
        .total_amt
        .as_ref()
        .and_then(|t| currency.parse_amount(t.get()).ok())
        .is_some_and(|t| t.minor == 0);
    let credits = r
        .payment
        .line
        .iter()
        .flat_map(|l| &l.linked_txn)
        .any(|t| t.txn_type == "CreditMemo");
    let kind = if no_money && credits {
        SettlementKind::CreditNote
    } else {
        SettlementKind::Payment
    };
    let mut out = Vec::new();
    for (n, line) in r.payment.line.iter().enumerate().take(100) {
        let to_this = line
            .linked_txn
            .iter()
            .any(|t| t.txn_type == "Invoice" && t.txn_id == invoice.invoice_id.as_str());
        let Some(amount) = line.amount.as_ref().filter(|_| to_this) else {
            continue;
        };
        let amount = currency
            .parse_amount(amount.get())
            .map_err(|e| invalid("Line.Amount", e))?;
        if amount.minor <= 0 {
            continue;
        }
        out.push(Settlement {
            kind,
            settlement_id: SettlementId::parse(format!("{id}-{n}")).map_err(|e| invalid("Id", e))?,
            invoice_id: invoice.invoice_id.clone(),
            amount,
            at: day.and_time(chrono::NaiveTime::MIN).and_utc(),
            invoice_amount_due: invoice.amount_due,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomerResponse {
    customer: QboCustomer,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QboCustomer {
    id: String,
    display_name: Option<String>,
    primary_email_addr: Option<Address>,
    mobile: Option<Phone>,
    primary_phone: Option<Phone>,
    bill_addr: Option<PhysicalAddress>,
    customer_type_ref: Option<Ref>,
    meta_data: MetaData,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PhysicalAddress {
    country: Option<String>,
    /// The state or province (`CA`, `ON`).
    country_sub_division_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Address {
    address: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Phone {
    free_form_number: Option<String>,
}

/// `GET …/customer/{id}` as a contact.
pub fn customer_from_response(body: &[u8]) -> Result<Contact, FactError> {
    let r: CustomerResponse = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let c = r.customer;
    // The customer type's name is read separately (see `customer_type_names`); the id stands in until then.
    let groups = c
        .customer_type_ref
        .map(|r| vec![format!("{CUSTOMER_TYPE_PREFIX}{}", r.value)])
        .unwrap_or_default();
    let place = c
        .bill_addr
        .as_ref()
        .and_then(|a| locate(a.country.as_deref(), a.country_sub_division_code.as_deref()));
    let (country, time_zone) = place.map_or((None, None), |(c, z)| (Some(c), z));
    // Free text, as the creditor typed it: the mobile first, read in the customer's country.
    let numbers: Vec<String> = [c.mobile, c.primary_phone]
        .into_iter()
        .flatten()
        .filter_map(|p| p.free_form_number)
        .collect();
    let phone = phone::best(numbers.iter().map(String::as_str), country.as_deref());
    Ok(Contact {
        debtor_id: DebtorId::parse(c.id).map_err(|e| invalid("Id", e))?,
        name: c.display_name.unwrap_or_default().trim().chars().take(200).collect(),
        email: c.primary_email_addr.and_then(|a| a.address).filter(|e| e.contains('@')),
        phone,
        language: None,
        country,
        time_zone,
        groups,
        cc: Vec::new(),
        updated_at: c.meta_data.last_updated_time,
    })
}

/// How a contact's group names a QuickBooks customer type before its name is known: `type:{id}`.
pub const CUSTOMER_TYPE_PREFIX: &str = "type:";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomerTypeRow {
    id: String,
    name: Option<String>,
}

/// `select * from CustomerType` as id → name.
pub fn customer_type_names(body: &[u8]) -> Result<std::collections::HashMap<String, String>, FactError> {
    let rows = query_entities(body, "CustomerType")?;
    let mut names = std::collections::HashMap::new();
    for row in rows {
        if let Listed::Present(raw) = row {
            let r: CustomerTypeResponse =
                serde_json::from_slice(&raw).map_err(|e| FactError::Malformed(e.to_string()))?;
            if let Some(name) = r.customer_type.name.filter(|n| !n.trim().is_empty()) {
                names.insert(r.customer_type.id, name.trim().chars().take(100).collect());
            }
        }
    }
    Ok(names)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CustomerTypeResponse {
    customer_type: CustomerTypeRow,
}

/// One entity from a list: its own single-entity response (`{"Invoice": {…}}`), or that it was deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    Present(Vec<u8>),
    Deleted { id: String, at: DateTime<Utc> },
}

#[derive(Deserialize)]
struct QueryEnvelope {
    #[serde(rename = "QueryResponse")]
    query_response: std::collections::HashMap<String, Box<RawValue>>,
}

#[derive(Deserialize)]
struct CdcEnvelope {
    #[serde(rename = "CDCResponse")]
    cdc_response: Vec<CdcPart>,
}

#[derive(Deserialize)]
struct CdcPart {
    #[serde(rename = "QueryResponse", default)]
    query_response: Vec<std::collections::HashMap<String, Box<RawValue>>>,
}

#[derive(Deserialize)]
struct DeletionMark {
    #[serde(rename = "Id")]
    id: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(rename = "MetaData")]
    meta_data: Option<MetaData>,
}

fn listed(entity: &str, raw: &RawValue) -> Result<Listed, FactError> {
    let mark: DeletionMark = serde_json::from_str(raw.get()).map_err(|e| FactError::Malformed(e.to_string()))?;
    if mark.status.as_deref() == Some("Deleted") {
        let at = mark
            .meta_data
            .map(|m| m.last_updated_time)
            .unwrap_or(DateTime::UNIX_EPOCH);
        return Ok(Listed::Deleted { id: mark.id, at });
    }
    // Kept as raw JSON so that amounts are read from their literal text, never through floating point.
    Ok(Listed::Present(format!("{{\"{entity}\":{}}}", raw.get()).into_bytes()))
}

fn entities_in(map: &std::collections::HashMap<String, Box<RawValue>>, entity: &str) -> Result<Vec<Listed>, FactError> {
    let Some(raw) = map.get(entity) else {
        return Ok(Vec::new());
    };
    let items: Vec<Box<RawValue>> = serde_json::from_str(raw.get()).map_err(|e| FactError::Malformed(e.to_string()))?;
    items.iter().map(|item| listed(entity, item)).collect()
}

/// `GET …/query?query=select * from Invoice …`: the entities of one kind on this page.
pub fn query_entities(body: &[u8], entity: &str) -> Result<Vec<Listed>, FactError> {
    let envelope: QueryEnvelope = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    entities_in(&envelope.query_response, entity)
}

/// `GET …/cdc?entities=…&changedSince=…`: every changed entity of one kind, deletions included.
pub fn cdc_entities(body: &[u8], entity: &str) -> Result<Vec<Listed>, FactError> {
    let envelope: CdcEnvelope = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let mut out = Vec::new();
    for part in &envelope.cdc_response {
        for map in &part.query_response {
            out.extend(entities_in(map, entity)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const TOKEN: &str = "a1b2c3d4-verifier-token";

    #[test]
    fn verifies_with_the_verifier_token() {
        let body = br#"{"eventNotifications":[]}"#;
        let mut h = HeaderMap::new();
        h.insert("intuit-signature", HeaderValue::from_str(&sign(TOKEN, body)).unwrap());
        assert!(verify(&[TOKEN.into()], &h, body).is_ok());
        assert_eq!(verify(&["other".into()], &h, body), Err(SignatureError::NoMatch));
        assert_eq!(
            verify(&[TOKEN.into()], &HeaderMap::new(), body),
            Err(SignatureError::MissingHeader("intuit-signature"))
        );
    }

    #[test]
    fn parses_both_notification_formats() {
        let legacy = r#"{"eventNotifications":[{"realmId":"9130","dataChangeEvent":{"entities":[
            {"name":"Invoice","id":"130","operation":"Update","lastUpdated":"2026-12-03T13:19:00.000Z"},
            {"name":"Payment","id":"77","operation":"Create","lastUpdated":"2026-12-03T13:19:05.000Z"},
            {"name":"Vendor","id":"5","operation":"Create","lastUpdated":"2026-12-03T13:19:05.000Z"}]}}]}"#;
        let notices = parse(legacy.as_bytes()).unwrap();
        assert_eq!(notices.len(), 2);
        assert_eq!(
            (notices[0].entity, notices[0].tenant.as_str(), notices[0].id.as_str()),
            (Entity::Invoice, "9130", "130")
        );
        assert_eq!(notices[1].entity, Entity::Payment);

        let cloud = r#"[{"specversion":"1.0","id":"88cd52a0-1","source":"intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=",
            "type":"qbo.invoice.updated.v1","datacontenttype":"application/json","time":"2026-12-03T13:19:00Z",
            "intuitentityid":"130","intuitaccountid":"9130","data":{}}]"#;
        let notices = parse(cloud.as_bytes()).unwrap();
        assert_eq!(notices.len(), 1);
        assert_eq!(
            (notices[0].operation.as_str(), notices[0].dedupe_key.as_str()),
            ("updated", "qbo:88cd52a0-1")
        );
        assert!(matches!(parse(b"{\"x\":1}"), Err(FactError::Malformed(_))));
    }

    #[test]
    fn a_fetched_invoice_becomes_a_snapshot() {
        let body = r#"{"Invoice":{"Id":"130","SyncToken":"3","DocNumber":"1037","TxnDate":"2026-11-16","DueDate":"2026-12-01",
            "TotalAmt":362.07,"Balance":62.07,"CustomerRef":{"value":"24","name":"Red Rock Diner"},
            "CurrencyRef":{"value":"EUR","name":"Euro"},"BillEmail":{"Address":"ap@redrock.example"},
            "LinkedTxn":[{"TxnId":"77","TxnType":"Payment"}],"MetaData":{"LastUpdatedTime":"2026-12-03T05:19:00-08:00"}},"time":"2026-12-03T05:20:00-08:00"}"#;
        let inv = invoice_from_response(body.as_bytes(), Currency::parse("USD").unwrap()).unwrap();
        assert_eq!(
            (inv.total.minor, inv.amount_due.minor, inv.total.currency.code()),
            (36_207, 6_207, "EUR")
        );
        assert_eq!(inv.status, DocumentStatus::Open);
        assert_eq!(inv.updated_at.to_rfc3339(), "2026-12-03T13:19:00+00:00");
    }

    #[test]
    fn a_payment_of_nothing_that_links_a_credit_memo_credits_its_invoices() {
        let applied = r#"{"Payment":{"Id":"78","TotalAmt":0,"TxnDate":"2026-11-25","CustomerRef":{"value":"24"},
            "Line":[{"Amount":100.50,"LinkedTxn":[{"TxnId":"130","TxnType":"Invoice"}]},{"Amount":100.50,"LinkedTxn":[{"TxnId":"9","TxnType":"CreditMemo"}]}]}}"#;
        assert!(applies_credit_memo(applied.as_bytes(), "9").unwrap());
        assert!(!applies_credit_memo(applied.as_bytes(), "10").unwrap());
        let invoice = r#"{"Invoice":{"Id":"130","DocNumber":"1037","DueDate":"2026-12-01","TotalAmt":362.07,"Balance":261.57,
            "CustomerRef":{"value":"24"},"CurrencyRef":{"value":"EUR"},"MetaData":{"LastUpdatedTime":"2026-11-25T05:19:00-08:00"}}}"#;
        let invoice = invoice_from_response(invoice.as_bytes(), Currency::parse("EUR").unwrap()).unwrap();
        let credits = payment_settlements(applied.as_bytes(), &invoice).unwrap();
        assert_eq!(
            credits.iter().map(|s| (s.kind, s.amount.minor)).collect::<Vec<_>>(),
            [(SettlementKind::CreditNote, 10_050)]
        );
        // Money that came with it makes it a payment.
        let paid = applied.replace("\"TotalAmt\":0", "\"TotalAmt\":100.50");
        assert_eq!(
            payment_settlements(paid.as_bytes(), &invoice).unwrap()[0].kind,
            SettlementKind::Payment
        );
        let memo = r#"{"CreditMemo":{"Id":"9","CustomerRef":{"value":"24"},"TotalAmt":100.50}}"#;
        assert_eq!(credit_memo_customer(memo.as_bytes()).unwrap(), "24");
        let forged = memo.replace("\"24\"", "\"24' or '1'='1\"");
        assert!(
            credit_memo_customer(forged.as_bytes()).is_err(),
            "an id goes into a query: ids only"
        );
    }

    #[test]
    fn a_payment_names_the_invoices_it_pays() {
        let body = r#"{"Payment":{"TotalAmt":300,"UnappliedAmt":0,"CustomerRef":{"value":"24"},"TxnDate":"2026-12-03",
            "Line":[{"Amount":300,"LinkedTxn":[{"TxnId":"130","TxnType":"Invoice"}]},{"Amount":0,"LinkedTxn":[{"TxnId":"9","TxnType":"CreditMemo"}]}]}}"#;
        assert_eq!(invoices_paid_by(body.as_bytes()).unwrap(), ["130"]);
    }

    /// QuickBooks keeps what the creditor typed: national forms, `(0)` after the country code, spaces and
    /// dashes; a US-style placeholder is no number.
    #[test]
    fn quickbooks_numbers_of_six_countries_are_read_in_the_customers_country() {
        use crate::model::phone::PhoneKind::{Landline, Mobile};
        let customer = |mobile: &str, primary: &str, country: &str| {
            let body = format!(
                r#"{{"Customer":{{"Id":"24","DisplayName":"X","Mobile":{{"FreeFormNumber":"{mobile}"}},
                "PrimaryPhone":{{"FreeFormNumber":"{primary}"}},"BillAddr":{{"Country":"{country}"}},
                "MetaData":{{"LastUpdatedTime":"2026-12-03T05:19:00-08:00"}}}}}}"#
            );
            customer_from_response(body.as_bytes()).unwrap().phone
        };
        let cases = [
            ("", "+44 (0)20 7946 0000", "United Kingdom", "+442079460000", Landline),
            ("07911 123456", "020 7946 0000", "UK", "+447911123456", Mobile),
            ("0151-2345 6789", "", "Germany", "+4915123456789", Mobile),
            ("(201) 555-0123", "", "USA", "+12015550123", Mobile),
            ("", "22 123 45 67", "Poland", "+48221234567", Landline),
            ("+371 2123 4567", "", "", "+37121234567", Mobile),
            ("5551 2345", "", "Estonia", "+37255512345", Mobile),
        ];
        for (mobile, primary, country, e164, kind) in cases {
            let got = customer(mobile, primary, country);
            assert_eq!(
                (got.number.as_deref(), got.kind),
                (Some(e164), kind),
                "{mobile}/{primary} in {country}"
            );
        }
        let placeholder = customer("(555) 555-5555", "", "USA");
        assert_eq!(placeholder.number, None);
        assert_eq!(
            placeholder.refused.map(|r| r.problem),
            Some(phone::PhoneProblem::NotValid)
        );
        let no_country = customer("5551 2345", "", "");
        assert_eq!(
            no_country.refused.map(|r| r.problem),
            Some(phone::PhoneProblem::NoCountry)
        );
    }

    #[test]
    fn a_fetched_customer_becomes_a_contact() {
        let body = r#"{"Customer":{"Id":"24","DisplayName":"Red Rock Diner","PrimaryEmailAddr":{"Address":"ap@redrock.example"},
            "Mobile":{"FreeFormNumber":"+372 5551 2345"},"PrimaryPhone":{"FreeFormNumber":"(555) 555-5555"},
            "MetaData":{"LastUpdatedTime":"2026-12-03T05:19:00-08:00"}}}"#;
        let c = customer_from_response(body.as_bytes()).unwrap();
        assert_eq!(
            (c.phone.number.as_deref(), c.email.as_deref()),
            (Some("+37255512345"), Some("ap@redrock.example"))
        );
        let billed = body.replace(
            r#""MetaData""#,
            r#""BillAddr":{"Line1":"Strada Lipscani 1","City":"București","Country":"Romania"},"MetaData""#,
        );
        let c = customer_from_response(billed.as_bytes()).unwrap();
        assert_eq!(
            (c.country.as_deref(), c.time_zone),
            (Some("RO"), Some(chrono_tz::Europe::Bucharest))
        );
        let us = body.replace(
            r#""MetaData""#,
            r#""BillAddr":{"Country":"USA","CountrySubDivisionCode":"CA"},"MetaData""#,
        );
        let c = customer_from_response(us.as_bytes()).unwrap();
        assert_eq!(c.time_zone, Some(chrono_tz::America::Los_Angeles));
    }
    #[test]
    fn cdc_and_query_lists_keep_amounts_exact_and_report_deletions() {
        let cdc = br#"{"CDCResponse":[{"QueryResponse":[{"Invoice":[
            {"Id":"130","DocNumber":"1037","TxnDate":"2026-11-01","DueDate":"2026-12-01","TotalAmt":1250.10,
             "Balance":1250.10,"CustomerRef":{"value":"58"},"CurrencyRef":{"value":"EUR"},
             "MetaData":{"LastUpdatedTime":"2026-11-20T10:00:00-08:00"}},
            {"Id":"131","status":"Deleted","MetaData":{"LastUpdatedTime":"2026-11-21T10:00:00-08:00"}}
        ],"startPosition":1,"maxResults":2},{"Customer":[]}]}],"time":"2026-11-22T00:00:00-08:00"}"#;
        let listed = cdc_entities(cdc, "Invoice").unwrap();
        assert_eq!(listed.len(), 2);
        let Listed::Present(one) = &listed[0] else {
            panic!("{listed:?}")
        };
        let eur = Currency::parse("EUR").unwrap();
        let snapshot = invoice_from_response(one, eur).unwrap();
        assert_eq!(snapshot.amount_due.minor, 125_010);
        assert!(matches!(&listed[1], Listed::Deleted { id, .. } if id == "131"));
        assert!(cdc_entities(cdc, "Customer").unwrap().is_empty());

        let query = br#"{"QueryResponse":{"Payment":[{"Id":"9","TotalAmt":5,"Line":[{"Amount":5,"LinkedTxn":[{"TxnId":"130","TxnType":"Invoice"}]}]}],"startPosition":1,"maxResults":1}}"#;
        let payments = query_entities(query, "Payment").unwrap();
        let [Listed::Present(payment)] = payments.as_slice() else {
            panic!("{payments:?}")
        };
        assert_eq!(invoices_paid_by(payment).unwrap(), vec!["130".to_string()]);
        assert!(query_entities(b"{}", "Invoice").is_err());
    }
}
