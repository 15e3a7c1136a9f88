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

/// The log filter: Lambda's own `AWS_LAMBDA_LOG_LEVEL` (what the template's `ApplicationLogLevel` sets, and
/// what the console changes) first, then `RUST_LOG`, else `info`. Lambda's `FATAL` is `error` here.
pub fn log_filter(lambda_level: Option<&str>, rust_log: Option<&str>) -> String {
    let lambda = lambda_level
        .map(str::trim)
        .and_then(|level| match level.to_ascii_uppercase().as_str() {
            "TRACE" => Some("trace"),
            "DEBUG" => Some("debug"),
            "INFO" => Some("info"),
            "WARN" => Some("warn"),
            "ERROR" | "FATAL" => Some("error"),
            _ => None,
        });
    match (lambda, rust_log.map(str::trim).filter(|f| !f.is_empty())) {
        (Some(level), _) => level.to_string(),
        (None, Some(filter)) => filter.to_string(),
        (None, None) => "info".to_string(),
    }
}

/// Installs the JSON subscriber once per cold start, at the level [`log_filter`] reads.
pub fn init() {
    let filter = log_filter(
        std::env::var("AWS_LAMBDA_LOG_LEVEL").ok().as_deref(),
        std::env::var("RUST_LOG").ok().as_deref(),
    );
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
    #[test]
    fn lambdas_log_level_comes_first_then_rust_log_then_info() {
        use super::log_filter;
        assert_eq!(log_filter(Some("DEBUG"), Some("warn")), "debug");
        assert_eq!(log_filter(Some("FATAL"), None), "error");
        assert_eq!(log_filter(Some("LOUD"), Some("duly=trace")), "duly=trace");
        assert_eq!(log_filter(None, Some("warn")), "warn");
        assert_eq!(log_filter(None, Some(" ")), "info");
        assert_eq!(log_filter(None, None), "info");
    }

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
