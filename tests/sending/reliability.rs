//! Breaking Duly on purpose: the scheduler killed between its steps, SES and SNS unavailable or failing for
//! good, DynamoDB throttling a tenth of all calls. Every fault comes from a proxy in front of the local
//! endpoint; the functions talk to it as they talk to AWS.
//!
//! The chosen semantics, which these tests pin down: a claimed message is sent at least once. A run that
//! dies after claiming leaves the message on the due index, and the next run after the lease (ten
//! minutes) sends every channel not yet recorded. Only a crash in the moments between a provider
//! accepting a channel and its record sends that channel twice.

use chrono::Duration;

use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::faults::{Fault, FaultProxy, Service};
use duly_local::fixtures::{facts, nordwind};
use duly_local::moto::{sent_emails, sent_sms};
use duly_local::{at, Local};

async fn emails_to(address: &str) -> usize {
    sent_emails()
        .await
        .into_iter()
        .filter(|e| e.destinations.to.iter().any(|t| t == address))
        .count()
}

async fn sms_to(phone: &str) -> usize {
    sent_sms().await.into_iter().filter(|s| s.phone_number == phone).count()
}

/// A debtor with an open invoice due Tuesday 1 December 2026: a friendly e-mail is due Monday 30 November
/// at 09:00 Tallinn, the first overdue reminder (e-mail and SMS) Wednesday 2 December at 09:00.
async fn seed(local: &Local) -> (String, String) {
    let (email, phone) = local.unique_contact();
    let t = "2026-11-16T09:00:00Z";
    let contact = facts::contact("cus-1", &email, Some(&phone), t);
    assert_eq!(local.deliver("c1", &contact, at(t)).await.0, 200);
    let invoice = facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", t);
    assert_eq!(local.deliver("i1", &invoice, at(t)).await.0, 200);
    (email, phone)
}

async fn run(local: &Local, when: chrono::DateTime<chrono::Utc>) -> duly_scheduler::Summary {
    duly_scheduler::handle(&local.scheduler, when)
        .await
        .expect("scheduler run")
}

/// Runs the scheduler until the proxy holds the call it waits for, then drops the run mid-flight: the
/// process dies there.
async fn crash_at_held_call(local: &Local, proxy: &FaultProxy, when: chrono::DateTime<chrono::Utc>) {
    tokio::select! {
        summary = run(local, when) => panic!("the run should have hung on the held call: {summary:?}"),
        () = proxy.held() => {}
    }
}

