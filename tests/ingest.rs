//! The ingest function against the local DynamoDB: every rule of applying a signed delivery.

use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::fixtures::facts;
use duly_local::fixtures::nordwind;
use duly_local::webhook_event::{function_url_event, signed_delivery, DEMO_CONNECTION, DEMO_SECRET};
use duly_local::{at, Local};

fn inv(id: &str) -> InvoiceId {
    InvoiceId::parse(id).unwrap()
}

const NOW: &str = "2026-11-20T10:00:00Z";

#[tokio::test]
async fn an_open_invoice_is_stored_and_put_on_the_due_and_debtor_indexes() {
    let local = Local::new("ingest-open").await;
    let (status, body) = local
        .deliver(
            "msg-1",
            &facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", NOW),
            at(NOW),
        )
        .await;
    assert_eq!((status, body["status"].as_str()), (200, Some("applied")));

    let stored = local
        .store
        .get_invoice(&nordwind(), &inv("1001"))
        .await
        .unwrap()
        .unwrap();
    assert!(stored.is_open());
    assert_eq!(stored.balance.unwrap().amount_due.minor, 125_000);
    assert_eq!(
        stored.next_action_at,
        Some(at(NOW)),
        "a new invoice is planned on the next run"
    );

    let shard: u32 = duly_adapters::store::keys::due_shard(&nordwind(), &inv("1001"))
        .trim_start_matches("DUE#")
        .parse()
        .unwrap();
    let due = local.store.due_invoices(shard, at(NOW)).await.unwrap();
    assert_eq!(due.len(), 1);
    let open = local
        .store
        .open_invoices_of(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap();
    assert_eq!(open.len(), 1);
}

#[tokio::test]
async fn a_complete_fact_costs_exactly_one_dynamodb_request() {
    let local = Local::new("ingest-one-request").await;
    // The first delivery of a cold function also loads the connection; later ones reuse it.
    local
        .deliver(
            "msg-warm",
            &facts::contact("cus-1", "ap@tamm.example", None, NOW),
            at(NOW),
        )
        .await;

    for (id, body) in [
        (
            "msg-inv",
            facts::invoice("1001", "cus-1", "100.00", "100.00", "2026-12-01", "open", NOW),
        ),
        (
            "msg-part",
            facts::payment("pay-1", "1001", "40.00", "60.00", "2026-11-20T10:01:00Z"),
        ),
        (
            "msg-full",
            facts::payment("pay-2", "1001", "60.00", "0", "2026-11-20T10:02:00Z"),
        ),
        (
            "msg-contact",
            facts::contact("cus-1", "ar@tamm.example", None, "2026-11-20T10:03:00Z"),
        ),
    ] {
        local.counter.reset();
        let (status, body) = local.deliver(id, &body, at(NOW)).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("applied")), "{id}");
        assert_eq!(local.counter.operations(), ["TransactWriteItems"], "{id}");
    }
}

#[tokio::test]
async fn a_redelivered_webhook_has_no_second_effect() {
    let local = Local::new("ingest-duplicate").await;
    let body = facts::invoice("1001", "cus-1", "100.00", "100.00", "2026-12-01", "open", NOW);
    assert_eq!(local.deliver("msg-1", &body, at(NOW)).await.1["status"], "applied");
    let before = local
        .store
        .get_invoice(&nordwind(), &inv("1001"))
        .await
        .unwrap()
        .unwrap();
    let items_before = local.item_count().await;

    let (status, reply) = local.deliver("msg-1", &body, at(NOW)).await;
    assert_eq!((status, reply["status"].as_str()), (200, Some("duplicate")));
    assert_eq!(
        local
            .store
            .get_invoice(&nordwind(), &inv("1001"))
            .await
            .unwrap()
            .unwrap(),
        before
    );
    assert_eq!(local.item_count().await, items_before);

    // The same payment reaching us twice under different delivery ids counts once.
    let pay = facts::payment("pay-1", "1001", "10.00", "90.00", "2026-11-20T10:05:00Z");
    assert_eq!(local.deliver("msg-2", &pay, at(NOW)).await.1["status"], "applied");
    assert_eq!(local.deliver("msg-3", &pay, at(NOW)).await.1["status"], "duplicate");
}

