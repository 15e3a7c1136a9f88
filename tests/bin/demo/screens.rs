//! The demo creditor's web app, photographed: Today, Customer groups and a preview, in Chromium on a phone
//! viewport, written to `demo-output/` beside the e-mail previews.

use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Utc};
use fantoccini::Locator;

use duly_core::model::ids::CreditorId;
use duly_local::browser::Driver;
use duly_local::moto::sent_emails;
use duly_local::web::serve_web;
use duly_local::Local;

/// Signs a member of `creditor` in through the mailed link, as of `now`, and saves the three pages.
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
    let phone = driver.browser(390, 844).await;
    phone.goto(&format!("{base}/app/sign-in")).await?;
    phone
        .find(Locator::Css("input[name=email]"))
        .await?
        .send_keys(&email)
        .await?;
    phone
        .find(Locator::Css("form[action='/app/sign-in'] button"))
        .await?
        .click()
        .await?;
    phone.wait().for_element(Locator::Css("main p.note")).await?;
    let mail = sent_emails()
        .await
        .into_iter()
        .rev()
        .find(|m| m.destinations.to == [email.clone()])
        .context("the sign-in link was mailed")?;
    let body = mail.body.replace("&#x2f;", "/");
    let at = body.find("/app/sign-in/").context("a link in the mail")?;
    phone
        .goto(&format!("{base}{}", &body[at..at + "/app/sign-in/".len() + 64]))
        .await?;
    phone.find(Locator::Css("main form button")).await?.click().await?;
    phone
        .wait()
        .for_element(Locator::Css("nav a[aria-current=page]"))
        .await?;
    let mut written = Vec::new();
    for (page, name) in [
        ("/app/today", "app-today.png"),
        ("/app/groups", "app-groups.png"),
        ("/app/preview?language=et&step=after-7", "app-preview.png"),
    ] {
        phone.goto(&format!("{base}{page}")).await?;
        phone.wait().for_element(Locator::Css("main h1")).await?;
        std::fs::write(output.join(name), phone.screenshot().await?)?;
        written.push(name.to_string());
    }
    phone.close().await?;
    Ok(written)
}
