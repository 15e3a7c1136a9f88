//! The OAuth 2.0 flow for Xero and QuickBooks: start (state and verifier remembered for ten minutes), and
//! finish on the platform's redirect.

use chrono::{DateTime, Duration, Utc};

use duly_adapters::platforms::ApiError;
use duly_adapters::store::{PendingFlow, Store, FLOW_MINUTES};
use duly_adapters::vault::{Credentials, Vault};
use duly_core::model::ids::CreditorId;
use duly_core::model::Platform;
use duly_core::platforms::oauth::{
    authorize_url, browser_binding, choose_xero_tenant, flow_cookie, new_state, pkce_challenge, plausible_state,
    random_token, TenantError,
};
use duly_core::platforms::onboarding::{quickbooks_company, xero_organisation};
use duly_core::web::oidc;

use super::{link, platform_error, ConnectError, Connected, Platforms};

/// `xero` or `quickbooks`, as in the connect routes.
pub fn oauth_platform(segment: &str) -> Result<Platform, ConnectError> {
    match segment {
        "xero" => Ok(Platform::Xero),
        "quickbooks" => Ok(Platform::QuickBooks),
        _ => Err(ConnectError::UnknownPlatform),
    }
}

/// Starts a flow: remembers its state and verifier, and returns the consent page to send the browser to.
pub async fn start(
    store: &Store,
    platforms: &Platforms,
    platform: Platform,
    creditor: Option<CreditorId>,
    by_grant: bool,
    redirect_uri: &str,
    now: DateTime<Utc>,
) -> Result<Started, ConnectError> {
    let app = platforms.oauth(platform)?;
    let state = new_state();
    let verifier = random_token(32);
    let flow = PendingFlow {
        platform: platform.path_segment().to_string(),
        verifier: verifier.clone(),
        creditor,
        redirect_uri: redirect_uri.to_string(),
        expires_at: now + Duration::minutes(FLOW_MINUTES),
        by_grant,
    };
    store.put_flow(&state, &flow).await?;
    Ok(Started {
        // The nonce binds the ID token the consent brings back to this flow.
        authorize_url: format!(
            "{}&nonce={}",
            authorize_url(
                &app.authorize_url,
                app.api.client_id(),
                app.scopes,
                redirect_uri,
                &state,
                &pkce_challenge(&verifier),
            ),
            oidc::nonce(&verifier)
        ),
        browser_cookie: flow_cookie(&state, FLOW_MINUTES),
    })
}

/// A flow just started: where to send the browser, and the cookie that binds the flow to it.
#[derive(Debug, Clone)]
pub struct Started {
    pub authorize_url: String,
    /// A `Set-Cookie` value. A flow started without a signed-in creditor is finished only in the browser
    /// that holds it, so nobody can hand their consent link to someone else to complete.
    pub browser_cookie: String,
}

/// What the platform's redirect carried.
#[derive(Debug, Default, Clone)]
pub struct Redirect {
    pub code: Option<String>,
    pub state: Option<String>,
    /// QuickBooks names the company here.
    pub realm_id: Option<String>,
    pub error: Option<String>,
    /// The flow cookie the browser sent back, if any.
    pub browser_binding: Option<String>,
    /// The API token typed into the confirmation form, for a flow a creditor started over the API.
    pub creditor_token: Option<String>,
}

/// Where a redirect leaves the browser.
#[derive(Debug, Clone)]
pub enum Finished {
    Connected(Connected),
    /// A marketplace launch for an organisation already connected, by one of its creditor's members: they
    /// reach the app (the credentials stay as they are).
    SignedIn {
        creditor: CreditorId,
        tenant_name: Option<String>,
        /// The member's address, as the platform vouches for it.
        email: String,
    },
    /// A marketplace launch by someone who is not a member of the creditor the organisation is linked to.
    NotAMember {
        tenant_name: Option<String>,
    },
    /// A flow started over the API is finished only by someone who holds that creditor's token: the
    /// consent link may have been handed to somebody else, whose organisation must not be linked to it.
    Confirm(Confirm),
}

/// What the confirmation form carries back to the callback.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub platform: Platform,
    pub state: String,
    pub code: String,
    pub realm_id: Option<String>,
}

