//! HTTP shell of the connect function: where a creditor's browser starts and ends connecting an
//! accounting platform, and where a creditor's API client connects Stripe.
//!
//! | route | who | does |
//! | --- | --- | --- |
//! | `GET /connect/{xero,quickbooks}` | the platform's app marketplace | 302 to the consent page; a new creditor on return |
//! | `POST /connect/{xero,quickbooks}` | a creditor (bearer token) | `{"authorize_url"}` for this creditor |
//! | `GET /connect/{xero,quickbooks}/callback` | the platform's redirect | finishes the flow, or asks for the token of the creditor who started it; an HTML page |
//! | `POST /connect/{xero,quickbooks}/callback` | that form | finishes a flow started over the API |
//! | `POST /connect/stripe` | a creditor (bearer token) | `{"api_key", "webhook_secret"}` → the connection |
//! | `GET /connect/stripe`, `POST` (a form) | a Stripe user in a browser | the sign-up form; the new creditor's token and a button into the app |
//! | `POST /connect/stripe` | anyone with the account's keys, no token | a new creditor from the Stripe account, and its API token once |
//! | `GET /connect/{xero,quickbooks,stripe}?grant=` | a member, from the app's Connections page | the consent page (or the Stripe form) for the grant's creditor |
//! | `GET /connect/{standard,disconnect}?grant=`, `POST` (a form) | a member, from the app | a button; pressing it makes a Standard Webhooks connection (its secret shown once) or disconnects |
//! | `POST /connect/merit` | a creditor (bearer token) | `{"api_id", "api_key", "region"}` → the connection |
//! | `GET /connect/merit?grant=`, `POST` (a form) | a member, from the app's Connections page | the form for Merit's API id and key |
//! | `POST /connect/standard` | a creditor (bearer token) | `{"connection_id", "webhook_url", "secret"}`, the secret once |

use chrono::{DateTime, Utc};
use lambda_http::http::{header, Method, StatusCode};
use lambda_http::{Body, Request, RequestExt, Response};

use duly_adapters::store::Store;
use duly_adapters::vault::Vault;
use duly_app::connect::{self, ConnectError, ConnectPage, Finished, MeritKeysGiven, Platforms, Redirect, StripeKeys};
use duly_app::errors::public_reason;
use duly_app::function_url::{body_bytes, form, json, reader, refuse};
use duly_app::settings::SettingsError;
use duly_core::locale::Language;
use duly_core::model::ids::CreditorId;
use duly_core::model::Platform;
use duly_core::platforms::oauth::flow_cookie_value;
use duly_core::web::grant::Grant;

/// Everything built once per cold start.
pub struct App {
    pub store: Store,
    pub vault: Vault,
    pub platforms: Platforms,
    /// The web app's base URL: a marketplace launch ends with a button that opens it, signed in.
    pub app_url: Option<String>,
    /// The ingest function's base URL, for a new Standard Webhooks connection's address.
    pub webhook_base: Option<String>,
}

impl App {
    /// The app's Connections page, for pages reached from there.
    fn back(&self) -> Option<String> {
        self.app_url
            .as_deref()
            .map(|u| format!("{}/app/connections", u.trim_end_matches('/')))
    }
}

const MAX_BODY_BYTES: usize = 16 * 1024;

fn page(lang: Language, status: u16, page: &ConnectPage) -> Response<Body> {
    duly_app::function_url::page(status, page.html(lang))
}

/// The creditor named by the request's bearer token, as the settings API reads it.
async fn creditor(app: &App, request: &Request) -> Result<CreditorId, Response<Body>> {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match duly_app::settings::authenticate(&app.store, authorization).await {
        Ok(creditor) => Ok(creditor),
        Err(SettingsError::Store(e)) => {
            tracing::error!(error = %e, "token lookup failed");
            Err(refuse(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "try again"))
        }
        Err(_) => Err(refuse(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send Authorization: Bearer <token> with a valid token",
        )),
    }
}

/// Where the platform sends the browser back: this function's own address.
fn redirect_uri(request: &Request, platform: Platform) -> String {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    format!("https://{host}/connect/{}/callback", platform.path_segment())
}

fn browser_binding(request: &Request) -> Option<String> {
    let cookies = duly_app::function_url::cookies(request);
    flow_cookie_value(&cookies).map(|v| v.chars().take(64).collect())
}

