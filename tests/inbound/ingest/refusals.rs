//! What ingest refuses: bad input answered 4xx with a reason and nothing written, dates out of range,
//! unknown and disconnected connections.

use super::*;

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
    local.add_connection("conn-other", "other-creditor", OTHER_SECRET).await;
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
    local.add_connection("conn-later", "nordwind", LATER_SECRET).await;
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
    let mut conn = local.add_connection("conn-gone", "nordwind", DEMO_SECRET).await;
    conn.active = false;
    local.store.put_connection(&conn).await.unwrap();
    let body = facts::invoice("1001", "cus-1", "100.00", "100.00", "2026-12-01", "open", NOW);
    let event = signed_delivery("conn-gone", DEMO_SECRET, "m1", at(NOW).timestamp(), &body);
    let (status, reply) = local.send_event(&event, at(NOW)).await;
    assert_eq!((status, reply["error"].as_str()), (410, Some("disconnected")));
}

/// Signing secrets are stored sealed: the table never holds them readable, and a sealed blob copied onto
/// another connection (by anyone who can write the table) does not open there, so no delivery is accepted
/// with it.
#[tokio::test]
async fn signing_secrets_are_sealed_and_open_only_on_their_own_connection() {
    let local = Local::new("ingest-sealed").await;
    let demo = duly_core::model::ids::ConnectionId::parse(DEMO_CONNECTION).unwrap();
    let stored = local.store.get_connection(&demo).await.unwrap().unwrap();
    let raw = format!(
        "{:?}",
        local
            .store
            .client()
            .get_item()
            .table_name(local.store.table())
            .key(
                "pk",
                aws_sdk_dynamodb::types::AttributeValue::S(format!("CONN#{DEMO_CONNECTION}"))
            )
            .key("sk", aws_sdk_dynamodb::types::AttributeValue::S("CONNECTION".into()))
            .send()
            .await
            .unwrap()
            .item()
            .expect("the connection item")
    );
    let key_part = DEMO_SECRET.trim_start_matches("whsec_");
    assert!(!raw.contains(key_part), "the secret is not in the table: {raw}");
    assert!(stored.signing_secrets.is_some());

    let body = facts::invoice("1001", "cus-1", "100.00", "100.00", "2026-12-01", "open", NOW);
    let mut copy = duly_local::fixtures::connection("conn-copy", "nordwind");
    copy.signing_secrets = stored.signing_secrets.clone();
    local.store.put_connection(&copy).await.unwrap();
    let items = local.item_count().await;
    let event = signed_delivery("conn-copy", DEMO_SECRET, "m1", at(NOW).timestamp(), &body);
    let (status, reply) = local.send_event(&event, at(NOW)).await;
    assert_eq!(status, 503, "{reply}");
    assert_eq!(reply["error"], "unavailable", "{reply}");
    assert!(
        !reply.to_string().contains("KMS") && !reply.to_string().contains("Invalid"),
        "{reply}"
    );
    assert_eq!(local.item_count().await, items, "nothing written");

    let own = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, "m1", at(NOW).timestamp(), &body);
    assert_eq!(local.send_event(&own, at(NOW)).await.0, 200);
}
