//! A customer's number as each platform keeps it, in national form or with the trunk 0 after the country
//! code, reaches them as a text: the scheduler's SMS goes to the E.164 number libphonenumber reads from
//! the platform's own fields, and a landline listed first is not texted.

use super::quickbooks_online::{self as qbo, Intuit};
use super::*;

/// Digits of this test's own, so parallel tests' texts in the shared SNS endpoint are told apart.
fn unique(local: &Local, digits: usize) -> String {
    let (_, phone) = local.unique_contact();
    phone[phone.len() - digits..].to_string()
}

async fn texts_to(number: &str) -> Vec<String> {
    duly_local::moto::sent_sms()
        .await
        .into_iter()
        .filter(|s| s.phone_number == number)
        .map(|s| s.message)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_xero_customer_in_the_uk_is_texted_at_the_mobile_read_from_xeros_three_fields() {
    let local = Local::new("sync-xero-uk-phone").await;
    let tail = unique(&local, 5);
    let state: Shared = Arc::new(Mutex::new(Xero {
        access_token: "at-1".into(),
        refresh_token: "rt-1".into(),
        amount_due: "1250.00".into(),
        status: "AUTHORISED".into(),
        // The office line first, then the mobile with its trunk 0 in the area code; a fax besides.
        phones: Some(json!([
            {"PhoneType": "FAX", "PhoneNumber": "7946 0001", "PhoneAreaCode": "020", "PhoneCountryCode": "44"},
            {"PhoneType": "DEFAULT", "PhoneNumber": "7946 0000", "PhoneAreaCode": "020", "PhoneCountryCode": "44"},
            {"PhoneType": "MOBILE", "PhoneNumber": format!("1{tail}"), "PhoneAreaCode": "07911", "PhoneCountryCode": "44"}
        ])),
        country: Some("United Kingdom".into()),
        ..Xero::default()
    }));
    let base = local_xero(state.clone()).await;
    let app = sync_app(&local, &base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    connect_xero(&local, "at-1", "rt-1", t0 + Duration::days(30)).await;
    notify(&local, t0).await;
    duly_sync::handle(&app, &tick(), t0).await.unwrap();

    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse(CONTACT).unwrap())
        .await
        .unwrap()
        .unwrap();
    let mobile = format!("+4479111{tail}");
    assert_eq!(debtor.phone.as_deref(), Some(mobile.as_str()));
    assert_eq!(debtor.country.as_deref(), Some("GB"));

    // Due Tuesday 1 December; the first overdue reminder, e-mail and text, goes Wednesday at 09:00 London.
    let run = duly_scheduler::handle(&local.scheduler, at("2026-12-02T09:15:00Z"))
        .await
        .unwrap();
    assert!(run.sent >= 1, "{run:?}");
    let texts = texts_to(&mobile).await;
    assert_eq!(texts.len(), 1, "one text to the mobile: {texts:?}");
    assert!(texts[0].contains("INV-0031"), "{texts:?}");
    // The first reminder carries the invoice as Xero prints it, fetched while the connection was open.
    let mails = duly_local::moto::sent_emails().await;
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.subject.contains("INV-0031") && m.destinations.to.iter().any(|t| t == "ap@tamm.example"))
        .expect("the e-mail");
    let files: Vec<(&str, bool)> = mail.attachments.iter().map(|a| (a.file_name.as_str(), a.pdf)).collect();
    assert_eq!(files, [("INV-0031.pdf", true)]);
    assert!(
        texts_to("+442079460000").await.is_empty(),
        "the office line is not texted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_quickbooks_customer_in_germany_is_texted_at_the_mobile_typed_in_national_form() {
    let local = Local::new("sync-qbo-de-phone").await;
    let tail = unique(&local, 7);
    let state: qbo::Shared = Arc::new(Mutex::new(Intuit {
        balance: "362.07".into(),
        fail_next: false,
        customer: Some(json!({
            "PrimaryPhone": {"FreeFormNumber": "030 123456"},
            "Mobile": {"FreeFormNumber": format!("0151 2{} ", &tail[..3]) + &tail[3..]},
            "BillAddr": {"Line1": "Friedrichstraße 1", "City": "Berlin", "Country": "Germany"}
        })),
        ..Intuit::default()
    }));
    let base = qbo::local_intuit(state.clone()).await;
    let app = sync_app(&local, "http://127.0.0.1:9", &base);
    let t0 = at("2026-11-16T14:00:00Z");
    qbo::connect_quickbooks(&local, t0).await;
    qbo::notify(&local, &qbo::invoice_notice("Create", qbo::CREATED_AT), t0).await;
    let synced = duly_sync::handle(&app, &tick(), t0).await.unwrap();
    assert!(synced.contains("2 facts applied"), "{synced}");

    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("24").unwrap())
        .await
        .unwrap()
        .unwrap();
    let mobile = format!("+491512{tail}");
    assert_eq!(debtor.phone.as_deref(), Some(mobile.as_str()), "{debtor:?}");

    // Due Tuesday 1 December; the first overdue reminder goes Wednesday at 09:00 Berlin.
    let run = duly_scheduler::handle(&local.scheduler, at("2026-12-02T08:15:00Z"))
        .await
        .unwrap();
    assert!(run.sent >= 1, "{run:?}");
    let texts = texts_to(&mobile).await;
    assert_eq!(texts.len(), 1, "one text to the mobile: {texts:?}");
    assert!(texts[0].contains("1037"), "{texts:?}");
    let document = local
        .store
        .get_document(&nordwind(), &InvoiceId::parse("130").unwrap())
        .await
        .unwrap()
        .expect("QuickBooks' PDF, kept beside the invoice");
    assert_eq!(document.file_name, "1037.pdf");
    let mails = duly_local::moto::sent_emails().await;
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.subject.contains("1037") && m.destinations.to.iter().any(|t| t.contains("redrock")))
        .expect("the e-mail");
    assert_eq!(mail.attachments.len(), 1, "{:?}", mail.attachments);
    assert!(mail.attachments[0].pdf);
    assert!(texts_to("+4930123456").await.is_empty(), "the landline is not texted");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_merit_customer_in_estonia_is_texted_at_the_mobile_typed_in_national_form() {
    use super::merit::{company, connected, merit_invoice, monday, INVOICE};
    let local = Local::new("sync-merit-ee-phone").await;
    let (email, mobile) = local.unique_contact();
    // As Merit's customer card holds it: "5123 4567", without the country code.
    let national = format!("{} {}", &mobile[4..8], &mobile[8..]);
    let data = company(&email, &national);
    let stack = connected(&local, &data).await;
    duly_sync::handle(&stack.sync, &tick(), monday()).await.unwrap();
    let debtor = local
        .store
        .get_debtor(
            &nordwind(),
            &DebtorId::parse(merit_invoice(super::merit::CUSTOMER)).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(debtor.phone.as_deref(), Some(mobile.as_str()), "{debtor:?}");

    // Due Monday 23 November; the first overdue reminder, e-mail and text, is due Tuesday at 09:00 Tallinn.
    // It waits while the last poll is a week old, and goes once the morning's poll has run.
    let reminder = at("2026-11-24T07:15:00Z");
    let waiting = duly_scheduler::handle(&local.scheduler, reminder - Duration::minutes(10))
        .await
        .unwrap();
    assert_eq!(waiting.sent, 0, "{waiting:?}");
    assert!(texts_to(&mobile).await.is_empty());
    duly_sync::handle(&stack.sync, &tick(), reminder - Duration::minutes(5))
        .await
        .unwrap();
    // A message held back for stale data is looked at again 15 minutes on.
    let run = duly_scheduler::handle(&local.scheduler, reminder + Duration::minutes(10))
        .await
        .unwrap();
    assert!(run.sent >= 1, "{run:?}");
    let texts = texts_to(&mobile).await;
    assert_eq!(texts.len(), 1, "one text to the mobile: {texts:?}");
    assert!(texts[0].contains("ARV-1121"), "{texts:?}");
    assert!(local.next_planned_at(&merit_invoice(INVOICE), reminder).await > reminder);
}
