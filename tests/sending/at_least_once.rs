//! Platforms deliver at least once and in any order, often in parallel: against the local DynamoDB, the
//! same delivery a thousand times has one effect, every order of a realistic history ends in the same
//! ledger, and fifty deliveries for one debtor at once lose no update.

use std::sync::Arc;

use chrono::Duration;
use tokio::task::JoinSet;

use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::fixtures::{facts, nordwind};
use duly_local::{at, Local};

/// A small deterministic generator, so that a failing order can be replayed from its seed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % bound as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.next(i + 1));
        }
    }
}

/// Created, updated, partly paid, credited, paid in full, voided: each as `(webhook id, body)`.
fn history(invoice: &str) -> Vec<(String, String)> {
    let d = "cus-perm";
    vec![
        (
            format!("{invoice}-created"),
            facts::invoice(
                invoice,
                d,
                "1000.00",
                "1000.00",
                "2026-12-01",
                "open",
                "2026-11-16T09:00:00Z",
            ),
        ),
        (
            format!("{invoice}-updated"),
            facts::invoice(
                invoice,
                d,
                "1000.00",
                "1000.00",
                "2026-12-08",
                "open",
                "2026-11-18T09:00:00Z",
            ),
        ),
        (
            format!("{invoice}-partly-paid"),
            facts::payment(
                &format!("{invoice}-pay-1"),
                invoice,
                "400.00",
                "600.00",
                "2026-11-20T10:00:00Z",
            ),
        ),
        (
            format!("{invoice}-credited"),
            facts::credit_note(
                &format!("{invoice}-cn-1"),
                invoice,
                "500.00",
                "100.00",
                "2026-11-22T10:00:00Z",
            ),
        ),
        (
            format!("{invoice}-paid"),
            facts::payment(
                &format!("{invoice}-pay-2"),
                invoice,
                "100.00",
                "0",
                "2026-11-25T10:00:00Z",
            ),
        ),
        (
            format!("{invoice}-voided"),
            facts::void(invoice, "2026-11-26T10:00:00Z"),
        ),
    ]
}

