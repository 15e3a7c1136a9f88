//! Stripe Billing as Duly's operator uses it: `POST /v1/customers` (honouring `Idempotency-Key`) and
//! `POST /v1/billing/meter_events`, which refuses a second event with an identifier it has seen, with the
//! 400 and the message Stripe sends.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use serde_json::{json, Value};

use super::serve_router;

pub const SECRET_KEY: &str = "sk_test_duly_operator_billing";

/// What the account holds.
#[derive(Default)]
pub struct Billing {
    /// Customers by the idempotency key that made them.
    pub customers: BTreeMap<String, String>,
    /// Meter events taken, in order.
    pub events: Vec<Value>,
    pub identifiers: BTreeSet<String>,
    /// The next this many meter events are recorded and then answered with a 500, as when a response is
    /// lost on its way back.
    pub lose_responses: usize,
}

pub type Data = Arc<Mutex<Billing>>;

fn refused(status: StatusCode, message: String) -> Response {
    (
        status,
        [("stripe-should-retry", "false")],
        Json(json!({"error": {"type": "invalid_request_error", "message": message}})),
    )
        .into_response()
}

fn key_ok(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {SECRET_KEY}"))
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

async fn customers(State(data): State<Data>, headers: HeaderMap, Form(form): Form<Vec<(String, String)>>) -> Response {
    if !key_ok(&headers) {
        return refused(StatusCode::UNAUTHORIZED, "Invalid API Key provided".into());
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut billing = data.lock().unwrap();
    let count = billing.customers.len();
    let id = billing
        .customers
        .entry(key)
        .or_insert_with(|| format!("cus_duly{count:04}"))
        .clone();
    Json(
        json!({"id": id, "object": "customer", "metadata": {"duly_creditor": field(&form, "metadata[duly_creditor]")}}),
    )
    .into_response()
}

async fn meter_events(
    State(data): State<Data>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    if !key_ok(&headers) {
        return refused(StatusCode::UNAUTHORIZED, "Invalid API Key provided".into());
    }
    let (Some(name), Some(customer), Some(value)) = (
        field(&form, "event_name"),
        field(&form, "payload[stripe_customer_id]"),
        field(&form, "payload[value]"),
    ) else {
        return refused(StatusCode::BAD_REQUEST, "Missing required param: payload.".into());
    };
    let identifier = field(&form, "identifier").unwrap_or("").to_string();
    let mut billing = data.lock().unwrap();
    if !billing.identifiers.insert(identifier.clone()) {
        return refused(
            StatusCode::BAD_REQUEST,
            format!("An event already exists with identifier {identifier}."),
        );
    }
    let event = json!({"object": "billing.meter_event", "event_name": name, "identifier": identifier,
        "payload": {"stripe_customer_id": customer, "value": value},
        "timestamp": field(&form, "timestamp").and_then(|t| t.parse::<i64>().ok())});
    billing.events.push(event.clone());
    if billing.lose_responses > 0 {
        billing.lose_responses -= 1;
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    }
    Json(event).into_response()
}

/// Serves the account on a free loopback port; its base URL.
pub async fn serve(data: Data) -> String {
    let app = Router::new()
        .route("/v1/customers", post(customers))
        .route("/v1/billing/meter_events", post(meter_events))
        .with_state(data);
    serve_router(app).await
}
