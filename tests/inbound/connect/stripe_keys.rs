//! Stripe: restricted keys checked against a local Stripe, nothing written for a refused one, and the
//! catch-up replaying missed events once.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn stripe_connects_with_a_checked_key_and_the_catch_up_replays_missed_events_once() {
    let local = Local::new("connect-stripe").await;
    let state: Shared = Arc::default();
    let data: stripe::Data = Arc::default();
    let t0 = at("2026-11-20T09:00:00Z");
    data.lock().unwrap().open = vec![stripe::invoice("in_1", "open", 50_000)];
    let base = stripe::serve(state.clone(), data.clone()).await;
    let stack = stack(&local, "http://127.0.0.1:9", "http://127.0.0.1:9", &base);

    let items = local.item_count().await;
    for (body, status) in [
        (json!({"api_key": "pk_live_x", "webhook_secret": "whsec_abcdefgh"}), 422),
        // A full secret key can write to the account: Duly takes only restricted, read-only keys.
        (
            json!({"api_key": "sk_live_51NordwindFullSecretKey", "webhook_secret": stripe::SECRET}),
            422,
        ),
        (json!({"api_key": stripe::KEY, "webhook_secret": "not-a-secret"}), 422),
        (json!({"api_key": stripe::KEY}), 400),
        (
            json!({"api_key": "rk_test_someoneElsesRevokedKey", "webhook_secret": stripe::SECRET}),
            403,
        ),
    ] {
        let answer = call(
            &stack,
            "POST",
            "/connect/stripe",
            Some(&local.token),
            &body.to_string(),
            t0,
        )
        .await;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        for given in [&body["api_key"], &body["webhook_secret"]] {
            if let Some(secret) = given.as_str() {
                assert!(
                    !answer.body.contains(secret),
                    "secrets are never echoed: {}",
                    answer.body
                );
            }
        }
        if body["api_key"].as_str().is_some_and(|k| k.starts_with("sk_")) {
            assert!(
                answer.body.contains("restricted key"),
                "the refusal says why: {}",
                answer.body
            );
        }
    }
    assert_eq!(local.item_count().await, items, "a refused connection writes nothing");

    let body = json!({"api_key": stripe::KEY, "webhook_secret": stripe::SECRET}).to_string();
    let connected = call(&stack, "POST", "/connect/stripe", Some(&local.token), &body, t0).await;
    assert_eq!(connected.status, 201, "{}", connected.body);
    let connection = connected.json()["connection_id"].as_str().unwrap().to_string();
    assert_eq!(
        connected.json()["webhook_path"],
        format!("/webhooks/stripe/{connection}")
    );
    let raw = raw_connection_item(&local, &connection).await;
    assert!(
        !raw.contains(stripe::KEY) && !raw.contains(stripe::SECRET),
        "sealed: {raw}"
    );
    assert_eq!(
        local.credentials_of(&connection).await,
        Credentials::ApiKey {
            key: stripe::KEY.into()
        }
    );

    // The first catch-up imports what is open now.
    let first = duly_sync::handle(&stack.sync, &tick(), t0 + Duration::minutes(1))
        .await
        .unwrap();
    assert!(first.contains("2 facts applied"), "{first}");
    let in_1 = InvoiceId::parse("in_1").unwrap();
    let imported = local.store.get_invoice(&nordwind(), &in_1).await.unwrap().unwrap();
    assert!(
        imported.is_open() && imported.next_action_at.is_some(),
        "imported and planned"
    );
    // Its `invoice_pdf` is fetched while the connection is open, for the reminders that attach it.
    let document = local
        .store
        .get_document(&nordwind(), &in_1)
        .await
        .unwrap()
        .expect("Stripe's PDF");
    assert_eq!(document.file_name, "NW-in_1.pdf");
    assert!(document.content.is_some_and(|c| c.starts_with(b"%PDF-")));
    // The invoice says so, for the debtor's page, which offers it without reading the document.
    assert!(imported.progress.document_kept);
    let customer = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus_Tamm").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (customer.country.as_deref(), customer.time_zone),
        (Some("US"), Some(chrono_tz::America::Los_Angeles)),
        "from the invoice's customer address, California"
    );

    // in_1 is paid and its webhook arrives; in_2 is finalized but its webhook is lost.
    let t1 = t0 + Duration::hours(5);
    let paid = stripe::event(
        "evt_paid_1",
        "invoice.paid",
        t1.timestamp(),
        stripe::invoice("in_1", "paid", 0),
    );
    let finalized = stripe::event(
        "evt_final_2",
        "invoice.finalized",
        t1.timestamp() + 60,
        stripe::invoice("in_2", "open", 50_000),
    );
    data.lock().unwrap().events = vec![finalized, paid.clone()];
    let delivery = webhook_event::stripe_delivery(&connection, stripe::SECRET, t1.timestamp(), &paid.to_string());
    let (status, answer) = local.send_event(&delivery, t1).await;
    assert_eq!((status, answer["status"].as_str()), (200, Some("applied")));
    let in_2 = InvoiceId::parse("in_2").unwrap();
    assert!(local.store.get_invoice(&nordwind(), &in_2).await.unwrap().is_none());

    // Stripe rate-limits the catch-up: it waits, and loses nothing.
    state.lock().unwrap().rate_limit_next = true;
    let next_day = t0 + Duration::minutes(1) + Duration::hours(24);
    let limited = duly_sync::handle(&stack.sync, &tick(), next_day).await.unwrap();
    assert!(limited.contains("1 retried later"), "{limited}");
    assert!(
        duly_sync::handle(&stack.sync, &tick(), next_day + Duration::seconds(30))
            .await
            .unwrap()
            .starts_with("0 jobs")
    );
    let healed = duly_sync::handle(&stack.sync, &tick(), next_day + Duration::seconds(61))
        .await
        .unwrap();
    assert!(healed.contains("0 retried later"), "{healed}");
    let calls = state.lock().unwrap().calls.clone();
    let since = (t0 + Duration::minutes(1) - Duration::minutes(10)).timestamp();
    assert!(
        calls.contains(&format!("events created[gte]={since}&limit=100&type=invoice.*")),
        "{calls:?}"
    );
    assert!(
        local
            .store
            .get_invoice(&nordwind(), &in_2)
            .await
            .unwrap()
            .unwrap()
            .is_open(),
        "the lost event healed"
    );
    let in_1_now = local.store.get_invoice(&nordwind(), &in_1).await.unwrap().unwrap();
    assert!(!in_1_now.is_open());

    // The delivered event found again by the catch-up is the same key: a redelivery is a duplicate.
    let again = webhook_event::stripe_delivery(&connection, stripe::SECRET, t1.timestamp() + 100, &paid.to_string());
    let (_, answer) = local.send_event(&again, t1 + Duration::seconds(100)).await;
    assert_eq!(answer["status"], "duplicate");
}

