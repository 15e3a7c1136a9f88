//! Xero: the identity API's `/connections` and the accounting API's invoices and contacts, for organisation
//! [`TENANT`].

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{bearer_ok, serve_router, token, unauthorized, Shared};

/// The organisation a consent connects.
pub const TENANT: &str = "0a8d9f1e-7b2c-4d3e-8f9a-1b2c3d4e5f60";

pub const INVOICE: &str = "243216c5-369e-4056-ac67-05388f86dc81";
pub const CONTACT: &str = "bd2270c3-8706-4c11-9cfb-000b551c3f51";

async fn connections(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if !bearer_ok(&state, &headers) {
        return unauthorized();
    }
    Json(json!([
        {"id": "e1", "authEventId": "ev-1", "tenantId": "11111111-2222-3333-4444-555555555555",
         "tenantType": "ORGANISATION", "tenantName": "Another Company Ltd",
         "createdDateUtc": "2026-11-20T08:00:00.0000000", "updatedDateUtc": "2026-11-20T08:00:00.0000000"},
        {"id": "e2", "authEventId": "ev-2", "tenantId": TENANT, "tenantType": "ORGANISATION",
         "tenantName": "Nordwind Tools OÜ", "createdDateUtc": "2026-11-19T09:00:00.0000000",
         "updatedDateUtc": "2026-11-19T09:00:00.0000000"}
    ]))
    .into_response()
}

fn invoice(paid: bool) -> Value {
    json!({"Type": "ACCREC", "InvoiceID": INVOICE, "InvoiceNumber": "INV-0031",
        "Contact": {"ContactID": CONTACT, "Name": "Tamm & Sons OÜ"},
        "Date": "/Date(1795046400000+0000)/", "DueDate": "/Date(1796083200000+0000)/",
        "Status": if paid { "PAID" } else { "AUTHORISED" }, "LineAmountTypes": "Exclusive", "CurrencyCode": "EUR",
        "Total": 1250.00, "AmountDue": if paid { 0.00 } else { 1250.00 }, "AmountPaid": if paid { 1250.00 } else { 0.00 },
        "UpdatedDateUTC": if paid { "/Date(1795179600000+0000)/" } else { "/Date(1795046500000+0000)/" }})
}

async fn invoices(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let since = headers
        .get("if-modified-since")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let call = format!(
        "invoices where={} page={} statuses={} ids={} since={since}",
        q.get("where").cloned().unwrap_or_default(),
        q.get("page").cloned().unwrap_or_default(),
        q.get("Statuses").cloned().unwrap_or_default(),
        q.get("IDs").cloned().unwrap_or_default(),
    );
    state.lock().unwrap().calls.push(call);
    if !bearer_ok(&state, &headers) || headers.get("xero-tenant-id").and_then(|v| v.to_str().ok()) != Some(TENANT) {
        return unauthorized();
    }
    let paid = state.lock().unwrap().paid.contains(&INVOICE.to_string());
    let listed = if q.contains_key("IDs") || q.get("page").map(String::as_str) == Some("1") {
        vec![invoice(paid)]
    } else {
        Vec::new()
    };
    Json(json!({"Id": "r", "Status": "OK", "ProviderName": "Duly", "DateTimeUTC": "/Date(1795179600000)/", "Invoices": listed}))
        .into_response()
}

async fn contacts(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    state
        .lock()
        .unwrap()
        .calls
        .push(format!("contacts {}", q.get("IDs").cloned().unwrap_or_default()));
    if !bearer_ok(&state, &headers) {
        return unauthorized();
    }
    let contacts: Vec<Value> = q
        .get("IDs")
        .map(|ids| ids.split(',').filter(|id| *id == CONTACT).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|id| {
            json!({"ContactID": id, "Name": "Tamm & Sons OÜ", "EmailAddress": "ap@tamm.example",
            "Phones": [{"PhoneType": "MOBILE", "PhoneNumber": "5551 2345", "PhoneAreaCode": "", "PhoneCountryCode": "372"}],
            "Addresses": [{"AddressType": "STREET", "Country": ""},
                          {"AddressType": "POBOX", "AddressLine1": "ul. Długa 5", "City": "Kraków", "Country": "Poland"}],
            // Contact groups as a creditor in the region names them: Polish, Bulgarian and Latvian.
            "ContactGroups": [{"Name": "Hurtownie – Łódź", "Status": "ACTIVE"}, {"Name": "Ресторанти", "Status": "ACTIVE"},
                {"Name": "Pastāvīgie klienti", "Status": "ACTIVE"}],
            "ContactPersons": [{"FirstName": "Mari", "EmailAddress": "mari@tamm.example", "IncludeInEmails": true},
                               {"FirstName": "Jaan", "EmailAddress": "jaan@tamm.example", "IncludeInEmails": false}],
            "UpdatedDateUTC": "/Date(1795046400000+0000)/"})
        })
        .collect();
    Json(json!({"Contacts": contacts})).into_response()
}

/// The customer's page for [`INVOICE`], from `GET /Invoices/{id}/OnlineInvoice`.
pub const ONLINE_INVOICE: &str = "https://in.xero.com/iztKMjyAEJT7MVnmruxgCdIJUDStfRgmtdQSIW13";

async fn online_invoice(State(state): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    state.lock().unwrap().calls.push(format!("online invoice {id}"));
    if !bearer_ok(&state, &headers) || headers.get("xero-tenant-id").and_then(|v| v.to_str().ok()) != Some(TENANT) {
        return unauthorized();
    }
    if id != INVOICE {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"Title": "Not Found", "Status": 404})),
        )
            .into_response();
    }
    Json(json!({"OnlineInvoices": [{"OnlineInvoiceUrl": ONLINE_INVOICE}]})).into_response()
}

/// `GET /Organisation`: an Estonian company, on Xero's name for the Helsinki–Tallinn–Kyiv clock.
async fn organisation(State(state): State<Shared>, headers: HeaderMap) -> Response {
    state.lock().unwrap().calls.push("organisation".into());
    if !bearer_ok(&state, &headers) || headers.get("xero-tenant-id").and_then(|v| v.to_str().ok()) != Some(TENANT) {
        return unauthorized();
    }
    Json(
        json!({"Id": "o", "Status": "OK", "Organisations": [{"Name": "Nordwind Tools", "LegalName": "Nordwind Tools OÜ",
        "CountryCode": "EE", "BaseCurrency": "EUR", "Timezone": "FLESTANDARDTIME", "RegistrationNumber": "12345678",
        "TaxNumber": "EE101234567", "Addresses": [{"AddressType": "POBOX", "AddressLine1": "Tööstuse 1",
        "City": "Tallinn", "PostalCode": "10111", "Country": "Estonia"}]}]}),
    )
    .into_response()
}

pub async fn serve(state: Shared) -> String {
    let app = Router::new()
        .route("/connect/token", post(token))
        .route("/connect/revocation", post(super::revoke))
        .route("/identity/connect/authorize", get(super::authorize))
        .route("/connections", get(connections))
        .route("/api.xro/2.0/Invoices", get(invoices))
        .route("/api.xro/2.0/Contacts", get(contacts))
        .route("/api.xro/2.0/Organisation", get(organisation))
        .route("/api.xro/2.0/Invoices/{id}/OnlineInvoice", get(online_invoice))
        .with_state(state);
    serve_router(app).await
}
