//! What a caller is told when something fails.

/// The reason every 5xx answer gives. The detail behind a server-side failure (an SDK's error text, a
/// table name, an endpoint) is about Duly's infrastructure, so it goes to the logs and not to whoever
/// called, who may be anyone on the internet.
pub const UNAVAILABLE_REASON: &str = "Duly could not reach a service it depends on; try again shortly";

/// The reason to answer with: the error itself for a 4xx, which is about the request, and
/// [`UNAVAILABLE_REASON`] for a 5xx.
pub fn public_reason(status: u16, error: &dyn std::fmt::Display) -> String {
    if status >= 500 {
        UNAVAILABLE_REASON.to_string()
    } else {
        error.to_string()
    }
}
