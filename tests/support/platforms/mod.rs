//! Local servers that answer like the platforms' OAuth, accounting and identity APIs, for the connect and
//! sync tests: Xero (`/connect/token`, `/connections`, `/api.xro/2.0/…`), Intuit (`/oauth2/v1/tokens/bearer`,
//! `/v3/company/{realm}/…`) and Stripe (`/v1/account`, `/v1/{events,invoices}`). Each records the calls it
//! answered, so a test can assert what Duly asked for.

pub mod intuit;
pub mod merit;
pub mod stripe;
pub mod stripe_billing;
pub mod xero;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json, Router};
use base64::Engine;
use serde_json::json;

use duly_core::platforms::oauth::pkce_challenge;

/// One local platform: its OAuth endpoints and the accounting data it serves.
#[derive(Default)]
pub struct Platform {
    /// The PKCE challenge the consent page was opened with, and the code it hands back.
    pub challenge: String,
    pub redirect_uri: String,
    pub access_token: String,
    pub refresh_token: String,
    /// The next API call answers 429 with `Retry-After: 60`.
    pub rate_limit_next: bool,
    /// Paid invoices (their balance is zero).
    pub paid: Vec<String>,
    pub calls: Vec<String>,
    /// The person signed in at the platform: its consent page approves at once for them. Empty, and the
    /// consent page is not served (tests then consent with [`consent`]).
    pub signed_in_as: String,
    /// The scopes and nonce the consent page was opened with.
    pub scopes: String,
    pub nonce: Option<String>,
    /// Set by the Intuit server: its ID tokens and user info differ from Xero's.
    pub is_intuit: bool,
}

pub type Shared = Arc<Mutex<Platform>>;

pub(crate) fn bearer_ok(state: &Shared, headers: &HeaderMap) -> bool {
    let expected = format!("Bearer {}", state.lock().unwrap().access_token);
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(expected.as_str())
}

pub(crate) fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"Title": "Unauthorized", "Status": 401})),
    )
        .into_response()
}

/// `POST /connect/token` (Xero) and `/oauth2/v1/tokens/bearer` (Intuit): the code grant checks the PKCE
/// verifier against the challenge of the consent, as the platforms do.
pub(crate) async fn token(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut p = state.lock().unwrap();
    p.calls
        .push(format!("token {}", form.get("grant_type").cloned().unwrap_or_default()));
    let basic = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    let expected_basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("client-id:client-secret")
    );
    if basic != expected_basic {
        return (StatusCode::UNAUTHORIZED, Json(json!({"error": "invalid_client"}))).into_response();
    }
    let grant_ok = match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            form.get("code").map(String::as_str) == Some("consent-code")
                && form.get("redirect_uri") == Some(&p.redirect_uri)
                && form.get("code_verifier").map(|v| pkce_challenge(v)) == Some(p.challenge.clone())
        }
        Some("refresh_token") => form.get("refresh_token") == Some(&p.refresh_token),
        _ => false,
    };
    if !grant_ok {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant"}))).into_response();
    }
    // Xero's access tokens are JWTs naming the consent.
    p.access_token = format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.{}",
        jwt_part(json!({"authentication_event_id": "ev-2", "xero_userid": "u-1"})),
        p.calls.len()
    );
    let mut answer = json!({"access_token": p.access_token, "expires_in": 1800, "token_type": "Bearer"});
    // A refresh token only for offline access; an ID token only for `openid`.
    if !p.scopes.split(' ').any(|s| s == "openid")
        || p.scopes.contains("offline_access")
        || p.scopes.contains("com.intuit")
    {
        p.refresh_token = format!("rt-{}", p.calls.len());
        answer["refresh_token"] = json!(p.refresh_token);
        answer["x_refresh_token_expires_in"] = json!(8_726_400);
    }
    if p.scopes.split(' ').any(|s| s == "openid") {
        answer["id_token"] = json!(id_token(&p));
    }
    Json(answer).into_response()
}

fn jwt_part(claims: serde_json::Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string())
}

/// An ID token as each platform issues it: Xero's names the person and echoes the nonce; Intuit's names
/// only the subject and company (the address is at the user-info endpoint). Signed by nobody here: Duly
/// reads it straight from the token endpoint.
fn id_token(p: &Platform) -> String {
    let intuit = p.is_intuit;
    let exp = chrono::Utc::now().timestamp() + 300;
    let claims = if intuit {
        json!({"iss": "https://oauth.platform.intuit.com/op/v1", "aud": ["client-id"], "sub": "intuit-user-1",
            "realmid": "9130357766900456", "exp": exp, "iat": exp - 300})
    } else {
        json!({"iss": "https://identity.xero.com", "aud": "client-id", "sub": "xero-user-1", "xero_userid": "u-1",
            "email": p.signed_in_as, "given_name": "Kadri", "family_name": "Tamm", "nonce": p.nonce,
            "exp": exp, "iat": exp - 300})
    };
    format!("eyJhbGciOiJSUzI1NiJ9.{}.signature", jwt_part(claims))
}

/// The platform's consent page for someone already signed in there who approves at once: the browser
/// goes straight back with a code.
pub(crate) async fn authorize(
    State(state): State<Shared>,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let mut p = state.lock().unwrap();
    p.calls.push("authorize".into());
    let get = |k: &str| query.get(k).cloned().unwrap_or_default();
    if p.signed_in_as.is_empty() || get("client_id") != "client-id" || get("code_challenge_method") != "S256" {
        return (StatusCode::BAD_REQUEST, "unknown client or no one signed in").into_response();
    }
    p.challenge = get("code_challenge");
    p.redirect_uri = get("redirect_uri");
    p.scopes = get("scope");
    p.nonce = query.get("nonce").cloned();
    let back = format!(
        "{}?code=consent-code&state={}",
        p.redirect_uri,
        form_urlencoded::byte_serialize(get("state").as_bytes()).collect::<String>()
    );
    (StatusCode::FOUND, [(axum::http::header::LOCATION, back)]).into_response()
}

/// Xero's `POST /connect/revocation` (RFC 7009, a form) and Intuit's `POST /v2/oauth2/tokens/revoke`
/// (JSON): the refresh token, and the grant with it, stop working.
pub(crate) async fn revoke(State(state): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let mut p = state.lock().unwrap();
    let expected_basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("client-id:client-secret")
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected_basic.as_str()) {
        return (StatusCode::UNAUTHORIZED, Json(json!({"error": "invalid_client"}))).into_response();
    }
    let token = match p.is_intuit {
        true => serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["token"].as_str().map(str::to_string)),
        false => form_urlencoded::parse(&body)
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned()),
    };
    if token.as_deref() != Some(p.refresh_token.as_str()) {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_request"}))).into_response();
    }
    p.calls.push("revoke".into());
    p.refresh_token = String::new();
    p.access_token = String::new();
    StatusCode::OK.into_response()
}

pub(crate) async fn serve_router(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// The platform's consent page: the creditor approves, and the browser comes back with a code.
pub fn consent(platform: &Shared, authorize_url: &str) -> String {
    assert_eq!(param(authorize_url, "code_challenge_method"), "S256");
    let mut p = platform.lock().unwrap();
    p.challenge = param(authorize_url, "code_challenge");
    p.redirect_uri = param(authorize_url, "redirect_uri");
    p.scopes = param(authorize_url, "scope");
    p.nonce = Some(param(authorize_url, "nonce"));
    param(authorize_url, "state")
}

/// One query parameter of a URL; panics when it is missing.
pub fn param(url: &str, name: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    reqwest::Url::parse(&format!("http://x/?{query}"))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("{name} in {url}"))
}