#[tokio::test]
async fn an_older_fact_never_overwrites_newer_state() {
    let local = Local::new("ingest-stale").await;
    let newer = facts::invoice(
        "1001",
        "cus-1",
        "100.00",
        "50.00",
        "2026-12-01",
        "open",
        "2026-11-20T09:00:00Z",
    );
    let older = facts::invoice(
        "1001",
        "cus-1",
        "100.00",
        "100.00",
        "2026-11-25",
        "open",
        "2026-11-19T09:00:00Z",
    );
    assert_eq!(local.deliver("msg-new", &newer, at(NOW)).await.1["status"], "applied");
    let (status, reply) = local.deliver("msg-old", &older, at(NOW)).await;
    assert_eq!((status, reply["status"].as_str()), (200, Some("stale")));
    let stored = local
        .store
        .get_invoice(&nordwind(), &inv("1001"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.balance.unwrap().amount_due.minor, 5_000);
    assert_eq!(stored.doc.unwrap().due_date.to_string(), "2026-12-01");
}

#[tokio::test]
async fn a_payment_before_its_invoice_is_applied_when_the_invoice_arrives() {
    let local = Local::new("ingest-early-payment").await;
    let pay = facts::payment("pay-1", "1001", "100.00", "0", "2026-11-20T09:30:00Z");
    assert_eq!(local.deliver("msg-pay", &pay, at(NOW)).await.1["status"], "applied");
    let invoice = facts::invoice(
        "1001",
        "cus-1",
        "100.00",
        "100.00",
        "2026-12-01",
        "open",
        "2026-11-20T09:00:00Z",
    );
    let (status, reply) = local.deliver("msg-inv", &invoice, at(NOW)).await;
    assert_eq!((status, reply["status"].as_str()), (200, Some("applied")), "{reply}");

    let stored = local
        .store
        .get_invoice(&nordwind(), &inv("1001"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.doc.as_ref().unwrap().number, "INV-1001");
    assert!(!stored.is_open(), "the earlier payment settled it");
    assert_eq!(stored.next_action_at, None, "never on the due index");
    assert!(local
        .store
        .open_invoices_of(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .is_empty());

    // A partial payment that arrived first leaves the rest open.
    let pay = facts::payment("pay-2", "1002", "40.00", "60.00", "2026-11-20T09:30:00Z");
    local.deliver("msg-pay2", &pay, at(NOW)).await;
    let invoice = facts::invoice(
        "1002",
        "cus-1",
        "100.00",
        "100.00",
        "2026-12-01",
        "open",
        "2026-11-20T09:00:00Z",
    );
    local.deliver("msg-inv2", &invoice, at(NOW)).await;
    let stored = local
        .store
        .get_invoice(&nordwind(), &inv("1002"))
        .await
        .unwrap()
        .unwrap();
    assert!(stored.is_open());
    assert_eq!(stored.balance.unwrap().amount_due.minor, 6_000);
}

#[tokio::test]
async fn paid_voided_and_credited_invoices_leave_the_indexes_at_once() {
    let local = Local::new("ingest-close").await;
    for id in ["1", "2", "3"] {
        local
            .deliver(
                &format!("msg-{id}"),
                &facts::invoice(id, "cus-1", "100.00", "100.00", "2026-12-01", "open", NOW),
                at(NOW),
            )
            .await;
    }
    let debtor = DebtorId::parse("cus-1").unwrap();
    assert_eq!(
        local.store.open_invoices_of(&nordwind(), &debtor).await.unwrap().len(),
        3
    );

    let later = "2026-11-20T11:00:00Z";
    local
        .deliver("pay", &facts::payment("p1", "1", "100.00", "0", later), at(later))
        .await;
    local.deliver("void", &facts::void("2", later), at(later)).await;
    local
        .deliver("cn", &facts::credit_note("cn1", "3", "100.00", "0", later), at(later))
        .await;

    assert!(local
        .store
        .open_invoices_of(&nordwind(), &debtor)
        .await
        .unwrap()
        .is_empty());
    for shard in 0..duly_adapters::store::DUE_SHARDS {
        assert!(local
            .store
            .due_invoices(shard, at("2030-01-01T00:00:00Z"))
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_and_writes_nothing() {
    let local = Local::new("ingest-bad-input").await;
    let good = facts::invoice("1001", "cus-1", "100.00", "100.00", "2026-12-01", "open", NOW);
    let now = at(NOW).timestamp();
    let path = format!("/webhooks/standard/{DEMO_CONNECTION}");

    let mut wrong_secret = signed_delivery(DEMO_CONNECTION, "whsec_b3RoZXItdGVuYW50LXNlY3JldA==", "m1", now, &good);
    wrong_secret["requestContext"]["requestId"] = "other".into();
    let mut wrong_method = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now, &good);
    wrong_method["requestContext"]["http"]["method"] = "GET".into();
    let mut tampered = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now, &good);
    tampered["body"] = good.replace("100.00", "1.00").into();
    let huge_body = format!("{{\"pad\":\"{}\"}}", "x".repeat(300 * 1024));
    let unsigned = function_url_event("POST", &path, &[], &good, now);
    let mebibyte = format!("{{\"pad\":\"{}\"}}", "x".repeat(1024 * 1024));
    // Function URLs join a repeated header's values with commas.
    let mut duplicated_timestamp = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now, &good);
    duplicated_timestamp["headers"]["webhook-timestamp"] = format!("{now},{now}").into();
    let mut missing_id = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now, &good);
    missing_id["headers"].as_object_mut().unwrap().remove("webhook-id");
    // Another creditor's connection and secret: neither opens the other.
    const OTHER_SECRET: &str = "whsec_b3RoZXItY3JlZGl0b3Itc2VjcmV0LTAxMjM=";
    let other = duly_local::fixtures::connection("conn-other", "other-creditor", OTHER_SECRET);
    local.store.put_connection(&other).await.unwrap();
    let other_tenants_secret = signed_delivery(DEMO_CONNECTION, OTHER_SECRET, "m1", now, &good);

    let cases = [
        (
            signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now, "{not json"),
            400,
            "malformed",
        ),
        (
            signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now, &good[..good.len() - 10]),
            400,
            "malformed",
        ),
        (
            signed_delivery(
                DEMO_CONNECTION,
                DEMO_SECRET,
                "m1",
                now,
                &good.replace("\"EUR\"", "\"XXX\""),
            ),
            422,
            "invalid",
        ),
        (
            signed_delivery(
                DEMO_CONNECTION,
                DEMO_SECRET,
                "m1",
                now,
                &good.replace("\"total\":\"100.00\"", "\"total\":\"-5\""),
            ),
            422,
            "invalid",
        ),
        (
            signed_delivery("conn-nobody", DEMO_SECRET, "m1", now, &good),
            404,
            "unknown_connection",
        ),
        (wrong_secret, 401, "bad_signature"),
        (tampered, 401, "bad_signature"),
        (unsigned, 401, "bad_signature"),
        (
            signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now - 3600, &good),
            401,
            "bad_signature",
        ),
        (
            signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now + 3600, &good),
            401,
            "bad_signature",
        ),
        (
            signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now, &huge_body),
            413,
            "body_too_large",
        ),
        (wrong_method, 405, "method_not_allowed"),
        (
            signed_delivery(
                DEMO_CONNECTION,
                DEMO_SECRET,
                "m1",
                now,
                &good.replace("\"total\":\"100.00\"", "\"total\":100"),
            ),
            400,
            "malformed",
        ),
        (
            signed_delivery(
                DEMO_CONNECTION,
                DEMO_SECRET,
                "m1",
                now,
                &good.replace("\"total\":\"100.00\"", "\"total\":\"99999999999999999999999999999.99\""),
            ),
            422,
            "invalid",
        ),
        (
            signed_delivery(
                DEMO_CONNECTION,
                DEMO_SECRET,
                "m1",
                now,
                &good.replace("\"total\":\"100.00\"", "\"total\":\"1e400\""),
            ),
            422,
            "invalid",
        ),
        (
            signed_delivery(
                DEMO_CONNECTION,
                DEMO_SECRET,
                "m1",
                now,
                &good.replace("invoice.upserted", "invoice.deleted"),
            ),
            400,
            "malformed",
        ),
        (
            // A control character in a pay link would make the short link's redirect header invalid.
            signed_delivery(
                DEMO_CONNECTION,
                DEMO_SECRET,
                "m1",
                now,
                &good.replace("/i/1001", "/i/1001\\u0001"),
            ),
            422,
            "invalid",
        ),
        (
            signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", now, &mebibyte),
            413,
            "body_too_large",
        ),
        (duplicated_timestamp, 401, "bad_signature"),
        (missing_id, 401, "bad_signature"),
        (other_tenants_secret, 401, "bad_signature"),
        (
            signed_delivery("conn-other", DEMO_SECRET, "m1", now, &good),
            401,
            "bad_signature",
        ),
        (
            function_url_event("POST", "/webhooks/elsewhere", &[], &good, now),
            404,
            "not_found",
        ),
    ];
    let items_before = local.item_count().await;
    for (i, (event, status, code)) in cases.iter().enumerate() {
        let (got_status, body) = local.send_event(event, at(NOW)).await;
        assert_eq!(
            (got_status, body["error"].as_str()),
            (*status, Some(*code)),
            "case {i}: {body}"
        );
        assert!(
            body["reason"].as_str().is_some_and(|r| !r.is_empty()),
            "case {i} explains itself"
        );
    }
    assert_eq!(local.item_count().await, items_before, "nothing was written");
}

