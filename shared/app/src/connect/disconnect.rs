//! A creditor disconnecting a platform: Duly's access is revoked at the platform, the sealed credentials
//! are dropped, deliveries to the connection are refused, and reminders stop until it is connected again
//! (they would be about a ledger Duly no longer sees).

use chrono::{DateTime, Utc};

use duly_adapters::store::{Store, StoreError};
use duly_adapters::vault::Vault;
use duly_core::model::ids::{ConnectionId, CreditorId};
use duly_core::model::{Disconnection, Platform};

use super::{ConnectError, Platforms};

/// What was disconnected, and whether the platform confirmed the revocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disconnected {
    pub platform: Platform,
    pub revoked_at_platform: bool,
}

pub async fn disconnect(
    store: &Store,
    vault: &Vault,
    platforms: &Platforms,
    creditor: &CreditorId,
    id: &ConnectionId,
    now: DateTime<Utc>,
) -> Result<Disconnected, ConnectError> {
    // Another creditor's connection answers as a missing one.
    let mut connection = store
        .get_connection(id)
        .await?
        .filter(|c| c.creditor_id == *creditor)
        .ok_or(ConnectError::UnknownConnection)?;
    let platform = connection.platform;
    let mut revoked_at_platform = false;
    if let (Some(sealed), Platform::Xero | Platform::QuickBooks) = (&connection.credentials, platform) {
        let api = &platforms.oauth(platform)?.api;
        match vault.open(id, creditor, sealed).await {
            Ok(credentials) => {
                if let Some(tokens) = credentials.oauth() {
                    match api.revoke(&tokens.refresh_token).await {
                        Ok(()) => revoked_at_platform = true,
                        // Disconnecting goes on: the credentials are dropped here whatever the platform says.
                        Err(e) => tracing::warn!(error = %e, "the platform did not confirm the revocation"),
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "credentials could not be opened to revoke them"),
        }
    }
    connection.active = false;
    connection.credentials = None;
    store.put_connection(&connection).await?;
    store
        .mark_disconnected(creditor, id, platform.path_segment(), now)
        .await?;
    store
        .change_creditor(creditor, |profile| {
            profile.disconnected = Some(Disconnection {
                platform: platform.path_segment().into(),
                at: now,
            });
            Ok::<(), StoreError>(())
        })
        .await?;
    tracing::info!(connection = %id, platform = platform.path_segment(), revoked_at_platform, "disconnected");
    Ok(Disconnected {
        platform,
        revoked_at_platform,
    })
}
