//! The formal letter from the customer's page: a PDF of that customer's open invoices as they stand today,
//! in their language, and out of any other creditor's reach.

use super::*;

#[tokio::test]
async fn the_customers_page_offers_their_formal_letter_as_a_pdf() {
    let local = Local::new("web-letter").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    // Two weeks after INV-1001 fell due.
    let now = at("2026-12-15T10:00:00Z");
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("href=\"/app/debtors/cus-1/letter.pdf\""),
        "the customer's page links the letter"
    );
    let letter = call(&app, "GET", "/app/debtors/cus-1/letter.pdf", "", Some(&cookie), now).await;
    assert_eq!(letter.status, 200, "{}", letter.body);
    assert_eq!(letter.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(
        letter.disposition.as_deref(),
        Some("attachment; filename=\"demand-INV-1001-2026-12-15.pdf\"")
    );
    let text = pdf_extract::extract_text_from_mem(&letter.bytes).expect("the letter reads as a PDF");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // The seeded customer reads English and is in Estonia, which has no pack: 14 days to pay.
    for said in [
        "Formal demand for payment",
        "Dear Tamm & Sons OÜ,",
        "INV-1001",
        "Please pay €1,250.00 by 29 December 2026.",
        "EE382200221020145685",
    ] {
        assert!(text.contains(said), "{said} is not in the letter: {text}");
    }

    // Not a customer of this creditor's, and not signed in: no letter.
    let (_, theirs) = intruder_signed_in(&local, &app, now).await;
    let reached = call(&app, "GET", "/app/debtors/cus-1/letter.pdf", "", Some(&theirs), now).await;
    assert_eq!((reached.status, reached.bytes.len()), (404, 0));
    let signed_out = call(&app, "GET", "/app/debtors/cus-1/letter.pdf", "", None, now).await;
    assert!(
        signed_out.bytes.is_empty() && signed_out.status != 200,
        "{}",
        signed_out.status
    );
}
