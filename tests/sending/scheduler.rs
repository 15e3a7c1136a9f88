//! The scheduler against the local DynamoDB, SES and SNS: what goes out, once, and never after payment.

use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::fixtures::facts;
use duly_local::fixtures::nordwind;
use duly_local::moto::{sent_emails, sent_sms};
use duly_local::{at, Local};

async fn emails_to(address: &str) -> Vec<duly_local::moto::SentEmail> {
    sent_emails()
        .await
        .into_iter()
        .filter(|e| e.destinations.to.iter().any(|t| t == address))
        .collect()
}

async fn sms_to(phone: &str) -> Vec<duly_local::moto::SentSms> {
    sent_sms()
        .await
        .into_iter()
        .filter(|s| s.phone_number == phone)
        .collect()
}

/// An open invoice of 1,250.00 EUR due Tuesday 1 December 2026, for a debtor in Tallinn.
async fn seed(local: &Local, with_phone: bool) -> (String, String) {
    let (email, phone) = local.unique_contact();
    let t = "2026-11-16T09:00:00Z";
    let contact = facts::contact("cus-1", &email, with_phone.then_some(phone.as_str()), t);
    assert_eq!(local.deliver("c1", &contact, at(t)).await.0, 200);
    let invoice = facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", t);
    assert_eq!(local.deliver("i1", &invoice, at(t)).await.0, 200);
    (email, phone)
}

async fn run(local: &Local, when: &str) -> duly_scheduler::Summary {
    duly_scheduler::handle(&local.scheduler, at(when))
        .await
        .expect("scheduler run")
}

#[tokio::test]
async fn the_first_run_plans_and_the_pre_due_reminder_goes_out_in_the_creditors_name() {
    let local = Local::new("sched-pre-due").await;
    let (email, _) = seed(&local, false).await;

    let first = run(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(
        (first.sent, first.rescheduled),
        (0, 1),
        "planned for Monday 30 November, 09:00 Tallinn"
    );
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invoice.next_action_at, Some(at("2026-11-30T07:00:00Z")));

    let early = run(&local, "2026-11-30T06:59:00Z").await;
    assert_eq!(early.examined, 0, "nothing is due before its time");

    let due = run(&local, "2026-11-30T07:15:00Z").await;
    assert_eq!(due.sent, 1);
    let sent = emails_to(&email).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].subject,
        "Payment due on 1 December 2026: invoice INV-1001 (€1,250.00)"
    );
    assert!(
        sent[0].source.contains("accounts@nordwind.example"),
        "{}",
        sent[0].source
    );
    assert!(sent[0].body.contains("https://pay.nordwind.example/i/1001"));
    // A Standard Webhooks sender has no document to give: the first reminder goes without one, with the
    // invoice's own pay link.
    assert!(sent[0].attachments.is_empty(), "{:?}", sent[0].attachments);
    assert!(sent[0].body.contains("#0b7285"), "brand colour");
    assert!(sent[0].body.contains("https://nordwind.example/brand/logo.png"), "logo");

    let records = local
        .store
        .messages(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["status"].as_s().unwrap(), "sent");
    assert_eq!(records[0]["steps"].as_l().unwrap().len(), 1);
    let usage = local.store.usage(&nordwind(), "2026-11").await.unwrap();
    assert_eq!((usage.reminders, usage.emails, usage.sms), (1, 1, 0));
}

