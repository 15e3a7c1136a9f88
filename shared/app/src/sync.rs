//! Fetching from the platforms: the second half of "acknowledge first, fetch after", and the daily
//! catch-up that heals anything a webhook missed.
//!
//! Jobs are read from the sparse sync index (or, for a stream of new notices, from the creditors the
//! stream names), fetched from the platform per connection, and applied through the same ledger path as
//! webhooks. A notice job is removed only after its facts are applied, and only if no newer notice
//! arrived meanwhile; a connection's reconciliation job is moved on to the next day instead. A platform
//! that is down or rate-limited delays the sync and loses nothing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};

use duly_adapters::platforms::{ApiError, PlatformApi, INVOICES_PER_REQUEST, QUICKBOOKS_CDC_DAYS, XERO_PAGE_SIZE};
use duly_adapters::store::{parse_ts, Store, StoreError, SyncJob, RECONCILE};
use duly_adapters::vault::{Credentials, Vault, VaultError};
use duly_core::model::ids::{CreditorId, InvoiceId, WebhookId};
use duly_core::model::Connection;
use duly_core::platforms::quickbooks::{self, Listed};
use duly_core::platforms::stripe;
use duly_core::platforms::xero::{contacts_from_response, invoices_from_response};
use duly_core::webhooks::canonical::{Fact, InvoiceFact, Void};

use crate::ingest::apply_fact;

/// Attempts before a notice job becomes a dead letter (kept, with its last error, for the creditor to see).
pub const MAX_ATTEMPTS: u32 = 12;
/// How often a connection is caught up.
pub const RECONCILE_EVERY_HOURS: i64 = 24;
/// Each catch-up starts this much before the previous one ended, for clock differences with the platform.
const RECONCILE_OVERLAP_MINUTES: i64 = 10;
/// Bounds one run's work per connection; a larger catch-up continues on the next run.
const MAX_PAGES: u32 = 50;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub jobs: usize,
    pub applied: usize,
    pub retried: usize,
    pub dead: usize,
    /// Jobs of platforms this fetcher does not serve; they wait.
    pub waiting: usize,
}

/// Exponential from one minute, at most six hours.
fn backoff(attempts: u32) -> Duration {
    Duration::minutes(1i64 << attempts.min(9)).min(Duration::hours(6))
}

fn fact_id(raw: String) -> Result<WebhookId, ApiError> {
    let raw: String = raw.chars().take(128).collect();
    WebhookId::parse(raw).map_err(|_| ApiError::Rejected(502))
}

/// A notice's facts are keyed by the notice, so the same notice fetched twice applies once.
fn notice_fact_id(job: &SyncJob) -> Result<WebhookId, ApiError> {
    let stamp: String = job.noticed_at.chars().filter(char::is_ascii_alphanumeric).collect();
    fact_id(format!("sync:{}:{}:{stamp}", job.entity, job.resource_id))
}

/// A reconciled resource is keyed by its own version, so finding it again in the next catch-up is a no-op.
fn observed_fact_id(fact: &Fact) -> Result<WebhookId, ApiError> {
    let (id, at) = match fact {
        Fact::ContactUpdated(c) => (c.debtor_id.to_string(), c.updated_at),
        Fact::Invoice(InvoiceFact::Upserted(s)) => (s.invoice_id.to_string(), s.updated_at),
        Fact::Invoice(InvoiceFact::Voided(v)) => (v.invoice_id.to_string(), v.voided_at),
        Fact::Invoice(InvoiceFact::Settled(s)) => (s.invoice_id.to_string(), s.at),
    };
    fact_id(format!("seen:{}:{id}:{}", fact.kind(), at.timestamp()))
}

/// The platform APIs the fetcher reads.
#[derive(Debug, Clone)]
pub struct Apis {
    pub xero: PlatformApi,
    pub quickbooks: PlatformApi,
    pub stripe: PlatformApi,
}

impl Apis {
    fn of(&self, platform: &str) -> Option<&PlatformApi> {
        match platform {
            "xero" => Some(&self.xero),
            "quickbooks" => Some(&self.quickbooks),
            "stripe" => Some(&self.stripe),
            _ => None,
        }
    }
}

/// What a sync run needs: the table, the key that opens credentials, and the platforms.
#[derive(Debug, Clone, Copy)]
pub struct Sync<'a> {
    pub store: &'a Store,
    pub vault: &'a Vault,
    pub apis: &'a Apis,
}

