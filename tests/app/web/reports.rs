//! Reports in the app: this month's figures under Reports, any recent week or month picked from one
//! list, the same figures as a spreadsheet, in the member's language.

use super::*;

#[tokio::test]
async fn a_report_is_picked_from_the_list_read_in_the_app_and_downloaded() {
    let local = Local::new("web-reports").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    let app = web_app(&local, "https://app.duly.example");
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;

    let this_month = call(&app, "GET", "/app/reports", "", Some(&cookie), now).await;
    assert_eq!(this_month.status, 200, "{}", this_month.body);
    let page = &this_month.body;
    assert!(
        page.contains("<a href=\"/app/reports\" aria-current=\"page\">"),
        "inside the app: {page}"
    );
    assert!(
        page.contains("<option value=\"month&#x2f;2026-11-01\" selected>"),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"week&#x2f;2026-11-16\">"),
        "weeks to pick from too: {page}"
    );
    assert!(
        page.contains("1250,00"),
        "what Tamm owes, not yet due, in the ageing: {page}"
    );
    assert!(
        page.contains(">Tähtajas</text>") && page.contains(">1250</text>"),
        "the chart's words: {page}"
    );
    assert!(
        page.contains("<svg") && page.contains("role=\"img\""),
        "charts with words for a screen reader"
    );
    assert!(!page.contains("report-") && !page.contains("web-"), "no ids: {page}");

    let picked = call(
        &app,
        "GET",
        "/app/reports/pick?at=week/2026-11-16",
        "",
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(
        (picked.status, picked.location.as_deref()),
        (303, Some("/app/reports/week/2026-11-16"))
    );
    let week = call(&app, "GET", "/app/reports/week/2026-11-16", "", Some(&cookie), now).await;
    assert_eq!(week.status, 200);
    assert!(
        week.body.contains("<option value=\"week&#x2f;2026-11-16\" selected>"),
        "{}",
        week.body
    );
    for wrong in [
        "/app/reports/pick?at=year/2026-01-01",
        "/app/reports/pick?at=week/someday",
    ] {
        assert_eq!(
            call(&app, "GET", wrong, "", Some(&cookie), now).await.status,
            404,
            "{wrong}"
        );
    }
    for wrong in [
        "/app/reports/year/2026-11-01",
        "/app/reports/month/2019-01-01",
        "/app/reports/month/x.csv",
    ] {
        assert_eq!(
            call(&app, "GET", wrong, "", Some(&cookie), now).await.status,
            404,
            "{wrong}"
        );
    }

    let csv = call(&app, "GET", "/app/reports/month/2026-11-01.csv", "", Some(&cookie), now).await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines[0], "Jaotis,Mis,Valuuta,Väärtus,Selgitus", "{}", csv.body);
    assert!(
        csv.body.contains(",EUR,1250.00,"),
        "a plain amount a spreadsheet reads: {}",
        csv.body
    );

    // A member who reads the app in English gets the page and the spreadsheet in English.
    let page = call(&app, "GET", "/app/me", "", Some(&cookie), now).await;
    let csrf = csrf_of(&page.body);
    call(
        &app,
        "POST",
        "/app/me",
        &format!("csrf={csrf}&language=en"),
        Some(&cookie),
        now,
    )
    .await;
    let csv = call(&app, "GET", "/app/reports/month/2026-11-01.csv", "", Some(&cookie), now).await;
    assert!(
        csv.body.starts_with("Section,What,Currency,Value,Detail"),
        "{}",
        csv.body
    );
    let page = call(&app, "GET", "/app/reports", "", Some(&cookie), now).await;
    assert!(
        page.body.contains("Monthly report") && page.body.contains("Not yet due"),
        "{}",
        page.body
    );
}
