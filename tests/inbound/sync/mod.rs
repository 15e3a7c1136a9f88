//! Xero end to end: a signed thin webhook is acknowledged with one write, the sync function fetches from a
//! local server that answers like Xero's API (token refresh, 401, 429 with Retry-After), and the facts land
//! in the ledger; a rate limit or an outage delays the sync and loses nothing.

mod merit;
mod phones;
mod quickbooks_online;
mod revocation;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use chrono::Duration;
use serde_json::{json, Value};

use duly_adapters::platforms::PlatformApi;
use duly_adapters::store::TenantLink;
use duly_adapters::vault::Credentials;
use duly_core::model::ids::{ConnectionId, DebtorId, InvoiceId};
use duly_core::model::{OAuthTokens, Platform};
use duly_core::platforms::xero;
use duly_local::fixtures::nordwind;
use duly_local::webhook_event::{app_level_delivery, to_request, TEST_XERO_KEY};
use duly_local::{at, Local};

const TENANT: &str = "0a8d9f1e-7b2c-4d3e-8f9a-1b2c3d4e5f60";
const INVOICE: &str = "243216c5-369e-4056-ac67-05388f86dc81";
const CONTACT: &str = "bd2270c3-8706-4c11-9cfb-000b551c3f51";

#[derive(Default)]
struct Xero {
    access_token: String,
    refresh_token: String,
    /// The token endpoint refuses Duly's app itself (a wrong client secret), as `invalid_client`.
    reject_client: bool,
    /// The contact was deleted in Xero: fetching it answers 404.
    contact_deleted: bool,
    /// `GET /Invoices` answers this status instead.
    reject_invoices_with: Option<u16>,
    amount_due: String,
    status: String,
    /// The invoice's `Payments` and `CreditNotes`, as Xero lists them on it.
    payments: Vec<Value>,
    credit_notes: Vec<Value>,
    rate_limit_next: bool,
    calls: Vec<String>,
    /// The contact's `Phones` and its postal address's country, when not the Estonian mobile.
    phones: Option<Value>,
    country: Option<String>,
}

type Shared = Arc<Mutex<Xero>>;

fn authorised(state: &Shared, headers: &HeaderMap) -> bool {
    let expected = format!("Bearer {}", state.lock().unwrap().access_token);
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(expected.as_str())
        && headers.get("xero-tenant-id").and_then(|v| v.to_str().ok()) == Some(TENANT)
}

async fn invoices(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    state
        .lock()
        .unwrap()
        .calls
        .push(format!("invoices {}", q.get("IDs").cloned().unwrap_or_default()));
    if std::mem::take(&mut state.lock().unwrap().rate_limit_next) {
        return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "30")], "").into_response();
    }
    if let Some(status) = state.lock().unwrap().reject_invoices_with {
        return StatusCode::from_u16(status).unwrap().into_response();
    }
    if !authorised(&state, &headers) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(
                json!({"Type": null, "Title": "Unauthorized", "Status": 401, "Detail": "TokenExpired: token expired"}),
            ),
        )
            .into_response();
    }
    let x = state.lock().unwrap();
    Json(json!({"Id": "r1", "Status": "OK", "ProviderName": "Duly", "DateTimeUTC": "/Date(1796000000000)/", "Invoices": [{
        "Type": "ACCREC", "InvoiceID": INVOICE, "InvoiceNumber": "INV-0031",
        "Contact": {"ContactID": CONTACT, "Name": "Tamm & Sons OÜ"},
        "Date": "/Date(1795046400000+0000)/", "DueDate": "/Date(1796083200000+0000)/", "Status": x.status,
        "LineAmountTypes": "Exclusive", "CurrencyCode": "EUR",
        "Total": serde_json::from_str::<Value>("1250.00").unwrap(),
        "AmountDue": serde_json::from_str::<Value>(&x.amount_due).unwrap(),
        "Payments": x.payments, "CreditNotes": x.credit_notes,
        // Paying, voiding or deleting an invoice is a change of its own, later than its issue.
        "UpdatedDateUTC": if matches!(x.status.as_str(), "PAID" | "VOIDED" | "DELETED") { "/Date(1795179600000+0000)/" } else { "/Date(1795046500000+0000)/" }
    }]}))
    .into_response()
}

