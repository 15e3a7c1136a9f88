//! The connect Lambda: OAuth flows for Xero and QuickBooks Online, and Stripe keys.

use aws_config::BehaviorVersion;
use lambda_http::{run, service_fn, Error, Request};

use duly_adapters::platforms::PlatformApi;
use duly_adapters::store::Store;
use duly_adapters::vault::Vault;
use duly_app::config::Config;
use duly_app::connect::{OAuthApp, Platforms};
use duly_connect::{handle, App};

/// The web app's URL from the SSM parameter the stack names (`DULY_APP_URL_PARAMETER`): the web app links
/// to this function, so this function cannot be given the app's URL in its environment without the two
/// depending on each other in the stack. Without it, pages go without the button into the app.
async fn app_url_from_parameter(aws: &aws_config::SdkConfig) -> Option<String> {
    let name = std::env::var("DULY_APP_URL_PARAMETER").ok()?;
    match aws_sdk_ssm::Client::new(aws).get_parameter().name(name).send().await {
        Ok(out) => out.parameter().and_then(|p| p.value()).map(str::to_string),
        Err(e) => {
            tracing::warn!(error = %aws_sdk_ssm::error::DisplayErrorContext(&e), "the app's URL could not be read");
            None
        }
    }
}

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
        },
        app_url: match config.app_url.clone() {
            Some(url) => Some(url),
            None => app_url_from_parameter(&aws).await,
        },
        webhook_base: std::env::var("DULY_WEBHOOK_BASE_URL").ok(),
    };
    let app = &app;
    run(service_fn(move |request: Request| async move {
        Ok::<_, std::convert::Infallible>(handle(app, request, chrono::Utc::now()).await)
    }))
    .await
}
