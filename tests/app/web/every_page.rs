//! Every page of the app, in Estonian and in English, on a phone and on a desktop: each loads, fits the
//! phone without sideways scrolling, and passes axe-core.

use super::browser::{fits, path_of};
use super::*;
use duly_local::browser::{assert_accessible, Driver};
use duly_local::web::serve_web;

/// Every page a signed-in creditor can open, for the seeded creditor.
pub(super) fn pages() -> Vec<String> {
    duly_local::web::app_pages("cus-1", "1001", "wholesale")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_passes_axe_core_at_both_widths_in_two_languages() {
    let local = Local::new("web-every-page").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    // A dispute, so that the decision page has something to decide.
    let (status, reply) = local
        .api(
            "PUT",
            "/v1/invoices/1001/dispute",
            Some(json!({"reason": "The drill arrived broken"})),
            None,
            at(T),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let now = at("2026-11-25T10:00:00Z");
    let (base, _clock) = serve_web(&local, now).await;
    let driver = Driver::start().await;
    for language in ["et", "en"] {
        let mut creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
        creditor.language = language.into();
        local.store.put_creditor(&creditor).await.unwrap();
        for (width, height) in [(390, 844), (1280, 900)] {
            let browser = driver.browser(width, height).await;
            super::worklist::sign_in_browser(&browser, &base, &email).await;
            for page in &pages() {
                browser.goto(&format!("{base}{page}")).await.unwrap();
                let path = page.split('?').next().unwrap();
                assert_eq!(path_of(&browser).await, path, "{page} in {language}");
                let html = browser.source().await.unwrap();
                assert!(
                    html.contains(&format!("<html lang=\"{language}\""))
                        || path.ends_with("/interest")
                        || path.starts_with("/app/preview/email"),
                    "{page} in {language}"
                );
                if width == 390 {
                    assert!(fits(&browser).await, "{page} fits a phone in {language}");
                }
                assert_accessible(&browser, &format!("{page} in {language} at {width} px")).await;
            }
            browser.close().await.unwrap();
        }
    }
}
