//! Creditor API tokens. Only a SHA-256 of each token is stored, so a table read does not reveal one.

use sha2::{Digest, Sha256};

const PREFIX: &str = "duly_";

/// A new random token; give it to the creditor once and store only [`fingerprint`] of it.
pub fn issue() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    format!("{PREFIX}{}", hex(&bytes))
}

/// What the table stores and looks tokens up by.
pub fn fingerprint(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Whether a presented string has the shape of a token, before any lookup.
pub fn well_formed(token: &str) -> bool {
    token
        .strip_prefix(PREFIX)
        .is_some_and(|rest| rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The token of an `Authorization: Bearer <token>` header, if it has a token's shape.
pub fn from_bearer(authorization: Option<&str>) -> Option<&str> {
    authorization
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| well_formed(t))
}

pub(crate) use crate::text::hex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_well_formed_and_stored_as_fingerprints() {
        let a = issue();
        let b = issue();
        assert_ne!(a, b);
        assert!(well_formed(&a));
        assert!(!well_formed("duly_xyz"));
        assert!(!well_formed(&a.replace("duly_", "other")));
        assert_eq!(fingerprint(&a).len(), 64);
        assert_ne!(fingerprint(&a), a);
        assert_eq!(from_bearer(Some(&format!("Bearer {a}"))), Some(a.as_str()));
        assert_eq!(from_bearer(Some(&a)), None, "the scheme is required");
        assert_eq!(from_bearer(Some("Bearer duly_xyz")), None);
        assert_eq!(from_bearer(None), None);
        assert_eq!(
            fingerprint("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
