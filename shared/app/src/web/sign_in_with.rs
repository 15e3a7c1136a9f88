//! "Sign in with Xero" and "Sign in with Intuit": OpenID Connect from the apps that connect the books,
//! asking only who the person is. The platform's verified address signs in the creditor it is a member
//! of; an address that is nobody's member signs nobody in.

use chrono::{DateTime, Duration, Utc};
use fluent_bundle::FluentArgs;

use crate::connect::OAuthApp;
use duly_adapters::store::{PendingFlow, SignInLink, FLOW_MINUTES};
use duly_core::locale::Language;
use duly_core::platforms::oauth::{browser_binding, flow_cookie, new_state, plausible_state, random_token};
use duly_core::web::oidc::{authorize_url, check_id_token, verified_email_of_user_info, Provider};

use super::sign_in::start_session;
use super::view::{say, SignInView};
use super::{Reply, Web, WebError};

/// The platforms people may sign in with: those whose app is configured. The same apps that connect the
/// books; signing in asks them for identity scopes of its own.
#[derive(Debug, Clone, Default)]
pub struct Identities {
    pub xero: Option<OAuthApp>,
    pub quickbooks: Option<OAuthApp>,
}

impl Identities {
    /// As the environment configures the apps; a platform without a client id is not offered.
    pub fn from_env() -> Identities {
        let configured = |app: OAuthApp| (!app.api.client_id().is_empty()).then_some(app);
        Identities {
            xero: configured(OAuthApp::xero_from_env()),
            quickbooks: configured(OAuthApp::quickbooks_from_env()),
        }
    }

    fn app(&self, provider: Provider) -> Option<&OAuthApp> {
        match provider {
            Provider::Xero => self.xero.as_ref(),
            Provider::Intuit => self.quickbooks.as_ref(),
        }
    }

    /// The sign-in page's buttons.
    pub fn offered(&self) -> Vec<Provider> {
        [Provider::Xero, Provider::Intuit]
            .into_iter()
            .filter(|p| self.app(*p).is_some())
            .collect()
    }
}

fn redirect_uri(app_url: &str, provider: Provider) -> String {
    format!(
        "{}/app/sign-in/with/{}/callback",
        app_url.trim_end_matches('/'),
        provider.segment()
    )
}

/// `GET /app/sign-in/with/{platform}`: remembers a one-time state and verifier for ten minutes, binds
/// them to this browser, and sends it to the platform's consent page.
pub async fn start(web: Web<'_>, lang: Language, segment: &str, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let Some((provider, app)) = Provider::of_segment(segment).and_then(|p| Some((p, web.identities.app(p)?))) else {
        return Ok(Reply::page(404, super::problem_page(lang, 404)));
    };
    let state = new_state();
    let verifier = random_token(32);
    let redirect_uri = redirect_uri(web.app_url, provider);
    let flow = PendingFlow {
        platform: provider.flow_kind(),
        verifier: verifier.clone(),
        creditor: None,
        redirect_uri: redirect_uri.clone(),
        expires_at: now + Duration::minutes(FLOW_MINUTES),
        by_grant: false,
    };
    web.store.put_sign_in_flow(&state, &flow).await?;
    let consent = authorize_url(
        &app.authorize_url,
        app.api.client_id(),
        provider,
        &redirect_uri,
        &state,
        &verifier,
    );
    Ok(Reply::see_other(consent).with_cookie(flow_cookie(&state, FLOW_MINUTES)))
}

/// What the platform's redirect carried back.
#[derive(Debug, Default)]
pub struct Callback<'a> {
    pub code: &'a str,
    pub state: &'a str,
    pub error: &'a str,
    /// The flow cookie this browser sent back.
    pub browser_binding: Option<&'a str>,
}

/// `GET /app/sign-in/with/{platform}/callback`: uses the flow up, asks the platform who this is, and
/// signs in the creditor their address is a member of.
pub async fn finish(
    web: Web<'_>,
    lang: Language,
    segment: &str,
    callback: &Callback<'_>,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let Some((provider, app)) = Provider::of_segment(segment).and_then(|p| Some((p, web.identities.app(p)?))) else {
        return Ok(Reply::page(404, super::problem_page(lang, 404)));
    };
    let platform = match provider {
        Provider::Xero => "Xero",
        Provider::Intuit => "Intuit",
    };
    let failed = |web: Web<'_>, why: &str| {
        tracing::info!(platform, why, "a platform sign-in did not finish");
        let mut args = FluentArgs::new();
        args.set("platform", platform);
        let note = say(lang, "web-sign-in-with-failed", &args);
        Reply::page(
            400,
            SignInView::ask(lang, Some(note))
                .offering(&web.identities.offered())
                .render(),
        )
    };
    if !plausible_state(callback.state) {
        return Ok(failed(web, "no plausible state"));
    }
    // Used up whatever happens next: a replayed or forged redirect finds nothing.
    let flow = web
        .store
        .take_sign_in_flow(callback.state, now)
        .await?
        .filter(|f| f.platform == provider.flow_kind());
    let Some(flow) = flow else {
        return Ok(failed(web, "unknown flow"));
    };
    // Finished only in the browser that started it, so nobody can hand their consent to someone else.
    if callback.browser_binding != Some(browser_binding(callback.state).as_str()) {
        return Ok(failed(web, "another browser"));
    }
    if !callback.error.is_empty() || callback.code.is_empty() {
        return Ok(failed(web, "declined"));
    }
    let tokens = match app
        .api
        .sign_in_code(callback.code, &flow.redirect_uri, &flow.verifier)
        .await
    {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(platform, error = %e, "the token endpoint did not answer a sign-in");
            return Ok(failed(web, "token endpoint"));
        }
    };
    let checked = tokens
        .id_token
        .as_deref()
        .map(|t| check_id_token(t, provider, app.api.client_id(), &flow.verifier, now));
    let email = match checked {
        Some(Ok(id)) if !provider.needs_user_info() => id.email,
        Some(Ok(_)) => match app.api.user_info(&app.user_info_url, &tokens.access_token).await {
            Ok(body) => verified_email_of_user_info(&body).ok(),
            Err(e) => {
                tracing::warn!(platform, error = %e, "the user-info endpoint did not answer");
                None
            }
        },
        Some(Err(e)) => {
            tracing::warn!(platform, error = %e, "an ID token was refused");
            None
        }
        None => None,
    };
    let Some(email) = email else {
        return Ok(failed(web, "no verified address"));
    };
    let Some(creditor_id) = web.store.member(&email).await? else {
        let mut args = FluentArgs::new();
        args.set("email", email);
        let note = say(lang, "web-sign-in-with-stranger", &args);
        return Ok(Reply::page(
            403,
            SignInView::ask(lang, Some(note))
                .offering(&web.identities.offered())
                .render(),
        ));
    };
    let link = SignInLink {
        creditor_id,
        email,
        sign_up: None,
        browser: None,
    };
    start_session(web, link, now).await
}
