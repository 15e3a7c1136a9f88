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
    /// Absent when no `offline_access` was asked for, as in signing in.
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: i64,
    /// Present when `openid` was asked for.
    id_token: Option<String>,
}

/// What signing in with a platform gets: who the person is, and a short-lived token for asking more.
pub struct SignInTokens {
    pub access_token: String,
    pub id_token: Option<String>,
}

impl std::fmt::Debug for SignInTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInTokens").finish_non_exhaustive()
    }
}

fn tokens(t: TokenResponse, now: DateTime<Utc>) -> Result<OAuthTokens, ApiError> {
    Ok(OAuthTokens {
        access_token: t.access_token,
        refresh_token: t
            .refresh_token
            .ok_or_else(|| ApiError::Unavailable("the token endpoint sent no refresh token".into()))?,
        expires_at: duly_core::calendar::bounds::after_platform_wait(now, i128::from(t.expires_in)),
    })
}

impl PlatformApi {
    /// The authorisation code from the redirect, exchanged for tokens with the PKCE verifier.
    /// Also the ID token, when the consent asked for `openid`.
    pub async fn exchange_code(
        &self,
        code: &str,
        redirect_uri: &str,
        verifier: &str,
        now: DateTime<Utc>,
    ) -> Result<(OAuthTokens, Option<String>), ApiError> {
        let t = self
            .token_response(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri),
                ("code_verifier", verifier),
            ])
            .await?;
        let id_token = t.id_token.clone();
        Ok((tokens(t, now)?, id_token))
    }

    /// Exchanges a refresh token for new tokens (both platforms rotate the refresh token too).
    pub async fn refresh(&self, refresh_token: &str, now: DateTime<Utc>) -> Result<OAuthTokens, ApiError> {
        self.token_request(
            &[("grant_type", "refresh_token"), ("refresh_token", refresh_token)],
            now,
        )
        .await
    }

    /// A sign-in's code, exchanged with its PKCE verifier for an ID token (and an access token that reaches
    /// only the person's own profile).
    pub async fn sign_in_code(&self, code: &str, redirect_uri: &str, verifier: &str) -> Result<SignInTokens, ApiError> {
        let t = self
            .token_response(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri),
                ("code_verifier", verifier),
            ])
            .await?;
        Ok(SignInTokens {
            access_token: t.access_token,
            id_token: t.id_token,
        })
    }

    /// Revokes a refresh token (and with it the grant) when the creditor disconnects. A platform without a
    /// revocation endpoint has nothing to revoke.
    pub async fn revoke(&self, refresh_token: &str) -> Result<(), ApiError> {
        if self.revoke_url.is_empty() {
            return Ok(());
        }
        let request = self
            .http()
            .post(&self.revoke_url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header("accept", "application/json");
        let request = match self.revoke_json {
            true => request.json(&serde_json::json!({ "token": refresh_token })),
            false => request.form(&[("token", refresh_token), ("token_type_hint", "refresh_token")]),
        };
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Unavailable(e.without_url().to_string()))?;
        match response.status() {
            s if s.is_success() => Ok(()),
            s => Err(classify(s, response.headers().get("retry-after"))),
        }
    }

    /// The OpenID Connect user-info answer at `url`, for the person whose access token this is.
    pub async fn user_info(&self, url: &str, access_token: &str) -> Result<Vec<u8>, ApiError> {
        self.get_with(access_token, url.to_string(), &[], &[]).await
    }

    async fn token_request(&self, form: &[(&str, &str)], now: DateTime<Utc>) -> Result<OAuthTokens, ApiError> {
        tokens(self.token_response(form).await?, now)
    }

    async fn token_response(&self, form: &[(&str, &str)]) -> Result<TokenResponse, ApiError> {
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
        response.json().await.map_err(|e| ApiError::Unavailable(e.to_string()))
    }
}
