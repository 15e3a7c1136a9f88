//! Merit's API: every request a signed POST (see `duly_core::platforms::merit`).

use std::time::Duration;

use chrono::{DateTime, Utc};
use duly_core::platforms::merit::{sign, timestamp, Region};

use super::{classify, ApiError, PlatformApi};

/// The longest Duly waits inside one call for Merit's throttle (60 requests a minute) to pass; a longer
/// wait ends the call, and the sync job is retried later.
const MAX_THROTTLE_WAIT: Duration = Duration::from_secs(5);

/// The time a request is signed at. Like the AWS SDK's own request signing, this is the clock at the
/// moment of sending, not the invocation's injected time: Merit checks the signature's second.
fn wall_clock() -> DateTime<Utc> {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    DateTime::from_timestamp(i64::try_from(since_epoch.as_secs()).unwrap_or(0), 0).unwrap_or_default()
}

/// A company's Merit keys, as the vault opens them.
#[derive(Clone, Copy)]
pub struct MeritKeys<'a> {
    pub api_id: &'a str,
    pub api_key: &'a str,
    pub region: Region,
}

impl PlatformApi {
    /// Merit at the region's own address, unless `DULY_MERIT_API_BASE` points every region elsewhere.
    pub fn merit_from_env() -> Self {
        Self::with_token_url(&super::env_or("DULY_MERIT_API_BASE", ""), "", "", "")
    }

    /// `POST /api/{endpoint}` (`v2/getinvoices`…) with `body`, signed at the moment it is sent. A throttled
    /// request (429) is sent once more after Merit's wait, signed again: a signature names its second, and
    /// Merit refuses one it has seen.
    pub async fn merit_call(&self, keys: MeritKeys<'_>, endpoint: &str, body: &str) -> Result<Vec<u8>, ApiError> {
        let base = match self.api_base.as_str() {
            "" => keys.region.base_url(),
            own => own,
        };
        let url = format!("{base}/api/{endpoint}");
        let mut throttled_once = false;
        loop {
            let stamp = timestamp(wall_clock());
            let signature = sign(keys.api_id, keys.api_key, &stamp, body.as_bytes());
            let response = self
                .http()
                .post(&url)
                .query(&[("ApiId", keys.api_id), ("timestamp", &stamp), ("signature", &signature)])
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .map_err(|e| ApiError::Unavailable(e.without_url().to_string()))?;
            let status = response.status();
            if status.is_success() {
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|e| ApiError::Unavailable(e.without_url().to_string()))?;
                return Ok(bytes.to_vec());
            }
            match classify(status, response.headers().get("retry-after")) {
                ApiError::RateLimited(wait) if !throttled_once && wait <= MAX_THROTTLE_WAIT => {
                    throttled_once = true;
                    // At least a second, so the new signature's timestamp is a new one.
                    tokio::time::sleep(wait.max(Duration::from_secs(1))).await;
                }
                other => return Err(other),
            }
        }
    }
}
