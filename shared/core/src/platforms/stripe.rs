//! Stripe Invoicing: `Stripe-Signature` verification and invoice events as canonical facts.
//!
//! The signature is `t=<unix>,v1=<hex>[,v1=<hex>…]`: hex HMAC-SHA256 of `"{t}.{raw body}"` keyed with the
//! endpoint secret *including* its `whsec_` prefix (Stripe does not decode it). Any `v1` entry may match
//! (secrets rotate); the timestamp may be at most 300 s away from now in either direction.

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, KeyInit, Mac};
use http::HeaderMap;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::calendar::zones::locate;
use crate::locale::Language;
use crate::model::ids::{DebtorId, InvoiceId, WebhookId};
use crate::model::money::{Currency, Money};
use crate::model::phone;
use crate::webhooks::canonical::{
    safe_https_url, Contact, DocumentStatus, Fact, FactError, InvoiceFact, InvoiceSnapshot,
};
use crate::webhooks::signature::SignatureError;

pub const TOLERANCE_SECONDS: i64 = 300;

/// Hex HMAC-SHA256 of `"{timestamp}.{body}"` with the secret's UTF-8 bytes, as Stripe signs.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    crate::text::hex(&mac.finalize().into_bytes())
}

/// Verifies `Stripe-Signature` against any of the connection's endpoint secrets.
pub fn verify(secrets: &[String], headers: &HeaderMap, body: &[u8], now: DateTime<Utc>) -> Result<(), SignatureError> {
    let header = crate::webhooks::signature::single_header(headers, "stripe-signature")?;
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => {
                timestamp = Some(
                    t.parse::<i64>()
                        .map_err(|_| SignatureError::BadHeader("stripe-signature"))?,
                )
            }
            Some(("v1", sig)) => candidates.push(sig),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::BadHeader("stripe-signature"))?;
    let age = now.timestamp().saturating_sub(timestamp);
    if age > TOLERANCE_SECONDS {
        return Err(SignatureError::TooOld);
    }
    if age < -TOLERANCE_SECONDS {
        return Err(SignatureError::InFuture);
    }
    let matched = secrets.iter().any(|secret| {
        let expected = sign(secret, timestamp, body);
        candidates
            .iter()
            .any(|c| bool::from(c.as_bytes().ct_eq(expected.as_bytes())))
    });
    if matched {
        Ok(())
    } else {
        Err(SignatureError::NoMatch)
    }
}

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    created: i64,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: Box<RawValue>,
}

/// A Stripe customer, as `customer.created` and `customer.updated` carry it.
#[derive(Deserialize)]
struct StripeCustomer {
    object: String,
    id: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address: Option<StripeAddress>,
    #[serde(default)]
    preferred_locales: Vec<String>,
}

#[derive(Deserialize)]
struct StripeInvoice {
    object: String,
    id: String,
    status: Option<String>,
    number: Option<String>,
    currency: String,
    /// What the invoice asks for in total (minor units).
    amount_due: i64,
    amount_remaining: i64,
    customer: Option<String>,
    customer_email: Option<String>,
    customer_name: Option<String>,
    customer_phone: Option<String>,
    customer_address: Option<StripeAddress>,
    due_date: Option<i64>,
    hosted_invoice_url: Option<String>,
}

#[derive(Deserialize)]
struct StripeAddress {
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    /// The state, county or province.
    state: Option<String>,
}

/// What one Stripe delivery means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeDelivery {
    /// The event id: Stripe's idempotency key for the delivery.
    pub id: WebhookId,
    /// The customer as the invoice names them, then the invoice.
    pub facts: Vec<Fact>,
}

impl StripeDelivery {
    /// Each fact with its own idempotency key: the invoice keeps the event id, the customer gets a key
    /// derived from it, so a redelivery (or the same event found again by reconciliation) has no effect.
    pub fn keyed_facts(&self) -> Result<Vec<(WebhookId, &Fact)>, FactError> {
        let count = self.facts.len();
        self.facts
            .iter()
            .enumerate()
            .map(|(i, fact)| {
                let id = if i + 1 == count {
                    self.id.clone()
                } else {
                    WebhookId::parse(format!("{}:{}", self.id, fact.kind()))
                        .map_err(|e| invalid("id", &e.to_string()))?
                };
                Ok((id, fact))
            })
            .collect()
    }
}

