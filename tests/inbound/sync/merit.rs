//! Merit Aktiva end to end: connected with its API id and key over the connect function, polled by the sync
//! function against a local Merit that checks every signature, throttles, lists in periods of three months
//! and forgets deleted invoices; a payment on the next poll stops the reminder, a deleted invoice closes,
//! a refused key disconnects, and a poll cut short goes on from where it stopped.

use super::*;
use duly_core::platforms::freshness::{stale_because, POLLS_MISSED};
use duly_local::marketplace::{call, stack, Stack};
use duly_local::platforms::merit::{self, Company, Data, API_ID, API_KEY};

pub(super) const CUSTOMER: &str = "7da4cd44-9b49-4a35-8d1b-f339a68e7058";
pub(super) const INVOICE: &str = "5f91033c-9d0f-416e-a079-d3c892b8c317";
const PAID_LONG_AGO: &str = "1b2c3d4e-0000-4000-8000-00000000a001";

/// Duly's id of a Merit invoice.
pub(super) fn merit_invoice(guid: &str) -> String {
    duly_core::platforms::merit::duly_id(guid)
}

/// A Merit company with one customer (its mobile and address as given) and an invoice of €1,240.50 dated
/// 2 November and due Monday 23 November, and an invoice paid long ago.
pub(super) fn company(email: &str, phone: &str) -> Data {
    let mut c = Company::default();
    c.customer(
        json!({"CustomerId": CUSTOMER, "Name": "Mäe Ehitus OÜ", "Email": email, "PhoneNo": phone,
            "CountryCode": "EE", "SalesInvLang": "ET", "CustomerGroupName": "Püsikliendid"}),
        "2026-10-01",
    );
    c.invoice(INVOICE, "ARV-1121", CUSTOMER, "1240.50", "2026-11-02", "2026-11-23");
    c.invoice(PAID_LONG_AGO, "ARV-0917", CUSTOMER, "80.00", "2026-06-01", "2026-06-15");
    c.pay(PAID_LONG_AGO, "80.00", "2026-06-10");
    Arc::new(Mutex::new(c))
}

/// Monday 16 November 2026, 10:00 in Tallinn.
pub(super) fn monday() -> chrono::DateTime<chrono::Utc> {
    at("2026-11-16T08:00:00Z")
}

/// The local stack with Merit at a local server, and Nordwind connected to it; the first poll not yet run.
pub(super) async fn connected(local: &Local, data: &Data) -> Stack {
    let base = merit::serve(data.clone()).await;
    let stack = stack(local, "http://127.0.0.1:9", "http://127.0.0.1:9", "http://127.0.0.1:9").with_merit(&base);
    let body = json!({"api_id": API_ID, "api_key": API_KEY, "region": "ee"}).to_string();
    let answer = call(&stack, "POST", "/connect/merit", Some(&local.token), &body, monday()).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    stack
}

/// The body of a request the local Merit answered (`endpoint body`).
fn body_of(call: &str) -> Value {
    serde_json::from_str(call.split_once(' ').map_or("", |(_, body)| body)).unwrap_or(Value::Null)
}

async fn poll(stack: &Stack, when: chrono::DateTime<chrono::Utc>) -> String {
    duly_sync::handle(&stack.sync, &tick(), when).await.unwrap()
}

async fn invoice(local: &Local, guid: &str) -> duly_core::ledger::Invoice {
    local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse(merit_invoice(guid)).unwrap())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{guid} is held"))
}

/// When a standing poll is next due.
fn due(job: &duly_adapters::store::SyncJob) -> chrono::DateTime<chrono::Utc> {
    duly_adapters::store::parse_ts(&job.noticed_at).unwrap()
}

