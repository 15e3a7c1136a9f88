//! Event shell of the delivery-events function: SES deliveries, bounces and complaints, from EventBridge;
//! and SNS's SMS delivery statuses, from a CloudWatch Logs subscription.

use chrono::{DateTime, Utc};

use duly_adapters::store::Store;
use duly_app::delivery_events::{handle as apply, handle_sms, sms_statuses, NotLogs, Outcome, SesEvent};
use duly_app::notify::NotifyFrom;
use duly_app::settings::SettingsError;

/// Everything built once per cold start.
pub struct App {
    pub store: Store,
    /// Tells creditors about refused addresses; `None` where no sending address is set.
    pub notify: Option<NotifyFrom>,
}

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("not an SES event: {0}")]
    NotSes(String),
    #[error("{0}")]
    Apply(#[from] SettingsError),
    #[error(transparent)]
    NotLogs(#[from] NotLogs),
}

/// Handles one EventBridge event whose `detail` is an SES event, or one CloudWatch Logs batch of SMS
/// statuses. An error makes EventBridge (or Lambda's asynchronous invocation) retry.
pub async fn handle(app: &App, event: serde_json::Value, now: DateTime<Utc>) -> Result<&'static str, EventError> {
    if let Some(data) = event["awslogs"]["data"].as_str() {
        let statuses = sms_statuses(data)?;
        let mut recorded = 0;
        for status in &statuses {
            if handle_sms(&app.store, status, now).await? == Outcome::Recorded {
                recorded += 1;
            }
        }
        tracing::info!(statuses = statuses.len(), recorded, "SMS delivery statuses");
        return Ok("sms_statuses");
    }
    let detail = event.get("detail").cloned().unwrap_or(serde_json::Value::Null);
    let ses: SesEvent = serde_json::from_value(detail).map_err(|e| EventError::NotSes(e.to_string()))?;
    let notifier = app.notify.as_ref().map(NotifyFrom::notifier);
    let outcome = apply(&app.store, notifier, &ses, now).await?;
    let label = match outcome {
        Outcome::Recorded => "recorded",
        Outcome::AddressRefused => "address_refused",
        Outcome::Transient => "transient",
        Outcome::Unknown => "unknown_message",
    };
    tracing::info!(event_type = %ses.event_type, outcome = label, "delivery event");
    Ok(label)
}