/// One invoice with a date in the year 262142 would make every scheduler run that reads it overflow its
/// date arithmetic; one changed "in the year 3000" could never be updated again. Neither is accepted.
#[tokio::test]
async fn dates_outside_1970_to_2100_and_change_times_ahead_of_now_are_refused() {
    let local = Local::new("ingest-bad-dates").await;
    let now = at(NOW).timestamp();
    let invoice = |due_date: &str, updated_at: &str| {
        facts::invoice("1001", "cus-1", "100.00", "100.00", due_date, "open", updated_at)
    };
    let cases = [
        invoice("+262142-12-30", NOW),
        invoice("1900-01-01", NOW),
        invoice("2101-01-01", NOW),
        invoice("2026-12-01", "3000-01-01T00:00:00Z"),
        // A day and a minute ahead of the receiving clock: more than any platform's clock is off by.
        invoice("2026-12-01", "2026-11-21T10:01:00Z"),
        invoice("2026-12-01", NOW).replace("\"issue_date\":\"2026-11-01\"", "\"issue_date\":\"-0001-11-01\""),
        facts::payment("p1", "1001", "100.00", "0", "2999-12-03T13:19:00Z"),
    ];
    let items_before = local.item_count().await;
    for (i, body) in cases.iter().enumerate() {
        let event = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, &format!("m{i}"), now, body);
        let (status, answer) = local.send_event(&event, at(NOW)).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (422, Some("invalid")),
            "case {i}: {answer}"
        );
        assert!(
            answer["reason"]
                .as_str()
                .is_some_and(|r| r.contains("date") || r.contains("_at")),
            "case {i}: {answer}"
        );
    }
    assert_eq!(local.item_count().await, items_before, "nothing was written");
    // The edges of the range, and a platform clock a few minutes ahead, are fine.
    for (i, body) in [
        invoice("2100-12-31", NOW),
        invoice("2026-12-01", "2026-11-20T10:05:00Z"),
    ]
    .iter()
    .enumerate()
    {
        let event = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, &format!("ok{i}"), now, body);
        let (status, answer) = local.send_event(&event, at(NOW)).await;
        assert_eq!(status, 200, "edge {i}: {answer}");
    }
}

