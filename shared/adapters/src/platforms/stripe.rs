//! Stripe's API (`/v1`), read with the connection's restricted key.

use super::{ApiError, PlatformApi};

impl PlatformApi {
    /// Stripe `GET /v1/{path}` with the connection's restricted key.
    pub async fn stripe_list(&self, key: &str, path: &str, query: &[(&str, String)]) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v1/{path}", self.api_base);
        self.get_with(key, url, query, &[]).await
    }
}
