//! A Standard Webhooks connection: Duly makes the signing secret, shows it once, and keeps it sealed; the
//! sender signs every delivery to `/webhooks/standard/{connection}` with it.

use base64::Engine;
use chrono::{DateTime, Utc};

use duly_adapters::store::{LinkedConnection, Store, StoreError};
use duly_adapters::vault::Vault;
use duly_core::model::ids::CreditorId;
use duly_core::model::{Connection, Platform};

use super::{new_connection_id, ConnectError};

/// A new connection and what its sender needs, shown once.
#[derive(Clone)]
pub struct StandardConnection {
    pub connection: duly_core::model::ids::ConnectionId,
    /// `whsec_` and 32 random bytes in base64, as the specification's senders expect.
    pub secret: String,
    /// Relative to the webhook (ingest) URL.
    pub webhook_path: String,
}

impl std::fmt::Debug for StandardConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandardConnection")
            .field("connection", &self.connection)
            .finish_non_exhaustive()
    }
}

/// Makes a Standard Webhooks connection for `creditor`, and lifts a disconnection of this kind.
pub async fn create_standard(
    store: &Store,
    vault: &Vault,
    creditor: &CreditorId,
    now: DateTime<Utc>,
) -> Result<StandardConnection, ConnectError> {
    if store.get_creditor(creditor).await?.is_none() {
        return Err(ConnectError::UnknownGrant);
    }
    // Standard Webhooks senders choose their own ids, and Duly keys them by creditor: two senders' customer
    // "1" would be one customer. Until ids are kept apart per connection, a creditor has one sender.
    if store
        .linked(creditor)
        .await?
        .iter()
        .any(|l| l.active && l.platform == Platform::StandardWebhooks.path_segment())
    {
        return Err(ConnectError::SecondCompany);
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("the operating system provides randomness");
    let secret = format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(key));
    let id = new_connection_id(Platform::StandardWebhooks);
    let sealed = vault
        .seal_signing_secrets(&id, creditor, std::slice::from_ref(&secret))
        .await?;
    store
        .put_connection(&Connection {
            connection_id: id.clone(),
            creditor_id: creditor.clone(),
            platform: Platform::StandardWebhooks,
            signing_secrets: Some(sealed),
            active: true,
            credentials: None,
            tenant: None,
            home_currency: None,
            revoke_pending: false,
        })
        .await?;
    store
        .put_linked(
            creditor,
            &LinkedConnection {
                connection: id.clone(),
                platform: Platform::StandardWebhooks.path_segment().into(),
                name: None,
                active: true,
                changed_at: now,
            },
        )
        .await?;
    store
        .change_creditor(creditor, |profile| {
            if profile.disconnected.as_ref().is_some_and(|d| d.platform == "standard") {
                profile.disconnected = None;
            }
            Ok::<(), StoreError>(())
        })
        .await?;
    tracing::info!(connection = %id, "standard webhooks connection made");
    Ok(StandardConnection {
        webhook_path: format!("/webhooks/standard/{id}"),
        connection: id,
        secret,
    })
}