/// Unknown connection ids cost a lookup each and are never remembered: a connection made after a miss
/// is found at once, and a flood of made-up ids cannot fill a warm function's memory.
#[tokio::test]
async fn unknown_connections_are_not_remembered_and_the_cache_stays_bounded() {
    let local = Local::new("ingest-cache").await;
    let good = facts::invoice("1001", "cus-1", "100.00", "100.00", "2026-12-01", "open", NOW);
    let now = at(NOW).timestamp();
    const LATER_SECRET: &str = "whsec_bGF0ZXItY29ubmVjdGlvbi1zZWNyZXQtMDE=";
    let delivery = signed_delivery("conn-later", LATER_SECRET, "m1", now, &good);
    assert_eq!(local.send_event(&delivery, at(NOW)).await.0, 404);
    let later = duly_local::fixtures::connection("conn-later", "nordwind", LATER_SECRET);
    local.store.put_connection(&later).await.unwrap();
    let (status, body) = local.send_event(&delivery, at(NOW)).await;
    assert_eq!(status, 200, "the new connection is found at once: {body}");

    for i in 0..3_000 {
        let event = signed_delivery(&format!("conn-made-up-{i}"), DEMO_SECRET, "m1", now, &good);
        assert_eq!(local.send_event(&event, at(NOW)).await.0, 404);
    }
    assert!(
        local.ingest.connections.len() <= 1,
        "{} cached",
        local.ingest.connections.len()
    );
}

