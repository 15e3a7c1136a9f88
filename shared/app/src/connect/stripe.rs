//! Connecting Stripe with a restricted key and the webhook endpoint's signing secret.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use duly_adapters::platforms::PlatformApi;
use duly_adapters::store::Store;
use duly_adapters::vault::{Credentials, Vault};
use duly_core::model::ids::CreditorId;
use duly_core::model::Platform;

use super::{link, platform_error, ConnectError, Connected};

/// What a creditor gives to connect Stripe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StripeKeys {
    /// A restricted key (`rk_…`) with read access to invoices and events.
    pub api_key: String,
    /// The webhook endpoint's signing secret, `whsec_…`.
    pub webhook_secret: String,
}

#[derive(Deserialize)]
struct StripeAccount {
    id: String,
    #[serde(default)]
    settings: Option<serde_json::Value>,
}

/// Connects Stripe with a key that is checked against `GET /v1/account` before anything is stored.
pub async fn connect_stripe(
    store: &Store,
    vault: &Vault,
    stripe: &PlatformApi,
    creditor: CreditorId,
    keys: StripeKeys,
    now: DateTime<Utc>,
) -> Result<Connected, ConnectError> {
    let key_ok = ["rk_live_", "rk_test_", "sk_live_", "sk_test_"]
        .iter()
        .any(|p| keys.api_key.starts_with(p))
        && keys.api_key.len() <= 255
        && keys.api_key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !key_ok {
        return Err(ConnectError::Invalid("api_key must be a Stripe key (rk_live_…)".into()));
    }
    let secret_ok =
        keys.webhook_secret.starts_with("whsec_") && keys.webhook_secret.len() > 10 && keys.webhook_secret.len() <= 255;
    if !secret_ok {
        return Err(ConnectError::Invalid(
            "webhook_secret must be the endpoint's signing secret (whsec_…)".into(),
        ));
    }
    let body = stripe
        .stripe_list(&keys.api_key, "account", &[])
        .await
        .map_err(platform_error)?;
    let account: StripeAccount =
        serde_json::from_slice(&body).map_err(|e| ConnectError::Platform(format!("account: {e}")))?;
    let name = account
        .settings
        .as_ref()
        .and_then(|s| s.pointer("/dashboard/display_name"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    link(
        store,
        vault,
        Platform::Stripe,
        Some(creditor),
        &account.id,
        name,
        Credentials::ApiKey { key: keys.api_key },
        vec![keys.webhook_secret],
        now,
    )
    .await
}
