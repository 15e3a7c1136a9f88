//! The connect Lambda: OAuth flows for Xero and QuickBooks Online, and Stripe keys.

use aws_config::BehaviorVersion;
use lambda_http::{run, service_fn, Error, Request};

use duly_adapters::platforms::PlatformApi;
use duly_adapters::store::Store;
use duly_adapters::vault::Vault;
use duly_app::config::Config;
use duly_app::connect::{OAuthApp, Platforms};
use duly_connect::{handle, App};
use duly_core::platforms::oauth::{QUICKBOOKS_SCOPES, XERO_SCOPES};

#[tokio::main]
async fn main() -> Result<(), Error> {
    duly_adapters::telemetry::init();
    let config = Config::from_env()?;
    let env = |k: &str, default: &str| std::env::var(k).unwrap_or_else(|_| default.to_string());
    let aws = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(duly_adapters::aws_timeouts())
        .load()
        .await;
    let app = App {
        store: Store::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
        vault: Vault::new(aws_sdk_kms::Client::new(&aws), config.require_credentials_key()?),
        platforms: Platforms {
            xero: OAuthApp {
                authorize_url: env(
                    "DULY_XERO_AUTHORIZE_URL",
                    "https://login.xero.com/identity/connect/authorize",
                ),
                scopes: XERO_SCOPES,
                api: PlatformApi::xero_from_env(),
            },
            quickbooks: OAuthApp {
                authorize_url: env(
                    "DULY_QUICKBOOKS_AUTHORIZE_URL",
                    "https://appcenter.intuit.com/connect/oauth2",
                ),
                scopes: QUICKBOOKS_SCOPES,
                api: PlatformApi::quickbooks_from_env(),
            },
            stripe: PlatformApi::stripe_from_env(),
        },
        app_url: config.app_url.clone(),
        webhook_base: std::env::var("DULY_WEBHOOK_BASE_URL").ok(),
    };
    let app = &app;
    run(service_fn(move |request: Request| async move {
        Ok::<_, std::convert::Infallible>(handle(app, request, chrono::Utc::now()).await)
    }))
    .await
}
