//! Connecting a creditor's accounting platform.
//!
//! Xero and QuickBooks Online: the OAuth 2.0 authorisation-code flow with PKCE (S256) and a one-time
//! `state`. A flow starts either from the creditor's own session (their API token names them) or from the
//! platform's app marketplace, which makes a new creditor on the way back. The callback exchanges the code,
//! finds the tenant (Xero: `GET /connections`, filtered to this consent; QuickBooks: `realmId` on the
//! redirect), seals the tokens, links the tenant, and schedules a first catch-up that imports what is
//! open. Stripe connects with a restricted key and the endpoint's signing secret; Merit Aktiva with the
//! company's API id and key, and is polled (see `crate::sync`).

mod disconnect;
pub mod grant;
mod merit;
mod oauth;
mod page;
mod standard;
mod stripe;

use chrono::{DateTime, Utc};
pub use disconnect::{disconnect, Disconnected};
pub use merit::{connect_merit, MeritKeysGiven};
pub use oauth::{finish, oauth_platform, start, Confirm, Finished, Redirect, Started};
pub use page::ConnectPage;
pub use standard::{create_standard, StandardConnection};
pub use stripe::{connect_stripe, StripeKeys};

use duly_adapters::platforms::{ApiError, PlatformApi};
use duly_adapters::store::{LinkedConnection, Store, StoreError, TenantLink};
use duly_adapters::vault::{Credentials, Vault, VaultError};
use duly_core::model::ids::{ConnectionId, CreditorId};
use duly_core::model::{Connection, Platform};
use duly_core::platforms::oauth::random_token;
use duly_core::platforms::onboarding::{new_creditor, Organisation};

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unknown platform; use xero, quickbooks or stripe")]
    UnknownPlatform,
    #[error("this authorisation link is unknown, already used or expired; start connecting again")]
    UnknownFlow,
    #[error("finish this link with the API token of the Duly account that started it")]
    NotYourFlow,
    #[error("the platform did not grant access ({0})")]
    Declined(String),
    #[error("the redirect lacks {0}")]
    MissingParameter(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error("this organisation is already connected to another Duly account")]
    TenantTaken,
    #[error("this organisation is already connected to Duly; sign in to Duly to connect it again")]
    AlreadyConnected,
    #[error("this Duly account is connected to another company of this platform already; its customer and invoice numbers would mix with this one's, so disconnect it first or use a separate Duly account")]
    SecondCompany,
    #[error("the authorisation does not reach the company the redirect names; connect again from that company")]
    WrongTenant,
    #[error("the token reaches no organisation")]
    NoTenant,
    #[error("the platform refused the credentials")]
    Refused,
    #[error("this link from Duly's app is used up or expired; start again from the Connections page")]
    UnknownGrant,
    #[error("no such connection")]
    UnknownConnection,
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
            ConnectError::UnknownFlow | ConnectError::MissingParameter(_) | ConnectError::UnknownGrant => 400,
            ConnectError::UnknownConnection => 404,
            ConnectError::Declined(_) | ConnectError::Refused | ConnectError::NotYourFlow => 403,
            ConnectError::TenantTaken | ConnectError::AlreadyConnected | ConnectError::SecondCompany => 409,
            ConnectError::WrongTenant => 403,
            ConnectError::Invalid(_) | ConnectError::NoTenant => 422,
            ConnectError::Platform(_) => 502,
            ConnectError::Store(_) | ConnectError::Vault(_) => 503,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ConnectError::UnknownPlatform => "not_found",
            ConnectError::UnknownFlow => "unknown_flow",
            ConnectError::UnknownGrant => "unknown_grant",
            ConnectError::UnknownConnection => "not_found",
            ConnectError::Declined(_) => "declined",
            ConnectError::NotYourFlow => "not_your_flow",
            ConnectError::MissingParameter(_) => "malformed",
            ConnectError::Invalid(_) => "invalid",
            ConnectError::TenantTaken => "tenant_taken",
            ConnectError::AlreadyConnected => "already_connected",
            ConnectError::SecondCompany => "second_company",
            ConnectError::WrongTenant => "wrong_company",
            ConnectError::NoTenant => "no_tenant",
            ConnectError::Refused => "refused",
            ConnectError::Platform(_) => "platform_unavailable",
            ConnectError::Store(_) | ConnectError::Vault(_) => "unavailable",
        }
    }
}

