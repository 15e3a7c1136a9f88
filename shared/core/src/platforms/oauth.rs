//! The pure half of connecting Xero and QuickBooks: the OAuth 2.0 authorisation-code flow with PKCE
//! (RFC 7636, S256), the consent page's address, and which Xero organisation a consent connected.

use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Read-only access to invoices, payments, contacts and the organisation's settings, a refresh token
/// (`offline_access`), and who consented (`openid profile email`), so a sign-up makes them its first
/// member.
pub const XERO_SCOPES: &str = "offline_access accounting.invoices.read accounting.payments.read accounting.contacts.read accounting.settings.read openid profile email";
/// `openid email`: who consented, so a sign-up makes them its first member.
pub const QUICKBOOKS_SCOPES: &str = "com.intuit.quickbooks.accounting openid email";

/// Why no organisation could be chosen from Xero's `GET /connections`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenantError {
    #[error("connections: {0}")]
    Unreadable(String),
    #[error("the token reaches no organisation")]
    NoTenant,
}

/// A random URL-safe string of `bytes` random bytes: OAuth states, PKCE verifiers, connection ids.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system provides randomness");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Bytes of randomness in a flow's `state`.
pub const STATE_BYTES: usize = 24;

/// A new flow's `state`.
pub fn new_state() -> String {
    random_token(STATE_BYTES)
}

