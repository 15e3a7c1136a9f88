//! Merit Aktiva (Estonia; Passeli Merit in Finland, 360 Księgowość in Poland): an accounting platform with
//! no webhooks, read by polling. Every request is a POST of a JSON body to
//! `/api/v{1,2}/{endpoint}?ApiId=…&timestamp=…&signature=…`, where the signature is the base64 of
//! HMAC-SHA256, under the company's API key, of the API id, the UTC timestamp (`yyyyMMddHHmmss`) and the
//! body exactly as sent.
//!
//! Merit's ids are GUIDs, as Xero's are, so Duly keeps a Merit invoice or customer under `merit:{guid}`:
//! only then can a poll tell which of a creditor's open invoices are Merit's to look for, and a Merit id
//! never meets another platform's.

pub mod compare;
pub mod polling;
pub mod records;

use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// How Duly keeps a Merit id: see the module's documentation.
pub const ID_PREFIX: &str = "merit:";

/// Duly's id for a Merit GUID.
pub fn duly_id(guid: &str) -> String {
    format!("{ID_PREFIX}{}", guid.trim().to_ascii_lowercase())
}

/// The GUID of a Duly id that holds one; `None` for another platform's.
pub fn merit_guid(duly_id: &str) -> Option<&str> {
    duly_id.strip_prefix(ID_PREFIX)
}

/// Where a company's Merit lives: the same API under three names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    /// Merit Aktiva, Estonia.
    Ee,
    /// Passeli Merit, Finland.
    Fi,
    /// 360 Księgowość, Poland.
    Pl,
}

impl Region {
    pub fn parse(raw: &str) -> Option<Region> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "ee" | "" => Some(Region::Ee),
            "fi" => Some(Region::Fi),
            "pl" => Some(Region::Pl),
            _ => None,
        }
    }

    pub fn base_url(self) -> &'static str {
        match self {
            Region::Ee => "https://aktiva.merit.ee",
            Region::Fi => "https://app.passelimerit.fi",
            Region::Pl => "https://program.360ksiegowosc.pl",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Region::Ee => "ee",
            Region::Fi => "fi",
            Region::Pl => "pl",
        }
    }
}

/// Merit's timestamp: UTC, `yyyyMMddHHmmss`.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%d%H%M%S").to_string()
}

/// The request's `signature` parameter.
pub fn sign(api_id: &str, api_key: &str, timestamp: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(api_id.as_bytes());
    mac.update(timestamp.as_bytes());
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `signature` is this request's, compared in constant time (Merit's side; the test kit's server).
pub fn verify(api_id: &str, api_key: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = sign(api_id, api_key, timestamp, body);
    expected.as_bytes().ct_eq(signature.as_bytes()).into()
}

/// Why an API id or key was refused. The reasons never repeat what was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyRefusal {
    #[error("api_id must be the API ID Merit shows under Settings → API settings (a GUID such as 3f2c…-…)")]
    NotAnId,
    #[error("api_key must be the API key Merit shows beside that API ID")]
    NotAKey,
    #[error("region must be ee (Merit Aktiva), fi (Passeli Merit) or pl (360 Księgowość)")]
    UnknownRegion,
}

/// An API id (a GUID) and key (base64 text) by their shape, before Merit is asked.
pub fn check_keys(api_id: &str, api_key: &str) -> Result<(), KeyRefusal> {
    let guid = api_id.len() == 36
        && api_id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if !guid {
        return Err(KeyRefusal::NotAnId);
    }
    let key_ok = (16..=128).contains(&api_key.len())
        && api_key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'));
    if !key_ok {
        return Err(KeyRefusal::NotAKey);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_signed_over_the_id_the_timestamp_and_the_body() {
        let at = DateTime::parse_from_rfc3339("2026-12-07T08:05:09Z").unwrap().to_utc();
        assert_eq!(timestamp(at), "20261207080509");
        let id = "eb854b11-db9c-495f-a108-ce5fbcb59ccb";
        let key = "883GM0TSFxJqg/OANR5fgKi5U3FIHeEgICt4M7ZsAds=";
        let body = br#"{"PeriodStart":"20261201","PeriodEnd":"20261207"}"#;
        let signature = sign(id, key, "20261207080509", body);
        // Computed independently: printf '%s' "$id$ts$body" | openssl dgst -sha256 -hmac "$key" -binary | base64
        assert_eq!(signature, "/OrRjVoceMciteoIB9MtgqihjuzYAMvlHKdrMWxUJ54=");
        assert!(verify(id, key, "20261207080509", body, &signature));
        assert!(!verify(id, key, "20261207080510", body, &signature), "another second");
        assert!(!verify(id, key, "20261207080509", b"{}", &signature), "another body");
        assert!(!verify(id, "another-key", "20261207080509", body, &signature));
    }

    #[test]
    fn only_an_id_and_a_key_of_merits_shape_are_taken() {
        let key = "883GM0TSFxJqg/OANR5fgKi5U3FIHeEgICt4M7ZsAds=";
        assert_eq!(check_keys("eb854b11-db9c-495f-a108-ce5fbcb59ccb", key), Ok(()));
        assert_eq!(
            check_keys("eb854b11db9c495fa108ce5fbcb59ccb", key),
            Err(KeyRefusal::NotAnId)
        );
        assert_eq!(
            check_keys("eb854b11-db9c-495f-a108-ce5fbcb59ccb", "short"),
            Err(KeyRefusal::NotAKey)
        );
        assert_eq!(
            check_keys(
                "eb854b11-db9c-495f-a108-ce5fbcb59ccb",
                "has spaces in it, which keys do not"
            ),
            Err(KeyRefusal::NotAKey)
        );
        assert_eq!(Region::parse("FI"), Some(Region::Fi));
        assert_eq!(Region::parse("se"), None);
        assert_eq!(merit_guid(&duly_id("EB854B11-db9c")), Some("eb854b11-db9c"));
        assert_eq!(merit_guid("in_123"), None);
    }
}
