//! Every page of the app, every message kind in the preview, the report, the interest sheet and the
//! hand-off bundle, rendered in the pseudo-locale, where every message of the language files is accented
//! and bracketed: a word outside the brackets that is not data (a name, an amount, an address, a brand)
//! would reach a reader of another language in English, or as a code.

use super::every_page::pages;
use super::*;
use duly_core::locale::pseudo::leaks;

/// What a reader sees of an HTML page: its text and the attributes read out or shown (labels,
/// placeholders, titles, alternative text), with entities decoded; scripts and styles left out.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let tag_end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..tag_end];
        for attribute in ["aria-label=\"", "placeholder=\"", "title=\"", "alt=\""] {
            if let Some(at) = tag.find(attribute) {
                let value = &tag[at + attribute.len()..];
                out.push_str(&value[..value.find('"').unwrap_or(0)]);
                out.push(' ');
            }
        }
        let lower = tag.to_ascii_lowercase();
        rest = &rest[tag_end..];
        // A textarea holds what the creditor edits (a template's source), not what Duly says.
        for hidden in ["script", "style", "title", "textarea"] {
            if lower.starts_with(&format!("<{hidden}")) {
                let close = format!("</{hidden}>");
                rest = &rest[rest.find(&close).map_or(rest.len(), |c| c + close.len())..];
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&middot;", "·")
}

/// Data the fixtures put on the pages: names, addresses, numbers, brands, and what a creditor typed.
const DATA: &[&str] = &[
    "Nordwind Tools OÜ",
    "Nordwind Tools accounts",
    "Nordwind Tools",
    "nordwind.example",
    "Nordwind",
    "Tamm & Sons OÜ",
    "Wholesale",
    "wholesale",
    "The drill arrived broken",
    "INV-1001",
    "Duly",
    "Xero",
    "QuickBooks",
    "Intuit",
    "Stripe",
    "Standard Webhooks",
    "Europe/Tallinn",
    // Time zones are named by their IANA city.
    "Tallinn",
    "Riga",
    "Vilnius",
    "Warsaw",
    "Sofia",
    "Bucharest",
    "Berlin",
    "Helsinki",
    "London",
    "Dublin",
    "New York",
    "EE382200221020145685",
    "EE101234567",
    "HABAEE2X",
    "Mari Maasikas",
    "Pärnu mnt",
    "Accounts receivable",
    "Sample Customer OÜ",
    "INV-1005",
    "INV-1002",
    "demo",
    "cus-1",
];

#[tokio::test(flavor = "multi_thread")]
async fn no_page_message_report_sheet_or_bundle_shows_a_word_that_is_not_in_the_language_files() {
    let local = Local::new("web-pseudo").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    seed(&local, "ap@tamm.example").await;
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
    // The customer reads the pseudo-locale too, so what was sent to them is in it.
    let place = duly_core::model::Place {
        language: Some("qps".into()),
        ..Default::default()
    };
    let cus_1 = duly_core::model::ids::DebtorId::parse("cus-1").unwrap();
    duly_app::settings::set_debtor_place(&local.store, &nordwind(), &cus_1, place, at(T))
        .await
        .unwrap();
    // An invoice reminded twice, so that Today, the customer's history and the report list what was sent.
    let late = facts::invoice("1002", "cus-1", "300.00", "300.00", "2026-11-17", "open", T);
    assert_eq!(local.deliver("i2", &late, at(T)).await.0, 200);
    for when in ["2026-11-18T07:15:00Z", "2026-11-24T07:15:00Z"] {
        duly_scheduler::handle(&local.scheduler, at(when)).await.unwrap();
    }
    // A rate series whose last fetch failed: the charges page says so without the operator's detail.
    let failed = duly_adapters::store::FeedStatus {
        series: duly_core::interest::feed::Series::EcbMainRefinancing,
        tried_at: at(T),
        taken_on: None,
        newest: None,
        failure: Some("the ECB: HTTP 500 Internal Server Error".into()),
    };
    local.store.put_feed_status(&failed).await.unwrap();
    let mut creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    creditor.language = "qps".into();
    local.store.put_creditor(&creditor).await.unwrap();
    let now = at("2026-11-25T10:00:00Z");
    let app = web_app(&local, "https://app.duly.test");
    let cookie = sign_in(&app, &email, now).await;

    let steps: Vec<String> = creditor.policy.steps.iter().map(|s| s.id.clone()).collect();
    // The preview's own choice of language is the debtor's; here it is the pseudo-locale too.
    let mut pages: Vec<String> = pages()
        .iter()
        .map(|p| {
            p.replace("language=pl", "language=qps")
                .replace("language=et", "language=qps")
        })
        .collect();
    for step in steps.iter().map(String::as_str).chain(["statement", "thanks"]) {
        pages.push(format!("/app/preview?language=qps&step={step}"));
        pages.push(format!("/app/preview/email?language=qps&step={step}"));
    }
    // The names of the country rules' sources are data too: a law's name, as it is published.
    let sources: Vec<&str> = duly_core::country_rules::countries()
        .flat_map(|(_, pack)| pack.sources.values().map(|s| s.title.as_str()))
        .collect();
    let data: Vec<&str> = DATA.iter().copied().chain([email.as_str()]).chain(sources).collect();
    let mut found = Vec::new();
    for page in &pages {
        let answer = call(&app, "GET", page, "", Some(&cookie), now).await;
        assert_eq!(answer.status, 200, "{page}: {}", answer.body);
        let words = leaks(&visible(&answer.body), &data);
        if !words.is_empty() {
            found.push(format!("{page}: {}", words.join(" ")));
        }
    }
    // The hand-off bundle last: handing off stops the reminders.
    let page = call(&app, "GET", "/app/debtors/cus-1", "", Some(&cookie), now).await;
    let csrf = csrf_of(&page.body);
    let bundle = call(
        &app,
        "POST",
        "/app/debtors/cus-1",
        &format!("csrf={csrf}&action=handoff"),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(bundle.status, 200, "{}", bundle.body);
    let words = leaks(&visible(&bundle.body), &data);
    if !words.is_empty() {
        found.push(format!("hand-off bundle: {}", words.join(" ")));
    }
    found.extend(answer_pages(&local, &data, now).await);
    assert!(
        found.is_empty(),
        "words outside the language files:\n{}",
        found.join("\n")
    );
}

/// The answers function as a debtor's browser that asks for the pseudo-locale.
async fn debtor_asks(local: &Local, method: &str, path: &str, form: &str, now: DateTime<Utc>) -> (u16, String) {
    let headers = [
        ("content-type", "application/x-www-form-urlencoded".to_string()),
        ("accept-language", "qps, en;q=0.5".to_string()),
    ];
    let event = function_url_event(method, path, &headers, form, now.timestamp());
    let response = duly_answers::handle(&local.answers, to_request(&event), now).await;
    let body = match response.body() {
        lambda_http::Body::Text(t) => t.clone(),
        _ => String::new(),
    };
    (response.status().as_u16(), body)
}

/// Every answer page a debtor sees, and what it says once answered, in the debtor's language; and the
/// pages of a link that has expired or never was, in the language the browser asks for.
async fn answer_pages(local: &Local, data: &[&str], now: DateTime<Utc>) -> Vec<String> {
    use duly_core::locale::Language;
    use duly_core::messages::links::{Action, Answer};
    let link = |action: Action, expires: DateTime<Utc>| {
        let token = duly_local::test_links().token(&Answer {
            creditor: nordwind(),
            debtor: duly_core::model::ids::DebtorId::parse("cus-1").unwrap(),
            invoices: vec![InvoiceId::parse("1002").unwrap()],
            action,
            language: Language::Pseudo,
            expires: expires.timestamp(),
        });
        format!("/a/{token}")
    };
    let later = now + Duration::days(30);
    let promise_date = (now + Duration::days(5)).date_naive();
    let mut visits = vec![
        ("GET", link(Action::Statement, later), String::new()),
        ("GET", link(Action::Unsubscribe, later), String::new()),
        ("GET", link(Action::Paid, now - Duration::days(1)), String::new()),
        ("GET", "/a/not-a-token".to_string(), String::new()),
        ("GET", "/p/Zz9Zz9Zz9Z".to_string(), String::new()),
    ];
    for (action, form) in [
        (Action::Promise, format!("date={promise_date}")),
        (Action::Dispute, "reason=The+drill+arrived+broken".to_string()),
        (Action::Paid, String::new()),
    ] {
        visits.push(("GET", link(action, later), String::new()));
        visits.push(("POST", link(action, later), form));
    }
    let mut found = Vec::new();
    for (method, path, form) in visits {
        let (status, body) = debtor_asks(local, method, &path, &form, now).await;
        assert!(status < 500, "{method} {path}: {status} {body}");
        assert!(
            body.contains(duly_core::locale::pseudo::OPEN),
            "{method} {path} is worded: {body}"
        );
        let words = leaks(&visible(&body), data);
        if !words.is_empty() {
            found.push(format!("{method} {}: {}", &path[..path.len().min(24)], words.join(" ")));
        }
    }
    found
}

/// Every page the connect function ends a flow with, for each platform and each way a flow fails, in
/// the pseudo-locale.
#[test]
fn every_connect_page_is_worded_from_the_language_files() {
    use duly_app::connect::{Confirm, ConnectError, ConnectPage, Connected, Disconnected, StandardConnection};
    use duly_core::locale::Language;
    use duly_core::model::ids::ConnectionId;
    use duly_core::model::Platform;
    let mut pages = Vec::new();
    for platform in [
        Platform::Xero,
        Platform::QuickBooks,
        Platform::Stripe,
        Platform::StandardWebhooks,
    ] {
        let connected = Connected {
            platform,
            creditor: nordwind(),
            connection: ConnectionId::parse("conn-1").unwrap(),
            tenant: "t-1".into(),
            tenant_name: Some("Nordwind Tools OÜ".into()),
            new_token: Some("duly_0123456789abcdef".into()),
            member: Some("ar@nordwind.example".into()),
        };
        pages.push((
            "connected",
            ConnectPage::connected(&connected).with_app_link(Some("https://app.duly.test/app/sign-in/x".into())),
        ));
        pages.push((
            "confirm",
            ConnectPage::confirm(&Confirm {
                platform,
                state: "s".into(),
                code: "c".into(),
                realm_id: None,
            }),
        ));
    }
    let back = Some("https://app.duly.test/app/connections".to_string());
    pages.push(("stripe sign-up", ConnectPage::stripe_sign_up()));
    pages.push((
        "welcome back",
        ConnectPage::signed_in(None, Some("https://app.duly.test/x".into())),
    ));
    pages.push(("not a member", ConnectPage::not_a_member(Some("Nordwind Tools OÜ"))));
    pages.push(("stripe connect", ConnectPage::stripe_connect("g", back.clone())));
    pages.push(("standard offer", ConnectPage::standard_offer("g", back.clone())));
    let made = StandardConnection {
        connection: ConnectionId::parse("conn-2").unwrap(),
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        webhook_path: "/webhooks/standard/conn-2".into(),
    };
    pages.push((
        "standard made",
        ConnectPage::standard_made(&made, Some("https://in.duly.test"), back.clone()),
    ));
    pages.push(("disconnect offer", ConnectPage::disconnect_offer("g", back.clone())));
    let gone = Disconnected {
        platform: Platform::Xero,
        revocation_follows: true,
    };
    pages.push(("disconnected", ConnectPage::disconnected(&gone, back)));
    for error in [
        ConnectError::UnknownPlatform,
        ConnectError::UnknownFlow,
        ConnectError::NotYourFlow,
        ConnectError::Declined("access_denied".into()),
        ConnectError::MissingParameter("code"),
        ConnectError::TenantTaken,
        ConnectError::AlreadyConnected,
        ConnectError::SecondCompany,
        ConnectError::WrongTenant,
        ConnectError::NoTenant,
        ConnectError::Refused,
        ConnectError::UnknownGrant,
        ConnectError::UnknownConnection,
        ConnectError::Platform("timed out".into()),
    ] {
        pages.push(("failed", ConnectPage::failed(&error)));
    }
    let data = [
        "Nordwind Tools OÜ",
        "Xero",
        "QuickBooks Online",
        "Stripe",
        "Standard Webhooks",
        "Duly",
        "access_denied",
        "code",
        "rk_",
        "whsec_",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "duly_0123456789abcdef",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "/webhooks/standard/conn-2",
    ];
    let found: Vec<String> = pages
        .iter()
        .filter_map(|(name, page)| {
            let html = page.html(Language::Pseudo);
            assert!(html.contains("<html lang=\"qps\">"), "{name}");
            let words = leaks(&visible(&html), &data);
            (!words.is_empty()).then(|| format!("{name}: {}", words.join(" ")))
        })
        .collect();
    assert!(
        found.is_empty(),
        "words outside the language files:\n{}",
        found.join("\n")
    );
}
