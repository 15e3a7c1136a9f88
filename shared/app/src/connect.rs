//! Connecting a creditor's accounting platform.
//!
//! Xero and QuickBooks Online: the OAuth 2.0 authorisation-code flow with PKCE (S256) and a one-time
//! `state`. A flow starts either from the creditor's own session (their API token names them) or from the
//! platform's app marketplace, which makes a new creditor on the way back. The callback exchanges the code,
//! finds the tenant (Xero: `GET /connections`, filtered to this consent; QuickBooks: `realmId` on the
//! redirect), seals the tokens, links the tenant, and schedules a first catch-up that imports what is
//! open. Stripe connects with a restricted key and the endpoint's signing secret.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use duly_adapters::platforms::{ApiError, PlatformApi};
use duly_adapters::store::{PendingFlow, Store, StoreError, TenantLink, FLOW_MINUTES};
use duly_adapters::vault::{Credentials, Vault, VaultError};
use duly_core::model::ids::{ConnectionId, CreditorId};
use duly_core::model::{Branding, Connection, Creditor, Platform};

/// Read-only access to invoices, payments and contacts, and a refresh token (`offline_access`).
pub const XERO_SCOPES: &str =
    "offline_access accounting.invoices.read accounting.payments.read accounting.contacts.read accounting.settings";
pub const QUICKBOOKS_SCOPES: &str = "com.intuit.quickbooks.accounting";

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unknown platform; use xero, quickbooks or stripe")]
    UnknownPlatform,
    #[error("this authorisation link is unknown, already used or expired; start connecting again")]
    UnknownFlow,
    #[error("the platform did not grant access ({0})")]
    Declined(String),
    #[error("the redirect lacks {0}")]
    MissingParameter(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error("this organisation is already connected to another Duly account")]
    TenantTaken,
    #[error("the token reaches no organisation")]
    NoTenant,
    #[error("the platform refused the credentials")]
    Refused,
    #[error("the platform is unavailable: {0}")]
    Platform(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

impl ConnectError {
    pub fn status(&self) -> u16 {
        match self {
            ConnectError::UnknownPlatform => 404,
            ConnectError::UnknownFlow | ConnectError::MissingParameter(_) => 400,
            ConnectError::Declined(_) | ConnectError::Refused => 403,
            ConnectError::TenantTaken => 409,
            ConnectError::Invalid(_) | ConnectError::NoTenant => 422,
            ConnectError::Platform(_) => 502,
            ConnectError::Store(_) | ConnectError::Vault(_) => 503,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ConnectError::UnknownPlatform => "not_found",
            ConnectError::UnknownFlow => "unknown_flow",
            ConnectError::Declined(_) => "declined",
            ConnectError::MissingParameter(_) => "malformed",
            ConnectError::Invalid(_) => "invalid",
            ConnectError::TenantTaken => "tenant_taken",
            ConnectError::NoTenant => "no_tenant",
            ConnectError::Refused => "refused",
            ConnectError::Platform(_) => "platform_unavailable",
            ConnectError::Store(_) | ConnectError::Vault(_) => "unavailable",
        }
    }
}

fn platform_error(e: ApiError) -> ConnectError {
    match e {
        ApiError::Unauthorized | ApiError::Rejected(_) => ConnectError::Refused,
        other => ConnectError::Platform(other.to_string()),
    }
}

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system provides randomness");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// RFC 7636 S256: the challenge is the base64url SHA-256 of the verifier.
pub fn pkce_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// An OAuth platform as Duly's app is registered with it.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    /// The consent page (`https://login.xero.com/identity/connect/authorize`,
    /// `https://appcenter.intuit.com/connect/oauth2`).
    pub authorize_url: String,
    pub scopes: &'static str,
    /// Token endpoint and API (Xero's `/connections`).
    pub api: PlatformApi,
}

/// The OAuth platforms and Stripe's API, built once per cold start.
#[derive(Debug, Clone)]
pub struct Platforms {
    pub xero: OAuthApp,
    pub quickbooks: OAuthApp,
    pub stripe: PlatformApi,
}

impl Platforms {
    fn oauth(&self, platform: Platform) -> Result<&OAuthApp, ConnectError> {
        match platform {
            Platform::Xero => Ok(&self.xero),
            Platform::QuickBooks => Ok(&self.quickbooks),
            _ => Err(ConnectError::UnknownPlatform),
        }
    }
}

/// `xero` or `quickbooks`, as in the connect routes.
pub fn oauth_platform(segment: &str) -> Result<Platform, ConnectError> {
    match segment {
        "xero" => Ok(Platform::Xero),
        "quickbooks" => Ok(Platform::QuickBooks),
        _ => Err(ConnectError::UnknownPlatform),
    }
}