impl Sync<'_> {
    /// Every due job (the scheduled sweep).
    pub async fn run(&self, now: DateTime<Utc>) -> Result<SyncReport, StoreError> {
        let jobs = self.store.due_sync_jobs(now).await?;
        self.process(jobs, now).await
    }

    /// The due jobs of these creditors only (new notices, as the table's stream reports them).
    pub async fn run_for(
        &self,
        creditors: &BTreeSet<CreditorId>,
        now: DateTime<Utc>,
    ) -> Result<SyncReport, StoreError> {
        let jobs = self.store.due_sync_jobs_of(creditors, now).await?;
        self.process(jobs, now).await
    }

    async fn process(&self, jobs: Vec<SyncJob>, now: DateTime<Utc>) -> Result<SyncReport, StoreError> {
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
            let Some(api) = self.apis.of(&group[0].platform) else {
                report.waiting += group.len();
                continue;
            };
            let result = self.sync_connection(api, &group, now).await;
            if matches!(result, Err(ApiError::Rejected(401))) {
                disconnect(self.store, &group[0], now).await?;
            }
            match result {
                Ok(applied) => report.applied += applied,
                Err(error) => {
                    for job in &group {
                        let reconcile = job.entity == RECONCILE;
                        let give_up =
                            matches!(error, ApiError::Rejected(_)) || (!reconcile && job.attempts + 1 >= MAX_ATTEMPTS);
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
                        self.store.retry_sync_job(job, at, &error.to_string()).await?;
                    }
                    tracing::warn!(error = %error, jobs = group.len(), "platform fetch deferred");
                }
            }
        }
        Ok(report)
    }

    /// One connection's jobs: notices fetched, then the catch-up if it is due.
    async fn sync_connection(
        &self,
        api: &PlatformApi,
        jobs: &[SyncJob],
        now: DateTime<Utc>,
    ) -> Result<usize, ApiError> {
        let connection = self
            .store
            .get_connection(&jobs[0].connection)
            .await
            .map_err(unavailable)?
            .filter(|c| c.active)
            .ok_or(ApiError::Rejected(410))?;
        let mut session = Session::open(self.store, self.vault, api, connection, now).await?;
        let (notices, reconciliations): (Vec<&SyncJob>, Vec<&SyncJob>) =
            jobs.iter().partition(|j| j.entity != RECONCILE);
        let mut facts: Vec<(WebhookId, Fact)> = match jobs[0].platform.as_str() {
            "xero" => xero_notices(&mut session, &notices).await?,
            "quickbooks" => quickbooks_notices(&mut session, &notices).await?,
            _ => Vec::new(),
        };
        for job in &reconciliations {
            let since = job.since.as_deref().map(parse_ts).transpose().map_err(unavailable)?;
            let found = match job.platform.as_str() {
                "xero" => xero_changes(&mut session, &job.tenant, since).await?,
                "quickbooks" => quickbooks_changes(&mut session, &job.tenant, since).await?,
                _ => stripe_changes(&mut session, since).await?,
            };
            tracing::info!(platform = %job.platform, facts = found.len(), full = since.is_none(), "caught up");
            facts.extend(found);
        }
        let applied = facts.len();
        for (id, fact) in &facts {
            apply_fact(self.store, &session.connection, id, fact, now)
                .await
                .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        }
        // Credit notes show up as updates of the invoices they are allocated to; their own notices need no fetch.
        for job in notices {
            self.store.finish_sync_job(job).await.map_err(unavailable)?;
        }
        for job in reconciliations {
            let link = duly_adapters::store::TenantLink {
                creditor: job.creditor.clone(),
                connection: job.connection.clone(),
            };
            let since = now - Duration::minutes(RECONCILE_OVERLAP_MINUTES);
            let next = now + Duration::hours(RECONCILE_EVERY_HOURS);
            self.store
                .schedule_reconciliation(&link, &job.platform, &job.tenant, Some(since), next)
                .await
                .map_err(unavailable)?;
        }
        Ok(applied)
    }
}

fn unavailable(e: StoreError) -> ApiError {
    ApiError::Unavailable(e.to_string())
}

fn unreadable<E>(_: E) -> ApiError {
    // The platform answered with something its documentation does not describe.
    ApiError::Rejected(502)
}