fn query(request: &Request) -> Redirect {
    let q = request.query_string_parameters();
    let get = |k: &str| q.first(k).map(|v| v.chars().take(2048).collect::<String>());
    Redirect {
        code: get("code"),
        state: get("state"),
        realm_id: get("realmId"),
        error: get("error"),
        browser_binding: browser_binding(request),
        creditor_token: None,
    }
}

/// The confirmation form posted back: the redirect's fields and the creditor's token.
fn posted_redirect(request: &Request) -> Option<Redirect> {
    let fields = form(request, MAX_BODY_BYTES)?;
    let get = |k: &str| {
        fields
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.chars().take(2048).collect::<String>())
    };
    Some(Redirect {
        code: get("code"),
        state: get("state"),
        realm_id: get("realmId"),
        error: None,
        browser_binding: browser_binding(request),
        // A form posted without a token is an answer too: it must not show the form again.
        creditor_token: Some(
            get("token")
                .map(|t| t.trim().chars().take(256).collect())
                .unwrap_or_default(),
        ),
    })
}

async fn finish(
    app: &App,
    platform: Platform,
    redirect: &Redirect,
    lang: Language,
    now: DateTime<Utc>,
) -> Response<Body> {
    match connect::finish(&app.store, &app.vault, &app.platforms, platform, redirect, now).await {
        Ok(Finished::Connected(connected)) => {
            // Only a sign-up opens the app from here: a creditor who connected over the API is signed in.
            let link = match connected.new_token {
                Some(_) => {
                    app_link(
                        app,
                        &connected.creditor,
                        connected.member.clone().unwrap_or_default(),
                        now,
                    )
                    .await
                }
                None => None,
            };
            let back = link.is_none().then(|| app.back()).flatten();
            page(
                lang,
                200,
                &ConnectPage::connected(&connected).with_app_link(link).with_back(back),
            )
        }
        Ok(Finished::SignedIn {
            creditor,
            tenant_name,
            email,
        }) => {
            let link = app_link(app, &creditor, email, now).await;
            page(lang, 200, &ConnectPage::signed_in(tenant_name.as_deref(), link))
        }
        Ok(Finished::NotAMember { tenant_name }) => page(lang, 403, &ConnectPage::not_a_member(tenant_name.as_deref())),
        Ok(Finished::Confirm(confirm)) => page(lang, 200, &ConnectPage::confirm(&confirm)),
        Err(error) => {
            log_failure(platform.path_segment(), &error);
            page(lang, error.status(), &ConnectPage::failed(&error))
        }
    }
}

/// A one-time link into the web app for `creditor`, if the app's address is known; a failure to store it
/// is logged and the page goes without the button.
async fn app_link(app: &App, creditor: &CreditorId, email: String, now: DateTime<Utc>) -> Option<String> {
    let url = app.app_url.as_deref()?;
    match duly_app::web::sign_in::platform_link(&app.store, url, creditor.clone(), email, now).await {
        Ok(link) => Some(link),
        Err(e) => {
            tracing::warn!(error = %e, "could not make a link into the app");
            None
        }
    }
}

fn log_failure(platform: &str, error: &ConnectError) {
    if error.status() >= 500 {
        tracing::error!(platform, code = error.code(), error = %error, "connect failed");
    } else {
        tracing::warn!(platform, code = error.code(), "connect refused");
    }
}

