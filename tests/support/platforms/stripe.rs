//! Stripe: `GET /v1/account` for a restricted key, and the events and open invoices it lists.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{serve_router, Shared};

pub const KEY: &str = "rk_test_51NordwindRestrictedReadKey";
pub const SECRET: &str = "whsec_nordwind_local_endpoint_secret";

fn key_ok(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {KEY}"))
}

pub fn invoice(id: &str, status: &str, remaining: i64) -> Value {
    json!({"object": "invoice", "id": id, "status": status, "number": format!("NW-{id}"), "currency": "eur",
        "amount_due": 50_000, "amount_paid": 50_000 - remaining, "amount_remaining": remaining,
        "customer": "cus_Tamm", "customer_email": "ap@tamm.example", "customer_name": "Tamm & Sons OÜ",
        "customer_address": {"line1": "1 Market St", "city": "San Francisco", "state": "CA", "country": "US"},
        "due_date": 1_796_083_200, "hosted_invoice_url": format!("https://invoice.stripe.com/i/acct_1N/{id}")})
}

pub fn event(id: &str, kind: &str, created: i64, invoice: Value) -> Value {
    json!({"id": id, "object": "event", "type": kind, "created": created, "data": {"object": invoice}})
}

/// The events Stripe keeps, newest first; `open` the invoices `GET /v1/invoices?status=open` lists.
#[derive(Default)]
pub struct Account {
    pub events: Vec<Value>,
    pub open: Vec<Value>,
}

pub type Data = Arc<Mutex<Account>>;

async fn account(headers: HeaderMap) -> Response {
    if !key_ok(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}})),
        )
            .into_response();
    }
    Json(
        json!({"id": "acct_1Nordwind", "object": "account", "country": "EE", "default_currency": "eur",
        "business_profile": {"name": "Nordwind Tools", "support_email": "accounts@nordwind.example"},
        "settings": {"dashboard": {"display_name": "Nordwind Tools", "timezone": "Europe/Tallinn"}}}),
    )
    .into_response()
}

async fn list(
    State((state, data)): State<(Shared, Data)>,
    headers: HeaderMap,
    Path(what): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut keys: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
    keys.sort();
    state.lock().unwrap().calls.push(format!("{what} {}", keys.join("&")));
    if !key_ok(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if std::mem::take(&mut state.lock().unwrap().rate_limit_next) {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "60")],
            Json(json!({"error": {"type": "rate_limit"}})),
        )
            .into_response();
    }
    let data = data.lock().unwrap();
    let items: Vec<Value> = match what.as_str() {
        "events" => {
            let since: i64 = q.get("created[gte]").and_then(|v| v.parse().ok()).unwrap_or(0);
            data.events
                .iter()
                .filter(|e| {
                    e["created"].as_i64().unwrap() >= since && q.get("type").map(String::as_str) == Some("invoice.*")
                })
                .cloned()
                .collect()
        }
        "invoices" if q.get("status").map(String::as_str) == Some("open") => data.open.clone(),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    // Stripe's pagination: `limit` (1–100, 10 by default) objects after the one `starting_after` names.
    let limit: usize = q.get("limit").and_then(|v| v.parse().ok()).unwrap_or(10).clamp(1, 100);
    let from = match q.get("starting_after") {
        Some(after) => match items.iter().position(|i| i["id"].as_str() == Some(after.as_str())) {
            Some(at) => at + 1,
            None => return StatusCode::BAD_REQUEST.into_response(),
        },
        None => 0,
    };
    let page: Vec<Value> = items.iter().skip(from).take(limit).cloned().collect();
    let has_more = items.len() > from + page.len();
    Json(json!({"object": "list", "url": format!("/v1/{what}"), "has_more": has_more, "data": page})).into_response()
}

/// `GET /v1/invoices/{id}`: one invoice, with its `invoice_pdf` link (served below, to anyone who has it).
async fn one_invoice(State((_, data)): State<(Shared, Data)>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if !key_ok(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let found = data
        .lock()
        .unwrap()
        .open
        .iter()
        .find(|i| i["id"] == id.as_str())
        .cloned();
    match found {
        Some(mut invoice) => {
            invoice["invoice_pdf"] = json!(format!("http://{host}/invoice-pdf/{id}"));
            Json(invoice).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn invoice_pdf(Path(id): Path<String>) -> Response {
    (
        [("content-type", "application/pdf")],
        super::merit::pdf(&format!("Stripe invoice {id}")),
    )
        .into_response()
}

pub async fn serve(state: Shared, data: Data) -> String {
    let app = Router::new()
        .route("/v1/account", get(account))
        .route("/v1/invoices/{id}", get(one_invoice))
        .route("/invoice-pdf/{id}", get(invoice_pdf))
        .route("/v1/{what}", get(list))
        .with_state((state, data));
    serve_router(app).await
}
