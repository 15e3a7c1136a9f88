//! Xero: `x-xero-signature`, the Intent-to-Receive handshake, thin events, and fetched invoices and contacts
//! as canonical facts.
//!
//! The signature is base64 HMAC-SHA256 of the raw body keyed with the webhook key's UTF-8 bytes *as typed*:
//! the key looks like base64 but must not be decoded. Events name a resource and nothing else, so the facts
//! come from fetching it; a payment shows up as an invoice update with new `AmountDue` and `Payments`, which
//! (with the `CreditNotes` allocated) become settlement facts of their own.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, KeyInit, Mac};
use http::HeaderMap;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::ChangeNotice;
use crate::calendar::zones::locate;
use crate::model::ids::{DebtorId, InvoiceId, SettlementId};
use crate::model::money::{Currency, Money};
use crate::model::phone;
use crate::webhooks::canonical::{
    email_list, safe_https_url, Contact, DocumentStatus, FactError, InvoiceSnapshot, Settlement, SettlementKind,
};
use crate::webhooks::signature::SignatureError;

pub fn sign(key: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Compares the canonical base64 string in constant time: a lenient decoder would accept a signature whose
/// last character differs only in padding bits.
pub fn verify(keys: &[String], headers: &HeaderMap, body: &[u8]) -> Result<(), SignatureError> {
    let offered = crate::webhooks::signature::single_header(headers, "x-xero-signature")?.trim();
    let matched = keys
        .iter()
        .any(|key| bool::from(sign(key, body).as_bytes().ct_eq(offered.as_bytes())));
    if matched {
        Ok(())
    } else {
        Err(SignatureError::NoMatch)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    events: Vec<Event>,
    #[allow(dead_code)]
    first_event_sequence: i64,
    #[allow(dead_code)]
    last_event_sequence: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    resource_id: String,
    event_date_utc: String,
    event_type: String,
    event_category: String,
    tenant_id: String,
}

/// What a verified Xero delivery asks of Duly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The Intent-to-Receive handshake: answer 200 with an empty body.
    IntentToReceive,
    /// Resources to fetch.
    Changes(Vec<ChangeNotice>),
}

fn invalid(field: &'static str, reason: impl ToString) -> FactError {
    FactError::Invalid {
        field,
        reason: reason.to_string(),
    }
}

pub fn parse(body: &[u8]) -> Result<Delivery, FactError> {
    let payload: Payload = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    if payload.events.is_empty() {
        return Ok(Delivery::IntentToReceive);
    }
    let mut notices = Vec::new();
    for e in payload.events {
        // The documentation's own examples write "Update": enums are compared without case.
        let kind = match e.event_category.to_ascii_uppercase().as_str() {
            "INVOICE" => super::Entity::Invoice,
            "CREDITNOTE" => super::Entity::CreditNote,
            "CONTACT" => super::Entity::Contact,
            _ => continue,
        };
        let operation = e.event_type.to_ascii_lowercase();
        if !matches!(operation.as_str(), "create" | "update") {
            return Err(invalid("eventType", "CREATE or UPDATE"));
        }
        let at = DateTime::parse_from_rfc3339(&e.event_date_utc)
            .or_else(|_| DateTime::parse_from_rfc3339(&format!("{}Z", e.event_date_utc)))
            .map_err(|_| invalid("eventDateUtc", "an ISO 8601 time"))?
            .with_timezone(&Utc);
        notices.push(ChangeNotice {
            tenant: e.tenant_id.clone(),
            entity: kind,
            id: e.resource_id.clone(),
            operation,
            at,
            dedupe_key: format!(
                "xero:{}:{}:{}:{}",
                e.tenant_id, e.resource_id, e.event_type, e.event_date_utc
            ),
        });
    }
    Ok(Delivery::Changes(notices))
}

/// `/Date(1552435200000+0000)/`: milliseconds since the epoch; the offset is informative only.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let inner = raw.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let millis_end = inner.find(['+', '-']).filter(|i| *i > 0).unwrap_or(inner.len());
    let millis: i64 = inner[..millis_end].parse().ok()?;
    DateTime::from_timestamp_millis(millis)
}

