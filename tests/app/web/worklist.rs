//! A creditor with 150 customers in the browser, at desktop width and in English: who owes most and is
//! overdue longest is one click away, the list is filtered, paged and downloaded, and customers are paused
//! several at a time. Every page passes axe-core; screenshots at 1280 and 390 px.

use fantoccini::{Client, Locator};

use super::browser::{arrive, fits, path_of, press, shot};
use super::*;
use duly_local::browser::Driver;
use duly_local::web::serve_web;

const CUSTOMERS: usize = 150;

/// Customer `n`'s one invoice: its amount in euros and its due date, spread so that neither the largest
/// amount nor the oldest date falls on the same customer or on the first or last one.
fn invoice_of(n: usize) -> (u32, chrono::NaiveDate) {
    let euros = (n * 37 % CUSTOMERS + 1) as u32 * 10;
    let due = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Duration::days((n * 11 % 120) as i64);
    (euros, due)
}

fn name_of(n: usize) -> String {
    const NAMES: [&str; 10] = [
        "Kask", "Ozols", "Kowalski", "Popescu", "Ivanov", "Tamm", "Liepa", "Petrov", "Nowak", "Jonaitis",
    ];
    const FORMS: [&str; 8] = ["OÜ", "SIA", "Sp. z o.o.", "SRL", "EOOD", "AS", "UAB", "Ltd"];
    format!("{} {n:03} {}", NAMES[n % 10], FORMS[n % 8])
}

async fn seed_many(local: &Local) {
    for n in 0..CUSTOMERS {
        let (euros, due) = invoice_of(n);
        let debtor = format!("cus-{n:03}");
        local
            .deliver(
                &format!("c{n}"),
                &facts::contact_named(
                    &debtor,
                    &name_of(n),
                    &format!("ap@customer{n:03}.example"),
                    None,
                    &[],
                    T,
                ),
                at(T),
            )
            .await;
        local
            .deliver(
                &format!("i{n}"),
                &facts::invoice(
                    &format!("{}", 5000 + n),
                    &debtor,
                    &format!("{euros}.00"),
                    &format!("{euros}.00"),
                    &due.to_string(),
                    "open",
                    T,
                ),
                at(T),
            )
            .await;
    }
}

