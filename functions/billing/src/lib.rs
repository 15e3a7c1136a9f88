//! Event shell of the billing function. Two triggers: the table's stream, filtered to new webhook-id items
//! and new monthly usage items (counted and put on the month's roster), and an hourly schedule that sends
//! every creditor's new usage to the billing system.

use chrono::{DateTime, Utc};

use duly_adapters::metering::UsageSink;
use duly_adapters::store::Store;
use duly_app::billing::{count_stream, export, BillingError};

/// Everything built once per cold start.
pub struct App<S> {
    pub store: Store,
    /// Where usage is billed; `None` until the operator gives Duly a key, while usage is only kept.
    pub sink: Option<S>,
}

/// One invocation. An error fails it: the stream hands the batch over again, the schedule tries next hour.
pub async fn handle<S: UsageSink>(
    app: &App<S>,
    event: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<serde_json::Value, BillingError> {
    if event.get("Records").is_some() {
        let counted = count_stream(&app.store, event, now).await?;
        tracing::info!(
            webhooks = counted.webhooks,
            creditors = counted.creditors,
            "usage counted"
        );
        return Ok(serde_json::to_value(counted).expect("a report serialises"));
    }
    let Some(sink) = &app.sink else {
        tracing::info!("no billing key: usage is kept, not sent");
        return Ok(serde_json::json!({"sent": false}));
    };
    let exported = export(&app.store, sink, now).await?;
    tracing::info!(
        events = exported.events,
        duplicates = exported.duplicates,
        failed = exported.failed,
        "usage exported"
    );
    Ok(serde_json::to_value(exported).expect("a report serialises"))
}
