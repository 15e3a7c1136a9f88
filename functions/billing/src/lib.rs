//! Event shell of the billing function. Two triggers: the table's stream, filtered to what usage and the
//! report count, and an hourly schedule that mails creditors the report of the period that ended and last
//! month's usage statement, and sends every creditor's new usage to the billing system.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use duly_adapters::metering::UsageSink;
use duly_adapters::store::Store;
use duly_app::billing::{count_stream, export, BillingError};

/// Everything built once per cold start.
pub struct App<S> {
    pub store: Store,
    /// Where usage is billed; `None` until the operator gives Duly a key, while usage is only kept.
    pub sink: Option<S>,
    /// Mails creditors their reports and statements; `None` where no sending address is set.
    pub notify: Option<duly_app::notify::NotifyFrom>,
    /// What each metered unit costs, for the statements.
    pub prices: duly_core::billing::PriceList,
}

/// One invocation. An error fails it: the stream hands the batch over again, the schedule tries next hour.
pub async fn handle<S: UsageSink>(
    app: &App<S>,
    event: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<serde_json::Value, BillingError> {
    if event.get("Records").is_some() {
        let batch = aws_lambda_events::event::dynamodb::Event::deserialize(event).map_err(BillingError::Event)?;
        let counted = count_stream(&app.store, &batch, now).await?;
        tracing::info!(
            webhooks = counted.webhooks,
            creditors = counted.creditors,
            "usage counted"
        );
        return Ok(serde_json::to_value(counted).expect("a report serialises"));
    }
    // Reports first: they do not wait for the billing system.
    let notifier = app.notify.as_ref().map(duly_app::notify::NotifyFrom::notifier);
    let creditors = duly_app::settings::rostered_creditors(&app.store, now).await?;
    let reports = duly_app::settings::send_due_reports(&app.store, notifier, &creditors, now).await?;
    let statements =
        duly_app::settings::send_usage_statements(&app.store, notifier, &creditors, &app.prices, now).await?;
    tracing::info!(reports, statements, "reports and statements told");
    let Some(sink) = &app.sink else {
        tracing::info!("no billing key: usage is kept, not sent");
        return Ok(serde_json::json!({"sent": false, "reports": reports, "statements": statements}));
    };
    let exported = export(&app.store, sink, now).await?;
    tracing::info!(
        events = exported.events,
        duplicates = exported.duplicates,
        failed = exported.failed,
        "usage exported"
    );
    let mut out = serde_json::to_value(exported).expect("a report serialises");
    out["reports"] = reports.into();
    out["statements"] = statements.into();
    Ok(out)
}
