//! The ingest function against the local DynamoDB: every rule of applying a signed delivery.

mod refusals;
mod thin_platforms;

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

    // The customer's own event says which language they read; the invoice's later events, which describe
    // the customer without it, do not take it away.
    let customer =
        serde_json::json!({"id": "evt_customer_1", "type": "customer.updated", "created": t.timestamp() + 60,
        "data": {"object": {"object": "customer", "id": "cus_OakBirch", "name": "Oak & Birch Ltd",
        "email": "accounts@oakbirch.example", "preferred_locales": ["lv-LV"], "address": {"country": "LV"}}}})
        .to_string();
    let later = t + chrono::Duration::seconds(60);
    let event = stripe_delivery(DEMO_STRIPE_CONNECTION, DEMO_STRIPE_SECRET, later.timestamp(), &customer);
    assert_eq!(local.send_event(&event, later).await.1["status"], "applied");

    let t = at(paid.at);
    let event = stripe_delivery(DEMO_STRIPE_CONNECTION, DEMO_STRIPE_SECRET, t.timestamp(), &paid.body);
    assert_eq!(local.send_event(&event, t).await.1["status"], "applied");
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus_OakBirch").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        debtor.language.as_deref(),
        Some("lv"),
        "kept through the invoice's event"
    );
    assert!(!local
        .store
        .get_invoice(&nordwind(), &inv("in_1OakBirch"))
        .await
        .unwrap()
        .unwrap()
        .is_open());
}

/// Stripe voids an invoice, or marks it uncollectible: the event closes it, and the reminder its plan had
/// next does not go.
#[tokio::test]
async fn a_voided_or_uncollectible_stripe_invoice_is_closed_and_not_reminded() {
    use duly_local::webhook_event::{stripe_delivery, DEMO_STRIPE_CONNECTION, DEMO_STRIPE_SECRET};
    for (kind, status) in [
        ("invoice.voided", "void"),
        ("invoice.marked_uncollectible", "uncollectible"),
    ] {
        let local = Local::new(&format!("ingest-stripe-{status}")).await;
        let finalized = duly_local::scenario::stripe_deliveries().remove(0);
        let t = at(finalized.at);
        let event = stripe_delivery(
            DEMO_STRIPE_CONNECTION,
            DEMO_STRIPE_SECRET,
            t.timestamp(),
            &finalized.body,
        );
        assert_eq!(local.send_event(&event, t).await.0, 200);
        // What would go next: the plan's first message.
        let due_at = local.next_planned_at("in_1OakBirch", t).await;

        let t1 = due_at - chrono::Duration::hours(2);
        let mut ended: serde_json::Value = serde_json::from_str(&finalized.body).unwrap();
        ended["id"] = format!("evt_{status}").into();
        ended["type"] = kind.into();
        ended["created"] = t1.timestamp().into();
        ended["data"]["object"]["status"] = status.into();
        let delivery = stripe_delivery(
            DEMO_STRIPE_CONNECTION,
            DEMO_STRIPE_SECRET,
            t1.timestamp(),
            &ended.to_string(),
        );
        let (code, reply) = local.send_event(&delivery, t1).await;
        assert_eq!(
            (code, reply["status"].as_str()),
            (200, Some("applied")),
            "{kind}: {reply}"
        );
        let invoice = local
            .store
            .get_invoice(&nordwind(), &inv("in_1OakBirch"))
            .await
            .unwrap()
            .unwrap();
        assert!(!invoice.is_open(), "{kind}: {invoice:?}");
        let run = duly_scheduler::handle(&local.scheduler, due_at + chrono::Duration::minutes(5))
            .await
            .unwrap();
        assert_eq!(run.sent, 0, "{kind}: {run:?}");
    }
}