/// The creditor revoked Duly's access on the platform: the connection stops, and so do the reminders,
/// which say why.
async fn disconnect(store: &Store, job: &SyncJob, now: DateTime<Utc>) -> Result<(), StoreError> {
    if let Some(mut connection) = store.get_connection(&job.connection).await? {
        connection.active = false;
        connection.credentials = None;
        store.put_connection(&connection).await?;
    }
    if let Some(mut creditor) = store.get_creditor(&job.creditor).await? {
        creditor.disconnected = Some(duly_core::model::Disconnection {
            platform: job.platform.clone(),
            at: now,
        });
        store.put_creditor(&creditor).await?;
    }
    tracing::warn!(platform = %job.platform, "connection revoked; reminders stop for the creditor");
    Ok(())
}

/// One connection's credentials, opened once per run, with the token renewed when needed.
struct Session<'a> {
    store: &'a Store,
    vault: &'a Vault,
    api: &'a PlatformApi,
    connection: Connection,
    credentials: Credentials,
    now: DateTime<Utc>,
}

impl<'a> Session<'a> {
    async fn open(
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
        })
    }

    /// A usable access token: refreshed ahead of expiry, the rotated refresh token sealed and stored at once.
    async fn token(&mut self, force: bool) -> Result<String, ApiError> {
        let tokens = match &self.credentials {
            Credentials::ApiKey { key } => return Ok(key.clone()),
            Credentials::OAuth(tokens) => tokens.clone(),
        };
        if !force && tokens.expires_at > self.now + Duration::minutes(1) {
            return Ok(tokens.access_token);
        }
        let renewed = self
            .api
            .refresh(&tokens.refresh_token, self.now)
            .await
            .map_err(|e| match e {
                // A refresh token that no longer works means the creditor disconnected Duly.
                ApiError::Unauthorized | ApiError::Rejected(_) => ApiError::Rejected(401),
                other => other,
            })?;
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
    async fn call<T, F, Fut>(&mut self, call: F) -> Result<T, ApiError>
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
            other => other,
        }
    }

    fn home_currency(&self) -> duly_core::model::money::Currency {
        self.connection
            .home_currency
            .unwrap_or_else(|| duly_core::model::money::Currency::parse("EUR").expect("EUR is known"))
    }
}

async fn xero_notices(session: &mut Session<'_>, jobs: &[&SyncJob]) -> Result<Vec<(WebhookId, Fact)>, ApiError> {
    let Some(first) = jobs.first() else {
        return Ok(Vec::new());
    };
    let (api, tenant) = (session.api, first.tenant.clone());
    let mut facts = Vec::new();
    let invoice_jobs: Vec<&&SyncJob> = jobs.iter().filter(|j| j.entity == "invoice").collect();
    for batch in invoice_jobs.chunks(INVOICES_PER_REQUEST) {
        let ids: Vec<String> = batch.iter().map(|j| j.resource_id.clone()).collect();
        let body = session
            .call(|token| {
                let (ids, tenant) = (ids.clone(), tenant.clone());
                async move { api.invoices(&token, &tenant, &ids).await }
            })
            .await?;
        for snapshot in invoices_from_response(&body).map_err(unreadable)? {
            if let Some(job) = batch.iter().find(|j| j.resource_id == snapshot.invoice_id.as_str()) {
                facts.push((notice_fact_id(job)?, Fact::Invoice(InvoiceFact::Upserted(snapshot))));
            }
        }
    }
    for job in jobs.iter().filter(|j| j.entity == "contact") {
        let body = session
            .call(|token| {
                let (id, tenant) = (job.resource_id.clone(), tenant.clone());
                async move { api.contact(&token, &tenant, &id).await }
            })
            .await?;
        for contact in contacts_from_response(&body).map_err(unreadable)? {
            facts.push((notice_fact_id(job)?, Fact::ContactUpdated(contact)));
        }
    }
    Ok(facts)
}

