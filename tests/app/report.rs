//! The creditor's report: figures counted from the table's stream as things happen (reminders per step and
//! channel, answers, payments) and the ageing of what is still open, each checked against the scenario.

use chrono::Duration;
use serde_json::json;

use duly_core::messages::links::{Action, Answer};
use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::fixtures::{facts, nordwind};
use duly_local::{at, test_links, Local};

const T: &str = "2026-11-16T09:00:00Z";

#[tokio::test]
async fn the_weekly_report_counts_what_happened_and_ages_what_is_open() {
    let local = Local::with_stream("report-week").await;
    for (i, amount) in [(1, "1250.00"), (2, "100.00")] {
        local
            .deliver(
                &format!("c{i}"),
                &facts::contact(
                    &format!("cus-{i}"),
                    &format!("ap{i}-{}@tamm.example", local.store.table()),
                    None,
                    T,
                ),
                at(T),
            )
            .await;
        local
            .deliver(
                &format!("i{i}"),
                &facts::invoice(
                    &format!("100{i}"),
                    &format!("cus-{i}"),
                    amount,
                    amount,
                    "2026-12-01",
                    "open",
                    T,
                ),
                at(T),
            )
            .await;
    }
    duly_scheduler::handle(&local.scheduler, at("2026-11-16T10:00:00Z"))
        .await
        .unwrap();
    // Monday 30 November: both get the pre-due e-mail (step before-3).
    let run = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
        .await
        .unwrap();
    assert_eq!(run.sent, 2);
    // Tuesday: cus-1 answers "already paid"; cus-2 pays INV-1002 in full.
    let now = at("2026-12-01T10:00:00Z");
    let token = test_links().token(&Answer {
        creditor: nordwind(),
        debtor: DebtorId::parse("cus-1").unwrap(),
        invoices: vec![InvoiceId::parse("1001").unwrap()],
        action: Action::Paid,
        language: duly_core::locale::Language::En,
        expires: (now + Duration::days(30)).timestamp(),
    });
    let (status, _, _) = local.answer("POST", &format!("/a/{token}"), "", now).await;
    assert_eq!(status, 200);
    // cus-2 first promises to pay by 5 December, then pays the same day: a promise kept.
    let promise = test_links().token(&Answer {
        creditor: nordwind(),
        debtor: DebtorId::parse("cus-2").unwrap(),
        invoices: vec![InvoiceId::parse("1002").unwrap()],
        action: Action::Promise,
        language: duly_core::locale::Language::En,
        expires: (now + Duration::days(30)).timestamp(),
    });
    let (status, _, _) = local
        .answer(
            "POST",
            &format!("/a/{promise}"),
            "date=2026-12-05",
            now + Duration::minutes(30),
        )
        .await;
    assert_eq!(status, 200);
    let paid = facts::payment("p1", "1002", "100.00", "0.00", "2026-12-01T11:00:00Z");
    assert_eq!(local.deliver("p1", &paid, at("2026-12-01T11:00:00Z")).await.0, 200);
    // The creditor marks INV-1001 disputed, then resolves it the same day: one dispute resolved.
    let (status, _) = local
        .api(
            "PUT",
            "/v1/invoices/1001/dispute",
            Some(json!({"reason": "wrong quantity"})),
            None,
            at("2026-12-01T11:30:00Z"),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = local
        .api(
            "DELETE",
            "/v1/invoices/1001/dispute",
            None,
            None,
            at("2026-12-01T11:45:00Z"),
        )
        .await;
    assert_eq!(status, 200);

    // The billing function counts the stream's new items; the same batch again counts nothing.
    let app = duly_billing::App::<duly_adapters::metering::StripeMeters> {
        store: local.store_for("BillingFunction"),
        sink: None,
        notify: None,
        prices: Default::default(),
    };
    // What the template's filters let through, as the event source mapping would deliver it.
    let all = duly_local::stream::records(local.store.client(), local.store.table()).await;
    let batch = duly_local::stream::filtered_by_any(&all, &duly_local::stream::billing_filters());
    duly_billing::handle(&app, &batch, at("2026-12-01T12:00:00Z"))
        .await
        .unwrap();
    duly_billing::handle(&app, &batch, at("2026-12-01T12:05:00Z"))
        .await
        .unwrap();

    // The week of Monday 30 November, asked on Wednesday 2 December.
    let asked = at("2026-12-02T09:00:00Z");
    let (status, report) = local
        .api("GET", "/v1/report?period=week&date=2026-12-02", None, None, asked)
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["from"].as_str(), report["to"].as_str()),
        (Some("2026-11-30"), Some("2026-12-06"))
    );
    assert_eq!(
        report["sent"],
        json!([{"step": "before-3", "channel": "email", "count": 2}]),
        "{report}"
    );
    assert_eq!(report["answers"], json!({"paid": 1, "promise": 1}), "{report}");
    assert_eq!(
        (
            report["promises_kept"].as_i64(),
            report["promises_broken"].as_i64(),
            report["disputes_open"].as_i64()
        ),
        (Some(1), Some(0), Some(0)),
        "{report}"
    );
    assert_eq!(report["disputes_resolved"], json!(1), "{report}");
    assert_eq!(
        (report["payments"].as_i64(), report["paid"]["EUR"].as_str()),
        (Some(1), Some("100.00"))
    );
    // Paid on 1 December, a day after its reminder of 30 November: within the week.
    assert_eq!(report["paid_after_reminder"], json!(1), "{report}");
    // What that payment brought in, beside how many there were.
    assert_eq!(
        report["paid_after_reminder_amounts"],
        json!({"EUR": "100.00"}),
        "{report}"
    );
    assert_eq!(
        report["unlikely_to_pay"],
        json!([]),
        "nobody near the threshold: {report}"
    );
    // INV-1001 (€1,250.00, due 1 December) is one day late on 2 December; INV-1002 is paid.
    assert_eq!(
        report["ageing"],
        json!([{"currency": "EUR", "buckets": [0, 125000, 0, 0, 0]}]),
        "{report}"
    );
    // DSO by week: both invoices were issued on 1 November (the week of 26 October, €1,350.00 invoiced)
    // but first seen on 16 November, when €1,350.00 became owed; €100.00 was paid on 1 December. Owed
    // now: €1,250.00. So at the end of the week of 26 October: 1,250 − (1,350 − 100) = €0, 0 days; of 16
    // November: 1,250 + 100 = €1,350.00, nothing invoiced that week, no figure.
    let weeks = &report["dso"][0];
    assert_eq!(weeks["currency"], "EUR", "{report}");
    let points = weeks["points"].as_array().expect("twelve weeks");
    assert_eq!(points.len(), 12);
    assert_eq!(
        (points[0]["from"].as_str(), points[11]["to"].as_str()),
        (Some("2026-09-14"), Some("2026-12-06"))
    );
    assert_eq!(
        points[6],
        json!({"from": "2026-10-26", "to": "2026-11-01", "receivable": "0.00", "invoiced": "1350.00", "days": "0.0"})
    );
    assert_eq!(
        (points[9]["receivable"].as_str(), points[9]["days"].as_str()),
        (Some("1350.00"), None)
    );
    assert_eq!(points[11]["receivable"], "1250.00");
    // By month: November invoiced €1,350.00 and ended with €1,350.00 owed: 1,350 × 30 ÷ 1,350 = 30.0 days.
    let (status, months) = local
        .api("GET", "/v1/report?period=month&date=2026-12-02", None, None, asked)
        .await;
    assert_eq!(status, 200, "{months}");
    assert_eq!(
        months["dso"][0]["points"][10],
        json!({"from": "2026-11-01", "to": "2026-11-30", "receivable": "1350.00", "invoiced": "1350.00", "days": "30.0"})
    );
    // A report from further back than DSO's reach is refused with the reason.
    let (status, old) = local
        .api("GET", "/v1/report?period=week&date=2024-11-25", None, None, asked)
        .await;
    assert_eq!(status, 422, "{old}");
    // The week before holds none of it.
    let (_, before) = local
        .api("GET", "/v1/report?period=week&date=2026-11-25", None, None, asked)
        .await;
    assert_eq!(
        (before["sent"].as_array().map(Vec::len), before["payments"].as_i64()),
        (Some(0), Some(0))
    );
    let (status, _) = local.api("GET", "/v1/report?period=year", None, None, asked).await;
    assert_eq!(status, 400);
    // Mailed on the creditor's schedule: from eight on Monday 7 December in Tallinn, once, in Estonian.
    let (status, _) = local
        .api(
            "PUT",
            "/v1/notifications",
            Some(json!({"delivery": "each", "report": "week"})),
            None,
            asked,
        )
        .await;
    assert_eq!(status, 200);
    let mailing = duly_billing::App::<duly_adapters::metering::StripeMeters> {
        store: local.store_for("BillingFunction"),
        sink: None,
        notify: Some(local.notify_for("BillingFunction")),
        prices: Default::default(),
    };
    let subject = "Teie aruanne, 30.11.2026 kuni 06.12.2026";
    let mails = || async {
        duly_local::moto::sent_emails()
            .await
            .into_iter()
            .filter(|m| m.subject == subject)
            .collect::<Vec<_>>()
    };
    let early = duly_billing::handle(&mailing, &json!({}), at("2026-12-07T05:30:00Z"))
        .await
        .unwrap();
    assert_eq!(early["reports"], json!(0), "07:30 in Tallinn: {early}");
    let on_time = duly_billing::handle(&mailing, &json!({}), at("2026-12-07T06:05:00Z"))
        .await
        .unwrap();
    assert_eq!(on_time["reports"], json!(1), "{on_time}");
    let again = duly_billing::handle(&mailing, &json!({}), at("2026-12-07T07:05:00Z"))
        .await
        .unwrap();
    assert_eq!(again["reports"], json!(0), "once: {again}");
    let mail = mails().await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0]
            .body
            .contains("Saadeti 2 meeldetuletust; laekus 1 makset, neist 1 nädala jooksul"),
        "{}",
        mail[0].body
    );
    let linked = mail[0].body.replace("&#x2f;", "/");
    assert!(
        linked.contains("<a href=\"https://app.duly.example/app/reports/week/2026-11-30\">"),
        "{linked}"
    );

    let (status, kind, page) = local
        .api_raw(
            "GET",
            "/v1/report?period=week&date=2026-12-02&format=html",
            None,
            None,
            asked,
        )
        .await;
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(
        page.contains("<svg") && page.contains("3 päeva enne maksetähtaega · sõbralik") && !page.contains("before-3"),
        "each step by when it goes and its tone: {page}"
    );
    // The page is in the creditor's language, Estonian, with the DSO table.
    assert!(page.contains("<html lang=\"et\">"), "{page}");
    for words in [
        "Laekunud nädala jooksul pärast meeldetuletust, EUR</th><td class=\"num\">100,00\u{a0}€",
        "Nädala aruanne, 30.11.2026 kuni 06.12.2026",
        "Lahendatud vaidlused",
        "Nõuete käibevälde",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
}