/// The consent page address for a flow.
pub fn authorize_url(app: &OAuthApp, redirect_uri: &str, state: &str, challenge: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", app.api.client_id())
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", app.scopes)
        .append_pair("state", state)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256")
        .finish();
    format!("{}?{query}", app.authorize_url)
}

/// Starts a flow: remembers its state and verifier, and returns the consent page to send the browser to.
pub async fn start(
    store: &Store,
    platforms: &Platforms,
    platform: Platform,
    creditor: Option<CreditorId>,
    redirect_uri: &str,
    now: DateTime<Utc>,
) -> Result<String, ConnectError> {
    let app = platforms.oauth(platform)?;
    let state = random_token(24);
    let verifier = random_token(32);
    let flow = PendingFlow {
        platform: platform.path_segment().to_string(),
        verifier: verifier.clone(),
        creditor,
        redirect_uri: redirect_uri.to_string(),
        expires_at: now + Duration::minutes(FLOW_MINUTES),
    };
    store.put_flow(&state, &flow).await?;
    Ok(authorize_url(app, redirect_uri, &state, &pkce_challenge(&verifier)))
}

/// What the platform's redirect carried.
#[derive(Debug, Default, Clone)]
pub struct Redirect {
    pub code: Option<String>,
    pub state: Option<String>,
    /// QuickBooks names the company here.
    pub realm_id: Option<String>,
    pub error: Option<String>,
}

/// The outcome of a connection, for the page the creditor sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    pub platform: Platform,
    pub creditor: CreditorId,
    pub connection: ConnectionId,
    pub tenant: String,
    pub tenant_name: Option<String>,
    /// A new creditor's API token, shown once; `None` when the creditor existed.
    pub new_token: Option<String>,
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

/// Xero's access token is a JWT whose `authentication_event_id` names this consent; read without checking
/// the signature, as it came straight from Xero's token endpoint over TLS.
fn xero_auth_event(access_token: &str) -> Option<String> {
    let payload = access_token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("authentication_event_id")?.as_str().map(str::to_string)
}

/// The organisation this consent connected: of `GET /connections`, the organisations of this consent's
/// event (when the token names it), newest first.
pub fn choose_xero_tenant(connections: &[u8], access_token: &str) -> Result<(String, Option<String>), ConnectError> {
    let tenants: Vec<XeroTenant> =
        serde_json::from_slice(connections).map_err(|e| ConnectError::Platform(format!("connections: {e}")))?;
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
    let chosen = organisations.first().ok_or(ConnectError::NoTenant)?;
    Ok((chosen.tenant_id.clone(), chosen.tenant_name.clone()))
}

/// A creditor made from a marketplace sign-up: named after the organisation, with reminders off until they
/// set their sender address and switch them on.
pub fn new_creditor(id: CreditorId, name: &str) -> Creditor {
    let policy = duly_core::policy::Policy {
        enabled: false,
        ..Default::default()
    };
    Creditor {
        creditor_id: id,
        branding: Branding {
            trading_name: name.to_string(),
            sender_name: name.to_string(),
            from_address: String::new(),
            reply_to: String::new(),
            logo_url: None,
            brand_colour: "#1f2937".to_string(),
            signature: None,
            legal_footer: None,
            sms_sender_id: None,
            registry_code: None,
            vat_number: None,
            address: None,
            bank_account: None,
        },
        country: "GB".to_string(),
        time_zone: chrono_tz::Europe::London,
        language: "en".to_string(),
        policy,
        groups: Default::default(),
        templates: Default::default(),
        disconnected: None,
    }
}

fn new_connection_id(platform: Platform) -> ConnectionId {
    let suffix: String = random_token(9).chars().filter(char::is_ascii_alphanumeric).collect();
    ConnectionId::parse(format!("conn-{}-{suffix}", platform.path_segment())).expect("a well-formed id")
}