/// Xero: sales invoices modified since the last catch-up (every unpaid one on the first), and their contacts.
async fn xero_changes(
    session: &mut Session<'_>,
    tenant: &str,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<(WebhookId, Fact)>, ApiError> {
    let api = session.api;
    let mut snapshots = Vec::new();
    for page in 1..=MAX_PAGES {
        let body = session
            .call(|token| {
                let tenant = tenant.to_string();
                async move { api.xero_invoice_page(&token, &tenant, page, since).await }
            })
            .await?;
        let found = invoices_from_response(&body).map_err(unreadable)?;
        let full = found.len() >= XERO_PAGE_SIZE;
        snapshots.extend(found);
        if !full {
            break;
        }
    }
    let mut contact_ids: Vec<String> = snapshots.iter().map(|s| s.debtor_id.to_string()).collect();
    contact_ids.sort();
    contact_ids.dedup();
    let mut facts = Vec::new();
    for batch in contact_ids.chunks(INVOICES_PER_REQUEST) {
        let body = session
            .call(|token| {
                let (ids, tenant) = (batch.to_vec(), tenant.to_string());
                async move { api.contacts(&token, &tenant, &ids).await }
            })
            .await?;
        for contact in contacts_from_response(&body).map_err(unreadable)? {
            facts.push(Fact::ContactUpdated(contact));
        }
    }
    facts.extend(snapshots.into_iter().map(|s| Fact::Invoice(InvoiceFact::Upserted(s))));
    facts.into_iter().map(|f| Ok((observed_fact_id(&f)?, f))).collect()
}

async fn quickbooks_notices(session: &mut Session<'_>, jobs: &[&SyncJob]) -> Result<Vec<(WebhookId, Fact)>, ApiError> {
    let Some(first) = jobs.first() else {
        return Ok(Vec::new());
    };
    let (api, realm) = (session.api, first.tenant.clone());
    let home = session.home_currency();
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
                let body = session.call(fetch("payment", job.resource_id.clone())).await?;
                for id in quickbooks::invoices_paid_by(&body).map_err(unreadable)? {
                    invoices.push((id, job));
                }
            }
            _ => {}
        }
    }
    invoices.sort_by(|a, b| a.0.cmp(&b.0));
    invoices.dedup_by(|a, b| a.0 == b.0);
    let mut facts = Vec::new();
    for (id, job) in invoices {
        let body = session.call(fetch("invoice", id)).await?;
        let snapshot = quickbooks::invoice_from_response(&body, home).map_err(unreadable)?;
        facts.push((notice_fact_id(job)?, Fact::Invoice(InvoiceFact::Upserted(snapshot))));
    }
    for job in jobs.iter().filter(|j| j.entity == "contact") {
        let body = session.call(fetch("customer", job.resource_id.clone())).await?;
        let contact = quickbooks::customer_from_response(&body).map_err(unreadable)?;
        facts.push((notice_fact_id(job)?, Fact::ContactUpdated(contact)));
    }
    Ok(facts)
}