pub(super) fn platform_error(e: ApiError) -> ConnectError {
    match e {
        ApiError::Unauthorized | ApiError::Rejected(_) | ApiError::Revoked => ConnectError::Refused,
        other => ConnectError::Platform(other.to_string()),
    }
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
    /// Intuit's OpenID Connect user-info endpoint, for who consented; empty for Xero (its ID token says).
    pub user_info_url: String,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

impl OAuthApp {
    /// Xero as the environment configures Duly's app there (`DULY_XERO_*`), at Xero's own addresses by
    /// default.
    pub fn xero_from_env() -> OAuthApp {
        OAuthApp {
            authorize_url: env_or(
                "DULY_XERO_AUTHORIZE_URL",
                "https://login.xero.com/identity/connect/authorize",
            ),
            scopes: duly_core::platforms::oauth::XERO_SCOPES,
            api: PlatformApi::xero_from_env(),
            user_info_url: String::new(),
        }
    }

    /// Intuit as the environment configures Duly's app there (`DULY_QUICKBOOKS_*`).
    pub fn quickbooks_from_env() -> OAuthApp {
        OAuthApp {
            authorize_url: env_or(
                "DULY_QUICKBOOKS_AUTHORIZE_URL",
                "https://appcenter.intuit.com/connect/oauth2",
            ),
            scopes: duly_core::platforms::oauth::QUICKBOOKS_SCOPES,
            api: PlatformApi::quickbooks_from_env(),
            user_info_url: env_or(
                "DULY_QUICKBOOKS_USERINFO_URL",
                "https://accounts.platform.intuit.com/v1/openid_connect/userinfo",
            ),
        }
    }
}

/// The OAuth platforms and Stripe's API, built once per cold start.
#[derive(Debug, Clone)]
pub struct Platforms {
    pub xero: OAuthApp,
    pub quickbooks: OAuthApp,
    pub stripe: PlatformApi,
    pub merit: PlatformApi,
}

impl Platforms {
    pub(super) fn oauth(&self, platform: Platform) -> Result<&OAuthApp, ConnectError> {
        match platform {
            Platform::Xero => Ok(&self.xero),
            Platform::QuickBooks => Ok(&self.quickbooks),
            _ => Err(ConnectError::UnknownPlatform),
        }
    }
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
    /// The address of whoever consented, made the new creditor's first member.
    pub member: Option<String>,
}

pub(super) fn new_connection_id(platform: Platform) -> ConnectionId {
    let suffix: String = random_token(9).chars().filter(char::is_ascii_alphanumeric).collect();
    ConnectionId::parse(format!("conn-{}-{suffix}", platform.path_segment())).expect("a well-formed id")
}

/// Stores the connection with its sealed credentials, links the tenant, lifts a disconnection from this
/// platform, and schedules the first catch-up now.
#[allow(clippy::too_many_arguments)]
pub(super) async fn link(
    store: &Store,
    vault: &Vault,
    platform: Platform,
    creditor: Option<CreditorId>,
    tenant: &str,
    tenant_name: Option<String>,
    organisation: &Organisation,
    credentials: Credentials,
    signing_secrets: Vec<String>,
    now: DateTime<Utc>,
) -> Result<Connected, ConnectError> {
    let segment = platform.path_segment();
    let existing = store.tenant(segment, tenant).await?;
    let (creditor, mut new_token) = match (creditor, &existing) {
        (Some(c), Some(link)) if link.creditor != c => return Err(ConnectError::TenantTaken),
        (Some(c), _) => (c, None),
        // A flow nobody signed in to must not replace the credentials an organisation is connected with:
        // only its creditor, signed in, may connect it again.
        (None, Some(_)) => return Err(ConnectError::AlreadyConnected),
        (None, None) => {
            let id = CreditorId::parse(format!("{segment}-{tenant}"))
                .map_err(|e| ConnectError::Invalid(format!("tenant id: {e}")))?;
            (id, Some(duly_core::model::tokens::issue()))
        }
    };
    let known = store.get_creditor(&creditor).await?.is_some();
    if known {
        new_token = None;
    }
    // QuickBooks numbers customers and invoices per company ("1", "130"…), and Duly keys them by creditor:
    // a second company's would overwrite the first's, and one company's customers would be reminded of the
    // other's invoices. Until ids are kept apart per connection, a creditor connects one company.
    if platform == Platform::QuickBooks && known {
        let other_company = store.linked(&creditor).await?.into_iter().any(|l| {
            l.active && l.platform == segment && existing.as_ref().is_none_or(|e| e.connection != l.connection)
        });
        if other_company {
            return Err(ConnectError::SecondCompany);
        }
    }
    let connection_id = existing
        .filter(|l| l.creditor == creditor)
        .map(|l| l.connection)
        .unwrap_or_else(|| new_connection_id(platform));
    let sealed = vault.seal(&connection_id, &creditor, &credentials).await?;
    let signing_secrets = if signing_secrets.is_empty() {
        None
    } else {
        Some(
            vault
                .seal_signing_secrets(&connection_id, &creditor, &signing_secrets)
                .await?,
        )
    };
    let connection = Connection {
        connection_id: connection_id.clone(),
        creditor_id: creditor.clone(),
        platform,
        signing_secrets,
        active: true,
        credentials: Some(sealed),
        tenant: Some(tenant.to_string()),
        // Single-currency QuickBooks companies leave the currency off their invoices.
        home_currency: organisation.currency,
        revoke_pending: false,
    };
    store.put_connection(&connection).await?;
    let link = TenantLink {
        creditor: creditor.clone(),
        connection: connection_id.clone(),
    };
    store.put_tenant(segment, tenant, &link).await?;
    store
        .put_linked(
            &creditor,
            &LinkedConnection {
                connection: connection_id.clone(),
                platform: segment.to_string(),
                name: tenant_name.clone(),
                active: true,
                changed_at: now,
            },
        )
        .await?;
    if known {
        // Connecting again lifts a disconnection from this platform, over whatever else changed meanwhile.
        store
            .change_creditor(&creditor, |profile| {
                if profile.disconnected.as_ref().is_some_and(|d| d.platform == segment) {
                    profile.disconnected = None;
                }
                Ok::<(), StoreError>(())
            })
            .await?;
    } else {
        let profile = new_creditor(creditor.clone(), organisation);
        store.put_creditor(&profile).await?;
    }
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
        member: None,
    })
}