/// Handles one request at `now`.
pub async fn handle(app: &App, request: Request, now: DateTime<Utc>) -> Response<Body> {
    let lang = reader(&request);
    let path = request.raw_http_path().to_string();
    let Some(rest) = path.strip_prefix("/connect/") else {
        return refuse(
            StatusCode::NOT_FOUND,
            "not_found",
            "see /connect/{xero|quickbooks|stripe}",
        );
    };
    let (segment, callback) = match rest.split_once('/') {
        Some((segment, "callback")) => (segment, true),
        Some(_) => {
            return refuse(
                StatusCode::NOT_FOUND,
                "not_found",
                "see /connect/{xero|quickbooks|stripe}",
            )
        }
        None => (rest, false),
    };
    let grant = request
        .query_string_parameters()
        .first("grant")
        .map(|g| g.chars().take(64).collect::<String>());
    if !callback && (segment == "standard" || segment == "disconnect") {
        return match (request.method().clone(), segment, grant) {
            (Method::GET, "standard", Some(g)) => page(lang, 200, &ConnectPage::standard_offer(&g, app.back())),
            (Method::GET, "disconnect", Some(g)) => page(lang, 200, &ConnectPage::disconnect_offer(&g, app.back())),
            (Method::POST, "standard", _) if request.headers().contains_key(header::AUTHORIZATION) => {
                standard_api(app, &request, now).await
            }
            (Method::POST, _, _) => granted(app, segment, &request, now).await,
            _ => refuse(
                StatusCode::BAD_REQUEST,
                "malformed",
                "open this page from the Connections page of Duly's app",
            ),
        };
    }
    if segment == "stripe" && !callback {
        return match *request.method() {
            Method::GET => match grant {
                Some(g) => page(lang, 200, &ConnectPage::stripe_connect(&g, app.back())),
                None => page(lang, 200, &ConnectPage::stripe_sign_up()),
            },
            Method::POST if is_form(&request) => stripe_form(app, &request, now).await,
            Method::POST => stripe(app, &request, now).await,
            _ => refuse(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "GET the sign-up form or POST the Stripe keys",
            ),
        };
    }
    if segment == "merit" && !callback {
        return match (request.method().clone(), grant) {
            (Method::GET, Some(g)) => page(lang, 200, &ConnectPage::merit_connect(&g, app.back())),
            (Method::POST, _) if is_form(&request) => merit_form(app, &request, now).await,
            (Method::POST, _) => merit(app, &request, now).await,
            _ => refuse(
                StatusCode::BAD_REQUEST,
                "malformed",
                "open this page from the Connections page of Duly's app, or POST the keys with an API token",
            ),
        };
    }
    let platform = match connect::oauth_platform(segment) {
        Ok(p) => p,
        Err(e) => return refuse(e.status(), e.code(), &public_reason(e.status(), &e)),
    };
    match (request.method().clone(), callback) {
        (Method::GET, true) => finish(app, platform, &query(&request), lang, now).await,
        (Method::POST, true) => match posted_redirect(&request) {
            Some(redirect) => finish(app, platform, &redirect, lang, now).await,
            None => refuse(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "at most 16 KiB"),
        },
        (Method::GET, false) => {
            let uri = redirect_uri(&request, platform);
            // With a grant from the app, the flow is the grant's creditor's; without, a marketplace launch.
            let creditor = match grant {
                Some(g) => match connect::grant::take(&app.store, &g, now).await {
                    Ok((creditor, Grant::Connect(p))) if p == platform => Some(creditor),
                    Ok(_) => return page(lang, 400, &ConnectPage::failed(&ConnectError::UnknownGrant)),
                    Err(error) => {
                        log_failure(segment, &error);
                        return page(lang, error.status(), &ConnectPage::failed(&error));
                    }
                },
                None => None,
            };
            let by_grant = creditor.is_some();
            match connect::start(&app.store, &app.platforms, platform, creditor, by_grant, &uri, now).await {
                Ok(started) => Response::builder()
                    .status(StatusCode::FOUND)
                    .header(header::LOCATION, started.authorize_url)
                    .header(header::SET_COOKIE, started.browser_cookie)
                    .header(header::CACHE_CONTROL, "no-store")
                    .body(Body::Empty)
                    .expect("static response parts are valid"),
                Err(error) => {
                    log_failure(segment, &error);
                    page(lang, error.status(), &ConnectPage::failed(&error))
                }
            }
        }
        (Method::POST, false) => {
            let creditor = match creditor(app, &request).await {
                Ok(c) => c,
                Err(response) => return response,
            };
            let uri = redirect_uri(&request, platform);
            match connect::start(&app.store, &app.platforms, platform, Some(creditor), false, &uri, now).await {
                Ok(started) => json(
                    StatusCode::OK,
                    serde_json::json!({ "authorize_url": started.authorize_url }),
                ),
                Err(error) => {
                    log_failure(segment, &error);
                    refuse(error.status(), error.code(), &public_reason(error.status(), &error))
                }
            }
        }
        _ => refuse(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "GET or POST"),
    }
}

