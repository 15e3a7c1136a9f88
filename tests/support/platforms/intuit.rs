//! Intuit: QuickBooks Online's query and change-data-capture APIs for company [`REALM`].

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{bearer_ok, serve_router, token, unauthorized, Shared};

/// The company a consent connects.
pub const REALM: &str = "9130357766900456";

/// The customer's pay page for invoice 130, which QuickBooks adds only when asked (`include=invoiceLink`).
pub const INVOICE_LINK: &str = "https://connect.intuit.com/portal/app/CommerceNetwork/view/scs-v1-130";

fn invoice(paid: bool, with_link: bool) -> Value {
    let mut invoice = json!({"Id": "130", "SyncToken": "2", "DocNumber": "1037", "TxnDate": "2026-11-16", "DueDate": "2026-12-01",
        "TotalAmt": 362.07, "Balance": if paid { json!(0) } else { json!(362.07) },
        "CustomerRef": {"value": "24", "name": "Red Rock Diner"}, "CurrencyRef": {"value": "EUR", "name": "Euro"},
        "BillEmail": {"Address": "billing@redrock.example"},
        "MetaData": {"LastUpdatedTime": if paid { "2026-11-21T00:19:00-08:00" } else { "2026-11-16T05:19:00-08:00" }}});
    if with_link {
        invoice["InvoiceLink"] = json!(INVOICE_LINK);
    }
    invoice
}

/// A customer with no address of its own: it is written to at its invoices' `BillEmail`.
fn customer() -> Value {
    json!({"Id": "24", "DisplayName": "Red Rock Diner",
        "BillAddr": {"Line1": "Strada Lipscani 1", "City": "București", "Country": "Romania"},
        "CustomerTypeRef": {"value": "7"},
        "MetaData": {"LastUpdatedTime": "2026-11-16T05:19:00-08:00"}})
}

async fn query(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(realm): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let query = q.get("query").cloned().unwrap_or_default();
    state.lock().unwrap().calls.push(format!("query {query}"));
    if !bearer_ok(&state, &headers) || realm != REALM {
        return unauthorized();
    }
    let body = if query.starts_with("select * from Invoice where Balance > '0'") {
        let with_link = q.get("include").map(String::as_str) == Some("invoiceLink");
        json!({"QueryResponse": {"Invoice": [invoice(false, with_link)], "startPosition": 1, "maxResults": 1}, "time": "2026-11-20T01:00:00-08:00"})
    } else if query == "select * from CustomerType" {
        json!({"QueryResponse": {"CustomerType": [{"Id": "7", "Name": "Ресторанти", "Active": true},
            {"Id": "8", "Name": "Hotels", "Active": true}], "startPosition": 1, "maxResults": 2}})
    } else if query == "select * from Customer where Id in ('24')" {
        json!({"QueryResponse": {"Customer": [customer()], "startPosition": 1, "maxResults": 1}, "time": "2026-11-20T01:00:00-08:00"})
    } else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"Fault": {"type": "ValidationFault"}})),
        )
            .into_response();
    };
    Json(body).into_response()
}

async fn cdc(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(realm): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    state.lock().unwrap().calls.push(format!(
        "cdc {} since {}",
        q.get("entities").cloned().unwrap_or_default(),
        q.get("changedSince").cloned().unwrap_or_default()
    ));
    if !bearer_ok(&state, &headers) || realm != REALM {
        return unauthorized();
    }
    // Nothing changed unless an invoice was paid on QuickBooks (whose webhook, say, never reached Duly).
    if !state.lock().unwrap().paid.iter().any(|id| id == "130") {
        return Json(json!({"CDCResponse": [{"QueryResponse": [
            {"Invoice": [], "startPosition": 1, "maxResults": 0},
            {"Payment": [], "startPosition": 1, "maxResults": 0},
            {"Customer": [], "startPosition": 1, "maxResults": 0}
        ]}], "time": "2026-12-04T01:00:00-08:00"}))
        .into_response();
    }
    let payment = json!({"Id": "77", "TotalAmt": 362.07, "CustomerRef": {"value": "24"}, "TxnDate": "2026-11-21",
        "Line": [{"Amount": 362.07, "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]}],
        "MetaData": {"LastUpdatedTime": "2026-11-21T00:19:00-08:00"}});
    Json(json!({"CDCResponse": [{"QueryResponse": [
        {"Invoice": [invoice(true, false)], "startPosition": 1, "maxResults": 1},
        {"Payment": [payment], "startPosition": 1, "maxResults": 1},
        {"Customer": [], "startPosition": 1, "maxResults": 0}
    ]}], "time": "2026-12-04T01:00:00-08:00"}))
    .into_response()
}

/// `GET /v3/company/{realm}/companyinfo/{realm}`: only a token of that company reads it.
async fn company_info(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((realm, id)): Path<(String, String)>,
) -> Response {
    state.lock().unwrap().calls.push(format!("companyinfo {realm}"));
    if !bearer_ok(&state, &headers) || realm != REALM || id != REALM {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"Fault": {"Error": [{"Message": "AuthorizationFailure", "code": "5020"}], "type": "AUTHORIZATION"}})),
        )
            .into_response();
    }
    Json(json!({"CompanyInfo": {"Id": REALM, "CompanyName": "Nordwind Tools", "LegalName": "Nordwind Tools OÜ",
        "Country": "EE", "CompanyAddr": {"Line1": "Tööstuse 1", "City": "Tallinn", "PostalCode": "10111", "Country": "EE"},
        "Email": {"Address": "accounts@nordwind.example"}}, "time": "2026-11-20T01:00:00-08:00"}))
    .into_response()
}

/// `GET /v3/company/{realm}/preferences`: a company that keeps its books in euros, multi-currency off.
async fn preferences(State(state): State<Shared>, headers: HeaderMap, Path(realm): Path<String>) -> Response {
    state.lock().unwrap().calls.push(format!("preferences {realm}"));
    if !bearer_ok(&state, &headers) || realm != REALM {
        return unauthorized();
    }
    Json(
        json!({"Preferences": {"CurrencyPrefs": {"MultiCurrencyEnabled": false, "HomeCurrency": {"value": "EUR"}}},
        "time": "2026-11-20T01:00:00-08:00"}),
    )
    .into_response()
}

/// `GET /v1/openid_connect/userinfo` (at `accounts.platform.intuit.com`): the signed-in person's address.
async fn user_info(State(state): State<Shared>, headers: HeaderMap) -> Response {
    state.lock().unwrap().calls.push("userinfo".into());
    if !bearer_ok(&state, &headers) {
        return unauthorized();
    }
    let email = state.lock().unwrap().signed_in_as.clone();
    Json(
        json!({"sub": "intuit-user-1", "email": email, "emailVerified": true, "givenName": "Maria",
        "familyName": "Ionescu"}),
    )
    .into_response()
}

pub async fn serve(state: Shared) -> String {
    state.lock().unwrap().is_intuit = true;
    let app = Router::new()
        .route("/connect/oauth2", get(super::authorize))
        .route("/v1/openid_connect/userinfo", get(user_info))
        .route("/v3/company/{realm}/companyinfo/{id}", get(company_info))
        .route("/v3/company/{realm}/preferences", get(preferences))
        .route("/oauth2/v1/tokens/bearer", post(token))
        .route("/v2/oauth2/tokens/revoke", post(super::revoke))
        .route("/v3/company/{realm}/query", get(query))
        .route("/v3/company/{realm}/cdc", get(cdc))
        .with_state(state);
    serve_router(app).await
}
