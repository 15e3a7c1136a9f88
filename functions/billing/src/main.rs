//! The billing Lambda: counts webhooks into creditors' usage and sends usage to Stripe Billing hourly.

use aws_config::BehaviorVersion;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

use duly_adapters::metering::StripeMeters;
use duly_adapters::store::Store;
use duly_app::config::Config;
use duly_billing::{handle, App};

#[tokio::main]
async fn main() -> Result<(), Error> {
    duly_adapters::telemetry::init();
    let config = Config::from_env()?;
    let aws = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(duly_adapters::aws_timeouts())
        .load()
        .await;
    let api_base = std::env::var("DULY_STRIPE_BILLING_API").unwrap_or_else(|_| "https://api.stripe.com".into());
    let key = std::env::var("DULY_STRIPE_BILLING_KEY").unwrap_or_default();
    let app = App {
        store: Store::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
        sink: (!key.is_empty()).then(|| StripeMeters::new(&api_base, &key)),
        prices: config.prices.clone(),
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