const INVOICE_EVENTS: [&str; 8] = [
    "invoice.finalized",
    "invoice.updated",
    "invoice.paid",
    "invoice.voided",
    "invoice.marked_uncollectible",
    "invoice.payment_failed",
    "invoice.overdue",
    "invoice.will_be_due",
];

fn invalid(field: &'static str, reason: &str) -> FactError {
    FactError::Invalid {
        field,
        reason: reason.to_string(),
    }
}

/// Turns a Stripe event into facts; events Duly does not use give none.
pub fn parse(body: &[u8]) -> Result<StripeDelivery, FactError> {
    let event: Event = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let id = WebhookId::parse(event.id).map_err(|e| invalid("id", &e.to_string()))?;
    let at = DateTime::from_timestamp(event.created, 0).ok_or_else(|| invalid("created", "not a time"))?;
    let object = event.data.object.get().as_bytes();
    let facts = match event.kind.as_str() {
        kind if INVOICE_EVENTS.contains(&kind) => {
            let inv: StripeInvoice = serde_json::from_slice(object).map_err(|e| FactError::Malformed(e.to_string()))?;
            if inv.object != "invoice" {
                Vec::new()
            } else {
                invoice_facts(inv, at)?
            }
        }
        "customer.created" | "customer.updated" => {
            let customer: StripeCustomer =
                serde_json::from_slice(object).map_err(|e| FactError::Malformed(e.to_string()))?;
            if customer.object != "customer" {
                Vec::new()
            } else {
                vec![customer_fact(customer, at)?]
            }
        }
        _ => Vec::new(),
    };
    Ok(StripeDelivery { id, facts })
}

/// A customer in their own words: the first of their preferred locales Duly writes in wins over the
/// language of their country.
fn customer_fact(c: StripeCustomer, at: DateTime<Utc>) -> Result<Fact, FactError> {
    let place = c
        .address
        .as_ref()
        .and_then(|a| locate(a.country.as_deref(), a.state.as_deref()));
    let (country, time_zone) = place.map_or((None, None), |(c, z)| (Some(c), z));
    Ok(Fact::ContactUpdated(Contact {
        debtor_id: DebtorId::parse(c.id).map_err(|e| invalid("id", &e.to_string()))?,
        name: c.name.unwrap_or_default().trim().chars().take(200).collect(),
        email: c.email.filter(|e| e.contains('@') && e.len() <= 254),
        phone: phone::best(c.phone.as_deref(), country.as_deref()),
        language: c
            .preferred_locales
            .iter()
            .take(10)
            .find_map(|l| Language::parse(l))
            .map(|l| l.code().to_string()),
        country,
        time_zone,
        groups: Vec::new(),
        cc: Vec::new(),
        updated_at: at,
    }))
}

fn invoice_facts(inv: StripeInvoice, at: DateTime<Utc>) -> Result<Vec<Fact>, FactError> {
    let currency = Currency::parse(&inv.currency).map_err(|e| invalid("currency", &e.to_string()))?;
    let money = |field, minor: i64| {
        if minor < 0 {
            Err(invalid(field, "must not be negative"))
        } else {
            Ok(Money { minor, currency })
        }
    };
    let Some(customer) = inv.customer else {
        return Ok(Vec::new());
    };
    let debtor_id = DebtorId::parse(customer).map_err(|e| invalid("customer", &e.to_string()))?;
    // A draft has no due date yet; it is kept as a draft and planned once finalized.
    let due_date = inv
        .due_date
        .and_then(|d| DateTime::from_timestamp(d, 0))
        .map(|d| d.date_naive())
        .unwrap_or_else(|| at.date_naive());
    // "Uncollectible" means the creditor wrote it off: no reminders, like a void.
    let status = match inv.status.as_deref() {
        Some("draft") | None => DocumentStatus::Draft,
        Some("open") => DocumentStatus::Open,
        Some("paid") => DocumentStatus::Paid,
        Some("void") | Some("uncollectible") => DocumentStatus::Void,
        Some(_) => return Err(invalid("status", "draft, open, paid, void or uncollectible")),
    };
    let amount_due = money(
        "amount_remaining",
        if status == DocumentStatus::Paid {
            0
        } else {
            inv.amount_remaining
        },
    )?;
    let total = money("amount_due", inv.amount_due.max(amount_due.minor))?;
    let mut facts = Vec::new();
    if let Some(name) = inv.customer_name.filter(|n| !n.trim().is_empty()) {
        let place = inv
            .customer_address
            .as_ref()
            .and_then(|a| locate(a.country.as_deref(), a.state.as_deref()));
        let (country, time_zone) = place.map_or((None, None), |(c, z)| (Some(c), z));
        facts.push(Fact::ContactUpdated(Contact {
            debtor_id: debtor_id.clone(),
            name: name.trim().chars().take(200).collect(),
            email: inv.customer_email.filter(|e| e.contains('@')),
            phone: phone::best(inv.customer_phone.as_deref(), country.as_deref()),
            language: None,
            country,
            time_zone,
            groups: Vec::new(),
            cc: Vec::new(),
            updated_at: at,
        }));
    }
    facts.push(Fact::Invoice(InvoiceFact::Upserted(InvoiceSnapshot {
        invoice_id: InvoiceId::parse(inv.id).map_err(|e| invalid("id", &e.to_string()))?,
        number: inv
            .number
            .unwrap_or_else(|| "(draft)".into())
            .chars()
            .take(64)
            .collect(),
        debtor_id,
        total,
        amount_due,
        issue_date: None,
        due_date: due_date.max(NaiveDate::MIN),
        status,
        pay_url: inv.hosted_invoice_url.filter(|u| safe_https_url(u)),
        bill_to: Vec::new(),
        updated_at: at,
    })));
    Ok(facts)
}

