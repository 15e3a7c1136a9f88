//! The web function served on loopback, as its Function URL would serve it, on a clock the test moves.

use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::http::{Request, Response};
use axum::Router;
use chrono::{DateTime, Utc};
use serde_json::json;

use duly_adapters::platforms::PlatformApi;
use duly_app::connect::OAuthApp;
use duly_app::web::sign_in_with::Identities;

use crate::webhook_event::{function_url_event, to_request};
use crate::Local;

/// The largest request body passed on (the function refuses more itself).
const MAX_BODY: usize = 1 << 20;

/// The time the served function takes as "now"; a test moves it.
pub type Clock = Arc<Mutex<DateTime<Utc>>>;

/// The web function over `local`'s table, sending sign-in links from Duly's address.
pub fn web_app(local: &Local, app_url: &str) -> duly_web::App {
    duly_web::App {
        store: local.store_for("WebFunction"),
        outbound: local.outbound_for("WebFunction"),
        from: Some(crate::fixtures::FALLBACK_FROM.to_string()),
        app_url: app_url.to_string(),
        identities: Default::default(),
        connect_url: None,
        interest_countries: Default::default(),
        prices: Default::default(),
        link_request_floor: std::time::Duration::ZERO,
        domains: local.dns.sending_domains(),
    }
}

/// Signing in with the local Xero and Intuit servers at `xero` and `intuit`, as Duly's apps there.
pub fn identities(xero: &str, intuit: &str) -> Identities {
    Identities {
        xero: Some(OAuthApp {
            authorize_url: format!("{xero}/identity/connect/authorize"),
            scopes: duly_core::platforms::oauth::XERO_SCOPES,
            api: PlatformApi::new(xero, xero, "client-id", "client-secret"),
            user_info_url: String::new(),
        }),
        quickbooks: Some(OAuthApp {
            authorize_url: format!("{intuit}/connect/oauth2"),
            scopes: duly_core::platforms::oauth::QUICKBOOKS_SCOPES,
            api: PlatformApi::with_token_url(
                intuit,
                &format!("{intuit}/oauth2/v1/tokens/bearer"),
                "client-id",
                "client-secret",
            ),
            user_info_url: format!("{intuit}/v1/openid_connect/userinfo"),
        }),
    }
}

/// Every page a signed-in creditor can open, with `{debtor}`, `{invoice}` and `{group}` standing for a
/// customer, one of their invoices and a customer group of the creditor's.
pub const APP_PAGES: &[&str] = &[
    "/app/today",
    "/app/todo",
    "/app/debtors",
    "/app/debtors?overdue=1&sort=oldest",
    "/app/debtors/{debtor}",
    "/app/invoices/{invoice}/decide",
    "/app/reports",
    "/app/reports/month/2026-11-01",
    "/app/settings",
    "/app/schedule",
    "/app/groups",
    "/app/preview",
    "/app/preview?language=pl&step=after-7",
    "/app/preview/email?language=et&step=after-7",
    "/app/templates",
    "/app/charges",
    "/app/branding",
    "/app/connections",
    "/app/team",
    "/app/me",
    "/app/schedule/words?step=after-7",
    "/app/schedule?group={group}",
    "/app/tokens",
    "/app/usage",
    "/app/answers",
    "/app/calls",
    "/app/notices",
    "/app/notifications",
    "/app/audit",
    "/app/audit?verify=1",
    "/app/invoices/{invoice}/interest",
];

/// [`APP_PAGES`] for one creditor's data.
pub fn app_pages(debtor: &str, invoice: &str, group: &str) -> Vec<String> {
    APP_PAGES
        .iter()
        .map(|p| {
            p.replace("{debtor}", debtor)
                .replace("{invoice}", invoice)
                .replace("{group}", group)
        })
        .collect()
}

