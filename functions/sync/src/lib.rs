//! Event shell of the sync function: every tick fetches what Xero's and QuickBooks' thin notices named.

use chrono::{DateTime, Utc};
use duly::store::{Store, StoreError};
use duly::sync::{run, Apis, SyncReport};

/// Everything built once per cold start.
pub struct App {
    pub store: Store,
    pub apis: Apis,
}

/// One tick. An error fails the invocation so the schedule's retry runs it again; jobs stay until applied.
pub async fn handle(app: &App, now: DateTime<Utc>) -> Result<String, StoreError> {
    let SyncReport {
        jobs,
        applied,
        retried,
        dead,
        waiting,
    } = run(&app.store, &app.apis, now).await?;
    tracing::info!(jobs, applied, retried, dead, waiting, "sync run finished");
    Ok(format!(
        "{jobs} jobs: {applied} facts applied, {retried} retried later, {dead} dead letters, {waiting} waiting"
    ))
}