/// The ledger entry with its identity and write count taken out, for comparing different invoices.
async fn ledger_of(local: &Local, invoice: &str) -> String {
    let mut stored = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse(invoice).unwrap())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{invoice} is in the ledger"));
    stored.rev = 0;
    format!("{stored:?}").replace(invoice, "INVOICE")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_order_of_a_history_ends_in_the_same_ledger_as_in_order() {
    let local = Local::new("permutations").await;
    let now = at("2026-11-27T00:00:00Z");
    for (id, body) in history("perm-in-order") {
        assert_eq!(local.deliver(&id, &body, now).await.0, 200);
    }
    let expected = ledger_of(&local, "perm-in-order").await;
    assert!(expected.contains("voided_at: Some("), "{expected}");

    // The local endpoint copies a whole table for every transaction, so each batch of orders gets a
    // small table of its own; ten batches of ten run side by side.
    let mut rng = Lcg(0x5eed);
    let mut batches = JoinSet::new();
    for batch in 0..10 {
        let mut orders = Vec::new();
        for n in 0..10 {
            let invoice = format!("perm-{batch}{n}");
            let mut events = history(&invoice);
            rng.shuffle(&mut events);
            // Each arrives once, and a random one of them again later.
            let again = events[rng.next(events.len())].clone();
            events.push(again);
            orders.push((invoice, events));
        }
        batches.spawn(async move {
            let local = Local::new(&format!("permutations-{batch}")).await;
            let mut ledgers = Vec::new();
            for (invoice, events) in orders {
                for (id, body) in &events {
                    let (status, answer) = local.deliver(id, body, now).await;
                    assert_eq!(status, 200, "{invoice}: {answer}");
                }
                let order: Vec<String> = events.into_iter().map(|(id, _)| id).collect();
                ledgers.push((ledger_of(&local, &invoice).await, order));
            }
            ledgers
        });
    }
    let mut checked = 0;
    while let Some(done) = batches.join_next().await {
        for (ledger, order) in done.unwrap() {
            assert_eq!(ledger, expected, "order {order:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 100);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_delivery_a_thousand_times_has_one_effect() {
    let local = Arc::new(Local::new("thousand").await);
    let t = "2026-11-16T09:00:00Z";
    let invoice = facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", t);
    assert_eq!(local.deliver("i1", &invoice, at(t)).await.0, 200);
    let rev_before = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap()
        .rev;
    let payment = Arc::new(facts::payment(
        "pay-1",
        "1001",
        "250.00",
        "1000.00",
        "2026-11-20T10:00:00Z",
    ));
    let mut outcomes: Vec<String> = Vec::new();
    // In waves of 25 at once, as a sender's retries overlap.
    for wave in 0..40 {
        let mut tasks = JoinSet::new();
        for _ in 0..25 {
            let (local, payment) = (local.clone(), payment.clone());
            tasks.spawn(async move {
                // Received after the payment was made, as a platform sends it.
                let received = at("2026-11-20T10:05:00Z") + Duration::seconds(wave);
                let (status, body) = local.deliver("p1", &payment, received).await;
                assert_eq!(status, 200, "{body}");
                body["status"].as_str().unwrap().to_string()
            });
        }
        while let Some(outcome) = tasks.join_next().await {
            outcomes.push(outcome.unwrap());
        }
    }
    assert_eq!(outcomes.len(), 1000);
    assert_eq!(outcomes.iter().filter(|o| *o == "applied").count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| *o == "duplicate").count(), 999);
    let stored = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.balance.unwrap().amount_due.minor, 100_000);
    assert_eq!(stored.rev, rev_before + 1, "one write changed the invoice");
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_deliveries_for_one_debtor_at_once_lose_no_update() {
    let local = Arc::new(Local::new("parallel").await);
    let t = at("2026-11-16T09:00:00Z");
    let mut tasks = JoinSet::new();
    // 25 invoices of one debtor and, at the same moment, a partial payment of each: a payment may land
    // before its invoice.
    for i in 0..25 {
        let (first, second) = (local.clone(), local.clone());
        tasks.spawn(async move {
            let id = format!("par-{i:02}");
            let body = facts::invoice(
                &id,
                "cus-par",
                "100.00",
                "100.00",
                "2026-12-01",
                "open",
                "2026-11-16T09:00:00Z",
            );
            first.deliver(&format!("inv-{i}"), &body, t).await
        });
        tasks.spawn(async move {
            let id = format!("par-{i:02}");
            let body = facts::payment(&format!("pay-{i}"), &id, "30.00", "70.00", "2026-11-16T10:00:00Z");
            second.deliver(&format!("pay-{i}"), &body, t).await
        });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.unwrap();
        assert_eq!(status, 200, "{body}");
    }
    let open = local
        .store
        .open_invoices_of(&nordwind(), &DebtorId::parse("cus-par").unwrap())
        .await
        .unwrap();
    assert_eq!(open.len(), 25, "every invoice is open and on the debtor's balance");
    let balance: i64 = open.iter().map(|i| i.balance.unwrap().amount_due.minor).sum();
    assert_eq!(balance, 25 * 7_000, "every payment counted once");
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_payments_on_one_invoice_at_once_keep_the_newest_balance_and_every_record() {
    let local = Arc::new(Local::new("one-invoice").await);
    let t = at("2026-11-16T09:00:00Z");
    let invoice = facts::invoice(
        "9001",
        "cus-1",
        "5000.00",
        "5000.00",
        "2026-12-01",
        "open",
        "2026-11-16T09:00:00Z",
    );
    assert_eq!(local.deliver("i", &invoice, t).await.0, 200);
    let mut tasks = JoinSet::new();
    for i in 1..=50 {
        let local = local.clone();
        tasks.spawn(async move {
            let paid_at = (t + Duration::minutes(i)).to_rfc3339();
            let left = format!("{}.00", 5000 - 100 * i);
            let body = facts::payment(&format!("p-{i}"), "9001", "100.00", &left, &paid_at);
            local.deliver(&format!("p{i}"), &body, t + Duration::hours(2)).await
        });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.unwrap();
        // A payment older than one already applied is recorded and changes no balance: "stale".
        assert!(
            status == 200 && matches!(body["status"].as_str(), Some("applied" | "stale")),
            "{body}"
        );
    }
    let records = local
        .store
        .client()
        .query()
        .table_name(local.store.table())
        .key_condition_expression("pk = :pk AND begins_with(sk, :pay)")
        .expression_attribute_values(
            ":pk",
            aws_sdk_dynamodb::types::AttributeValue::S("C#nordwind#I#9001".into()),
        )
        .expression_attribute_values(":pay", aws_sdk_dynamodb::types::AttributeValue::S("PAY#".into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    assert_eq!(records.items().len(), 50, "every payment is recorded");
    let stored = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("9001").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.balance.unwrap().amount_due.minor, 0, "the newest report wins");
    assert!(!stored.is_open());
}

/// A debtor's controls are changed from many places (the creditor's API, the debtor's answers, bounces,
/// SMS STOP). Fifty changes at once, of three different switches, lose none of them.
#[tokio::test(flavor = "multi_thread")]
async fn fifty_changes_to_one_debtors_controls_at_once_lose_none() {
    let local = Arc::new(Local::new("controls-race").await);
    let t = "2026-11-16T09:00:00Z";
    let (email, _) = local.unique_contact();
    assert_eq!(
        local
            .deliver("c1", &facts::contact("cus-1", &email, None, t), at(t))
            .await
            .0,
        200
    );
    let group = duly_core::policy::CustomerGroup {
        name: String::new(),
        enabled: false,
        steps: None,
        platform_groups: Vec::new(),
        place: Default::default(),
        statement: None,
        attach_invoice: None,
    };
    duly_app::settings::put_group(&local.store, &nordwind(), "wholesale", Some(group), at(t))
        .await
        .unwrap();
    let debtor = DebtorId::parse("cus-1").unwrap();
    let mut tasks = JoinSet::new();
    for i in 0..50 {
        let (local, debtor) = (local.clone(), debtor.clone());
        tasks.spawn(async move {
            let store = &local.store;
            let now = at(t);
            match i {
                0 => duly_app::settings::set_debtor_group(store, &nordwind(), &debtor, Some("wholesale".into()), now)
                    .await
                    .map(drop),
                1 => {
                    let off: duly_core::settings::OverrideInput =
                        serde_json::from_value(serde_json::json!({"on": false, "reason": "talking to them"})).unwrap();
                    duly_app::settings::set_debtor_reminders(store, &nordwind(), &debtor, Some(off), now)
                        .await
                        .map(drop)
                }
                _ => duly_app::settings::set_debtor_opt_out(
                    store,
                    &nordwind(),
                    &debtor,
                    [duly_core::policy::Channel::Sms].into(),
                    now,
                )
                .await
                .map(drop),
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
    let controls = local
        .store
        .get_debtor(&nordwind(), &debtor)
        .await
        .unwrap()
        .unwrap()
        .controls;
    assert_eq!(controls.group.as_deref(), Some("wholesale"), "{controls:?}");
    assert!(controls.reminders.as_ref().is_some_and(|r| !r.on), "{controls:?}");
    assert!(
        controls.opted_out.contains(&duly_core::policy::Channel::Sms),
        "{controls:?}"
    );
}

/// A creditor's settings are one record that the API, connecting and syncing all change: fifty changes at
/// once (twenty-five groups, twenty-five templates) lose none.
#[tokio::test(flavor = "multi_thread")]
async fn fifty_changes_to_one_creditors_settings_at_once_lose_none() {
    let local = Arc::new(Local::new("settings-race").await);
    let now = at("2026-11-16T09:00:00Z");
    let mut tasks = JoinSet::new();
    for i in 0..50 {
        let local = local.clone();
        tasks.spawn(async move {
            if i % 2 == 0 {
                let group = duly_core::policy::CustomerGroup {
                    name: String::new(),
                    enabled: true,
                    steps: None,
                    platform_groups: Vec::new(),
                    place: Default::default(),
                    statement: None,
                    attach_invoice: None,
                };
                duly_app::settings::put_group(&local.store, &nordwind(), &format!("group-{i}"), Some(group), now)
                    .await
                    .map(drop)
            } else {
                let language = duly_core::locale::Language::ALL[i % 8];
                let name = ["email.txt", "sms", "email.html"][i % 3];
                let source = if name == "email.html" {
                    format!("<p>{i}</p>{{{{ body | join }}}}")
                } else {
                    format!("{i} {{{{ sms_text }}}}")
                };
                duly_app::settings::put_template(&local.store, &nordwind(), language, name, Some(source)).await
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
    let creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    let groups = creditor.groups.keys().filter(|g| g.starts_with("group-")).count();
    assert_eq!(groups, 25, "{:?}", creditor.groups.keys().collect::<Vec<_>>());
    let expected: std::collections::BTreeSet<String> = (0..50)
        .filter(|i| i % 2 == 1)
        .map(|i: usize| {
            let language = duly_core::locale::Language::ALL[i % 8];
            format!("{}/{}", language.code(), ["email.txt", "sms", "email.html"][i % 3])
        })
        .collect();
    let kept: std::collections::BTreeSet<String> = creditor.templates.keys().cloned().collect();
    assert_eq!(kept, expected);
}
