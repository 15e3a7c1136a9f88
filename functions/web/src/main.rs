//! The web Lambda: the creditor's web app.

use aws_config::BehaviorVersion;
use lambda_http::{run, service_fn, Error, Request};

use duly_adapters::store::Store;
use duly_app::config::Config;
use duly_app::web::sign_in_with::Identities;
use duly_web::{handle, App};

#[tokio::main]
async fn main() -> Result<(), Error> {
    duly_adapters::telemetry::init();
    let config = Config::from_env()?;
    let aws = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(duly_adapters::aws_timeouts())
        .load()
        .await;
    // Sign-in links are built from the configured URL alone, never from a request's Host header.
    let app_url = match config.app_url.clone() {
        Some(url) => url,
        None => duly_adapters::parameters::app_url(&aws_sdk_ssm::Client::new(&aws))
            .await
            .ok_or("the app's URL is not configured: set DULY_APP_URL or DULY_APP_URL_PARAMETER")?,
    };
    let app = App {
        store: Store::new(aws_sdk_dynamodb::Client::new(&aws), config.table_name.clone()),
        // Sign-in links and invitations are Duly's own mail.
        outbound: config.notice_outbound(aws_sdk_sesv2::Client::new(&aws), aws_sdk_sns::Client::new(&aws)),
        from: config.fallback_from.clone(),
        app_url,
        identities: Identities::from_env(),
        connect_url: std::env::var("DULY_CONNECT_URL").ok(),
        interest_countries: config.interest_countries.clone(),
        prices: config.prices.clone(),
        domains: config.sending_domains(),
        link_request_floor: std::time::Duration::from_millis(1500),
    };
    let app = &app;
    run(service_fn(move |request: Request| async move {
        Ok::<_, std::convert::Infallible>(handle(app, request, chrono::Utc::now()).await)
    }))
    .await
}
