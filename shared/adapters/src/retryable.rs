//! Which AWS errors are worth trying again later: the SDK's own lists of throttling and transient error
//! codes (the ones its retry strategy uses), a server error, and the few internal-failure codes services
//! answer with a 4xx-looking name. One rule for the table, the mail and text providers and the key.

use aws_runtime::retries::classifiers::{THROTTLING_ERRORS, TRANSIENT_ERRORS};

/// Codes AWS services give their own internal failures (KMS, DynamoDB, SES, SNS).
const INTERNAL_FAILURES: &[&str] = &[
    "InternalFailure",
    "InternalServerError",
    "InternalError",
    "ServiceUnavailable",
    "KMSInternalException",
    "DependencyTimeoutException",
];

/// Whether an error with this code (and HTTP status, when known) may succeed if tried again.
pub fn transient(code: Option<&str>, status: Option<u16>) -> bool {
    let listed = code.is_some_and(|code| {
        THROTTLING_ERRORS.contains(&code) || TRANSIENT_ERRORS.contains(&code) || INTERNAL_FAILURES.contains(&code)
    });
    listed || status.is_some_and(|s| s >= 500 || s == 429)
}

#[cfg(test)]
mod tests {
    use super::transient;

    #[test]
    fn throttling_timeouts_and_server_errors_are_tried_again_refusals_are_not() {
        for code in [
            "ThrottlingException",
            "ProvisionedThroughputExceededException",
            "TransactionInProgressException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
            "LimitExceededException",
            "RequestTimeout",
            "KMSInternalException",
        ] {
            assert!(transient(Some(code), Some(400)), "{code}");
        }
        assert!(transient(Some("Unknown"), Some(503)));
        assert!(transient(None, Some(429)));
        for code in [
            "ValidationException",
            "AccessDeniedException",
            "MessageRejected",
            "ConditionalCheckFailedException",
        ] {
            assert!(!transient(Some(code), Some(400)), "{code}");
        }
    }
}
