//! OAuth 2.0 token requests: the authorisation code exchanged with its PKCE verifier, and refresh.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use duly_core::model::OAuthTokens;

use super::{classify, ApiError, PlatformApi};

/// An OAuth error response.
#[derive(Deserialize)]
struct OAuthError {
    error: String,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    refresh_token: String,
    expires_in: i64,
}

impl PlatformApi {
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
        let status = response.status();
        if status.as_u16() == 429 || status.is_server_error() {
            return Err(classify(status, response.headers().get("retry-after")));
        }
        if !status.is_success() {
            // RFC 6749 §5.2: only `invalid_grant` says this grant is gone. Anything else (`invalid_client`,
            // say) is about Duly's app, and must not cost the creditor their connection.
            let error = response
                .json::<OAuthError>()
                .await
                .map(|e| e.error)
                .unwrap_or_else(|_| format!("HTTP {}", status.as_u16()));
            if error == "invalid_grant" {
                return Err(ApiError::Revoked);
            }
            let code: String = error
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(40)
                .collect();
            return Err(ApiError::Unavailable(format!(
                "the token endpoint refused Duly's app ({code})"
            )));
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
