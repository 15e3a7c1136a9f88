//! HTTP shell of the ingest function: routes a Function URL request to [`duly_app::ingest`] and turns the
//! outcome into a response.

use chrono::{DateTime, Utc};
use lambda_http::http::{header, Method, StatusCode};
use lambda_http::{Body, Request, RequestExt, Response};

use duly_adapters::store::Store;
use duly_adapters::vault::Vault;
use duly_app::errors::public_reason;
use duly_app::function_url::{empty, json, refuse};
use duly_app::ingest::{ingest, ingest_thin, AppKeys, Connections, IngestError, ThinOutcome, MAX_BODY_BYTES};

const ROUTE_PREFIX: &str = "/webhooks/";

/// Everything built once per cold start.
pub struct App {
    pub store: Store,
    /// Opens connections' signing secrets.
    pub vault: Vault,
    pub connections: Connections,
    /// Keys of the platforms that sign all tenants' deliveries with one app key.
    pub app_keys: AppKeys,
}

impl App {
    pub fn new(store: Store, vault: Vault, app_keys: AppKeys) -> Self {
        App {
            store,
            vault,
            connections: Connections::default(),
            app_keys,
        }
    }
}

/// `/webhooks/xero` and `/webhooks/quickbooks`. Xero's handshake wants 200 or 401 with an empty body and
/// nothing else, so these routes answer with status codes alone.
async fn handle_thin(app: &App, platform: &str, request: &Request, body: &[u8], now: DateTime<Utc>) -> Response<Body> {
    match ingest_thin(&app.store, &app.app_keys, platform, request.headers(), body, now).await {
        Ok(ThinOutcome::Handshake) => empty(StatusCode::OK),
        Ok(ThinOutcome::Recorded { jobs, unknown_tenants }) => {
            tracing::info!(platform, jobs, unknown_tenants, "notices recorded");
            empty(StatusCode::OK)
        }
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            log_refusal(platform, &error, status);
            empty(status)
        }
    }
}

/// Handles one request at `now`.
pub async fn handle(app: &App, request: Request, now: DateTime<Utc>) -> Response<Body> {
    let path = request.raw_http_path();
    if let Some(platform) = path
        .strip_prefix(ROUTE_PREFIX)
        .filter(|p| matches!(*p, "xero" | "quickbooks"))
    {
        if request.method() != Method::POST {
            return empty(StatusCode::METHOD_NOT_ALLOWED);
        }
        let body: &[u8] = match request.body() {
            Body::Text(text) => text.as_bytes(),
            Body::Binary(bytes) => bytes,
            _ => &[],
        };
        return handle_thin(app, platform, &request, body, now).await;
    }
    let route = path
        .strip_prefix(ROUTE_PREFIX)
        .and_then(|rest| rest.split_once('/'))
        .filter(|(platform, id)| matches!(*platform, "standard" | "stripe") && !id.contains('/'));
    let Some((platform, connection_id)) = route else {
        return refuse(
            StatusCode::NOT_FOUND,
            "not_found",
            "POST deliveries to /webhooks/{standard|stripe}/{connection_id}",
        );
    };
    let (platform, connection_id) = (platform.to_string(), connection_id.to_string());
    if request.method() != Method::POST {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "only POST is accepted",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    let body: &[u8] = match request.body() {
        Body::Empty => &[],
        Body::Text(text) => text.as_bytes(),
        Body::Binary(bytes) => bytes,
        _ => &[],
    };
    if body.len() > MAX_BODY_BYTES {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "bodies are limited to 256 KiB",
        );
    }
    match ingest(
        &app.store,
        &app.vault,
        &app.connections,
        &platform,
        &connection_id,
        request.headers(),
        body,
        now,
    )
    .await
    {
        Ok(outcome) => {
            tracing::info!(connection = %connection_id, outcome = outcome.as_str(), "delivery accepted");
            json(StatusCode::OK, serde_json::json!({ "status": outcome.as_str() }))
        }
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            log_refusal(&connection_id, &error, status);
            refuse(status, error.code(), &public_reason(status.as_u16(), &error))
        }
    }
}

/// The reason goes back to the sender, who sent the body; logs keep only the code, because a parse error
/// can quote the payload, and payloads carry names and addresses.
fn log_refusal(connection: &str, error: &IngestError, status: StatusCode) {
    if status.is_server_error() {
        // The detail stays here: the sender is told only to retry.
        tracing::error!(
            connection,
            code = error.code(),
            status = status.as_u16(),
            error = %error,
            "delivery failed"
        );
    } else {
        tracing::warn!(
            connection,
            code = error.code(),
            status = status.as_u16(),
            "delivery refused"
        );
    }
}
