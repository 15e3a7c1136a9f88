//! SES events coming back: a hard bounce or a complaint stops e-mail to that address at once; a new address
//! from the platform works again; events for unknown messages are ignored.

use duly_core::model::ids::{CreditorId, DebtorId};
use duly_local::fixtures::{facts, ses_event};
use duly_local::moto::sent_emails;
use duly_local::{at, Local};

const T: &str = "2026-11-16T09:00:00Z";

#[tokio::test]
async fn a_hard_bounce_stops_mail_to_that_address_until_the_platform_sends_a_new_one() {
    let local = Local::new("events-bounce").await;
    let email = format!("ap-{}@tamm.example", local.store.table());
    local
        .deliver("c1", &facts::contact("cus-1", &email, None, T), at(T))
        .await;
    local
        .deliver(
            "i1",
            &facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", T),
            at(T),
        )
        .await;
    duly_scheduler::handle(&local.scheduler, at("2026-11-16T10:00:00Z"))
        .await
        .unwrap();
    duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
        .await
        .unwrap();
    let sent = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .unwrap();

    let app = duly_delivery_events::App {
        store: local.store.clone(),
        notify: Some(duly_local::notify_from()),
    };
    let soft = ses_event(&sent.id, "Bounce", "Transient", &email);
    assert_eq!(
        duly_delivery_events::handle(&app, soft, at("2026-11-30T07:16:00Z"))
            .await
            .unwrap(),
        "transient"
    );
    let hard = ses_event(&sent.id, "Bounce", "Permanent", &email);
    assert_eq!(
        duly_delivery_events::handle(&app, hard, at("2026-11-30T07:16:00Z"))
            .await
            .unwrap(),
        "address_refused"
    );
    let unknown = ses_event("not-ours", "Bounce", "Permanent", &email);
    assert_eq!(
        duly_delivery_events::handle(&app, unknown, at("2026-11-30T07:16:00Z"))
            .await
            .unwrap(),
        "unknown_message"
    );

    let creditor = CreditorId::parse("nordwind").unwrap();
    let debtor = DebtorId::parse("cus-1").unwrap();
    let records = local.store.messages(&creditor, &debtor).await.unwrap();
    assert_eq!(records[0]["delivery"].as_s().unwrap(), "bounce");

    // The next step has no usable address: nothing is sent, the step is recorded as skipped.
    let run = duly_scheduler::handle(&local.scheduler, at("2026-12-02T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!((run.sent, run.skipped_steps), (0, 1));

    // The platform sends a corrected address; the following step goes out to it.
    let fixed = format!("accounts-{}@tamm.example", local.store.table());
    local
        .deliver(
            "c2",
            &facts::contact("cus-1", &fixed, None, "2026-12-03T09:00:00Z"),
            at("2026-12-03T09:00:00Z"),
        )
        .await;
    let run = duly_scheduler::handle(&local.scheduler, at("2026-12-10T08:00:00Z"))
        .await
        .unwrap();
    assert_eq!(run.sent, 1);
    assert!(sent_emails().await.iter().any(|m| m.destinations.to.contains(&fixed)));
}

#[tokio::test]
async fn an_event_that_is_not_from_ses_is_refused_for_a_retry() {
    let local = Local::new("events-junk").await;
    let app = duly_delivery_events::App {
        store: local.store.clone(),
        notify: Some(duly_local::notify_from()),
    };
    assert!(
        duly_delivery_events::handle(&app, serde_json::json!({"detail": {"x": 1}}), at(T))
            .await
            .is_err()
    );
}
