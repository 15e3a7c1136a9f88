//! The local stack of the functions a marketplace creditor meets: connect and sync, pointed at the local
//! platforms of [`crate::platforms`], and a browser's requests to the connect function.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use duly_adapters::platforms::PlatformApi;
use duly_app::connect::{OAuthApp, Platforms};
use duly_core::platforms::oauth::{QUICKBOOKS_SCOPES, XERO_SCOPES};

use crate::platforms::{consent, Shared};
use crate::webhook_event::{function_url_event, to_request};
use crate::Local;

/// The connect and sync functions of the local stack, pointed at the local platforms.
pub struct Stack {
    pub connect: duly_connect::App,
    pub sync: duly_sync::App,
}

/// Where a platform a test does not use is: nothing answers there.
const NOWHERE: &str = "http://127.0.0.1:9";

impl Stack {
    /// The same stack with Merit at `base` (a local Merit of [`crate::platforms::merit`]).
    pub fn with_merit(mut self, base: &str) -> Stack {
        self.connect.platforms.merit = PlatformApi::with_token_url(base, "", "", "");
        self.sync.apis.merit = PlatformApi::with_token_url(base, "", "", "");
        self
    }
}

pub fn stack(local: &Local, xero: &str, intuit: &str, stripe: &str) -> Stack {
    let xero_api = PlatformApi::new(xero, xero, "client-id", "client-secret");
    let intuit_api = PlatformApi::with_token_url(
        intuit,
        &format!("{intuit}/oauth2/v1/tokens/bearer"),
        "client-id",
        "client-secret",
    )
    .with_revocation(&format!("{intuit}/v2/oauth2/tokens/revoke"), true);
    let stripe_api = PlatformApi::with_token_url(stripe, "", "", "");
    Stack {
        connect: duly_connect::App {
            store: local.store_for("ConnectFunction"),
            vault: local.vault_for("ConnectFunction"),
            app_url: Some(crate::APP_URL.to_string()),
            webhook_base: Some(crate::WEBHOOK_BASE.to_string()),
            platforms: Platforms {
                xero: OAuthApp {
                    authorize_url: format!("{xero}/identity/connect/authorize"),
                    scopes: XERO_SCOPES,
                    api: xero_api.clone(),
                    user_info_url: String::new(),
                },
                quickbooks: OAuthApp {
                    authorize_url: format!("{intuit}/connect/oauth2"),
                    scopes: QUICKBOOKS_SCOPES,
                    api: intuit_api.clone(),
                    user_info_url: format!("{intuit}/v1/openid_connect/userinfo"),
                },
                stripe: stripe_api.clone(),
                merit: PlatformApi::with_token_url(NOWHERE, "", "", ""),
            },
        },
        sync: duly_sync::App {
            store: local.store_for("SyncFunction"),
            vault: local.vault_for("SyncFunction"),
            apis: duly_app::sync::Apis {
                xero: xero_api,
                quickbooks: intuit_api,
                stripe: stripe_api,
                merit: PlatformApi::with_token_url(NOWHERE, "", "", ""),
            },
            catch_up_pages: duly_app::sync::CATCH_UP_PAGES_PER_RUN,
            pay_links: duly_app::sync::PAY_LINKS_PER_RUN,
            notify: Some(local.notify_for("SyncFunction")),
        },
    }
}

/// What the connect function answered.
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

pub async fn call(
    stack: &Stack,
    method: &str,
    path_and_query: &str,
    token: Option<&str>,
    body: &str,
    now: DateTime<Utc>,
) -> Answer {
    call_with_cookie(stack, method, path_and_query, token, None, body, now).await
}

/// A request from a browser that holds `cookie` (as `name=value`).
pub async fn call_with_cookie(
    stack: &Stack,
    method: &str,
    path_and_query: &str,
    token: Option<&str>,
    cookie: Option<&str>,
    body: &str,
    now: DateTime<Utc>,
) -> Answer {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let headers: Vec<(&str, String)> = token
        .map(|t| ("authorization", format!("Bearer {t}")))
        .into_iter()
        .collect();
    let mut event = function_url_event(method, path, &headers, body, now.timestamp());
    if let Some(cookie) = cookie {
        event["cookies"] = json!([cookie]);
    }
    event["rawQueryString"] = json!(query);
    let params: serde_json::Map<String, Value> = query_pairs(query).into_iter().map(|(k, v)| (k, json!(v))).collect();
    if !params.is_empty() {
        event["queryStringParameters"] = Value::Object(params);
    }
    let response = duly_connect::handle(&stack.connect, to_request(&event), now).await;
    Answer {
        status: response.status().as_u16(),
        location: response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        set_cookie: response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: match response.body() {
            lambda_http::Body::Text(t) => t.clone(),
            _ => String::new(),
        },
    }
}

/// A marketplace launch through Xero in one browser (a sign-up, or a launch for an organisation connected
/// already), to the page the callback answers.
pub async fn sign_up_through_xero(stack: &Stack, xero_state: &Shared, now: DateTime<Utc>) -> Answer {
    let launch = call(stack, "GET", "/connect/xero", None, "", now).await;
    let state = consent(xero_state, launch.location.as_deref().unwrap());
    let cookie = launch
        .set_cookie
        .as_deref()
        .and_then(|c| c.split(';').next())
        .map(str::to_string);
    let back = format!("/connect/xero/callback?code=consent-code&state={state}");
    call_with_cookie(stack, "GET", &back, None, cookie.as_deref(), "", now).await
}

/// The API token a sign-up page shows once.
pub fn token_on_page(page: &str) -> Option<String> {
    page.split("duly_")
        .nth(1)
        .map(|rest| format!("duly_{}", &rest[..64.min(rest.len())]))
}
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{query}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
