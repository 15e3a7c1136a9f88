//! Event shell of the sync function. Two triggers: the table's stream, filtered to new platform notices,
//! fetches them within seconds; a schedule sweeps everything due (retries after a rate limit or an outage,
//! and each connection's daily catch-up).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use duly_adapters::store::{Store, StoreError};
use duly_adapters::vault::Vault;
use duly_app::sync::{Apis, Sync, SyncReport};
use duly_core::model::ids::CreditorId;

/// Everything built once per cold start.
pub struct App {
    pub store: Store,
    pub vault: Vault,
    pub apis: Apis,
    /// Pages of each catch-up one run reads.
    pub catch_up_pages: u32,
    /// Pay links one run fetches one by one per connection.
    pub pay_links: u32,
    /// SES, and Duly's own sending address, for telling creditors what needs them.
    pub notify: Option<duly_app::notify::NotifyFrom>,
}

#[derive(Deserialize)]
struct StreamBatch {
    #[serde(rename = "Records")]
    records: Vec<StreamRecord>,
}

#[derive(Deserialize)]
struct StreamRecord {
    #[serde(rename = "eventSource")]
    event_source: String,
    dynamodb: StreamImage,
}

#[derive(Deserialize)]
struct StreamImage {
    #[serde(rename = "NewImage", default)]
    new_image: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The creditors a DynamoDB stream batch names; `None` when the event is not a stream batch (a tick).
pub fn creditors_in_stream(event: &serde_json::Value) -> Option<BTreeSet<CreditorId>> {
    let batch = StreamBatch::deserialize(event).ok()?;
    let mut creditors = BTreeSet::new();
    for record in batch.records.iter().filter(|r| r.event_source == "aws:dynamodb") {
        let creditor = record
            .dynamodb
            .new_image
            .as_ref()
            .and_then(|image| image.get("creditor_id"))
            .and_then(|attribute| attribute.get("S"))
            .and_then(|s| s.as_str())
            .and_then(|s| CreditorId::parse(s).ok());
        creditors.extend(creditor);
    }
    Some(creditors)
}

/// One invocation. An error fails it, so the stream or the schedule retries; jobs stay until applied.
pub async fn handle(app: &App, event: &serde_json::Value, now: DateTime<Utc>) -> Result<String, StoreError> {
    let sync = Sync {
        store: &app.store,
        vault: &app.vault,
        apis: &app.apis,
        catch_up_pages: app.catch_up_pages,
        pay_links: app.pay_links,
        notify: app.notify.as_ref().map(duly_app::notify::NotifyFrom::notifier),
    };
    let (trigger, report) = match creditors_in_stream(event) {
        Some(creditors) => ("stream", sync.run_for(&creditors, now).await?),
        None => ("schedule", sync.run(now).await?),
    };
    let SyncReport {
        jobs,
        applied,
        retried,
        dead,
        waiting,
    } = report;
    tracing::info!(trigger, jobs, applied, retried, dead, waiting, "sync run finished");
    Ok(format!(
        "{jobs} jobs: {applied} facts applied, {retried} retried later, {dead} dead letters, {waiting} waiting"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_stream_batch_names_its_creditors_and_a_tick_names_none() {
        let batch = json!({"Records": [
            {"eventSource": "aws:dynamodb", "eventName": "INSERT",
             "dynamodb": {"NewImage": {"creditor_id": {"S": "nordwind"}, "entity": {"S": "invoice"}}}},
            {"eventSource": "aws:dynamodb", "eventName": "MODIFY",
             "dynamodb": {"NewImage": {"creditor_id": {"S": "nordwind"}}}},
            {"eventSource": "aws:dynamodb", "eventName": "REMOVE", "dynamodb": {}},
            {"eventSource": "aws:dynamodb", "eventName": "INSERT",
             "dynamodb": {"NewImage": {"creditor_id": {"S": "bad#key"}}}}
        ]});
        let creditors = creditors_in_stream(&batch).unwrap();
        assert_eq!(
            creditors.into_iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            ["nordwind"]
        );
        let tick = json!({"version": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler"});
        assert_eq!(creditors_in_stream(&tick), None);
    }
}