#[tokio::test]
async fn a_rerun_sends_nothing_twice() {
    let local = Local::new("sched-rerun").await;
    let (email, _) = seed(&local, false).await;
    run(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(run(&local, "2026-11-30T07:15:00Z").await.sent, 1);
    assert_eq!(run(&local, "2026-11-30T07:15:00Z").await.sent, 0);
    assert_eq!(run(&local, "2026-11-30T08:00:00Z").await.sent, 0);
    assert_eq!(emails_to(&email).await.len(), 1);
}

#[tokio::test]
async fn two_concurrent_runs_send_each_reminder_once() {
    let local = Local::new("sched-concurrent").await;
    let (email, _) = seed(&local, false).await;
    run(&local, "2026-11-16T10:00:00Z").await;
    let (a, b) = tokio::join!(run(&local, "2026-11-30T07:15:00Z"), run(&local, "2026-11-30T07:15:00Z"));
    assert_eq!(a.sent + b.sent, 1, "{a:?} {b:?}");
    assert_eq!(emails_to(&email).await.len(), 1);
}

#[tokio::test]
async fn overdue_reminders_go_by_email_and_sms_and_stop_after_payment() {
    let local = Local::new("sched-paid").await;
    let (email, phone) = seed(&local, true).await;
    run(&local, "2026-11-16T10:00:00Z").await;

    // The scheduler was down until Wednesday 2 December: only the latest due step goes out.
    let late = run(&local, "2026-12-02T08:00:00Z").await;
    assert_eq!(late.sent, 1);
    let mails = emails_to(&email).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "Payment reminder: invoice INV-1001 (€1,250.00)");
    let texts = sms_to(&phone).await;
    assert_eq!(texts.len(), 1);
    assert!(
        texts[0].message.starts_with("Nordwind Tools OÜ: "),
        "{}",
        texts[0].message
    );

    // Paid on Friday 4 December: the firm reminder planned for 10 December never goes out.
    let paid_at = "2026-12-04T12:00:00Z";
    let payment = facts::payment("pay-1", "1001", "1250.00", "0", paid_at);
    assert_eq!(local.deliver("p1", &payment, at(paid_at)).await.1["status"], "applied");
    for day in ["2026-12-10T08:00:00Z", "2026-12-21T08:00:00Z", "2027-01-15T08:00:00Z"] {
        assert_eq!(
            run(&local, day).await.examined,
            0,
            "{day}: the paid invoice is off the due index"
        );
    }
    assert_eq!(emails_to(&email).await.len(), 1);
    assert_eq!(sms_to(&phone).await.len(), 1);
    let usage = local.store.usage(&nordwind(), "2026-12").await.unwrap();
    assert_eq!(
        (usage.reminders, usage.emails, usage.sms, usage.sms_segments),
        (1, 1, 1, 1)
    );
}

#[tokio::test]
async fn a_payment_between_planning_and_sending_wins() {
    let local = Local::new("sched-race").await;
    let (email, _) = seed(&local, false).await;
    run(&local, "2026-11-16T10:00:00Z").await;
    // Read as the scheduler would, then let a payment land before the claim.
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    let paid_at = "2026-11-30T07:10:00Z";
    local
        .deliver(
            "p1",
            &facts::payment("pay-1", "1001", "1250.00", "0", paid_at),
            at(paid_at),
        )
        .await;

    let now = at("2026-11-30T07:15:00Z");
    let claim = duly_adapters::store::StatementClaim {
        debtor: &debtor,
        history: debtor.history.with_message(now),
        invoices: vec![duly_adapters::store::ClaimedInvoice {
            invoice: &invoice,
            step_key: "2026-12-01/before-3".into(),
            skipped: vec![],
            next_action_at: None,
            overdue: false,
        }],
        tone: duly_core::policy::Tone::Friendly,
        channels: vec![duly_core::policy::Channel::Email],
        subject: "subject",
        at: now,
        short_link: None,
        outbox: &duly_adapters::store::Outbox::default(),
    };
    assert_eq!(
        local.store.claim_statement(&claim).await.unwrap(),
        duly_adapters::store::ClaimOutcome::InvoiceChanged
    );
    assert_eq!(run(&local, "2026-11-30T07:15:00Z").await.sent, 0);
    assert!(emails_to(&email).await.is_empty());
}

#[tokio::test]
async fn a_debtor_with_several_due_invoices_gets_one_statement() {
    let local = Local::new("sched-statement").await;
    let (email, _) = seed(&local, false).await;
    let t = "2026-11-16T09:00:00Z";
    let second = facts::invoice("1002", "cus-1", "80.00", "80.00", "2026-12-01", "open", t);
    assert_eq!(local.deliver("i2", &second, at(t)).await.0, 200);
    let later = facts::invoice("1003", "cus-1", "40.00", "40.00", "2027-01-29", "open", t);
    assert_eq!(local.deliver("i3", &later, at(t)).await.0, 200);
    run(&local, "2026-11-16T10:00:00Z").await;

    let due = run(&local, "2026-11-30T07:15:00Z").await;
    assert_eq!(due.sent, 1, "one message for the two invoices due on 1 December");
    assert_eq!(due.reminders[0].invoice_numbers.len(), 2);
    assert_eq!(due.reminders[0].lines, 3, "the statement lists every open invoice");
    let mail = emails_to(&email).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0].subject,
        "Payment due on 1 December 2026: 3 open invoices, €1,370.00 in total"
    );
    for number in ["INV-1001", "INV-1002", "INV-1003"] {
        assert!(mail[0].body.contains(number), "{number} listed");
    }
    assert!(mail[0].body.contains("€1,370.00"), "the total");
}

