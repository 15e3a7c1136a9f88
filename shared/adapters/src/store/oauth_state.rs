//! Authorisation flows in progress: the `state` a platform hands back on its redirect, with the PKCE
//! verifier and who started the flow. Each is used at most once and expires after ten minutes.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Duration, Utc};

use duly_core::model::ids::CreditorId;

use super::invoice_item::attr;
use super::{keys, n, parse_ts, required_s, s, sdk_error, ts, Store, StoreError};

/// How long a creditor has to approve Duly on the platform's consent screen.
pub const FLOW_MINUTES: i64 = 10;

/// One authorisation flow, as the callback needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct PendingFlow {
    pub platform: String,
    pub verifier: String,
    /// The creditor who started it; `None` for a sign-up from the platform's app marketplace.
    pub creditor: Option<CreditorId>,
    pub redirect_uri: String,
    pub expires_at: DateTime<Utc>,
    /// Started in a browser with a grant from the web app: finished only in that browser, without the
    /// API token a flow started over the API asks for.
    pub by_grant: bool,
}

impl std::fmt::Debug for PendingFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingFlow")
            .field("platform", &self.platform)
            .field("creditor", &self.creditor)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// A connect flow, under the key the connect function's callback reads.
    pub async fn put_flow(&self, state: &str, flow: &PendingFlow) -> Result<(), StoreError> {
        self.put_flow_at(keys::oauth_state(state), flow).await
    }

    /// Removes and returns the connect flow of `state`, so a replayed redirect finds nothing; `None` when
    /// there is no such flow (unknown, already used, or expired).
    pub async fn take_flow(&self, state: &str, now: DateTime<Utc>) -> Result<Option<PendingFlow>, StoreError> {
        self.take_flow_at(keys::oauth_state(state), now).await
    }

    /// A sign-in flow of the web app: kept under keys of its own, so the web function never reaches a
    /// connect flow's verifier.
    pub async fn put_sign_in_flow(&self, state: &str, flow: &PendingFlow) -> Result<(), StoreError> {
        self.put_flow_at(keys::sign_in_flow(state), flow).await
    }

    pub async fn take_sign_in_flow(&self, state: &str, now: DateTime<Utc>) -> Result<Option<PendingFlow>, StoreError> {
        self.take_flow_at(keys::sign_in_flow(state), now).await
    }

    async fn put_flow_at(&self, pk: String, flow: &PendingFlow) -> Result<(), StoreError> {
        let mut item = HashMap::from([
            (attr::PK.to_string(), s(pk)),
            (attr::SK.to_string(), s(keys::OAUTH_STATE_SK)),
            ("platform".to_string(), s(&flow.platform)),
            ("verifier".to_string(), s(&flow.verifier)),
            ("redirect_uri".to_string(), s(&flow.redirect_uri)),
            ("valid_until".to_string(), s(ts(flow.expires_at))),
            // TTL removes abandoned flows; the callback checks `valid_until` itself, as TTL is lazy.
            (
                "expires_at".to_string(),
                n((flow.expires_at + Duration::hours(1)).timestamp()),
            ),
        ]);
        if let Some(creditor) = &flow.creditor {
            item.insert(attr::CREDITOR_ID.to_string(), s(creditor.as_str()));
        }
        if flow.by_grant {
            item.insert("by_grant".to_string(), AttributeValue::Bool(true));
        }
        self.client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", attr::PK)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    async fn take_flow_at(&self, pk: String, now: DateTime<Utc>) -> Result<Option<PendingFlow>, StoreError> {
        self.take_once(pk, keys::OAUTH_STATE_SK, now)
            .await?
            .map(|item| flow(&item))
            .transpose()
    }

    /// The flow of `state` without using it up: to decide what the callback asks of the browser first.
    pub async fn peek_flow(&self, state: &str, now: DateTime<Utc>) -> Result<Option<PendingFlow>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::oauth_state(state)))
            .key(attr::SK, s(keys::OAUTH_STATE_SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else { return Ok(None) };
        Ok(Some(flow(item)?).filter(|f| f.expires_at > now))
    }
}

fn flow(item: &HashMap<String, AttributeValue>) -> Result<PendingFlow, StoreError> {
    let get = |k: &str| required_s(item, k, "authorisation flow");
    Ok(PendingFlow {
        platform: get("platform")?,
        verifier: get("verifier")?,
        redirect_uri: get("redirect_uri")?,
        expires_at: parse_ts(&get("valid_until")?)?,
        by_grant: matches!(item.get("by_grant"), Some(AttributeValue::Bool(true))),
        creditor: match item.get(attr::CREDITOR_ID) {
            Some(AttributeValue::S(c)) => {
                Some(CreditorId::parse(c.clone()).map_err(|e| StoreError::Corrupt(e.to_string()))?)
            }
            _ => None,
        },
    })
}
