//! Every page of the demo creditor's web app and every message it sends, in Estonian, Polish and German,
//! photographed in Chromium on a phone for a person to look at: `demo-output/languages/{et,pl,de}/`.

use std::path::Path;

use chrono::{DateTime, Utc};
use fantoccini::Locator;

use duly_core::locale::Language;
use duly_core::model::ids::CreditorId;
use duly_local::browser::Driver;
use duly_local::web::{app_pages, serve_web};
use duly_local::Local;

/// The languages looked at, beside the English the demo's own pictures are in.
const LANGUAGES: [Language; 3] = [Language::Et, Language::Pl, Language::De];

/// A page's address as a file name: `/app/debtors?overdue=1` is `app-debtors-overdue-1`.
fn file_name(page: &str) -> String {
    let name: String = page
        .trim_start_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    name.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}

/// Signs a member in for each language (their own language set to it) and saves every page of the app,
/// and the e-mail and SMS of every step of the schedule, the thank-you note and the statement, in the
/// member's language; the number of pictures.
pub async fn photograph(
    local: &Local,
    creditor: &CreditorId,
    now: DateTime<Utc>,
    output: &Path,
) -> anyhow::Result<usize> {
    let c = local
        .store
        .get_creditor(creditor)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo creditor"))?;
    let (open, _) = local.store.open_invoices_with_debtors(creditor).await?;
    let invoice = open
        .iter()
        .find_map(|i| {
            i.doc
                .as_ref()
                .map(|d| (i.invoice_id.to_string(), d.debtor_id.to_string()))
        })
        .ok_or_else(|| anyhow::anyhow!("an open invoice"))?;
    let group = c.groups.keys().next().cloned().unwrap_or_default();
    let email = format!("reader-{}@nordwind.example", local.store.table());
    local.store.put_member(creditor, &email).await?;
    let (base, _clock) = serve_web(local, now).await;
    let driver = Driver::start().await;
    let mut pictures = 0;
    for lang in LANGUAGES {
        local.store.set_member_language(creditor, &email, Some(lang)).await?;
        let dir = output.join("languages").join(lang.code());
        std::fs::create_dir_all(&dir)?;
        let browser = driver.browser(390, 844).await;
        crate::screens::sign_in(&browser, &base, &email).await?;
        let mut pages = app_pages(&invoice.1, &invoice.0, &group);
        for step in c
            .policy
            .steps
            .iter()
            .filter(|s| !s.call)
            .map(|s| s.id.as_str())
            .chain(["thanks", "statement"])
        {
            let code = lang.code();
            pages.push(format!("/app/preview?language={code}&step={step}"));
            pages.push(format!("/app/preview/email?language={code}&step={step}"));
        }
        for page in pages {
            browser.goto(&format!("{base}{page}")).await?;
            browser.wait().for_element(Locator::Css("body")).await?;
            std::fs::write(
                dir.join(format!("{}.png", file_name(&page))),
                browser.screenshot().await?,
            )?;
            pictures += 1;
        }
        browser.close().await?;
    }
    Ok(pictures)
}
