//! "Sign in with Xero" and "Sign in with Intuit": OpenID Connect from the same apps that connect the
//! books, asking only for who the person is. What comes back is an address the platform vouches for; the
//! app signs in whoever that address is a member of.
//!
//! The ID token is read without checking its signature: it comes straight from the platform's token
//! endpoint over TLS, in exchange for a code and a PKCE verifier only Duly holds (OpenID Connect Core
//! §3.1.3.7, item 6). Issuer, audience (and the authorised party when there are several), expiry, issue
//! time and nonce are still checked.

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::normalise_email;

/// The largest ID token or user-info answer read; both are a few hundred bytes.
const MAX_TOKEN: usize = 8 * 1024;
/// An ID token comes straight from the token endpoint: one issued an hour before it is read, or meant to
/// live longer than a day, is not one of this exchange.
const MAX_TOKEN_AGE_SECONDS: i64 = 3600;
const MAX_TOKEN_LIFETIME_SECONDS: i64 = 24 * 3600;

/// A platform people can sign in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Xero,
    Intuit,
}

impl Provider {
    /// As in the app's routes: `/app/sign-in/with/{xero,quickbooks}`.
    pub fn of_segment(segment: &str) -> Option<Provider> {
        match segment {
            "xero" => Some(Provider::Xero),
            "quickbooks" => Some(Provider::Intuit),
            _ => None,
        }
    }

    pub fn segment(self) -> &'static str {
        match self {
            Provider::Xero => "xero",
            Provider::Intuit => "quickbooks",
        }
    }

    /// Who may sign an ID token for this platform (their discovery documents' `issuer`).
    pub fn issuer(self) -> &'static str {
        match self {
            Provider::Xero => "https://identity.xero.com",
            Provider::Intuit => "https://oauth.platform.intuit.com/op/v1",
        }
    }

    /// Identity only: no access to anybody's books.
    pub fn scopes(self) -> &'static str {
        match self {
            Provider::Xero => "openid profile email",
            Provider::Intuit => "openid email",
        }
    }

    /// Intuit puts the address in its user-info answer, not in the ID token.
    pub fn needs_user_info(self) -> bool {
        self == Provider::Intuit
    }

    /// The kind of a flow in progress, kept apart from the connect flows' kinds.
    pub fn flow_kind(self) -> String {
        format!("sign-in:{}", self.segment())
    }
}

/// Why an ID token or user-info answer signs nobody in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    #[error("the platform sent no readable ID token")]
    Unreadable,
    #[error("the ID token is not from {0}")]
    WrongIssuer(&'static str),
    #[error("the ID token is for another app")]
    WrongAudience,
    #[error("the ID token has expired")]
    Expired,
    #[error("the ID token says nothing sound of when it was issued")]
    BadIssueTime,
    #[error("the ID token answers another sign-in")]
    WrongNonce,
    #[error("the platform vouches for no e-mail address")]
    NoVerifiedEmail,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct Claims {
    iss: String,
    aud: Audience,
    /// The party the token was issued to; required when it names several audiences.
    azp: Option<String>,
    exp: i64,
    iat: Option<i64>,
    nonce: Option<String>,
    email: Option<String>,
    email_verified: Option<bool>,
}

/// What a checked ID token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdToken {
    /// The address, when the token carries one the platform stands behind.
    pub email: Option<String>,
}

