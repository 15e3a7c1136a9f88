//! The settings Lambda: the creditor's reminder policy, groups, controls and plans.

use aws_config::BehaviorVersion;
use lambda_http::{run, service_fn, Error, Request};

use duly_adapters::store::Store;
use duly_app::config::Config;
use duly_settings::{handle, App};

#[tokio::main]
async fn main() -> Result<(), Error> {
    duly_adapters::telemetry::init();
    let config = Config::from_env()?;
    let aws = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(duly_adapters::aws_timeouts())
        .load()
        .await;
    let app = App {
        store: Store::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
        outbound: duly_adapters::outbound::Outbound::new(
            aws_sdk_sesv2::Client::new(&aws),
            aws_sdk_sns::Client::new(&aws),
            None,
        ),
        interest_countries: config.interest_countries.clone(),
        prices: config.prices.clone(),
        domains: config.sending_domains(),
    };
    let app = &app;
    run(service_fn(move |request: Request| async move {
        Ok::<_, std::convert::Infallible>(handle(app, request, chrono::Utc::now()).await)
    }))
    .await
}