/// A first import larger than one run reads is applied page by page: what was read is in the ledger at
/// once, the catch-up goes on from where it stopped (through a rate limit) rather than starting again or
/// skipping the rest, and only once it has read everything does it count as covering anything.
#[tokio::test(flavor = "multi_thread")]
async fn a_large_first_import_is_applied_page_by_page_and_goes_on_where_it_stopped() {
    let local = Local::new("connect-stripe-pages").await;
    let state: Shared = Arc::default();
    let data: stripe::Data = Arc::default();
    let t0 = at("2026-11-20T09:00:00Z");
    data.lock().unwrap().open = (0..110)
        .map(|n| stripe::invoice(&format!("in_{n:03}"), "open", 50_000))
        .collect();
    let base = stripe::serve(state.clone(), data.clone()).await;
    let mut stack = stack(&local, "http://127.0.0.1:9", "http://127.0.0.1:9", &base);
    stack.sync.catch_up_pages = 1;
    let body = json!({"api_key": stripe::KEY, "webhook_secret": stripe::SECRET}).to_string();
    let connected = call(&stack, "POST", "/connect/stripe", Some(&local.token), &body, t0).await;
    assert_eq!(connected.status, 201, "{}", connected.body);
    let present = |n: u32| {
        let store = local.store.clone();
        async move {
            store
                .get_invoice(&nordwind(), &InvoiceId::parse(format!("in_{n:03}")).unwrap())
                .await
                .unwrap()
                .is_some()
        }
    };
    let t1 = t0 + Duration::minutes(1);
    let first = duly_sync::handle(&stack.sync, &tick(), t1).await.unwrap();
    assert!(first.contains(": 200 facts applied"), "one page, applied: {first}");
    assert!(present(0).await && present(99).await && !present(100).await);
    let job = standing_catch_up(&local).await;
    assert_eq!(job.cursor.as_deref(), Some("in_099"));
    assert_eq!(job.since, None, "the first import has not finished");

    // Stripe rate-limits the next run: the cursor stays where the applied pages end.
    state.lock().unwrap().rate_limit_next = true;
    let limited = duly_sync::handle(&stack.sync, &tick(), t1 + Duration::minutes(15))
        .await
        .unwrap();
    assert!(limited.contains("1 retried later"), "{limited}");
    assert_eq!(standing_catch_up(&local).await.cursor.as_deref(), Some("in_099"));

    let rest = duly_sync::handle(&stack.sync, &tick(), t1 + Duration::minutes(17))
        .await
        .unwrap();
    assert!(rest.contains(": 20 facts applied"), "{rest}");
    for n in [100, 109] {
        assert!(present(n).await, "in_{n:03}");
    }
    let job = standing_catch_up(&local).await;
    assert_eq!(job.cursor, None);
    assert_eq!(
        job.since.as_deref().map(|s| duly_adapters::store::parse_ts(s).unwrap()),
        Some(t1 - Duration::minutes(10)),
        "covers from when the import began"
    );
    let calls = state.lock().unwrap().calls.clone();
    let from_start = calls.iter().filter(|c| *c == "invoices limit=100&status=open").count();
    assert_eq!(from_start, 1, "never started again: {calls:?}");
    assert!(calls.contains(&"invoices limit=100&starting_after=in_099&status=open".to_string()));
}