async fn contact(State(state): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    state.lock().unwrap().calls.push(format!("contact {id}"));
    if !authorised(&state, &headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if state.lock().unwrap().contact_deleted {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"Title": "Not Found", "Status": 404})),
        )
            .into_response();
    }
    let x = state.lock().unwrap();
    let phones = x.phones.clone().unwrap_or_else(
        || json!([{"PhoneType": "MOBILE", "PhoneNumber": "5551 2345", "PhoneAreaCode": "", "PhoneCountryCode": "372"}]),
    );
    let addresses = match &x.country {
        Some(country) => json!([{"AddressType": "POBOX", "Country": country}]),
        None => json!([]),
    };
    Json(
        json!({"Contacts": [{"ContactID": id, "Name": "Tamm & Sons OÜ", "EmailAddress": "ap@tamm.example",
        "Phones": phones, "Addresses": addresses, "UpdatedDateUTC": "/Date(1795046400000+0000)/"}]}),
    )
    .into_response()
}

/// `GET /Invoices/{id}` with `Accept: application/pdf`: the invoice as Xero prints it.
async fn invoice_pdf(State(state): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let pdf = headers.get("accept").and_then(|v| v.to_str().ok()) == Some("application/pdf");
    if !authorised(&state, &headers) || !pdf {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    (
        [("content-type", "application/pdf")],
        duly_local::platforms::merit::pdf(&format!("Xero invoice {id}")),
    )
        .into_response()
}

async fn token(State(state): State<Shared>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    let mut x = state.lock().unwrap();
    x.calls.push("refresh".into());
    let basic = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    if x.reject_client {
        return (StatusCode::UNAUTHORIZED, Json(json!({"error": "invalid_client"}))).into_response();
    }
    if !basic.starts_with("Basic ")
        || form.get("grant_type").map(String::as_str) != Some("refresh_token")
        || form.get("refresh_token") != Some(&x.refresh_token)
    {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant"}))).into_response();
    }
    x.access_token = format!("{}-renewed", x.access_token);
    x.refresh_token = format!("{}-rotated", x.refresh_token);
    Json(json!({"access_token": x.access_token, "refresh_token": x.refresh_token, "expires_in": 1800, "token_type": "Bearer"})).into_response()
}

async fn local_xero(state: Shared) -> String {
    let app = Router::new()
        .route("/api.xro/2.0/Invoices", get(invoices))
        .route("/api.xro/2.0/Contacts/{id}", get(contact))
        .route("/api.xro/2.0/Invoices/{id}", get(invoice_pdf))
        .route("/connect/token", post(token))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Nordwind's Xero connection `conn-xero` to organisation [`TENANT`], holding these tokens.
async fn connect_xero(
    local: &Local,
    access: &str,
    refresh: &str,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> TenantLink {
    let mut connection = duly_local::fixtures::connection("conn-xero", "nordwind");
    connection.platform = Platform::Xero;
    local
        .connect_with(
            &mut connection,
            Credentials::OAuth(OAuthTokens {
                access_token: access.into(),
                refresh_token: refresh.into(),
                expires_at,
            }),
        )
        .await;
    let link = TenantLink {
        creditor: nordwind(),
        connection: ConnectionId::parse("conn-xero").unwrap(),
    };
    local.store.put_tenant("xero", TENANT, &link).await.unwrap();
    link
}

/// What EventBridge Scheduler hands the function.
fn tick() -> Value {
    json!({"version": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler", "detail": {}})
}

fn sync_app(local: &Local, xero: &str, quickbooks: &str) -> duly_sync::App {
    duly_sync::App {
        store: local.store_for("SyncFunction"),
        vault: local.vault_for("SyncFunction"),
        apis: duly_app::sync::Apis {
            xero: PlatformApi::new(xero, xero, "client-id", "client-secret"),
            quickbooks: PlatformApi::with_token_url(
                quickbooks,
                &format!("{quickbooks}/oauth2/v1/tokens/bearer"),
                "qb-id",
                "qb-secret",
            ),
            stripe: PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
            merit: PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
        },
        catch_up_pages: duly_app::sync::CATCH_UP_PAGES_PER_RUN,
        pay_links: duly_app::sync::PAY_LINKS_PER_RUN,
        notify: Some(local.notify_for("SyncFunction")),
    }
}

async fn notify(local: &Local, now: chrono::DateTime<chrono::Utc>) {
    let event = |id: &str, cat: &str| {
        json!({"resourceUrl": "x", "resourceId": id, "eventDateUtc": now.to_rfc3339(),
        "eventType": "UPDATE", "eventCategory": cat, "tenantId": TENANT, "tenantType": "ORGANISATION"})
    };
    let body = json!({"events": [event(INVOICE, "INVOICE"), event(CONTACT, "CONTACT")], "firstEventSequence": 1, "lastEventSequence": 2, "entropy": "x"}).to_string();
    let delivery = app_level_delivery(
        "xero",
        "x-xero-signature",
        &xero::sign(TEST_XERO_KEY, body.as_bytes()),
        &body,
        0,
    );
    let response = duly_ingest::handle(&local.ingest, to_request(&delivery), now).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn xeros_payments_and_credit_notes_on_an_invoice_are_recorded_each_once() {
    let local = Local::new("sync-xero-payments").await;
    let payment = |id: &str, ms: i64, amount: &str| {
        json!({"PaymentID": id, "Date": format!("/Date({ms}+0000)/"),
            "Amount": serde_json::from_str::<Value>(amount).unwrap()})
    };
    let state: Shared = Arc::new(Mutex::new(Xero {
        access_token: "at-1".into(),
        refresh_token: "rt-1".into(),
        amount_due: "750.00".into(),
        status: "AUTHORISED".into(),
        // €400 paid on 3 December, €100 more the same day, and a €0.00 credit note listed without a date.
        payments: vec![
            payment("pay-1", 1_796_256_000_000, "400.00"),
            payment("pay-2", 1_796_256_000_000, "100.00"),
        ],
        credit_notes: vec![json!({"CreditNoteID": "cn-1", "AppliedAmount": 0.0})],
        ..Xero::default()
    }));
    let base = local_xero(state.clone()).await;
    let app = sync_app(&local, &base, "http://127.0.0.1:9");
    let t0 = at("2026-12-04T09:00:00Z");
    connect_xero(&local, "at-1", "rt-1", t0 - Duration::minutes(5)).await;
    for later in [0, 1] {
        let when = t0 + Duration::hours(later);
        notify(&local, when).await;
        duly_sync::handle(&app, &tick(), when).await.unwrap();
    }
    let invoice = InvoiceId::parse(INVOICE).unwrap();
    let mut paid = local.store.balance_history(&nordwind(), &invoice).await.unwrap();
    paid.sort_by_key(|p| p.amount);
    let seen: Vec<(i64, bool, String)> = paid
        .iter()
        .map(|p| (p.amount, p.credit_note, p.at.to_rfc3339()))
        .collect();
    assert_eq!(
        seen,
        [
            (10_000, false, "2026-12-03T00:00:00+00:00".to_string()),
            (40_000, false, "2026-12-03T00:00:00+00:00".to_string()),
        ],
        "two payments on one day stay two; fetched twice, each is recorded once; a credit note without its day \
         is not itemised"
    );
    let stored = local.store.get_invoice(&nordwind(), &invoice).await.unwrap().unwrap();
    assert_eq!(
        stored.balance.unwrap().amount_due.minor,
        75_000,
        "the balance is Xero's"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_xero_notice_is_fetched_through_refresh_and_rate_limits_and_lands_in_the_ledger() {
    let local = Local::new("sync-xero").await;
    let state: Shared = Arc::new(Mutex::new(Xero {
        access_token: "at-1".into(),
        refresh_token: "rt-1".into(),
        amount_due: "1250.00".into(),
        status: "AUTHORISED".into(),
        ..Xero::default()
    }));
    let base = local_xero(state.clone()).await;
    let app = sync_app(&local, &base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");

    // The access token has expired: the first fetch refreshes it.
    connect_xero(&local, "at-0", "rt-1", t0 - Duration::minutes(5)).await;

    notify(&local, t0).await;
    assert_eq!(local.store.sync_jobs(&nordwind()).await.unwrap().len(), 2);

    // Xero says 429: the jobs wait 30 seconds, nothing is lost.
    state.lock().unwrap().rate_limit_next = true;
    let first = duly_sync::handle(&app, &tick(), t0).await.unwrap();
    assert!(first.contains("2 retried later"), "{first}");
    assert_eq!(
        duly_sync::handle(&app, &tick(), t0 + Duration::seconds(10))
            .await
            .unwrap(),
        "0 jobs: 0 facts applied, 0 retried later, 0 dead letters, 0 waiting"
    );
    assert!(local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse(INVOICE).unwrap())
        .await
        .unwrap()
        .is_none());

    let second = duly_sync::handle(&app, &tick(), t0 + Duration::seconds(31))
        .await
        .unwrap();
    assert!(second.contains("2 facts applied"), "{second}");
    assert!(
        local.store.sync_jobs(&nordwind()).await.unwrap().is_empty(),
        "jobs are done"
    );
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse(INVOICE).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(invoice.is_open());
    assert_eq!(invoice.balance.unwrap().amount_due.minor, 125_000);
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse(CONTACT).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(debtor.phone.as_deref(), Some("+37255512345"));
    let stored = local.credentials_of("conn-xero").await;
    assert_eq!(
        stored.oauth().unwrap().refresh_token,
        "rt-1-rotated",
        "the rotated refresh token is kept"
    );
    let calls = state.lock().unwrap().calls.clone();
    assert_eq!(calls.iter().filter(|c| *c == "refresh").count(), 1, "{calls:?}");

    // The debtor pays in Xero: the next notice fetches the paid invoice and it leaves the due index.
    {
        let mut x = state.lock().unwrap();
        x.amount_due = "0.00".into();
        x.status = "PAID".into();
    }
    let t1 = t0 + Duration::days(3);
    notify(&local, t1).await;
    duly_sync::handle(&app, &tick(), t1).await.unwrap();
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse(INVOICE).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!invoice.is_open());
    assert_eq!(invoice.next_action_at, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_connection_becomes_a_dead_letter_the_creditor_can_see() {
    let local = Local::new("sync-revoked").await;
    let state: Shared = Arc::new(Mutex::new(Xero {
        access_token: "at-live".into(),
        refresh_token: "rt-live".into(),
        amount_due: "10".into(),
        status: "AUTHORISED".into(),
        ..Xero::default()
    }));
    let base = local_xero(state.clone()).await;
    let app = sync_app(&local, &base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    // Both tokens were revoked on Xero's side.
    connect_xero(&local, "at-revoked", "rt-revoked", t0 + Duration::minutes(20)).await;
    notify(&local, t0).await;
    let report = duly_sync::handle(&app, &tick(), t0).await.unwrap();
    assert!(report.contains("2 dead letters"), "{report}");
    let jobs = local.store.sync_jobs(&nordwind()).await.unwrap();
    assert_eq!(jobs.len(), 2, "kept, not lost");
    assert!(jobs
        .iter()
        .all(|j| j["status"].as_s().unwrap() == "failed" && !j.contains_key("sync_due")));
    // Kept for 90 days, then DynamoDB's TTL removes them.
    let expiry = (t0 + Duration::days(90)).timestamp().to_string();
    assert!(
        jobs.iter().all(|j| j["expires_at"].as_n().unwrap() == &expiry),
        "{jobs:?}"
    );
}

/// The debtor pays in Xero minutes before their reminder is due: the payment's notice has arrived but is not
/// fetched yet when the scheduler runs. Nothing goes out until Duly has read it, the plan says why, and once
/// fetched the invoice is closed and no reminder is ever sent.
#[tokio::test(flavor = "multi_thread")]
async fn no_reminder_goes_out_while_a_platform_notice_waits_to_be_fetched() {
    let local = Local::new("sync-freshness").await;
    let state: Shared = Arc::new(Mutex::new(Xero {
        access_token: "at-1".into(),
        refresh_token: "rt-1".into(),
        amount_due: "1250.00".into(),
        status: "AUTHORISED".into(),
        ..Xero::default()
    }));
    let base = local_xero(state.clone()).await;
    let app = sync_app(&local, &base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    connect_xero(&local, "at-1", "rt-1", t0 + Duration::days(30)).await;
    notify(&local, t0).await;
    duly_sync::handle(&app, &tick(), t0).await.unwrap();
    duly_scheduler::handle(&local.scheduler, t0 + Duration::minutes(1))
        .await
        .unwrap();

    // Monday 30 November, 07:00 UTC: paid in Xero; the notice is in, the fetch has not happened yet.
    {
        let mut x = state.lock().unwrap();
        x.amount_due = "0.00".into();
        x.status = "PAID".into();
    }
    let paid = at("2026-11-30T07:00:00Z");
    notify(&local, paid).await;
    let run = duly_scheduler::handle(&local.scheduler, paid + Duration::minutes(15))
        .await
        .unwrap();
    assert_eq!(run.sent, 0, "{run:?}");
    let (status, plan) = local
        .api(
            "GET",
            &format!("/v1/invoices/{INVOICE}/plan"),
            None,
            None,
            paid + Duration::minutes(16),
        )
        .await;
    assert_eq!(status, 200, "{plan}");
    assert!(
        plan["waiting_for_platform"]
            .as_str()
            .is_some_and(|r| r.contains("alles loetakse")),
        "{plan}"
    );

    duly_sync::handle(&app, &tick(), paid + Duration::minutes(16))
        .await
        .unwrap();
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse(INVOICE).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!invoice.is_open(), "the payment was read");
    let later = duly_scheduler::handle(&local.scheduler, paid + Duration::minutes(30))
        .await
        .unwrap();
    assert_eq!(later.sent, 0, "{later:?}");
}

/// A notice of a contact deleted in Xero (404) is that contact's problem alone: the invoice noticed with it
/// still lands, nothing becomes a dead letter, and the connection's daily catch-up stays scheduled.
#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_resource_fails_alone_and_the_catch_up_is_never_given_up() {
    let local = Local::new("sync-per-record").await;
    let state: Shared = Arc::new(Mutex::new(Xero {
        access_token: "at-1".into(),
        refresh_token: "rt-1".into(),
        amount_due: "1250.00".into(),
        status: "AUTHORISED".into(),
        contact_deleted: true,
        ..Xero::default()
    }));
    let base = local_xero(state.clone()).await;
    let app = sync_app(&local, &base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    let link = connect_xero(&local, "at-1", "rt-1", t0 + Duration::days(30)).await;
    local
        .store
        .schedule_reconciliation(
            &link,
            "xero",
            TENANT,
            Some(t0 - Duration::hours(20)),
            t0 + Duration::hours(4),
        )
        .await
        .unwrap();
    notify(&local, t0).await;
    let report = duly_sync::handle(&app, &tick(), t0).await.unwrap();
    assert_eq!(
        report,
        "2 jobs: 1 facts applied, 0 retried later, 0 dead letters, 0 waiting"
    );
    assert!(local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse(INVOICE).unwrap())
        .await
        .unwrap()
        .is_some());
    assert!(local.store.dead_letters(&nordwind()).await.unwrap().is_empty());

    // The catch-up itself meets a refusal (here, a 400): it is tried again later, never given up.
    state.lock().unwrap().contact_deleted = false;
    let catch_up_at = t0 + Duration::hours(4);
    state.lock().unwrap().reject_invoices_with = Some(400);
    let report = duly_sync::handle(&app, &tick(), catch_up_at).await.unwrap();
    assert!(report.contains("1 retried later, 0 dead letters"), "{report}");
    let jobs = local.store.sync_jobs(&nordwind()).await.unwrap();
    assert!(jobs.iter().all(|j| j.get("status").is_none()), "{jobs:?}");
}

/// An invoice voided or deleted in Xero: the notice's fetch reads its status, which closes it, and the
/// reminder its plan had next does not go.
#[tokio::test(flavor = "multi_thread")]
async fn a_voided_or_deleted_xero_invoice_is_closed_and_not_reminded() {
    for status in ["VOIDED", "DELETED"] {
        let local = Local::new(&format!("sync-xero-{}", status.to_lowercase())).await;
        let state: Shared = Arc::new(Mutex::new(Xero {
            access_token: "at-1".into(),
            refresh_token: "rt-1".into(),
            amount_due: "750.00".into(),
            status: "AUTHORISED".into(),
            ..Xero::default()
        }));
        let base = local_xero(state.clone()).await;
        let app = sync_app(&local, &base, "http://127.0.0.1:9");
        let t0 = at("2026-11-19T10:00:00Z");
        connect_xero(&local, "at-1", "rt-1", t0 - Duration::minutes(5)).await;
        notify(&local, t0).await;
        duly_sync::handle(&app, &tick(), t0).await.unwrap();
        let invoice = InvoiceId::parse(INVOICE).unwrap();
        assert!(local
            .store
            .get_invoice(&nordwind(), &invoice)
            .await
            .unwrap()
            .unwrap()
            .is_open());
        // What would go next: the plan's first message.
        let due_at = local.next_planned_at(INVOICE, t0).await;

        state.lock().unwrap().status = status.into();
        let t1 = due_at - Duration::hours(2);
        notify(&local, t1).await;
        duly_sync::handle(&app, &tick(), t1).await.unwrap();
        let stored = local.store.get_invoice(&nordwind(), &invoice).await.unwrap().unwrap();
        assert!(!stored.is_open(), "{status}: {stored:?}");
        let run = duly_scheduler::handle(&local.scheduler, due_at + Duration::minutes(5))
            .await
            .unwrap();
        assert_eq!(run.sent, 0, "{status}: {run:?}");
    }
}
