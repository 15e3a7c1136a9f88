//! Connecting Stripe with a restricted key and the webhook endpoint's signing secret.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use duly_adapters::platforms::PlatformApi;
use duly_adapters::store::Store;
use duly_adapters::vault::{Credentials, Vault};
use duly_core::model::ids::CreditorId;
use duly_core::model::Platform;
use duly_core::platforms::onboarding::stripe_account;
use duly_core::platforms::stripe_keys::check_keys;

use super::{link, platform_error, ConnectError, Connected};

/// What a creditor gives to connect Stripe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StripeKeys {
    /// A restricted key (`rk_…`) with read access to invoices and events; full secret keys are refused.
    pub api_key: String,
    /// The webhook endpoint's signing secret, `whsec_…`.
    pub webhook_secret: String,
}

#[derive(Deserialize)]
struct StripeAccount {
    id: String,
}

/// Connects Stripe with a key that is checked against `GET /v1/account` before anything is stored. With no
/// creditor, the account signs a new one up, starting from the account's country, currency and name.
pub async fn connect_stripe(
    store: &Store,
    vault: &Vault,
    stripe: &PlatformApi,
    creditor: Option<CreditorId>,
    keys: StripeKeys,
    now: DateTime<Utc>,
) -> Result<Connected, ConnectError> {
    check_keys(&keys.api_key, &keys.webhook_secret).map_err(|refusal| ConnectError::Invalid(refusal.to_string()))?;
    let body = stripe
        .stripe_list(&keys.api_key, "account", &[])
        .await
        .map_err(platform_error)?;
    let account: StripeAccount =
        serde_json::from_slice(&body).map_err(|e| ConnectError::Platform(format!("account: {e}")))?;
    let organisation = stripe_account(&body).map_err(|e| ConnectError::Platform(format!("account: {e}")))?;
    link(
        store,
        vault,
        Platform::Stripe,
        creditor,
        &account.id,
        Some(organisation.name.clone()),
        &organisation,
        Credentials::ApiKey { key: keys.api_key },
        vec![keys.webhook_secret],
        now,
    )
    .await
}
