//! A humane cadence end to end: one dunning level per debtor with written reminders capped and one final
//! notice, call tasks whose outcome feeds the plan, thank-yous after payment, and monthly statements.

use chrono::{Duration, NaiveDate};
use serde_json::json;

use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_core::policy::Tone;
use duly_local::fixtures::{facts, nordwind};
use duly_local::moto::sent_emails;
use duly_local::{at, Local};

/// The scheduler every morning at 08:00 UTC (10:00 in Tallinn) from `from` to `to`: what went out, as
/// (day, steps, tone, subject).
async fn mornings(local: &Local, from: &str, to: &str) -> Vec<(String, Vec<String>, Tone, String)> {
    let (mut day, last) = (from.parse::<NaiveDate>().unwrap(), to.parse::<NaiveDate>().unwrap());
    let mut out = Vec::new();
    while day <= last {
        let when = day.and_hms_opt(8, 0, 0).unwrap().and_utc();
        let summary = duly_scheduler::handle(&local.scheduler, when)
            .await
            .expect("scheduler run");
        for r in summary.reminders {
            out.push((day.to_string(), r.step_ids, r.tone, r.subject));
        }
        day += Duration::days(1);
    }
    out
}

/// A debtor in Tallinn with INV-1001 (€1,250.00 due Tuesday 1 December) and INV-1005 (€320.00 due
/// Wednesday 9 December), neither paid.
async fn two_invoices(local: &Local) -> String {
    let (email, phone) = local.unique_contact();
    let t = "2026-11-16T09:00:00Z";
    assert_eq!(
        local
            .deliver("c1", &facts::contact("cus-1", &email, Some(&phone), t), at(t))
            .await
            .0,
        200
    );
    for (id, total, due) in [("1001", "1250.00", "2026-12-01"), ("1005", "320.00", "2026-12-09")] {
        let invoice = facts::invoice(id, "cus-1", total, total, due, "open", t);
        assert_eq!(local.deliver(&format!("i{id}"), &invoice, at(t)).await.0, 200);
    }
    email
}

async fn put_policy(local: &Local, change: impl FnOnce(&mut serde_json::Value)) {
    let mut policy = serde_json::to_value(duly_core::policy::Policy::default()).unwrap();
    change(&mut policy);
    let (status, reply) = local
        .api("PUT", "/v1/policy", Some(policy), None, at("2026-11-16T08:00:00Z"))
        .await;
    assert_eq!(status, 200, "{reply}");
}

#[tokio::test]
async fn two_invoices_get_two_written_reminders_and_one_final_notice() {
    let local = Local::new("cadence-capped").await;
    two_invoices(&local).await;
    let sent = mornings(&local, "2026-11-16", "2027-01-15").await;
    let days: Vec<(&str, Tone)> = sent.iter().map(|(d, _, t, _)| (d.as_str(), *t)).collect();
    // As the planner's own test works it out: the notes before each due date, the first written reminder
    // on 2 December, the second (INV-1001 firm with INV-1005's first) on 10 December, INV-1005's firm
    // step of 18 December held as a third, the final notice on 21 December stating both, and INV-1005's
    // own final notice of 31 December held as stated already.
    assert_eq!(
        days,
        [
            ("2026-11-30", Tone::Friendly),
            ("2026-12-02", Tone::Friendly),
            ("2026-12-07", Tone::Friendly),
            ("2026-12-10", Tone::Firm),
            ("2026-12-21", Tone::FinalNotice),
        ],
        "{sent:#?}"
    );
    assert_eq!(sent[4].1, ["after-14"]);
    assert!(
        sent[4].3.contains("2"),
        "the final notice states both invoices: {}",
        sent[4].3
    );
    let inv = |id: &str| {
        let store = local.store.clone();
        let id = InvoiceId::parse(id).unwrap();
        async move { store.get_invoice(&nordwind(), &id).await.unwrap().unwrap() }
    };
    let later = inv("1005").await;
    assert!(
        later.progress.steps_done.contains(&"2026-12-09/after-7".to_string())
            && later.progress.steps_done.contains(&"2026-12-09/after-14".to_string()),
        "held steps are recorded as done: {:?}",
        later.progress.steps_done
    );
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(debtor.history.dunning.written, 2);
    assert_eq!(debtor.history.dunning.level, Some(Tone::FinalNotice));
    assert_eq!(
        debtor.history.dunning.final_notice,
        [("1001".to_string(), 125_000), ("1005".to_string(), 32_000)].into()
    );
}