async fn message_status(local: &Local) -> Vec<String> {
    local
        .store
        .messages(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .iter()
        .map(|m| m["status"].as_s().unwrap().clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_killed_after_its_claim_and_before_sending_is_finished_by_a_later_run_exactly_once() {
    let proxy = FaultProxy::start().await;
    let local = Local::through("crash-claim", &proxy).await;
    let (email, _) = seed(&local).await;
    let t = at("2026-11-30T07:15:00Z");

    proxy.inject(Service::SesSendEmail, Fault::HoldBefore);
    crash_at_held_call(&local, &proxy, t).await;
    proxy.heal();
    assert_eq!(emails_to(&email).await, 0, "SES never saw it");
    assert_eq!(message_status(&local).await, ["claimed"]);

    // Within the lease nobody touches it: the dead run might still be alive.
    let early = run(&local, t + Duration::minutes(5)).await;
    assert_eq!((early.recovered, early.sent), (0, 0));
    assert_eq!(emails_to(&email).await, 0);

    let later = run(&local, t + Duration::minutes(11)).await;
    assert_eq!(later.recovered, 1);
    assert_eq!(emails_to(&email).await, 1);
    assert_eq!(message_status(&local).await, ["sent"]);
    let again = run(&local, t + Duration::minutes(40)).await;
    assert_eq!((again.recovered, again.sent), (0, 0));
    assert_eq!(emails_to(&email).await, 1, "never twice");
    let usage = local.store.usage(&nordwind(), "2026-11").await.unwrap();
    assert_eq!((usage.reminders, usage.emails), (1, 1), "metered once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_killed_between_the_email_and_the_sms_sends_only_the_sms_later() {
    let proxy = FaultProxy::start().await;
    let local = Local::through("crash-between", &proxy).await;
    let (email, phone) = seed(&local).await;
    // The pre-due nudge goes out first, then the overdue reminder by e-mail and SMS.
    assert_eq!(run(&local, at("2026-11-30T07:15:00Z")).await.sent, 1);
    let t = at("2026-12-02T07:15:00Z");

    proxy.inject(Service::Sns, Fault::HoldBefore);
    crash_at_held_call(&local, &proxy, t).await;
    proxy.heal();
    assert_eq!((emails_to(&email).await, sms_to(&phone).await), (2, 0));

    let later = run(&local, t + Duration::minutes(11)).await;
    assert_eq!(later.recovered, 1);
    assert_eq!(
        (emails_to(&email).await, sms_to(&phone).await),
        (2, 1),
        "the recorded e-mail is not sent again"
    );
    assert_eq!(message_status(&local).await, ["sent", "sent"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_killed_after_ses_accepted_and_before_the_record_sends_again_at_least_once() {
    let proxy = FaultProxy::start().await;
    let local = Local::through("crash-record", &proxy).await;
    let (email, _) = seed(&local).await;
    let t = at("2026-11-30T07:15:00Z");

    proxy.inject(Service::SesSendEmail, Fault::HoldAfter);
    crash_at_held_call(&local, &proxy, t).await;
    proxy.heal();
    assert_eq!(emails_to(&email).await, 1, "SES accepted it");

    run(&local, t + Duration::minutes(11)).await;
    // The documented window: the debtor gets this reminder twice rather than not at all.
    assert_eq!(emails_to(&email).await, 2);
    assert_eq!(message_status(&local).await, ["sent"]);
    run(&local, t + Duration::minutes(40)).await;
    assert_eq!(emails_to(&email).await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_claimed_before_a_payment_is_abandoned_rather_than_finished() {
    let proxy = FaultProxy::start().await;
    let local = Local::through("crash-paid", &proxy).await;
    let (email, _) = seed(&local).await;
    let t = at("2026-11-30T07:15:00Z");
    proxy.inject(Service::SesSendEmail, Fault::HoldBefore);
    crash_at_held_call(&local, &proxy, t).await;
    proxy.heal();
    let paid_at = "2026-11-30T07:18:00Z";
    let payment = facts::payment("pay-1", "1001", "1250.00", "0", paid_at);
    assert_eq!(local.deliver("p1", &payment, at(paid_at)).await.0, 200);

    run(&local, t + Duration::minutes(11)).await;
    assert_eq!(emails_to(&email).await, 0, "no reminder about a paid invoice");
    assert_eq!(message_status(&local).await, ["abandoned"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn ses_unavailable_delays_the_reminder_and_loses_nothing() {
    let proxy = FaultProxy::start().await;
    let local = Local::through("ses-down", &proxy).await;
    let (email, _) = seed(&local).await;
    let t = at("2026-11-30T07:15:00Z");

    proxy.inject(Service::Ses, Fault::Down);
    let down = run(&local, t).await;
    assert_eq!((down.sent, down.deferred), (1, 1), "{down:?}");
    assert!(down.reminders[0]
        .failures
        .iter()
        .any(|f| f.starts_with("email not sent")));
    assert_eq!(emails_to(&email).await, 0);
    assert_eq!(message_status(&local).await, ["claimed"]);

    proxy.heal();
    let back = run(&local, t + Duration::minutes(6)).await;
    assert_eq!(back.recovered, 1, "{back:?}");
    assert_eq!(emails_to(&email).await, 1);
    assert_eq!(message_status(&local).await, ["sent"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_no_provider_will_take_ends_as_a_dead_letter_the_creditor_sees() {
    let proxy = FaultProxy::start().await;
    let local = Local::through("ses-gone", &proxy).await;
    let (email, _) = seed(&local).await;
    proxy.inject(Service::Ses, Fault::Down);
    let mut t = at("2026-11-30T07:15:00Z");
    let mut runs = 0;
    let mut dead_letters = 0;
    while message_status(&local).await != ["failed"] {
        dead_letters += run(&local, t).await.dead_letters;
        t += Duration::hours(7);
        runs += 1;
        assert!(
            runs <= 10,
            "gives up after its attempts: {:?}",
            message_status(&local).await
        );
    }
    assert_eq!(
        runs,
        duly_adapters::store::MAX_DELIVERY_ATTEMPTS as usize,
        "every attempt was made"
    );
    assert_eq!(emails_to(&email).await, 0);
    assert_eq!(dead_letters, 1, "the run that gave up counts it, for the alarm");
    let (status, letters) = local.api("GET", "/v1/dead-letters", None, None, t).await;
    assert_eq!(status, 200);
    assert_eq!(letters[0]["kind"], "message", "{letters}");
    assert_eq!(letters[0]["debtor_id"], "cus-1");
    assert!(!letters[0]["failures"].as_array().unwrap().is_empty());
    proxy.heal();
    run(&local, t + Duration::days(1)).await;
    assert_eq!(emails_to(&email).await, 0, "a dead letter is not retried by itself");
}

#[tokio::test(flavor = "multi_thread")]
async fn dynamodb_throttling_a_tenth_of_all_calls_loses_and_doubles_nothing() {
    let proxy = FaultProxy::start().await;
    let local = Local::through("throttled", &proxy).await;
    proxy.inject(Service::DynamoDb, Fault::Throttle { every: 10 });
    let t = "2026-11-16T09:00:00Z";
    let mut contacts = Vec::new();
    for d in 0..12 {
        let (email, _) = local.unique_contact();
        let email = email.replace("ap-", &format!("ap{d}-"));
        let debtor = format!("cus-{d}");
        let contact = facts::contact(&debtor, &email, None, t);
        assert_eq!(local.deliver(&format!("c{d}"), &contact, at(t)).await.0, 200);
        let invoice = facts::invoice(
            &format!("10{d:02}"),
            &debtor,
            "100.00",
            "100.00",
            "2026-12-01",
            "open",
            t,
        );
        assert_eq!(local.deliver(&format!("i{d}"), &invoice, at(t)).await.0, 200);
        // Every delivery arrives twice, as senders do.
        assert_eq!(
            local.deliver(&format!("i{d}"), &invoice, at(t)).await.1["status"],
            "duplicate"
        );
        contacts.push(email);
    }
    let first = run(&local, at("2026-11-30T07:15:00Z")).await;
    let second = run(&local, at("2026-11-30T07:45:00Z")).await;
    assert!(proxy.injected() >= 5, "faults were injected: {}", proxy.injected());
    assert_eq!(first.sent + second.sent, 12, "{first:?} {second:?}");
    for email in &contacts {
        assert_eq!(emails_to(email).await, 1, "{email}");
    }
    for d in 0..12 {
        let invoice = local
            .store
            .get_invoice(&nordwind(), &InvoiceId::parse(format!("10{d:02}")).unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(invoice.balance.unwrap().amount_due.minor, 10_000);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn dynamodb_unavailable_answers_retry_later_writes_nothing_and_the_redelivery_applies() {
    let proxy = FaultProxy::start().await;
    let local = Local::through("ddb-down", &proxy).await;
    let (email, _) = local.unique_contact();
    let t = "2026-11-16T09:00:00Z";
    let contact = facts::contact("cus-1", &email, None, t);
    let items = local.item_count().await;
    proxy.inject(Service::DynamoDb, Fault::Down);
    let (status, body) = local.deliver("c1", &contact, at(t)).await;
    assert_eq!(status, 503, "{body}");
    // The sender learns to retry, not what Duly's infrastructure said.
    assert_eq!(body["reason"], duly_app::errors::UNAVAILABLE_REASON, "{body}");
    assert!(
        duly_scheduler::handle(&local.scheduler, at(t)).await.is_err(),
        "the scheduler fails, so Lambda retries it"
    );
    proxy.heal();
    assert_eq!(local.item_count().await, items, "nothing half-written");
    assert_eq!(local.deliver("c1", &contact, at(t)).await.1["status"], "applied");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_provider_too_slow_to_answer_delays_the_reminder_and_loses_nothing() {
    let proxy = FaultProxy::start().await;
    let mut local = Local::through("ses-slow", &proxy).await;
    // The deployed limit is three seconds a try; one second here keeps the test short.
    let quick = proxy
        .aws_config()
        .into_builder()
        .timeout_config(
            aws_smithy_types::timeout::TimeoutConfig::builder()
                .operation_attempt_timeout(std::time::Duration::from_secs(1))
                .build(),
        )
        .build();
    local.scheduler.outbound = duly_local::outbound_with(&quick);
    let (email, _) = seed(&local).await;
    let t = at("2026-11-30T07:15:00Z");

    proxy.inject(
        Service::SesSendEmail,
        Fault::Slow(std::time::Duration::from_millis(1500)),
    );
    let slow = run(&local, t).await;
    assert_eq!(slow.deferred, 1, "{slow:?}");
    assert!(slow.reminders[0]
        .failures
        .iter()
        .any(|f| f.starts_with("email not sent")));
    proxy.heal();
    let back = run(&local, t + Duration::minutes(6)).await;
    assert_eq!(back.recovered, 1);
    // A slow attempt may still have reached SES after its caller gave up: at least once.
    assert!((1..=4).contains(&emails_to(&email).await));
    assert_eq!(message_status(&local).await, ["sent"]);
}
