//! Sync jobs: thin platform notices waiting to be fetched. One item per resource, so ten notices about the
//! same invoice before the fetch collapse into one job; written in the webhook's request, in one request.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use chrono::{DateTime, Utc};

use duly_core::model::ids::{ConnectionId, CreditorId};
use duly_core::platforms::freshness::SyncJobState;
use duly_core::platforms::{ChangeNotice, Entity};

use super::invoice_item::attr;
use super::{keys, n, parse_ts, required_s, s, sdk_error, ts, Store, StoreError};

/// Which creditor and connection a platform tenant (Xero organisation, QuickBooks realm) belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantLink {
    pub creditor: CreditorId,
    pub connection: ConnectionId,
}

pub const SYNC_INDEX: &str = "sync";
pub const SYNC_SHARDS: u32 = 4;
const SYNC_SHARD: &str = "sync_shard";
const SYNC_DUE: &str = "sync_due";

/// Jobs of one creditor share a shard, so the fetcher meets them together.
fn sync_shard(c: &CreditorId) -> String {
    let h = c
        .as_str()
        .bytes()
        .fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("SYNC#{}", h % SYNC_SHARDS)
}

/// One sync job as the fetcher reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncJob {
    pub creditor: CreditorId,
    pub connection: ConnectionId,
    pub sort_key: String,
    pub platform: String,
    pub tenant: String,
    pub entity: String,
    pub resource_id: String,
    /// What the latest notice said happened to the resource: `create`, `update`, `delete`, `void`…
    pub operation: String,
    pub noticed_at: String,
    pub attempts: u32,
    /// Reconciliation jobs: what the last catch-up covered; `None` before the first (a full import).
    pub since: Option<String>,
    /// Reconciliation jobs: where a catch-up cut at its page budget goes on (the platform's page or cursor).
    pub cursor: Option<String>,
    /// Reconciliation jobs: when the catch-up that is still going on began; what it covers once it ends.
    pub catch_up_started: Option<String>,
}

/// On a polled platform's catch-up: the creditor's zone, whose business hours set how often it is polled.
const POLL_ZONE: &str = "poll_zone";

/// The entity of a connection's standing reconciliation job.
pub const RECONCILE: &str = "reconcile";
/// The job that revokes a connection the creditor disconnected.
pub const REVOKE: &str = "revoke";

/// A job about a whole connection (its catch-up, its revocation), due at `at`.
fn connection_job(
    link: &TenantLink,
    platform: &str,
    tenant: &str,
    entity: &str,
    at: DateTime<Utc>,
) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (attr::PK.to_string(), s(keys::sync_jobs(&link.creditor))),
        (attr::SK.to_string(), s(format!("{platform}#{tenant}#{entity}#all"))),
        (attr::CREDITOR_ID.to_string(), s(link.creditor.as_str())),
        ("connection_id".to_string(), s(link.connection.as_str())),
        ("platform".to_string(), s(platform)),
        ("tenant".to_string(), s(tenant)),
        ("entity".to_string(), s(entity)),
        ("resource_id".to_string(), s("all")),
        ("operation".to_string(), s(entity)),
        ("noticed_at".to_string(), s(ts(at))),
        ("attempts".to_string(), n(0)),
        (SYNC_SHARD.to_string(), s(sync_shard(&link.creditor))),
        (SYNC_DUE.to_string(), s(ts(at))),
    ])
}

fn job_from_item(item: &HashMap<String, AttributeValue>) -> Result<SyncJob, StoreError> {
    let get = |k: &str| required_s(item, k, "sync job");
    let corrupt = |e: duly_core::model::ids::IdError| StoreError::Corrupt(e.to_string());
    Ok(SyncJob {
        creditor: CreditorId::parse(get(attr::CREDITOR_ID)?).map_err(corrupt)?,
        connection: ConnectionId::parse(get("connection_id")?).map_err(corrupt)?,
        sort_key: get(attr::SK)?,
        platform: get("platform")?,
        tenant: get("tenant")?,
        entity: get("entity")?,
        resource_id: get("resource_id")?,
        operation: optional_s(item, "operation").unwrap_or_default(),
        noticed_at: get("noticed_at")?,
        attempts: match item.get("attempts") {
            Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
            _ => 0,
        },
        since: optional_s(item, "since"),
        cursor: optional_s(item, "cursor"),
        catch_up_started: optional_s(item, "catch_up_started"),
    })
}

