//! One connection's credentials, opened once per run, with the access token renewed when needed.

use chrono::{DateTime, Duration, Utc};

use duly_adapters::platforms::{ApiError, PlatformApi};
use duly_adapters::store::Store;
use duly_adapters::vault::{Credentials, Vault, VaultError};
use duly_core::model::Connection;

use super::unavailable;

/// Online-invoice links one run fetches per connection: Xero allows 60 calls a minute per organisation,
/// and the run's other calls need some of them.
pub const PAY_LINKS_PER_RUN: u32 = 50;

/// One connection's credentials, opened once per run, with the token renewed when needed.
pub(super) struct Session<'a> {
    pub(super) store: &'a Store,
    pub(super) vault: &'a Vault,
    pub(super) api: &'a PlatformApi,
    pub(super) connection: Connection,
    pub(super) credentials: Credentials,
    pub(super) now: DateTime<Utc>,
    /// Pay links this run may still fetch one by one (Xero's online invoices), within the platform's
    /// rate limit; the rest are fetched by later runs.
    pub(super) pay_links_left: u32,
    /// QuickBooks' customer types by id, read once a run when a customer names one.
    pub(super) customer_types: Option<std::collections::HashMap<String, String>>,
    /// The creditor, read once a run when something needs it (a polled platform's zone, whether reminders
    /// attach the invoice).
    creditor: Option<duly_core::model::Creditor>,
}

impl<'a> Session<'a> {
    pub(super) async fn open(
        store: &'a Store,
        vault: &'a Vault,
        api: &'a PlatformApi,
        connection: Connection,
        now: DateTime<Utc>,
    ) -> Result<Session<'a>, ApiError> {
        let sealed = connection.credentials.as_ref().ok_or(ApiError::Rejected(410))?;
        let credentials = vault
            .open(&connection.connection_id, &connection.creditor_id, sealed)
            .await
            .map_err(|e| match e {
                VaultError::Unavailable(reason) => ApiError::Unavailable(reason),
                VaultError::Refused(_) => ApiError::Rejected(403),
            })?;
        Ok(Session {
            store,
            vault,
            api,
            connection,
            credentials,
            now,
            pay_links_left: PAY_LINKS_PER_RUN,
            customer_types: None,
            creditor: None,
        })
    }

    /// A usable access token: refreshed ahead of expiry, the rotated refresh token sealed and stored at once.
    pub(super) async fn token(&mut self, force: bool) -> Result<String, ApiError> {
        let tokens = match &self.credentials {
            Credentials::ApiKey { key } => return Ok(key.clone()),
            // Merit signs each request instead (see `merit_call`).
            Credentials::Merit { .. } => return Err(ApiError::Rejected(400)),
            Credentials::OAuth(tokens) => tokens.clone(),
        };
        if !force && tokens.expires_at > self.now + Duration::minutes(1) {
            return Ok(tokens.access_token);
        }
        let renewed = self.api.refresh(&tokens.refresh_token, self.now).await?;
        let credentials = Credentials::OAuth(renewed.clone());
        let sealed = self
            .vault
            .seal(
                &self.connection.connection_id,
                &self.connection.creditor_id,
                &credentials,
            )
            .await
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        self.connection.credentials = Some(sealed);
        self.store.put_connection(&self.connection).await.map_err(unavailable)?;
        self.credentials = credentials;
        Ok(renewed.access_token)
    }

    /// Calls the platform, renewing the token once if it was refused.
    pub(super) async fn call<T, F, Fut>(&mut self, call: F) -> Result<T, ApiError>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        let token = self.token(false).await?;
        match call(token).await {
            Err(ApiError::Unauthorized) if self.credentials.oauth().is_some() => {
                let token = self.token(true).await?;
                call(token).await
            }
            // An API key has nothing to renew: refused means the creditor rolled or deleted it.
            Err(ApiError::Unauthorized) => Err(ApiError::Revoked),
            other => other,
        }
    }

    /// The connection's creditor, read once a run.
    pub(super) async fn creditor(&mut self) -> Result<&duly_core::model::Creditor, ApiError> {
        if self.creditor.is_none() {
            let creditor = self
                .store
                .get_creditor(&self.connection.creditor_id)
                .await
                .map_err(unavailable)?
                .ok_or(ApiError::Rejected(410))?;
            self.creditor = Some(creditor);
        }
        Ok(self.creditor.as_ref().expect("read just now"))
    }

    /// The creditor's time zone.
    pub(super) async fn zone(&mut self) -> Result<chrono_tz::Tz, ApiError> {
        Ok(self.creditor().await?.time_zone)
    }

    pub(super) fn home_currency(&self) -> duly_core::model::money::Currency {
        self.connection
            .home_currency
            .unwrap_or_else(|| duly_core::model::money::Currency::parse("EUR").expect("EUR is known"))
    }
}