/// One page of a Stripe list (`GET /v1/events`, `GET /v1/invoices`).
#[derive(Debug)]
pub struct ListPage {
    /// Each object's raw JSON, so that it is parsed exactly as a webhook would be.
    pub objects: Vec<Box<RawValue>>,
    pub has_more: bool,
    /// Where the next page starts (`starting_after`).
    pub last_id: Option<String>,
}

#[derive(Deserialize)]
struct ListEnvelope {
    data: Vec<Box<RawValue>>,
    has_more: bool,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

pub fn list_page(body: &[u8]) -> Result<ListPage, FactError> {
    let envelope: ListEnvelope = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let last_id = match envelope.data.last() {
        Some(raw) => Some(
            serde_json::from_str::<IdOnly>(raw.get())
                .map_err(|e| FactError::Malformed(e.to_string()))?
                .id,
        ),
        None => None,
    };
    Ok(ListPage {
        objects: envelope.data,
        has_more: envelope.has_more,
        last_id,
    })
}

/// A listed invoice as the event it would have come in, observed at `at`: Stripe invoices carry no
/// modification time, and the list shows their state at the moment it was read.
pub fn observed_invoice(invoice: &RawValue, at: DateTime<Utc>) -> Result<StripeDelivery, FactError> {
    let id: IdOnly = serde_json::from_str(invoice.get()).map_err(|e| FactError::Malformed(e.to_string()))?;
    let event = format!(
        r#"{{"id":"observed:{}:{}","type":"invoice.updated","created":{},"data":{{"object":{}}}}}"#,
        id.id,
        at.timestamp(),
        at.timestamp(),
        invoice.get()
    );
    parse(event.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const SECRET: &str = "whsec_test_secret_for_duly";

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("stripe-signature", HeaderValue::from_str(value).unwrap());
        h
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_795_000_000, 0).unwrap()
    }

