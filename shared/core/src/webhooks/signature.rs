//! Standard Webhooks (<https://www.standardwebhooks.com>) signature verification over the raw body bytes.
//!
//! The signed content is `"{webhook-id}.{webhook-timestamp}.{body}"`, HMAC-SHA256 with the base64-decoded
//! secret, base64-encoded. A delivery is valid when any `v1` entry of `webhook-signature` matches; several
//! entries appear while a secret is rotated. The expected signature is compared as its canonical base64 string
//! in constant time, never decoded leniently: a lenient decoder would accept a signature whose last character
//! differs only in padding bits.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use http::HeaderMap;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::model::ids::WebhookId;

/// How far a delivery's timestamp may be from our clock, in either direction.
pub const TOLERANCE_SECONDS: i64 = 5 * 60;

const SECRET_PREFIX: &str = "whsec_";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing header {0}")]
    MissingHeader(&'static str),
    #[error("header {0} appears more than once")]
    DuplicateHeader(&'static str),
    #[error("header {0} is not valid")]
    BadHeader(&'static str),
    #[error("webhook-timestamp is more than 5 minutes old")]
    TooOld,
    #[error("webhook-timestamp is more than 5 minutes in the future")]
    InFuture,
    #[error("no v1 signature matches")]
    NoMatch,
}

/// A Standard Webhooks signing secret. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct SigningSecret {
    key: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a Standard Webhooks secret is \"whsec_\" followed by base64")]
pub struct BadSecret;

impl SigningSecret {
    pub fn parse(raw: &str) -> Result<Self, BadSecret> {
        let encoded = raw.strip_prefix(SECRET_PREFIX).unwrap_or(raw);
        let key = STANDARD.decode(encoded).map_err(|_| BadSecret)?;
        if key.is_empty() {
            return Err(BadSecret);
        }
        Ok(SigningSecret { key })
    }

    /// The base64 signature of one delivery, without the `v1,` prefix.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        STANDARD.encode(mac.finalize().into_bytes())
    }
}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSecret(<redacted>)")
    }
}

/// What a verified delivery tells us besides its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedDelivery {
    pub id: WebhookId,
    pub timestamp: DateTime<Utc>,
}

/// The one value of header `name`: missing, repeated or unreadable, it is refused.
pub fn single_header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, SignatureError> {
    let mut values = headers.get_all(name).iter();
    let first = values.next().ok_or(SignatureError::MissingHeader(name))?;
    if values.next().is_some() {
        return Err(SignatureError::DuplicateHeader(name));
    }
    first.to_str().map_err(|_| SignatureError::BadHeader(name))
}

