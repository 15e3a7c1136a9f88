//! One-time grants the web app mints for the connect function, and the creditor's own list of its
//! connections.
//!
//! A grant is kept under its fingerprint (`GRANT#…`, like sign-in links it names no creditor in its key),
//! and used up by the connect function. The list (`C#{creditor}#CONN`) lets the web app show connections
//! without reaching the connections themselves, whose items hold sealed secrets.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};

use duly_core::model::ids::{ConnectionId, CreditorId};

use super::invoice_item::attr;
use super::{n, parse_ts, required_s, s, sdk_error, ts, Store, StoreError};

const GRANT_SK: &str = "GRANT";

fn grant_key(fingerprint: &str) -> String {
    format!("GRANT#{fingerprint}")
}

fn linked_key(creditor: &CreditorId) -> String {
    format!("C#{creditor}#CONN")
}

/// A connection as the creditor's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedConnection {
    pub connection: ConnectionId,
    /// The platform's route segment (`xero`, `stripe`, `standard`…).
    pub platform: String,
    /// The organisation or account, as the platform names it.
    pub name: Option<String>,
    pub active: bool,
    /// When it was connected, or disconnected.
    pub changed_at: DateTime<Utc>,
}

impl Store {
    pub async fn put_grant(
        &self,
        fingerprint: &str,
        creditor: &CreditorId,
        purpose: &str,
        valid_until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(grant_key(fingerprint)))
            .item(attr::SK, s(GRANT_SK))
            .item(attr::CREDITOR_ID, s(creditor.as_str()))
            .item("purpose", s(purpose))
            .item("valid_until", s(ts(valid_until)))
            .item("expires_at", n((valid_until + chrono::Duration::days(1)).timestamp()))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// Uses a grant up: deleted whatever happens next; its creditor and purpose while it is valid.
    pub async fn take_grant(
        &self,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(CreditorId, String)>, StoreError> {
        let Some(item) = self.take_once(grant_key(fingerprint), GRANT_SK, now).await? else {
            return Ok(None);
        };
        let get = |k: &str| required_s(&item, k, "grant");
        let creditor = CreditorId::parse(get(attr::CREDITOR_ID)?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Some((creditor, get("purpose")?)))
    }

    /// Records a connection in its creditor's list (again, when it changes).
    pub async fn put_linked(&self, creditor: &CreditorId, linked: &LinkedConnection) -> Result<(), StoreError> {
        let mut item = HashMap::from([
            (attr::PK.to_string(), s(linked_key(creditor))),
            (attr::SK.to_string(), s(linked.connection.as_str())),
            ("platform".to_string(), s(&linked.platform)),
            ("active".to_string(), AttributeValue::Bool(linked.active)),
            ("changed_at".to_string(), s(ts(linked.changed_at))),
        ]);
        if let Some(name) = &linked.name {
            item.insert("name".to_string(), s(name));
        }
        self.client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// The creditor's connections, as recorded when each was connected or disconnected.
    pub async fn linked(&self, creditor: &CreditorId) -> Result<Vec<LinkedConnection>, StoreError> {
        self.query_partition(linked_key(creditor), None, true)
            .await?
            .iter()
            .map(|item| {
                let get = |k: &str| required_s(item, k, "linked connection");
                Ok(LinkedConnection {
                    connection: ConnectionId::parse(get(attr::SK)?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    platform: get("platform")?,
                    name: get("name").ok(),
                    active: matches!(item.get("active"), Some(AttributeValue::Bool(true))),
                    changed_at: parse_ts(&get("changed_at")?)?,
                })
            })
            .collect()
    }

    /// Marks a connection of the creditor's list disconnected at `now`, keeping its name.
    pub async fn mark_disconnected(
        &self,
        creditor: &CreditorId,
        connection: &ConnectionId,
        platform: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let name = self
            .linked(creditor)
            .await?
            .into_iter()
            .find(|l| l.connection == *connection)
            .and_then(|l| l.name);
        let linked = LinkedConnection {
            connection: connection.clone(),
            platform: platform.to_string(),
            name,
            active: false,
            changed_at: now,
        };
        self.put_linked(creditor, &linked).await
    }
}
