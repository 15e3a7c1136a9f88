//! Connecting Merit Aktiva with the company's API id and key, which Merit shows under Settings → API
//! settings. Merit has no OAuth and no way to say which company a key belongs to, so a Merit connection
//! is made for a Duly account that exists (signed in, or through the app's Connections page).

use chrono::{DateTime, Utc};
use serde::Deserialize;

use duly_adapters::platforms::{MeritKeys, PlatformApi};
use duly_adapters::store::Store;
use duly_adapters::vault::{Credentials, Vault};
use duly_core::model::ids::CreditorId;
use duly_core::model::money::Currency;
use duly_core::model::Platform;
use duly_core::platforms::merit::{check_keys, KeyRefusal, Region};
use duly_core::platforms::onboarding::Organisation;

use super::{link, platform_error, ConnectError, Connected};

/// What a creditor gives to connect Merit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeritKeysGiven {
    pub api_id: String,
    pub api_key: String,
    /// `ee` (Merit Aktiva, the default), `fi` (Passeli Merit) or `pl` (360 Księgowość).
    #[serde(default)]
    pub region: String,
}

/// Connects Merit for `creditor` with keys checked against Merit before anything is stored: one signed
/// request for a customer that cannot exist, which Merit answers only when the signature is right.
pub async fn connect_merit(
    store: &Store,
    vault: &Vault,
    merit: &PlatformApi,
    creditor: CreditorId,
    given: MeritKeysGiven,
    now: DateTime<Utc>,
) -> Result<Connected, ConnectError> {
    let api_id = given.api_id.trim().to_ascii_lowercase();
    let api_key = given.api_key.trim().to_string();
    let region = Region::parse(&given.region).ok_or(ConnectError::Invalid(KeyRefusal::UnknownRegion.to_string()))?;
    check_keys(&api_id, &api_key).map_err(|refusal| ConnectError::Invalid(refusal.to_string()))?;
    let keys = MeritKeys {
        api_id: &api_id,
        api_key: &api_key,
        region,
    };
    let probe = serde_json::json!({"Id": "00000000-0000-0000-0000-000000000000"}).to_string();
    merit
        .merit_call(keys, "v1/getcustomers", &probe)
        .await
        .map_err(platform_error)?;
    let (country, currency) = match region {
        Region::Ee => ("EE", "EUR"),
        Region::Fi => ("FI", "EUR"),
        Region::Pl => ("PL", "PLN"),
    };
    // Used only for the connection's currency: the creditor exists already.
    let organisation = Organisation {
        name: "Merit".to_string(),
        legal_name: None,
        country: Some(country.to_string()),
        time_zone: None,
        currency: Currency::parse(currency).ok(),
        registration_number: None,
        tax_number: None,
        address: None,
        email: None,
    };
    link(
        store,
        vault,
        Platform::Merit,
        Some(creditor),
        &api_id,
        None,
        &organisation,
        Credentials::Merit {
            api_id: api_id.clone(),
            api_key,
            region,
        },
        Vec::new(),
        now,
    )
    .await
}