/// Verifies a delivery against any of the connection's current secrets.
pub fn verify(
    secrets: &[SigningSecret],
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<VerifiedDelivery, SignatureError> {
    let id = single_header(headers, "webhook-id")?;
    let timestamp = single_header(headers, "webhook-timestamp")?;
    let signatures = single_header(headers, "webhook-signature")?;

    let id = WebhookId::parse(id).map_err(|_| SignatureError::BadHeader("webhook-id"))?;
    let seconds: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadHeader("webhook-timestamp"))?;
    let age = now.timestamp().saturating_sub(seconds);
    if age > TOLERANCE_SECONDS {
        return Err(SignatureError::TooOld);
    }
    if age < -TOLERANCE_SECONDS {
        return Err(SignatureError::InFuture);
    }

    let offered: Vec<&str> = signatures
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .collect();
    let matched = secrets.iter().any(|secret| {
        let expected = secret.sign(id.as_str(), seconds, body);
        offered
            .iter()
            .any(|candidate| bool::from(candidate.as_bytes().ct_eq(expected.as_bytes())))
    });
    if !matched {
        return Err(SignatureError::NoMatch);
    }
    let timestamp = DateTime::from_timestamp(seconds, 0).ok_or(SignatureError::BadHeader("webhook-timestamp"))?;
    Ok(VerifiedDelivery { id, timestamp })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    // The example from the Standard Webhooks specification's reference test suite.
    const SPEC_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const SPEC_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const SPEC_TS: i64 = 1614265330;
    const SPEC_BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SPEC_SIGNATURE: &str = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn headers(id: &str, ts: i64, sig: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("webhook-id", HeaderValue::from_str(id).unwrap());
        h.insert("webhook-timestamp", HeaderValue::from_str(&ts.to_string()).unwrap());
        h.insert("webhook-signature", HeaderValue::from_str(sig).unwrap());
        h
    }

    fn at(ts: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(ts, 0).unwrap()
    }

    fn secret() -> Vec<SigningSecret> {
        vec![SigningSecret::parse(SPEC_SECRET).unwrap()]
    }

    #[test]
    fn signs_like_the_specification() {
        let s = SigningSecret::parse(SPEC_SECRET).unwrap();
        assert_eq!(s.sign(SPEC_ID, SPEC_TS, SPEC_BODY), SPEC_SIGNATURE);
    }

    #[test]
    fn accepts_the_specification_example() {
        let h = headers(SPEC_ID, SPEC_TS, &format!("v1,{SPEC_SIGNATURE}"));
        let v = verify(&secret(), &h, SPEC_BODY, at(SPEC_TS + 10)).unwrap();
        assert_eq!(v.id.as_str(), SPEC_ID);
    }

    #[test]
    fn accepts_any_matching_v1_entry_and_ignores_other_versions() {
        let sig = format!("v1a,whatever v1,bm90IHRoaXMgb25l v1,{SPEC_SIGNATURE}");
        let h = headers(SPEC_ID, SPEC_TS, &sig);
        assert!(verify(&secret(), &h, SPEC_BODY, at(SPEC_TS)).is_ok());
        let only_other_versions = headers(SPEC_ID, SPEC_TS, &format!("v2,{SPEC_SIGNATURE}"));
        assert_eq!(
            verify(&secret(), &only_other_versions, SPEC_BODY, at(SPEC_TS)),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn accepts_either_secret_during_rotation() {
        let old = SigningSecret::parse("whsec_c2VjcmV0LW9uZQ==").unwrap();
        let both = vec![old, SigningSecret::parse(SPEC_SECRET).unwrap()];
        let h = headers(SPEC_ID, SPEC_TS, &format!("v1,{SPEC_SIGNATURE}"));
        assert!(verify(&both, &h, SPEC_BODY, at(SPEC_TS)).is_ok());
    }

    #[test]
    fn rejects_a_changed_body_id_or_timestamp() {
        let sig = format!("v1,{SPEC_SIGNATURE}");
        let h = headers(SPEC_ID, SPEC_TS, &sig);
        assert_eq!(
            verify(&secret(), &h, br#"{"test": 2432232315}"#, at(SPEC_TS)),
            Err(SignatureError::NoMatch)
        );
        let other_id = headers("msg_other", SPEC_TS, &sig);
        assert_eq!(
            verify(&secret(), &other_id, SPEC_BODY, at(SPEC_TS)),
            Err(SignatureError::NoMatch)
        );
        let other_ts = headers(SPEC_ID, SPEC_TS + 1, &sig);
        assert_eq!(
            verify(&secret(), &other_ts, SPEC_BODY, at(SPEC_TS)),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn rejects_a_signature_that_differs_only_in_padding_bits() {
        // The last base64 character before '=' carries 2 unused bits: 'E' and 'F' decode to the same bytes
        // under a lenient decoder.
        let tampered = SPEC_SIGNATURE.replace("1OE=", "1OF=");
        assert_ne!(tampered, SPEC_SIGNATURE);
        let h = headers(SPEC_ID, SPEC_TS, &format!("v1,{tampered}"));
        assert_eq!(
            verify(&secret(), &h, SPEC_BODY, at(SPEC_TS)),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn an_empty_v1_entry_never_verifies() {
        let h = headers(SPEC_ID, SPEC_TS, "v1,");
        assert_eq!(
            verify(&secret(), &h, SPEC_BODY, at(SPEC_TS)),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn enforces_the_tolerance_both_ways() {
        let h = headers(SPEC_ID, SPEC_TS, &format!("v1,{SPEC_SIGNATURE}"));
        assert!(verify(&secret(), &h, SPEC_BODY, at(SPEC_TS + 300)).is_ok());
        assert!(verify(&secret(), &h, SPEC_BODY, at(SPEC_TS - 300)).is_ok());
        assert_eq!(
            verify(&secret(), &h, SPEC_BODY, at(SPEC_TS + 301)),
            Err(SignatureError::TooOld)
        );
        assert_eq!(
            verify(&secret(), &h, SPEC_BODY, at(SPEC_TS - 301)),
            Err(SignatureError::InFuture)
        );
    }

    #[test]
    fn reports_missing_and_duplicated_headers() {
        let mut h = headers(SPEC_ID, SPEC_TS, &format!("v1,{SPEC_SIGNATURE}"));
        h.remove("webhook-timestamp");
        assert_eq!(
            verify(&secret(), &h, SPEC_BODY, at(SPEC_TS)),
            Err(SignatureError::MissingHeader("webhook-timestamp"))
        );
        let mut h = headers(SPEC_ID, SPEC_TS, &format!("v1,{SPEC_SIGNATURE}"));
        h.append("webhook-id", HeaderValue::from_static("msg_second"));
        assert_eq!(
            verify(&secret(), &h, SPEC_BODY, at(SPEC_TS)),
            Err(SignatureError::DuplicateHeader("webhook-id"))
        );
        let h = headers(SPEC_ID, SPEC_TS, &format!("v1,{SPEC_SIGNATURE}"));
        let mut bad_ts = h.clone();
        bad_ts.insert("webhook-timestamp", HeaderValue::from_static("yesterday"));
        assert_eq!(
            verify(&secret(), &bad_ts, SPEC_BODY, at(SPEC_TS)),
            Err(SignatureError::BadHeader("webhook-timestamp"))
        );
    }

    #[test]
    fn secrets_need_base64_and_hide_in_debug() {
        assert_eq!(SigningSecret::parse("whsec_!!!").unwrap_err(), BadSecret);
        assert_eq!(SigningSecret::parse("whsec_").unwrap_err(), BadSecret);
        let s = SigningSecret::parse(SPEC_SECRET).unwrap();
        assert!(!format!("{s:?}").contains("MfKQ"));
    }
}
