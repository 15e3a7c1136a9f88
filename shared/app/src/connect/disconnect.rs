//! A creditor disconnecting a platform: deliveries to the connection are refused at once, reminders stop
//! until it is connected again (they would be about a ledger Duly no longer sees), and Duly's access is
//! revoked at the platform by the sync function, the only one that may open the sealed credentials.

use chrono::{DateTime, Utc};

use duly_adapters::store::{Store, StoreError, TenantLink};
use duly_core::model::ids::{ConnectionId, CreditorId};
use duly_core::model::{Disconnection, Platform};

use super::ConnectError;

/// What was disconnected, and whether a revocation at the platform follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disconnected {
    pub platform: Platform,
    pub revocation_follows: bool,
}

pub async fn disconnect(
    store: &Store,
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
    let segment = platform.path_segment();
    // Xero and QuickBooks grants are revoked with their refresh token; a Stripe key is the creditor's to
    // roll, so it is simply forgotten.
    let revocation_follows = connection.credentials.is_some()
        && matches!(platform, Platform::Xero | Platform::QuickBooks)
        && connection.tenant.is_some();
    connection.active = false;
    connection.revoke_pending = revocation_follows;
    if !revocation_follows {
        connection.credentials = None;
    }
    store.put_connection(&connection).await?;
    // The organisation opens nobody's account any more: a marketplace launch for it finds no link.
    if let Some(tenant) = &connection.tenant {
        store.unlink_tenant(segment, tenant, id).await?;
    }
    if let (true, Some(tenant)) = (revocation_follows, &connection.tenant) {
        let link = TenantLink {
            creditor: creditor.clone(),
            connection: id.clone(),
        };
        store.schedule_revocation(&link, segment, tenant, now).await?;
    }
    store.mark_disconnected(creditor, id, segment, now).await?;
    store
        .change_creditor(creditor, |profile| {
            profile.disconnected = Some(Disconnection {
                platform: segment.into(),
                at: now,
            });
            Ok::<(), StoreError>(())
        })
        .await?;
    tracing::info!(connection = %id, platform = segment, revocation_follows, "disconnected");
    Ok(Disconnected {
        platform,
        revocation_follows,
    })
}