/// Finishes a flow on the platform's redirect.
pub async fn finish(
    store: &Store,
    vault: &Vault,
    platforms: &Platforms,
    platform: Platform,
    redirect: &Redirect,
    now: DateTime<Utc>,
) -> Result<Connected, ConnectError> {
    let app = platforms.oauth(platform)?;
    let state = redirect
        .state
        .as_deref()
        .ok_or(ConnectError::MissingParameter("state"))?;
    // The flow is used up whatever happens next: a replayed or forged redirect finds nothing.
    let flow = store
        .take_flow(state, now)
        .await?
        .filter(|f| f.platform == platform.path_segment())
        .ok_or(ConnectError::UnknownFlow)?;
    if let Some(error) = &redirect.error {
        return Err(ConnectError::Declined(error.chars().take(64).collect()));
    }
    let code = redirect.code.as_deref().ok_or(ConnectError::MissingParameter("code"))?;
    let tokens = app
        .api
        .exchange_code(code, &flow.redirect_uri, &flow.verifier, now)
        .await
        .map_err(platform_error)?;
    let (tenant, tenant_name) = match platform {
        Platform::Xero => {
            let body = app
                .api
                .xero_connections(&tokens.access_token)
                .await
                .map_err(platform_error)?;
            choose_xero_tenant(&body, &tokens.access_token)?
        }
        _ => {
            let realm = redirect
                .realm_id
                .clone()
                .ok_or(ConnectError::MissingParameter("realmId"))?;
            if realm.is_empty() || realm.len() > 64 || !realm.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(ConnectError::Invalid("realmId is not a company id".into()));
            }
            (realm, None)
        }
    };
    link(
        store,
        vault,
        platform,
        flow.creditor,
        &tenant,
        tenant_name,
        Credentials::OAuth(tokens),
        Vec::new(),
        now,
    )
    .await
}

/// What a creditor gives to connect Stripe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StripeKeys {
    /// A restricted key (`rk_…`) with read access to invoices and events.
    pub api_key: String,
    /// The webhook endpoint's signing secret, `whsec_…`.
    pub webhook_secret: String,
}

#[derive(Deserialize)]
struct StripeAccount {
    id: String,
    #[serde(default)]
    settings: Option<serde_json::Value>,
}

