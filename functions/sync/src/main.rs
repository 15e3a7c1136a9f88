//! The sync Lambda: fetches invoices and contacts that Xero's thin webhooks named.

use aws_config::BehaviorVersion;
use duly::config::Config;
use duly::platforms::xero_api::XeroApi;
use duly::store::Store;
use duly_sync::{handle, App};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    duly::telemetry::init();
    let config = Config::from_env()?;
    let env = |k: &str, default: &str| std::env::var(k).unwrap_or_else(|_| default.to_string());
    let aws = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let app = App {
        store: Store::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
        xero: XeroApi::new(
            &env("DULY_XERO_API_BASE", "https://api.xero.com"),
            &env("DULY_XERO_IDENTITY_BASE", "https://identity.xero.com"),
            &env("DULY_XERO_CLIENT_ID", ""),
            &env("DULY_XERO_CLIENT_SECRET", ""),
        ),
    };
    let app = &app;
    run(service_fn(move |_event: LambdaEvent<serde_json::Value>| async move {
        handle(app, chrono::Utc::now()).await.map_err(Error::from)
    }))
    .await
}