/// Serves the web function over `local`'s table on a free loopback port; its base URL and its clock.
pub async fn serve_web(local: &Local, now: DateTime<Utc>) -> (String, Clock) {
    serve_web_with(local, now, Identities::default()).await
}

/// As [`serve_web`], offering sign-in with the platforms of `identities`.
pub async fn serve_web_with(local: &Local, now: DateTime<Utc>, identities: Identities) -> (String, Clock) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Arc::new(duly_web::App {
        identities,
        ..web_app(local, &base)
    });
    let clock: Clock = Arc::new(Mutex::new(now));
    serve_function(listener, clock.clone(), move |request, now| {
        let app = app.clone();
        async move { duly_web::handle(&app, request, now).await }
    });
    (base, clock)
}

/// Serves the answers function (the pages debtors open) over `local`'s table on a free loopback port; its
/// base URL and its clock. Links are signed for `https://answers.duly.test`: a page's own links keep that
/// host, and a test follows them by their path.
pub async fn serve_answers(local: &Local, now: DateTime<Utc>) -> (String, Clock) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Arc::new(duly_answers::App {
        store: local.store.clone(),
        links: crate::test_links(),
        outbound: local.answers.outbound.clone(),
        notify_from: local.answers.notify_from.clone(),
        app_url: local.answers.app_url.clone(),
    });
    let clock: Clock = Arc::new(Mutex::new(now));
    serve_function(listener, clock.clone(), move |request, now| {
        let app = app.clone();
        async move { duly_answers::handle(&app, request, now).await }
    });
    (base, clock)
}

/// Serves a function that answers Function URL requests (`handle(app, request, now)`) on `listener`, at
/// the time `clock` says.
pub fn serve_function<F, Fut>(listener: tokio::net::TcpListener, clock: Clock, handle: F)
where
    F: Fn(lambda_http::Request, DateTime<Utc>) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = lambda_http::Response<lambda_http::Body>> + Send,
{
    let router = Router::new().fallback(move |request: Request<Body>| {
        let (handle, clock) = (handle.clone(), clock.clone());
        async move {
            let now = *clock.lock().unwrap();
            relay(request, now, handle).await
        }
    });
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
}

/// One HTTP request as a Function URL event, and the function's answer back.
async fn relay<F, Fut>(request: Request<Body>, now: DateTime<Utc>, handle: F) -> Response<Body>
where
    F: Fn(lambda_http::Request, DateTime<Utc>) -> Fut,
    Fut: std::future::Future<Output = lambda_http::Response<lambda_http::Body>>,
{
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    let headers: Vec<(&str, String)> = parts
        .headers
        .iter()
        .filter(|(name, _)| *name != "cookie")
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?.to_string())))
        .collect();
    let mut event = function_url_event(
        parts.method.as_str(),
        parts.uri.path(),
        &headers,
        &String::from_utf8_lossy(&body),
        now.timestamp(),
    );
    let query = parts.uri.query().unwrap_or("");
    event["rawQueryString"] = json!(query);
    let parameters: serde_json::Map<String, serde_json::Value> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), json!(v.into_owned())))
        .collect();
    if !parameters.is_empty() {
        event["queryStringParameters"] = serde_json::Value::Object(parameters);
    }
    // Function URLs hand cookies over as a list, not as a header.
    let cookies: Vec<String> = parts
        .headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split("; ").map(str::to_string).collect::<Vec<_>>())
        .collect();
    if !cookies.is_empty() {
        event["cookies"] = json!(cookies);
    }
    let response = handle(to_request(&event), now).await;
    let (parts, body) = response.into_parts();
    let bytes = match body {
        lambda_http::Body::Text(t) => t.into_bytes(),
        lambda_http::Body::Binary(b) => b,
        _ => Vec::new(),
    };
    let mut out = Response::builder().status(parts.status.as_u16());
    for (name, value) in &parts.headers {
        out = out.header(name.as_str(), value.as_bytes());
    }
    out.body(Body::from(bytes)).unwrap()
}
