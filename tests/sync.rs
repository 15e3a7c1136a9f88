//! Xero end to end: a signed thin webhook is acknowledged with one write, the sync function fetches from a
//! local server that answers like Xero's API (token refresh, 401, 429 with Retry-After), and the facts land
//! in the ledger; a rate limit or an outage delays the sync and loses nothing.

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
    rate_limit_next: bool,
    calls: Vec<String>,
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
        "UpdatedDateUTC": if x.status == "PAID" { "/Date(1795179600000+0000)/" } else { "/Date(1795046500000+0000)/" }
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
    Json(
        json!({"Contacts": [{"ContactID": id, "Name": "Tamm & Sons OÜ", "EmailAddress": "ap@tamm.example",
        "Phones": [{"PhoneType": "MOBILE", "PhoneNumber": "5551 2345", "PhoneAreaCode": "", "PhoneCountryCode": "372"}],
        "UpdatedDateUTC": "/Date(1795046400000+0000)/"}]}),
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
        .route("/connect/token", post(token))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// What EventBridge Scheduler hands the function.
fn tick() -> Value {
    json!({"version": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler", "detail": {}})
}

fn sync_app(local: &Local, xero: &str, quickbooks: &str) -> duly_sync::App {
    duly_sync::App {
        store: local.store.clone(),
        vault: local.vault.clone(),
        apis: duly_app::sync::Apis {
            xero: PlatformApi::new(xero, xero, "client-id", "client-secret"),
            quickbooks: PlatformApi::with_token_url(
                quickbooks,
                &format!("{quickbooks}/oauth2/v1/tokens/bearer"),
                "qb-id",
                "qb-secret",
            ),
            stripe: PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
        },
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

    let mut connection = duly_local::fixtures::connection("conn-xero", "nordwind", "unused");
    connection.platform = Platform::Xero;
    // The access token has expired: the first fetch refreshes it.
    local
        .connect_with(
            &mut connection,
            Credentials::OAuth(OAuthTokens {
                access_token: "at-0".into(),
                refresh_token: "rt-1".into(),
                expires_at: t0 - Duration::minutes(5),
            }),
        )
        .await;
    let link = TenantLink {
        creditor: nordwind(),
        connection: ConnectionId::parse("conn-xero").unwrap(),
    };
    local.store.put_tenant("xero", TENANT, &link).await.unwrap();

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
    let mut connection = duly_local::fixtures::connection("conn-xero", "nordwind", "unused");
    connection.platform = Platform::Xero;
    // Both tokens were revoked on Xero's side.
    local
        .connect_with(
            &mut connection,
            Credentials::OAuth(OAuthTokens {
                access_token: "at-revoked".into(),
                refresh_token: "rt-revoked".into(),
                expires_at: t0 + Duration::minutes(20),
            }),
        )
        .await;
    local
        .store
        .put_tenant(
            "xero",
            TENANT,
            &TenantLink {
                creditor: nordwind(),
                connection: ConnectionId::parse("conn-xero").unwrap(),
            },
        )
        .await
        .unwrap();
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

mod quickbooks_online {
    use super::*;
    use duly_core::platforms::quickbooks;
    use duly_local::webhook_event::TEST_QUICKBOOKS_TOKEN;

    const REALM: &str = "9130357766900456";

    #[derive(Default)]
    struct Intuit {
        balance: String,
        fail_next: bool,
    }

    type Shared = Arc<Mutex<Intuit>>;

    fn ok(headers: &HeaderMap) -> bool {
        headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer qb-token")
    }

    async fn entity(
        State(state): State<Shared>,
        headers: HeaderMap,
        Path((realm, kind, id)): Path<(String, String, String)>,
    ) -> Response {
        if !ok(&headers) || realm != REALM {
            return StatusCode::UNAUTHORIZED.into_response();
        }
        if std::mem::take(&mut state.lock().unwrap().fail_next) {
            return (StatusCode::SERVICE_UNAVAILABLE, "maintenance").into_response();
        }
        let balance = state.lock().unwrap().balance.clone();
        let body = match kind.as_str() {
            "invoice" => json!({"Invoice": {"Id": id, "SyncToken": "2", "DocNumber": "1037", "TxnDate": "2026-11-16",
                "DueDate": "2026-12-01", "TotalAmt": serde_json::from_str::<Value>("362.07").unwrap(),
                "Balance": serde_json::from_str::<Value>(&balance).unwrap(), "CustomerRef": {"value": "24", "name": "Red Rock Diner"},
                "CurrencyRef": {"value": "EUR", "name": "Euro"}, "MetaData": {"LastUpdatedTime": if balance == "0" { "2026-12-03T05:19:00-08:00" } else { "2026-11-16T05:19:00-08:00" }}},
                "time": "2026-12-03T05:20:00-08:00"}),
            "payment" => {
                json!({"Payment": {"TotalAmt": 362.07, "UnappliedAmt": 0, "CustomerRef": {"value": "24"}, "TxnDate": "2026-12-03",
                "Line": [{"Amount": 362.07, "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]}]}})
            }
            "customer" => {
                json!({"Customer": {"Id": id, "DisplayName": "Red Rock Diner", "PrimaryEmailAddr": {"Address": "ap@redrock.example"},
                "MetaData": {"LastUpdatedTime": "2026-11-16T05:19:00-08:00"}}})
            }
            _ => return StatusCode::NOT_FOUND.into_response(),
        };
        Json(body).into_response()
    }

    async fn local_intuit(state: Shared) -> String {
        let app = Router::new()
            .route("/v3/company/{realm}/{kind}/{id}", get(entity))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}")
    }

    async fn notify(local: &Local, body: &str, now: chrono::DateTime<chrono::Utc>) {
        let delivery = app_level_delivery(
            "quickbooks",
            "intuit-signature",
            &quickbooks::sign(TEST_QUICKBOOKS_TOKEN, body.as_bytes()),
            body,
            0,
        );
        assert_eq!(
            duly_ingest::handle(&local.ingest, to_request(&delivery), now)
                .await
                .status(),
            200
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_invoice_and_then_its_payment_arrive_through_quickbooks_notices() {
        let local = Local::new("sync-qbo").await;
        let state: Shared = Arc::new(Mutex::new(Intuit {
            balance: "362.07".into(),
            fail_next: true,
        }));
        let base = local_intuit(state.clone()).await;
        let app = sync_app(&local, "http://127.0.0.1:9", &base);
        let mut connection = duly_local::fixtures::connection("conn-qbo", "nordwind", "unused");
        connection.platform = Platform::QuickBooks;
        let t0 = at("2026-11-16T14:00:00Z");
        local
            .connect_with(
                &mut connection,
                Credentials::OAuth(OAuthTokens {
                    access_token: "qb-token".into(),
                    refresh_token: "qb-refresh".into(),
                    expires_at: t0 + Duration::days(30),
                }),
            )
            .await;
        local
            .store
            .put_tenant(
                "quickbooks",
                REALM,
                &TenantLink {
                    creditor: nordwind(),
                    connection: ConnectionId::parse("conn-qbo").unwrap(),
                },
            )
            .await
            .unwrap();

        let legacy = json!({"eventNotifications": [{"realmId": REALM, "dataChangeEvent": {"entities": [
            {"name": "Invoice", "id": "130", "operation": "Create", "lastUpdated": "2026-11-16T13:19:00.000Z"},
            {"name": "Customer", "id": "24", "operation": "Create", "lastUpdated": "2026-11-16T13:19:00.000Z"}]}}]})
        .to_string();
        notify(&local, &legacy, t0).await;
        // QuickBooks is down for a moment: the jobs back off and stay.
        let down = duly_sync::handle(&app, &tick(), t0).await.unwrap();
        assert!(down.contains("2 retried later"), "{down}");
        let up = duly_sync::handle(&app, &tick(), t0 + Duration::minutes(2))
            .await
            .unwrap();
        assert!(up.contains("2 facts applied"), "{up}");
        let invoice = local
            .store
            .get_invoice(&nordwind(), &InvoiceId::parse("130").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(invoice.balance.unwrap().amount_due.minor, 36_207);
        assert!(invoice.is_open());

        // A payment, as a CloudEvent, names the invoice; its new balance closes it.
        state.lock().unwrap().balance = "0".into();
        let t1 = at("2026-12-03T13:30:00Z");
        let cloud =
            json!([{"specversion": "1.0", "id": "ce-77", "source": "intuit.x", "type": "qbo.payment.created.v1",
            "time": "2026-12-03T13:19:00Z", "intuitentityid": "77", "intuitaccountid": REALM, "data": {}}])
            .to_string();
        notify(&local, &cloud, t1).await;
        let paid = duly_sync::handle(&app, &tick(), t1).await.unwrap();
        let left = local.store.sync_jobs(&nordwind()).await.unwrap();
        assert!(paid.contains("1 facts applied"), "{paid}: {left:?}");
        let invoice = local
            .store
            .get_invoice(&nordwind(), &InvoiceId::parse("130").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(!invoice.is_open());
        assert!(local.store.sync_jobs(&nordwind()).await.unwrap().is_empty());
    }
}

/// Only a refused grant means the creditor revoked Duly: an app the token endpoint does not accept (a wrong
/// client secret in the deployment) must not disconnect every creditor, and a Stripe key that was revoked
/// must not be retried for ever.
mod revocation {
    use super::*;
    use duly_local::platforms::stripe as local_stripe;

    #[tokio::test(flavor = "multi_thread")]
    async fn a_token_endpoint_that_refuses_the_app_keeps_the_credentials_and_retries() {
        let local = Local::new("sync-app-refused").await;
        let state: Shared = Arc::new(Mutex::new(Xero {
            access_token: "at-1".into(),
            refresh_token: "rt-1".into(),
            amount_due: "1250.00".into(),
            status: "AUTHORISED".into(),
            reject_client: true,
            ..Xero::default()
        }));
        let base = local_xero(state.clone()).await;
        let app = sync_app(&local, &base, "http://127.0.0.1:9");
        let t0 = at("2026-11-20T09:00:00Z");
        let mut connection = duly_local::fixtures::connection("conn-xero", "nordwind", "unused");
        connection.platform = Platform::Xero;
        local
            .connect_with(
                &mut connection,
                Credentials::OAuth(OAuthTokens {
                    access_token: "at-0".into(),
                    refresh_token: "rt-1".into(),
                    expires_at: t0 - Duration::minutes(5),
                }),
            )
            .await;
        let link = TenantLink {
            creditor: nordwind(),
            connection: ConnectionId::parse("conn-xero").unwrap(),
        };
        local.store.put_tenant("xero", TENANT, &link).await.unwrap();
        notify(&local, t0).await;

        let report = duly_sync::handle(&app, &tick(), t0).await.unwrap();
        assert!(report.contains("2 retried later, 0 dead letters"), "{report}");
        let kept = local
            .store
            .get_connection(&ConnectionId::parse("conn-xero").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(kept.active && kept.credentials.is_some(), "the sealed tokens are kept");
        assert!(local
            .store
            .get_creditor(&nordwind())
            .await
            .unwrap()
            .unwrap()
            .disconnected
            .is_none());

        // The deployment's secret is fixed: the next run goes through with the same refresh token.
        state.lock().unwrap().reject_client = false;
        let later = duly_sync::handle(&app, &tick(), t0 + Duration::hours(1)).await.unwrap();
        assert!(
            later.contains("facts applied, 0 retried later, 0 dead letters"),
            "{later}"
        );
        assert!(local
            .store
            .get_invoice(&nordwind(), &InvoiceId::parse(INVOICE).unwrap())
            .await
            .unwrap()
            .is_some());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_revoked_stripe_key_disconnects_the_connection() {
        let local = Local::new("sync-stripe-revoked").await;
        let base = local_stripe::serve(Arc::default(), Arc::default()).await;
        let app = duly_sync::App {
            store: local.store.clone(),
            vault: local.vault.clone(),
            apis: duly_app::sync::Apis {
                xero: PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
                quickbooks: PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
                stripe: PlatformApi::with_token_url(&base, "", "", ""),
            },
        };
        let t0 = at("2026-11-20T09:00:00Z");
        let mut connection = duly_local::fixtures::connection("conn-stripe", "nordwind", "whsec_unused");
        connection.platform = Platform::Stripe;
        connection.tenant = Some("acct_1Nordwind".into());
        // The creditor rolled the key in Stripe's dashboard: Stripe now answers 401 to it.
        local
            .connect_with(
                &mut connection,
                Credentials::ApiKey {
                    key: "rk_test_rolledAwayKey".into(),
                },
            )
            .await;
        let link = TenantLink {
            creditor: nordwind(),
            connection: ConnectionId::parse("conn-stripe").unwrap(),
        };
        local
            .store
            .schedule_reconciliation(&link, "stripe", "acct_1Nordwind", Some(t0 - Duration::days(1)), t0)
            .await
            .unwrap();

        let report = duly_sync::handle(&app, &tick(), t0).await.unwrap();
        assert!(report.contains("0 retried later"), "not retried for ever: {report}");
        let connection = local
            .store
            .get_connection(&ConnectionId::parse("conn-stripe").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(!connection.active && connection.credentials.is_none());
        let creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
        assert_eq!(
            creditor.disconnected.map(|d| d.platform).as_deref(),
            Some("stripe"),
            "reminders stop, and say why"
        );
    }
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
    let mut connection = duly_local::fixtures::connection("conn-xero", "nordwind", "unused");
    connection.platform = Platform::Xero;
    local
        .connect_with(
            &mut connection,
            Credentials::OAuth(OAuthTokens {
                access_token: "at-1".into(),
                refresh_token: "rt-1".into(),
                expires_at: t0 + Duration::days(30),
            }),
        )
        .await;
    let link = TenantLink {
        creditor: nordwind(),
        connection: ConnectionId::parse("conn-xero").unwrap(),
    };
    local.store.put_tenant("xero", TENANT, &link).await.unwrap();
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
            .is_some_and(|r| r.contains("still being fetched")),
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
    let mut connection = duly_local::fixtures::connection("conn-xero", "nordwind", "unused");
    connection.platform = Platform::Xero;
    local
        .connect_with(
            &mut connection,
            Credentials::OAuth(OAuthTokens {
                access_token: "at-1".into(),
                refresh_token: "rt-1".into(),
                expires_at: t0 + Duration::days(30),
            }),
        )
        .await;
    let link = TenantLink {
        creditor: nordwind(),
        connection: ConnectionId::parse("conn-xero").unwrap(),
    };
    local.store.put_tenant("xero", TENANT, &link).await.unwrap();
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
