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

/// The creditors a DynamoDB stream batch names; `None` when the event is not a stream batch (a tick).
pub fn creditors_in_stream(event: &serde_json::Value) -> Option<BTreeSet<CreditorId>> {
    let batch = aws_lambda_events::event::dynamodb::Event::deserialize(event).ok()?;
    let creditors = batch
        .records
        .iter()
        .filter(|r| r.event_source.as_deref() == Some("aws:dynamodb"))
        .filter_map(|r| duly_adapters::store::image_text(&r.change.new_image, "creditor_id"))
        .filter_map(|s| CreditorId::parse(s).ok())
        .collect();
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
        // As the event source mapping hands records over: every record with its id, region and size.
        let record = |n: u32, name: &str, change: serde_json::Value| {
            let mut change = change;
            change["SizeBytes"] = json!(100);
            json!({"eventID": format!("e{n}"), "awsRegion": "eu-west-1", "eventSource": "aws:dynamodb",
                   "eventName": name, "dynamodb": change})
        };
        let batch = json!({"Records": [
            record(1, "INSERT", json!({"NewImage": {"creditor_id": {"S": "nordwind"}, "entity": {"S": "invoice"}}})),
            record(2, "MODIFY", json!({"NewImage": {"creditor_id": {"S": "nordwind"}}})),
            record(3, "REMOVE", json!({})),
            record(4, "INSERT", json!({"NewImage": {"creditor_id": {"S": "bad#key"}}})),
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