#[tokio::test]
async fn a_disconnected_connection_is_refused() {
    let local = Local::new("ingest-disconnected").await;
    let mut conn = duly_local::fixtures::connection("conn-gone", "nordwind", DEMO_SECRET);
    conn.active = false;
    local.store.put_connection(&conn).await.unwrap();
    let body = facts::invoice("1001", "cus-1", "100.00", "100.00", "2026-12-01", "open", NOW);
    let event = signed_delivery("conn-gone", DEMO_SECRET, "m1", at(NOW).timestamp(), &body);
    let (status, reply) = local.send_event(&event, at(NOW)).await;
    assert_eq!((status, reply["error"].as_str()), (410, Some("disconnected")));
}

#[tokio::test]
async fn a_base64_encoded_body_is_verified_over_its_decoded_bytes() {
    use base64::Engine as _;
    let local = Local::new("ingest-base64").await;
    let body = facts::invoice("1001", "cus-1", "100.00", "100.00", "2026-12-01", "open", NOW);
    let mut event = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m-b64", at(NOW).timestamp(), &body);
    event["body"] = base64::engine::general_purpose::STANDARD.encode(&body).into();
    event["isBase64Encoded"] = true.into();
    let (status, reply) = local.send_event(&event, at(NOW)).await;
    assert_eq!((status, reply["status"].as_str()), (200, Some("applied")), "{reply}");
}

#[tokio::test]
async fn a_stripe_invoice_is_verified_with_its_own_scheme_and_applied_once() {
    use duly_local::webhook_event::{stripe_delivery, DEMO_STRIPE_CONNECTION, DEMO_STRIPE_SECRET};
    let local = Local::new("ingest-stripe").await;
    let [finalized, paid] = <[_; 2]>::try_from(duly_local::scenario::stripe_deliveries())
        .ok()
        .unwrap();
    let t = at(finalized.at);
    let event = stripe_delivery(
        DEMO_STRIPE_CONNECTION,
        DEMO_STRIPE_SECRET,
        t.timestamp(),
        &finalized.body,
    );
    let (status, reply) = local.send_event(&event, t).await;
    assert_eq!((status, reply["status"].as_str()), (200, Some("applied")), "{reply}");
    let invoice = local
        .store
        .get_invoice(&nordwind(), &inv("in_1OakBirch"))
        .await
        .unwrap()
        .unwrap();
    assert!(invoice.is_open());
    assert_eq!(
        invoice.doc.as_ref().unwrap().pay_url.as_deref(),
        Some("https://invoice.stripe.com/i/acct_1Demo/live_OakBirch")
    );
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus_OakBirch").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(debtor.email.as_deref(), Some("accounts@oakbirch.example"));

    // Stripe retries the same event: no second effect.
    let (_, reply) = local.send_event(&event, t).await;
    assert_eq!(reply["status"], "duplicate");
    // A Standard Webhooks signature on the Stripe route, or the Stripe secret without its prefix, fails.
    let unprefixed = stripe_delivery(
        DEMO_STRIPE_CONNECTION,
        DEMO_STRIPE_SECRET.trim_start_matches("whsec_"),
        t.timestamp(),
        &finalized.body,
    );
    assert_eq!(local.send_event(&unprefixed, t).await.0, 401);
    let wrong_route = signed_delivery(
        DEMO_STRIPE_CONNECTION,
        DEMO_SECRET,
        "m1",
        t.timestamp(),
        &finalized.body,
    );
    assert_eq!(
        local.send_event(&wrong_route, t).await.0,
        404,
        "a Stripe connection is not a Standard Webhooks one"
    );

    let t = at(paid.at);
    let event = stripe_delivery(DEMO_STRIPE_CONNECTION, DEMO_STRIPE_SECRET, t.timestamp(), &paid.body);
    assert_eq!(local.send_event(&event, t).await.1["status"], "applied");
    assert!(!local
        .store
        .get_invoice(&nordwind(), &inv("in_1OakBirch"))
        .await
        .unwrap()
        .unwrap()
        .is_open());
}

mod thin_platforms {
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
        let response =
            duly_ingest::handle(&local.ingest, duly_local::webhook_event::to_request(&delivery), at(NOW)).await;
        assert_eq!(response.status(), 200);
        let writes = local
            .counter
            .operations()
            .iter()
            .filter(|op| *op == "TransactWriteItems")
            .count();
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
}
