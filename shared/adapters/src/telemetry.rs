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