fn optional_s(item: &HashMap<String, AttributeValue>, key: &str) -> Option<String> {
    match item.get(key) {
        Some(AttributeValue::S(v)) => Some(v.clone()),
        _ => None,
    }
}

/// The most jobs one webhook's write may hold (DynamoDB's transaction limit).
pub const MAX_JOBS_PER_WRITE: usize = 100;

fn entity_name(e: Entity) -> &'static str {
    match e {
        Entity::Invoice => "invoice",
        Entity::Payment => "payment",
        Entity::CreditNote => "credit_note",
        Entity::Contact => "contact",
        Entity::RefundReceipt => "refundreceipt",
        Entity::JournalEntry => "journalentry",
    }
}

impl Store {
    /// Links a platform tenant to a connection; the connect flow writes this.
    pub async fn put_tenant(&self, platform: &str, tenant: &str, link: &TenantLink) -> Result<(), StoreError> {
        self.client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(keys::tenant(platform, tenant)))
            .item(attr::SK, s(keys::TENANT_SK))
            .item(attr::CREDITOR_ID, s(link.creditor.as_str()))
            .item("connection_id", s(link.connection.as_str()))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// Forgets that `tenant` is linked, if it still is to `connection`: a disconnected or revoked
    /// organisation opens nobody's account, and may be connected anew.
    pub async fn unlink_tenant(
        &self,
        platform: &str,
        tenant: &str,
        connection: &ConnectionId,
    ) -> Result<(), StoreError> {
        let result = self
            .client()
            .delete_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::tenant(platform, tenant)))
            .key(attr::SK, s(keys::TENANT_SK))
            .condition_expression("connection_id = :connection")
            .expression_attribute_values(":connection", s(connection.as_str()))
            .send()
            .await;
        super::condition_held(result).map(|_| ())
    }

    pub async fn tenant(&self, platform: &str, tenant: &str) -> Result<Option<TenantLink>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::tenant(platform, tenant)))
            .key(attr::SK, s(keys::TENANT_SK))
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else { return Ok(None) };
        let get = |k: &str| required_s(item, k, "tenant link");
        let corrupt = |e: duly_core::model::ids::IdError| StoreError::Corrupt(e.to_string());
        Ok(Some(TenantLink {
            creditor: CreditorId::parse(get(attr::CREDITOR_ID)?).map_err(corrupt)?,
            connection: ConnectionId::parse(get("connection_id")?).map_err(corrupt)?,
        }))
    }

    /// Records notices as sync jobs, all or nothing, in one request (at most [`MAX_JOBS_PER_WRITE`]).
    pub async fn record_sync_jobs(
        &self,
        platform: &str,
        jobs: &[(TenantLink, ChangeNotice)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // A transaction may touch an item once: several notices about one resource become its latest.
        let mut latest: std::collections::BTreeMap<(CreditorId, String), &(TenantLink, ChangeNotice)> =
            std::collections::BTreeMap::new();
        for job in jobs.iter().take(MAX_JOBS_PER_WRITE) {
            let (link, notice) = job;
            let key = (
                link.creditor.clone(),
                format!(
                    "{platform}#{}#{}#{}",
                    notice.tenant,
                    entity_name(notice.entity),
                    notice.id
                ),
            );
            if latest.get(&key).is_none_or(|(_, seen)| seen.at <= notice.at) {
                latest.insert(key, job);
            }
        }
        if latest.is_empty() {
            return Ok(());
        }
        let mut request = self.client().transact_write_items();
        for ((_, sort_key), (link, notice)) in latest {
            let item: HashMap<String, AttributeValue> = HashMap::from([
                (attr::PK.to_string(), s(keys::sync_jobs(&link.creditor))),
                (attr::SK.to_string(), s(sort_key)),
                (attr::CREDITOR_ID.to_string(), s(link.creditor.as_str())),
                ("connection_id".to_string(), s(link.connection.as_str())),
                ("platform".to_string(), s(platform)),
                ("tenant".to_string(), s(&notice.tenant)),
                ("entity".to_string(), s(entity_name(notice.entity))),
                ("resource_id".to_string(), s(&notice.id)),
                ("operation".to_string(), s(&notice.operation)),
                ("noticed_at".to_string(), s(ts(notice.at))),
                ("recorded_at".to_string(), s(ts(now))),
                ("attempts".to_string(), n(0)),
                (SYNC_SHARD.to_string(), s(sync_shard(&link.creditor))),
                (SYNC_DUE.to_string(), s(ts(now))),
            ]);
            let put = Put::builder()
                .table_name(self.table())
                .set_item(Some(item))
                .build()
                .map_err(|e| StoreError::Rejected(e.to_string()))?;
            request = request.transact_items(TransactWriteItem::builder().put(put).build());
        }
        request.send().await.map_err(sdk_error)?;
        Ok(())
    }

    /// What the freshness rule needs of each of a creditor's sync jobs.
    pub async fn sync_states(&self, creditor: &CreditorId) -> Result<Vec<SyncJobState>, StoreError> {
        self.sync_jobs(creditor)
            .await?
            .iter()
            .map(|item| {
                let job = job_from_item(item)?;
                let catch_up = job.entity == RECONCILE;
                Ok(SyncJobState {
                    connection: job.connection.to_string(),
                    catch_up,
                    failed: matches!(item.get("status"), Some(AttributeValue::S(s)) if s == "failed"),
                    noticed_at: (!catch_up).then(|| parse_ts(&job.noticed_at)).transpose()?,
                    covered_until: job.since.as_deref().map(parse_ts).transpose()?,
                    polled_in: optional_s(item, POLL_ZONE).and_then(|z| z.parse().ok()),
                })
            })
            .collect()
    }

    /// A creditor's pending sync jobs, for the fetcher and for tests.
    /// The creditor's standing catch-ups, one per connected platform tenant.
    pub async fn catch_ups(&self, creditor: &CreditorId) -> Result<Vec<SyncJob>, StoreError> {
        self.sync_jobs(creditor)
            .await?
            .iter()
            .map(job_from_item)
            .filter(|j| j.as_ref().map_or(true, |j| j.entity == RECONCILE))
            .collect()
    }

    pub async fn sync_jobs(&self, creditor: &CreditorId) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        self.query_partition(keys::sync_jobs(creditor), None, true).await
    }
}

