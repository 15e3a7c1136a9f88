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
    let again = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:30:00Z"))
        .await
        .unwrap();
    assert_eq!((again.sent, again.over_cap), (0, 1), "still held: {again:?}");

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
