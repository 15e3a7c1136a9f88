//! Fetching what thin notices name: the second half of "acknowledge first, fetch after". Jobs are read
//! from the sparse sync index, fetched from the platform per connection, and applied through the same
//! ledger path as webhooks; a job is removed only after its facts are applied, and only if no newer notice
//! arrived meanwhile. A platform that is down or rate-limited delays the sync and loses nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::canonical::{Fact, InvoiceFact};
use crate::ids::WebhookId;
use crate::ingest::apply_fact;
use crate::model::{Connection, OAuthTokens};
use crate::platforms::quickbooks;
use crate::platforms::xero::{contacts_from_response, invoices_from_response};
use crate::platforms::xero_api::{ApiError, PlatformApi, XeroApi, INVOICES_PER_REQUEST};
use crate::store::{Store, StoreError, SyncJob};

/// Attempts before a job becomes a dead letter (kept, with its last error, for the creditor to see).
pub const MAX_ATTEMPTS: u32 = 12;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub jobs: usize,
    pub applied: usize,
    pub retried: usize,
    pub dead: usize,
    /// Jobs of platforms this fetcher does not serve yet; they wait.
    pub waiting: usize,
}

/// Exponential from one minute, at most six hours.
fn backoff(attempts: u32) -> Duration {
    Duration::minutes(1i64 << attempts.min(9)).min(Duration::hours(6))
}

fn sync_id(job: &SyncJob) -> Result<WebhookId, StoreError> {
    let stamp: String = job.noticed_at.chars().filter(char::is_ascii_alphanumeric).collect();
    WebhookId::parse(format!("sync:{}:{}:{stamp}", job.entity, job.resource_id))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The platform APIs the fetcher reads.
#[derive(Debug, Clone)]
pub struct Apis {
    pub xero: XeroApi,
    pub quickbooks: PlatformApi,
}

pub async fn run(store: &Store, apis: &Apis, now: DateTime<Utc>) -> Result<SyncReport, StoreError> {
    let jobs = store.due_sync_jobs(now).await?;
    let mut report = SyncReport {
        jobs: jobs.len(),
        ..SyncReport::default()
    };
    let mut groups: BTreeMap<(String, String), Vec<SyncJob>> = BTreeMap::new();
    for job in jobs {
        groups
            .entry((job.creditor.to_string(), job.connection.to_string()))
            .or_default()
            .push(job);
    }
    for group in groups.into_values() {
        let api = match group[0].platform.as_str() {
            "xero" => &apis.xero,
            "quickbooks" => &apis.quickbooks,
            _ => {
                report.waiting += group.len();
                continue;
            }
        };
        let connection = store.get_connection(&group[0].connection).await?;
        let result = match connection.filter(|c| c.active && c.oauth.is_some()) {
            Some(connection) if group[0].platform == "xero" => sync_xero(store, api, connection, &group, now).await,
            Some(connection) => sync_quickbooks(store, api, connection, &group, now).await,
            None => Err(ApiError::Rejected(410)),
        };
        if matches!(result, Err(ApiError::Rejected(401))) {
            disconnect(store, &group[0], now).await?;
        }
        match result {
            Ok(applied) => report.applied += applied,
            Err(error) => {
                for job in &group {
                    let give_up = job.attempts + 1 >= MAX_ATTEMPTS || matches!(error, ApiError::Rejected(_));
                    let at = match (&error, give_up) {
                        (_, true) => None,
                        (ApiError::RateLimited(wait), _) => {
                            Some(now + Duration::from_std(*wait).unwrap_or(Duration::minutes(1)))
                        }
                        _ => Some(now + backoff(job.attempts)),
                    };
                    if at.is_some() {
                        report.retried += 1;
                    } else {
                        report.dead += 1;
                    }
                    store.retry_sync_job(job, at, &error.to_string()).await?;
                }
                tracing::warn!(error = %error, jobs = group.len(), "platform fetch deferred");
            }
        }
    }
    Ok(report)
}

/// The creditor revoked Duly's access on the platform: the connection stops, and so do the reminders,
/// which say why.
async fn disconnect(store: &Store, job: &SyncJob, now: DateTime<Utc>) -> Result<(), StoreError> {
    if let Some(mut connection) = store.get_connection(&job.connection).await? {
        connection.active = false;
        connection.oauth = None;
        store.put_connection(&connection).await?;
    }
    if let Some(mut creditor) = store.get_creditor(&job.creditor).await? {
        creditor.disconnected = Some(crate::model::Disconnection {
            platform: job.platform.clone(),
            at: now,
        });
        store.put_creditor(&creditor).await?;
    }
    tracing::warn!(platform = %job.platform, "connection revoked; reminders stop for the creditor");
    Ok(())
}

/// A fresh access token: refreshed ahead of expiry, and stored at once (Xero rotates refresh tokens).
async fn fresh_tokens(
    store: &Store,
    xero: &XeroApi,
    connection: &mut Connection,
    now: DateTime<Utc>,
    force: bool,
) -> Result<String, ApiError> {
    let tokens = connection.oauth.clone().ok_or(ApiError::Rejected(410))?;
    if !force && tokens.expires_at > now + Duration::minutes(1) {
        return Ok(tokens.access_token);
    }
    let renewed: OAuthTokens = xero.refresh(&tokens.refresh_token, now).await.map_err(|e| match e {
        // A refresh token that no longer works means the creditor disconnected Duly.
        ApiError::Unauthorized | ApiError::Rejected(_) => ApiError::Rejected(401),
        other => other,
    })?;
    connection.oauth = Some(renewed.clone());
    store
        .put_connection(connection)
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(renewed.access_token)
}

async fn with_token<T, F, Fut>(
    store: &Store,
    xero: &XeroApi,
    connection: &mut Connection,
    now: DateTime<Utc>,
    call: F,
) -> Result<T, ApiError>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    let token = fresh_tokens(store, xero, connection, now, false).await?;
    match call(token).await {
        Err(ApiError::Unauthorized) => {
            let token = fresh_tokens(store, xero, connection, now, true).await?;
            call(token).await
        }
        other => other,
    }
}

