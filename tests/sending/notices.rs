//! What the creditor hears from Duly about events that need them: each event as it happens, or, when they
//! chose it, one digest a day at their local hour listing each event once.

use chrono::Duration;
use serde_json::json;

use duly_core::locale::Language;
use duly_core::messages::links::{Action, Answer};
use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::fixtures::{facts, nordwind};
use duly_local::moto::sent_emails;
use duly_local::{at, test_links, Local};

const T: &str = "2026-11-16T09:00:00Z";
const NOW: &str = "2026-12-02T09:00:00Z";

/// A debtor with a name no other test uses, reminded once; the id of that reminder's e-mail.
async fn reminded_debtor(local: &Local, name: &str) -> String {
    let email = format!("ap-{}@kask.example", local.store.table());
    let contact = json!({"type": "contact.updated", "data": {
        "debtor_id": "cus-1", "name": name, "email": email,
        "language": "et", "country": "EE", "time_zone": "Europe/Tallinn", "updated_at": T
    }});
    local.deliver("c1", &contact.to_string(), at(T)).await;
    local
        .deliver(
            "i1",
            &facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", T),
            at(T),
        )
        .await;
    duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
        .await
        .unwrap();
    sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .expect("the reminder went out")
        .id
}

fn bounce(message_id: &str) -> serde_json::Value {
    json!({"detail-type": "Email Bounced", "source": "aws.ses", "detail": {
        "eventType": "Bounce", "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": "someone@kask.example"}]},
        "mail": {"messageId": message_id, "destination": ["someone@kask.example"]}
    }})
}

fn paid_link() -> String {
    let token = test_links().token(&Answer {
        creditor: nordwind(),
        debtor: DebtorId::parse("cus-1").unwrap(),
        invoices: vec![InvoiceId::parse("1001").unwrap()],
        action: Action::Paid,
        language: Language::Et,
        expires: (at(NOW) + Duration::days(30)).timestamp(),
    });
    format!("/a/{token}")
}

fn delivery_events(local: &Local) -> duly_delivery_events::App {
    duly_delivery_events::App {
        store: local.store_for("DeliveryEventsFunction"),
        notify: Some(local.notify_for("DeliveryEventsFunction")),
    }
}

/// The e-mails to the creditor that name this debtor.
async fn told_about(name: &str) -> Vec<duly_local::moto::SentEmail> {
    sent_emails()
        .await
        .into_iter()
        .filter(|m| m.destinations.to == ["ar@nordwind.example"] && (m.subject.contains(name) || m.body.contains(name)))
        .collect()
}

#[tokio::test]
async fn a_hard_bounce_is_told_at_once_naming_the_debtor_and_only_once() {
    let local = Local::new("notices-each").await;
    let name = format!("Kask {}", local.store.table());
    let message = reminded_debtor(&local, &name).await;
    let app = delivery_events(&local);
    for minute in 0..2 {
        let label = duly_delivery_events::handle(&app, bounce(&message), at(NOW) + Duration::minutes(minute))
            .await
            .unwrap();
        assert_eq!(label, "address_refused");
    }
    let told = told_about(&name).await;
    assert_eq!(told.len(), 1, "SES reporting the bounce twice tells the creditor once");
    assert_eq!(
        told[0].subject, "E-kiri kliendile tuli tagasi",
        "no customer's name in a subject"
    );
    assert!(told[0].body.contains(&name), "{}", told[0].body);
    assert!(told[0].body.contains("Parandage aadress"), "{}", told[0].body);
    let body = told[0].body.replace("&#x2f;", "/");
    assert!(
        body.contains("Ava Dulys: <a href=\"https://app.duly.example/app/debtors/cus-1\">"),
        "the page to act on: {body}"
    );
}

#[tokio::test]
async fn a_creditor_on_the_daily_digest_gets_one_mail_at_their_hour_listing_each_event_once() {
    let local = Local::new("notices-digest").await;
    let name = format!("Kask {}", local.store.table());
    let message = reminded_debtor(&local, &name).await;

    let (status, refused) = local
        .api(
            "PUT",
            "/v1/notifications",
            Some(json!({"delivery": "daily", "digest_hour": 24})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.to_string().contains("digest_hour"), "{refused}");
    let (status, chosen) = local
        .api(
            "PUT",
            "/v1/notifications",
            Some(json!({"delivery": "daily", "digest_hour": 8})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(
        (status, chosen),
        (200, json!({"delivery": "daily", "digest_hour": 8, "opens": false}))
    );

    // At 11:00 in Tallinn the debtor answers, and then their address bounces (reported twice).
    let (status, _, _) = local.answer("POST", &paid_link(), "", at(NOW)).await;
    assert_eq!(status, 200);
    let app = delivery_events(&local);
    for minute in 1..3 {
        duly_delivery_events::handle(&app, bounce(&message), at(NOW) + Duration::minutes(minute))
            .await
            .unwrap();
    }
    assert!(
        told_about(&name).await.is_empty(),
        "nothing is mailed before the digest"
    );

    // 07:59 in Tallinn the next morning: not yet. 08:00: one digest.
    let early = duly_scheduler::handle(&local.scheduler, at("2026-12-03T05:59:00Z"))
        .await
        .unwrap();
    assert_eq!(early.digests, 0);
    let due = duly_scheduler::handle(&local.scheduler, at("2026-12-03T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(due.digests, 1);
    let told = told_about(&name).await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].subject, "Mis vajab Dulys teie tähelepanu (2)");
    assert_eq!(told[0].body.matches("— ").count(), 2, "{}", told[0].body);
    assert!(
        told[0].body.contains(&format!("{name} vastas: INV-1001")),
        "{}",
        told[0].body
    );
    assert!(
        told[0].body.contains(&format!("E-kiri kliendile {name} tuli tagasi")),
        "{}",
        told[0].body
    );

    // Sent once: the digest left the due index, and the creditor's history keeps both events.
    let again = duly_scheduler::handle(&local.scheduler, at("2026-12-04T06:00:00Z"))
        .await
        .unwrap();
    assert_eq!(again.digests, 0);
    assert_eq!(told_about(&name).await.len(), 1);
    let (status, notices) = local.api("GET", "/v1/notices", None, None, at(NOW)).await;
    assert_eq!(status, 200);
    let kinds: Vec<&str> = notices
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["bounced", "answer_paid"]);
}