/// Connects Stripe with a key that is checked against `GET /v1/account` before anything is stored.
pub async fn connect_stripe(
    store: &Store,
    vault: &Vault,
    stripe: &PlatformApi,
    creditor: CreditorId,
    keys: StripeKeys,
    now: DateTime<Utc>,
) -> Result<Connected, ConnectError> {
    let key_ok = ["rk_live_", "rk_test_", "sk_live_", "sk_test_"]
        .iter()
        .any(|p| keys.api_key.starts_with(p))
        && keys.api_key.len() <= 255
        && keys.api_key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !key_ok {
        return Err(ConnectError::Invalid("api_key must be a Stripe key (rk_live_…)".into()));
    }
    let secret_ok =
        keys.webhook_secret.starts_with("whsec_") && keys.webhook_secret.len() > 10 && keys.webhook_secret.len() <= 255;
    if !secret_ok {
        return Err(ConnectError::Invalid(
            "webhook_secret must be the endpoint's signing secret (whsec_…)".into(),
        ));
    }
    let body = stripe
        .stripe_list(&keys.api_key, "account", &[])
        .await
        .map_err(platform_error)?;
    let account: StripeAccount =
        serde_json::from_slice(&body).map_err(|e| ConnectError::Platform(format!("account: {e}")))?;
    let name = account
        .settings
        .as_ref()
        .and_then(|s| s.pointer("/dashboard/display_name"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    link(
        store,
        vault,
        Platform::Stripe,
        Some(creditor),
        &account.id,
        name,
        Credentials::ApiKey { key: keys.api_key },
        vec![keys.webhook_secret],
        now,
    )
    .await
}

/// Stores the connection with its sealed credentials, links the tenant, lifts a disconnection from this
/// platform, and schedules the first catch-up now.
#[allow(clippy::too_many_arguments)]
async fn link(
    store: &Store,
    vault: &Vault,
    platform: Platform,
    creditor: Option<CreditorId>,
    tenant: &str,
    tenant_name: Option<String>,
    credentials: Credentials,
    signing_secrets: Vec<String>,
    now: DateTime<Utc>,
) -> Result<Connected, ConnectError> {
    let segment = platform.path_segment();
    let existing = store.tenant(segment, tenant).await?;
    let (creditor, mut new_token) = match (creditor, &existing) {
        (Some(c), Some(link)) if link.creditor != c => return Err(ConnectError::TenantTaken),
        (Some(c), _) => (c, None),
        // A marketplace sign-up of an organisation that is already connected signs in to that creditor,
        // but never hands out a token for it.
        (None, Some(link)) => (link.creditor.clone(), None),
        (None, None) => {
            let id = CreditorId::parse(format!("{segment}-{tenant}"))
                .map_err(|e| ConnectError::Invalid(format!("tenant id: {e}")))?;
            (id, Some(duly_core::model::tokens::issue()))
        }
    };
    let mut profile = match store.get_creditor(&creditor).await? {
        Some(profile) => {
            new_token = None;
            profile
        }
        None => new_creditor(creditor.clone(), tenant_name.as_deref().unwrap_or(tenant)),
    };
    let connection_id = existing
        .filter(|l| l.creditor == creditor)
        .map(|l| l.connection)
        .unwrap_or_else(|| new_connection_id(platform));
    let sealed = vault.seal(&connection_id, &creditor, &credentials).await?;
    let connection = Connection {
        connection_id: connection_id.clone(),
        creditor_id: creditor.clone(),
        platform,
        signing_secrets,
        active: true,
        credentials: Some(sealed),
        tenant: Some(tenant.to_string()),
        home_currency: None,
    };
    store.put_connection(&connection).await?;
    let link = TenantLink {
        creditor: creditor.clone(),
        connection: connection_id.clone(),
    };
    store.put_tenant(segment, tenant, &link).await?;
    if profile.disconnected.as_ref().is_some_and(|d| d.platform == segment) {
        profile.disconnected = None;
    }
    store.put_creditor(&profile).await?;
    if let Some(token) = &new_token {
        store.put_token(&creditor, token, &format!("{segment} sign-up")).await?;
    }
    store.schedule_reconciliation(&link, segment, tenant, None, now).await?;
    tracing::info!(platform = segment, connection = %connection_id, "platform connected");
    Ok(Connected {
        platform,
        creditor,
        connection: connection_id,
        tenant: tenant.to_string(),
        tenant_name,
        new_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn app() -> OAuthApp {
        OAuthApp {
            authorize_url: "https://login.xero.com/identity/connect/authorize".into(),
            scopes: XERO_SCOPES,
            api: PlatformApi::new("https://api.xero.com", "https://identity.xero.com", "CLIENT1", "secret"),
        }
    }

    #[test]
    fn the_consent_url_carries_state_challenge_and_scopes_encoded() {
        let url = authorize_url(&app(), "https://duly.example/connect/xero/callback", "st&1", "ch");
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
        assert!(matches!(choose_xero_tenant(b"[]", &token), Err(ConnectError::NoTenant)));
    }
}

/// The page a creditor's browser shows at the end of a flow.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConnectPage {
    pub title: String,
    pub lines: Vec<String>,
    /// A new creditor's API token, shown once.
    pub token: Option<String>,
}

impl ConnectPage {
    pub fn connected(c: &Connected) -> Self {
        let platform = match c.platform {
            Platform::Xero => "Xero",
            Platform::QuickBooks => "QuickBooks Online",
            Platform::Stripe => "Stripe",
            Platform::StandardWebhooks => "your platform",
        };
        let mut lines = vec![format!(
            "Duly can now read the invoices, payments and contacts of {}.",
            c.tenant_name.as_deref().unwrap_or(&c.tenant)
        )];
        lines.push("Open invoices are imported within minutes, and every change arrives as it happens.".into());
        if c.new_token.is_some() {
            lines.push(
                "Reminders stay off until you set your sender address and branding and switch them on in Duly's settings."
                    .into(),
            );
        }
        ConnectPage {
            title: format!("Connected to {platform}"),
            lines,
            token: c.new_token.clone(),
        }
    }

    pub fn failed(error: &ConnectError) -> Self {
        ConnectPage {
            title: "Not connected".into(),
            lines: vec![error.to_string()],
            token: None,
        }
    }

    pub fn html(&self) -> String {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.add_template("connected", include_str!("../templates/connected.html.j2"))
            .expect("the shipped page template parses");
        env.get_template("connected")
            .and_then(|t| t.render(minijinja::value::Serde(self)))
            .expect("the shipped page template renders; the connect tests prove it")
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;

    #[test]
    fn the_page_escapes_the_organisation_name_and_shows_a_new_token_once() {
        let connected = Connected {
            platform: Platform::Xero,
            creditor: CreditorId::parse("xero-t1").unwrap(),
            connection: ConnectionId::parse("conn-xero-1").unwrap(),
            tenant: "t1".into(),
            tenant_name: Some("<Nordwind & Co>".into()),
            new_token: Some("duly_abc".into()),
        };
        let html = ConnectPage::connected(&connected).html();
        assert!(html.contains("Connected to Xero"));
        assert!(html.contains("&lt;Nordwind &amp; Co&gt;"));
        assert!(html.contains("duly_abc"));
        assert!(html.contains("Reminders stay off"));
        let failed = ConnectPage::failed(&ConnectError::TenantTaken).html();
        assert!(failed.contains("already connected to another Duly account"));
    }
}
