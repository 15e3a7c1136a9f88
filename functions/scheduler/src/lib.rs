//! Event shell of the scheduler function: one EventBridge tick runs [`duly_app::scheduler::run`].

use chrono::{DateTime, Utc};
use serde::Serialize;

use duly_adapters::outbound::Outbound;
use duly_adapters::store::Store;
use duly_app::scheduler::{run, Budget, RunReport, SchedulerError, Sending, SentReminder};
use duly_core::messages::links::Links;

/// Everything built once per cold start.
pub struct App {
    pub store: Store,
    pub outbound: Outbound,
    /// Signs answer links and makes short pay links; without it messages carry neither.
    pub links: Option<Links>,
    /// Duly's own address for creditors whose domain is not verified yet.
    pub fallback_from: Option<String>,
    /// The web app's base URL, for the links in notices to creditors.
    pub app_url: Option<String>,
    pub budget: Budget,
    pub prices: duly_core::billing::PriceList,
}

/// What a run returns to Lambda (and to `cargo lambda invoke`).
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub examined: usize,
    pub sent: usize,
    pub rescheduled: usize,
    pub retired: usize,
    pub skipped_steps: usize,
    pub contended: usize,
    pub errors: usize,
    /// Messages an earlier run left unfinished, finished now.
    pub recovered: usize,
    /// Messages with a channel that failed for now, tried again later.
    pub deferred: usize,
    pub postponed: usize,
    /// Creditors' daily digests sent.
    pub digests: usize,
    /// Messages held back by their creditor's monthly spend cap.
    pub over_cap: usize,
    pub reminders: Vec<SentReminder>,
}

impl From<&RunReport> for Summary {
    fn from(r: &RunReport) -> Self {
        Summary {
            examined: r.examined,
            sent: r.sent.len(),
            rescheduled: r.rescheduled,
            retired: r.retired,
            skipped_steps: r.skipped_steps,
            contended: r.contended,
            errors: r.errors,
            recovered: r.recovered,
            deferred: r.deferred,
            postponed: r.postponed,
            digests: r.digests,
            over_cap: r.over_cap,
            reminders: r.sent.clone(),
        }
    }
}

/// Runs once at `now`. The event's content does not matter: every tick looks at everything that is due.
/// An error fails the invocation, so Lambda retries it; sends already made are claimed and never repeat.
pub async fn handle(app: &App, now: DateTime<Utc>) -> Result<Summary, SchedulerError> {
    let sending = Sending {
        outbound: &app.outbound,
        links: app.links.as_ref(),
        fallback_from: app.fallback_from.as_deref(),
        app_url: app.app_url.as_deref(),
        prices: &app.prices,
    };
    let report = run(&app.store, sending, app.budget, now).await?;
    let summary = Summary::from(&report);
    tracing::info!(
        examined = summary.examined,
        sent = summary.sent,
        rescheduled = summary.rescheduled,
        retired = summary.retired,
        contended = summary.contended,
        errors = summary.errors,
        digests = summary.digests,
        "scheduler run finished"
    );
    Ok(summary)
}
