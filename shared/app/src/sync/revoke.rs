//! Revoking Duly's access at the platform once the creditor disconnected: the connect function marks the
//! connection and asks for this job, because only the sync function may open the sealed credentials.

use duly_adapters::platforms::{ApiError, PlatformApi};
use duly_adapters::store::SyncJob;

use super::{unavailable, Sync, MAX_ATTEMPTS};

impl Sync<'_> {
    /// Revokes the refresh token of the group's connection, then drops the credentials and every job of
    /// the connection. A platform that is down is tried again with the usual backoff; at the last attempt,
    /// or when the platform refuses (the grant may be gone already), the credentials are dropped anyway.
    pub(super) async fn revoke(&self, api: &PlatformApi, jobs: &[SyncJob]) -> Result<usize, ApiError> {
        let job = jobs
            .iter()
            .find(|j| j.entity == duly_adapters::store::REVOKE)
            .unwrap_or(&jobs[0]);
        let connection = self.store.get_connection(&job.connection).await.map_err(unavailable)?;
        if let Some(mut connection) = connection.filter(|c| c.revoke_pending && !c.active) {
            if let Some(sealed) = &connection.credentials {
                let outcome = match self
                    .vault
                    .open(&connection.connection_id, &connection.creditor_id, sealed)
                    .await
                {
                    Ok(credentials) => match credentials.oauth() {
                        Some(tokens) => api.revoke(&tokens.refresh_token).await,
                        None => Ok(()),
                    },
                    Err(e) => Err(ApiError::Unavailable(e.to_string())),
                };
                match outcome {
                    Ok(()) => tracing::info!(platform = %job.platform, "access revoked at the platform"),
                    Err(e @ (ApiError::Unavailable(_) | ApiError::RateLimited(_)))
                        if job.attempts + 1 < MAX_ATTEMPTS =>
                    {
                        return Err(e)
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the platform did not revoke; the credentials are dropped anyway")
                    }
                }
            }
            connection.credentials = None;
            connection.revoke_pending = false;
            self.store.put_connection(&connection).await.map_err(unavailable)?;
        }
        for job in jobs {
            self.store.finish_sync_job(job).await.map_err(unavailable)?;
        }
        Ok(0)
    }
}
