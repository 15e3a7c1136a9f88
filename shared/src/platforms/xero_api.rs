//! Xero's accounting API, as much as Duly reads: invoices in batches, contacts, and token refresh.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::model::OAuthTokens;

/// Ids per `GET /Invoices?IDs=` request, well under Xero's URL limits.
pub const INVOICES_PER_REQUEST: usize = 40;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The access token expired or was revoked.
    #[error("the platform refused the token")]
    Unauthorized,
    #[error("rate limited; retry after {0:?}")]
    RateLimited(Duration),
    #[error("the platform is unavailable: {0}")]
    Unavailable(String),
    #[error("the platform refused the request ({0})")]
    Rejected(u16),
}

/// Where Xero is and which app Duly is; tests point the bases at a local server.
#[derive(Clone)]
pub struct XeroApi {
    http: reqwest::Client,
    pub api_base: String,
    pub identity_base: String,
    client_id: String,
    client_secret: String,
}

impl std::fmt::Debug for XeroApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XeroApi")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

fn classify(status: reqwest::StatusCode, retry_after: Option<&reqwest::header::HeaderValue>) -> ApiError {
    match status.as_u16() {
        401 | 403 => ApiError::Unauthorized,
        429 => {
            let seconds = retry_after
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(60);
            ApiError::RateLimited(Duration::from_secs(seconds))
        }
        s if s >= 500 => ApiError::Unavailable(format!("HTTP {s}")),
        s => ApiError::Rejected(s),
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    refresh_token: String,
    expires_in: i64,
}

impl XeroApi {
    pub fn new(api_base: &str, identity_base: &str, client_id: &str, client_secret: &str) -> Self {
        XeroApi {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("an HTTP client with default TLS roots"),
            api_base: api_base.trim_end_matches('/').to_string(),
            identity_base: identity_base.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
        }
    }

    async fn get(&self, token: &str, tenant: &str, path: &str) -> Result<Vec<u8>, ApiError> {
        let response = self
            .http
            .get(format!("{}/api.xro/2.0/{path}", self.api_base))
            .bearer_auth(token)
            .header("xero-tenant-id", tenant)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| ApiError::Unavailable(e.without_url().to_string()))?;
        if !response.status().is_success() {
            return Err(classify(response.status(), response.headers().get("retry-after")));
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| ApiError::Unavailable(e.without_url().to_string()))?;
        Ok(body.to_vec())
    }

    /// `GET /Invoices?IDs=a,b,…`: the raw response, for [`super::xero::invoices_from_response`].
    pub async fn invoices(&self, token: &str, tenant: &str, ids: &[String]) -> Result<Vec<u8>, ApiError> {
        self.get(token, tenant, &format!("Invoices?IDs={}", ids.join(",")))
            .await
    }

    /// `GET /Contacts/{id}`: the raw response, for [`super::xero::contacts_from_response`].
    pub async fn contact(&self, token: &str, tenant: &str, id: &str) -> Result<Vec<u8>, ApiError> {
        self.get(token, tenant, &format!("Contacts/{id}")).await
    }

    /// Exchanges a refresh token for new tokens (Xero rotates the refresh token too).
    pub async fn refresh(&self, refresh_token: &str, now: DateTime<Utc>) -> Result<OAuthTokens, ApiError> {
        let response = self
            .http
            .post(format!("{}/connect/token", self.identity_base))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token)])
            .send()
            .await
            .map_err(|e| ApiError::Unavailable(e.without_url().to_string()))?;
        if !response.status().is_success() {
            return Err(classify(response.status(), response.headers().get("retry-after")));
        }
        let t: TokenResponse = response
            .json()
            .await
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        Ok(OAuthTokens {
            access_token: t.access_token,
            refresh_token: t.refresh_token,
            expires_at: now + chrono::Duration::seconds(t.expires_in),
        })
    }
}