/// Finishes a flow on the platform's redirect.
pub async fn finish(
    store: &Store,
    vault: &Vault,
    platforms: &Platforms,
    platform: Platform,
    redirect: &Redirect,
    now: DateTime<Utc>,
) -> Result<Finished, ConnectError> {
    let app = platforms.oauth(platform)?;
    let state = redirect
        .state
        .as_deref()
        .ok_or(ConnectError::MissingParameter("state"))?;
    if !plausible_state(state) {
        return Err(ConnectError::UnknownFlow);
    }
    let in_its_browser = redirect.browser_binding.as_deref() == Some(browser_binding(state).as_str());
    if let (None, None, false, Some(code)) = (
        &redirect.error,
        &redirect.creditor_token,
        in_its_browser,
        &redirect.code,
    ) {
        let api_started = store
            .peek_flow(state, now)
            .await?
            .is_some_and(|f| f.platform == platform.path_segment() && f.creditor.is_some() && !f.by_grant);
        if api_started {
            return Ok(Finished::Confirm(Confirm {
                platform,
                state: state.to_string(),
                code: code.clone(),
                realm_id: redirect.realm_id.clone(),
            }));
        }
    }
    // The flow is used up whatever happens next: a replayed or forged redirect finds nothing.
    let flow = store
        .take_flow(state, now)
        .await?
        .filter(|f| f.platform == platform.path_segment())
        .ok_or(ConnectError::UnknownFlow)?;
    match (&flow.creditor, &redirect.error) {
        // A marketplace flow signs a creditor up, and the app's grant named the creditor: either is
        // finished only in the browser that started it.
        (None, _) if !in_its_browser => return Err(ConnectError::UnknownFlow),
        (Some(_), _) if flow.by_grant && !in_its_browser => return Err(ConnectError::UnknownFlow),
        (Some(_), None) if flow.by_grant => {}
        (Some(creditor), None) => {
            let owner = match redirect.creditor_token.as_deref() {
                Some(token) if !token.is_empty() => store.creditor_of_token(token).await?,
                _ => None,
            };
            if owner.as_ref() != Some(creditor) {
                return Err(ConnectError::NotYourFlow);
            }
        }
        _ => {}
    }
    if let Some(error) = &redirect.error {
        return Err(ConnectError::Declined(error.chars().take(64).collect()));
    }
    let code = redirect.code.as_deref().ok_or(ConnectError::MissingParameter("code"))?;
    let (tokens, id_token) = app
        .api
        .exchange_code(code, &flow.redirect_uri, &flow.verifier, now)
        .await
        .map_err(platform_error)?;
    let (tenant, tenant_name, organisation) = match platform {
        Platform::Xero => {
            let body = app
                .api
                .xero_connections(&tokens.access_token)
                .await
                .map_err(platform_error)?;
            let (tenant, name) = choose_xero_tenant(&body, &tokens.access_token).map_err(|e| match e {
                TenantError::NoTenant => ConnectError::NoTenant,
                unreadable => ConnectError::Platform(unreadable.to_string()),
            })?;
            let org = app
                .api
                .xero_organisation(&tokens.access_token, &tenant)
                .await
                .map_err(platform_error)?;
            let org = xero_organisation(&org).map_err(|e| ConnectError::Platform(format!("organisation: {e}")))?;
            (tenant, name, org)
        }
        _ => {
            let realm = redirect
                .realm_id
                .clone()
                .ok_or(ConnectError::MissingParameter("realmId"))?;
            if realm.is_empty() || realm.len() > 64 || !realm.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(ConnectError::Invalid("realmId is not a company id".into()));
            }
            // The redirect's query string is not Intuit's word for which company this consent is for: the
            // new token must read that company before anything is stored.
            let info = app
                .api
                .quickbooks_company_info(&tokens.access_token, &realm)
                .await
                .map_err(|e| match e {
                    ApiError::Unauthorized | ApiError::Rejected(_) | ApiError::Revoked => ConnectError::WrongTenant,
                    other => platform_error(other),
                })?;
            let preferences = app
                .api
                .quickbooks_preferences(&tokens.access_token, &realm)
                .await
                .map_err(platform_error)?;
            let org =
                quickbooks_company(&info, &preferences).map_err(|e| ConnectError::Platform(format!("company: {e}")))?;
            (realm, Some(org.name.clone()), org)
        }
    };
    let person = who_consented(
        app,
        platform,
        id_token.as_deref(),
        &tokens.access_token,
        &flow.verifier,
        now,
    )
    .await;
    if flow.creditor.is_none() {
        if let Some(existing) = store.tenant(platform.path_segment(), &tenant).await? {
            // Consenting for the organisation is not enough: the person must be one of its creditor's
            // members, by the address the platform vouches for. Anyone else is told to ask for access.
            let member = match &person {
                Some(email) => store.member(email).await?.as_ref() == Some(&existing.creditor),
                None => false,
            };
            return Ok(match (member, person) {
                (true, Some(email)) => Finished::SignedIn {
                    creditor: existing.creditor,
                    tenant_name,
                    email,
                },
                _ => Finished::NotAMember { tenant_name },
            });
        }
    }
    let mut connected = link(
        store,
        vault,
        platform,
        flow.creditor,
        &tenant,
        tenant_name,
        &organisation,
        Credentials::OAuth(tokens),
        Vec::new(),
        now,
    )
    .await?;
    // A sign-up's first member is whoever consented, so they sign in again with the platform or a link.
    if let (Some(_), Some(email)) = (&connected.new_token, person) {
        if store.put_member(&connected.creditor, &email).await? {
            connected.member = Some(email);
        }
    }
    Ok(Finished::Connected(connected))
}

/// The verified address of whoever consented, when the platform says: Xero in the ID token, Intuit at its
/// user-info endpoint. Anything amiss is logged and leaves the sign-up without a member.
async fn who_consented(
    app: &super::OAuthApp,
    platform: Platform,
    id_token: Option<&str>,
    access_token: &str,
    verifier: &str,
    now: DateTime<Utc>,
) -> Option<String> {
    let provider = match platform {
        Platform::Xero => oidc::Provider::Xero,
        _ => oidc::Provider::Intuit,
    };
    let checked = oidc::check_id_token(id_token?, provider, app.api.client_id(), verifier, now)
        .inspect_err(|e| tracing::warn!(error = %e, "the consent's ID token was refused"))
        .ok()?;
    if !provider.needs_user_info() {
        return checked.email;
    }
    let body = app
        .api
        .user_info(&app.user_info_url, access_token)
        .await
        .inspect_err(|e| tracing::warn!(error = %e, "the user-info endpoint did not answer"))
        .ok()?;
    oidc::verified_email_of_user_info(&body).ok()
}
