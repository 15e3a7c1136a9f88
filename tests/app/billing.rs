//! Pay-per-use: the month's usage statement, priced, and the creditor's cap on a month's spend, crossed in
//! the middle of a run.

use serde_json::json;

use duly_local::fixtures::facts;
use duly_local::moto::sent_emails;
use duly_local::{at, Local};

const T: &str = "2026-11-16T09:00:00Z";

/// Three customers, each with an invoice due Tuesday 1 December 2026, planned by one run: each gets the
/// pre-due e-mail on Monday 30 November.
async fn three_customers(local: &Local) -> Vec<String> {
    let mut emails = Vec::new();
    for i in 1..=3 {
        let email = format!("ap{i}-{}@tamm.example", local.store.table());
        local
            .deliver(
                &format!("c{i}"),
                &facts::contact(&format!("cus-{i}"), &email, None, T),
                at(T),
            )
            .await;
        local
            .deliver(
                &format!("i{i}"),
                &facts::invoice(
                    &format!("100{i}"),
                    &format!("cus-{i}"),
                    "100.00",
                    "100.00",
                    "2026-12-01",
                    "open",
                    T,
                ),
                at(T),
            )
            .await;
        emails.push(email);
    }
    duly_scheduler::handle(&local.scheduler, at("2026-11-16T10:00:00Z"))
        .await
        .unwrap();
    emails
}

async fn mails_to(emails: &[String]) -> usize {
    sent_emails()
        .await
        .iter()
        .filter(|m| emails.iter().any(|e| m.destinations.to.contains(e)))
        .count()
}

/// With the default prices each pre-due e-mail costs 0.01 € and each customer's first message of the
/// month 0.05 €: 0.06 € a message. A cap of 0.12 € lets two through; the third waits, unclaimed, and goes
/// out once the cap is raised. The creditor is told once.
#[tokio::test]
async fn a_run_stops_at_the_monthly_cap_and_the_held_message_goes_out_when_it_is_raised() {
    let local = Local::new("billing-cap").await;
    let (status, refused) = local
        .api("PUT", "/v1/billing", Some(json!({"monthly_cap": "0.125"})), None, at(T))
        .await;
    assert_eq!(status, 422, "to the cent: {refused}");
    let (status, saved) = local
        .api("PUT", "/v1/billing", Some(json!({"monthly_cap": "0.12"})), None, at(T))
        .await;
    assert_eq!(status, 200, "{saved}");
    let emails = three_customers(&local).await;

    let run = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
        .await
        .unwrap();
    assert_eq!((run.sent, run.over_cap), (2, 1), "{run:?}");
    assert_eq!(mails_to(&emails).await, 2);
    // Held, the message waits for the month to turn instead of being handed to every run meanwhile.
    let again = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:30:00Z"))
        .await
        .unwrap();
    assert_eq!((again.sent, again.over_cap), (0, 0), "not even looked at: {again:?}");
    let held = local
        .store
        .open_invoices_of_creditor(&duly_local::fixtures::nordwind())
        .await
        .unwrap()
        .into_iter()
        .filter(|i| i.next_action_at == Some(at("2026-12-01T00:00:00Z")))
        .count();
    assert_eq!(held, 1, "the held invoice is looked at again on 1 December");

    let (_, notices) = local
        .api("GET", "/v1/notices", None, None, at("2026-11-30T08:00:00Z"))
        .await;
    let capped: Vec<_> = notices
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == json!("spend_cap_reached"))
        .collect();
    assert_eq!(capped.len(), 1, "told once: {notices}");

    let (status, statement) = local
        .api("GET", "/v1/usage?month=2026-11", None, None, at("2026-11-30T08:00:00Z"))
        .await;
    assert_eq!(status, 200, "{statement}");
    // Two e-mails at 0.01 and two customers reminded at 0.05: 0.02 + 0.10 = 0.12.
    assert_eq!(statement["lines"][0]["quantity"], json!(2), "{statement}");
    assert_eq!(statement["lines"][2]["quantity"], json!(2), "{statement}");
    assert_eq!(
        (statement["total"].as_str(), statement["cap"].as_str()),
        (Some("0.12"), Some("0.12")),
        "{statement}"
    );

    // Raised: the held message goes out on the next run; nothing was lost.
    let (status, _) = local
        .api(
            "PUT",
            "/v1/billing",
            Some(json!({"monthly_cap": "1.00"})),
            None,
            at("2026-11-30T08:00:00Z"),
        )
        .await;
    assert_eq!(status, 200);
    let resumed = duly_scheduler::handle(&local.scheduler, at("2026-11-30T08:15:00Z"))
        .await
        .unwrap();
    assert_eq!((resumed.sent, resumed.over_cap), (1, 0), "{resumed:?}");
    assert_eq!(mails_to(&emails).await, 3);
    let (_, statement) = local
        .api("GET", "/v1/usage?month=2026-11", None, None, at("2026-11-30T08:20:00Z"))
        .await;
    assert_eq!(statement["total"], json!("0.18"), "{statement}");

    let (status, _) = local.api("GET", "/v1/usage?month=2026-13", None, None, at(T)).await;
    assert_eq!(status, 422);
}

