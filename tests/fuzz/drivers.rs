//! What each fuzz target does with its bytes, shared with `tests/inbound/fuzz_corpus.rs`, which replays the seed
//! corpus in every `make test`.
//!
//! Input layout: the first byte holds flags; bit 0 set means "sign the body correctly", so the parser
//! behind the signature is reached; bit 1 set means the bytes up to the first NUL are a hand-made
//! signature header (then the rest is the body). Nothing here may panic, whatever the bytes.

use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderValue};

const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const STRIPE_SECRET: &str = "whsec_fuzzing_endpoint_secret";
const APP_KEY: &str = "kV3x9QmF2t+Lr8w/ZpD4nB6yHc1sJ0eG5uTq7aXoP2iMdW==";

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000, 0).expect("a valid instant")
}

/// The flags, a hand-made header if there is one, and the body.
fn split(data: &[u8]) -> (u8, Option<&[u8]>, &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return (0, None, &[]);
    };
    if flags & 2 == 0 {
        return (flags, None, rest);
    }
    match rest.iter().position(|b| *b == 0) {
        Some(at) => (flags, Some(&rest[..at]), &rest[at + 1..]),
        None => (flags, Some(rest), &[]),
    }
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &[u8]) {
    if let Ok(value) = HeaderValue::from_bytes(value) {
        headers.insert(name, value);
    }
}

/// Whether the signature verified.
pub fn standard_webhooks(data: &[u8]) -> bool {
    use duly_core::webhooks::signature::{verify, SigningSecret};
    let (flags, header, body) = split(data);
    let secret = SigningSecret::parse(STANDARD_SECRET).expect("a valid secret");
    let timestamp = now().timestamp();
    let mut headers = HeaderMap::new();
    insert(&mut headers, "webhook-id", b"msg_fuzz");
    insert(&mut headers, "webhook-timestamp", timestamp.to_string().as_bytes());
    let signature = match header {
        Some(raw) => raw.to_vec(),
        None if flags & 1 == 1 => format!("v1,{}", secret.sign("msg_fuzz", timestamp, body)).into_bytes(),
        None => b"v1,AAAA".to_vec(),
    };
    insert(&mut headers, "webhook-signature", &signature);
    let verified = verify(&[secret], &headers, body, now()).is_ok();
    let _ = duly_core::webhooks::canonical::parse_fact(body);
    verified
}

pub fn stripe(data: &[u8]) -> bool {
    use duly_core::platforms::stripe;
    let (flags, header, body) = split(data);
    let timestamp = now().timestamp();
    let signature = match header {
        Some(raw) => raw.to_vec(),
        None if flags & 1 == 1 => {
            format!("t={timestamp},v1={}", stripe::sign(STRIPE_SECRET, timestamp, body)).into_bytes()
        }
        None => format!("t={timestamp},v1=00").into_bytes(),
    };
    let mut headers = HeaderMap::new();
    insert(&mut headers, "stripe-signature", &signature);
    let verified = stripe::verify(&[STRIPE_SECRET.to_string()], &headers, body, now()).is_ok();
    if let Ok(delivery) = stripe::parse(body) {
        let _ = delivery.keyed_facts();
    }
    if let Ok(page) = stripe::list_page(body) {
        for object in &page.objects {
            let _ = stripe::observed_invoice(object, now());
        }
    }
    verified
}

pub fn xero(data: &[u8]) -> bool {
    use duly_core::platforms::xero;
    let (flags, header, body) = split(data);
    let signature = match header {
        Some(raw) => raw.to_vec(),
        None if flags & 1 == 1 => xero::sign(APP_KEY, body).into_bytes(),
        None => b"AAAA".to_vec(),
    };
    let mut headers = HeaderMap::new();
    insert(&mut headers, "x-xero-signature", &signature);
    let verified = xero::verify(&[APP_KEY.to_string()], &headers, body).is_ok();
    let _ = xero::parse(body);
    let _ = xero::invoices_from_response(body);
    let _ = xero::contacts_from_response(body);
    if let Ok(text) = std::str::from_utf8(body) {
        let _ = xero::parse_date(text);
    }
    verified
}

pub fn quickbooks(data: &[u8]) -> bool {
    use duly_core::platforms::quickbooks;
    let (flags, header, body) = split(data);
    let signature = match header {
        Some(raw) => raw.to_vec(),
        None if flags & 1 == 1 => quickbooks::sign(APP_KEY, body).into_bytes(),
        None => b"AAAA".to_vec(),
    };
    let mut headers = HeaderMap::new();
    insert(&mut headers, "intuit-signature", &signature);
    let verified = quickbooks::verify(&[APP_KEY.to_string()], &headers, body).is_ok();
    let _ = quickbooks::parse(body);
    let eur = duly_core::model::money::Currency::parse("EUR").expect("EUR is known");
    let _ = quickbooks::invoice_from_response(body, eur);
    let _ = quickbooks::invoices_paid_by(body);
    let _ = quickbooks::customer_from_response(body);
    for entity in ["Invoice", "Customer", "Payment"] {
        for listed in quickbooks::cdc_entities(body, entity)
            .into_iter()
            .chain(quickbooks::query_entities(body, entity))
            .flatten()
        {
            if let quickbooks::Listed::Present(raw) = listed {
                let _ = quickbooks::invoice_from_response(&raw, eur);
                let _ = quickbooks::customer_from_response(&raw);
            }
        }
    }
    verified
}