/// How late a customer paid before is kept as it happens, from the stream, and scored: three invoices paid
/// 5, 12 and 20 days late make "later each time".
#[tokio::test]
async fn a_customer_who_pays_later_each_time_is_scored_for_it() {
    let local = Local::with_stream("report-paid-late").await;
    let contact_at = "2026-09-01T09:00:00Z";
    let email = format!("ap-{}@tamm.example", local.store.table());
    local
        .deliver("c1", &facts::contact("cus-1", &email, None, contact_at), at(contact_at))
        .await;
    for (n, issued, due, paid) in [
        (1, "2026-09-20", "2026-10-01", "2026-10-06"),
        (2, "2026-10-01", "2026-10-15", "2026-10-27"),
        (3, "2026-10-15", "2026-11-01", "2026-11-21"),
    ] {
        let t = format!("{issued}T09:00:00Z");
        let invoice = facts::invoice(&format!("200{n}"), "cus-1", "100.00", "100.00", due, "open", &t);
        assert_eq!(local.deliver(&format!("i{n}"), &invoice, at(&t)).await.0, 200);
        let p = format!("{paid}T10:00:00Z");
        let payment = facts::payment(&format!("p{n}"), &format!("200{n}"), "100.00", "0.00", &p);
        assert_eq!(local.deliver(&format!("p{n}"), &payment, at(&p)).await.0, 200);
    }
    let open_at = "2026-11-25T09:00:00Z";
    let open = facts::invoice("2004", "cus-1", "100.00", "100.00", "2026-12-31", "open", open_at);
    local.deliver("i4", &open, at(open_at)).await;

    let app = duly_billing::App::<duly_adapters::metering::StripeMeters> {
        store: local.store_for("BillingFunction"),
        sink: None,
        notify: None,
        prices: Default::default(),
    };
    let all = duly_local::stream::records(local.store.client(), local.store.table()).await;
    let batch = duly_local::stream::filtered_by_any(&all, &duly_local::stream::billing_filters());
    for _ in 0..2 {
        duly_billing::handle(&app, &batch, at("2026-11-30T08:00:00Z"))
            .await
            .unwrap();
    }
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    let record: Vec<(String, i64)> = debtor
        .paid_late
        .iter()
        .map(|p| (p.invoice_id.clone(), p.days))
        .collect();
    assert_eq!(
        record,
        [("2001".into(), 5), ("2002".into(), 12), ("2003".into(), 20)],
        "each once, although the batch came twice"
    );
    // Not yet due, so only the record speaks: 2 points, in the creditor's language.
    let (status, score) = local
        .api("GET", "/v1/debtors/cus-1/score", None, None, at("2026-11-30T09:00:00Z"))
        .await;
    assert_eq!(status, 200, "{score}");
    assert_eq!(
        score["factors"],
        json!([{"points": 2, "reason": "tasus kolm viimast arvet 5, 12 ja 20 päeva hiljem: iga kord hiljem"}]),
        "{score}"
    );
}
