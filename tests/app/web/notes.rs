//! Notes on a customer: written from their page, kept in their history with who wrote them, refused
//! with a reason when empty or too long, out of another creditor's reach, and gone with an erasure.

use duly_core::model::ids::DebtorId;

use super::*;

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn a_note_is_kept_in_the_customers_history_and_erased_with_them() {
    let local = Local::new("web-notes").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    let csrf = csrf_of(&page.body);
    let cus1 = DebtorId::parse("cus-1").unwrap();

    let text = "Позвонила Мари:\nоплатят в пятницу <script>alert(1)</script>";
    let kept = call(
        &app,
        "POST",
        "/app/debtors/cus-1/notes",
        &format!("csrf={csrf}&text={}", encode(text)),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(
        (kept.status, kept.location.as_deref()),
        (303, Some("/app/debtors/cus-1?saved=1#history"))
    );
    let page = call(&app, "GET", "/app/debtors/cus-1?saved=1", "", Some(&cookie), now).await;
    let history = &page.body[page.body.find("id=\"history\"").expect("a history")..];
    assert!(history.contains("<li class=\"event note\">"), "{history}");
    assert!(
        history.contains("Позвонила Мари:\nоплатят в пятницу &lt;script&gt;"),
        "as written, escaped: {history}"
    );
    assert!(history.contains(&email), "who wrote it: {history}");

    for (written, status) in [("  \n ", 422), (&*"a".repeat(2001), 422)] {
        let refused = call(
            &app,
            "POST",
            "/app/debtors/cus-1/notes",
            &format!("csrf={csrf}&text={}", encode(written)),
            Some(&cookie),
            now,
        )
        .await;
        assert_eq!(refused.status, status, "{}", refused.body);
        assert!(
            refused.body.contains("role=\"alert\"") || refused.body.contains("class=\"note"),
            "says why"
        );
    }
    assert_eq!(
        local.store.notes_of(&nordwind(), &cus1).await.unwrap().len(),
        1,
        "only the good one kept"
    );

    // Part payments and credit notes on an open invoice are in the history too, by the invoice's number.
    local
        .deliver(
            "p1",
            &facts::payment("pay-1", "1001", "250.00", "1000.00", "2026-11-18T08:00:00Z"),
            now,
        )
        .await;
    local
        .deliver(
            "n1",
            &facts::credit_note("cn-1", "1001", "100.00", "900.00", "2026-11-19T08:00:00Z"),
            now,
        )
        .await;
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    let history = &page.body[page.body.find("id=\"history\"").expect("a history")..];
    let credit = history.find("<li class=\"event credit\">").expect("the credit note");
    let paid = history.find("<li class=\"event paid\">").expect("the part payment");
    assert!(credit < paid, "newest first: {history}");
    assert!(history.contains("Makse 250,00\u{a0}€ arvele INV-1001"), "{history}");
    assert!(
        history.contains("Kreeditarve 100,00\u{a0}€ arvele INV-1001"),
        "{history}"
    );

    // The customer's copy of what is kept about them holds it.
    let (status, export) = local.api("GET", "/v1/debtors/cus-1/export", None, None, now).await;
    assert_eq!(status, 200);
    assert_eq!(export["notes"][0]["text"], text.trim());
    assert_eq!(export["notes"][0]["author"], email.as_str());

    // Another creditor's member reaches no customer of Nordwind's.
    let (intruder, theirs) = intruder_signed_in(&local, &app, now).await;
    let their_page = call(&app, "GET", "/app/today", "", Some(&theirs), now).await;
    let their_csrf = csrf_of(&their_page.body);
    let reached = call(
        &app,
        "POST",
        "/app/debtors/cus-1/notes",
        &format!("csrf={their_csrf}&text=mine"),
        Some(&theirs),
        now,
    )
    .await;
    assert_eq!(reached.status, 404);
    assert!(local.store.notes_of(&intruder, &cus1).await.unwrap().is_empty());
    assert_eq!(local.store.notes_of(&nordwind(), &cus1).await.unwrap().len(), 1);

    // Notes are personal data about the customer: an erasure takes them too.
    let erased = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=erase&confirm=yes"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(erased.status, 303, "{}", erased.body);
    assert!(local.store.notes_of(&nordwind(), &cus1).await.unwrap().is_empty());
}
