//! Grants from the web app: the connect function uses one up and acts for its creditor, for its purpose
//! only.

use chrono::{DateTime, Duration, Utc};

use duly_adapters::store::{Store, StoreError};
use duly_core::model::ids::CreditorId;
use duly_core::model::tokens::fingerprint;
use duly_core::web::grant::{Grant, GRANT_MINUTES};
use duly_core::web::Session;

use super::ConnectError;

/// Mints a grant for `creditor` (the web app does, for the session's creditor); the token to carry.
pub async fn mint(
    store: &Store,
    creditor: &CreditorId,
    grant: &Grant,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let token = Session::link_token();
    store
        .put_grant(
            &fingerprint(&token),
            creditor,
            &grant.encode(),
            now + Duration::minutes(GRANT_MINUTES),
        )
        .await?;
    Ok(token)
}

/// Uses a grant up; its creditor when it was minted for `wanted` (a disconnect grant names its
/// connection, which the caller checks).
pub async fn take(store: &Store, token: &str, now: DateTime<Utc>) -> Result<(CreditorId, Grant), ConnectError> {
    if !Session::well_formed(token) {
        return Err(ConnectError::UnknownGrant);
    }
    let (creditor, purpose) = store
        .take_grant(&fingerprint(token), now)
        .await?
        .ok_or(ConnectError::UnknownGrant)?;
    let grant = Grant::parse(&purpose).ok_or(ConnectError::UnknownGrant)?;
    Ok((creditor, grant))
}