/// A form from a page this function showed for an app grant: makes a Standard Webhooks connection, or
/// disconnects the connection the grant names.
async fn granted(app: &App, segment: &str, request: &Request, now: DateTime<Utc>) -> Response<Body> {
    let lang = reader(request);
    let Some(fields) = form(request, MAX_BODY_BYTES) else {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "at most 16 KiB");
    };
    let token = fields
        .into_iter()
        .find(|(k, _)| k == "grant")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let outcome = match connect::grant::take(&app.store, &token, now).await {
        Err(error) => Err(error),
        Ok((creditor, Grant::Connect(Platform::StandardWebhooks))) if segment == "standard" => {
            connect::create_standard(&app.store, &app.vault, &creditor, now)
                .await
                .map(|made| ConnectPage::standard_made(&made, app.webhook_base.as_deref(), app.back()))
        }
        Ok((creditor, Grant::Disconnect(id))) if segment == "disconnect" => {
            connect::disconnect(&app.store, &creditor, &id, now)
                .await
                .map(|d| ConnectPage::disconnected(&d, app.back()))
        }
        Ok(_) => Err(ConnectError::UnknownGrant),
    };
    match outcome {
        Ok(done) => page(lang, 200, &done),
        Err(error) => {
            log_failure(segment, &error);
            page(lang, error.status(), &ConnectPage::failed(&error).with_back(app.back()))
        }
    }
}

/// `POST /connect/standard` with the creditor's API token: a Standard Webhooks connection, its address
/// and signing secret, once.
async fn standard_api(app: &App, request: &Request, now: DateTime<Utc>) -> Response<Body> {
    let creditor = match creditor(app, request).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    match connect::create_standard(&app.store, &app.vault, &creditor, now).await {
        Ok(made) => json(
            StatusCode::CREATED,
            serde_json::json!({
                "connection_id": made.connection.as_str(),
                "webhook_url": match app.webhook_base.as_deref() {
                    Some(base) => format!("{}{}", base.trim_end_matches('/'), made.webhook_path),
                    None => made.webhook_path.clone(),
                },
                "secret": made.secret,
            }),
        ),
        Err(error) => {
            log_failure("standard", &error);
            refuse(error.status(), error.code(), &public_reason(error.status(), &error))
        }
    }
}