/// Usage reaches Stripe Billing as meter events, once: webhooks are counted from the table's stream (the
/// same batch handed over twice counts once), each hour's new usage is written down before it is sent, and
/// a run whose response was lost sends it again with the same identifiers, which Stripe refuses as
/// duplicates.
#[tokio::test]
async fn hourly_usage_reaches_stripe_once_even_when_a_response_is_lost() {
    use duly_local::platforms::stripe_billing;
    let local = Local::with_stream("billing-export").await;
    let emails = three_customers(&local).await;
    duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
        .await
        .unwrap();
    assert_eq!(mails_to(&emails).await, 3);

    let data = stripe_billing::Data::default();
    let base = stripe_billing::serve(data.clone()).await;
    let app = duly_billing::App {
        store: local.store_for("BillingFunction"),
        sink: Some(duly_adapters::metering::StripeMeters::new(
            &base,
            stripe_billing::SECRET_KEY,
        )),
        notify: None,
        prices: Default::default(),
    };
    let batch = duly_local::stream::records(local.store.client(), local.store.table()).await;
    let counted = duly_billing::handle(&app, &batch, at("2026-11-30T07:20:00Z"))
        .await
        .unwrap();
    assert_eq!(
        counted["webhooks"],
        json!(6),
        "three contacts and three invoices: {counted}"
    );
    let again = duly_billing::handle(&app, &batch, at("2026-11-30T07:25:00Z"))
        .await
        .unwrap();
    assert_eq!(again["webhooks"], json!(0), "the same batch again: {again}");
    let usage = local
        .store
        .usage(&duly_local::fixtures::nordwind(), "2026-11")
        .await
        .unwrap();
    assert_eq!((usage.webhooks, usage.emails, usage.debtors), (6, 3, 3), "{usage:?}");

    // The first event is taken, but its answer is lost: the run fails for this creditor and keeps the hour.
    data.lock().unwrap().lose_responses = 1;
    let first = duly_billing::handle(&app, &json!({}), at("2026-11-30T09:05:00Z"))
        .await
        .unwrap();
    assert_eq!(
        (first["events"].as_u64(), first["failed"].as_u64()),
        (Some(0), Some(1)),
        "{first}"
    );
    let again = duly_billing::handle(&app, &json!({}), at("2026-11-30T10:05:00Z"))
        .await
        .unwrap();
    assert_eq!(
        (again["events"].as_u64(), again["duplicates"].as_u64()),
        (Some(2), Some(1)),
        "{again}"
    );
    let events = data.lock().unwrap().events.clone();
    let sent: Vec<(String, String, String)> = events
        .iter()
        .map(|e| {
            (
                e["event_name"].as_str().unwrap().to_string(),
                e["payload"]["value"].as_str().unwrap().to_string(),
                e["identifier"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            (
                "duly_emails".into(),
                "3".into(),
                "duly:nordwind:emails:2026-11-30T09".into()
            ),
            (
                "duly_debtors_reminded".into(),
                "3".into(),
                "duly:nordwind:debtors_reminded:2026-11-30T09".into()
            ),
            (
                "duly_webhooks_received".into(),
                "6".into(),
                "duly:nordwind:webhooks_received:2026-11-30T09".into()
            ),
        ],
        "each meter once, for the hour it was written down in"
    );
    assert_eq!(events[0]["payload"]["stripe_customer_id"], json!("cus_duly0000"));

    // Nothing new, nothing sent; a new delivery is sent the next hour, alone.
    let idle = duly_billing::handle(&app, &json!({}), at("2026-11-30T11:05:00Z"))
        .await
        .unwrap();
    assert_eq!(idle["events"], json!(0), "{idle}");
    local
        .deliver(
            "c9",
            &facts::contact("cus-9", "ap9@tamm.example", None, T),
            at("2026-11-30T11:30:00Z"),
        )
        .await;
    // The stream hands over only what is new since the last batch.
    let seen = batch["Records"].as_array().unwrap().len();
    let all = duly_local::stream::records(local.store.client(), local.store.table()).await;
    let batch = json!({"Records": all["Records"].as_array().unwrap()[seen..]});
    duly_billing::handle(&app, &batch, at("2026-11-30T11:31:00Z"))
        .await
        .unwrap();
    let next = duly_billing::handle(&app, &json!({}), at("2026-11-30T12:05:00Z"))
        .await
        .unwrap();
    assert_eq!(next["events"], json!(1), "{next}");
    let last = data.lock().unwrap().events.last().cloned().unwrap();
    assert_eq!(
        (last["identifier"].as_str(), last["payload"]["value"].as_str()),
        (Some("duly:nordwind:webhooks_received:2026-11-30T12"), Some("1"))
    );
}

/// Last month's priced usage statement is mailed once, from eight in the morning of the new month's first
/// day in the creditor's zone, in their language, with each line and the total the statement API gives.
#[tokio::test]
async fn last_month_s_statement_is_mailed_once_on_the_new_month_s_first_morning() {
    let local = Local::with_stream("billing-statement").await;
    let emails = three_customers(&local).await;
    duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
        .await
        .unwrap();
    assert_eq!(mails_to(&emails).await, 3);
    let app = duly_billing::App::<duly_adapters::metering::StripeMeters> {
        store: local.store_for("BillingFunction"),
        sink: None,
        notify: Some(local.notify_for("BillingFunction")),
        prices: Default::default(),
    };
    // Counting the stream puts the creditor on November's roster.
    let batch = duly_local::stream::records(local.store.client(), local.store.table()).await;
    duly_billing::handle(&app, &batch, at("2026-11-30T07:20:00Z"))
        .await
        .unwrap();
    let (_, statement) = local
        .api("GET", "/v1/usage?month=2026-11", None, None, at("2026-12-01T09:00:00Z"))
        .await;
    let total = format!("{}\u{a0}€", statement["total"].as_str().unwrap().replace('.', ","));
    let subject = format!("Teie Duly kasutus, november 2026: {total}");
    let mails = || async {
        duly_local::moto::sent_emails()
            .await
            .into_iter()
            .filter(|m| m.subject == subject)
            .count()
    };
    let before = mails().await;
    // 07:30 in Tallinn on 1 December: not yet; 08:05: once; 09:05: not again.
    for (t, told) in [
        ("2026-12-01T05:30:00Z", 0),
        ("2026-12-01T06:05:00Z", 1),
        ("2026-12-01T07:05:00Z", 0),
    ] {
        let run = duly_billing::handle(&app, &json!({}), at(t)).await.unwrap();
        assert_eq!(run["statements"], json!(told), "{t}: {run}");
    }
    assert_eq!(mails().await, before + 1);
    let mail = duly_local::moto::sent_emails()
        .await
        .into_iter()
        .rfind(|m| m.subject == subject)
        .unwrap();
    assert!(
        mail.body.contains("E-kirjad: 3 × ") && mail.body.contains(&format!("Kokku: {total}")),
        "{}",
        mail.body
    );
    assert!(mail.body.replace("&#x2f;", "/").contains("/app/usage"), "{}", mail.body);
}

/// The hourly run tells each creditor on its own: one whose records cannot be read (here a profile that
/// no longer parses) is logged and left for the next hour, and every other creditor still gets its report.
#[tokio::test]
async fn a_creditor_whose_records_cannot_be_read_costs_nobody_else_their_report() {
    use aws_sdk_dynamodb::types::AttributeValue;
    use duly_core::model::ids::CreditorId;

    let local = Local::new("billing-isolated").await;
    let (status, _) = local
        .api(
            "PUT",
            "/v1/notifications",
            Some(json!({"delivery": "each", "report": "week"})),
            None,
            at(T),
        )
        .await;
    assert_eq!(status, 200);
    // "aaa-broken" sorts before the demo creditor, so an all-or-nothing run would stop at it first.
    local
        .store
        .client()
        .put_item()
        .table_name(local.store.table())
        .item("pk", AttributeValue::S("C#aaa-broken".into()))
        .item("sk", AttributeValue::S("PROFILE".into()))
        .item("trading_name", AttributeValue::N("7".into()))
        .send()
        .await
        .unwrap();
    let creditors = [
        duly_local::fixtures::nordwind(),
        CreditorId::parse("aaa-broken").unwrap(),
    ];
    local
        .store
        .put_on_roster("2027-01", &creditors.into_iter().collect())
        .await
        .unwrap();

    let app = duly_billing::App::<duly_adapters::metering::StripeMeters> {
        store: local.store_for("BillingFunction"),
        sink: None,
        notify: Some(local.notify_for("BillingFunction")),
        prices: Default::default(),
    };
    // Monday 11 January 2027, after eight in Tallinn: last week's report is due (a week no other test
    // reports, since the local SES keeps every test's mail).
    let run = duly_billing::handle(&app, &json!({}), at("2027-01-11T06:05:00Z"))
        .await
        .expect("the run goes on past a creditor it cannot read");
    assert_eq!(run["reports"], json!(1), "{run}");
}

/// Workers sending for one creditor at once must not each spend what is left of the cap. Each message's
/// cost is reserved by one conditional write: of ten reservations of 0.06 € against 0.30 €, five hold,
/// whatever their order; and two runs at once with room for one message send one.
#[tokio::test(flavor = "multi_thread")]
async fn runs_at_once_never_spend_past_the_cap() {
    let local = Local::new("billing-reserve").await;
    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let store = local.store.clone();
        tries.spawn(async move {
            store
                .reserve_spend(&duly_local::fixtures::nordwind(), "2026-10", 0, 60_000, 300_000, at(T))
                .await
                .unwrap()
        });
    }
    let held = tries.join_all().await.into_iter().filter(|held| *held).count();
    assert_eq!(held, 5);

    let (status, _) = local
        .api("PUT", "/v1/billing", Some(json!({"monthly_cap": "0.06"})), None, at(T))
        .await;
    assert_eq!(status, 200);
    let emails = three_customers(&local).await;
    let now = at("2026-11-30T07:15:00Z");
    let (a, b) = tokio::join!(
        duly_scheduler::handle(&local.scheduler, now),
        duly_scheduler::handle(&local.scheduler, now)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 1, "{a:?} {b:?}");
    assert_eq!(mails_to(&emails).await, 1);
}
