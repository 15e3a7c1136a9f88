//! What debtors receive, read back from the local SES and SNS: their language, the creditor's name and
//! domain (or Duly's while it is not verified), answer links, a short pay link, and unsubscribe headers only
//! where reminders are optional.

use serde_json::json;

use duly_core::model::ids::DebtorId;
use duly_local::fixtures::nordwind;
use duly_local::fixtures::{facts, FALLBACK_FROM};
use duly_local::moto::{sent_emails, sent_sms};
use duly_local::{at, test_links, Local};

const T: &str = "2026-11-16T09:00:00Z";

async fn contact(local: &Local, email: &str, phone: Option<&str>, language: &str) {
    contact_at(local, email, phone, language, T).await;
}

/// The Estonian customer cus-1, as the platform describes it at `t`.
async fn contact_at(local: &Local, email: &str, phone: Option<&str>, language: &str, t: &str) {
    let body = json!({"type": "contact.updated", "data": {
        "debtor_id": "cus-1", "name": "Tamm & Pojad OÜ", "email": email, "phone": phone,
        "language": language, "country": "EE", "time_zone": "Europe/Tallinn", "updated_at": t
    }});
    assert_eq!(local.deliver("c1", &body.to_string(), at(t)).await.0, 200);
}

async fn invoice(local: &Local) {
    invoice_at(local, "1250.00", "2026-12-01", T).await;
}

/// Invoice 1001 of cus-1, open for its whole `total`, as the platform describes it at `t`.
async fn invoice_at(local: &Local, total: &str, due: &str, t: &str) {
    let body = facts::invoice("1001", "cus-1", total, total, due, "open", t);
    assert_eq!(local.deliver("i1", &body, at(t)).await.0, 200);
}

async fn run(local: &Local, when: &str) -> duly_scheduler::Summary {
    duly_scheduler::handle(&local.scheduler, at(when)).await.unwrap()
}

