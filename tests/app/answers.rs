//! Debtors answering through the links in their messages: opening a link changes nothing, submitting it
//! pauses or defers the plan at once, is recorded, and reaches the creditor; forged links do nothing.

use chrono::Duration;
use serde_json::json;

use duly_core::locale::Language;
use duly_core::messages::links::{Action, Answer};
use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::fixtures::facts;
use duly_local::fixtures::nordwind;
use duly_local::moto::sent_emails;
use duly_local::{at, test_links, Local};

const T: &str = "2026-11-16T09:00:00Z";
const NOW: &str = "2026-12-02T09:00:00Z";

/// A debtor in Tallinn who reads Estonian, with an invoice due 1 December, planned and reminded once.
async fn seed(local: &Local) {
    let contact = json!({"type": "contact.updated", "data": {
        "debtor_id": "cus-1", "name": "Tamm & Pojad OÜ", "email": format!("ap-{}@tamm.example", local.store.table()),
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
    duly_scheduler::handle(&local.scheduler, at("2026-11-16T10:00:00Z"))
        .await
        .unwrap();
}

/// Kask OÜ, the creditor's other customer, owing INV-2002.
async fn another_customer(local: &Local) {
    let other = json!({"type": "contact.updated", "data": {
        "debtor_id": "cus-2", "name": "Kask OÜ", "email": "arved@kask.example", "language": "et",
        "country": "EE", "updated_at": T
    }});
    local.deliver("c2", &other.to_string(), at(T)).await;
    let theirs = facts::invoice("2002", "cus-2", "90.00", "90.00", "2026-11-20", "open", T);
    local.deliver("i-2002", &theirs, at(T)).await;
}

fn link(action: Action) -> String {
    let token = test_links().token(&Answer {
        creditor: nordwind(),
        debtor: DebtorId::parse("cus-1").unwrap(),
        invoices: vec![InvoiceId::parse("1001").unwrap()],
        action,
        language: Language::Et,
        expires: (at(NOW) + Duration::days(30)).timestamp(),
    });
    format!("/a/{token}")
}

async fn invoice(local: &Local) -> duly_core::ledger::Invoice {
    local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn already_paid_pauses_reminders_for_a_week_and_tells_the_creditor() {
    let local = Local::new("answer-paid").await;
    seed(&local).await;
    let before = invoice(&local).await;

    let (status, page, _) = local.answer("GET", &link(Action::Paid), "", at(NOW)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Olen juba tasunud"), "the page speaks Estonian");
    let headers = local.answer_headers(&link(Action::Paid), at(NOW)).await;
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    let policy = headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(
        policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'none'"),
        "{policy}"
    );
    assert!(page.contains("INV-1001"));
    assert_eq!(invoice(&local).await, before, "opening the link changes nothing");

    let (status, page, _) = local.answer("POST", &link(Action::Paid), "", at(NOW)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Aitäh!"), "{page}");
    let after = invoice(&local).await;
    let switch = after.controls.reminders.as_ref().unwrap();
    assert_eq!(
        (switch.on, switch.until.map(|d| d.to_string())),
        (false, Some("2026-12-09".into()))
    );
    assert_eq!(
        after.next_action_at,
        Some(at("2026-12-09T07:00:00Z")),
        "replanned at once"
    );
    assert_eq!(
        duly_scheduler::handle(&local.scheduler, at("2026-12-03T08:00:00Z"))
            .await
            .unwrap()
            .sent,
        0
    );

    let answers = local.store.answers(&nordwind()).await.unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].action, "paid");
    // In the creditor's language (Estonian), naming the debtor as the platform does, in the text only.
    let told = sent_emails().await.into_iter().any(|m| {
        m.destinations.to.contains(&"ar@nordwind.example".to_string())
            && m.subject == "Klient vastas meeldetuletusele"
            && m.body.contains("Tamm &amp; Pojad OÜ")
            && m.body
                .contains("teatab, et on tasunud: INV-1001. Meeldetuletused on peatatud kuni 09.12.2026.")
    });
    assert!(told, "the creditor's reply-to address heard of it");
}

#[tokio::test]
async fn a_promise_defers_and_a_bad_date_asks_again() {
    let local = Local::new("answer-promise").await;
    seed(&local).await;
    let (status, page, _) = local
        .answer("POST", &link(Action::Promise), "date=2020-01-01", at(NOW))
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("90"), "explains the allowed dates");
    assert!(invoice(&local).await.controls.promise.is_none());

    let (status, page, _) = local
        .answer("POST", &link(Action::Promise), "date=2026-12-15", at(NOW))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("15.12.2026"), "{page}");
    let inv = invoice(&local).await;
    assert_eq!(inv.controls.promise.unwrap().date.to_string(), "2026-12-15");
    // 15 December plus 3 grace days is Friday 18 December.
    assert_eq!(inv.next_action_at, Some(at("2026-12-18T07:00:00Z")));
}

/// A promise stands until its date: promising a later date before then would hold reminders back for
/// ever, so it is refused with the reason and changes nothing. A declined plan cannot be asked for again
/// at once either.
#[tokio::test]
async fn a_debtor_cannot_keep_deferring_by_promising_again_or_re_asking_a_declined_plan() {
    let local = Local::new("answer-defer").await;
    seed(&local).await;
    let (status, _, _) = local
        .answer("POST", &link(Action::Promise), "date=2026-12-15", at(NOW))
        .await;
    assert_eq!(status, 200);
    let promised = invoice(&local).await;

    let later = at("2026-12-14T09:00:00Z");
    let (status, page, _) = local
        .answer("POST", &link(Action::Promise), "date=2027-02-28", later)
        .await;
    assert_eq!(status, 409);
    assert!(page.contains("15.12.2026"), "names the promise that stands: {page}");
    assert_eq!(invoice(&local).await, promised, "nothing changed");

    // The creditor may clear it; after that the debtor may promise again.
    let (status, _) = local
        .api("DELETE", "/v1/invoices/1001/promise", None, None, later)
        .await;
    assert_eq!(status, 200);

    // Instalments: asked, declined by the creditor, and not asked again for thirty days.
    let (status, _) = local
        .api(
            "PUT",
            "/v1/payment-plans",
            Some(json!({"max_instalments": 3})),
            None,
            later,
        )
        .await;
    assert_eq!(status, 200);
    let (status, _, _) = local
        .answer("POST", &link(Action::Promise), "instalments=3", later)
        .await;
    assert_eq!(status, 200);
    let (status, _) = local
        .api("DELETE", "/v1/invoices/1001/payment-plan", None, None, later)
        .await;
    assert_eq!(status, 200);
    let declined = invoice(&local).await;
    assert!(declined.controls.plan_request.is_none());
    let (status, page, _) = local
        .answer(
            "POST",
            &link(Action::Promise),
            "instalments=3",
            at("2026-12-20T09:00:00Z"),
        )
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("13.01.2027"), "says from when: {page}");
    assert_eq!(invoice(&local).await, declined);
}

#[tokio::test]
async fn a_dispute_stops_the_plan_with_the_debtors_reason() {
    let local = Local::new("answer-dispute").await;
    seed(&local).await;
    let (status, _, _) = local.answer("POST", &link(Action::Dispute), "reason=", at(NOW)).await;
    assert_eq!(status, 422, "a dispute needs a reason");
    let (status, _, _) = local
        .answer("POST", &link(Action::Dispute), "reason=Kaup+saabus+katkisena", at(NOW))
        .await;
    assert_eq!(status, 200);
    let inv = invoice(&local).await;
    assert_eq!(inv.controls.dispute.unwrap().reason, "Kaup saabus katkisena");
    assert_eq!(inv.next_action_at, None);
}

#[tokio::test]
async fn one_click_unsubscribe_drops_pre_due_notes_only() {
    let local = Local::new("answer-unsubscribe").await;
    seed(&local).await;
    let (status, body, _) = local
        .answer(
            "POST",
            &link(Action::Unsubscribe),
            "List-Unsubscribe=One-Click",
            at("2026-11-20T09:00:00Z"),
        )
        .await;
    assert_eq!((status, body.as_str()), (200, ""));
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(debtor.controls.declined_pre_due);
    // The pre-due step of 30 November is gone; the first overdue reminder on 2 December remains.
    assert_eq!(invoice(&local).await.next_action_at, Some(at("2026-12-02T07:00:00Z")));
}

#[tokio::test]
async fn forged_and_expired_links_change_nothing() {
    let local = Local::new("answer-forged").await;
    seed(&local).await;
    let before = invoice(&local).await;
    let forged = duly_core::messages::links::Links::new(b"not-the-secret", "https://x").token(&Answer {
        creditor: nordwind(),
        debtor: DebtorId::parse("cus-1").unwrap(),
        invoices: vec![InvoiceId::parse("1001").unwrap()],
        action: Action::Dispute,
        language: Language::Et,
        expires: at(NOW).timestamp() + 3600,
    });
    let (status, _, _) = local.answer("POST", &format!("/a/{forged}"), "reason=x", at(NOW)).await;
    assert_eq!(status, 404);
    let (status, _, _) = local
        .answer("POST", &link(Action::Dispute), "reason=x", at(NOW) + Duration::days(31))
        .await;
    assert_eq!(status, 410);
    assert_eq!(invoice(&local).await, before);
    assert!(local.store.answers(&nordwind()).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_short_pay_link_redirects_to_the_invoice() {
    let local = Local::new("answer-pay-link").await;
    seed(&local).await;
    let phone_contact = json!({"type": "contact.updated", "data": {
        "debtor_id": "cus-1", "name": "Tamm & Pojad OÜ", "email": "x@tamm.example", "phone": "+37255512300",
        "language": "et", "country": "EE", "time_zone": "Europe/Tallinn", "updated_at": "2026-11-17T09:00:00Z"
    }});
    local
        .deliver("c2", &phone_contact.to_string(), at("2026-11-17T09:00:00Z"))
        .await;
    duly_scheduler::handle(&local.scheduler, at(NOW)).await.unwrap();
    let sms = duly_local::moto::sent_sms()
        .await
        .into_iter()
        .rev()
        .find(|s| s.phone_number == "+37255512300")
        .unwrap();
    let path = sms
        .message
        .rsplit("https://answers.duly.test")
        .next()
        .unwrap()
        .to_string();
    let (status, _, location) = local.answer("GET", &path, "", at(NOW)).await;
    assert_eq!(
        (status, location.as_deref()),
        (302, Some("https://pay.nordwind.example/i/1001"))
    );
    let (status, _, _) = local.answer("GET", "/p/0000000000", "", at(NOW)).await;
    assert_eq!(status, 404);
}

/// Whoever holds a link cannot flood the creditor's inbox with it, nor keep reminders paused for ever by
/// saying "already paid" again every week: a link's pause runs from its first use, and a link answers at
/// most three times a day.
#[tokio::test]
async fn a_link_submitted_again_and_again_neither_extends_the_pause_nor_floods_the_creditor() {
    let local = Local::new("answer-flood").await;
    seed(&local).await;
    for i in 0..6 {
        let (status, _, _) = local
            .answer("POST", &link(Action::Paid), "", at(NOW) + Duration::seconds(i))
            .await;
        assert_eq!(status, 200);
    }
    assert_eq!(
        local.store.answers(&nordwind()).await.unwrap().len(),
        3,
        "three a day are taken"
    );

    // Six days later the same link again: the pause still ends a week after the first answer.
    let later = at(NOW) + Duration::days(6);
    let (status, _, _) = local.answer("POST", &link(Action::Paid), "", later).await;
    assert_eq!(status, 200);
    let switch = invoice(&local).await.controls.reminders.unwrap();
    assert_eq!(switch.until.map(|d| d.to_string()), Some("2026-12-09".into()));
}

/// The link every message carries to the debtor's own page, signed for cus-1 until `expires`.
fn page_link(expires: chrono::DateTime<chrono::Utc>) -> String {
    let token = test_links().token(&Answer {
        creditor: nordwind(),
        debtor: DebtorId::parse("cus-1").unwrap(),
        invoices: Vec::new(),
        action: Action::Statement,
        language: Language::Et,
        expires: expires.timestamp(),
    });
    format!("/a/{token}")
}

/// The links to `/a/…` a page carries, by their path: its answers, and its invoices' documents.
fn links_to_pages(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&#x2f;", "/"))
        .filter_map(|href| href.find("/a/").map(|at| href[at..].to_string()))
        .collect()
}

/// The answer links a page carries, by their path.
fn answer_paths(page: &str) -> Vec<String> {
    links_to_pages(page)
        .into_iter()
        .filter(|p| !p.contains("/invoice/"))
        .collect()
}

/// The debtor's own page, from the link in every message: what they owe this creditor with its
/// compensation, a pay button and the three answers for each invoice (which open that invoice's answer
/// pages), in Estonian; no other debtor's invoice; fits a phone and passes axe-core; stops with its link,
/// and a link opened too often in a day gets 429.
#[tokio::test]
async fn the_debtors_own_page_shows_what_they_owe_with_charges_pay_and_answers_and_nothing_else() {
    let local = Local::new("answer-own-page").await;
    seed(&local).await;
    let (status, _) = local
        .api(
            "PUT",
            "/v1/late-charges",
            Some(json!({"interest": true, "compensation": true, "country": "EE"})),
            None,
            at(T),
        )
        .await;
    assert_eq!(status, 200);
    another_customer(&local).await;

    let expires = at(NOW) + Duration::days(30);
    let path = page_link(expires);
    let (status, page, _) = local.answer("GET", &path, "", at(NOW)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(">INV-1001<") && page.contains("1250,00"), "{page}");
    assert!(
        page.contains("Sissenõudmiskulude hüvitis") && page.contains("40,00"),
        "the compensation of an invoice a day late: {page}"
    );
    assert!(
        page.contains("https:&#x2f;&#x2f;pay.nordwind.example&#x2f;i&#x2f;1001"),
        "{page}"
    );
    assert!(
        !page.contains("INV-2002") && !page.contains("Kask"),
        "another debtor's invoice: {page}"
    );
    let answers = answer_paths(&page);
    assert_eq!(answers.len(), 3, "{answers:?}");
    let (status, promise, _) = local.answer("GET", &answers[1], "", at(NOW)).await;
    assert_eq!(status, 200, "{promise}");
    assert!(
        promise.contains("INV-1001") && promise.contains("type=\"date\""),
        "{promise}"
    );

    // On a phone, in Chromium: nothing wider than the screen, and nothing axe-core finds wrong.
    let (base, _clock) = duly_local::web::serve_answers(&local, at(NOW)).await;
    let driver = duly_local::browser::Driver::start().await;
    let browser = driver.browser(390, 844).await;
    browser.goto(&format!("{base}{path}")).await.unwrap();
    let width = browser
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap();
    assert!(
        width.as_u64().unwrap() <= 390,
        "the page is {width} px wide on a 390 px phone"
    );
    duly_local::browser::assert_accessible(&browser, "the debtor's page").await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/web-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("debtor-page-phone.png"), browser.screenshot().await.unwrap()).unwrap();
    browser.close().await.unwrap();

    let (status, _, _) = local.answer("GET", &path, "", expires + Duration::seconds(1)).await;
    assert_eq!(status, 410, "the page ends with its link");
    let mut views = 2;
    let refused = loop {
        let (status, page, _) = local.answer("GET", &path, "", at(NOW) + Duration::minutes(1)).await;
        if status != 200 {
            break (status, page);
        }
        views += 1;
        assert!(views <= 100, "never refused");
    };
    assert_eq!(refused.0, 429, "{}", refused.1);
    assert!(refused.1.contains("liiga sageli"), "{}", refused.1);
    assert_eq!(views, duly_app::answers::statement::VIEWS_PER_LINK_PER_DAY);
}

/// The page also lists what the debtor paid lately, and hands out the documents of their own invoices,
/// counted against the page's link, and nobody else's.
#[tokio::test]
async fn the_debtors_page_lists_recent_payments_and_hands_out_their_own_invoices_only() {
    let local = Local::new("answer-own-documents").await;
    seed(&local).await;
    // A second invoice, paid on 28 November; and another customer's invoice, with its document kept.
    let second = facts::invoice("1002", "cus-1", "75.50", "75.50", "2026-11-20", "open", T);
    local.deliver("i2", &second, at(T)).await;
    // A third, open, whose document the platform never gave: no link for it.
    let third = facts::invoice("1003", "cus-1", "12.00", "12.00", "2026-12-20", "open", T);
    local.deliver("i-1003", &third, at(T)).await;
    let paid = facts::payment("pay-1", "1002", "75.50", "0", "2026-11-28T12:00:00Z");
    local.deliver("p1", &paid, at("2026-11-28T12:00:00Z")).await;
    // The billing function records the payment on the debtor from the table's stream (tested with the
    // stream in billing.rs); here its write stands in for it.
    let cus1 = DebtorId::parse("cus-1").unwrap();
    let record = [duly_core::model::PaidLate {
        invoice_id: "1002".into(),
        paid_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        days: 8,
    }];
    assert!(local
        .store
        .set_paid_late(&nordwind(), &cus1, &[], &record)
        .await
        .unwrap());
    another_customer(&local).await;
    let pdf = b"%PDF-1.7 the invoice as Merit printed it".to_vec();
    for (invoice, content) in [("1001", pdf.clone()), ("2002", b"%PDF-1.7 Kask's".to_vec())] {
        let document = duly_adapters::store::Document {
            file_name: format!("INV-{invoice}.pdf"),
            version: at(T),
            content: Some(content),
        };
        let id = InvoiceId::parse(invoice).unwrap();
        local.store.put_document(&nordwind(), &id, &document).await.unwrap();
    }

    let path = page_link(at(NOW) + Duration::days(30));
    let (status, page, _) = local.answer("GET", &path, "", at(NOW)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Hiljuti tasutud"), "{page}");
    assert!(
        page.contains("INV-1002") && page.contains("75,50") && page.contains("28.11.2026"),
        "{page}"
    );
    let documents: Vec<String> = links_to_pages(&page)
        .into_iter()
        .filter(|p| p.contains("/invoice/"))
        .collect();
    assert_eq!(
        documents,
        [format!("{path}/invoice/1001")],
        "the open invoice's document only"
    );

    let (status, bytes, disposition) = local.answer_file(&documents[0], at(NOW)).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, pdf);
    assert_eq!(disposition.as_deref(), Some("attachment; filename=\"INV-1001.pdf\""));
    // Another customer's invoice through this link, and one of theirs without a document: not here.
    for elsewhere in ["2002", "1002", "1003", "..%2F2002"] {
        let (status, bytes, _) = local.answer_file(&format!("{path}/invoice/{elsewhere}"), at(NOW)).await;
        assert_eq!(status, 404, "{elsewhere}");
        let page = String::from_utf8(bytes).unwrap();
        assert!(
            page.contains("ei ole siin saadaval") && !page.contains("Kask's"),
            "{page}"
        );
    }
    // A link that is not a page link opens no document.
    let (status, _, _) = local
        .answer_file(&format!("{}/invoice/1001", link(Action::Paid)), at(NOW))
        .await;
    assert_eq!(status, 404);
}