/// Applies fetched facts, then removes the jobs they answer.
async fn apply_and_finish(
    store: &Store,
    connection: &Connection,
    facts: &[(&SyncJob, Fact)],
    jobs: &[SyncJob],
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let store_error = |e: StoreError| ApiError::Unavailable(e.to_string());
    for (job, fact) in facts {
        let id = sync_id(job).map_err(store_error)?;
        apply_fact(store, connection, &id, fact, now)
            .await
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    }
    // Credit notes show up as updates of the invoices they are allocated to; their own notices need no fetch.
    for job in jobs {
        store.finish_sync_job(job).await.map_err(store_error)?;
    }
    Ok(facts.len())
}

async fn sync_quickbooks(
    store: &Store,
    api: &PlatformApi,
    mut connection: Connection,
    jobs: &[SyncJob],
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let realm = jobs[0].tenant.clone();
    let home = connection
        .home_currency
        .unwrap_or_else(|| crate::money::Currency::parse("EUR").expect("EUR is known"));
    let fetch = |entity: &'static str, id: String| {
        let realm = realm.clone();
        move |token: String| {
            let (realm, id) = (realm.clone(), id.clone());
            async move { api.quickbooks(&token, &realm, entity, &id).await }
        }
    };
    // Invoices to fetch, each with the job that named it (a payment names the invoices it pays).
    let mut invoices: Vec<(String, &SyncJob)> = Vec::new();
    for job in jobs {
        match job.entity.as_str() {
            "invoice" => invoices.push((job.resource_id.clone(), job)),
            "payment" => {
                let body = with_token(
                    store,
                    api,
                    &mut connection,
                    now,
                    fetch("payment", job.resource_id.clone()),
                )
                .await?;
                for id in quickbooks::invoices_paid_by(&body).map_err(|_| ApiError::Rejected(502))? {
                    invoices.push((id, job));
                }
            }
            _ => {}
        }
    }
    invoices.sort_by(|a, b| a.0.cmp(&b.0));
    invoices.dedup_by(|a, b| a.0 == b.0);
    let mut facts: Vec<(&SyncJob, Fact)> = Vec::new();
    for (id, job) in invoices {
        let body = with_token(store, api, &mut connection, now, fetch("invoice", id)).await?;
        let snapshot = quickbooks::invoice_from_response(&body, home).map_err(|_| ApiError::Rejected(502))?;
        facts.push((job, Fact::Invoice(InvoiceFact::Upserted(snapshot))));
    }
    for job in jobs.iter().filter(|j| j.entity == "contact") {
        let body = with_token(
            store,
            api,
            &mut connection,
            now,
            fetch("customer", job.resource_id.clone()),
        )
        .await?;
        let contact = quickbooks::customer_from_response(&body).map_err(|_| ApiError::Rejected(502))?;
        facts.push((job, Fact::ContactUpdated(contact)));
    }
    apply_and_finish(store, &connection, &facts, jobs, now).await
}

async fn sync_xero(
    store: &Store,
    xero: &XeroApi,
    mut connection: Connection,
    jobs: &[SyncJob],
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let tenant = jobs[0].tenant.clone();
    let mut facts: Vec<(&SyncJob, Fact)> = Vec::new();
    let invoice_jobs: Vec<&SyncJob> = jobs.iter().filter(|j| j.entity == "invoice").collect();
    for batch in invoice_jobs.chunks(INVOICES_PER_REQUEST) {
        let ids: Vec<String> = batch.iter().map(|j| j.resource_id.clone()).collect();
        let body = with_token(store, xero, &mut connection, now, |token| {
            let (ids, tenant) = (ids.clone(), tenant.clone());
            async move { xero.invoices(&token, &tenant, &ids).await }
        })
        .await?;
        let snapshots = invoices_from_response(&body).map_err(|_| ApiError::Rejected(502))?;
        for snapshot in snapshots {
            if let Some(job) = batch.iter().find(|j| j.resource_id == snapshot.invoice_id.as_str()) {
                facts.push((job, Fact::Invoice(InvoiceFact::Upserted(snapshot))));
            }
        }
    }
    for job in jobs.iter().filter(|j| j.entity == "contact") {
        let body = with_token(store, xero, &mut connection, now, |token| {
            let (id, tenant) = (job.resource_id.clone(), tenant.clone());
            async move { xero.contact(&token, &tenant, &id).await }
        })
        .await?;
        for contact in contacts_from_response(&body).map_err(|_| ApiError::Rejected(502))? {
            facts.push((job, Fact::ContactUpdated(contact)));
        }
    }
    apply_and_finish(store, &connection, &facts, jobs, now).await
}