impl Store {
    /// Jobs due by `now`, from the sparse sync index, read again consistently.
    pub async fn due_sync_jobs(&self, now: DateTime<Utc>) -> Result<Vec<SyncJob>, StoreError> {
        let mut creditors = std::collections::BTreeSet::new();
        for shard in 0..SYNC_SHARDS {
            for item in self
                .query_due(SYNC_INDEX, SYNC_SHARD, format!("SYNC#{shard}"), SYNC_DUE, now)
                .await?
            {
                let c = required_s(&item, attr::CREDITOR_ID, "sync index entry")?;
                creditors.insert(CreditorId::parse(c).map_err(|e| StoreError::Corrupt(e.to_string()))?);
            }
        }
        self.due_sync_jobs_of(&creditors, now).await
    }

    /// The named creditors' jobs due by `now` (what a stream of new notices points at).
    pub async fn due_sync_jobs_of(
        &self,
        creditors: &std::collections::BTreeSet<CreditorId>,
        now: DateTime<Utc>,
    ) -> Result<Vec<SyncJob>, StoreError> {
        let mut jobs = Vec::new();
        for creditor in creditors {
            for item in self.sync_jobs(creditor).await? {
                let due = matches!(item.get(SYNC_DUE), Some(AttributeValue::S(d)) if *d <= ts(now));
                if due {
                    jobs.push(job_from_item(&item)?);
                }
            }
        }
        Ok(jobs)
    }