#[tokio::test]
async fn the_minimum_gap_holds_back_a_second_message_the_same_day() {
    let local = Local::new("sched-gap").await;
    let (email, _) = seed(&local, false).await;
    run(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(run(&local, "2026-11-30T07:15:00Z").await.sent, 1);
    // A second invoice arrives later that morning, its pre-due step already due.
    let t = "2026-11-30T09:00:00Z";
    local
        .deliver(
            "i2",
            &facts::invoice("1002", "cus-1", "80.00", "80.00", "2026-12-02", "open", t),
            at(t),
        )
        .await;
    let same_day = run(&local, "2026-11-30T09:15:00Z").await;
    assert_eq!(
        (same_day.sent, same_day.rescheduled),
        (0, 1),
        "deferred by the 20-hour minimum gap"
    );
    let next_day = run(&local, "2026-12-01T07:15:00Z").await;
    assert_eq!(next_day.sent, 1);
    assert_eq!(emails_to(&email).await.len(), 2);
}

/// An invoice that says whom it was sent to (QuickBooks' `BillEmail`, or `bill_to` on a canonical
/// invoice) is reminded there, with the contact's own address in copy.
#[tokio::test]
async fn the_reminder_goes_to_whom_the_invoice_went_with_the_contact_in_copy() {
    let local = Local::new("sched-bill-to").await;
    let (contact_email, _) = local.unique_contact();
    let billing = format!("billing-{contact_email}");
    let t = "2026-11-16T09:00:00Z";
    let contact = facts::contact("cus-1", &contact_email, None, t);
    assert_eq!(local.deliver("c1", &contact, at(t)).await.0, 200);
    let mut invoice: serde_json::Value = serde_json::from_str(&facts::invoice(
        "1001",
        "cus-1",
        "1250.00",
        "1250.00",
        "2026-12-01",
        "open",
        t,
    ))
    .unwrap();
    invoice["data"]["bill_to"] = serde_json::json!([billing]);
    assert_eq!(local.deliver("i1", &invoice.to_string(), at(t)).await.0, 200);
    let mut bad = invoice.clone();
    bad["data"]["bill_to"] = serde_json::json!(["not an address"]);
    assert_eq!(local.deliver("i2", &bad.to_string(), at(t)).await.0, 422);

    run(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(run(&local, "2026-11-30T07:15:00Z").await.sent, 1);
    let sent = emails_to(&billing).await;
    assert_eq!(sent.len(), 1, "to whom the invoice went");
    assert_eq!(
        sent[0].destinations.cc,
        std::slice::from_ref(&contact_email),
        "the contact in copy"
    );
    assert!(emails_to(&contact_email).await.is_empty(), "not a second message");
}

#[tokio::test]
async fn a_switched_off_creditor_gets_nothing() {
    let local = Local::new("sched-off").await;
    let (email, _) = seed(&local, false).await;
    let mut creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    creditor.policy.enabled = false;
    local.store.put_creditor(&creditor).await.unwrap();
    let summary = run(&local, "2026-11-30T07:15:00Z").await;
    assert_eq!((summary.sent, summary.retired), (0, 1));
    assert!(emails_to(&email).await.is_empty());
}

/// One DynamoDB transaction holds at most 100 items, and a claim writes the debtor, the message and each
/// invoice it covers: a debtor with 150 invoices due at once still gets one message, every invoice records
/// its step, and the next run sends nothing again.
#[tokio::test]
async fn a_debtor_with_150_invoices_due_at_once_gets_one_message_and_every_step_is_recorded() {
    let local = Local::new("sched-150").await;
    let (email, _) = local.unique_contact();
    let t = "2026-11-16T09:00:00Z";
    assert_eq!(
        local
            .deliver("c1", &facts::contact("cus-1", &email, None, t), at(t))
            .await
            .0,
        200
    );
    for n in 0..150 {
        let invoice = facts::invoice(
            &format!("{}", 2000 + n),
            "cus-1",
            "10.00",
            "10.00",
            "2026-12-01",
            "open",
            t,
        );
        assert_eq!(local.deliver(&format!("i{n}"), &invoice, at(t)).await.0, 200);
    }
    run(&local, "2026-11-16T10:00:00Z").await;
    let first = run(&local, "2026-11-30T07:15:00Z").await;
    assert_eq!(first.sent, 1, "{first:?}");
    let sent = emails_to(&email).await;
    assert_eq!(sent.len(), 1);
    // The message lists the 25 oldest, counts the rest, and links to the page with all of them.
    let html = &sent[0].body;
    assert!(html.contains(">INV-2024<") && !html.contains(">INV-2025<"), "{html}");
    assert!(html.contains("125 more open invoices, €1,250.00 in total"), "{html}");
    assert!(html.len() < 40_000, "{} bytes", html.len());
    let before_label = html.split("See all open invoices").next().unwrap();
    let statement = before_label
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let path = &statement[statement.find("/a/").unwrap()..];
    let (status, page, _) = local.answer("GET", path, "", at("2026-11-30T08:00:00Z")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Open invoices from"), "{page}");
    for n in [2000, 2024, 2025, 2149] {
        assert!(page.contains(&format!(">INV-{n}<")), "the page lists invoice {n}");
    }
    assert!(page.contains("€1,500.00"), "the total of all 150");
    let (status, _, _) = local.answer("POST", path, "", at("2026-11-30T08:00:00Z")).await;
    assert_eq!(status, 404, "nothing to answer on a statement");
    for n in [2000, 2096, 2097, 2149] {
        let invoice = local
            .store
            .get_invoice(&nordwind(), &InvoiceId::parse(format!("{n}")).unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(
            invoice
                .next_action_at
                .is_some_and(|next| next > at("2026-11-30T07:15:00Z")),
            "invoice {n} recorded its step: {:?}",
            invoice.next_action_at
        );
    }
    let again = run(&local, "2026-11-30T07:30:00Z").await;
    assert_eq!(again.sent, 0, "{again:?}");
    assert_eq!(emails_to(&email).await.len(), 1);
}

/// A run has a budget, and creditors take turns within it: one creditor with many debtors due (here twenty,
/// against a budget of ten) cannot hold back the other creditors' reminders, which all go out in the same run.
#[tokio::test]
async fn one_creditor_with_many_due_debtors_does_not_starve_the_others() {
    let mut local = Local::new("sched-fair").await;
    local.scheduler.budget.max_debtors = 10;
    let t = "2026-11-16T09:00:00Z";
    const SECRET: &str = "whsec_ZmFpcm5lc3MtdGVzdC1zZWNyZXQtMDAwMDA=";
    // "aaa-big" sorts before every other creditor.
    let mut creditors = Vec::new();
    for (creditor, debtors) in [("aaa-big", 20), ("nordwind", 1), ("zzz-small", 1)] {
        if creditor != "nordwind" {
            local
                .store
                .put_creditor(&duly_local::fixtures::creditor(creditor))
                .await
                .unwrap();
        }
        let connection = format!("conn-{creditor}");
        local.add_connection(&connection, creditor, SECRET).await;
        let mut emails = Vec::new();
        for d in 0..debtors {
            let email = format!("{creditor}-{d}-{}@fair.example", local.store.table());
            let debtor = format!("cus-{d}");
            for (id, body) in [
                (format!("c{d}"), facts::contact(&debtor, &email, None, t)),
                (
                    format!("i{d}"),
                    facts::invoice(
                        &format!("{}", 5000 + d),
                        &debtor,
                        "10.00",
                        "10.00",
                        "2026-12-01",
                        "open",
                        t,
                    ),
                ),
            ] {
                let delivery =
                    duly_local::webhook_event::signed_delivery(&connection, SECRET, &id, at(t).timestamp(), &body);
                assert_eq!(local.send_event(&delivery, at(t)).await.0, 200);
            }
            emails.push(email);
        }
        creditors.push((creditor, emails));
    }
    local.scheduler.budget.max_debtors = 100;
    run(&local, "2026-11-16T10:00:00Z").await;
    local.scheduler.budget.max_debtors = 10;

    let first = run(&local, "2026-11-30T07:15:00Z").await;
    assert_eq!((first.sent, first.postponed), (10, 12), "{first:?}");
    for (creditor, emails) in &creditors[1..] {
        assert_eq!(
            emails_to(&emails[0]).await.len(),
            1,
            "{creditor} was reminded in the first run"
        );
    }
    // The next run goes on with what is left.
    let second = run(&local, "2026-11-30T07:30:00Z").await;
    assert_eq!((second.sent, second.postponed), (10, 2), "{second:?}");
}
