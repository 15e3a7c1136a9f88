//! The sync Lambda: fetches what Xero's and QuickBooks' thin webhooks named, and catches every connection
//! up once a day.

use aws_config::BehaviorVersion;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

use duly_adapters::platforms::PlatformApi;
use duly_adapters::store::Store;
use duly_adapters::vault::Vault;
use duly_app::config::Config;
use duly_app::sync::Apis;
use duly_sync::{handle, App};

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
        apis: Apis {
            xero: PlatformApi::xero_from_env(),
            quickbooks: PlatformApi::quickbooks_from_env(),
            stripe: PlatformApi::stripe_from_env(),
            merit: PlatformApi::merit_from_env(),
        },
        catch_up_pages: duly_app::sync::CATCH_UP_PAGES_PER_RUN,
        pay_links: duly_app::sync::PAY_LINKS_PER_RUN,
        // Telling a creditor their connection was revoked needs SES and Duly's sending address.
        notify: config.notify_from(aws_sdk_sesv2::Client::new(&aws), aws_sdk_sns::Client::new(&aws)),
    };
    let app = &app;
    run(service_fn(move |event: LambdaEvent<serde_json::Value>| async move {
        handle(app, &event.payload, chrono::Utc::now())
            .await
            .map_err(Error::from)
    }))
    .await
}
