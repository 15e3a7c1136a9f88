//! The connect Lambda: OAuth flows for Xero and QuickBooks Online, and Stripe keys.

use aws_config::BehaviorVersion;
use lambda_http::{run, service_fn, Error, Request};

use duly_adapters::platforms::PlatformApi;
use duly_adapters::store::Store;
use duly_adapters::vault::Vault;
use duly_app::config::Config;
use duly_app::connect::{OAuthApp, Platforms};
use duly_connect::{handle, App};

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
        vault: Vault::new(aws_sdk_kms::Client::new(&aws), config.require_credentials_key()?),
        platforms: Platforms {
            xero: OAuthApp::xero_from_env(),
            quickbooks: OAuthApp::quickbooks_from_env(),
            stripe: PlatformApi::stripe_from_env(),
            merit: PlatformApi::merit_from_env(),
        },
        app_url: match config.app_url.clone() {
            Some(url) => Some(url),
            None => duly_adapters::parameters::app_url(&aws_sdk_ssm::Client::new(&aws)).await,
        },
        webhook_base: std::env::var("DULY_WEBHOOK_BASE_URL").ok(),
    };
    let app = &app;
    run(service_fn(move |request: Request| async move {
        Ok::<_, std::convert::Infallible>(handle(app, request, chrono::Utc::now()).await)
    }))
    .await
}
