//! Sync jobs: thin platform notices waiting to be fetched. One item per resource, so ten notices about the
//! same invoice before the fetch collapse into one job; written in the webhook's request, in one request.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use chrono::{DateTime, Utc};

use super::invoice_item::attr;
use super::{keys, n, s, sdk_error, ts, Store, StoreError};
use crate::ids::{ConnectionId, CreditorId};
use crate::platforms::{ChangeNotice, Entity};

/// Which creditor and connection a platform tenant (Xero organisation, QuickBooks realm) belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantLink {
    pub creditor: CreditorId,
    pub connection: ConnectionId,
}

/// The most jobs one webhook's write may hold (DynamoDB's transaction limit).
pub const MAX_JOBS_PER_WRITE: usize = 100;

fn entity_name(e: Entity) -> &'static str {
    match e {
        Entity::Invoice => "invoice",
        Entity::Payment => "payment",
        Entity::CreditNote => "credit_note",
        Entity::Contact => "contact",
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
        let get = |k: &str| match item.get(k) {
            Some(AttributeValue::S(v)) => Ok(v.clone()),
            _ => Err(StoreError::Corrupt(format!("tenant link without {k}"))),
        };
        let corrupt = |e: crate::ids::IdError| StoreError::Corrupt(e.to_string());
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

    /// A creditor's pending sync jobs, for the fetcher and for tests.
    pub async fn sync_jobs(&self, creditor: &CreditorId) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        let out = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_values(":pk", s(keys::sync_jobs(creditor)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(out.items().to_vec())
    }
}
