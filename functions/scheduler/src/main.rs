//! The scheduler Lambda: sends the reminders that are due, on an EventBridge schedule.

use aws_config::BehaviorVersion;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

use duly_adapters::outbound::Outbound;
use duly_adapters::store::Store;
use duly_app::config::Config;
use duly_scheduler::{handle, App};

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
        .with_opens_configuration_set(config.ses_opens_configuration_set.clone()),
    };
    let app = &app;
    run(service_fn(move |_event: LambdaEvent<serde_json::Value>| async move {
        handle(app, chrono::Utc::now()).await.map_err(Error::from)
    }))
    .await
}