    #[test]
    fn the_key_keeps_its_whsec_prefix() {
        let body = br#"{"id":"evt_1"}"#;
        let with_prefix = sign(SECRET, 1_795_000_000, body);
        let without = sign(SECRET.trim_start_matches("whsec_"), 1_795_000_000, body);
        assert_ne!(with_prefix, without);
        let h = headers(&format!("t=1795000000,v1={with_prefix}"));
        assert!(verify(&[SECRET.to_string()], &h, body, now()).is_ok());
        let h = headers(&format!("t=1795000000,v1={without}"));
        assert_eq!(
            verify(&[SECRET.to_string()], &h, body, now()),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn any_v1_entry_may_match_and_v0_is_ignored() {
        let body = br#"{"id":"evt_1"}"#;
        let good = sign(SECRET, 1_795_000_000, body);
        let h = headers(&format!("t=1795000000,v1=deadbeef,v0={good},v1={good}"));
        assert!(verify(&[SECRET.to_string()], &h, body, now()).is_ok());
        let only_v0 = headers(&format!("t=1795000000,v0={good}"));
        assert_eq!(
            verify(&[SECRET.to_string()], &only_v0, body, now()),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn the_tolerance_is_300_seconds_both_ways() {
        let body = b"{}";
        for (t, ok) in [
            (1_795_000_000 - 300, true),
            (1_795_000_000 + 300, true),
            (1_795_000_000 - 301, false),
            (1_795_000_000 + 301, false),
        ] {
            let h = headers(&format!("t={t},v1={}", sign(SECRET, t, body)));
            assert_eq!(verify(&[SECRET.to_string()], &h, body, now()).is_ok(), ok, "{t}");
        }
    }

    fn event(kind: &str, status: &str, remaining: i64) -> String {
        serde_json::json!({
            "id": "evt_1Q2w3E", "type": kind, "created": 1_795_000_000,
            "data": {"object": {
                "object": "invoice", "id": "in_1Abc", "status": status, "number": "NW-0042", "currency": "eur",
                "amount_due": 50_000, "amount_paid": 50_000 - remaining, "amount_remaining": remaining,
                "customer": "cus_Tamm", "customer_email": "ap@tamm.example", "customer_name": "Tamm & Sons OÜ",
                "customer_phone": null, "due_date": 1_796_083_200, "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1/test_x"
            }}
        })
        .to_string()
    }

    #[test]
    fn invoice_events_become_a_contact_and_an_invoice_snapshot() {
        let d = parse(event("invoice.finalized", "open", 50_000).as_bytes()).unwrap();
        assert_eq!(d.id.as_str(), "evt_1Q2w3E");
        let [Fact::ContactUpdated(contact), Fact::Invoice(InvoiceFact::Upserted(inv))] = d.facts.as_slice() else {
            panic!("{:?}", d.facts)
        };
        assert_eq!(contact.email.as_deref(), Some("ap@tamm.example"));
        assert_eq!((inv.total.minor, inv.amount_due.minor), (50_000, 50_000));
        assert_eq!(inv.due_date.to_string(), "2026-12-01");
        assert_eq!(
            inv.pay_url.as_deref(),
            Some("https://invoice.stripe.com/i/acct_1/test_x")
        );
        assert_eq!(inv.status, DocumentStatus::Open);

        let paid = parse(event("invoice.paid", "paid", 0).as_bytes()).unwrap();
        let Some(Fact::Invoice(InvoiceFact::Upserted(inv))) = paid.facts.last() else {
            panic!()
        };
        assert_eq!((inv.status, inv.amount_due.minor), (DocumentStatus::Paid, 0));
        let written_off = parse(event("invoice.marked_uncollectible", "uncollectible", 50_000).as_bytes()).unwrap();
        let Some(Fact::Invoice(InvoiceFact::Upserted(inv))) = written_off.facts.last() else {
            panic!()
        };
        assert_eq!(inv.status, DocumentStatus::Void);
    }

    #[test]
    fn other_events_carry_no_facts_and_junk_is_refused() {
        let other = serde_json::json!({"id": "evt_2", "type": "charge.succeeded", "created": 1, "data": {"object": {"object": "charge", "id": "ch_1"}}});
        assert!(parse(other.to_string().as_bytes()).unwrap().facts.is_empty());
        assert!(matches!(parse(b"{"), Err(FactError::Malformed(_))));
        let bad_currency = event("invoice.paid", "paid", 0).replace("\"eur\"", "\"xyz\"");
        assert!(matches!(
            parse(bad_currency.as_bytes()),
            Err(FactError::Invalid { field: "currency", .. })
        ));
    }
    /// Stripe keeps a customer's phone as typed: it is read in the country of their address.
    #[test]
    fn stripe_numbers_of_six_countries_are_read_in_the_customers_country() {
        use crate::model::phone::{ContactPhone, PhoneKind};
        let phone_of = |phone: &str, country: &str| {
            let event = serde_json::json!({"id": "evt_4", "type": "customer.updated", "created": 1_795_000_000,
                "data": {"object": {"object": "customer", "id": "cus_1", "name": "X", "phone": phone,
                "address": {"country": country}}}});
            match parse(event.to_string().as_bytes()).unwrap().facts.remove(0) {
                Fact::ContactUpdated(c) => c.phone,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(phone_of("07911 123456", "GB"), ContactPhone::mobile("+447911123456"));
        assert_eq!(phone_of("0151 23456789", "DE"), ContactPhone::mobile("+4915123456789"));
        assert_eq!(phone_of("(201) 555-0123", "US"), ContactPhone::mobile("+12015550123"));
        assert_eq!(phone_of("512 345 678", "PL"), ContactPhone::mobile("+48512345678"));
        assert_eq!(phone_of("2123 4567", "LV"), ContactPhone::mobile("+37121234567"));
        let landline = phone_of("6 123 456", "EE");
        assert_eq!(
            (landline.number.as_deref(), landline.kind),
            (Some("+3726123456"), PhoneKind::Landline)
        );
        assert!(phone_of("n/a", "EE").refused.is_some());
    }

    /// A customer's own events carry their preferred language and address: the first preferred locale Duly
    /// writes in wins, the address gives the country and zone.
    #[test]
    fn a_customer_event_gives_the_contact_with_its_language_and_place() {
        let event = serde_json::json!({"id": "evt_3", "type": "customer.updated", "created": 1_795_000_000,
            "data": {"object": {"object": "customer", "id": "cus_Tamm", "name": "Tamm & Sons OÜ",
            "email": "ap@tamm.example", "phone": "+37255512345", "preferred_locales": ["sv-FI", "fi-FI", "et"],
            "address": {"country": "LV", "city": "Rīga"}}}});
        let delivery = parse(event.to_string().as_bytes()).unwrap();
        let [Fact::ContactUpdated(c)] = delivery.facts.as_slice() else {
            panic!("one contact: {:?}", delivery.facts)
        };
        assert_eq!(
            (c.language.as_deref(), c.country.as_deref(), c.time_zone),
            (Some("fi"), Some("LV"), Some(chrono_tz::Europe::Riga))
        );
        assert_eq!(c.debtor_id.as_str(), "cus_Tamm");
        assert_eq!(delivery.keyed_facts().unwrap()[0].0.as_str(), "evt_3");
        let not_a_customer = event
            .to_string()
            .replace(r#""object":"customer""#, r#""object":"account""#);
        assert!(parse(not_a_customer.as_bytes()).unwrap().facts.is_empty());
    }

    #[test]
    fn listed_events_and_invoices_parse_like_webhooks() {
        let page = format!(
            r#"{{"object":"list","data":[{}],"has_more":true,"url":"/v1/events"}}"#,
            event("invoice.paid", "paid", 0)
        );
        let page = list_page(page.as_bytes()).unwrap();
        assert!(page.has_more);
        assert_eq!(page.last_id.as_deref(), Some("evt_1Q2w3E"));
        assert_eq!(parse(page.objects[0].get().as_bytes()).unwrap().facts.len(), 2);

        let invoice: serde_json::Value = serde_json::from_str(&event("invoice.finalized", "open", 20_000)).unwrap();
        let raw = serde_json::value::to_raw_value(&invoice["data"]["object"]).unwrap();
        let observed = observed_invoice(&raw, now()).unwrap();
        assert_eq!(observed.id.as_str(), "observed:in_1Abc:1795000000");
        let Some(Fact::Invoice(InvoiceFact::Upserted(inv))) = observed.facts.last() else {
            panic!()
        };
        assert_eq!((inv.amount_due.minor, inv.updated_at), (20_000, now()));
        let empty = list_page(br#"{"data":[],"has_more":false}"#).unwrap();
        assert!(empty.last_id.is_none() && !empty.has_more);
    }

    #[test]
    fn the_customers_address_gives_its_country_and_zone() {
        let mut invoice: serde_json::Value = serde_json::from_str(&event("invoice.finalized", "open", 20_000)).unwrap();
        invoice["data"]["object"]["customer_address"] = serde_json::json!({"country": "PL", "city": "Kraków"});
        let raw = serde_json::value::to_raw_value(&invoice["data"]["object"]).unwrap();
        let Some(Fact::ContactUpdated(contact)) = observed_invoice(&raw, now()).unwrap().facts.first().cloned() else {
            panic!("the customer comes first")
        };
        assert_eq!(
            (contact.country.as_deref(), contact.time_zone),
            (Some("PL"), Some(chrono_tz::Europe::Warsaw))
        );
    }
}
