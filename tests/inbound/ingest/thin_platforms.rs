//! Xero's and QuickBooks' thin notices: verified with the app's key, recorded as sync jobs in one write.

use super::*;
use duly_adapters::store::TenantLink;
use duly_core::model::ids::ConnectionId;
use duly_core::platforms::{quickbooks, xero};
use duly_local::webhook_event::{app_level_delivery, TEST_QUICKBOOKS_TOKEN, TEST_XERO_KEY};

async fn link(local: &Local, platform: &str, tenant: &str) {
    let link = TenantLink {
        creditor: nordwind(),
        connection: ConnectionId::parse(format!("conn-{platform}")).unwrap(),
    };
    local.store.put_tenant(platform, tenant, &link).await.unwrap();
}

#[tokio::test]
async fn xero_intent_to_receive_gets_200_or_401_with_an_empty_body() {
    let local = Local::new("ingest-xero-itr").await;
    let body = r#"{"events":[],"lastEventSequence":0,"firstEventSequence":0,"entropy":"KZBJHGFSDFGDSFGS"}"#;
    let good = app_level_delivery(
        "xero",
        "x-xero-signature",
        &xero::sign(TEST_XERO_KEY, body.as_bytes()),
        body,
        0,
    );
    let response = duly_ingest::handle(&local.ingest, duly_local::webhook_event::to_request(&good), at(NOW)).await;
    assert_eq!(response.status(), 200);
    assert!(matches!(response.body(), lambda_http::Body::Empty));
    assert!(response.headers().get("set-cookie").is_none());
    let bad = app_level_delivery("xero", "x-xero-signature", "bm90IHRoZSBzaWduYXR1cmU=", body, 0);
    let response = duly_ingest::handle(&local.ingest, duly_local::webhook_event::to_request(&bad), at(NOW)).await;
    assert_eq!(response.status(), 401);
    assert!(matches!(response.body(), lambda_http::Body::Empty));
}

#[tokio::test]
async fn xero_notices_become_sync_jobs_in_one_write_and_collapse_per_resource() {
    let local = Local::new("ingest-xero-jobs").await;
    link(&local, "xero", "t-nordwind").await;
    let event = |id: &str, at: &str, cat: &str| {
        serde_json::json!({
        "resourceUrl": format!("https://api.xero.com/api.xro/2.0/Invoices/{id}"), "resourceId": id,
        "eventDateUtc": at, "eventType": "UPDATE", "eventCategory": cat, "tenantId": "t-nordwind", "tenantType": "ORGANISATION"})
    };
    let body = serde_json::json!({"events": [
        event("inv-a", "2026-11-20T09:00:00Z", "INVOICE"), event("inv-a", "2026-11-20T09:00:05Z", "INVOICE"),
        event("c-1", "2026-11-20T09:00:06Z", "CONTACT"),
        {"resourceUrl": "x", "resourceId": "i-z", "eventDateUtc": "2026-11-20T09:00:00Z", "eventType": "UPDATE",
         "eventCategory": "INVOICE", "tenantId": "t-unknown", "tenantType": "ORGANISATION"}
    ], "firstEventSequence": 1, "lastEventSequence": 4, "entropy": "x"})
    .to_string();
    let delivery = app_level_delivery(
        "xero",
        "x-xero-signature",
        &xero::sign(TEST_XERO_KEY, body.as_bytes()),
        &body,
        0,
    );
    local.counter.reset();
    let response = duly_ingest::handle(&local.ingest, duly_local::webhook_event::to_request(&delivery), at(NOW)).await;
    assert_eq!(response.status(), 200);
    let writes = local.counter.count_of("TransactWriteItems");
    assert_eq!(writes, 1, "{:?}", local.counter.operations());
    let jobs = local.store.sync_jobs(&nordwind()).await.unwrap();
    assert_eq!(
        jobs.len(),
        2,
        "two notices about one invoice are one job; the unknown tenant is left out"
    );
}

#[tokio::test]
async fn quickbooks_cloudevents_are_verified_with_the_verifier_token() {
    let local = Local::new("ingest-qbo").await;
    link(&local, "quickbooks", "9130").await;
    let body = r#"[{"specversion":"1.0","id":"e-1","source":"intuit.x","type":"qbo.payment.created.v1","time":"2026-11-20T09:00:00Z","intuitentityid":"77","intuitaccountid":"9130","data":{}}]"#;
    let good = app_level_delivery(
        "quickbooks",
        "intuit-signature",
        &quickbooks::sign(TEST_QUICKBOOKS_TOKEN, body.as_bytes()),
        body,
        0,
    );
    let response = duly_ingest::handle(&local.ingest, duly_local::webhook_event::to_request(&good), at(NOW)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(local.store.sync_jobs(&nordwind()).await.unwrap().len(), 1);
    let bad = app_level_delivery(
        "quickbooks",
        "intuit-signature",
        &quickbooks::sign("wrong", body.as_bytes()),
        body,
        0,
    );
    let response = duly_ingest::handle(&local.ingest, duly_local::webhook_event::to_request(&bad), at(NOW)).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        local.store.sync_jobs(&nordwind()).await.unwrap().len(),
        1,
        "nothing written"
    );
}
