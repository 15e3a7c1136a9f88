//! The platforms' HTTP APIs, as much as Duly reads: Xero's invoices in batches and contacts, QuickBooks'
//! invoices, payments and customers, and OAuth 2.0 token refresh for both.

mod oauth;
pub use oauth::SignInTokens;
mod documents;
mod merit;
mod quickbooks;
mod stripe;
mod xero;

use std::time::Duration;

pub use merit::MeritKeys;
pub use quickbooks::QUICKBOOKS_CDC_DAYS;
pub use xero::{INVOICES_PER_REQUEST, XERO_PAGE_SIZE};

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
    /// The creditor withdrew Duly's access: the token endpoint refused the grant (`invalid_grant`), or a
    /// Stripe key is no longer accepted.
    #[error("the platform no longer accepts Duly's access")]
    Revoked,
}

/// Where a platform is and which app Duly is; tests point the bases at a local server.
#[derive(Clone)]
pub struct PlatformApi {
    /// Built on first use: loading TLS roots costs a cold start some 15 ms, and most invocations never
    /// call a platform.
    http: std::sync::Arc<std::sync::OnceLock<reqwest::Client>>,
    pub api_base: String,
    /// The OAuth token endpoint.
    pub token_url: String,
    client_id: String,
    client_secret: String,
    /// Where a refresh token is revoked when the creditor disconnects (RFC 7009); empty where there is none.
    revoke_url: String,
    /// Intuit takes the token as JSON; RFC 7009 (Xero) as a form.
    revoke_json: bool,
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

pub(super) fn classify(status: reqwest::StatusCode, retry_after: Option<&reqwest::header::HeaderValue>) -> ApiError {
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

pub(crate) fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

impl PlatformApi {
    pub(super) fn http(&self) -> &reqwest::Client {
        self.http.get_or_init(|| {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("an HTTP client with default TLS roots")
        })
    }

    /// Xero as the environment configures it (`DULY_XERO_*`), at Xero's own addresses by default.
    pub fn xero_from_env() -> Self {
        Self::new(
            &env_or("DULY_XERO_API_BASE", "https://api.xero.com"),
            &env_or("DULY_XERO_IDENTITY_BASE", "https://identity.xero.com"),
            &env_or("DULY_XERO_CLIENT_ID", ""),
            &env_or("DULY_XERO_CLIENT_SECRET", ""),
        )
    }

    /// QuickBooks Online as the environment configures it (`DULY_QUICKBOOKS_*`).
    pub fn quickbooks_from_env() -> Self {
        Self::with_token_url(
            &env_or("DULY_QUICKBOOKS_API_BASE", "https://quickbooks.api.intuit.com"),
            &env_or(
                "DULY_QUICKBOOKS_TOKEN_URL",
                "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
            ),
            &env_or("DULY_QUICKBOOKS_CLIENT_ID", ""),
            &env_or("DULY_QUICKBOOKS_CLIENT_SECRET", ""),
        )
        .with_revocation(
            &env_or(
                "DULY_QUICKBOOKS_REVOKE_URL",
                "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
            ),
            true,
        )
    }

    /// Stripe: keys are per connection, so the app has no token endpoint there.
    pub fn stripe_from_env() -> Self {
        Self::with_token_url(&env_or("DULY_STRIPE_API_BASE", "https://api.stripe.com"), "", "", "")
    }

    /// Xero's API; `identity_base` serves `/connect/token`.
    pub fn new(api_base: &str, identity_base: &str, client_id: &str, client_secret: &str) -> Self {
        let identity = identity_base.trim_end_matches('/');
        Self::with_token_url(api_base, &format!("{identity}/connect/token"), client_id, client_secret)
            .with_revocation(&format!("{identity}/connect/revocation"), false)
    }

    /// Where this platform revokes a refresh token, and whether it takes it as JSON.
    pub fn with_revocation(mut self, url: &str, json: bool) -> Self {
        self.revoke_url = url.to_string();
        self.revoke_json = json;
        self
    }

    /// Any platform: QuickBooks' token URL is `https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer`.
    pub fn with_token_url(api_base: &str, token_url: &str, client_id: &str, client_secret: &str) -> Self {
        PlatformApi {
            http: std::sync::Arc::default(),
            api_base: api_base.trim_end_matches('/').to_string(),
            token_url: token_url.to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            revoke_url: String::new(),
            revoke_json: false,
        }
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(super) async fn get_url(
        &self,
        token: &str,
        url: String,
        tenant_header: Option<&str>,
    ) -> Result<Vec<u8>, ApiError> {
        let headers: Vec<(&str, String)> = tenant_header
            .map(|t| ("xero-tenant-id", t.to_string()))
            .into_iter()
            .collect();
        self.get_with(token, url, &[], &headers).await
    }

    /// A GET with the bearer token, query parameters (encoded here) and extra headers.
    pub(super) async fn get_with(
        &self,
        token: &str,
        url: String,
        query: &[(&str, String)],
        headers: &[(&str, String)],
    ) -> Result<Vec<u8>, ApiError> {
        let mut request = self
            .http()
            .get(url)
            .bearer_auth(token)
            .header("accept", "application/json")
            .query(query);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        body_of(request).await
    }
}

/// Sends `request` and reads a successful answer's body; a failure as the platform meant it.
pub(super) async fn body_of(request: reqwest::RequestBuilder) -> Result<Vec<u8>, ApiError> {
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
