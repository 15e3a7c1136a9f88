//! Duly's I/O: everything that talks to DynamoDB, SES, SNS, KMS or a platform's API, and the logs.
//!
//! Adapters translate between the core's plain records and the outside world's requests; they decide
//! nothing about invoices or reminders.

pub mod dns;
pub mod metering;
pub mod outbound;
pub mod parameters;
pub mod platforms;
pub mod publishers;
pub mod queue;
pub mod retryable;
pub mod store;
pub mod telemetry;
pub mod vault;

/// Time limits on every AWS call: a provider that hangs becomes a retryable error well inside the
/// function's own timeout (10 s for the HTTP functions), instead of holding the invocation until Lambda
/// kills it.
pub fn aws_timeouts() -> aws_smithy_types::timeout::TimeoutConfig {
    aws_smithy_types::timeout::TimeoutConfig::builder()
        .connect_timeout(std::time::Duration::from_secs(2))
        .operation_attempt_timeout(std::time::Duration::from_secs(3))
        .operation_timeout(std::time::Duration::from_secs(8))
        .build()
}