async fn catch_up(local: &Local) -> duly_adapters::store::SyncJob {
    local
        .store
        .catch_ups(&nordwind())
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.platform == "merit")
        .expect("Merit's standing poll")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_merit_company_is_connected_with_checked_keys_imported_and_polled_on_the_creditors_clock() {
    let local = Local::new("sync-merit-import").await;
    let data = company("arved@mae.example; juhataja@mae.example", "5123 4567");
    // Customers of Merit's Polish edition and of a creditor who writes group names in Latvian and Russian.
    for (id, group) in [
        ("1c9e2f70-0000-4000-8000-00000000c001", "Hurtownie – Łódź"),
        ("1c9e2f70-0000-4000-8000-00000000c002", "Pastāvīgie klienti"),
        ("1c9e2f70-0000-4000-8000-00000000c003", "Клиенты"),
    ] {
        data.lock().unwrap().customer(
            json!({"CustomerId": id, "Name": group, "CountryCode": "PL", "CustomerGroupName": group}),
            "2026-10-01",
        );
    }
    let base = merit::serve(data.clone()).await;
    let plain = stack(&local, "http://127.0.0.1:9", "http://127.0.0.1:9", "http://127.0.0.1:9").with_merit(&base);
    let t0 = monday();

    let items = local.item_count().await;
    let wrong_key = "Zm9yZ2VkLWtleS1vZi1zb21lb25lLWVsc2U=";
    for (body, status) in [
        (json!({"api_id": "not-a-guid", "api_key": API_KEY}), 422),
        (json!({"api_id": API_ID, "api_key": API_KEY, "region": "se"}), 422),
        (json!({"api_id": API_ID}), 400),
        (json!({"api_id": API_ID, "api_key": wrong_key}), 403),
    ] {
        let answer = call(
            &plain,
            "POST",
            "/connect/merit",
            Some(&local.token),
            &body.to_string(),
            t0,
        )
        .await;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert!(
            !answer.body.contains(API_KEY) && !answer.body.contains(wrong_key),
            "{}",
            answer.body
        );
    }
    let refused = call(
        &plain,
        "POST",
        "/connect/merit",
        None,
        &json!({"api_id": API_ID, "api_key": API_KEY}).to_string(),
        t0,
    )
    .await;
    assert_eq!(
        refused.status, 401,
        "a Merit connection is made for a Duly account: {}",
        refused.body
    );
    assert_eq!(local.item_count().await, items, "a refused connection writes nothing");

    let body = json!({"api_id": API_ID, "api_key": API_KEY, "region": "ee"}).to_string();
    let answer = call(&plain, "POST", "/connect/merit", Some(&local.token), &body, t0).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let connection = answer.json()["connection_id"].as_str().unwrap().to_string();
    assert!(!format!(
        "{:?}",
        local
            .store
            .get_connection(&ConnectionId::parse(&connection).unwrap())
            .await
            .unwrap()
    )
    .contains(API_KEY));
    assert!(
        matches!(local.credentials_of(&connection).await, Credentials::Merit { ref api_key, .. } if api_key == API_KEY)
    );
    assert_eq!(
        stale_because(&local.store.sync_states(&nordwind()).await.unwrap(), t0),
        Some(duly_core::platforms::freshness::FIRST_IMPORT)
    );

    let imported = poll(&plain, t0).await;
    assert!(
        imported.contains("5 facts applied"),
        "the customers and the open invoice: {imported}"
    );
    let held = invoice(&local, INVOICE).await;
    assert!(held.is_open());
    assert_eq!(held.balance.unwrap().amount_due.minor, 124_050);
    assert_eq!(held.doc.as_ref().unwrap().number, "ARV-1121");
    assert!(
        local
            .store
            .get_invoice(&nordwind(), &InvoiceId::parse(merit_invoice(PAID_LONG_AGO)).unwrap())
            .await
            .unwrap()
            .is_none(),
        "paid history is not imported"
    );
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse(merit_invoice(CUSTOMER)).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(debtor.email.as_deref(), Some("arved@mae.example"));
    assert_eq!(debtor.phone.as_deref(), Some("+37251234567"));
    assert_eq!(debtor.language.as_deref(), Some("et"));
    assert_eq!(
        debtor.platform_groups,
        ["Püsikliendid"],
        "the group's name as Merit writes it"
    );
    let groups = local.store.get_creditor(&nordwind()).await.unwrap().unwrap().groups;
    let named: Vec<(&str, &str)> = groups.iter().map(|(id, g)| (id.as_str(), g.name.as_str())).collect();
    assert_eq!(
        named,
        [
            ("hurtownie-lodz", "Hurtownie – Łódź"),
            ("klienty", "Клиенты"),
            ("pastavigie-klienti", "Pastāvīgie klienti"),
            ("pusikliendid", "Püsikliendid")
        ],
        "offered as Merit writes them"
    );
    let calls = data.lock().unwrap().calls.clone();
    assert_eq!(
        calls[0], r#"v1/getcustomers {"Id":"00000000-0000-0000-0000-000000000000"}"#,
        "the key is checked"
    );
    assert_eq!(calls[1], "v1/getcustomers {}", "the first import reads every customer");
    let periods: Vec<&String> = calls.iter().filter(|c| c.starts_with("v2/getinvoices")).collect();
    assert_eq!(
        periods.len(),
        5,
        "a year of open invoices in periods of three months: {periods:?}"
    );
    assert_eq!(
        body_of(periods[0]),
        json!({"PeriodStart": "20251116", "PeriodEnd": "20260215", "UnPaid": true, "DateType": 0})
    );
    assert_eq!(
        stale_because(&local.store.sync_states(&nordwind()).await.unwrap(), t0),
        None
    );

    // Business hours in Tallinn: the next poll is ten minutes on, and nothing is asked before it.
    let job = catch_up(&local).await;
    assert_eq!(due(&job), at("2026-11-16T08:10:00Z"));
    let asked = data.lock().unwrap().calls.len();
    poll(&plain, t0 + Duration::minutes(5)).await;
    assert_eq!(data.lock().unwrap().calls.len(), asked);
    // The next poll asks what changed since the day of the last, and sweeps what Duly holds open.
    poll(&plain, t0 + Duration::minutes(10)).await;
    let calls = data.lock().unwrap().calls[asked..].to_vec();
    assert_eq!(calls[0], r#"v1/getcustomers {"ChangedDate":"20261116"}"#);
    assert_eq!(
        body_of(&calls[1]),
        json!({"PeriodStart": "20261116", "PeriodEnd": "20261116", "UnPaid": false, "DateType": 1})
    );
    assert_eq!(
        body_of(&calls[2])["PeriodStart"],
        "20260816",
        "the sweep reaches back one period"
    );
    assert_eq!(
        body_of(&calls[3])["PeriodStart"],
        "20261116",
        "and on to today, three months at a time"
    );
    assert_eq!(calls.len(), 4, "nothing changed, so nothing is read in full: {calls:?}");
    // Nothing changed, so nothing was written for the invoice.
    assert_eq!(invoice(&local, INVOICE).await.rev, held.rev);

    // At night the next poll is an hour on; with two polls missed, reminders wait.
    let night = at("2026-11-16T20:00:00Z");
    poll(&plain, night).await;
    assert_eq!(due(&catch_up(&local).await), at("2026-11-16T21:00:00Z"));
    let states = local.store.sync_states(&nordwind()).await.unwrap();
    assert_eq!(stale_because(&states, night + Duration::minutes(90)), None);
    assert_eq!(
        stale_because(&states, night + Duration::minutes(126)),
        Some(POLLS_MISSED)
    );
}

/// A payment booked in Merit is seen on the next poll: the invoice closes with the payment itemised, and the
/// reminder its plan had next does not go.
#[tokio::test(flavor = "multi_thread")]
async fn a_payment_seen_on_the_next_poll_stops_the_reminder() {
    let local = Local::new("sync-merit-payment").await;
    let (email, _) = local.unique_contact();
    let data = company(&email, "");
    let stack = connected(&local, &data).await;
    poll(&stack, monday()).await;
    let id = merit_invoice(INVOICE);
    let due_at = local.next_planned_at(&id, monday()).await;

    let t1 = due_at - Duration::hours(2);
    data.lock()
        .unwrap()
        .pay(INVOICE, "1240.50", &t1.date_naive().to_string());
    let polled = poll(&stack, t1).await;
    assert!(polled.contains("facts applied"), "{polled}");
    let paid = invoice(&local, INVOICE).await;
    assert!(!paid.is_open(), "{paid:?}");
    let history = local
        .store
        .balance_history(&nordwind(), &InvoiceId::parse(&id).unwrap())
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "the payment is itemised: {history:?}");
    assert_eq!(
        (history[0].amount, history[0].at.date_naive()),
        (124_050, t1.date_naive())
    );
    // Read again on the next poll, the payment is not counted twice.
    poll(&stack, t1 + Duration::hours(1)).await;
    assert_eq!(
        local
            .store
            .balance_history(&nordwind(), &InvoiceId::parse(&id).unwrap())
            .await
            .unwrap()
            .len(),
        1
    );

    let before = duly_local::moto::sent_emails().await.len();
    let run = duly_scheduler::handle(&local.scheduler, due_at + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(run.sent, 0, "{run:?}");
    let to_them = duly_local::moto::sent_emails()
        .await
        .into_iter()
        .skip(before)
        .filter(|m| m.destinations.to.contains(&email))
        .count();
    assert_eq!(to_them, 0);
}

/// An invoice deleted in Merit is no longer listed and reads as nothing: the next poll closes it, and its
/// reminder does not go.
#[tokio::test(flavor = "multi_thread")]
async fn an_invoice_deleted_in_merit_is_closed_on_the_next_poll() {
    let local = Local::new("sync-merit-deleted").await;
    let (email, _) = local.unique_contact();
    let data = company(&email, "");
    let stack = connected(&local, &data).await;
    poll(&stack, monday()).await;
    let due_at = local.next_planned_at(&merit_invoice(INVOICE), monday()).await;

    data.lock().unwrap().delete(INVOICE);
    let t1 = due_at - Duration::hours(2);
    poll(&stack, t1).await;
    let gone = invoice(&local, INVOICE).await;
    assert!(gone.voided_at.is_some() && !gone.is_open(), "{gone:?}");
    let calls = data.lock().unwrap().calls.clone();
    assert!(
        calls
            .iter()
            .any(|c| c.starts_with("v2/getinvoice ") && body_of(c)["Id"] == INVOICE),
        "missing from the unpaid list, it is read once to tell a payment from a deletion: {calls:?}"
    );
    let run = duly_scheduler::handle(&local.scheduler, due_at + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(run.sent, 0, "{run:?}");
}

/// A key the creditor deleted in Merit is refused: there is nothing to renew, so the connection stops, the
/// reminders with it, and the creditor is told.
#[tokio::test(flavor = "multi_thread")]
async fn a_key_merit_no_longer_accepts_disconnects_and_the_creditor_is_told() {
    let local = Local::new("sync-merit-key-gone").await;
    let data = company("arved@mae.example", "");
    let stack = connected(&local, &data).await;
    poll(&stack, monday()).await;
    data.lock().unwrap().revoked = true;
    let t1 = monday() + Duration::minutes(10);
    poll(&stack, t1).await;
    let creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert_eq!(creditor.disconnected.map(|d| d.platform).as_deref(), Some("merit"));
    let notices = local.store.notices(&nordwind()).await.unwrap();
    assert!(
        notices
            .iter()
            .any(|n| n.notice.event == format!("revoked:merit:{}", t1.date_naive())),
        "{notices:?}"
    );
    let connection = local
        .store
        .linked(&nordwind())
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.platform == "merit")
        .unwrap();
    assert!(!connection.active, "{connection:?}");
}

/// A poll that fails half-way (Merit answers 500 on its fourth request, the sweep's first) keeps what it applied and its
/// place: the next run goes on from the step that failed, reads nothing twice, and misses nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_poll_that_dies_half_way_goes_on_from_where_it_stopped() {
    let local = Local::new("sync-merit-half-way").await;
    let data = company("arved@mae.example", "");
    let stack = connected(&local, &data).await;
    poll(&stack, monday()).await;

    let t1 = monday() + Duration::minutes(10);
    let second = "8c1e2f3a-0000-4000-8000-00000000b002";
    {
        let mut c = data.lock().unwrap();
        c.invoice(second, "ARV-1130", CUSTOMER, "300.00", "2026-11-16", "2026-11-30");
        c.pay(INVOICE, "240.50", "2026-11-16");
        let asked = c.calls.len();
        // Customers, the changes, the paid invoice read in full; then the sweep fails.
        c.fail_from = Some(asked + 4);
    }
    let failed = poll(&stack, t1).await;
    assert!(failed.contains("1 retried later"), "{failed}");
    assert!(
        invoice(&local, second).await.is_open(),
        "the changes read before the failure are applied"
    );
    let job = catch_up(&local).await;
    assert!(job.cursor.as_deref().is_some_and(|c| c.starts_with("open:")), "{job:?}");

    let asked = {
        let mut c = data.lock().unwrap();
        c.fail_from = None;
        c.calls.len()
    };
    poll(&stack, t1 + Duration::minutes(2)).await;
    let resumed = data.lock().unwrap().calls[asked..].to_vec();
    assert!(
        resumed[0].starts_with("v2/getinvoices") && body_of(&resumed[0])["UnPaid"] == true,
        "{resumed:?}"
    );
    assert!(
        !resumed
            .iter()
            .any(|c| c.starts_with("v1/getcustomers") || body_of(c)["DateType"] == 1),
        "{resumed:?}"
    );
    let partly = invoice(&local, INVOICE).await;
    assert_eq!(
        partly.balance.unwrap().amount_due.minor,
        100_000,
        "the payment found on the way is applied"
    );
    let history = local
        .store
        .balance_history(&nordwind(), &InvoiceId::parse(merit_invoice(INVOICE)).unwrap())
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    let job = catch_up(&local).await;
    assert_eq!(job.cursor, None, "the poll finished");
}