/// The nonce of a flow, derived from its verifier so the flow item needs no more than it has.
pub fn nonce(verifier: &str) -> String {
    let digest = Sha256::digest(format!("duly-oidc-nonce:{verifier}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// The consent page address for signing in: the connect flow's, with the nonce.
pub fn authorize_url(
    consent_page: &str,
    client_id: &str,
    provider: Provider,
    redirect_uri: &str,
    state: &str,
    verifier: &str,
) -> String {
    let base = crate::platforms::oauth::authorize_url(
        consent_page,
        client_id,
        provider.scopes(),
        redirect_uri,
        state,
        &crate::platforms::oauth::pkce_challenge(verifier),
    );
    format!("{base}&nonce={}", nonce(verifier))
}

/// Checks the ID token the token endpoint returned for this flow.
pub fn check_id_token(
    id_token: &str,
    provider: Provider,
    client_id: &str,
    verifier: &str,
    now: DateTime<Utc>,
) -> Result<IdToken, OidcError> {
    if id_token.len() > MAX_TOKEN {
        return Err(OidcError::Unreadable);
    }
    let bytes = crate::platforms::oauth::jwt_payload(id_token).ok_or(OidcError::Unreadable)?;
    let claims: Claims = serde_json::from_slice(&bytes).map_err(|_| OidcError::Unreadable)?;
    if claims.iss != provider.issuer() {
        return Err(OidcError::WrongIssuer(provider.issuer()));
    }
    // With several audiences, the token must say it was issued to Duly (OpenID Connect Core §3.1.3.7,
    // items 4 and 5): otherwise a token another app obtained for the person would do.
    let for_duly = match &claims.aud {
        Audience::One(aud) => aud == client_id,
        Audience::Many(auds) if auds.len() == 1 => auds[0] == client_id,
        Audience::Many(auds) => auds.iter().any(|a| a == client_id) && claims.azp.as_deref() == Some(client_id),
    };
    if !for_duly {
        return Err(OidcError::WrongAudience);
    }
    if claims.exp <= now.timestamp() {
        return Err(OidcError::Expired);
    }
    // Issued for this exchange: not after it expires, not for longer than a day, not long ago.
    let issued_soundly = claims.iat.is_some_and(|iat| {
        iat <= claims.exp
            && claims.exp - iat <= MAX_TOKEN_LIFETIME_SECONDS
            && now.timestamp() - iat <= MAX_TOKEN_AGE_SECONDS
    });
    if !issued_soundly {
        return Err(OidcError::BadIssueTime);
    }
    // Xero echoes the nonce; Intuit's tokens carry none, and there PKCE and the one-time state bind the
    // answer to this flow.
    match (&claims.nonce, provider) {
        (Some(n), _) if *n == nonce(verifier) => {}
        (None, Provider::Intuit) => {}
        _ => return Err(OidcError::WrongNonce),
    }
    // Xero asks every user to confirm their address before they can sign in, and its tokens carry no
    // `email_verified`; a token that says `false` is believed.
    let email = match claims.email_verified {
        Some(false) => None,
        _ => claims.email.as_deref().and_then(normalise_email),
    };
    Ok(IdToken { email })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserInfo {
    email: Option<String>,
    email_verified: Option<bool>,
}

/// The address in Intuit's user-info answer, only when Intuit says it was verified.
pub fn verified_email_of_user_info(body: &[u8]) -> Result<String, OidcError> {
    if body.len() > MAX_TOKEN {
        return Err(OidcError::Unreadable);
    }
    let info: UserInfo = serde_json::from_slice(body).map_err(|_| OidcError::Unreadable)?;
    match (info.email_verified, info.email.as_deref().and_then(normalise_email)) {
        (Some(true), Some(email)) => Ok(email),
        _ => Err(OidcError::NoVerifiedEmail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(claims: serde_json::Value) -> String {
        let b64 = |v: String| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        format!(
            "{}.{}.sig",
            b64(json!({"alg": "RS256"}).to_string()),
            b64(claims.to_string())
        )
    }

    fn now() -> DateTime<Utc> {
        "2026-12-02T10:00:00Z".parse().unwrap()
    }

    fn xero(overrides: serde_json::Value) -> String {
        let mut claims = json!({"iss": "https://identity.xero.com", "aud": "client-id",
            "exp": now().timestamp() + 300, "iat": now().timestamp(), "nonce": nonce("v"),
            "email": "Ar@Nordwind.example"});
        for (k, v) in overrides.as_object().unwrap() {
            claims[k] = v.clone();
        }
        token(claims)
    }

    #[test]
    fn a_xero_token_for_this_flow_names_its_address() {
        let checked = check_id_token(&xero(json!({})), Provider::Xero, "client-id", "v", now()).unwrap();
        assert_eq!(checked.email.as_deref(), Some("ar@nordwind.example"));
    }

    #[test]
    fn a_token_of_another_issuer_app_flow_or_time_signs_nobody_in() {
        let check = |t: String| check_id_token(&t, Provider::Xero, "client-id", "v", now());
        assert_eq!(
            check(xero(json!({"iss": "https://evil.example"}))),
            Err(OidcError::WrongIssuer("https://identity.xero.com"))
        );
        assert_eq!(check(xero(json!({"aud": "other-app"}))), Err(OidcError::WrongAudience));
        assert_eq!(
            check(xero(json!({"aud": ["other", "client-id"]}))),
            Err(OidcError::WrongAudience)
        );
        assert_eq!(
            check(xero(json!({"aud": ["other", "client-id"], "azp": "other"}))),
            Err(OidcError::WrongAudience)
        );
        assert!(check(xero(json!({"aud": ["other", "client-id"], "azp": "client-id"}))).is_ok());
        assert!(check(xero(json!({"aud": ["client-id"]}))).is_ok());
        assert_eq!(check(xero(json!({"iat": null}))), Err(OidcError::BadIssueTime));
        assert_eq!(
            check(xero(json!({"iat": now().timestamp() - 7200}))),
            Err(OidcError::BadIssueTime),
            "issued two hours ago"
        );
        assert_eq!(
            check(xero(json!({"iat": now().timestamp() + 400}))),
            Err(OidcError::BadIssueTime),
            "issued after it expires"
        );
        assert_eq!(check(xero(json!({"exp": now().timestamp()}))), Err(OidcError::Expired));
        assert_eq!(check(xero(json!({"nonce": nonce("w")}))), Err(OidcError::WrongNonce));
        assert_eq!(check(xero(json!({"nonce": null}))), Err(OidcError::WrongNonce));
        assert_eq!(check("not-a-jwt".into()), Err(OidcError::Unreadable));
        assert_eq!(
            check(format!("a.{}.c", "x".repeat(MAX_TOKEN))),
            Err(OidcError::Unreadable)
        );
    }

    #[test]
    fn an_address_the_platform_says_is_unverified_is_not_used() {
        let checked = check_id_token(
            &xero(json!({"email_verified": false})),
            Provider::Xero,
            "client-id",
            "v",
            now(),
        )
        .unwrap();
        assert_eq!(checked.email, None);
    }

    #[test]
    fn intuit_vouches_for_an_address_in_its_user_info() {
        let t = token(
            json!({"iss": "https://oauth.platform.intuit.com/op/v1", "aud": ["client-id"],
            "exp": now().timestamp() + 60, "iat": now().timestamp() - 10, "realmid": "9130"}),
        );
        assert_eq!(
            check_id_token(&t, Provider::Intuit, "client-id", "v", now()),
            Ok(IdToken { email: None })
        );
        assert_eq!(
            verified_email_of_user_info(br#"{"sub":"s","email":"AP@x.example","emailVerified":true}"#),
            Ok("ap@x.example".into())
        );
        assert_eq!(
            verified_email_of_user_info(br#"{"sub":"s","email":"ap@x.example","emailVerified":false}"#),
            Err(OidcError::NoVerifiedEmail)
        );
        assert_eq!(
            verified_email_of_user_info(br#"{"sub":"s"}"#),
            Err(OidcError::NoVerifiedEmail)
        );
    }

    #[test]
    fn the_consent_page_asks_for_identity_only_with_a_nonce() {
        let url = authorize_url(
            "https://login.xero.com/identity/connect/authorize",
            "client-id",
            Provider::Xero,
            "https://app.example/app/sign-in/with/xero/callback",
            "st",
            "v",
        );
        assert!(url.contains("scope=openid+profile+email&"), "{url}");
        assert!(url.ends_with(&format!("&nonce={}", nonce("v"))));
        assert!(!url.contains("accounting"));
    }
}
