//! Merit Aktiva: `POST /api/v{1,2}/{endpoint}?ApiId=&timestamp=&signature=`, each request's signature
//! checked as Merit checks it, a throttled request sent again with the same timestamp refused, throttling (429) on demand, periods of at
//! most three months, and a deleted invoice answered with an empty result.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine;
use chrono::NaiveDate;
use serde_json::{json, Value};

use duly_core::platforms::merit::verify;

use super::serve_router;

pub const API_ID: &str = "3f2c9a10-7b1e-4c55-9d2a-5e8f1b0c4d77";
pub const API_KEY: &str = "q7Xv2LhR9pWm4tNc8sKb3yDf6gJz1uAe5oIw0rTx+Y=";

/// One invoice as Merit keeps it, and the day it last changed.
#[derive(Clone)]
pub struct Invoice {
    pub header: Value,
    pub payments: Vec<Value>,
    pub changed: NaiveDate,
}

/// One company's Merit.
#[derive(Default)]
pub struct Company {
    pub invoices: Vec<Invoice>,
    /// Customers and the day each last changed.
    pub customers: Vec<(Value, NaiveDate)>,
    /// So many of the next requests are answered 429 (`Retry-After: 1`).
    pub throttle_next: u32,
    /// Merit has no PDF to give for any invoice.
    pub no_documents: bool,
    /// Merit's PDFs weigh this much more (a scanned attachment inside, say).
    pub document_padding: usize,
    /// The creditor deleted the API key in Merit: every request is refused.
    pub revoked: bool,
    /// Requests from this one on (counted from 1) are answered 500, as Merit answers a fault of its own.
    pub fail_from: Option<usize>,
    /// Each request answered: `endpoint body`.
    pub calls: Vec<String>,
    /// The timestamps of the requests, in order, throttled ones included.
    pub stamps: Vec<String>,
    /// Throttled requests' timestamps and signatures: sent again unchanged, they are refused.
    throttled: HashSet<(String, String)>,
}

pub type Data = Arc<Mutex<Company>>;

fn day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y%m%d").ok()
}

fn merit_day(value: &Value) -> Option<NaiveDate> {
    value
        .as_str()
        .and_then(|s| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok())
}

impl Company {
    /// An open invoice of `total` euros to `customer`, dated and due as given.
    pub fn invoice(&mut self, id: &str, number: &str, customer: &str, total: &str, dated: &str, due: &str) {
        let dated_day = NaiveDate::parse_from_str(dated, "%Y-%m-%d").unwrap();
        self.invoices.push(Invoice {
            header: json!({"SIHId": id, "InvoiceNo": number, "DocumentDate": format!("{dated}T00:00:00"),
                "TransactionDate": format!("{dated}T00:00:00"), "DueDate": format!("{due}T00:00:00"),
                "CustomerId": customer, "CustomerName": "", "CurrencyCode": "EUR", "CurrencyRate": 1.0,
                "TotalSum": serde_json::from_str::<Value>(total).unwrap(),
                "PaidAmount": serde_json::from_str::<Value>("0.00").unwrap(), "Paid": false, "ReferenceNo": "13"}),
            payments: Vec::new(),
            changed: dated_day,
        });
    }

    pub fn customer(&mut self, customer: Value, changed: &str) {
        self.customers
            .push((customer, NaiveDate::parse_from_str(changed, "%Y-%m-%d").unwrap()));
    }

    /// A payment booked against an invoice on `on`, as Merit's bank import books it.
    pub fn pay(&mut self, id: &str, amount: &str, on: &str) {
        let invoice = self.invoices.iter_mut().find(|i| i.header["SIHId"] == id).unwrap();
        let eur = duly_core::model::money::Currency::parse("EUR").unwrap();
        let cents = |v: &str| eur.parse_amount(v).unwrap().minor;
        let total = cents(&invoice.header["TotalSum"].to_string());
        let now_paid = cents(&invoice.header["PaidAmount"].to_string()) + cents(amount);
        invoice.header["PaidAmount"] =
            serde_json::from_str(&format!("{}.{:02}", now_paid / 100, now_paid % 100)).unwrap();
        invoice.header["Paid"] = json!(now_paid >= total);
        invoice.payments.push(json!({"PaymDate": format!("{on}T00:00:00"),
            "Amount": serde_json::from_str::<Value>(amount).unwrap(), "PaymentMethod": "Pank",
            "PaymentId": format!("9a1c0e55-1111-4e22-8a33-{:012}", invoice.payments.len() + 1)}));
        invoice.changed = NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
    }