/// Signs `email` in with a mailed link, as a person would.
pub(super) async fn sign_in_browser(browser: &Client, base: &str, email: &str) {
    let before = link_mailed_to(email).await;
    browser.goto(&format!("{base}/app/sign-in")).await.unwrap();
    browser
        .find(Locator::Css("input[name=email]"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    press(browser, "form[action='/app/sign-in'] button").await;
    let mut link = None;
    for _ in 0..50 {
        link = link_mailed_to(email).await.filter(|l| Some(l) != before.as_ref());
        if link.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let link = link.expect("a new sign-in link was mailed");
    browser.goto(&format!("{base}{link}")).await.unwrap();
    press(browser, "main form button").await;
    assert_eq!(path_of(browser).await, "/app/today");
}

async fn first_row(browser: &Client) -> String {
    browser
        .find(Locator::Css("table.worklist tbody tr"))
        .await
        .unwrap()
        .attr("data-debtor")
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_creditor_with_150_customers_finds_who_owes_most_and_works_the_list() {
    let local = Local::new("web-worklist").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    // This creditor reads the app in English.
    let mut creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    creditor.language = "en".into();
    local.store.put_creditor(&creditor).await.unwrap();
    seed_many(&local).await;
    let now = at("2026-12-10T09:00:00Z");
    let today = now.date_naive();
    let (base, _clock) = serve_web(&local, now).await;
    let driver = Driver::start().await;
    let desk = driver.browser(1280, 900).await;

    sign_in_browser(&desk, &base, &email).await;
    shot(&desk, "desktop-today").await;

    // Who owes most overdue (the oldest first among equals), and who is overdue longest: the list opens
    // on the first, one click on a sort gives the second.
    let overdue: Vec<usize> = (0..CUSTOMERS).filter(|n| invoice_of(*n).1 < today).collect();
    let most = *overdue
        .iter()
        .max_by_key(|n| (invoice_of(**n).0, std::cmp::Reverse(invoice_of(**n).1)))
        .unwrap();
    let oldest = *overdue
        .iter()
        .min_by_key(|n| (invoice_of(**n).1, format!("{n:03}")))
        .unwrap();
    assert_ne!(most, oldest);
    desk.find(Locator::Css("nav.places.wide a[href='/app/debtors']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(&desk, "/app/debtors").await;
    let list = desk.source().await.unwrap();
    assert!(list.contains("Page 1 of 3 · 150 customers"), "{list}");
    assert_eq!(
        first_row(&desk).await,
        format!("cus-{most:03}"),
        "who owes most overdue leads"
    );
    shot(&desk, "desktop-customers").await;
    desk.find(Locator::LinkText("Oldest due date"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(&desk, "/app/debtors").await;
    assert_eq!(
        first_row(&desk).await,
        format!("cus-{oldest:03}"),
        "overdue longest, one click"
    );

    // The next page, and back to the first by a search for an invoice number.
    desk.find(Locator::Css("a[rel=next]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(&desk, "/app/debtors").await;
    assert!(desk.source().await.unwrap().contains("Page 2 of 3"));
    let search = desk.find(Locator::Css("input[name=q]")).await.unwrap();
    search.send_keys(&format!("{}", 5000 + most)).await.unwrap();
    let found = press(&desk, "form.filters button").await;
    assert!(found.contains("Page 1 of 1 · 1 customers"), "{found}");
    assert_eq!(first_row(&desk).await, format!("cus-{most:03}"));

    // Overdue only, then two of them paused at once; the Paused filter shows exactly those two.
    desk.goto(&format!("{base}/app/debtors?overdue=1&sort=name"))
        .await
        .unwrap();
    let listed = desk.source().await.unwrap();
    let overdue_count = overdue.len();
    assert!(
        listed.contains(&format!("· {overdue_count} customers")),
        "{overdue_count} overdue: {listed}"
    );
    let boxes = desk.find_all(Locator::Css("input[name=debtor]")).await.unwrap();
    let mut picked = Vec::new();
    for b in boxes.iter().take(2) {
        picked.push(b.attr("value").await.unwrap().unwrap());
        b.click().await.unwrap();
    }
    let done = press(&desk, "form.bulk button").await;
    assert!(done.contains("Done for 2 customers."), "{done}");
    assert!(path_of(&desk).await == "/app/debtors");
    desk.goto(&format!("{base}/app/debtors?status=paused")).await.unwrap();
    let paused = desk.source().await.unwrap();
    assert!(paused.contains("· 2 customers"), "{paused}");
    for id in &picked {
        assert!(paused.contains(&format!("data-debtor=\"{id}\"")), "{id}: {paused}");
        let debtor = local
            .store
            .get_debtor(
                &nordwind(),
                &duly_core::model::ids::DebtorId::parse(id.clone()).unwrap(),
            )
            .await
            .unwrap()
            .unwrap();
        assert!(debtor.controls.reminders.is_some_and(|o| !o.on), "{id} paused");
    }
    shot(&desk, "desktop-customers-paused").await;

    // The CSV holds what the filter selects, with the session's cookie.
    let cookie = desk.get_named_cookie("__Host-duly_session").await.unwrap();
    let csv = reqwest::Client::new()
        .get(format!("{base}/app/debtors.csv?overdue=1"))
        .header("cookie", format!("{}={}", cookie.name(), cookie.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), overdue_count + 1, "a header and one line each");
    assert!(
        csv.starts_with("Customer,E-mail,Overdue,Owed,Oldest due date,Status,Group\n"),
        "{csv}"
    );

    // The customer's page: what they owe first; a dispute recorded on the invoice puts it in To do.
    desk.goto(&format!("{base}/app/debtors/cus-{most:03}")).await.unwrap();
    let page = desk.source().await.unwrap();
    assert!(
        page.contains("Owes €1,500.00 · <span class=\"overdue\">€1,500.00 overdue</span>"),
        "{page}"
    );
    shot(&desk, "desktop-customer").await;
    desk.find(Locator::Css("details.invoice-actions summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    desk.find(Locator::Css("form[action$='/dispute'] input[name=reason]"))
        .await
        .unwrap()
        .send_keys("Wrong quantity")
        .await
        .unwrap();
    let saved = press(&desk, "form[action$='/dispute'] button").await;
    assert!(
        saved.contains("Saved.") && saved.contains("Disputes the invoice"),
        "{saved}"
    );
    assert!(
        saved.contains("To do <span class=\"count\">1</span>"),
        "the navigation counts it: {saved}"
    );
    desk.close().await.unwrap();

    // The same list on a phone.
    let phone = driver.browser(390, 844).await;
    sign_in_browser(&phone, &base, &email).await;
    phone.goto(&format!("{base}/app/debtors")).await.unwrap();
    assert!(fits(&phone).await, "the list fits a phone");
    shot(&phone, "phone-customers").await;
    phone.close().await.unwrap();
}
