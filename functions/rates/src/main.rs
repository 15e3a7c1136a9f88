//! The rate feed Lambda: fetches the statutory reference rates and rates of exchange from their publishers.

use aws_config::BehaviorVersion;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

use duly_adapters::publishers::Publishers;
use duly_adapters::store::Store;
use duly_app::config::Config;
use duly_rates::{handle, App};

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
        publishers: Publishers::from_env(),
        offered: config.interest_countries.clone(),
    };
    let app = &app;
    run(service_fn(move |_event: LambdaEvent<serde_json::Value>| async move {
        let now = chrono::Utc::now();
        let outcome = handle(app, now).await.map_err(Error::from)?;
        println!("{}", duly_rates::metric_line(&outcome, now));
        Ok::<_, Error>(serde_json::to_value(outcome)?)
    }))
    .await
}