/// QuickBooks: change data capture since the last catch-up (it reaches 30 days back); the first catch-up,
/// or one after a longer gap, imports every invoice with a balance and its customers.
async fn quickbooks_changes(
    session: &mut Session<'_>,
    realm: &str,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<(WebhookId, Fact)>, ApiError> {
    let api = session.api;
    let home = session.home_currency();
    let mut invoices: Vec<Listed> = Vec::new();
    let mut customers: Vec<Listed> = Vec::new();
    let mut paid: Vec<String> = Vec::new();
    let recent = since.filter(|s| session.now - *s < Duration::days(QUICKBOOKS_CDC_DAYS));
    if let Some(since) = recent {
        let body = session
            .call(|token| {
                let realm = realm.to_string();
                async move {
                    api.quickbooks_cdc(&token, &realm, "Invoice,Customer,Payment", since)
                        .await
                }
            })
            .await?;
        invoices = quickbooks::cdc_entities(&body, "Invoice").map_err(unreadable)?;
        customers = quickbooks::cdc_entities(&body, "Customer").map_err(unreadable)?;
        for payment in quickbooks::cdc_entities(&body, "Payment").map_err(unreadable)? {
            if let Listed::Present(raw) = payment {
                paid.extend(quickbooks::invoices_paid_by(&raw).map_err(unreadable)?);
            }
        }
    } else {
        const PAGE: usize = 1000;
        for page in 0..MAX_PAGES as usize {
            let query = format!(
                "select * from Invoice where Balance > '0' startposition {} maxresults {PAGE}",
                page * PAGE + 1
            );
            let body = session
                .call(|token| {
                    let (realm, query) = (realm.to_string(), query.clone());
                    async move { api.quickbooks_query(&token, &realm, &query).await }
                })
                .await?;
            let found = quickbooks::query_entities(&body, "Invoice").map_err(unreadable)?;
            let full = found.len() >= PAGE;
            invoices.extend(found);
            if !full {
                break;
            }
        }
    }
    let mut facts = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for listed in invoices {
        match listed {
            Listed::Present(raw) => {
                let snapshot = quickbooks::invoice_from_response(&raw, home).map_err(unreadable)?;
                seen.insert(snapshot.invoice_id.to_string());
                facts.push(Fact::Invoice(InvoiceFact::Upserted(snapshot)));
            }
            Listed::Deleted { id, at } => {
                let invoice_id = InvoiceId::parse(id).map_err(unreadable)?;
                seen.insert(invoice_id.to_string());
                facts.push(Fact::Invoice(InvoiceFact::Voided(Void {
                    invoice_id,
                    voided_at: at,
                })));
            }
        }
    }
    // A payment changes its invoices' balances; fetch those the capture did not already include.
    paid.sort();
    paid.dedup();
    for id in paid.into_iter().filter(|id| !seen.contains(id)) {
        let body = session
            .call(|token| {
                let (realm, id) = (realm.to_string(), id.clone());
                async move { api.quickbooks(&token, &realm, "invoice", &id).await }
            })
            .await?;
        let snapshot = quickbooks::invoice_from_response(&body, home).map_err(unreadable)?;
        facts.push(Fact::Invoice(InvoiceFact::Upserted(snapshot)));
    }
    if recent.is_none() {
        let mut ids: Vec<String> = facts
            .iter()
            .filter_map(|f| match f {
                Fact::Invoice(InvoiceFact::Upserted(s)) => Some(s.debtor_id.to_string()),
                _ => None,
            })
            .collect();
        ids.sort();
        ids.dedup();
        for batch in ids.chunks(100) {
            // Ids come from the platform's own responses and are checked identifiers: no quotes inside.
            let list: Vec<String> = batch.iter().map(|id| format!("'{id}'")).collect();
            let query = format!("select * from Customer where Id in ({})", list.join(","));
            let body = session
                .call(|token| {
                    let (realm, query) = (realm.to_string(), query.clone());
                    async move { api.quickbooks_query(&token, &realm, &query).await }
                })
                .await?;
            customers.extend(quickbooks::query_entities(&body, "Customer").map_err(unreadable)?);
        }
    }
    for listed in customers {
        if let Listed::Present(raw) = listed {
            let contact = quickbooks::customer_from_response(&raw).map_err(unreadable)?;
            facts.insert(0, Fact::ContactUpdated(contact));
        }
    }
    facts.into_iter().map(|f| Ok((observed_fact_id(&f)?, f))).collect()
}

/// Stripe: the invoice events since the last catch-up (Stripe keeps 30 days of them), keyed by event id
/// exactly as their webhooks were, so an event that did arrive is not applied again. The first catch-up
/// imports every open invoice as it is now.
async fn stripe_changes(
    session: &mut Session<'_>,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<(WebhookId, Fact)>, ApiError> {
    let api = session.api;
    let recent = since.filter(|s| session.now - *s < Duration::days(30));
    let mut facts = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query = vec![("limit", "100".to_string())];
        let path = match recent {
            Some(since) => {
                query.push(("type", "invoice.*".to_string()));
                query.push(("created[gte]", since.timestamp().to_string()));
                "events"
            }
            None => {
                query.push(("status", "open".to_string()));
                "invoices"
            }
        };
        if let Some(after) = &after {
            query.push(("starting_after", after.clone()));
        }
        let body = session
            .call(|key| {
                let query = query.clone();
                async move { api.stripe_list(&key, path, &query).await }
            })
            .await?;
        let page = stripe::list_page(&body).map_err(unreadable)?;
        for object in &page.objects {
            let delivery = match recent {
                Some(_) => stripe::parse(object.get().as_bytes()),
                None => stripe::observed_invoice(object, session.now),
            }
            .map_err(unreadable)?;
            for (id, fact) in delivery.keyed_facts().map_err(unreadable)? {
                facts.push((id, fact.clone()));
            }
        }
        if !page.has_more {
            break;
        }
        after = page.last_id;
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_to_at_most_six_hours() {
        assert_eq!(backoff(0), Duration::minutes(1));
        assert_eq!(backoff(3), Duration::minutes(8));
        assert_eq!(backoff(11), Duration::hours(6));
    }

    #[test]
    fn a_reconciled_resource_is_keyed_by_its_version() {
        let void = |at: i64| {
            Fact::Invoice(InvoiceFact::Voided(Void {
                invoice_id: InvoiceId::parse("130").unwrap(),
                voided_at: DateTime::from_timestamp(at, 0).unwrap(),
            }))
        };
        assert_eq!(observed_fact_id(&void(1)).unwrap(), observed_fact_id(&void(1)).unwrap());
        assert_ne!(observed_fact_id(&void(1)).unwrap(), observed_fact_id(&void(2)).unwrap());
        assert_eq!(
            observed_fact_id(&void(1)).unwrap().as_str(),
            "seen:invoice.voided:130:1"
        );
    }
}