#[tokio::test]
async fn a_debtor_gets_the_reminder_in_their_language_with_working_answer_links() {
    let local = Local::new("msg-language").await;
    let (email, _) = local.unique_contact();
    contact(&local, &email, None, "et").await;
    invoice(&local).await;
    run(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(run(&local, "2026-11-30T07:15:00Z").await.sent, 1);

    let mail = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .unwrap();
    assert_eq!(mail.subject, "Maksetähtaeg 01.12.2026: arve INV-1001 (1250,00\u{a0}€)");
    assert!(mail.body.contains(r#"<html lang="et">"#));
    assert!(mail.body.contains("Tere, Tamm &amp; Pojad OÜ!"));
    assert!(
        mail.source.contains("accounts@nordwind.example"),
        "the creditor's own verified domain: {}",
        mail.source
    );

    // The answer links are signed for this creditor, debtor and invoice.
    let token = mail
        .body
        .split("https://answers.duly.test/a/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an answer link");
    let answer = test_links().verify(token, at("2026-11-30T08:00:00Z")).unwrap();
    assert_eq!(
        (answer.creditor, answer.debtor),
        (nordwind(), DebtorId::parse("cus-1").unwrap())
    );
    assert_eq!(answer.invoices.len(), 1);
}

#[tokio::test]
async fn an_unverified_domain_sends_from_dulys_address_in_the_creditors_name() {
    let local = Local::new("msg-fallback").await;
    let mut creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    creditor.branding.from_address = "accounts@not-yet-verified.example".into();
    local.store.put_creditor(&creditor).await.unwrap();
    let (email, _) = local.unique_contact();
    contact(&local, &email, None, "en").await;
    invoice(&local).await;
    run(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(run(&local, "2026-11-30T07:15:00Z").await.sent, 1);
    let mail = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .unwrap();
    assert!(mail.source.contains(FALLBACK_FROM), "{}", mail.source);
    assert!(mail.source.contains("Nordwind Tools accounts"), "{}", mail.source);
}

#[tokio::test]
async fn an_overdue_sms_carries_a_short_pay_link_that_leads_to_the_invoice() {
    let local = Local::new("msg-sms-link").await;
    let (email, phone) = local.unique_contact();
    contact(&local, &email, Some(&phone), "en").await;
    invoice(&local).await;
    run(&local, "2026-11-16T10:00:00Z").await;
    run(&local, "2026-12-02T08:00:00Z").await;
    let sms = sent_sms()
        .await
        .into_iter()
        .find(|s| s.phone_number == phone)
        .expect("an SMS");
    let code = sms.message.rsplit("https://answers.duly.test/p/").next().unwrap();
    assert_eq!(code.len(), 10, "{}", sms.message);
    let target = local.store.short_link(code, at("2026-12-02T09:00:00Z")).await.unwrap();
    assert_eq!(target.as_deref(), Some("https://pay.nordwind.example/i/1001"));
    assert!(sms.message.len() <= 160, "one GSM-7 segment: {}", sms.message);
}

#[tokio::test]
async fn a_number_that_replied_stop_gets_no_sms_and_is_recorded_as_opted_out() {
    let local = Local::new("msg-sms-stop").await;
    let (email, _) = local.unique_contact();
    // The local SNS treats numbers ending in 99 as opted out.
    let phone = "+37255500099";
    contact(&local, &email, Some(phone), "en").await;
    invoice(&local).await;
    run(&local, "2026-11-16T10:00:00Z").await;
    let before = sent_sms().await.iter().filter(|s| s.phone_number == phone).count();
    assert_eq!(
        run(&local, "2026-12-02T08:00:00Z").await.sent,
        1,
        "the e-mail still goes out"
    );
    assert_eq!(
        sent_sms().await.iter().filter(|s| s.phone_number == phone).count(),
        before
    );
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(debtor.controls.opted_out.contains(&duly_core::policy::Channel::Sms));
}

/// A creditor's template that fails on a real debtor (here, one whose name its author never tried) must not
/// hold the reminder back for ever: the message goes out in Duly's shipped wording, and the creditor finds
/// the failure among their dead letters.
#[tokio::test]
async fn a_template_that_fails_when_sending_falls_back_to_the_shipped_one_with_a_dead_letter() {
    let local = Local::new("msg-template-fallback").await;
    let (email, _) = local.unique_contact();
    let body = json!({"type": "contact.updated", "data": {
        "debtor_id": "cus-1", "name": "Poison Pill Ltd", "email": email, "language": "en",
        "country": "EE", "time_zone": "Europe/Tallinn", "updated_at": T
    }});
    assert_eq!(local.deliver("c1", &body.to_string(), at(T)).await.0, 200);
    invoice(&local).await;
    let mut creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    creditor.templates.insert(
        "en/email.txt".into(),
        "{{ greeting }}{% if 'Poison' in greeting %}{{ no_such_variable }}{% endif %}".into(),
    );
    local.store.put_creditor(&creditor).await.unwrap();

    run(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(
        run(&local, "2026-11-30T07:15:00Z").await.sent,
        1,
        "sent in the shipped wording"
    );
    let mail = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .expect("the reminder went out");
    assert!(mail.body.contains("Poison Pill Ltd"));
    let letters = local.store.dead_letters(&nordwind()).await.unwrap();
    let letter = serde_json::to_value(&letters).unwrap();
    assert!(
        letter.to_string().contains("\"kind\":\"template\"") && letter.to_string().contains("email.txt"),
        "{letter}"
    );
}

/// A sending domain belongs to the creditor who verified it through Duly. Another creditor who names an
/// address on it is not told it is verified, cannot claim it, and their reminders go out from Duly's
/// address in their own name, with their reply-to.
#[tokio::test]
async fn another_creditors_verified_domain_cannot_be_sent_from() {
    let local = Local::new("msg-domain-owner").await;
    let intruder = duly_core::model::ids::CreditorId::parse("intruder").unwrap();
    let mut creditor = duly_local::fixtures::creditor("intruder");
    creditor.branding.sender_name = "Intruder Ltd".into();
    creditor.branding.from_address = "accounts@nordwind.example".into();
    creditor.branding.reply_to = "ar@intruder.example".into();
    local.store.put_creditor(&creditor).await.unwrap();
    let token = duly_core::model::tokens::issue();
    local.store.put_token(&intruder, &token, "test").await.unwrap();
    const SECRET: &str = "whsec_aW50cnVkZXItY29ubmVjdGlvbi1zZWNyZXQtMA==";
    local.add_connection("conn-intruder", "intruder", SECRET).await;

    let (status, branding) = local.api("GET", "/v1/branding", None, Some(&token), at(T)).await;
    assert_eq!(
        (status, branding["from_domain_verified"].as_bool()),
        (200, Some(false)),
        "{branding}"
    );
    let (status, claimed) = local
        .api("POST", "/v1/domains/nordwind.example", None, Some(&token), at(T))
        .await;
    assert_eq!(status, 409, "{claimed}");
    // Its own domain it may claim, and is shown what to publish; a malformed one is refused.
    let (status, own) = local
        .api("POST", "/v1/domains/Intruder.example", None, Some(&token), at(T))
        .await;
    assert_eq!(
        (status, own["domain"].as_str()),
        (200, Some("intruder.example")),
        "{own}"
    );
    let (status, _) = local
        .api("POST", "/v1/domains/not_a_domain", None, Some(&token), at(T))
        .await;
    assert_eq!(status, 422);

    let email = format!("ap-{}@debtor.example", local.store.table());
    for (id, body) in [
        ("c1", facts::contact("cus-9", &email, None, T)),
        (
            "i1",
            facts::invoice("9001", "cus-9", "100.00", "100.00", "2026-12-01", "open", T),
        ),
    ] {
        let delivery =
            duly_local::webhook_event::signed_delivery("conn-intruder", SECRET, id, at(T).timestamp(), &body);
        assert_eq!(local.send_event(&delivery, at(T)).await.0, 200);
    }
    run(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(run(&local, "2026-11-30T07:15:00Z").await.sent, 1);
    let mail = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .expect("the reminder went out");
    assert!(
        mail.source.contains(FALLBACK_FROM),
        "sent from Duly's address: {}",
        mail.source
    );
    assert!(!mail.source.contains("nordwind.example"), "{}", mail.source);
}

/// A claim proves nothing until DNS does. An identity that SES has verified already (Duly's own, or one
/// verified before claims had to be proven) is claimed as a pending claim only, and mail keeps going from
/// Duly's address until the claimant publishes the claim's TXT token; Duly's own domain and anything near
/// another creditor's domain are refused, and unproven claims are few per creditor.
#[tokio::test]
async fn a_sending_domain_is_used_only_once_its_claim_is_proven_in_dns() {
    let local = Local::new("msg-domain-proof").await;
    let intruder = duly_core::model::ids::CreditorId::parse("claimant").unwrap();
    let table = local.store.table().to_ascii_lowercase();
    let legacy = format!("legacy-{}.example", &table[table.len().saturating_sub(20)..]);
    duly_local::moto::verify_sender_domain(&legacy).await;
    let mut creditor = duly_local::fixtures::creditor("claimant");
    creditor.branding.from_address = format!("billing@{legacy}");
    local.store.put_creditor(&creditor).await.unwrap();
    let token = duly_core::model::tokens::issue();
    local.store.put_token(&intruder, &token, "test").await.unwrap();
    let api = |method: &'static str, path: String| {
        let token = token.clone();
        let local = &local;
        async move { local.api(method, &path, None, Some(&token), at(T)).await }
    };

    for reserved in ["duly.test", "mail.duly.test"] {
        let (status, refused) = api("POST", format!("/v1/domains/{reserved}")).await;
        assert_eq!(status, 422, "Duly's own sending domain: {refused}");
    }
    let (status, _) = api("POST", "/v1/domains/mail.nordwind.example".into()).await;
    assert_eq!(status, 409, "a subdomain of another creditor's domain");
    let (status, _) = api("POST", "/v1/domains/example".into()).await;
    assert_eq!(status, 422);

    // The identity exists and SES has verified it, yet the claim is only pending.
    let (status, claim) = api("POST", format!("/v1/domains/{legacy}")).await;
    assert_eq!(status, 200, "{claim}");
    assert_eq!(
        (claim["proven"].as_bool(), claim["verified"].as_bool()),
        (Some(false), Some(false)),
        "{claim}"
    );
    let (name, value) = (
        claim["txt_record"][0].as_str().unwrap().to_string(),
        claim["txt_record"][1].as_str().unwrap().to_string(),
    );
    assert_eq!(name, format!("_duly-claim.{legacy}"));
    let (_, branding) = api("GET", "/v1/branding".into()).await;
    assert_eq!(branding["from_domain_verified"].as_bool(), Some(false), "{branding}");
    // Someone else's claim on it is refused while this one holds.
    let other = duly_core::model::tokens::issue();
    local
        .store
        .put_creditor(&duly_local::fixtures::creditor("second"))
        .await
        .unwrap();
    local
        .store
        .put_token(
            &duly_core::model::ids::CreditorId::parse("second").unwrap(),
            &other,
            "test",
        )
        .await
        .unwrap();
    let (status, _) = local
        .api("POST", &format!("/v1/domains/{legacy}"), None, Some(&other), at(T))
        .await;
    assert_eq!(status, 409);

    // Published, and asked again: proven, and mail may carry the domain.
    local.dns.publish(&name, &value);
    let (status, proven) = api("POST", format!("/v1/domains/{legacy}")).await;
    assert_eq!(status, 200, "{proven}");
    assert_eq!(
        (proven["proven"].as_bool(), proven["verified"].as_bool()),
        (Some(true), Some(true)),
        "{proven}"
    );
    let (_, branding) = api("GET", "/v1/branding".into()).await;
    assert_eq!(branding["from_domain_verified"].as_bool(), Some(true), "{branding}");

    // Unproven claims are bounded: three at once.
    for (i, expected) in [200, 200, 200, 422].into_iter().enumerate() {
        let (status, answer) = api("POST", format!("/v1/domains/pending{i}-{legacy}")).await;
        assert_eq!(status, expected, "claim {i}: {answer}");
        if i == 0 {
            let (name, value) = (
                answer["txt_record"][0].as_str().unwrap(),
                answer["txt_record"][1].as_str().unwrap(),
            );
            local.dns.publish(name, value);
        }
    }
    // A domain without an SES identity yet, once proven, gets one: its DKIM verification starts.
    let (status, fresh) = api("POST", format!("/v1/domains/pending0-{legacy}")).await;
    assert_eq!((status, fresh["proven"].as_bool()), (200, Some(true)), "{fresh}");
}

/// Without a proven domain of the creditor's and without an address of Duly's own, no e-mail goes out: an
/// address nobody proved is never a sender.
#[tokio::test]
async fn no_email_goes_out_from_an_unproven_address_when_duly_has_none() {
    let mut local = Local::new("msg-no-sender").await;
    local.scheduler.fallback_from = None;
    let mut creditor = duly_local::fixtures::creditor("nordwind");
    creditor.branding.from_address = "billing@unproven.example".into();
    local.store.put_creditor(&creditor).await.unwrap();
    let email = format!("ap-{}@debtor.example", local.store.table());
    local
        .deliver("c1", &facts::contact("cus-1", &email, None, T), at(T))
        .await;
    local
        .deliver(
            "i1",
            &facts::invoice("1001", "cus-1", "100.00", "100.00", "2026-12-01", "open", T),
            at(T),
        )
        .await;
    run(&local, "2026-11-16T10:00:00Z").await;
    let due = run(&local, "2026-11-30T07:15:00Z").await;
    assert_eq!(due.sent, 0, "{due:?}");
    assert!(
        !sent_emails().await.iter().any(|m| m.destinations.to.contains(&email)),
        "nothing was sent from billing@unproven.example"
    );
}

/// Late-payment interest and the fixed compensation, once the creditor switches them on: refused
/// settings name the field, and the seventh-business-day reminder shows both apart from the amount due.
#[tokio::test]
async fn an_overdue_reminder_shows_statutory_interest_and_compensation_apart_from_the_amount_due() {
    let local = Local::new("msg-charges").await;
    let t = "2025-03-01T09:00:00Z";
    let (status, refused) = local
        .api(
            "PUT",
            "/v1/late-charges",
            Some(json!({"interest": true, "country": "US"})),
            None,
            at(t),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(refused["field"], "country", "{refused}");
    let (status, refused) = local
        .api(
            "PUT",
            "/v1/late-charges",
            Some(json!({"interest": true, "consumer_groups": {"retail": "80"}})),
            None,
            at(t),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    let (status, saved) = local
        .api(
            "PUT",
            "/v1/late-charges",
            Some(json!({"interest": true, "compensation": true})),
            None,
            at(t),
        )
        .await;
    assert_eq!(status, 200, "{saved}");

    let (email, _) = local.unique_contact();
    contact_at(&local, &email, None, "et", t).await;
    invoice_at(&local, "1000.00", "2025-03-10", t).await;

    // Due Monday 10 March 2025; the seventh business day after is Wednesday 19 March. Interest runs 11–19
    // March: 9 days at 3.15 % + 8 = 11.15 %: 100 000 × 0.1115 × 9 / 365 = 274.93… cents → €2.75; and 40 €.
    assert_eq!(run(&local, "2025-03-19T07:30:00Z").await.sent, 1);
    let mail = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .unwrap();
    let html = mail.body.replace("&#x2f;", "/");
    assert!(html.contains("Viivis ja hüvitis seisuga 19.03.2025"), "{html}");
    assert!(
        html.contains(">Viivis</td><td align=\"right\" style=\"padding:4px 8px;white-space:nowrap;\">2,75\u{a0}€<"),
        "{html}"
    );
    assert!(html.contains(">Sissenõudmiskulude hüvitis</td><td align=\"right\" style=\"padding:4px 8px;white-space:nowrap;\">40,00\u{a0}€<"), "{html}");
    assert!(html.contains("1000,00\u{a0}€"), "the amount due stays the platform's");
    assert!(
        html.contains("ei sisaldu ülaltoodud tasumisele kuuluvas summas"),
        "{html}"
    );

    // The computation sheet: 11–19 March, 9 days on €1,000 at 11.15 % (3.15 + 8) = 2.7493 €, total €2.75.
    let (status, kind, csv) = local
        .api_raw(
            "GET",
            "/v1/invoices/1001/interest?format=csv",
            None,
            None,
            at("2025-03-19T12:00:00Z"),
        )
        .await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"), "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[1].starts_with("INV-1001,2025-03-11,2025-03-19,9,1000,EUR,11.15,3.15,8,2.7493,https://"),
        "{csv}"
    );
    assert_eq!(
        lines[2], "INV-1001,,2025-03-19,,,EUR,,,,2.75,viivis kokku",
        "in the creditor's language"
    );
    let (status, kind, page) = local
        .api_raw(
            "GET",
            "/v1/invoices/1001/interest?format=html",
            None,
            None,
            at("2025-03-19T12:00:00Z"),
        )
        .await;
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    // In the creditor's language, Estonian, since the caller asked for none.
    assert!(
        page.contains("Viivis: 2,75 EUR") && page.contains("40,00 EUR"),
        "{page}"
    );
    let (status, sheet) = local
        .api(
            "GET",
            "/v1/invoices/1001/interest",
            None,
            None,
            at("2025-03-19T12:00:00Z"),
        )
        .await;
    assert_eq!((status, sheet["interest"].as_str()), (200, Some("2.75")), "{sheet}");
    let (status, _) = local
        .api(
            "GET",
            "/v1/invoices/nope/interest",
            None,
            None,
            at("2025-03-19T12:00:00Z"),
        )
        .await;
    assert_eq!(status, 404);
    // €400 paid on 12 March and €300 on 15 March, as the platform reports them: each counts from the next
    // day, applied first to the €40 compensation and the interest accrued by its day (Law of Obligations Act
    // § 88). 11–12 March on €1,000: 100 000 × 0.1115 × 2 / 365 = 61.095… → €0.61 by the 12th; the €400 pays
    // €40 + €0.61 and €359.39 of the invoice: €640.61 left. 13–15 on it: 64 061 × 0.1115 × 3 / 365 =
    // 58.712…; 119.80… → €1.20 accrued, €0.59 unpaid; the €300 pays €0.59 and €299.41: €341.20 left. 16–19:
    // 34 120 × 0.1115 × 4 / 365 = 41.691…; 161.50… → €1.61 (€1.53 were each payment all principal).
    for (id, amount, after, on) in [
        ("p1", "400.00", "600.00", "2025-03-12T10:00:00Z"),
        ("p2", "300.00", "300.00", "2025-03-15T10:00:00Z"),
    ] {
        let paid = facts::payment(id, "1001", amount, after, on);
        assert_eq!(local.deliver(id, &paid, at("2025-03-19T12:30:00Z")).await.0, 200);
    }
    let (_, sheet) = local
        .api(
            "GET",
            "/v1/invoices/1001/interest",
            None,
            None,
            at("2025-03-19T13:00:00Z"),
        )
        .await;
    assert_eq!(sheet["interest"], "1.61", "{sheet}");
    assert_eq!(
        (&sheet["rows"][1]["from"], &sheet["rows"][2]["from"]),
        (&json!("2025-03-13"), &json!("2025-03-16")),
        "{sheet}"
    );
    assert_eq!(
        (&sheet["rows"][1]["balance"], &sheet["rows"][2]["balance"]),
        (&json!("640.61"), &json!("341.20")),
        "{sheet}"
    );
    assert_eq!(
        (
            &sheet["applied"][0]["to_costs"],
            &sheet["applied"][0]["to_interest"],
            &sheet["applied"][1]["to_interest"]
        ),
        (&json!("40"), &json!("0.61"), &json!("0.59")),
        "{sheet}"
    );

    // The preview shows the same for any invoice the creditor types in.
    let (status, preview) = local
        .api(
            "POST",
            "/v1/preview",
            Some(json!({"language": "en", "tone": "firm", "invoices": [
                {"number": "INV-9", "amount_due": "1000.00", "currency": "EUR", "due_date": "2025-03-10"}]})),
            None,
            at("2025-04-09T10:00:00Z"),
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    let text = preview["text"].as_str().unwrap();
    assert!(
        text.contains("- INV-9, Interest: €9.16") && text.contains("- INV-9, Compensation for recovery costs: €40.00"),
        "{text}"
    );
}

/// A settlement offer: shown in the next reminder and on the answer page; a payment of the offered total by
/// its date closes the invoice in Duly's ledger, stops reminders, and tells the creditor to book the rest
/// as a write-off.
#[tokio::test]
async fn a_settlement_offer_met_by_its_date_closes_the_invoice_and_tells_the_creditor() {
    let local = Local::new("msg-settlement").await;
    let t = "2025-03-01T09:00:00Z";
    let (email, _) = local.unique_contact();
    contact_at(&local, &email, None, "et", t).await;
    invoice_at(&local, "1000.00", "2025-03-10", t).await;

    let offer = |amount: &str, by: &str| Some(json!({"amount": amount, "pay_by": by}));
    let when = at("2025-03-12T09:00:00Z");
    for (amount, by) in [
        ("1000.00", "2025-03-31"),
        ("800.00", "2025-03-01"),
        ("800.00", "2027-01-01"),
    ] {
        let (status, refused) = local
            .api("PUT", "/v1/invoices/1001/settlement", offer(amount, by), None, when)
            .await;
        assert_eq!(status, 422, "{amount} by {by}: {refused}");
    }
    let (status, made) = local
        .api(
            "PUT",
            "/v1/invoices/1001/settlement",
            offer("800.00", "2025-03-31"),
            None,
            when,
        )
        .await;
    assert_eq!(status, 200, "{made}");

    // The seventh business day's reminder carries the offer.
    assert_eq!(run(&local, "2025-03-19T07:30:00Z").await.sent, 1);
    let mail = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .unwrap();
    assert!(
        mail.body
            .contains("Tasuge 31.03.2025 jooksul 800,00\u{a0}€ ja see arve loetakse täielikult tasutuks."),
        "{}",
        mail.body
    );
    // So does the answer page behind its links.
    let link = mail
        .body
        .split("https://answers.duly.test")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an answer link")
        .replace("&#x2f;", "/");
    let (status, page, _) = local.answer("GET", &link, "", at("2025-03-19T08:00:00Z")).await;
    assert_eq!(status, 200);
    assert!(page.contains("INV-1001: Tasuge 31.03.2025 jooksul 800,00"), "{page}");

    // The customer pays 800 on 25 March: the platform's balance is 200.
    let paid = facts::invoice(
        "1001",
        "cus-1",
        "1000.00",
        "200.00",
        "2025-03-10",
        "open",
        "2025-03-25T10:00:00Z",
    );
    assert_eq!(local.deliver("i2", &paid, at("2025-03-25T10:00:00Z")).await.0, 200);
    let (_, plan) = local
        .api("GET", "/v1/invoices/1001/plan", None, None, at("2025-03-25T10:05:00Z"))
        .await;
    // In the creditor's language when the caller asks for none, in the one asked for otherwise.
    assert!(
        plan["nothing_because"]
            .as_str()
            .unwrap()
            .starts_with("kokkulepe täidetud: 800,00\u{a0}€"),
        "{plan}"
    );
    let (_, plan) = local
        .api_in(
            "en-GB,en;q=0.8",
            "GET",
            "/v1/invoices/1001/plan",
            None,
            at("2025-03-25T10:05:00Z"),
        )
        .await;
    assert!(
        plan["nothing_because"]
            .as_str()
            .unwrap()
            .starts_with("settled: €800.00 paid"),
        "{plan}"
    );
    run(&local, "2025-03-25T10:15:00Z").await;
    let invoice = local
        .store
        .get_invoice(&nordwind(), &duly_core::model::ids::InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    let settlement = invoice.controls.settlement.expect("the offer");
    assert_eq!(settlement.settled_at, Some(at("2025-03-25T10:15:00Z")));
    assert_eq!(invoice.next_action_at, None, "off the due index");
    let (_, notices) = local
        .api("GET", "/v1/notices", None, None, at("2025-03-25T10:20:00Z"))
        .await;
    let told: Vec<&serde_json::Value> = notices
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "settled")
        .collect();
    assert_eq!(told.len(), 1, "{notices}");
    // What is left is kept as an amount, written in each reader's language when read.
    assert_eq!(told[0]["values"]["rest"]["money"]["minor"], 20_000, "{notices}");
    // Nothing more goes out about it.
    assert_eq!(run(&local, "2025-04-02T07:30:00Z").await.sent, 0);
}

/// A payment plan end to end: the customer asks on the "I will pay on…" page, the creditor approves it,
/// each instalment is reminded of with its own amount and date, a payment moves on to the next, and a
/// missed one breaks the plan: the creditor is told and the usual reminders resume.
#[tokio::test]
async fn a_payment_plan_is_asked_for_approved_reminded_instalment_by_instalment_and_broken() {
    let local = Local::new("msg-plan").await;
    let t = "2025-03-01T09:00:00Z";
    let (status, limits) = local
        .api(
            "PUT",
            "/v1/payment-plans",
            Some(json!({"max_instalments": 3})),
            None,
            at(t),
        )
        .await;
    assert_eq!(status, 200, "{limits}");
    let (email, _) = local.unique_contact();
    contact_at(&local, &email, None, "et", t).await;
    invoice_at(&local, "900.00", "2025-03-10", t).await;
    let mails_to = |email: String| async move {
        sent_emails()
            .await
            .into_iter()
            .filter(|m| m.destinations.to.contains(&email))
            .collect::<Vec<_>>()
    };

    // The first overdue reminder; its "I will pay on…" page offers instalments too.
    assert_eq!(run(&local, "2025-03-11T07:30:00Z").await.sent, 1);
    let mail = mails_to(email.clone()).await.pop().unwrap();
    let promise = mail
        .body
        .replace("&#x2f;", "/")
        .split("https://answers.duly.test")
        .map(|rest| rest.split('"').next().unwrap_or("").to_string())
        .find(|link| {
            link.starts_with("/a/")
                && test_links()
                    .verify(&link[3..], at("2025-03-11T08:00:00Z"))
                    .is_ok_and(|a| a.action == duly_core::messages::links::Action::Promise)
        })
        .expect("a promise link");
    let (_, page, _) = local.answer("GET", &promise, "", at("2025-03-11T08:00:00Z")).await;
    assert!(
        page.contains("<option value=\"3\">3</option>") && !page.contains("value=\"4\""),
        "{page}"
    );
    let (status, page, _) = local
        .answer("POST", &promise, "instalments=3", at("2025-03-11T08:05:00Z"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("tasuda 3 osas"), "{page}");
    let (_, plan) = local
        .api("GET", "/v1/invoices/1001/plan", None, None, at("2025-03-11T08:10:00Z"))
        .await;
    assert!(
        plan["nothing_because"].as_str().unwrap().contains("osamaksetena"),
        "{plan}"
    );

    // Approved as asked on 11 March: three instalments of 300.00, 30 days apart from 10 April.
    let (status, approved) = local
        .api(
            "POST",
            "/v1/invoices/1001/payment-plan/approve",
            None,
            None,
            at("2025-03-11T10:00:00Z"),
        )
        .await;
    assert_eq!(status, 200, "{approved}");
    let (status, refused) = local
        .api(
            "PUT",
            "/v1/invoices/1001/payment-plan",
            Some(json!({"instalments": [{"due": "2025-04-01", "amount": "100.00"}]})),
            None,
            at("2025-03-11T10:00:00Z"),
        )
        .await;
    assert_eq!(status, 422, "instalments must add up to the balance: {refused}");

    // The first instalment's note three days before its date, with its own amount.
    assert_eq!(run(&local, "2025-04-08T07:30:00Z").await.sent, 1);
    let mail = mails_to(email.clone()).await.pop().unwrap();
    assert!(
        mail.subject.contains("10.04.2025") && mail.subject.contains("300,00"),
        "{}",
        mail.subject
    );
    // It is paid on the 10th: the second is next, reminded of before 10 May.
    let paid = facts::invoice(
        "1001",
        "cus-1",
        "900.00",
        "600.00",
        "2025-03-10",
        "open",
        "2025-04-10T10:00:00Z",
    );
    assert_eq!(local.deliver("i2", &paid, at("2025-04-10T10:00:00Z")).await.0, 200);
    // The platform delivers the payment again, then a copy of the invoice older than it: the plan keeps
    // the first instalment paid.
    assert_eq!(local.deliver("i2", &paid, at("2025-04-10T10:05:00Z")).await.0, 200);
    let stale = facts::invoice(
        "1001",
        "cus-1",
        "900.00",
        "900.00",
        "2025-03-10",
        "open",
        "2025-04-09T10:00:00Z",
    );
    assert_eq!(local.deliver("i3", &stale, at("2025-04-10T10:06:00Z")).await.0, 200);
    assert_eq!(run(&local, "2025-05-08T07:30:00Z").await.sent, 1);
    let mail = mails_to(email.clone()).await.pop().unwrap();
    assert!(
        mail.subject.contains("10.05.2025") && mail.subject.contains("300,00"),
        "{}",
        mail.subject
    );

    // Not paid a week after its date: the plan breaks, the creditor is told, and the usual reminders about
    // the whole balance resume.
    run(&local, "2025-05-19T07:30:00Z").await;
    let invoice = local
        .store
        .get_invoice(&nordwind(), &duly_core::model::ids::InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        invoice.controls.plan.as_ref().and_then(|p| p.broken_at).is_some(),
        "{:?}",
        invoice.controls
    );
    let (_, notices) = local
        .api("GET", "/v1/notices", None, None, at("2025-05-19T08:00:00Z"))
        .await;
    let kinds: Vec<&str> = notices
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"answer_plan") && kinds.contains(&"plan_broken"),
        "{notices}"
    );
    assert_eq!(run(&local, "2025-05-19T07:45:00Z").await.sent, 1);
    let mail = mails_to(email.clone()).await.pop().unwrap();
    assert!(
        mail.subject.contains("600,00"),
        "the whole balance again: {}",
        mail.subject
    );
}

/// One country's worked example: a debtor there, an invoice overdue ten days, and the charges the law of
/// that country adds by the reminder's day, computed by hand below.
struct LawCase {
    law: &'static str,
    language: &'static str,
    time_zone: &'static str,
    currency: &'static str,
    amount: &'static str,
    due: &'static str,
    /// Ten calendar days after `due`, a business day there.
    reminder_day: &'static str,
    interest: &'static str,
    compensation: &'static str,
}

/// Each case runs ten days of interest, from the day after the due date to the reminder's day inclusive:
/// `balance × rate × 10 / 365` (Bulgaria 360), rounded half-up once.
const LAW_CASES: [LawCase; 8] = [
    // PLN 10,000.00 at 5.25 % + 10 = 15.25 % (the NBP rate of 1 July 2025): 1 000 000 × 0.1525 × 10 / 365 =
    // 4 178.08… → 41.78 zł. PLN 10,000 is below PLN 50,000: 70 € at the NBP rate of Friday 31 October
    // (4.2543) = 297.801 → 297.80 zł.
    LawCase {
        law: "PL",
        language: "pl",
        time_zone: "Europe/Warsaw",
        currency: "PLN",
        amount: "10000.00",
        due: "2025-11-03",
        reminder_day: "2025-11-13",
        interest: "41,78\u{a0}zł",
        compensation: "297,80\u{a0}zł",
    },
    // RON 10,000.00 at the NBR policy rate 6.50 % + 8 = 14.50 %: 1 450 000 / 365 = 3 972.60… → 39.73 lei;
    // 40 € at the BNR rate of the due date (5.0845) = 203.38 lei.
    LawCase {
        law: "RO",
        language: "ro",
        time_zone: "Europe/Bucharest",
        currency: "RON",
        amount: "10000.00",
        due: "2025-11-11",
        reminder_day: "2025-11-21",
        interest: "39,73\u{a0}lei",
        compensation: "203,38\u{a0}lei",
    },
    // €1,000.00 at the ECB rate 2.15 % + 8 = 10.15 %: 100 000 × 0.1015 × 10 / 365 = 278.08… → €2.78; 40 €.
    LawCase {
        law: "EE",
        language: "et",
        time_zone: "Europe/Tallinn",
        currency: "EUR",
        amount: "1000.00",
        due: "2026-02-02",
        reminder_day: "2026-02-12",
        interest: "2,78\u{a0}€",
        compensation: "40,00\u{a0}€",
    },
    // As in Estonia: 10.15 % → €2.78.
    LawCase {
        law: "LV",
        language: "lv",
        time_zone: "Europe/Riga",
        currency: "EUR",
        amount: "1000.00",
        due: "2026-02-03",
        reminder_day: "2026-02-13",
        interest: "2,78\u{a0}€",
        compensation: "40,00\u{a0}€",
    },
    // As in Estonia: 10.15 % → €2.78.
    LawCase {
        law: "LT",
        language: "lt",
        time_zone: "Europe/Vilnius",
        currency: "EUR",
        amount: "1000.00",
        due: "2026-02-09",
        reminder_day: "2026-02-19",
        interest: "2,78\u{a0}€",
        compensation: "40,00\u{a0}€",
    },
    // 2.15 % rounded up to 2.50 % + 8 = 10.50 %: 105 000 / 365 = 287.67… → €2.88 (in English: Duly does not
    // write Finnish).
    LawCase {
        law: "FI",
        language: "en",
        time_zone: "Europe/Helsinki",
        currency: "EUR",
        amount: "1000.00",
        due: "2026-02-10",
        reminder_day: "2026-02-20",
        interest: "€2.88",
        compensation: "€40.00",
    },
    // Basiszinssatz 1.27 % + 9 = 10.27 %: 102 700 / 365 = 281.36… → €2.81.
    LawCase {
        law: "DE",
        language: "en",
        time_zone: "Europe/Berlin",
        currency: "EUR",
        amount: "1000.00",
        due: "2026-02-16",
        reminder_day: "2026-02-26",
        interest: "€2.81",
        compensation: "€40.00",
    },
    // Since the euro: 10.15 % over 360 days: 101 500 / 360 = 281.94… → €2.82. The Commerce Act's 80 leva in
    // euros: 80 / 1.95583 = 40.903… → €40.90.
    LawCase {
        law: "BG",
        language: "bg",
        time_zone: "Europe/Sofia",
        currency: "EUR",
        amount: "1000.00",
        due: "2026-02-17",
        reminder_day: "2026-02-27",
        interest: "2,82\u{a0}€",
        compensation: "40,90\u{a0}€",
    },
];

/// Under each of the eight laws, the preview and the reminder sent on the same day show the same interest
/// and compensation, in the debtor's language and the invoice's currency, apart from the amount due.
#[tokio::test]
async fn each_of_the_eight_laws_charges_the_same_in_the_preview_and_the_reminder_sent() {
    let local = Local::new("msg-charges-eight-laws").await;
    charge_under_each_law(&local, &LAW_CASES, None).await;
}

/// The same cases a year after the seed's last rate (first half of 2026), with the rate feed run against
/// the local publishers: each law's interest and compensation are in the reminders, from fetched rates. The
/// publishers published no change since their documents: the ECB's 2.15 % (10.15 %, Finland 10.50 %), the
/// Basiszinssatz 1.27 % (10.27 %), the NBR's 6.50 % (14.50 %); the NBP's reference rate is 3.75 % since
/// 5 March 2026, so Poland's rate is 13.75 %; the złoty at 4.2254 and the leu at 5.0845 per euro.
#[tokio::test]
async fn a_year_past_the_seed_every_law_charges_from_fetched_rates() {
    let local = Local::new("msg-charges-year-ahead").await;
    let publishers = duly_local::publishers::publishing("2027-11-12".parse().unwrap());
    let base = duly_local::publishers::serve(publishers).await;
    let outcome = duly_app::rate_feed::run(
        &local.store_for("RatesFunction"),
        &duly_adapters::publishers::Publishers::at(&base),
        &Default::default(),
        at("2027-11-12T05:00:00Z"),
    )
    .await
    .unwrap();
    assert!(outcome.failed.is_empty() && outcome.missing.is_empty(), "{outcome:?}");
    let shift = |case: &LawCase, interest: &'static str, compensation: &'static str| LawCase {
        due: "2027-11-02",
        reminder_day: "2027-11-12",
        interest,
        compensation,
        ..*case
    };
    let cases: Vec<LawCase> = LAW_CASES
        .iter()
        .map(|case| match case.law {
            // 1 000 000 × 0.1375 × 10 / 365 = 3 767.12… → 37.67 zł; 70 € at the NBP's rate of Friday
            // 29 October 2027 (4.2254) = 295.778 → 295.78 zł.
            "PL" => shift(case, "37,67\u{a0}zł", "295,78\u{a0}zł"),
            // €1,000 with €100.00 paid on 6 November: 3–6 November (4 days) at 10.15 % = 111.23 → €1.11 by
            // then; the €100 goes to the €40 compensation, the €1.11 interest, and €58.89 to the invoice:
            // €941.11 left; 7–12 November (6 days) = 157.02; 268.25 → €2.68.
            "EE" => shift(case, "2,68\u{a0}€", "40,00\u{a0}€"),
            _ => shift(case, case.interest, case.compensation),
        })
        .collect();
    let emails = charge_under_each_law(&local, &cases, Some(("EE", "100.00", "900.00", "2027-11-06T10:00:00Z"))).await;
    let estonian = &emails[2];
    assert!(
        estonian.contains("teie 06.11.2027 tehtud makse 100,00\u{a0}€ arvestati seaduse kohaselt kõigepealt hüvitise (40,00\u{a0}€) ja viivise (1,11\u{a0}€) katteks ning 58,89\u{a0}€ arve tasumiseks."),
        "{estonian}"
    );
}

/// Sends one reminder under each case's law and checks its charges; a part payment where one is given as
/// (law, amount, balance after, when). The reminders' bodies, in the cases' order.
async fn charge_under_each_law(
    local: &Local,
    cases: &[LawCase],
    paid: Option<(&str, &str, &str, &str)>,
) -> Vec<String> {
    let mut bodies = Vec::new();
    let mut policy = local.api("GET", "/v1/settings", None, None, at(T)).await.1["policy"].clone();
    policy["steps"] = json!([{"id": "after-10", "offset": {"days": 10, "unit": "calendar_days"},
        "channels": ["email"], "tone": "firm", "written": true}]);
    assert_eq!(local.api("PUT", "/v1/policy", Some(policy), None, at(T)).await.0, 200);

    for (i, case) in cases.iter().enumerate() {
        let law = case.law;
        let due: chrono::NaiveDate = case.due.parse().unwrap();
        let t = format!("{}T08:00:00Z", due - chrono::Days::new(20));
        let (status, saved) = local
            .api(
                "PUT",
                "/v1/late-charges",
                Some(json!({"interest": true, "compensation": true, "country": law})),
                None,
                at(&t),
            )
            .await;
        assert_eq!(status, 200, "{law}: {saved}");
        let email = local.unique_contact().0.replace("ap-", &format!("ap-{law}-"));
        let debtor = format!("cus-{law}");
        let contact = json!({"type": "contact.updated", "data": {
            "debtor_id": debtor, "name": format!("Customer in {law}"), "email": email,
            "language": case.language, "country": law, "time_zone": case.time_zone, "updated_at": t
        }});
        assert_eq!(
            local.deliver(&format!("c{i}"), &contact.to_string(), at(&t)).await.0,
            200
        );
        let number = format!("{law}-1");
        let invoice = json!({"type": "invoice.upserted", "data": {
            "invoice_id": format!("law-{law}"), "number": number, "debtor_id": debtor,
            "currency": case.currency, "total": case.amount, "amount_due": case.amount,
            "issue_date": (due - chrono::Days::new(30)).to_string(), "due_date": case.due, "status": "open",
            "updated_at": t
        }});
        assert_eq!(
            local.deliver(&format!("i{i}"), &invoice.to_string(), at(&t)).await.0,
            200
        );
        if let Some((_, amount, after, when)) = paid.filter(|(l, ..)| *l == law) {
            let payment = json!({"type": "payment.applied", "data": {
                "payment_id": format!("pay-{law}"), "invoice_id": format!("law-{law}"), "currency": case.currency,
                "amount": amount, "paid_at": when, "invoice_amount_due": after
            }});
            assert_eq!(
                local.deliver(&format!("p{i}"), &payment.to_string(), at(when)).await.0,
                200
            );
        }

        let send_at = format!("{}T10:00:00Z", case.reminder_day);
        let (status, preview) = local
            .api(
                "POST",
                "/v1/preview",
                Some(json!({"language": case.language, "step": "after-10", "invoices": [
                    {"number": number, "amount_due": case.amount, "currency": case.currency, "due_date": case.due}
                ]})),
                None,
                at(&send_at),
            )
            .await;
        assert_eq!(status, 200, "{law}: {preview}");
        assert_eq!(run(local, &send_at).await.sent, 1, "{law}: one reminder");
        let mail = sent_emails()
            .await
            .into_iter()
            .find(|m| m.destinations.to.contains(&email))
            .unwrap_or_else(|| panic!("{law}: the reminder went out"));
        // A preview knows no payment: where one was made, only the reminder is compared.
        let paid_here = paid.is_some_and(|(l, ..)| l == law);
        for (what, html) in [("preview", preview["html"].as_str().unwrap()), ("reminder", &mail.body)] {
            for figure in [case.interest, case.compensation] {
                if paid_here && what == "preview" {
                    continue;
                }
                assert!(
                    html.contains(&format!("white-space:nowrap;\">{figure}<")),
                    "{law} {what}: {figure} as its own line\n{html}"
                );
            }
        }
        bodies.push(mail.body.clone());
    }
    bodies
}

/// A step's own words open the reminder the scheduler sends, in the debtor's language, with the
/// placeholders filled; in another language the debtor gets Duly's words.
#[tokio::test]
async fn a_steps_own_words_open_the_reminder_that_goes_out() {
    let local = Local::new("msg-own-words").await;
    let (email, _) = local.unique_contact();
    contact(&local, &email, None, "et").await;
    invoice(&local).await;
    let mut creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    let step = creditor.policy.steps.iter_mut().find(|s| s.id == "before-3").unwrap();
    step.wording.insert(
        "et".into(),
        "Meie meeldetuletus: {what}, tähtaeg {due}. {creditor}".into(),
    );
    step.wording.insert("lv".into(), "Mūsu vārdi".into());
    duly_core::policy::validate(&creditor.policy).unwrap();
    local.store.put_creditor(&creditor).await.unwrap();
    run(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(run(&local, "2026-11-30T07:15:00Z").await.sent, 1);
    let mail = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .unwrap();
    assert!(
        mail.body.contains("Meie meeldetuletus: ") && mail.body.contains(", tähtaeg 01.12.2026. Nordwind Tools OÜ"),
        "{}",
        mail.body
    );
    assert!(!mail.body.contains("Mūsu vārdi") && !mail.body.contains("{what}"));
}
