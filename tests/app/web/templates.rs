//! The creditor's own templates in the app: Duly's wording to start from, a broken one refused at its
//! line with nothing saved, a good one used by previews (and so by reminders), and back to Duly's.

use super::*;

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn a_template_is_refused_at_its_line_saved_when_it_renders_and_reset() {
    let local = Local::new("web-templates").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;

    let page = call(
        &app,
        "GET",
        "/app/templates?language=et&name=email.txt",
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("{{ greeting }}"),
        "Duly's wording to start from: {}",
        page.body
    );
    let csrf = csrf_of(&page.body);
    let form = |action: &str, source: &str| {
        format!(
            "csrf={csrf}&language=et&name=email.txt&action={action}&source={}",
            encode(source)
        )
    };

    // Line 3 calls a filter nobody defined; browsers send the lines with CRLF.
    let broken = "{{ greeting }}\r\n\r\nMaksa palun {{ total | shout }}\r\n{{ signature }}";
    let refused = call(
        &app,
        "POST",
        "/app/templates",
        &form("save", broken),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("Rida 3:"),
        "the line, in Estonian: {}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("<li value=\"3\" class=\"bad\"><code>Maksa palun {{ total | shout }}</code>"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("shout }}</textarea>") || refused.body.contains("{{ signature }}</textarea>"),
        "what was typed stays"
    );
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert!(c.templates.is_empty(), "nothing saved");

    let mine = "{{ greeting }}\r\n\r\nOMA SÕNASTUS: palun tasuge.\r\n{% for invoice in invoices %}{{ invoice.number }} {{ invoice.amount_due }}\r\n{% endfor %}";
    let saved = call(&app, "POST", "/app/templates", &form("save", mine), Some(&cookie), now).await;
    assert_eq!(
        (saved.status, saved.location.as_deref()),
        (303, Some("/app/templates?language=et&name=email.txt")),
        "{}",
        saved.body
    );
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert_eq!(
        c.templates.get("et/email.txt").map(String::as_str),
        Some(mine.replace("\r\n", "\n").as_str())
    );
    let shown = call(
        &app,
        "GET",
        "/app/templates?language=et&name=email.txt",
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert!(
        shown.body.contains("OMA SÕNASTUS") && shown.body.contains("eesti: E-kiri (lihttekst)"),
        "{}",
        shown.body
    );
    let step = c.policy.steps[0].id.clone();
    let preview = call(
        &app,
        "GET",
        &format!("/app/preview?language=et&step={step}"),
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert!(preview.body.contains("OMA SÕNASTUS"), "{}", preview.body);
    let polish = call(
        &app,
        "GET",
        &format!("/app/preview?language=pl&step={step}"),
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert!(!polish.body.contains("OMA SÕNASTUS"), "one language only");

    let no_token = call(
        &app,
        "POST",
        "/app/templates",
        &form("reset", "").replace(&csrf, "forged"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(no_token.status, 403);
    let reset = call(&app, "POST", "/app/templates", &form("reset", ""), Some(&cookie), now).await;
    assert_eq!(reset.status, 303);
    let c = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert!(c.templates.is_empty(), "back to Duly's wording");

    let unknown = call(
        &app,
        "GET",
        "/app/templates?language=xx&name=email.txt",
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(unknown.status, 404);
}