    /// The invoice is deleted: no list names it, and reading it gives nothing.
    pub fn delete(&mut self, id: &str) {
        self.invoices.retain(|i| i.header["SIHId"] != id);
    }
}

/// A small PDF, as a platform prints an invoice.
pub fn pdf(title: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

fn refuse(status: StatusCode, body: &str) -> Response {
    (status, body.to_string()).into_response()
}

async fn api(
    State(data): State<Data>,
    Path((version, endpoint)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let mut company = data.lock().unwrap();
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    if get("ApiId") != API_ID {
        return refuse(StatusCode::BAD_REQUEST, "API Id is wrong");
    }
    let (stamp, signature) = (get("timestamp"), get("signature"));
    company.stamps.push(stamp.clone());
    let signed = verify(API_ID, API_KEY, &stamp, &body, &signature) && !company.revoked;
    if !signed || company.throttled.contains(&(stamp.clone(), signature.clone())) {
        return refuse(StatusCode::UNAUTHORIZED, "api-wrongsignature");
    }
    if company.throttle_next > 0 {
        company.throttle_next -= 1;
        company.throttled.insert((stamp, signature));
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "1")],
            "Too many requests",
        )
            .into_response();
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    company
        .calls
        .push(format!("{version}/{endpoint} {}", String::from_utf8_lossy(&body)));
    if company.fail_from.is_some_and(|n| company.calls.len() >= n) {
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "System.NullReferenceException at Merit.Api",
        );
    }
    match endpoint.as_str() {
        "getinvoices" => {
            let (Some(start), Some(end)) = (
                request["PeriodStart"].as_str().and_then(day),
                request["PeriodEnd"].as_str().and_then(day),
            ) else {
                return refuse(StatusCode::BAD_REQUEST, "PeriodStart and PeriodEnd are required");
            };
            if end < start || end > start.checked_add_months(chrono::Months::new(3)).unwrap() {
                return refuse(StatusCode::BAD_REQUEST, "Period can not be longer than 3 months");
            }
            let by_change = request["DateType"] == 1;
            let unpaid = request["UnPaid"] != false;
            let listed: Vec<Value> = company
                .invoices
                .iter()
                .filter(|i| {
                    let d = match by_change {
                        true => Some(i.changed),
                        false => merit_day(&i.header["DocumentDate"]),
                    };
                    d.is_some_and(|d| (start..=end).contains(&d)) && (!unpaid || i.header["Paid"] == false)
                })
                .map(|i| i.header.clone())
                .collect();
            Json(listed).into_response()
        }
        "getinvoice" => {
            let found = company.invoices.iter().find(|i| i.header["SIHId"] == request["Id"]);
            match found {
                Some(i) => Json(json!({"Header": i.header, "Lines": [], "Payments": i.payments, "Attachment": null}))
                    .into_response(),
                // Merit answers an id it does not have with an empty result.
                None => (StatusCode::OK, "").into_response(),
            }
        }
        "getsalesinvpdf" => {
            let found = company.invoices.iter().find(|i| i.header["SIHId"] == request["Id"]);
            match (found, company.no_documents) {
                (Some(i), false) => {
                    let number = i.header["InvoiceNo"].as_str().unwrap_or_default().to_string();
                    let mut file = pdf(&number);
                    file.extend(std::iter::repeat_n(b'%', company.document_padding));
                    Json(json!({"FileName": format!("{number}.pdf"),
                        "FileContent": base64::engine::general_purpose::STANDARD.encode(file)}))
                    .into_response()
                }
                _ => refuse(StatusCode::BAD_REQUEST, "api-nodocument"),
            }
        }
        "getcustomers" => {
            let since = request["ChangedDate"].as_str().and_then(day);
            let listed: Vec<Value> = company
                .customers
                .iter()
                .filter(|(c, changed)| match (&request["Id"], since) {
                    (Value::String(id), _) => &c["CustomerId"] == id,
                    (_, Some(since)) => *changed >= since,
                    _ => true,
                })
                .map(|(c, _)| c.clone())
                .collect();
            Json(listed).into_response()
        }
        _ => refuse(StatusCode::NOT_FOUND, "unknown endpoint"),
    }
}

pub async fn serve(data: Data) -> String {
    let app = Router::new()
        .route("/api/{version}/{endpoint}", post(api))
        .with_state(data);
    serve_router(app).await
}
