//! The demo creditor's web app, photographed in Chromium on a phone and on a desktop: Today, Customers,
//! one customer's page, To do and Reports, written to `demo-output/` beside the e-mail previews. Each page
//! is checked by axe-core before it is saved.

use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Utc};
use fantoccini::{Client, Locator};

use duly_core::model::ids::CreditorId;
use duly_local::browser::Driver;
use duly_local::moto::sent_emails;
use duly_local::web::serve_web;
use duly_local::Local;

/// The widths photographed: a phone's and a desktop's.
const WIDTHS: [(&str, u32, u32); 2] = [("phone", 390, 844), ("desktop", 1280, 900)];

/// Signs `email` in through a mailed link in `browser`.
pub(crate) async fn sign_in(browser: &Client, base: &str, email: &str) -> anyhow::Result<()> {
    let before = sent_emails().await.len();
    browser.goto(&format!("{base}/app/sign-in")).await?;
    browser
        .find(Locator::Css("input[name=email]"))
        .await?
        .send_keys(email)
        .await?;
    browser
        .find(Locator::Css("form[action='/app/sign-in'] button"))
        .await?
        .click()
        .await?;
    browser.wait().for_element(Locator::Css("main p.note")).await?;
    let mail = sent_emails()
        .await
        .into_iter()
        .skip(before)
        .rev()
        .find(|m| m.destinations.to == [email.to_string()])
        .context("the sign-in link was mailed")?;
    let body = mail.body.replace("&#x2f;", "/");
    let at = body.find("/app/sign-in/").context("a link in the mail")?;
    browser
        .goto(&format!("{base}{}", &body[at..at + "/app/sign-in/".len() + 64]))
        .await?;
    browser.find(Locator::Css("main form button")).await?.click().await?;
    browser
        .wait()
        .for_element(Locator::Css("nav a[aria-current=page]"))
        .await?;
    Ok(())
}

/// Signs a member of `creditor` in, as of `now`, and saves the five places at both widths; the files'
/// names.
pub async fn photograph(
    local: &Local,
    creditor: &CreditorId,
    now: DateTime<Utc>,
    output: &Path,
) -> anyhow::Result<Vec<String>> {
    let email = format!("owner-{}@nordwind.example", local.store.table());
    local.store.put_member(creditor, &email).await?;
    let (base, _clock) = serve_web(local, now).await;
    let driver = Driver::start().await;
    let mut written = Vec::new();
    for (width_name, width, height) in WIDTHS {
        let browser = driver.browser(width, height).await;
        sign_in(&browser, &base, &email).await?;
        // The customer at the top of the worklist: who owes most overdue.
        browser.goto(&format!("{base}/app/debtors")).await?;
        let first = browser
            .wait()
            .for_element(Locator::Css("table.worklist tbody tr"))
            .await?
            .attr("data-debtor")
            .await?
            .context("the worklist names its customers")?;
        for (page, name) in [
            ("/app/today".to_string(), "today"),
            ("/app/debtors".to_string(), "customers"),
            (format!("/app/debtors/{first}"), "customer"),
            ("/app/todo".to_string(), "todo"),
            ("/app/reports".to_string(), "reports"),
        ] {
            browser.goto(&format!("{base}{page}")).await?;
            browser.wait().for_element(Locator::Css("main h1")).await?;
            let violations = duly_local::browser::axe_violations(&browser).await;
            if !violations.is_empty() {
                anyhow::bail!("{page} at {width} px: {}", violations.join("; "));
            }
            let file = format!("app-{name}-{width_name}.png");
            std::fs::write(output.join(&file), browser.screenshot().await?)?;
            written.push(file);
        }
        browser.close().await?;
    }
    Ok(written)
}

/// Opens the debtor's own page from the link in the latest e-mail to `address`, as the debtor would on a
/// phone, checks it with axe-core and saves it as `debtor-page-phone.png`; what the page lists.
pub async fn debtor_page(local: &Local, address: &str, now: DateTime<Utc>, output: &Path) -> anyhow::Result<String> {
    let mail = sent_emails()
        .await
        .into_iter()
        .rev()
        .find(|m| m.destinations.to == [address.to_string()])
        .context("an e-mail to the debtor")?;
    let label = duly_core::locale::labels(duly_core::locale::Language::Et, "label", &["see-all"])
        .into_values()
        .next()
        .context("the link's words")?;
    let before = mail.body.split(label.as_str()).next().context("the page's link")?;
    let href = before.rsplit("href=\"").next().context("a link")?;
    let path = &href[href.find("/a/").context("an answers link")?..href.find('"').unwrap_or(href.len())];
    let (base, _clock) = duly_local::web::serve_answers(local, now).await;
    let driver = Driver::start().await;
    let browser = driver.browser(390, 844).await;
    browser.goto(&format!("{base}{path}")).await?;
    let title = browser
        .wait()
        .for_element(Locator::Css("main h1"))
        .await?
        .text()
        .await?;
    let violations = duly_local::browser::axe_violations(&browser).await;
    if !violations.is_empty() {
        anyhow::bail!("the debtor's page: {}", violations.join("; "));
    }
    let invoices = browser.find_all(Locator::Css("main li")).await?.len();
    std::fs::write(output.join("debtor-page-phone.png"), browser.screenshot().await?)?;
    browser.close().await?;
    Ok(format!(
        "\"{title}\", {invoices} open invoices with their charges, pay buttons and answers"
    ))
}
