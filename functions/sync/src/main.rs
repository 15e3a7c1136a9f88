//! The sync Lambda: fetches what Xero's and QuickBooks' thin webhooks named, and catches every connection
//! up once a day.

use aws_config::BehaviorVersion;
use duly::config::Config;
use duly::platforms::xero_api::PlatformApi;
use duly::store::Store;
use duly::sync::Apis;
use duly::vault::Vault;
use duly_sync::{handle, App};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    duly::telemetry::init();
    let config = Config::from_env()?;
    let env = |k: &str, default: &str| std::env::var(k).unwrap_or_else(|_| default.to_string());
    let aws = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(duly::config::aws_timeouts())
        .load()
        .await;
    let app = App {
        store: Store::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
        vault: Vault::new(aws_sdk_kms::Client::new(&aws), config.require_credentials_key()?),
        apis: Apis {
            xero: PlatformApi::new(
                &env("DULY_XERO_API_BASE", "https://api.xero.com"),
                &env("DULY_XERO_IDENTITY_BASE", "https://identity.xero.com"),
                &env("DULY_XERO_CLIENT_ID", ""),
                &env("DULY_XERO_CLIENT_SECRET", ""),
            ),
            quickbooks: PlatformApi::with_token_url(
                &env("DULY_QUICKBOOKS_API_BASE", "https://quickbooks.api.intuit.com"),
                &env(
                    "DULY_QUICKBOOKS_TOKEN_URL",
                    "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
                ),
                &env("DULY_QUICKBOOKS_CLIENT_ID", ""),
                &env("DULY_QUICKBOOKS_CLIENT_SECRET", ""),
            ),
            // Stripe keys are per connection; the app has no token endpoint there.
            stripe: PlatformApi::with_token_url(&env("DULY_STRIPE_API_BASE", "https://api.stripe.com"), "", "", ""),
        },
    };
    let app = &app;
    run(service_fn(move |event: LambdaEvent<serde_json::Value>| async move {
        handle(app, &event.payload, chrono::Utc::now())
            .await
            .map_err(Error::from)
    }))
    .await
}
