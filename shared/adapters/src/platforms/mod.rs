//! The platforms' HTTP APIs, as much as Duly reads: Xero's invoices in batches and contacts, QuickBooks'
//! invoices, payments and customers, and OAuth 2.0 token refresh for both.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use duly_core::model::OAuthTokens;

/// Ids per `GET /Invoices?IDs=` request, well under Xero's URL limits.
pub const INVOICES_PER_REQUEST: usize = 40;
/// Xero returns at most this many invoices per page.
pub const XERO_PAGE_SIZE: usize = 100;
/// How far back QuickBooks' change data capture reaches.
pub const QUICKBOOKS_CDC_DAYS: i64 = 30;

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
    /// Built on first use: loading TLS roots costs a cold start some 15 ms, and most invocations never
    /// call a platform.
    http: std::sync::Arc<std::sync::OnceLock<reqwest::Client>>,
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

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    refresh_token: String,
    expires_in: i64,
}

impl PlatformApi {
    fn http(&self) -> &reqwest::Client {
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
    }

    /// Stripe: keys are per connection, so the app has no token endpoint there.
    pub fn stripe_from_env() -> Self {
        Self::with_token_url(&env_or("DULY_STRIPE_API_BASE", "https://api.stripe.com"), "", "", "")
    }

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
            http: std::sync::Arc::default(),
            api_base: api_base.trim_end_matches('/').to_string(),
            token_url: token_url.to_string(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
        }
    }

    async fn get_url(&self, token: &str, url: String, tenant_header: Option<&str>) -> Result<Vec<u8>, ApiError> {
        let headers: Vec<(&str, String)> = tenant_header
            .map(|t| ("xero-tenant-id", t.to_string()))
            .into_iter()
            .collect();
        self.get_with(token, url, &[], &headers).await
    }

    /// A GET with the bearer token, query parameters (encoded here) and extra headers.
    async fn get_with(
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

    /// Xero `GET /Invoices?where=Type=="ACCREC"&page=n`: sales invoices changed since `modified_since`
    /// (`If-Modified-Since`), or, without it, every unpaid one. Pages hold up to [`XERO_PAGE_SIZE`].
    pub async fn xero_invoice_page(
        &self,
        token: &str,
        tenant: &str,
        page: u32,
        modified_since: Option<DateTime<Utc>>,
    ) -> Result<Vec<u8>, ApiError> {
        let mut query = vec![("where", r#"Type=="ACCREC""#.to_string()), ("page", page.to_string())];
        let mut headers = vec![("xero-tenant-id", tenant.to_string())];
        match modified_since {
            Some(since) => headers.push(("if-modified-since", since.format("%Y-%m-%dT%H:%M:%S").to_string())),
            None => query.push(("Statuses", "AUTHORISED".to_string())),
        }
        let url = format!("{}/api.xro/2.0/Invoices", self.api_base);
        self.get_with(token, url, &query, &headers).await
    }

    /// Xero `GET /Contacts?IDs=a,b,…`.
    pub async fn contacts(&self, token: &str, tenant: &str, ids: &[String]) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/api.xro/2.0/Contacts", self.api_base);
        let headers = [("xero-tenant-id", tenant.to_string())];
        self.get_with(token, url, &[("IDs", ids.join(","))], &headers).await
    }

    /// QuickBooks `GET /v3/company/{realm}/query?query=…`.
    pub async fn quickbooks_query(&self, token: &str, realm: &str, query: &str) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v3/company/{realm}/query", self.api_base);
        let params = [("query", query.to_string()), ("minorversion", "75".to_string())];
        self.get_with(token, url, &params, &[]).await
    }

    /// QuickBooks change data capture: `GET /v3/company/{realm}/cdc?entities=…&changedSince=…` (at most
    /// [`QUICKBOOKS_CDC_DAYS`] back).
    pub async fn quickbooks_cdc(
        &self,
        token: &str,
        realm: &str,
        entities: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v3/company/{realm}/cdc", self.api_base);
        let params = [
            ("entities", entities.to_string()),
            ("changedSince", since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            ("minorversion", "75".to_string()),
        ];
        self.get_with(token, url, &params, &[]).await
    }

    /// Stripe `GET /v1/{path}` with the connection's restricted key.
    pub async fn stripe_list(&self, key: &str, path: &str, query: &[(&str, String)]) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v1/{path}", self.api_base);
        self.get_with(key, url, query, &[]).await
    }

    /// Xero `GET /connections`: the tenants a token reaches.
    pub async fn xero_connections(&self, token: &str) -> Result<Vec<u8>, ApiError> {
        self.get_with(token, format!("{}/connections", self.api_base), &[], &[])
            .await
    }

    /// The authorisation code from the redirect, exchanged for tokens with the PKCE verifier.
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
        verifier: &str,
        now: DateTime<Utc>,
    ) -> Result<OAuthTokens, ApiError> {
        self.token_request(
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri),
                ("code_verifier", verifier),
            ],
            now,
        )
        .await
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
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
        self.token_request(
            &[("grant_type", "refresh_token"), ("refresh_token", refresh_token)],
            now,
        )
        .await
    }

    async fn token_request(&self, form: &[(&str, &str)], now: DateTime<Utc>) -> Result<OAuthTokens, ApiError> {
        let response = self
            .http()
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(form)
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
