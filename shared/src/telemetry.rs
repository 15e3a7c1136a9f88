//! Structured JSON logs for CloudWatch. Log fields are ids, counts and outcomes: never secrets, message
//! bodies, e-mail addresses, phone numbers or names.

/// Installs the JSON subscriber once per cold start. `RUST_LOG` overrides the default `info` level.
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second call (tests that build the app twice) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .without_time()
        .try_init();
}
