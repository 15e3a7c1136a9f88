//! SES events coming back: a hard bounce or a complaint stops e-mail to that address at once; a new address
//! from the platform works again; events for unknown messages are ignored; opens are recorded for creditors
//! who switched them on.

use duly_core::model::ids::{CreditorId, DebtorId};
use duly_local::fixtures::{facts, ses_event};
use duly_local::moto::sent_emails;
use duly_local::{at, Local};

const T: &str = "2026-11-16T09:00:00Z";

/// A customer with an invoice due 1 December, reminded on 30 November: their address and that e-mail.
async fn reminded(local: &Local) -> (String, duly_local::moto::SentEmail) {
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
    (email, sent)
}

#[tokio::test]
async fn a_hard_bounce_stops_mail_to_that_address_until_the_platform_sends_a_new_one() {
    let local = Local::new("events-bounce").await;
    let (email, sent) = reminded(&local).await;

    let app = duly_delivery_events::App {
        store: local.store_for("DeliveryEventsFunction"),
        notify: Some(local.notify_for("DeliveryEventsFunction")),
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
        store: local.store_for("DeliveryEventsFunction"),
        notify: Some(local.notify_for("DeliveryEventsFunction")),
    };
    assert!(
        duly_delivery_events::handle(&app, serde_json::json!({"detail": {"x": 1}}), at(T))
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_creditor_who_records_opens_sends_through_the_opens_set_and_sees_when_a_reminder_was_opened() {
    let proxy = duly_local::faults::FaultProxy::start().await;
    let mut local = Local::through("events-opens", &proxy).await;
    // The two configuration sets, as the template makes them.
    let ses = aws_sdk_sesv2::Client::new(&duly_local::aws_config());
    for name in ["duly-reminders", "duly-reminders-opens"] {
        let _ = ses.create_configuration_set().configuration_set_name(name).send().await;
    }
    let sdk = proxy.aws_config();
    local.scheduler.outbound = duly_adapters::outbound::Outbound::new(
        aws_sdk_sesv2::Client::new(&sdk),
        aws_sdk_sns::Client::new(&sdk),
        Some("duly-reminders".into()),
    )
    .with_opens_configuration_set(Some("duly-reminders-opens".into()));
    // Two customers whose pre-due reminders fall on different days: 30 November and 1 December.
    for (n, due) in [(1, "2026-12-03"), (2, "2026-12-04")] {
        let email = format!("ap{n}-{}@tamm.example", local.store.table());
        local
            .deliver(
                &format!("c{n}"),
                &facts::contact(&format!("cus-{n}"), &email, None, T),
                at(T),
            )
            .await;
        let invoice = facts::invoice(
            &format!("100{n}"),
            &format!("cus-{n}"),
            "100.00",
            "100.00",
            due,
            "open",
            T,
        );
        local.deliver(&format!("i{n}"), &invoice, at(T)).await;
    }
    duly_scheduler::handle(&local.scheduler, at("2026-11-16T10:00:00Z"))
        .await
        .unwrap();
    let first = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
        .await
        .unwrap();
    assert_eq!(first.sent, 1);
    // The creditor switches opens on: the next reminder records them, the one already sent does not.
    let (status, saved) = local
        .api(
            "PUT",
            "/v1/notifications",
            Some(serde_json::json!({"opens": true})),
            None,
            at("2026-11-30T12:00:00Z"),
        )
        .await;
    assert_eq!((status, &saved["opens"]), (200, &serde_json::json!(true)), "{saved}");
    let second = duly_scheduler::handle(&local.scheduler, at("2026-12-01T07:15:00Z"))
        .await
        .unwrap();
    assert_eq!(second.sent, 1);
    assert_eq!(
        proxy.email_configuration_sets(),
        [
            Some("duly-reminders".to_string()),
            Some("duly-reminders-opens".to_string())
        ]
    );

    // SES reports each look at the image; the message records the first, the audit trail one entry.
    let to = format!("ap2-{}@tamm.example", local.store.table());
    let sent = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&to))
        .unwrap();
    let app = duly_delivery_events::App {
        store: local.store_for("DeliveryEventsFunction"),
        notify: None,
    };
    for minute in ["2026-12-01T09:30:00Z", "2026-12-01T14:00:00Z"] {
        let opened = ses_event(&sent.id, "Open", "", &to);
        assert_eq!(
            duly_delivery_events::handle(&app, opened, at(minute)).await.unwrap(),
            "recorded"
        );
    }
    let nordwind = CreditorId::parse("nordwind").unwrap();
    let messages = local
        .store
        .message_summaries(&nordwind, &DebtorId::parse("cus-2").unwrap())
        .await
        .unwrap();
    assert_eq!(messages[0].opened_at, "2026-12-01T09:30:00.000000Z");
    assert_eq!(messages[0].delivery, "", "an open is not a delivery report");
    let (_, trail) = local
        .api("GET", "/v1/audit", None, None, at("2026-12-01T15:00:00Z"))
        .await;
    let opens: Vec<_> = trail
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["entry"]["event"] == "message.delivery" && e["entry"]["detail"] == "open")
        .collect();
    assert_eq!(opens.len(), 1, "{trail}");
}

/// A message copied to a colleague: the colleague's complaint (or bounce) refuses the colleague's address,
/// never the debtor's own, which the event does not name.
#[tokio::test]
async fn a_copied_recipients_complaint_refuses_only_that_recipient() {
    let local = Local::new("events-cc").await;
    let (email, sent) = reminded(&local).await;
    let colleague = format!("cfo-{}@tamm.example", local.store.table());
    let app = duly_delivery_events::App {
        store: local.store_for("DeliveryEventsFunction"),
        notify: Some(local.notify_for("DeliveryEventsFunction")),
    };
    for kind in ["Complaint", "Bounce"] {
        let mut event = ses_event(&sent.id, kind, "Permanent", &colleague);
        event["detail"]["mail"]["destination"] = serde_json::json!([email, colleague]);
        assert_eq!(
            duly_delivery_events::handle(&app, event, at("2026-11-30T07:16:00Z"))
                .await
                .unwrap(),
            "address_refused"
        );
    }
    let debtor = local
        .store
        .get_debtor(
            &CreditorId::parse("nordwind").unwrap(),
            &DebtorId::parse("cus-1").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert!(debtor.controls.refuses(&colleague));
    assert!(!debtor.controls.refuses(&email), "{:?}", debtor.controls);
}