fn is_form(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The sign-up form posted from a browser: a new creditor, its API token once, and a button into the app.
async fn stripe_form(app: &App, request: &Request, now: DateTime<Utc>) -> Response<Body> {
    let lang = reader(request);
    let Some(fields) = FormFields::read(request) else {
        return page(lang, 413, &ConnectPage::stripe_sign_up());
    };
    let get = |k: &str| fields.get(k);
    let keys = StripeKeys {
        api_key: get("api_key"),
        webhook_secret: get("webhook_secret"),
    };
    // With a grant, the keys connect the grant's creditor; without, they sign a new one up.
    let creditor = match get("grant").as_str() {
        "" => None,
        g => match connect::grant::take(&app.store, g, now).await {
            Ok((creditor, Grant::Connect(Platform::Stripe))) => Some(creditor),
            Ok(_) => return page(lang, 400, &ConnectPage::failed(&ConnectError::UnknownGrant)),
            Err(error) => return page(lang, error.status(), &ConnectPage::failed(&error)),
        },
    };
    let by_grant = creditor.is_some();
    match connect::connect_stripe(&app.store, &app.vault, &app.platforms.stripe, creditor, keys, now).await {
        Ok(c) if by_grant => page(lang, 201, &ConnectPage::connected(&c).with_back(app.back())),
        Ok(c) => {
            // A new creditor has no member yet: the link names nobody, and works until someone is added.
            let link = app_link(app, &c.creditor, String::new(), now).await;
            page(lang, 201, &ConnectPage::connected(&c).with_app_link(link))
        }
        Err(error) => {
            log_failure("stripe", &error);
            page(lang, error.status(), &ConnectPage::failed(&error))
        }
    }
}

async fn stripe(app: &App, request: &Request, now: DateTime<Utc>) -> Response<Body> {
    // Without a token, the keys sign a new creditor up: the account's keys are checked with Stripe first,
    // and an account already connected is never taken over.
    let creditor = match request.headers().contains_key(header::AUTHORIZATION) {
        false => None,
        true => match creditor(app, request).await {
            Ok(c) => Some(c),
            Err(response) => return response,
        },
    };
    let keys: StripeKeys = match posted_keys(request, r#"{"api_key": "rk_…", "webhook_secret": "whsec_…"}"#) {
        Ok(k) => k,
        Err(response) => return *response,
    };
    match connect::connect_stripe(&app.store, &app.vault, &app.platforms.stripe, creditor, keys, now).await {
        Ok(c) => {
            let mut body = serde_json::json!({
                "connection_id": c.connection.as_str(),
                "account": c.tenant,
                "webhook_path": format!("/webhooks/stripe/{}", c.connection),
            });
            if let Some(token) = &c.new_token {
                body["creditor_id"] = c.creditor.as_str().into();
                body["api_token"] = token.as_str().into();
            }
            json(StatusCode::CREATED, body)
        }
        Err(error) => {
            log_failure("stripe", &error);
            refuse(error.status(), error.code(), &public_reason(error.status(), &error))
        }
    }
}

/// `POST /connect/merit` with the creditor's API token: Merit's API id and key, checked with Merit.
async fn merit(app: &App, request: &Request, now: DateTime<Utc>) -> Response<Body> {
    let creditor = match creditor(app, request).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    let given: MeritKeysGiven = match posted_keys(request, r#"{"api_id": "…", "api_key": "…", "region": "ee|fi|pl"}"#)
    {
        Ok(k) => k,
        Err(response) => return *response,
    };
    match connect::connect_merit(&app.store, &app.vault, &app.platforms.merit, creditor, given, now).await {
        Ok(c) => json(
            StatusCode::CREATED,
            serde_json::json!({"connection_id": c.connection.as_str(), "platform": "merit"}),
        ),
        Err(error) => {
            log_failure("merit", &error);
            refuse(error.status(), error.code(), &public_reason(error.status(), &error))
        }
    }
}

/// The Merit form posted from the app's Connections page, with its grant.
async fn merit_form(app: &App, request: &Request, now: DateTime<Utc>) -> Response<Body> {
    let lang = reader(request);
    let Some(fields) = FormFields::read(request) else {
        return page(lang, 413, &ConnectPage::failed(&ConnectError::UnknownGrant));
    };
    let get = |k: &str| fields.get(k);
    let creditor = match connect::grant::take(&app.store, &get("grant"), now).await {
        Ok((creditor, Grant::Connect(Platform::Merit))) => creditor,
        Ok(_) => return page(lang, 400, &ConnectPage::failed(&ConnectError::UnknownGrant)),
        Err(error) => return page(lang, error.status(), &ConnectPage::failed(&error)),
    };
    let given = MeritKeysGiven {
        api_id: get("api_id"),
        api_key: get("api_key"),
        region: get("region"),
    };
    match connect::connect_merit(&app.store, &app.vault, &app.platforms.merit, creditor, given, now).await {
        Ok(c) => page(lang, 201, &ConnectPage::connected(&c).with_back(app.back())),
        Err(error) => {
            log_failure("merit", &error);
            page(lang, error.status(), &ConnectPage::failed(&error))
        }
    }
}

/// A platform's keys posted as JSON, at most [`MAX_BODY_BYTES`]. A refusal names the `shape` expected and
/// what is wrong, but never echoes the body: it carries secrets.
fn posted_keys<T: serde::de::DeserializeOwned>(request: &Request, shape: &str) -> Result<T, Box<Response<Body>>> {
    let bytes = body_bytes(request);
    if bytes.len() > MAX_BODY_BYTES {
        return Err(Box::new(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "at most 16 KiB",
        )));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        Box::new(refuse(
            StatusCode::BAD_REQUEST,
            "malformed",
            &format!("expected {shape} ({})", json_problem(&e)),
        ))
    })
}

/// A posted form's fields, at most [`MAX_BODY_BYTES`]; one not given reads as empty, and each is trimmed.
struct FormFields(Vec<(String, String)>);

impl FormFields {
    fn read(request: &Request) -> Option<Self> {
        form(request, MAX_BODY_BYTES).map(FormFields)
    }

    fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }
}

/// What is wrong with a body, without quoting it.
fn json_problem(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io | serde_json::error::Category::Eof => "truncated",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "missing, unknown or mistyped fields",
    }
}
