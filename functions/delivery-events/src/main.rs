//! The delivery-events Lambda: keeps bounced and complaining addresses from being mailed again.

use aws_config::BehaviorVersion;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

use duly_adapters::store::Store;
use duly_app::config::Config;
use duly_delivery_events::{handle, App};

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
        // Telling a creditor that an address bounced needs SES and Duly's sending address.
        notify: config.notify_from(aws_sdk_sesv2::Client::new(&aws), aws_sdk_sns::Client::new(&aws)),
    };
    let app = &app;
    run(service_fn(move |event: LambdaEvent<serde_json::Value>| async move {
        handle(app, event.payload, chrono::Utc::now())
            .await
            .map_err(Error::from)
    }))
    .await
}