/// Whether a `state` from a redirect could be one Duly made: anything else is refused before any lookup.
pub fn plausible_state(state: &str) -> bool {
    state.len() == STATE_BYTES.div_ceil(3) * 4
        && state
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The cookie that binds a flow started in a browser to that browser: `__Host-` keeps it to this exact
/// origin over HTTPS, and only a hash of the state is in it.
pub const FLOW_COOKIE: &str = "__Host-duly_flow";

/// What the flow's cookie carries for `state`.
pub fn browser_binding(state: &str) -> String {
    crate::model::tokens::fingerprint(&format!("duly-flow:{state}"))[..32].to_string()
}

/// The `Set-Cookie` value that binds a flow to the browser that started it, for as long as a flow lives.
pub fn flow_cookie(state: &str, minutes: i64) -> String {
    format!(
        "{FLOW_COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
        browser_binding(state),
        minutes * 60
    )
}

/// The flow cookie's value among a request's cookies (`a=1; b=2`).
pub fn flow_cookie_value(cookies: &str) -> Option<&str> {
    crate::text::cookie_value(cookies, FLOW_COOKIE)
}

/// RFC 7636 S256: the challenge is the base64url SHA-256 of the verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The consent page address for a flow: the platform's consent page with Duly's client id, the scopes,
/// the one-time state and the PKCE challenge.
pub fn authorize_url(
    consent_page: &str,
    client_id: &str,
    scopes: &str,
    redirect_uri: &str,
    state: &str,
    challenge: &str,
) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", scopes)
        .append_pair("state", state)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256")
        .finish();
    format!("{consent_page}?{query}")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct XeroTenant {
    tenant_id: String,
    tenant_type: String,
    tenant_name: Option<String>,
    auth_event_id: Option<String>,
    #[serde(default)]
    created_date_utc: String,
}

/// The claims part of a JWT, decoded; its signature is not checked (see the callers for why).
pub fn jwt_payload(token: &str) -> Option<Vec<u8>> {
    let payload = token.split('.').nth(1)?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()
}

/// Xero's access token is a JWT whose `authentication_event_id` names this consent; read without checking
/// the signature, as it came straight from Xero's token endpoint over TLS.
fn xero_auth_event(access_token: &str) -> Option<String> {
    let claims: serde_json::Value = serde_json::from_slice(&jwt_payload(access_token)?).ok()?;
    claims.get("authentication_event_id")?.as_str().map(str::to_string)
}

/// The organisation this consent connected: of `GET /connections`, the organisations of this consent's
/// event (when the token names it), newest first.
pub fn choose_xero_tenant(connections: &[u8], access_token: &str) -> Result<(String, Option<String>), TenantError> {
    let tenants: Vec<XeroTenant> =
        serde_json::from_slice(connections).map_err(|e| TenantError::Unreadable(e.to_string()))?;
    let event = xero_auth_event(access_token);
    let mut organisations: Vec<&XeroTenant> = tenants
        .iter()
        .filter(|t| t.tenant_type.eq_ignore_ascii_case("ORGANISATION"))
        .collect();
    if let Some(event) = &event {
        let of_event: Vec<&XeroTenant> = organisations
            .iter()
            .copied()
            .filter(|t| t.auth_event_id.as_deref() == Some(event.as_str()))
            .collect();
        if !of_event.is_empty() {
            organisations = of_event;
        }
    }
    organisations.sort_by(|a, b| b.created_date_utc.cmp(&a.created_date_utc));
    let chosen = organisations.first().ok_or(TenantError::NoTenant)?;
    Ok((chosen.tenant_id.clone(), chosen.tenant_name.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_cookie_carries_a_hash_of_its_state_only() {
        let state = new_state();
        let cookie = flow_cookie(&state, 10);
        assert!(cookie.starts_with("__Host-duly_flow=") && cookie.contains("Max-Age=600"));
        assert!(!cookie.contains(&state));
        let sent = format!("other=1; {}", cookie.split(';').next().unwrap());
        assert_eq!(flow_cookie_value(&sent), Some(browser_binding(&state).as_str()));
        assert_ne!(browser_binding(&state), browser_binding(&new_state()));
    }

    #[test]
    fn only_states_of_duly_s_own_shape_are_plausible() {
        let state = new_state();
        assert!(plausible_state(&state), "{state}");
        assert!(!plausible_state(&"a".repeat(3000)));
        assert!(!plausible_state(&format!("{}\u{1}", &state[1..])));
        assert!(!plausible_state(""));
    }

    #[test]
    fn the_challenge_is_rfc_7636s_example() {
        // RFC 7636, appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let verifier = random_token(32);
        assert_eq!(verifier.len(), 43, "RFC 7636 wants 43 to 128 characters");
        assert_ne!(verifier, random_token(32));
    }

    #[test]
    fn the_consent_url_carries_state_challenge_and_scopes_encoded() {
        let url = authorize_url(
            "https://login.xero.com/identity/connect/authorize",
            "CLIENT1",
            XERO_SCOPES,
            "https://duly.example/connect/xero/callback",
            "st&1",
            "ch",
        );
        assert!(
            url.starts_with("https://login.xero.com/identity/connect/authorize?response_type=code&client_id=CLIENT1&")
        );
        assert!(url.contains("redirect_uri=https%3A%2F%2Fduly.example%2Fconnect%2Fxero%2Fcallback"));
        assert!(url.contains("scope=offline_access+accounting.invoices.read+"));
        assert!(url.contains("state=st%261&code_challenge=ch&code_challenge_method=S256"));
        assert!(!url.contains("secret"));
    }

    fn jwt(claims: serde_json::Value) -> String {
        let b = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        format!("{}.{}.sig", b(br#"{"alg":"RS256"}"#), b(claims.to_string().as_bytes()))
    }

    #[test]
    fn the_organisation_of_this_consent_is_chosen() {
        let connections = serde_json::json!([
            {"id": "c1", "authEventId": "ev-old", "tenantId": "t-old", "tenantType": "ORGANISATION",
             "tenantName": "Old Ltd", "createdDateUtc": "2026-01-01T00:00:00.0000000"},
            {"id": "c2", "authEventId": "ev-new", "tenantId": "t-new", "tenantType": "ORGANISATION",
             "tenantName": "Nordwind Tools OÜ", "createdDateUtc": "2025-06-01T00:00:00.0000000"},
            {"id": "c3", "authEventId": "ev-new", "tenantId": "t-practice", "tenantType": "PRACTICE",
             "tenantName": "Practice", "createdDateUtc": "2026-11-01T00:00:00.0000000"}
        ])
        .to_string();
        let token = jwt(serde_json::json!({"authentication_event_id": "ev-new", "xero_userid": "u"}));
        assert_eq!(
            choose_xero_tenant(connections.as_bytes(), &token).unwrap(),
            ("t-new".to_string(), Some("Nordwind Tools OÜ".to_string()))
        );
        // Without the claim, the newest organisation connection.
        assert_eq!(choose_xero_tenant(connections.as_bytes(), "opaque").unwrap().0, "t-old");
        assert!(matches!(choose_xero_tenant(b"[]", &token), Err(TenantError::NoTenant)));
    }
}
