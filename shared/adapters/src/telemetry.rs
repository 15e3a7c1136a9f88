//! Structured JSON logs for CloudWatch. Log fields are ids, counts and outcomes: never secrets, message
//! bodies, e-mail addresses, phone numbers or names.

use tracing_subscriber::fmt::MakeWriter;

/// The subscriber every function logs through, writing to `writer` (tests capture it to check what a
/// full run writes).
pub fn json_subscriber<W>(filter: &str, writer: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_current_span(false)
        .without_time()
        .with_writer(writer)
        .finish()
}

/// Installs the JSON subscriber once per cold start. `RUST_LOG` overrides the default `info` level.
pub fn init() {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_string());
    // A second call (tests that build the app twice) keeps the first subscriber.
    let _ = tracing::subscriber::set_global_default(json_subscriber(&filter, std::io::stdout));
}

/// One run's figures as a CloudWatch embedded-metric-format line: CloudWatch Logs turns it into metrics in
/// `namespace` under the one dimension `Function`, with no API call from the function. Counts only.
pub fn metric_line(
    namespace: &str,
    function: &str,
    metrics: &[(&str, i64)],
    at: chrono::DateTime<chrono::Utc>,
) -> String {
    let mut line = serde_json::json!({
        "_aws": {
            "Timestamp": at.timestamp_millis(),
            "CloudWatchMetrics": [{
                "Namespace": namespace,
                "Dimensions": [["Function"]],
                "Metrics": metrics
                    .iter()
                    .map(|(name, _)| serde_json::json!({
                        "Name": name,
                        "Unit": if name.ends_with("Seconds") { "Seconds" } else { "Count" }
                    }))
                    .collect::<Vec<_>>(),
            }],
        },
        "Function": function,
    });
    for (name, value) in metrics {
        line[*name] = (*value).into();
    }
    line.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metric_line_declares_each_figure_and_carries_its_value() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T07:15:00Z")
            .unwrap()
            .to_utc();
        let line: serde_json::Value = serde_json::from_str(&metric_line(
            "Duly",
            "scheduler",
            &[("Sent", 3), ("LagSeconds", 90)],
            at,
        ))
        .unwrap();
        let declared = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(line["_aws"]["Timestamp"], 1_796_022_900_000_i64);
        assert_eq!(declared["Namespace"], "Duly");
        assert_eq!(
            declared["Metrics"][1],
            serde_json::json!({"Name": "LagSeconds", "Unit": "Seconds"})
        );
        assert_eq!(
            (line["Function"].as_str(), line["Sent"].as_i64()),
            (Some("scheduler"), Some(3))
        );
    }
}
