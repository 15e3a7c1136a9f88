//! The answers Lambda: the pages behind the links in reminders.

use aws_config::BehaviorVersion;
use lambda_http::{run, service_fn, Error, Request};

use duly_adapters::store::Store;
use duly_answers::{handle, App};
use duly_app::config::Config;

#[tokio::main]
async fn main() -> Result<(), Error> {
    duly_adapters::telemetry::init();
    let config = Config::from_env()?;
    let links = config
        .links()
        .ok_or("DULY_LINK_SECRET and DULY_ANSWERS_URL must be set")?;
    let aws = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(duly_adapters::aws_timeouts())
        .load()
        .await;
    let app = App {
        store: Store::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
        links,
        outbound: config.notice_outbound(aws_sdk_sesv2::Client::new(&aws), aws_sdk_sns::Client::new(&aws)),
        notify_from: config.fallback_from.clone(),
        app_url: config.app_url.clone(),
    };
    let app = &app;
    run(service_fn(move |request: Request| async move {
        Ok::<_, std::convert::Infallible>(handle(app, request, chrono::Utc::now()).await)
    }))
    .await
}
