//! The scheduler Lambda: sends the reminders that are due, on an EventBridge schedule.

use aws_config::BehaviorVersion;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

use duly_adapters::outbound::Outbound;
use duly_adapters::queue::WorkQueue;
use duly_adapters::store::Store;
use duly_app::config::Config;
use duly_scheduler::{handle, handle_work, metric_line, App};

#[tokio::main]
async fn main() -> Result<(), Error> {
    duly_adapters::telemetry::init();
    let config = Config::from_env()?;
    let aws = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(duly_adapters::aws_timeouts())
        .load()
        .await;
    let app = App {
        links: config.links(),
        fallback_from: config.fallback_from.clone(),
        app_url: config.app_url.clone(),
        budget: Default::default(),
        prices: config.prices.clone(),
        store: Store::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
        outbound: Outbound::new(
            aws_sdk_sesv2::Client::new(&aws),
            aws_sdk_sns::Client::new(&aws),
            config.ses_configuration_set.clone(),
        )
        .with_opens_configuration_set(config.ses_opens_configuration_set.clone())
        .paced(config.send_gaps.0, config.send_gaps.1),
        queue: std::env::var("DULY_WORK_QUEUE_URL")
            .ok()
            .filter(|url| !url.is_empty())
            .map(|url| WorkQueue::new(aws_sdk_sqs::Client::new(&aws), url)),
    };
    let app = &app;
    run(service_fn(move |event: LambdaEvent<serde_json::Value>| async move {
        // One binary, two triggers: the schedule's tick, or the work queue's messages.
        // Each run's figures go to stdout as embedded-metric lines, which CloudWatch Logs turns into metrics.
        let now = chrono::Utc::now();
        if event.payload.get("Records").is_some() {
            let worked = Box::pin(handle_work(app, &event.payload, now)).await;
            for batch in &worked.batches {
                println!("{}", metric_line(batch, "worker", now));
            }
            return Ok::<_, Error>(worked.answer);
        }
        // Boxed: the two flows' futures together are deeper than the compiler's default limit.
        let summary = Box::pin(handle(app, now)).await?;
        println!("{}", metric_line(&summary, "scheduler", now));
        Ok(serde_json::to_value(summary)?)
    }))
    .await
}
