//! The rate feed's Lambda: the daily schedule and an on-demand invoke both run the whole feed.

use duly_adapters::publishers::Publishers;
use duly_adapters::store::Store;
use duly_app::rate_feed::{run, Outcome};
use duly_core::interest::Offered;

pub struct App {
    pub store: Store,
    pub publishers: Publishers,
    pub offered: Offered,
}

/// One run, whatever the event: the schedule's and a person's invoke ask for the same thing.
pub async fn handle(
    app: &App,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Outcome, duly_adapters::store::StoreError> {
    run(&app.store, &app.publishers, &app.offered, now).await
}

/// A run's figures for the alarms, as CloudWatch's embedded metric format: no API call from the function.
pub fn metric_line(outcome: &Outcome, now: chrono::DateTime<chrono::Utc>) -> String {
    duly_adapters::telemetry::metric_line(
        "Duly",
        "rates",
        &[
            ("RateFeedFailures", outcome.failed.len() as i64),
            ("RatesMissing", outcome.missing.len() as i64),
        ],
        now,
    )
}
