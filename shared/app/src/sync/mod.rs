//! Fetching from the platforms: the second half of "acknowledge first, fetch after", and the daily
//! catch-up that heals anything a webhook missed.
//!
//! Jobs are read from the sparse sync index (or, for a stream of new notices, from the creditors the
//! stream names), fetched from the platform per connection, and applied through the same ledger path as
//! webhooks. A notice job is removed only after its facts are applied, and only if no newer notice
//! arrived meanwhile; a connection's reconciliation job is moved on to the next day instead. A platform
//! that is down or rate-limited delays the sync and loses nothing.

mod documents;
mod merit;
mod quickbooks;
mod revoke;
mod session;
mod stripe;
mod xero;

pub use session::PAY_LINKS_PER_RUN;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use session::Session;

use duly_adapters::platforms::{ApiError, PlatformApi};
use duly_adapters::store::{parse_ts, Store, StoreError, SyncJob, RECONCILE, REVOKE};
use duly_adapters::vault::Vault;
use duly_core::model::ids::{CreditorId, WebhookId};
use duly_core::notices::{Notice, NoticeKind};
use duly_core::settings::platform_groups::groups_to_offer;
use duly_core::webhooks::canonical::{Fact, InvoiceFact};

use crate::ingest::{apply_fact, IngestError};
use crate::notify::{tell, Notifier};

/// Attempts before a notice job becomes a dead letter (kept, with its last error, for the creditor to see).
pub const MAX_ATTEMPTS: u32 = 12;

/// Failed attempts of a catch-up (about an hour of backing off) before the creditor is told it is failing.
pub const SYNC_FAILING_AFTER: u32 = 6;

/// How often a connection is caught up.
pub const RECONCILE_EVERY_HOURS: i64 = 24;

use duly_core::platforms::freshness::CATCH_UP_OVERLAP_MINUTES;

/// Pages one run reads of a connection's catch-up; a larger catch-up is applied page by page and goes on
/// from where it stopped on the next run (the 15-minute sweep).
pub const CATCH_UP_PAGES_PER_RUN: u32 = 50;

/// One page of a catch-up, keyed as it is applied.
pub(crate) struct CatchUpPage {
    facts: Vec<(WebhookId, Fact)>,
    /// Where the next page starts; `None` on the last page.
    next: Option<String>,
    /// Where a later run goes on if this run stops after this page: a page-numbered list re-reads this
    /// page, since changes in between shift the rest; a list with an object cursor goes on after it.
    resume: String,
    /// This page is applied but not finished (pay links are still to fetch): the run stops here and a
    /// later run reads it again.
    again: bool,
}

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

/// A reconciled resource is keyed by its own version, so finding it again in the next catch-up is a no-op;
/// an invoice read again with the pay link it lacked is a version of its own.
fn observed_fact_id(fact: &Fact) -> Result<WebhookId, ApiError> {
    if let Fact::Invoice(InvoiceFact::Upserted(s)) = fact {
        if s.pay_url.is_some() {
            return fact_id(format!(
                "seen:{}:{}:{}:linked",
                fact.kind(),
                s.invoice_id,
                s.updated_at.timestamp()
            ));
        }
    }
    let (id, at) = match fact {
        Fact::ContactUpdated(c) => (c.debtor_id.to_string(), c.updated_at),
        Fact::Invoice(InvoiceFact::Upserted(s)) => (s.invoice_id.to_string(), s.updated_at),
        Fact::Invoice(InvoiceFact::Voided(v)) => (v.invoice_id.to_string(), v.voided_at),
        Fact::Invoice(InvoiceFact::Settled(s)) => return settlement_fact_id(s),
    };
    fact_id(format!("seen:{}:{id}:{}", fact.kind(), at.timestamp()))
}

/// A payment or credit note is keyed by its own id on its invoice: seen again in any later fetch, it applies
/// once (two on the same day stay two).
fn settlement_fact_id(s: &duly_core::webhooks::canonical::Settlement) -> Result<WebhookId, ApiError> {
    let kind = match s.kind {
        duly_core::webhooks::canonical::SettlementKind::Payment => "payment",
        duly_core::webhooks::canonical::SettlementKind::CreditNote => "credit_note",
    };
    fact_id(format!("seen:{kind}:{}:{}", s.invoice_id, s.settlement_id))
}

