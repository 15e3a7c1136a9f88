//! The ingest Lambda: verifies signed webhook deliveries and applies them to the ledger.

use aws_config::BehaviorVersion;
use lambda_http::{run, service_fn, Error, Request};

use duly_adapters::store::Store;
use duly_adapters::vault::Vault;
use duly_app::config::Config;
use duly_ingest::{handle, App};

#[tokio::main]
async fn main() -> Result<(), Error> {
    duly_adapters::telemetry::init();
    let config = Config::from_env()?;
    let aws = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(duly_adapters::aws_timeouts())
        .load()
        .await;
    let app = App::new(
        Store::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
        Vault::new(aws_sdk_kms::Client::new(&aws), config.require_credentials_key()?),
        config.app_keys.clone(),
    );
    let app = &app;
    run(service_fn(move |request: Request| async move {
        Ok::<_, std::convert::Infallible>(handle(app, request, chrono::Utc::now()).await)
    }))
    .await
}
