//! Event shell of the scheduler: an EventBridge tick runs [`duly_app::scheduler::run`], or, with a work
//! queue, [`duly_app::scheduler::dispatch`]; the same binary deployed as the worker takes the queue's
//! messages ([`handle_work`]).

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use duly_adapters::outbound::Outbound;
use duly_adapters::store::Store;
use duly_app::scheduler::{
    batch_done, dispatch, run, work, Batch, Budget, Dispatched, RunReport, SchedulerError, Sending, SentReminder,
};
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
    /// Where a tick puts due debtors for the workers; `None`: the tick handles them itself.
    pub queue: Option<duly_adapters::queue::WorkQueue>,
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
    /// How long the longest-waiting due invoice had waited when the tick read the due index.
    pub lag_seconds: i64,
    /// Messages given up on every channel.
    pub dead_letters: usize,
    /// What a tick with a work queue put on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispatched: Option<Dispatched>,
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
            lag_seconds: r.lag_seconds,
            dead_letters: r.dead_letters,
            dispatched: None,
        }
    }
}

impl Summary {
    /// A worker's batch whose every debtor failed goes back to the queue to be tried again.
    pub fn handed_back(&self) -> bool {
        self.examined > 0 && self.errors == self.examined
    }
}

/// The run's figures as a CloudWatch embedded-metric line (namespace `Duly`), for the alarms and dashboards.
pub fn metric_line(summary: &Summary, function: &str, now: DateTime<Utc>) -> String {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let dispatched = summary.dispatched.as_ref();
    duly_adapters::telemetry::metric_line(
        "Duly",
        function,
        &[
            ("Sent", count(summary.sent)),
            ("Deferred", count(summary.deferred)),
            ("Contended", count(summary.contended)),
            ("Errors", count(summary.errors)),
            ("Postponed", count(summary.postponed)),
            ("OverCap", count(summary.over_cap)),
            ("DeadLetters", count(summary.dead_letters)),
            ("Dispatched", count(dispatched.map_or(0, |d| d.debtors))),
            ("LagSeconds", summary.lag_seconds),
        ],
        now,
    )
}

fn sending(app: &App) -> Sending<'_> {
    Sending {
        outbound: &app.outbound,
        links: app.links.as_ref(),
        fallback_from: app.fallback_from.as_deref(),
        app_url: app.app_url.as_deref(),
        prices: &app.prices,
    }
}

/// Runs once at `now`. The event's content does not matter: every tick looks at everything that is due.
/// An error fails the invocation, so Lambda retries it; sends already made are claimed and never repeat.
pub async fn handle(app: &App, now: DateTime<Utc>) -> Result<Summary, SchedulerError> {
    let summary = match &app.queue {
        None => Summary::from(&run(&app.store, sending(app), app.budget, now).await?),
        Some(queue) => {
            let (report, dispatched) = dispatch(&app.store, sending(app), queue, app.budget, now).await?;
            tracing::info!(
                batches = dispatched.batches,
                debtors = dispatched.debtors,
                creditors_busy = dispatched.creditors_busy,
                "due debtors dispatched"
            );
            let mut summary = Summary::from(&report);
            summary.dispatched = Some(dispatched);
            summary
        }
    };
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

/// One work message: its batch's debtors, handled as a run would. `None`: the body is not a batch (it would
/// never parse, so it is dropped with a log line).
pub async fn work_message(app: &App, body: &str, now: DateTime<Utc>) -> Option<Summary> {
    let Ok(batch) = serde_json::from_str::<Batch>(body) else {
        tracing::error!("a work message that is not a batch was dropped");
        return None;
    };
    let creditor = batch.creditor.clone();
    let report = work(&app.store, sending(app), batch, app.budget, now).await;
    let summary = Summary::from(&report);
    if !summary.handed_back() {
        batch_done(&app.store, &creditor).await;
    }
    tracing::info!(
        debtors = summary.examined,
        sent = summary.sent,
        errors = summary.errors,
        contended = summary.contended,
        "work batch done"
    );
    Some(summary)
}

/// What the worker answers Lambda, and each batch's figures for the metric lines.
pub struct Worked {
    /// The partial-batch-failure answer.
    pub answer: serde_json::Value,
    pub batches: Vec<Summary>,
}

/// The worker: an SQS event's messages, each a batch of one creditor's due debtors. A batch whose every
/// debtor failed is handed back to SQS to try again (and, after the queue's receive limit, to its
/// dead-letter queue). Answers in the partial-batch-failure form, so one bad batch does not bring back the
/// others.
pub async fn handle_work(app: &App, event: &serde_json::Value, now: DateTime<Utc>) -> Worked {
    let mut answer = SqsBatchResponse::default();
    let mut batches = Vec::new();
    let messages = SqsEvent::deserialize(event).map(|e| e.records).unwrap_or_default();
    for message in &messages {
        let body = message.body.as_deref().unwrap_or_default();
        if let Some(summary) = work_message(app, body, now).await {
            if summary.handed_back() {
                let mut failure = BatchItemFailure::default();
                failure.item_identifier = message.message_id.clone().unwrap_or_default();
                answer.batch_item_failures.push(failure);
            }
            batches.push(summary);
        }
    }
    Worked {
        answer: serde_json::to_value(answer).unwrap_or_default(),
        batches,
    }
}