fn exact(field: &'static str, currency: Currency, raw: &RawValue) -> Result<Money, FactError> {
    currency.parse_amount(raw.get()).map_err(|e| invalid(field, e))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InvoicesResponse {
    invoices: Vec<XeroInvoice>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroInvoice {
    #[serde(rename = "Type")]
    kind: String,
    #[serde(rename = "InvoiceID")]
    invoice_id: String,
    invoice_number: Option<String>,
    contact: XeroContact,
    due_date: Option<String>,
    date: Option<String>,
    status: String,
    currency_code: String,
    total: Box<RawValue>,
    amount_due: Box<RawValue>,
    #[serde(rename = "UpdatedDateUTC")]
    updated_date_utc: String,
    online_invoice_url: Option<String>,
    /// The payments applied to it, each with its day and amount.
    #[serde(default)]
    payments: Vec<XeroPayment>,
    /// The credit notes allocated to it, each with the amount applied.
    #[serde(default)]
    credit_notes: Vec<XeroCreditNote>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroPayment {
    #[serde(rename = "PaymentID")]
    payment_id: String,
    date: Option<String>,
    amount: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroCreditNote {
    #[serde(rename = "CreditNoteID")]
    credit_note_id: String,
    date: Option<String>,
    applied_amount: Option<Box<RawValue>>,
}

/// Most payments and credit notes read from one invoice.
const MAX_SETTLEMENTS_PER_INVOICE: usize = 200;

/// The payments and credit notes Xero lists on each fetched sales invoice, oldest first, each with what
/// was still owed after it (the invoice's total less everything applied up to it). They let late-payment
/// interest apply each payment in the law's order rather than infer it from the balance.
pub fn settlements_from_response(body: &[u8]) -> Result<Vec<Settlement>, FactError> {
    let response: InvoicesResponse = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let mut out = Vec::new();
    for inv in response.invoices.into_iter().filter(|i| i.kind == "ACCREC") {
        let currency = Currency::parse(&inv.currency_code).map_err(|e| invalid("CurrencyCode", e))?;
        let total = exact("Total", currency, &inv.total)?;
        let invoice_id = InvoiceId::parse(inv.invoice_id).map_err(|e| invalid("InvoiceID", e))?;
        let mut applied: Vec<(SettlementKind, String, Money, DateTime<Utc>)> = Vec::new();
        for p in inv.payments.iter().take(MAX_SETTLEMENTS_PER_INVOICE) {
            let (Some(amount), Some(at)) = (&p.amount, p.date.as_deref().and_then(parse_date)) else {
                continue;
            };
            applied.push((
                SettlementKind::Payment,
                p.payment_id.clone(),
                exact("Payments.Amount", currency, amount)?,
                at,
            ));
        }
        for c in inv.credit_notes.iter().take(MAX_SETTLEMENTS_PER_INVOICE) {
            let (Some(amount), Some(at)) = (&c.applied_amount, c.date.as_deref().and_then(parse_date)) else {
                continue;
            };
            applied.push((
                SettlementKind::CreditNote,
                c.credit_note_id.clone(),
                exact("CreditNotes.AppliedAmount", currency, amount)?,
                at,
            ));
        }
        applied.sort_by_key(|(_, _, _, at)| *at);
        let mut owed = total.minor;
        for (kind, id, amount, at) in applied {
            owed = (owed - amount.minor).max(0);
            out.push(Settlement {
                kind,
                settlement_id: SettlementId::parse(id).map_err(|e| invalid("PaymentID", e))?,
                invoice_id: invoice_id.clone(),
                amount,
                at,
                invoice_amount_due: Money { minor: owed, currency },
            });
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroContact {
    #[serde(rename = "ContactID")]
    contact_id: String,
    name: Option<String>,
    email_address: Option<String>,
    #[serde(default)]
    phones: Vec<XeroPhone>,
    #[serde(rename = "UpdatedDateUTC")]
    updated_date_utc: Option<String>,
    #[serde(default)]
    contact_groups: Vec<XeroGroup>,
    #[serde(default)]
    addresses: Vec<XeroAddress>,
    #[serde(default)]
    contact_persons: Vec<XeroPerson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroPerson {
    email_address: Option<String>,
    #[serde(default)]
    include_in_emails: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroAddress {
    /// `POBOX` (where invoices are posted) or `STREET`.
    address_type: Option<String>,
    country: Option<String>,
    region: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroPhone {
    phone_type: Option<String>,
    phone_number: Option<String>,
    phone_area_code: Option<String>,
    phone_country_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroGroup {
    name: String,
}

/// `GET /Invoices/{id}` or `/Invoices?IDs=…` as snapshots. Only sales invoices (ACCREC) are receivables.
pub fn invoices_from_response(body: &[u8]) -> Result<Vec<InvoiceSnapshot>, FactError> {
    let response: InvoicesResponse = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let mut out = Vec::new();
    for inv in response.invoices.into_iter().filter(|i| i.kind == "ACCREC") {
        let currency = Currency::parse(&inv.currency_code).map_err(|e| invalid("CurrencyCode", e))?;
        let updated_at =
            parse_date(&inv.updated_date_utc).ok_or_else(|| invalid("UpdatedDateUTC", "a /Date(…)/ value"))?;
        let date = |raw: &Option<String>| raw.as_deref().and_then(parse_date).map(|d| d.date_naive());
        let status = match inv.status.as_str() {
            "DRAFT" | "SUBMITTED" => DocumentStatus::Draft,
            "AUTHORISED" => DocumentStatus::Open,
            "PAID" => DocumentStatus::Paid,
            "VOIDED" | "DELETED" => DocumentStatus::Void,
            _ => {
                return Err(invalid(
                    "Status",
                    "DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED or DELETED",
                ))
            }
        };
        let amount_due = exact("AmountDue", currency, &inv.amount_due)?;
        out.push(InvoiceSnapshot {
            invoice_id: InvoiceId::parse(inv.invoice_id).map_err(|e| invalid("InvoiceID", e))?,
            number: inv.invoice_number.unwrap_or_default().chars().take(64).collect(),
            debtor_id: DebtorId::parse(inv.contact.contact_id).map_err(|e| invalid("ContactID", e))?,
            total: exact("Total", currency, &inv.total)?,
            amount_due: if status == DocumentStatus::Paid {
                Money::zero(currency)
            } else {
                amount_due
            },
            issue_date: date(&inv.date),
            due_date: date(&inv.due_date).unwrap_or(NaiveDate::MIN),
            status,
            pay_url: inv.online_invoice_url.filter(|u| safe_https_url(u)),
            bill_to: Vec::new(),
            updated_at,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ContactsResponse {
    contacts: Vec<XeroContact>,
}

/// A Xero phone as one written number: `+44 020 7946 0000` from country 44, area 020 and number 7946 0000
/// (the reader drops the trunk 0 after a country code), or `020 7946 0000` to be read in the contact's
/// country when Xero has no country code.
fn written(phone: &XeroPhone) -> Option<String> {
    let part = |s: &Option<String>| s.as_deref().unwrap_or("").trim().to_string();
    let country: String = part(&phone.phone_country_code)
        .chars()
        .filter(char::is_ascii_digit)
        .skip_while(|c| *c == '0')
        .collect();
    let (area, number) = (part(&phone.phone_area_code), part(&phone.phone_number));
    if number.is_empty() {
        return None;
    }
    let local = format!("{area} {number}");
    // A number already written with its own country code is taken as written.
    if country.is_empty() || number.starts_with('+') {
        return Some(if number.starts_with('+') { number } else { local });
    }
    Some(format!("+{country} {}", local.trim()))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OnlineInvoices {
    online_invoices: Vec<OnlineInvoice>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OnlineInvoice {
    online_invoice_url: Option<String>,
}

/// `GET /Invoices/{id}/OnlineInvoice`: the invoice's pay link, when it is a safe `https://` address.
pub fn online_invoice_url(body: &[u8]) -> Result<Option<String>, FactError> {
    let r: OnlineInvoices = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    Ok(r.online_invoices
        .into_iter()
        .find_map(|o| o.online_invoice_url)
        .filter(|u| safe_https_url(u)))
}

/// `GET /Contacts/{id}` as contact facts: the mobile number is preferred for SMS, a landline kept for calls.
pub fn contacts_from_response(body: &[u8]) -> Result<Vec<Contact>, FactError> {
    let response: ContactsResponse = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    response
        .contacts
        .into_iter()
        .map(|c| {
            // The postal (billing) address first, then the street address.
            let place = c
                .addresses
                .iter()
                .filter(|a| a.address_type.as_deref() == Some("POBOX"))
                .chain(c.addresses.iter())
                .find_map(|a| locate(a.country.as_deref(), a.region.as_deref()));
            let (country, time_zone) = place.map_or((None, None), |(c, z)| (Some(c), z));
            // The mobile first, then the default and direct lines; never the fax.
            let numbers: Vec<String> = ["MOBILE", "DEFAULT", "DDI"]
                .iter()
                .flat_map(|kind| {
                    c.phones
                        .iter()
                        .filter(move |p| p.phone_type.as_deref() == Some(kind))
                        .filter_map(written)
                })
                .collect();
            let phone = phone::best(numbers.iter().map(String::as_str), country.as_deref());
            Ok(Contact {
                debtor_id: DebtorId::parse(c.contact_id).map_err(|e| invalid("ContactID", e))?,
                name: c.name.unwrap_or_default().trim().chars().take(200).collect(),
                email: c.email_address.filter(|e| e.contains('@')),
                phone,
                language: None,
                country,
                time_zone,
                groups: c.contact_groups.into_iter().map(|g| g.name).collect(),
                // The people Xero copies on invoices are copied on reminders.
                cc: c
                    .contact_persons
                    .iter()
                    .filter(|p| p.include_in_emails)
                    .flat_map(|p| email_list(p.email_address.as_deref()))
                    .take(5)
                    .collect(),
                updated_at: c
                    .updated_date_utc
                    .as_deref()
                    .and_then(parse_date)
                    .ok_or_else(|| invalid("UpdatedDateUTC", "a /Date(…)/ value"))?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    // A Xero webhook key looks like base64; it is used as typed.
    const KEY: &str = "GDpf0EDNfGHuhJp7rSw6T5OIEHQlBrFv3sXrlU0u7rEQLkTbF2O4QvmN5Kl7h/6bW3GxvBF9sMvI8iAQc9C3Nw==";

    fn headers(sig: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-xero-signature", HeaderValue::from_str(sig).unwrap());
        h
    }

    #[test]
    fn the_key_is_not_base64_decoded() {
        let body = br#"{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}"#;
        let as_typed = sign(KEY, body);
        let mut mac = Hmac::<Sha256>::new_from_slice(&STANDARD.decode(KEY).unwrap()).unwrap();
        mac.update(body);
        let decoded = STANDARD.encode(mac.finalize().into_bytes());
        assert_ne!(as_typed, decoded);
        assert!(verify(&[KEY.into()], &headers(&as_typed), body).is_ok());
        assert_eq!(
            verify(&[KEY.into()], &headers(&decoded), body),
            Err(SignatureError::NoMatch)
        );
        assert_eq!(parse(body).unwrap(), Delivery::IntentToReceive);
    }

    #[test]
    fn padding_bit_variants_are_refused() {
        let body = b"{}";
        let sig = sign(KEY, body);
        let last = sig.trim_end_matches('=').chars().last().unwrap();
        // Flip the lowest bit of the last data character: the decoded bytes stay the same.
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let idx = alphabet.find(last).unwrap();
        let twin = alphabet.chars().nth(idx ^ 1).unwrap();
        let tampered = format!("{}{}{}", &sig[..sig.trim_end_matches('=').len() - 1], twin, "=");
        assert_ne!(tampered, sig);
        assert_eq!(
            verify(&[KEY.into()], &headers(&tampered), body),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn events_become_notices_case_insensitively() {
        let body = serde_json::json!({
            "events": [
                {"resourceUrl": "https://api.xero.com/api.xro/2.0/Invoices/abc", "resourceId": "abc", "eventDateUtc": "2026-12-03T13:19:00.123", "eventType": "Update", "eventCategory": "INVOICE", "tenantId": "t-1", "tenantType": "ORGANISATION"},
                {"resourceUrl": "https://api.xero.com/api.xro/2.0/Contacts/c1", "resourceId": "c1", "eventDateUtc": "2026-12-03T13:19:00Z", "eventType": "CREATE", "eventCategory": "CONTACT", "tenantId": "t-1", "tenantType": "ORGANISATION"},
                {"resourceUrl": "x", "resourceId": "s1", "eventDateUtc": "2026-12-03T13:19:00Z", "eventType": "UPDATE", "eventCategory": "SUBSCRIPTION", "tenantId": "t-1", "tenantType": "ORGANISATION"}
            ],
            "firstEventSequence": 7, "lastEventSequence": 9, "entropy": "x"
        });
        let Delivery::Changes(notices) = parse(body.to_string().as_bytes()).unwrap() else {
            panic!()
        };
        assert_eq!(notices.len(), 2, "subscriptions are not receivables");
        assert_eq!(
            (notices[0].entity, notices[0].operation.as_str()),
            (super::super::Entity::Invoice, "update")
        );
        assert_eq!(notices[1].entity, super::super::Entity::Contact);
    }

    #[test]
    fn dates_are_milliseconds_whatever_the_offset() {
        assert_eq!(
            parse_date("/Date(1552435200000+0000)/").unwrap().to_rfc3339(),
            "2019-03-13T00:00:00+00:00"
        );
        assert_eq!(
            parse_date("/Date(1552435200000+1300)/").unwrap().to_rfc3339(),
            "2019-03-13T00:00:00+00:00"
        );
        assert_eq!(parse_date("/Date(1552435200000)/").unwrap().timestamp(), 1_552_435_200);
        assert!(parse_date("2019-03-13").is_none());
    }

    #[test]
    fn fetched_invoices_become_snapshots_with_exact_amounts() {
        let body = r#"{"Invoices":[
            {"Type":"ACCREC","InvoiceID":"243216c5-369e-4056-ac67-05388f86dc81","InvoiceNumber":"INV-0031",
             "Contact":{"ContactID":"bd2270c3-8706-4c11-9cfb-000b551c3f51","Name":"Tamm & Sons OÜ"},
             "Date":"/Date(1795046400000+0000)/","DueDate":"/Date(1796083200000+0000)/","Status":"AUTHORISED",
             "CurrencyCode":"EUR","Total":1234.56,"AmountDue":234.56,"AmountPaid":1000.00,
             "Payments":[{"PaymentID":"p1","Date":"/Date(1796000000000+0000)/","Amount":1000.00}],
             "UpdatedDateUTC":"/Date(1796000000123+0000)/"},
            {"Type":"ACCPAY","InvoiceID":"b1","InvoiceNumber":"BILL-1","Contact":{"ContactID":"s1"},"Status":"AUTHORISED",
             "CurrencyCode":"EUR","Total":10,"AmountDue":10,"UpdatedDateUTC":"/Date(1796000000000+0000)/"}
        ]}"#;
        let invoices = invoices_from_response(body.as_bytes()).unwrap();
        assert_eq!(invoices.len(), 1, "bills (ACCPAY) are not receivables");
        let inv = &invoices[0];
        assert_eq!((inv.total.minor, inv.amount_due.minor), (123_456, 23_456));
        assert_eq!(inv.due_date.to_string(), "2026-12-01");
        assert_eq!(inv.status, DocumentStatus::Open);
        assert_eq!(inv.updated_at.timestamp_millis(), 1_796_000_000_123);
    }

    #[test]
    fn an_invoices_payments_and_credit_notes_become_settlements_oldest_first() {
        let body = br#"{"Invoices":[{"Type":"ACCREC","InvoiceID":"i-1","InvoiceNumber":"INV-1",
             "Contact":{"ContactID":"c-1"},"Status":"AUTHORISED","CurrencyCode":"EUR","Total":1000.00,
             "AmountDue":500.00,"UpdatedDateUTC":"/Date(1796500000000+0000)/",
             "Payments":[{"PaymentID":"p-2","Date":"/Date(1796256000000+0000)/","Amount":300.00},
                         {"PaymentID":"p-1","Date":"/Date(1796169600000+0000)/","Amount":100.10}],
             "CreditNotes":[{"CreditNoteID":"cn-1","Date":"/Date(1796256000000+0000)/","AppliedAmount":99.90}]},
            {"Type":"ACCPAY","InvoiceID":"bill","Contact":{"ContactID":"s"},"Status":"AUTHORISED",
             "CurrencyCode":"EUR","Total":1,"AmountDue":1,"UpdatedDateUTC":"/Date(1796500000000+0000)/",
             "Payments":[{"PaymentID":"p-9","Date":"/Date(1796256000000+0000)/","Amount":1}]}]}"#;
        let settled = settlements_from_response(body).unwrap();
        let seen: Vec<(&str, SettlementKind, i64, i64)> = settled
            .iter()
            .map(|s| {
                (
                    s.settlement_id.as_str(),
                    s.kind,
                    s.amount.minor,
                    s.invoice_amount_due.minor,
                )
            })
            .collect();
        // A bill (ACCPAY) is no receivable; the rest in date order, each with what was left after it.
        assert_eq!(
            seen,
            [
                ("p-1", SettlementKind::Payment, 10_010, 89_990),
                ("p-2", SettlementKind::Payment, 30_000, 59_990),
                ("cn-1", SettlementKind::CreditNote, 9_990, 50_000),
            ]
        );
    }

    #[test]
    fn fetched_contacts_prefer_the_mobile_number() {
        let body = r#"{"Contacts":[{"ContactID":"c1","Name":"Tamm & Sons OÜ","EmailAddress":"ap@tamm.example",
            "Phones":[{"PhoneType":"DEFAULT","PhoneNumber":"6 123 456","PhoneAreaCode":"","PhoneCountryCode":"372"},
                      {"PhoneType":"MOBILE","PhoneNumber":"5551 2345","PhoneAreaCode":"","PhoneCountryCode":"372"}],
            "ContactGroups":[{"Name":"Wholesale"}],"UpdatedDateUTC":"/Date(1796000000000+0000)/"}]}"#;
        let contacts = contacts_from_response(body.as_bytes()).unwrap();
        assert_eq!(contacts[0].phone, phone::ContactPhone::mobile("+37255512345"));
        assert_eq!(contacts[0].groups, ["Wholesale"]);
        assert_eq!((contacts[0].country.as_deref(), contacts[0].time_zone), (None, None));
    }

    /// Xero keeps a number in three fields; the area code often carries the trunk 0, and a contact may
    /// have only a landline or a fax.
    #[test]
    fn xero_numbers_of_six_countries_are_read_from_their_three_fields() {
        use phone::PhoneKind::{Landline, Mobile};
        let contact = |phones: &str, country: &str| {
            let body = format!(
                r#"{{"Contacts":[{{"ContactID":"c1","Name":"X","Phones":[{phones}],
                "Addresses":[{{"AddressType":"POBOX","Country":"{country}"}}],"UpdatedDateUTC":"/Date(1796000000000+0000)/"}}]}}"#
            );
            contacts_from_response(body.as_bytes()).unwrap().remove(0).phone
        };
        let one = |kind: &str, cc: &str, area: &str, number: &str| {
            format!(
                r#"{{"PhoneType":"{kind}","PhoneNumber":"{number}","PhoneAreaCode":"{area}","PhoneCountryCode":"{cc}"}}"#
            )
        };
        let cases = [
            (
                one("DEFAULT", "44", "020", "7946 0000"),
                "United Kingdom",
                "+442079460000",
                Landline,
            ),
            (one("MOBILE", "44", "07911", "123456"), "GB", "+447911123456", Mobile),
            (
                one("MOBILE", "", "0151", "23456789"),
                "Germany",
                "+4915123456789",
                Mobile,
            ),
            (
                one("MOBILE", "+49", "(0)151", "2345 6789"),
                "",
                "+4915123456789",
                Mobile,
            ),
            (one("MOBILE", "1", "201", "555-0123"), "US", "+12015550123", Mobile),
            (
                one("MOBILE", "0048", "", "512 345 678"),
                "Poland",
                "+48512345678",
                Mobile,
            ),
            (one("MOBILE", "371", "", "2123 4567"), "Latvia", "+37121234567", Mobile),
            (one("DDI", "", "", "6123456"), "Estonia", "+3726123456", Landline),
        ];
        for (phones, country, e164, kind) in cases {
            let got = contact(&phones, country);
            assert_eq!(
                (got.number.as_deref(), got.kind),
                (Some(e164), kind),
                "{phones} in {country}"
            );
        }
        // A fax is never a phone; a landline gives way to a mobile listed after it.
        let fax = contact(&one("FAX", "44", "020", "7946 0000"), "GB");
        assert_eq!(fax, phone::ContactPhone::default());
        let both = [
            one("DEFAULT", "44", "020", "7946 0000"),
            one("MOBILE", "44", "07911", "123456"),
        ]
        .join(",");
        assert_eq!(contact(&both, "GB"), phone::ContactPhone::mobile("+447911123456"));
        let wrong = contact(&one("MOBILE", "44", "", "123"), "GB");
        assert_eq!(
            wrong.refused.map(|r| (r.given, r.problem)),
            Some(("+44 123".into(), phone::PhoneProblem::NotValid))
        );
    }

    #[test]
    fn an_online_invoice_gives_a_pay_link_only_when_it_is_safe() {
        let body = br#"{"OnlineInvoices":[{"OnlineInvoiceUrl":"https://in.xero.com/iztKMjyAEJT7MVnmruxgCdIJUDStfRgmtdQSIW13"}]}"#;
        assert_eq!(
            online_invoice_url(body).unwrap().as_deref(),
            Some("https://in.xero.com/iztKMjyAEJT7MVnmruxgCdIJUDStfRgmtdQSIW13")
        );
        assert_eq!(
            online_invoice_url(br#"{"OnlineInvoices":[{"OnlineInvoiceUrl":"http://x\u0001"}]}"#).unwrap(),
            None
        );
        assert_eq!(online_invoice_url(br#"{"OnlineInvoices":[]}"#).unwrap(), None);
        assert!(online_invoice_url(b"[]").is_err());
    }

    #[test]
    fn a_contacts_postal_address_gives_its_country_and_zone() {
        let body = r#"{"Contacts":[{"ContactID":"c1","Name":"Red Rock LLC","UpdatedDateUTC":"/Date(1796000000000+0000)/",
            "Addresses":[{"AddressType":"STREET","Country":"Estonia"},
                         {"AddressType":"POBOX","City":"Austin","Region":"TX","Country":"United States"}]}]}"#;
        let c = &contacts_from_response(body.as_bytes()).unwrap()[0];
        assert_eq!(
            (c.country.as_deref(), c.time_zone),
            (Some("US"), Some(chrono_tz::America::Chicago))
        );
        let unreadable = body.replace("United States", "Atlantis").replace("Estonia", "");
        let c = &contacts_from_response(unreadable.as_bytes()).unwrap()[0];
        assert_eq!((c.country.as_deref(), c.time_zone), (None, None));
    }
}
