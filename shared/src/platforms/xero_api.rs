//! The platforms' HTTP APIs, as much as Duly reads: Xero's invoices in batches and contacts, QuickBooks'
//! invoices, payments and customers, and OAuth 2.0 token refresh for both.

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

/// Where a platform is and which app Duly is; tests point the bases at a local server.
#[derive(Clone)]
pub struct PlatformApi {
    http: reqwest::Client,
    pub api_base: String,
    /// The OAuth token endpoint.
    pub token_url: String,
    client_id: String,
    client_secret: String,
}

/// Xero: `api_base` `https://api.xero.com`, `identity_base` `https://identity.xero.com`.
pub type XeroApi = PlatformApi;

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

impl PlatformApi {
    /// Xero's API; `identity_base` serves `/connect/token`.
    pub fn new(api_base: &str, identity_base: &str, client_id: &str, client_secret: &str) -> Self {
        Self::with_token_url(
            api_base,
            &format!("{}/connect/token", identity_base.trim_end_matches('/')),
            client_id,
            client_secret,
        )
    }

    /// Any platform: QuickBooks' token URL is `https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer`.
    pub fn with_token_url(api_base: &str, token_url: &str, client_id: &str, client_secret: &str) -> Self {
        PlatformApi {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("an HTTP client with default TLS roots"),
            api_base: api_base.trim_end_matches('/').to_string(),
            token_url: token_url.to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
        }
    }

    async fn get_url(&self, token: &str, url: String, tenant_header: Option<&str>) -> Result<Vec<u8>, ApiError> {
        let mut request = self
            .http
            .get(url)
            .bearer_auth(token)
            .header("accept", "application/json");
        if let Some(tenant) = tenant_header {
            request = request.header("xero-tenant-id", tenant);
        }
        let response = request
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

    async fn get(&self, token: &str, tenant: &str, path: &str) -> Result<Vec<u8>, ApiError> {
        self.get_url(token, format!("{}/api.xro/2.0/{path}", self.api_base), Some(tenant))
            .await
    }

    /// QuickBooks `GET /v3/company/{realm}/{entity}/{id}` (`invoice`, `payment`, `customer`).
    pub async fn quickbooks(&self, token: &str, realm: &str, entity: &str, id: &str) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v3/company/{realm}/{entity}/{id}?minorversion=75", self.api_base);
        self.get_url(token, url, None).await
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

    /// Exchanges a refresh token for new tokens (both platforms rotate the refresh token too).
    pub async fn refresh(&self, refresh_token: &str, now: DateTime<Utc>) -> Result<OAuthTokens, ApiError> {
        let response = self
            .http
            .post(&self.token_url)
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