/// Merit throttles at 60 requests a minute: a 429 is sent once more after the wait, signed with a new
/// timestamp (Merit refuses it again with the one it throttled); throttled again, the poll waits for a later run.
#[tokio::test(flavor = "multi_thread")]
async fn a_throttled_request_is_sent_again_with_a_fresh_timestamp() {
    let local = Local::new("sync-merit-throttled").await;
    let data = company("arved@mae.example", "");
    let stack = connected(&local, &data).await;
    data.lock().unwrap().throttle_next = 1;
    let stamps_before = data.lock().unwrap().stamps.len();
    let imported = poll(&stack, monday()).await;
    assert!(imported.contains("2 facts applied"), "{imported}");
    let stamps = data.lock().unwrap().stamps[stamps_before..].to_vec();
    assert_ne!(stamps[0], stamps[1], "the throttled request and its retry: {stamps:?}");

    data.lock().unwrap().throttle_next = 2;
    let t1 = monday() + Duration::minutes(10);
    let throttled = poll(&stack, t1).await;
    assert!(throttled.contains("1 retried later"), "{throttled}");
    let job = catch_up(&local).await;
    assert_eq!(job.attempts, 1);
}

/// The invoice itself goes with the first reminder about it (the creditor's default): fetched from Merit
/// once, kept beside the invoice, attached as the PDF Merit prints; the next reminder goes without it. A
/// Merit that has no PDF to give, or one over the size limit, holds nothing back: the reminder goes without.
#[tokio::test(flavor = "multi_thread")]
async fn the_invoice_from_merit_goes_with_the_first_reminder_only() {
    for (without, too_large) in [(false, false), (true, false), (false, true)] {
        let local = Local::new(&format!("sync-merit-document-{without}-{too_large}")).await;
        let (email, _) = local.unique_contact();
        let data = company(&email, "");
        data.lock().unwrap().no_documents = without;
        if too_large {
            data.lock().unwrap().document_padding = duly_adapters::store::MAX_DOCUMENT_BYTES;
        }
        let stack = connected(&local, &data).await;
        poll(&stack, monday()).await;
        let id = InvoiceId::parse(merit_invoice(INVOICE)).unwrap();
        let held = local.store.get_document(&nordwind(), &id).await.unwrap();
        let asked = data
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|c| c.starts_with("v2/getsalesinvpdf"))
            .count();
        assert_eq!(asked, 1, "asked once, while the connection is open");
        match (without, too_large) {
            (false, false) => {
                let held = held.expect("the document is kept beside the invoice");
                assert_eq!(held.file_name, "ARV-1121.pdf");
                assert!(held.content.as_ref().is_some_and(|c| c.starts_with(b"%PDF-")));
            }
            (true, _) => assert_eq!(held, None),
            (false, true) => assert_eq!(held.map(|d| d.content), Some(None), "its name only"),
        }

        let mut attached = Vec::new();
        let mut at = monday();
        for _ in 0..2 {
            let next = local.next_planned_at(id.as_str(), at).await;
            poll(&stack, next - Duration::minutes(5)).await;
            let before = duly_local::moto::sent_emails().await.len();
            let run = duly_scheduler::handle(&local.scheduler, next + Duration::minutes(5))
                .await
                .unwrap();
            assert!(run.sent >= 1, "{run:?}");
            let mails: Vec<_> = duly_local::moto::sent_emails()
                .await
                .into_iter()
                .skip(before)
                .filter(|m| m.destinations.to.contains(&email))
                .collect();
            assert_eq!(mails.len(), 1);
            attached.push(
                mails[0]
                    .attachments
                    .iter()
                    .map(|a| (a.file_name.clone(), a.pdf))
                    .collect::<Vec<_>>(),
            );
            at = next + Duration::minutes(10);
        }
        let expected: Vec<Vec<(String, bool)>> = match (without, too_large) {
            (false, false) => vec![vec![("ARV-1121.pdf".into(), true)], vec![]],
            _ => vec![vec![], vec![]],
        };
        assert_eq!(
            attached, expected,
            "without a document: {without}, too large: {too_large}"
        );
    }
}