    /// Removes a done job, unless a newer notice arrived since it was read.
    pub async fn finish_sync_job(&self, job: &SyncJob) -> Result<(), StoreError> {
        let result = self
            .client()
            .delete_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::sync_jobs(&job.creditor)))
            .key(attr::SK, s(&job.sort_key))
            .condition_expression("noticed_at = :seen")
            .expression_attribute_values(":seen", s(&job.noticed_at))
            .send()
            .await;
        // A newer notice arrived meanwhile: the job stays for the next run.
        super::condition_held(result).map(drop)
    }

    /// Tries a job again at `at`; after too many attempts it stays as a dead letter the creditor can see.
    pub async fn retry_sync_job(
        &self,
        job: &SyncJob,
        at: Option<DateTime<Utc>>,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let request = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::sync_jobs(&job.creditor)))
            .key(attr::SK, s(&job.sort_key))
            .expression_attribute_names("#due", SYNC_DUE)
            .expression_attribute_values(":error", s(error))
            .expression_attribute_values(":one", n(1));
        let request = match at {
            Some(at) => request
                .update_expression("SET #due = :due, last_error = :error ADD attempts :one")
                .expression_attribute_values(":due", s(ts(at))),
            None => request
                .update_expression(
                    "SET last_error = :error, #status = :failed, expires_at = :expires REMOVE #due, #shard ADD attempts :one",
                )
                .expression_attribute_values(":expires", super::dead_letters::dead_letter_expiry(now))
                .expression_attribute_names("#status", "status")
                .expression_attribute_names("#shard", SYNC_SHARD)
                .expression_attribute_values(":failed", s("failed")),
        };
        request.send().await.map_err(sdk_error)?;
        Ok(())
    }
}

impl Store {
    /// A catch-up that stopped at its page budget after applying up to `cursor`: it goes on from there at
    /// `due`, and still covers only what its `since` did until it ends. Nothing if the job is gone.
    pub async fn continue_catch_up(
        &self,
        job: &SyncJob,
        cursor: &str,
        started: DateTime<Utc>,
        due: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::sync_jobs(&job.creditor)))
            .key(attr::SK, s(&job.sort_key))
            .condition_expression("attribute_exists(#pk)")
            .update_expression(
                "SET #cursor = :cursor, catch_up_started = :started, #due = :due, attempts = :zero REMOVE last_error",
            )
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#cursor", "cursor")
            .expression_attribute_names("#due", SYNC_DUE)
            .expression_attribute_values(":cursor", s(cursor))
            .expression_attribute_values(":started", s(ts(started)))
            .expression_attribute_values(":due", s(ts(due)))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await;
        super::condition_held(result).map(drop)
    }

    /// The connection's standing catch-up job, next due at `at`, covering changes since `since` (`None`:
    /// import everything open). Written when a creditor connects and moved on after every catch-up.
    pub async fn schedule_reconciliation(
        &self,
        link: &TenantLink,
        platform: &str,
        tenant: &str,
        since: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut item = connection_job(link, platform, tenant, RECONCILE, at);
        if let Some(since) = since {
            item.insert("since".to_string(), s(ts(since)));
        }
        self.put_record(item).await
    }

    /// A polled platform's next poll at `at`, with the creditor's zone its rhythm and freshness follow.
    pub async fn schedule_poll(
        &self,
        link: &TenantLink,
        platform: &str,
        tenant: &str,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
        zone: &str,
    ) -> Result<(), StoreError> {
        let mut item = connection_job(link, platform, tenant, RECONCILE, at);
        item.insert("since".to_string(), s(ts(since)));
        item.insert(POLL_ZONE.to_string(), s(zone));
        self.put_record(item).await
    }

    /// Asks the sync function to revoke a disconnected connection's access at the platform, at once.
    pub async fn schedule_revocation(
        &self,
        link: &TenantLink,
        platform: &str,
        tenant: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.put_record(connection_job(link, platform, tenant, REVOKE, at))
            .await
    }
}
