//! Platform credentials (OAuth tokens, Stripe API keys) and webhook signing secrets, sealed with KMS before
//! they reach the table.
//!
//! The table is encrypted at rest as a whole; on top of that every connection's secrets are encrypted
//! client-side under a customer-managed key with the connection and its creditor as the encryption
//! context. So a role that may read the table (the scheduler, the settings API) still cannot read a token
//! or forge a webhook, and a sealed blob copied onto another connection's item does not open there.
//! Signing secrets carry `duly:purpose = webhook-signing` in their context as well: the ingest function
//! may open those and nothing else, and the connect and sync functions, which use credentials, cannot
//! open them. The key policy names the roles allowed to use the key at all.

use std::collections::HashMap;

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use duly_core::model::ids::{ConnectionId, CreditorId};
use duly_core::model::{OAuthTokens, Sealed};

/// What Duly holds to read a creditor's accounting data.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Credentials {
    /// Xero and QuickBooks Online: an access token and the refresh token that renews it.
    #[serde(rename = "oauth")]
    OAuth(OAuthTokens),
    /// Stripe: a restricted key that can read invoices and events.
    ApiKey { key: String },
    /// Merit: the company's API id and the key that signs each request, and which Merit it lives in.
    Merit {
        api_id: String,
        api_key: String,
        region: duly_core::platforms::merit::Region,
    },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::OAuth(tokens) => f.debug_tuple("OAuth").field(tokens).finish(),
            Credentials::ApiKey { .. } => f.write_str("ApiKey(..)"),
            Credentials::Merit { region, .. } => write!(f, "Merit({region:?}, ..)"),
        }
    }
}

impl Credentials {
    pub fn oauth(&self) -> Option<&OAuthTokens> {
        match self {
            Credentials::OAuth(tokens) => Some(tokens),
            Credentials::ApiKey { .. } | Credentials::Merit { .. } => None,
        }
    }

    /// When the access token expires; `None` for keys that do not.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.oauth().map(|t| t.expires_at)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// KMS throttled, timed out or failed: try again later.
    #[error("the key service is unavailable: {0}")]
    Unavailable(String),
    /// The blob does not open under this connection's context, or the key is disabled.
    #[error("the credentials cannot be opened: {0}")]
    Refused(String),
}

/// The encryption context binds a blob to one connection of one creditor.
fn context(connection: &ConnectionId, creditor: &CreditorId) -> HashMap<String, String> {
    HashMap::from([
        ("duly:connection".to_string(), connection.to_string()),
        ("duly:creditor".to_string(), creditor.to_string()),
    ])
}

/// The context of a connection's signing secrets, which the IAM policies tell apart by its purpose.
fn signing_context(connection: &ConnectionId, creditor: &CreditorId) -> HashMap<String, String> {
    let mut c = context(connection, creditor);
    c.insert(PURPOSE.to_string(), WEBHOOK_SIGNING.to_string());
    c
}

/// The encryption-context key the key's users are told apart by, and the value signing secrets carry.
pub const PURPOSE: &str = "duly:purpose";
pub const WEBHOOK_SIGNING: &str = "webhook-signing";

fn kms_error<E, R>(err: aws_sdk_kms::error::SdkError<E, R>) -> VaultError
where
    E: aws_sdk_kms::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    use aws_sdk_kms::error::SdkError;
    match &err {
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or("Unknown");
            if crate::retryable::transient(Some(code), None) {
                VaultError::Unavailable(code.to_string())
            } else {
                VaultError::Refused(code.to_string())
            }
        }
        _ => VaultError::Unavailable(err.to_string()),
    }
}

/// Seals and opens credentials with one KMS key; built once per cold start.
#[derive(Debug, Clone)]
pub struct Vault {
    client: aws_sdk_kms::Client,
    key_id: String,
}

impl Vault {
    /// The key this vault seals with.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn new(client: aws_sdk_kms::Client, key_id: impl Into<String>) -> Self {
        Vault {
            client,
            key_id: key_id.into(),
        }
    }

    pub async fn seal(
        &self,
        connection: &ConnectionId,
        creditor: &CreditorId,
        credentials: &Credentials,
    ) -> Result<Sealed, VaultError> {
        let plaintext = serde_json::to_vec(credentials).expect("credentials serialise");
        self.encrypt(plaintext, context(connection, creditor)).await
    }

    pub async fn open(
        &self,
        connection: &ConnectionId,
        creditor: &CreditorId,
        sealed: &Sealed,
    ) -> Result<Credentials, VaultError> {
        let plaintext = self.decrypt(sealed, context(connection, creditor)).await?;
        serde_json::from_slice(&plaintext).map_err(|_| VaultError::Refused("not credentials".into()))
    }

    /// Seals a connection's webhook signing secrets (two while one is rotated).
    pub async fn seal_signing_secrets(
        &self,
        connection: &ConnectionId,
        creditor: &CreditorId,
        secrets: &[String],
    ) -> Result<Sealed, VaultError> {
        let plaintext = serde_json::to_vec(secrets).expect("strings serialise");
        self.encrypt(plaintext, signing_context(connection, creditor)).await
    }

    pub async fn open_signing_secrets(
        &self,
        connection: &ConnectionId,
        creditor: &CreditorId,
        sealed: &Sealed,
    ) -> Result<Vec<String>, VaultError> {
        let plaintext = self.decrypt(sealed, signing_context(connection, creditor)).await?;
        serde_json::from_slice(&plaintext).map_err(|_| VaultError::Refused("not signing secrets".into()))
    }

    async fn encrypt(&self, plaintext: Vec<u8>, context: HashMap<String, String>) -> Result<Sealed, VaultError> {
        let out = self
            .client
            .encrypt()
            .key_id(&self.key_id)
            .plaintext(aws_smithy_types::Blob::new(plaintext))
            .set_encryption_context(Some(context))
            .send()
            .await
            .map_err(kms_error)?;
        let blob = out
            .ciphertext_blob()
            .ok_or_else(|| VaultError::Unavailable("KMS returned no ciphertext".into()))?;
        Ok(Sealed(base64::engine::general_purpose::STANDARD.encode(blob.as_ref())))
    }

    async fn decrypt(&self, sealed: &Sealed, context: HashMap<String, String>) -> Result<Vec<u8>, VaultError> {
        let blob = base64::engine::general_purpose::STANDARD
            .decode(&sealed.0)
            .map_err(|_| VaultError::Refused("not base64".into()))?;
        let out = self
            .client
            .decrypt()
            .key_id(&self.key_id)
            .ciphertext_blob(aws_smithy_types::Blob::new(blob))
            .set_encryption_context(Some(context))
            .send()
            .await
            .map_err(kms_error)?;
        let plaintext = out
            .plaintext()
            .ok_or_else(|| VaultError::Refused("KMS returned no plaintext".into()))?;
        Ok(plaintext.as_ref().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show_in_debug_output() {
        let oauth = Credentials::OAuth(OAuthTokens {
            access_token: "at-secret".into(),
            refresh_token: "rt-secret".into(),
            expires_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        });
        let key = Credentials::ApiKey {
            key: "rk_live_secret".into(),
        };
        let shown = format!("{oauth:?} {key:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("expires_at"));
    }

    #[test]
    fn credentials_round_trip_through_their_sealed_form() {
        let key = Credentials::ApiKey {
            key: "rk_test_1".into(),
        };
        let json = serde_json::to_string(&key).unwrap();
        assert_eq!(json, r#"{"kind":"api_key","key":"rk_test_1"}"#);
        assert_eq!(serde_json::from_str::<Credentials>(&json).unwrap(), key);
    }
}
