//! "Sign in with Xero" and "Sign in with Intuit": in a real browser through the local platforms' consent
//! pages, and what a forged, replayed or foreign redirect gets.

use std::sync::{Arc, Mutex};

use fantoccini::{Client, Locator};

use super::*;
use duly_local::browser::Driver;
use duly_local::platforms::{intuit, xero, Platform, Shared};
use duly_local::web::{identities, serve_web_with};

async fn path_of(browser: &Client) -> String {
    browser.current_url().await.unwrap().path().to_string()
}

/// Follows the button to the platform and back, and waits for the page the redirects end on.
async fn sign_in_with(browser: &Client, base: &str, platform: &str) -> String {
    browser.goto(&format!("{base}/app/sign-in")).await.unwrap();
    browser
        .find(Locator::Css(&format!("a[href='/app/sign-in/with/{platform}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..300 {
        let complete = browser
            .execute("return document.readyState === 'complete'", vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let path = path_of(browser).await;
        let passing = [
            format!("/app/sign-in/with/{platform}"),
            "/identity/connect/authorize".into(),
            "/connect/oauth2".into(),
            "/app/sign-in".into(),
        ];
        if complete && !passing.contains(&path) {
            return browser.source().await.unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("signing in with {platform} never finished");
}

fn platform_as(email: &str) -> Shared {
    Arc::new(Mutex::new(Platform {
        signed_in_as: email.to_string(),
        ..Platform::default()
    }))
}

#[tokio::test(flavor = "multi_thread")]
async fn members_sign_in_with_xero_and_intuit_and_a_stranger_does_not() {
    let local = Local::new("web-sign-in-with").await;
    let owner = format!("owner-{}@nordwind.example", local.store.table());
    let colleague = format!("books-{}@nordwind.example", local.store.table());
    for email in [&owner, &colleague] {
        assert!(local.store.put_member(&nordwind(), email).await.unwrap());
    }
    seed(&local, "ap@tamm.example").await;
    let xero_state = platform_as(&owner.to_uppercase());
    let intuit_state = platform_as(&colleague);
    let xero_base = xero::serve(xero_state.clone()).await;
    let intuit_base = intuit::serve(intuit_state.clone()).await;
    let (base, _clock) = serve_web_with(&local, at("2026-11-25T10:00:00Z"), identities(&xero_base, &intuit_base)).await;
    let driver = Driver::start().await;
    let phone = driver.browser(390, 844).await;

    let today = sign_in_with(&phone, &base, "xero").await;
    assert_eq!(path_of(&phone).await, "/app/today", "{today}");
    assert!(today.contains("<h1>Täna</h1>") && today.contains("INV-1001"), "{today}");
    {
        let x = xero_state.lock().unwrap();
        assert_eq!(x.scopes, "openid profile email", "identity only, no books");
        assert!(x.calls.contains(&"token authorization_code".to_string()));
    }
    phone.goto(&format!("{base}/app/team")).await.unwrap();
    assert!(phone.source().await.unwrap().contains(&owner));

    phone
        .find(Locator::Css("details.menu summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    phone
        .find(Locator::Css("details.menu form[action='/app/sign-out'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let today = sign_in_with(&phone, &base, "quickbooks").await;
    assert_eq!(path_of(&phone).await, "/app/today", "{today}");
    assert!(
        intuit_state.lock().unwrap().calls.contains(&"userinfo".to_string()),
        "Intuit's address comes from its user info"
    );

    // Someone Xero knows, but nobody invited to Duly.
    phone.delete_all_cookies().await.unwrap();
    xero_state.lock().unwrap().signed_in_as = "stranger@elsewhere.example".into();
    let refused = sign_in_with(&phone, &base, "xero").await;
    assert_eq!(path_of(&phone).await, "/app/sign-in/with/xero/callback");
    assert!(
        refused.contains("stranger@elsewhere.example") && refused.contains("invite"),
        "{refused}"
    );
    phone.goto(&format!("{base}/app/today")).await.unwrap();
    assert_eq!(path_of(&phone).await, "/app/sign-in", "not signed in");
    phone.close().await.unwrap();
}

/// The callback of a flow, as a browser would call it: the query and the flow cookie.
async fn callback(app: &duly_web::App, query: &str, cookie: Option<&str>, now: DateTime<Utc>) -> (u16, Option<String>) {
    let mut event = function_url_event("GET", "/app/sign-in/with/xero/callback", &[], "", now.timestamp());
    event["rawQueryString"] = json!(query);
    event["queryStringParameters"] = json!(form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect::<std::collections::HashMap<String, String>>());
    if let Some(cookie) = cookie {
        event["cookies"] = json!([cookie]);
    }
    let response = duly_web::handle(app, to_request(&event), now).await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (response.status().as_u16(), cookie)
}

#[tokio::test]
async fn a_redirect_signs_in_once_and_only_in_the_browser_that_started_it() {
    let local = Local::new("web-sign-in-with-replay").await;
    let owner = format!("owner-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &owner).await.unwrap());
    let xero_state = platform_as(&owner);
    let xero_base = xero::serve(xero_state.clone()).await;
    let app = duly_web::App {
        identities: identities(&xero_base, "http://127.0.0.1:9"),
        ..web_app(&local, "https://app.duly.example")
    };
    let now = at(NOW);
    let started = call(&app, "GET", "/app/sign-in/with/xero", "", None, now).await;
    assert_eq!(started.status, 303);
    let consent = started.location.unwrap();
    assert!(consent.starts_with(&format!("{xero_base}/identity/connect/authorize?")));
    let flow_cookie = started.cookie.unwrap();
    // What the local consent page does, without a browser: remember the challenge, hand back a code.
    let back = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&consent)
        .send()
        .await
        .unwrap();
    let back = back.headers()["location"].to_str().unwrap().to_string();
    let query = back.split_once('?').unwrap().1.to_string();

    let (status, _) = callback(&app, &query, None, now).await;
    assert_eq!(status, 400, "another browser, without the flow cookie, gets nothing");
    // That try used the flow up: the right browser cannot finish it either now; start again.
    let (status, _) = callback(&app, &query, Some(&flow_cookie), now).await;
    assert_eq!(status, 400, "a flow is used once");

    let started = call(&app, "GET", "/app/sign-in/with/xero", "", None, now).await;
    let flow_cookie = started.cookie.unwrap();
    let back = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(started.location.unwrap())
        .send()
        .await
        .unwrap();
    let query = back.headers()["location"]
        .to_str()
        .unwrap()
        .split_once('?')
        .unwrap()
        .1
        .to_string();
    let (status, session) = callback(&app, &query, Some(&flow_cookie), now).await;
    assert_eq!(status, 303);
    assert!(session.unwrap().starts_with("__Host-duly_session="));
    let (status, _) = callback(&app, &query, Some(&flow_cookie), now).await;
    assert_eq!(status, 400, "a replayed redirect finds nothing");

    let (status, _) = callback(&app, "code=consent-code&state=forged", Some(&flow_cookie), now).await;
    assert_eq!(status, 400);
    let unknown = call(&app, "GET", "/app/sign-in/with/sage", "", None, now).await;
    assert_eq!(unknown.status, 404);
}