#[tokio::test]
async fn a_call_step_makes_a_task_whose_outcome_feeds_the_plan() {
    let local = Local::new("cadence-call").await;
    put_policy(&local, |p| {
        p["steps"].as_array_mut().unwrap().insert(
            3,
            json!({"id": "call-10", "offset": {"unit": "business_days", "days": 10}, "tone": "firm",
                   "channels": [], "call": true}),
        );
    })
    .await;
    let (status, refused) = local
        .api(
            "PUT",
            "/v1/policy",
            Some(json!({"enabled": true, "window": {"start": "09:00:00", "end": "17:00:00"}, "steps": [
                {"id": "call", "offset": {"unit": "business_days", "days": 3}, "tone": "firm", "channels": ["email"], "call": true}]})),
            None,
            at("2026-11-16T08:00:00Z"),
        )
        .await;
    assert_eq!((status, refused["error"].as_str()), (422, Some("invalid")), "{refused}");
    let t = "2026-11-16T09:00:00Z";
    let (email, phone) = local.unique_contact();
    local
        .deliver("c1", &facts::contact("cus-1", &email, Some(&phone), t), at(t))
        .await;
    let invoice = facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", t);
    local.deliver("i1", &invoice, at(t)).await;

    // 1 December + 10 business days is Tuesday 15 December: a task, and no message that day.
    let sent = mornings(&local, "2026-11-16", "2026-12-15").await;
    assert!(!sent.iter().any(|(d, ..)| d == "2026-12-15"), "{sent:#?}");
    let (status, calls) = local
        .api("GET", "/v1/calls", None, None, at("2026-12-15T09:00:00Z"))
        .await;
    assert_eq!(status, 200, "{calls}");
    let call = &calls[0];
    assert_eq!(call["id"], "2026-12-15.cus-1");
    assert_eq!(call["phone"], phone.as_str());
    assert_eq!(call["hours"], "09:00–17:00 (Tallinn)");
    assert_eq!(call["their_time"], "11:00");
    assert_eq!(call["invoices"][0]["number"], "INV-1001");
    // The creditor's language is Estonian.
    assert_eq!(
        call["script"][0],
        "Tere, helistan ettevõttest Nordwind Tools OÜ seoses: arve INV-1001 (1250,00\u{a0}€)."
    );
    let notices = local.store.notices(&nordwind()).await.unwrap();
    assert!(
        notices.iter().any(|n| n.notice.event == "call:2026-12-15.cus-1"),
        "the creditor is told, in the digest where they chose one"
    );

    let outcome = |body: serde_json::Value| {
        let local = &local;
        async move {
            local
                .api(
                    "POST",
                    "/v1/calls/2026-12-15.cus-1/outcome",
                    Some(body),
                    None,
                    at("2026-12-15T10:00:00Z"),
                )
                .await
        }
    };
    let (status, _) = outcome(json!({"outcome": "promised", "date": "2026-12-01"})).await;
    assert_eq!(status, 422, "a promise in the past");
    let (status, recorded) = outcome(json!({"outcome": "promised", "date": "2026-12-22"})).await;
    assert_eq!(status, 200, "{recorded}");
    assert_eq!(recorded["changed"], json!(["1001"]));
    let (status, _) = outcome(json!({"outcome": "no_answer"})).await;
    assert_eq!(status, 404, "recorded once");
    let (_, calls) = local
        .api("GET", "/v1/calls", None, None, at("2026-12-15T10:05:00Z"))
        .await;
    assert_eq!(calls, json!([]));

    // The promise holds the final notice of 21 December until the 22nd plus three days' grace (the 25th),
    // and a final notice waits five business days more after a promise ends: 28–31 December and Monday
    // 4 January (New Year's Day is a holiday).
    let after = mornings(&local, "2026-12-16", "2027-01-04").await;
    let days: Vec<&str> = after.iter().map(|(d, ..)| d.as_str()).collect();
    assert_eq!(days, ["2027-01-04"], "{after:#?}");
    let answers = local.store.answers(&nordwind()).await.unwrap();
    assert!(answers
        .iter()
        .any(|a| a.action == "call" && a.detail == "promised on the phone to pay by 2026-12-22"));
    let (_, audit) = local
        .api("GET", "/v1/audit", None, None, at("2026-12-28T10:00:00Z"))
        .await;
    assert!(audit.to_string().contains("call.promised"), "{audit}");
}

