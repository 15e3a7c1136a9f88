//! Identifiers that end up inside DynamoDB keys.
//!
//! Keys are built as `PREFIX#id#...`, so an identifier must never contain `#`; it is also limited in length
//! and alphabet so that a hostile payload cannot craft keys that collide with another creditor's items.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{kind} is empty")]
    Empty { kind: &'static str },
    #[error("{kind} is longer than {max} characters")]
    TooLong { kind: &'static str, max: usize },
    #[error("{kind} may only contain letters, digits and - _ . : @ characters")]
    BadCharacter { kind: &'static str },
}

const MAX_ID_LEN: usize = 128;

fn check(kind: &'static str, raw: &str) -> Result<(), IdError> {
    if raw.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if raw.len() > MAX_ID_LEN {
        return Err(IdError::TooLong { kind, max: MAX_ID_LEN });
    }
    if !raw
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'@'))
    {
        return Err(IdError::BadCharacter { kind });
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: impl Into<String>) -> Result<Self, IdError> {
                let raw = raw.into();
                check($kind, &raw)?;
                Ok(Self(raw))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(raw: String) -> Result<Self, IdError> {
                Self::parse(raw)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A company that uses Duly to remind its own customers.
    CreditorId,
    "creditor id"
);
id_type!(
    /// One link between a creditor and a platform; it names the webhook URL and holds its secret.
    ConnectionId,
    "connection id"
);
id_type!(
    /// The platform's own id of an invoice, unique within one creditor.
    InvoiceId,
    "invoice id"
);
id_type!(
    /// The platform's own id of a customer (contact) of the creditor.
    DebtorId,
    "debtor id"
);
id_type!(
    /// The platform's id of a payment or a credit note.
    SettlementId,
    "settlement id"
);
id_type!(
    /// The sender's delivery id; the same delivery retried carries the same id.
    WebhookId,
    "webhook id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_platform_ids() {
        for ok in ["in_1Nx", "8f0e2c1a-7b9d-4a55-9d1e-0c4f1e2d3b4a", "130", "msg_2Xa:1.b@x"] {
            assert!(InvoiceId::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_key_separators_and_junk() {
        assert_eq!(InvoiceId::parse(""), Err(IdError::Empty { kind: "invoice id" }));
        assert!(matches!(InvoiceId::parse("a#b"), Err(IdError::BadCharacter { .. })));
        assert!(matches!(DebtorId::parse("x".repeat(129)), Err(IdError::TooLong { .. })));
        assert!(CreditorId::parse("ä").is_err());
    }

    #[test]
    fn deserialising_validates() {
        let bad: Result<CreditorId, _> = serde_json::from_str("\"a#b\"");
        assert!(bad.is_err());
        let good: CreditorId = serde_json::from_str("\"acme\"").unwrap();
        assert_eq!(good.as_str(), "acme");
    }
}
