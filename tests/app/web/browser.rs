//! The web app walked in Debian's Chromium over WebDriver, on a phone-sized window: sign in with the mailed
//! link, see what goes out, preview a reminder in Estonian and Polish, change the schedule and see the plan move, pause and resume a customer, resolve a customer's dispute, switch a group off (and the next scheduler run
//! sends nothing), rotate the API token, sign out.
//! Each page is saved as a screenshot under `target/web-screenshots/`.

use fantoccini::{Client, Locator};

use super::*;
use duly_local::browser::Driver;
use duly_local::web::serve_web;

fn at_now() -> chrono::DateTime<chrono::Utc> {
    at("2026-11-30T08:00:00Z")
}

/// Saves the page as `name.png` after axe-core has found nothing wrong with it.
pub(super) async fn shot(browser: &Client, name: &str) {
    duly_local::browser::assert_accessible(browser, name).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/web-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = browser.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

pub(super) async fn path_of(browser: &Client) -> String {
    browser.current_url().await.unwrap().path().to_string()
}

/// Presses the button `css` finds, which submits a form, and waits for the page the answer loads (the
/// server may be slow while other tests run); that page's source.
pub(super) async fn press(browser: &Client, css: &str) -> String {
    browser.execute("window.dulyBefore = true", vec![]).await.unwrap();
    browser.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
    for _ in 0..300 {
        let loaded = browser
            .execute(
                "return window.dulyBefore === undefined && document.readyState === 'complete'",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if loaded {
            return browser.source().await.unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("pressing {css} loaded no page");
}

/// Waits until a followed link has loaded the page at `path`.
pub(super) async fn arrive(browser: &Client, path: &str) {
    for _ in 0..300 {
        let complete = browser
            .execute("return document.readyState === 'complete'", vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if complete && path_of(browser).await == path {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("never arrived at {path}");
}

/// Whether the page is no wider than the window: nothing to scroll sideways on a phone.
pub(super) async fn fits(browser: &Client) -> bool {
    browser
        .execute(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_creditor_signs_in_switches_a_group_off_and_signs_out_in_a_real_browser() {
    let local = Local::new("web-browser").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
    // Five days before the invoice's first reminder, so the week ahead shows it.
    let (base, _clock) = serve_web(&local, at("2026-11-25T10:00:00Z")).await;
    let driver = Driver::start().await;
    let phone = driver.browser(390, 844).await;

    phone.goto(&format!("{base}/app/today")).await.unwrap();
    assert_eq!(
        path_of(&phone).await,
        "/app/sign-in",
        "signed out, a page sends you to sign in"
    );
    shot(&phone, "sign-in").await;
    phone
        .find(Locator::Css("input[name=email]"))
        .await
        .unwrap()
        .send_keys(&email)
        .await
        .unwrap();
    let sent = press(&phone, "form[action='/app/sign-in'] button").await;
    assert!(sent.contains("a link is on its way"), "{sent}");

    let link = link_mailed_to(&email).await.expect("the sign-in link was mailed");
    phone.goto(&format!("{base}{link}")).await.unwrap();
    let today = press(&phone, "main form button").await;
    assert_eq!(path_of(&phone).await, "/app/today");
    assert!(today.contains("<h1>Täna</h1>"), "in the creditor's language");
    assert!(
        today.contains("Tamm &amp; Sons OÜ") && today.contains("INV-1001"),
        "{today}"
    );
    assert!(
        today.contains("3 päeva enne maksetähtaega"),
        "the rule behind it, in the creditor's language"
    );
    assert!(fits(&phone).await, "no sideways scrolling at 390 px");
    shot(&phone, "today").await;

    // The first step moves to five days before the due date: the week ahead shows it.
    phone.goto(&format!("{base}/app/schedule")).await.unwrap();
    assert!(fits(&phone).await, "the schedule editor fits a phone");
    shot(&phone, "schedule").await;
    for (name, value) in [("step_0_days", "-5")] {
        let field = phone.find(Locator::Css(&format!("input[name={name}]"))).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }
    let saved = press(&phone, "form[action='/app/schedule'] > button").await;
    assert!(saved.contains("role=\"status\""), "saying it was saved: {saved}");
    phone.goto(&format!("{base}/app/today")).await.unwrap();
    let moved = phone.source().await.unwrap();
    assert!(
        moved.contains("26.11.2026 09:00") && moved.contains("5 päeva enne") && !moved.contains("before-3"),
        "{moved}"
    );

    // Previews in Estonian and Polish, and the e-mail as the customer sees it.
    phone
        .goto(&format!("{base}/app/preview?language=et&step=after-7"))
        .await
        .unwrap();
    let estonian = phone.source().await.unwrap();
    assert!(estonian.contains("Teine meeldetuletus"), "{estonian}");
    assert!(fits(&phone).await, "the preview fits a phone");
    shot(&phone, "preview-et").await;
    phone
        .goto(&format!("{base}/app/preview?language=pl&step=after-7"))
        .await
        .unwrap();
    assert!(phone.source().await.unwrap().contains("Drugie przypomnienie"));
    shot(&phone, "preview-pl").await;
    phone
        .find(Locator::Css("section.preview a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(&phone, "/app/preview/email").await;
    assert!(phone.source().await.unwrap().contains("Zapłać teraz"), "the pay button");
    shot(&phone, "preview-email-pl").await;

    // Pause the customer: nothing is planned for them; resume: it is back.
    phone.goto(&format!("{base}/app/debtors/cus-1")).await.unwrap();
    phone
        .find(Locator::Css("form:has(input[value=pause]) input[name=reason]"))
        .await
        .unwrap()
        .send_keys("Talking to them by phone")
        .await
        .unwrap();
    let paused = press(&phone, "form:has(input[value=pause]) button").await;
    assert!(
        paused.contains("class=\"note paused\"") && paused.contains("Talking to them by phone"),
        "{paused}"
    );
    shot(&phone, "debtor-paused").await;
    phone.goto(&format!("{base}/app/today")).await.unwrap();
    assert!(
        !phone.source().await.unwrap().contains("INV-1001"),
        "a paused customer has nothing planned"
    );
    phone.goto(&format!("{base}/app/debtors/cus-1")).await.unwrap();
    let resumed = press(&phone, "form:has(input[value=resume]) button").await;
    assert!(!resumed.contains("note paused"));
    phone.goto(&format!("{base}/app/today")).await.unwrap();
    assert!(phone.source().await.unwrap().contains("INV-1001"), "resumed");

    // The customer disputes the invoice from their reminder: nothing is planned until the creditor
    // resolves it on the Answers page.
    let now = at("2026-11-25T10:00:00Z");
    let token = duly_local::test_links().token(&duly_core::messages::links::Answer {
        creditor: nordwind(),
        debtor: duly_core::model::ids::DebtorId::parse("cus-1").unwrap(),
        invoices: vec![duly_core::model::ids::InvoiceId::parse("1001").unwrap()],
        action: duly_core::messages::links::Action::Dispute,
        language: duly_core::locale::Language::Et,
        expires: (now + chrono::Duration::days(30)).timestamp(),
    });
    let (status, _, _) = local
        .answer("POST", &format!("/a/{token}"), "reason=Kaup+saabus+katkisena", now)
        .await;
    assert_eq!(status, 200);
    phone.goto(&format!("{base}/app/today")).await.unwrap();
    let planned = |page: String| page.contains("<td>INV-1001</td>");
    assert!(!planned(phone.source().await.unwrap()), "disputed: held back");
    phone.goto(&format!("{base}/app/answers")).await.unwrap();
    assert!(phone.source().await.unwrap().contains("Kaup saabus katkisena"));
    shot(&phone, "answers-dispute").await;
    // The customer's page leads with the dispute and keeps the answer in their history.
    phone.goto(&format!("{base}/app/debtors/cus-1")).await.unwrap();
    let page = phone.source().await.unwrap();
    assert!(
        page.contains("Vaidlustatud")
            && page.contains("Vastas: vaidlustab (INV-1001)")
            && page.contains("Kaup saabus katkisena"),
        "{page}"
    );
    assert!(fits(&phone).await);
    shot(&phone, "debtor-disputed").await;

    // To do counts the dispute in the menu and leads to the decision, which shows what each choice does
    // before it is made.
    phone.goto(&format!("{base}/app/todo")).await.unwrap();
    let todo = phone.source().await.unwrap();
    assert!(
        todo.contains("<summary>Menüü <span class=\"count\">1</span></summary>"),
        "the count on the phone's menu: {todo}"
    );
    assert!(todo.contains("Vaidlustab arve") && todo.contains("INV-1001"), "{todo}");
    shot(&phone, "todo").await;
    phone
        .find(Locator::Css("li.task a.decide"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(&phone, "/app/invoices/1001/decide").await;
    let decide = phone.source().await.unwrap();
    let choice = |code: &str| {
        let at = decide
            .find(&format!("action=\"/app/invoices/1001/{code}\""))
            .unwrap_or_else(|| panic!("{code} is offered: {decide}"));
        decide[at..at + decide[at..].find("</form>").unwrap()].to_string()
    };
    assert!(
        choice("resolve").contains("Järgmine sõnum: 26.11.2026 09:00, sõbralik"),
        "resolving shows the next message and its date: {}",
        choice("resolve")
    );
    assert!(
        choice("hold").contains("Kuni arve on ootel, ei lähe midagi välja."),
        "a credit note coming keeps it on hold: {}",
        choice("hold")
    );
    assert!(fits(&phone).await, "the decision fits a phone");
    shot(&phone, "decide-dispute").await;
    let done = press(&phone, "form[action='/app/invoices/1001/resolve'] button").await;
    assert_eq!(path_of(&phone).await, "/app/todo");
    assert!(
        done.contains("Salvestatud: Klient eksis: jätka meeldetuletusi.") && done.contains("Midagi ei oota sind."),
        "{done}"
    );
    let invoice = local
        .store
        .get_invoice(&nordwind(), &duly_core::model::ids::InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(invoice.controls.dispute.is_none(), "resolved");
    phone.goto(&format!("{base}/app/today")).await.unwrap();
    let today = phone.source().await.unwrap();
    assert!(planned(today.clone()), "planned again");
    assert!(
        today.contains("26.11.2026 09:00"),
        "when the decision page said: {today}"
    );

    phone.goto(&format!("{base}/app/groups")).await.unwrap();
    assert!(fits(&phone).await);
    shot(&phone, "groups").await;
    let switched = press(&phone, "tr[data-group=wholesale] form.switch button").await;
    assert_eq!(path_of(&phone).await, "/app/groups");
    assert!(switched.contains("<span class=\"off\">Väljas</span>"));

    // The group is off: its customer's reminder, due on Monday 30 November, does not go out.
    let run = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:30:00Z"))
        .await
        .unwrap();
    assert_eq!(run.sent, 0, "{run:?}");
    phone.goto(&format!("{base}/app/today")).await.unwrap();
    assert!(phone
        .source()
        .await
        .unwrap()
        .contains("Järgmise 7 päeva jooksul ei lähe midagi välja."));

    for page in [
        "todo",
        "settings",
        "reports",
        "answers",
        "connections",
        "notices",
        "team",
        "usage",
        "tokens",
        "templates",
        "charges",
        "debtors",
        "debtors/cus-1",
    ] {
        phone.goto(&format!("{base}/app/{page}")).await.unwrap();
        assert_eq!(path_of(&phone).await, format!("/app/{page}"));
        assert!(fits(&phone).await, "{page} fits a phone");
        shot(&phone, &page.replace('/', "-")).await;
    }

    // Rotate the API token: the new one is shown once, and the old one opens the API no more.
    phone.goto(&format!("{base}/app/tokens")).await.unwrap();
    let rotated = press(&phone, "li.token-row form:has(input[value=rotate]) button").await;
    let at = rotated.find("duly_").expect("the new token, shown once");
    let token = &rotated[at..at + 5 + 64];
    assert_eq!(
        local.api("GET", "/v1/settings", None, Some(token), at_now()).await.0,
        200
    );
    assert_eq!(
        local.api("GET", "/v1/settings", None, None, at_now()).await.0,
        401,
        "the old token is revoked"
    );
    shot(&phone, "tokens-rotated").await;

    // On a phone the menu holds the places and signing out.
    phone
        .find(Locator::Css("details.menu summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    shot(&phone, "menu-open").await;
    press(&phone, "details.menu form[action='/app/sign-out'] button").await;
    assert_eq!(path_of(&phone).await, "/app/sign-in");
    phone.goto(&format!("{base}/app/groups")).await.unwrap();
    assert_eq!(path_of(&phone).await, "/app/sign-in", "signed out for good");
    phone.close().await.unwrap();
}

/// A call step's task worked on a phone: the Calls page shows whom to call, at their hours, about what and
/// what to say, in the creditor's language; the outcome noted there holds the reminders.
#[tokio::test(flavor = "multi_thread")]
async fn a_call_task_is_worked_from_the_calls_page_in_a_real_browser() {
    let local = Local::new("web-calls").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    let mut policy = serde_json::to_value(duly_core::policy::Policy::default()).unwrap();
    policy["steps"].as_array_mut().unwrap().insert(
        3,
        json!({"id": "call-10", "offset": {"unit": "business_days", "days": 10}, "tone": "firm", "channels": [], "call": true}),
    );
    let (status, reply) = local.api("PUT", "/v1/policy", Some(policy), None, at(T)).await;
    assert_eq!(status, 200, "{reply}");
    local
        .deliver(
            "c1",
            &facts::contact("cus-1", "ap@tamm.example", Some("+37255512345"), T),
            at(T),
        )
        .await;
    local
        .deliver(
            "i1",
            &facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", T),
            at(T),
        )
        .await;
    for morning in ["2026-11-16", "2026-11-30", "2026-12-02", "2026-12-10", "2026-12-15"] {
        duly_scheduler::handle(&local.scheduler, at(&format!("{morning}T08:00:00Z")))
            .await
            .unwrap();
    }
    let (base, _clock) = serve_web(&local, at("2026-12-15T08:30:00Z")).await;
    let driver = Driver::start().await;
    let phone = driver.browser(390, 844).await;
    phone.goto(&format!("{base}/app/sign-in")).await.unwrap();
    phone
        .find(Locator::Css("input[name=email]"))
        .await
        .unwrap()
        .send_keys(&email)
        .await
        .unwrap();
    press(&phone, "form[action='/app/sign-in'] button").await;
    let link = link_mailed_to(&email).await.expect("the sign-in link was mailed");
    phone.goto(&format!("{base}{link}")).await.unwrap();
    let today = press(&phone, "main form button").await;
    assert!(
        today.contains(">Tehtavaid kõnesid: 1</a>"),
        "Today points to the call: {today}"
    );

    phone.goto(&format!("{base}/app/calls")).await.unwrap();
    let calls = phone.source().await.unwrap();
    assert!(calls.contains("<h1>Tehtavad kõned</h1>"), "{calls}");
    assert!(calls.contains("href=\"tel:+37255512345\""), "{calls}");
    assert!(
        calls.contains("09:00–17:00 (Tallinn) · 10:30"),
        "their hours and their time now: {calls}"
    );
    assert!(
        calls.contains("Tere, helistan ettevõttest Nordwind Tools OÜ"),
        "{calls}"
    );
    assert!(fits(&phone).await, "the Calls page fits a phone");
    shot(&phone, "calls").await;

    phone
        .find(Locator::Css("input[value=disputed]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    phone
        .find(Locator::Css("input[name=reason]"))
        .await
        .unwrap()
        .send_keys("The drill arrived broken")
        .await
        .unwrap();
    let saved = press(&phone, "section.call form button").await;
    assert!(
        saved.contains("Salvestatud.") && saved.contains("Kõnesid pole vaja teha."),
        "{saved}"
    );
    shot(&phone, "calls-saved").await;
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("1001").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        invoice.controls.dispute.map(|d| d.reason).as_deref(),
        Some("The drill arrived broken"),
        "the dispute holds the reminders as the customer's own would"
    );
    assert_eq!(invoice.next_action_at, None);
    phone.close().await.unwrap();
}

/// What `make demo` wrote for people to read (every e-mail preview, the reports, the hand-off bundle's
/// pages) passes axe-core at phone and desktop width: debtors read these, not only creditors.
#[tokio::test(flavor = "multi_thread")]
async fn every_page_the_demo_writes_passes_axe_core_at_both_widths() {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo-output");
    let mut pages: Vec<std::path::PathBuf> = Vec::new();
    let mut folders = vec![out.clone()];
    while let Some(dir) = folders.pop() {
        for entry in
            std::fs::read_dir(&dir).unwrap_or_else(|_| panic!("{}: make test runs the demo first", dir.display()))
        {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "html") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    assert!(pages.len() >= 10, "the demo wrote its previews and reports: {pages:?}");
    let driver = Driver::start().await;
    for (width, height) in [(390, 844), (1280, 900)] {
        let browser = driver.browser(width, height).await;
        for page in &pages {
            browser.goto(&format!("file://{}", page.display())).await.unwrap();
            let name = page.strip_prefix(&out).unwrap().display().to_string();
            duly_local::browser::assert_accessible(&browser, &format!("{name} at {width} px")).await;
        }
        browser.close().await.unwrap();
    }
}