#[tokio::test]
async fn a_reminded_debtor_who_pays_everything_is_thanked_once() {
    let local = Local::with_stream("cadence-thanks").await;
    put_policy(&local, |p| p["thank_you"] = json!(true)).await;
    let email = two_invoices(&local).await;
    mornings(&local, "2026-11-16", "2026-12-02").await;
    let billing = duly_billing::App::<duly_adapters::metering::StripeMeters> {
        store: local.store_for("BillingFunction"),
        sink: None,
        notify: None,
        prices: Default::default(),
    };
    let mut stream = duly_local::stream::BillingFeed::default();
    let feed = |batch: serde_json::Value, when: &'static str| {
        let billing = &billing;
        async move { duly_billing::handle(billing, &batch, at(when)).await.unwrap() }
    };
    let store = local.store.clone();
    feed(stream.next(store.client(), store.table()).await, "2026-12-02T09:00:00Z").await;

    // INV-1001 is paid on Thursday 3 December: INV-1005 is still open, so no thanks yet.
    let p = "2026-12-03T12:00:00Z";
    local
        .deliver("p1", &facts::payment("pay-1", "1001", "1250.00", "0.00", p), at(p))
        .await;
    feed(stream.next(store.client(), store.table()).await, "2026-12-03T12:00:10Z").await;
    assert!(mornings(&local, "2026-12-04", "2026-12-04").await.is_empty());
    // INV-1005 was reminded before its due date (Monday 7 December) and is paid on the 8th: thanks the
    // next morning, for INV-1005 alone.
    mornings(&local, "2026-12-05", "2026-12-07").await;
    let p = "2026-12-08T12:00:00Z";
    local
        .deliver("p2", &facts::payment("pay-2", "1005", "320.00", "0.00", p), at(p))
        .await;
    feed(stream.next(store.client(), store.table()).await, "2026-12-08T12:00:10Z").await;
    let sent = mornings(&local, "2026-12-09", "2026-12-20").await;
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert_eq!(
        (sent[0].0.as_str(), sent[0].1.clone()),
        ("2026-12-09", vec!["thanks".to_string()])
    );
    assert_eq!(sent[0].3, "Thank you for your payment");
    let mail = sent_emails()
        .await
        .into_iter()
        .filter(|m| m.destinations.to.contains(&email))
        .find(|m| m.subject == "Thank you for your payment")
        .unwrap();
    assert!(
        mail.body.contains("INV-1005") && !mail.body.contains("INV-1001"),
        "{}",
        mail.body
    );
}

#[tokio::test]
async fn a_group_with_monthly_statements_gets_one_on_its_business_day() {
    let local = Local::new("cadence-statement").await;
    let (status, reply) = local
        .api(
            "PUT",
            "/v1/groups/Trade",
            Some(json!({"enabled": true, "statement": {"business_day": 2}})),
            None,
            at("2026-11-16T08:00:00Z"),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let (status, _) = local
        .api(
            "PUT",
            "/v1/groups/Bad",
            Some(json!({"enabled": true, "statement": {"business_day": 0}})),
            None,
            at("2026-11-16T08:00:00Z"),
        )
        .await;
    assert_eq!(status, 422);
    let email = two_invoices(&local).await;
    let (status, _) = local
        .api(
            "PUT",
            "/v1/debtors/cus-1/group",
            Some(json!({"group": "Trade"})),
            None,
            at("2026-11-16T10:00:00Z"),
        )
        .await;
    assert_eq!(status, 200);
    let sent = mornings(&local, "2026-11-16", "2026-12-31").await;
    let statements: Vec<&str> = sent
        .iter()
        .filter(|(_, steps, ..)| steps == &["statement"])
        .map(|(d, ..)| d.as_str())
        .collect();
    // The second business day of December is Wednesday 2 December, but INV-1001's first reminder goes
    // that morning: the statement waits out the 20 hours' gap to Thursday's opening.
    assert_eq!(statements, ["2026-12-03"], "{sent:#?}");
    let mail = sent_emails()
        .await
        .into_iter()
        .filter(|m| m.destinations.to.contains(&email))
        .find(|m| m.subject.starts_with("Statement of account"))
        .unwrap();
    assert_eq!(
        mail.subject,
        "Statement of account: 2 open invoices, €1,570.00 in total"
    );
    assert!(mail.body.contains("INV-1001") && mail.body.contains("INV-1005"));
    let written = sent
        .iter()
        .filter(|(_, steps, t, _)| {
            steps != &["statement"] && *t != Tone::FinalNotice && steps.iter().any(|s| s.starts_with("after"))
        })
        .count();
    assert_eq!(written, 2, "the statement is no written reminder: {sent:#?}");
}

#[tokio::test]
async fn a_new_invoice_joins_at_the_debtors_level() {
    let local = Local::new("cadence-level").await;
    put_policy(&local, |p| p["max_written"] = json!(5)).await;
    let (email, _) = local.unique_contact();
    let t = "2026-11-16T09:00:00Z";
    local
        .deliver("c1", &facts::contact("cus-1", &email, None, t), at(t))
        .await;
    let a = facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", t);
    local.deliver("i1", &a, at(t)).await;
    let before = mornings(&local, "2026-11-16", "2026-12-10").await;
    assert_eq!(
        before.last().map(|(d, _, tone, _)| (d.as_str(), *tone)),
        Some(("2026-12-10", Tone::Firm))
    );
    // A new invoice, due Friday 11 December: its first overdue step is a friendly one, but the debtor had
    // a firm reminder already, so it goes out firm.
    let t = "2026-12-10T12:00:00Z";
    let b = facts::invoice("1009", "cus-1", "90.00", "90.00", "2026-12-11", "open", t);
    local.deliver("i9", &b, at(t)).await;
    let after = mornings(&local, "2026-12-11", "2026-12-14").await;
    let first_overdue = after
        .iter()
        .find(|(_, steps, ..)| steps == &["after-1"])
        .unwrap_or_else(|| panic!("{after:#?}"));
    assert_eq!((first_overdue.0.as_str(), first_overdue.2), ("2026-12-14", Tone::Firm));
    assert!(first_overdue.3.starts_with("Second reminder"), "{}", first_overdue.3);
}