/// The platform APIs the fetcher reads.
#[derive(Debug, Clone)]
pub struct Apis {
    pub xero: PlatformApi,
    pub quickbooks: PlatformApi,
    pub stripe: PlatformApi,
    pub merit: PlatformApi,
}

impl Apis {
    fn of(&self, platform: &str) -> Option<&PlatformApi> {
        match platform {
            "xero" => Some(&self.xero),
            "quickbooks" => Some(&self.quickbooks),
            "stripe" => Some(&self.stripe),
            "merit" => Some(&self.merit),
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
    /// Pages of each catch-up per run ([`CATCH_UP_PAGES_PER_RUN`] when deployed).
    pub catch_up_pages: u32,
    /// Pay links fetched one by one per connection and run ([`PAY_LINKS_PER_RUN`] when deployed).
    pub pay_links: u32,
    /// Tells creditors what needs them (a revoked connection); `None` where no sending address is set.
    pub notify: Option<Notifier<'a>>,
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
            let result = match group.iter().any(|j| j.entity == REVOKE) {
                true => self.revoke(api, &group).await,
                false => self.sync_connection(api, &group, now).await,
            };
            if matches!(result, Err(ApiError::Revoked)) {
                disconnect(self.store, self.notify, &group[0], now).await?;
            }
            match result {
                Ok(applied) => report.applied += applied,
                Err(error) => {
                    for job in &group {
                        let reconcile = job.entity == RECONCILE;
                        // The standing catch-up heals whatever else fails, so it is only given up with the
                        // connection itself (revoked, or no longer active).
                        let connection_gone = matches!(error, ApiError::Revoked | ApiError::Rejected(410));
                        let give_up = connection_gone
                            || (!reconcile
                                && (matches!(error, ApiError::Rejected(_)) || job.attempts + 1 >= MAX_ATTEMPTS));
                        let at = match (&error, give_up) {
                            (_, true) => None,
                            (ApiError::RateLimited(wait), _) => Some(duly_core::calendar::bounds::after_platform_wait(
                                now,
                                i128::from(wait.as_secs()),
                            )),
                            // Spread, so the jobs an outage failed together do not all come due together.
                            _ => Some(
                                now + duly_core::retry::spread(
                                    backoff(job.attempts),
                                    &format!("{}|{}", job.sort_key, job.attempts),
                                ),
                            ),
                        };
                        if at.is_some() {
                            report.retried += 1;
                        } else {
                            report.dead += 1;
                        }
                        self.store.retry_sync_job(job, at, &error.to_string(), now).await?;
                        if let Some(notice) = failure_notice(job, give_up && !connection_gone, now) {
                            tell_about(self.store, self.notify, &job.creditor, &notice, now).await?;
                        }
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
        session.pay_links_left = self.pay_links;
        let (notices, reconciliations): (Vec<&SyncJob>, Vec<&SyncJob>) =
            jobs.iter().partition(|j| j.entity != RECONCILE);
        let facts: Vec<(WebhookId, Fact)> = match jobs[0].platform.as_str() {
            "xero" => xero::notices(&mut session, &notices).await?,
            "quickbooks" => quickbooks::notices(&mut session, &notices).await?,
            _ => Vec::new(),
        };
        let mut applied = self.apply(&session, &facts, now).await?;
        documents::fetch_documents(&mut session, &jobs[0].tenant, &facts).await?;
        // Credit notes show up as updates of the invoices they are allocated to; their own notices need no fetch.
        for job in notices {
            self.store.finish_sync_job(job).await.map_err(unavailable)?;
        }
        for job in reconciliations {
            applied += self.catch_up(&mut session, job, now).await?;
        }
        Ok(applied)
    }

    /// A connection's catch-up, applied page by page. Its cursor moves only past pages applied, and the
    /// time it covers moves on only once it has read to the end.
    async fn catch_up(&self, session: &mut Session<'_>, job: &SyncJob, now: DateTime<Utc>) -> Result<usize, ApiError> {
        let since = job.since.as_deref().map(parse_ts).transpose().map_err(unavailable)?;
        let started = match job.catch_up_started.as_deref().filter(|_| job.cursor.is_some()) {
            Some(t) => parse_ts(t).map_err(unavailable)?,
            None => now,
        };
        let mut position = job.cursor.clone();
        // The first page of a catch-up that goes on may be one read before; it does not count.
        let mut budget = self.catch_up_pages.max(1) + u32::from(position.is_some());
        let mut applied = 0;
        loop {
            let page = match job.platform.as_str() {
                "xero" => xero::changes_page(session, &job.tenant, since, position.as_deref()).await?,
                "quickbooks" => quickbooks::changes_page(session, &job.tenant, since, position.as_deref()).await?,
                "merit" => merit::changes_page(session, since, position.as_deref()).await?,
                _ => stripe::changes_page(session, since, position.as_deref()).await?,
            };
            applied += self.apply(session, &page.facts, now).await?;
            documents::fetch_documents(session, &job.tenant, &page.facts).await?;
            budget -= 1;
            if page.next.is_none() && !page.again {
                break;
            }
            // The cursor moves past each page as it is applied, so a run that stops or fails later loses
            // nothing. A page whose pay links are still to fetch is read again by a later run.
            self.store
                .continue_catch_up(job, &page.resume, started, now)
                .await
                .map_err(unavailable)?;
            match page.next.filter(|_| !page.again && budget > 0) {
                Some(next) => position = Some(next),
                None => {
                    tracing::info!(platform = %job.platform, facts = applied, again = page.again, "catch-up goes on next run");
                    return Ok(applied);
                }
            }
        }
        tracing::info!(platform = %job.platform, facts = applied, full = since.is_none(), "caught up");
        let link = duly_adapters::store::TenantLink {
            creditor: job.creditor.clone(),
            connection: job.connection.clone(),
        };
        let covered = started - Duration::minutes(CATCH_UP_OVERLAP_MINUTES);
        if job.platform == "merit" {
            // A platform without webhooks: every catch-up is a poll, and the next is due on the creditor's clock.
            let zone = session.zone().await?;
            let next = duly_core::platforms::merit::polling::next_poll(now, zone);
            self.store
                .schedule_poll(&link, &job.platform, &job.tenant, covered, next, zone.name())
                .await
                .map_err(unavailable)?;
            return Ok(applied);
        }
        self.store
            .schedule_reconciliation(
                &link,
                &job.platform,
                &job.tenant,
                Some(covered),
                now + Duration::hours(RECONCILE_EVERY_HOURS),
            )
            .await
            .map_err(unavailable)?;
        Ok(applied)
    }

    async fn apply(
        &self,
        session: &Session<'_>,
        facts: &[(WebhookId, Fact)],
        now: DateTime<Utc>,
    ) -> Result<usize, ApiError> {
        let groups: Vec<String> = facts
            .iter()
            .filter_map(|(_, f)| match f {
                Fact::ContactUpdated(c) => Some(c.groups.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect();
        offer_groups(self.store, &session.connection.creditor_id, &groups)
            .await
            .map_err(unavailable)?;
        let mut applied = 0;
        for (id, fact) in facts {
            match apply_fact(self.store, &session.connection, id, fact, now).await {
                Ok(_) => applied += 1,
                // A record Duly cannot accept (a date out of range, another currency than its invoice) is
                // left out and logged; the connection's other records still land.
                Err(e @ (IngestError::Fact(_) | IngestError::Ledger(_))) => {
                    tracing::warn!(code = e.code(), kind = fact.kind(), error = %e, "a fetched record was refused");
                }
                Err(e) => return Err(ApiError::Unavailable(e.to_string())),
            }
        }
        Ok(applied)
    }
}

/// The platform's contact groups the creditor has no group for yet become groups of their own, switched on
/// and following the creditor's steps, for the creditor to switch off or give steps of their own.
async fn offer_groups(store: &Store, creditor: &CreditorId, platform_groups: &[String]) -> Result<(), StoreError> {
    if platform_groups.is_empty() {
        return Ok(());
    }
    let Some(current) = store.get_creditor(creditor).await? else {
        return Ok(());
    };
    if groups_to_offer(&current.groups, platform_groups).is_empty() {
        return Ok(());
    }
    store
        .change_creditor(creditor, |c| {
            for (name, group) in groups_to_offer(&c.groups, platform_groups) {
                c.groups.insert(name, group);
            }
            Ok::<(), StoreError>(())
        })
        .await?;
    Ok(())
}

/// The platform's own name; a segment Duly does not know (none reaches here) as it is.
fn platform_name(segment: &str) -> String {
    duly_core::model::Platform::name_of_segment(segment).map_or_else(|| segment.to_string(), str::to_string)
}

fn unavailable(e: StoreError) -> ApiError {
    ApiError::Unavailable(e.to_string())
}

/// One resource's result, or `None` when the failure is that resource's own (deleted on the platform, or
/// an answer Duly cannot read), logged, so the connection's other resources still land; the daily catch-up
/// reads it again. Failures of the connection (a refused token, an outage, a rate limit) end the fetch.
fn per_record<T>(result: Result<T, ApiError>, entity: &str) -> Result<Option<T>, ApiError> {
    match result {
        Ok(found) => Ok(Some(found)),
        Err(ApiError::Rejected(status)) => {
            tracing::warn!(entity, status, "a resource a notice named was left out");
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

fn unreadable<E>(_: E) -> ApiError {
    // The platform answered with something its documentation does not describe.
    ApiError::Rejected(502)
}

/// What the creditor hears of a failed fetch: a notice job given up (once per notice), or a catch-up that
/// has kept failing for [`SYNC_FAILING_AFTER`] attempts (once a day while it goes on).
fn failure_notice(job: &SyncJob, dead: bool, now: DateTime<Utc>) -> Option<Notice> {
    let platform = platform_name(&job.platform);
    if job.entity == RECONCILE {
        if job.attempts + 1 < SYNC_FAILING_AFTER {
            return None;
        }
        // Counted from what the last full catch-up covered: how old the creditor's balances may be.
        let since = job.since.as_deref().and_then(|t| parse_ts(t).ok());
        let hours = since.map_or(1, |t| (now - t).num_hours().max(1));
        return Some(
            Notice::new(
                format!("sync-failing:{}:{}", job.platform, now.date_naive()),
                NoticeKind::SyncFailing,
            )
            .with("platform", platform)
            .with("hours", hours.to_string())
            .at_page("/app/connections"),
        );
    }
    dead.then(|| {
        Notice::new(
            format!("dead-sync:{}:{}:{}", job.entity, job.resource_id, job.noticed_at),
            NoticeKind::DeadSync,
        )
        .with("platform", platform)
        .with("entity", &job.entity)
        .with("resource", &job.resource_id)
        .at_page("/app/connections")
    })
}

async fn tell_about(
    store: &Store,
    notify: Option<Notifier<'_>>,
    creditor: &CreditorId,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(creditor) = store.get_creditor(creditor).await? {
        tell(store, notify, &creditor, notice, now).await?;
    }
    Ok(())
}

/// The creditor revoked Duly's access on the platform: the connection stops, and so do the reminders,
/// which say why.
async fn disconnect(
    store: &Store,
    notify: Option<Notifier<'_>>,
    job: &SyncJob,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Some(mut connection) = store.get_connection(&job.connection).await? {
        connection.active = false;
        connection.credentials = None;
        store.put_connection(&connection).await?;
        if let Some(tenant) = &connection.tenant {
            store.unlink_tenant(&job.platform, tenant, &job.connection).await?;
        }
        store
            .mark_disconnected(&job.creditor, &job.connection, &job.platform, now)
            .await?;
    }
    let creditor = store
        .change_creditor(&job.creditor, |creditor| {
            creditor.disconnected = Some(duly_core::model::Disconnection {
                platform: job.platform.clone(),
                at: now,
            });
            Ok::<(), StoreError>(())
        })
        .await?;
    tracing::warn!(platform = %job.platform, "connection revoked; reminders stop for the creditor");
    if let Some(creditor) = creditor {
        let notice = Notice::new(
            format!("revoked:{}:{}", job.platform, now.date_naive()),
            NoticeKind::Revoked,
        )
        .with("platform", platform_name(&job.platform))
        .at_page("/app/connections");
        tell(store, notify, &creditor, &notice, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use duly_core::model::ids::InvoiceId;
    use duly_core::webhooks::canonical::Void;

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
