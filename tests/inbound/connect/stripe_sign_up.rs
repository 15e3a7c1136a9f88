//! A creditor who signs up with their Stripe account's keys: Duly starts from the account's country, zone,
//! language and name; a customer in California who prefers English is reminded in English at nine in Los
//! Angeles with Stripe's hosted invoice page; the customer's answer reaches the creditor in Estonian.

use super::*;
use duly_core::locale::Language;
use duly_core::messages::links::{Action, Answer as LinkAnswer};
use duly_local::test_links;

#[tokio::test(flavor = "multi_thread")]
async fn a_stripe_creditors_customer_in_california_is_reminded_in_english_at_their_hours() {
    let local = Local::new("connect-stripe-signup").await;
    let state: Shared = Arc::default();
    let data: stripe::Data = Arc::default();
    data.lock().unwrap().open = vec![stripe::invoice("in_1", "open", 50_000)];
    let base = stripe::serve(state.clone(), data.clone()).await;
    let stack = stack(&local, "http://127.0.0.1:9", "http://127.0.0.1:9", &base);
    let t0 = at("2026-11-20T09:00:00Z");

    let keys = json!({"api_key": stripe::KEY, "webhook_secret": stripe::SECRET}).to_string();
    let signed_up = call(&stack, "POST", "/connect/stripe", None, &keys, t0).await;
    assert_eq!(signed_up.status, 201, "{}", signed_up.body);
    let reply = signed_up.json();
    let token = reply["api_token"]
        .as_str()
        .expect("the new creditor's token, once")
        .to_string();
    let creditor = CreditorId::parse(reply["creditor_id"].as_str().unwrap()).unwrap();
    let connection = reply["connection_id"].as_str().unwrap().to_string();
    let again = call(&stack, "POST", "/connect/stripe", None, &keys, t0).await;
    assert_eq!(again.status, 409, "the account is connected already: {}", again.body);

    let (_, settings) = local.api("GET", "/v1/settings", None, Some(&token), t0).await;
    assert_eq!(
        (&settings["country"], &settings["time_zone"], &settings["language"]),
        (&json!("EE"), &json!("Europe/Tallinn"), &json!("et")),
        "from the Stripe account"
    );
    assert_eq!(settings["branding"]["trading_name"], "Nordwind Tools");

    duly_sync::handle(&stack.sync, &tick(), t0 + Duration::minutes(1))
        .await
        .unwrap();
    // The customer tells Stripe they read English.
    let customer = json!({"id": "cus_Tamm", "object": "customer", "name": "Tamm & Sons OÜ", "email": "ap@tamm.example",
        "preferred_locales": ["en-US"],
        "address": {"line1": "1 Market St", "city": "San Francisco", "state": "CA", "country": "US"}});
    let t1 = t0 + Duration::hours(1);
    let event = stripe::event("evt_cus_1", "customer.updated", t1.timestamp(), customer);
    let delivery = webhook_event::stripe_delivery(&connection, stripe::SECRET, t1.timestamp(), &event.to_string());
    let (status, answer) = local.send_event(&delivery, t1).await;
    assert_eq!(status, 200, "{answer}");

    let (_, mut branding) = local.api("GET", "/v1/branding", None, Some(&token), t0).await;
    branding.as_object_mut().unwrap().remove("from_domain_verified");
    branding["reply_to"] = json!(format!("ar@{}.example", local.store.table()));
    branding["from_address"] = json!("ar@nordwind-tools.example");
    let (status, reply) = local.api("PUT", "/v1/branding", Some(branding), Some(&token), t1).await;
    assert_eq!(status, 200, "{reply}");
    let mut policy = settings["policy"].clone();
    policy["enabled"] = json!(true);
    let (status, reply) = local.api("PUT", "/v1/policy", Some(policy), Some(&token), t1).await;
    assert_eq!(status, 200, "{reply}");

    // Due on 1 December; the first step a business day later, at 09:00 in Los Angeles (17:00 UTC).
    duly_sync::handle(&stack.sync, &tick(), at("2026-12-02T15:00:00Z"))
        .await
        .unwrap();
    let tallinn_nine = duly_scheduler::handle(&local.scheduler, at("2026-12-02T07:05:00Z"))
        .await
        .unwrap();
    assert_eq!(tallinn_nine.sent, 0, "{tallinn_nine:?}");
    let before = duly_local::moto::sent_emails().await.len();
    let la_nine = duly_scheduler::handle(&local.scheduler, at("2026-12-02T17:05:00Z"))
        .await
        .unwrap();
    assert_eq!(la_nine.sent, 1, "{la_nine:?}");
    let sent: Vec<_> = duly_local::moto::sent_emails()
        .await
        .into_iter()
        .skip(before)
        .filter(|m| m.destinations.to == ["ap@tamm.example"] && m.subject.contains("NW-in_1"))
        .collect();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].subject.starts_with("Payment reminder"),
        "in English: {}",
        sent[0].subject
    );
    assert!(
        sent[0].body.contains("https://invoice.stripe.com/i/acct_1N/in_1"),
        "Stripe's hosted invoice page"
    );

    // The customer disputes the invoice: the creditor hears of it in Estonian, naming the customer.
    let link = test_links().token(&LinkAnswer {
        creditor: creditor.clone(),
        debtor: DebtorId::parse("cus_Tamm").unwrap(),
        invoices: vec![InvoiceId::parse("in_1").unwrap()],
        action: Action::Dispute,
        language: Language::En,
        expires: (at("2026-12-02T18:00:00Z") + Duration::days(30)).timestamp(),
    });
    let (status, _, _) = local
        .answer(
            "POST",
            &format!("/a/{link}"),
            "reason=Not+delivered",
            at("2026-12-02T18:00:00Z"),
        )
        .await;
    assert_eq!(status, 200);
    let told: Vec<_> = duly_local::moto::sent_emails()
        .await
        .into_iter()
        .filter(|m| m.destinations.to == [format!("ar@{}.example", local.store.table())])
        .collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].subject, "Klient vastas meeldetuletusele");
    assert!(told[0].body.contains("Tamm &amp; Sons OÜ"), "{}", told[0].body);
    assert!(told[0].body.contains("Not delivered"), "{}", told[0].body);
}

/// The same sign-up from a browser: a form on the connect function, answered with a page.
#[tokio::test(flavor = "multi_thread")]
async fn a_stripe_user_signs_up_from_a_browser_form_and_gets_a_button_into_the_app() {
    let local = Local::new("connect-stripe-form").await;
    let state: Shared = Arc::default();
    let data: stripe::Data = Arc::default();
    let base = stripe::serve(state.clone(), data.clone()).await;
    let stack = stack(&local, "http://127.0.0.1:9", "http://127.0.0.1:9", &base);
    let t0 = at("2026-11-20T09:00:00Z");
    let form = call(&stack, "GET", "/connect/stripe", None, "", t0).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"api_key\"") && form.body.contains("name=\"webhook_secret\""));

    let post = |body: String| {
        let headers = [("content-type", "application/x-www-form-urlencoded".to_string())];
        let event = webhook_event::function_url_event("POST", "/connect/stripe", &headers, &body, t0.timestamp());
        duly_connect::handle(&stack.connect, to_request(&event), t0)
    };
    let items = local.item_count().await;
    let secret_key = "sk_test_51NordwindFullSecretKeyThatCouldMoveMoney";
    let refused = post(format!("api_key={secret_key}&webhook_secret={}", stripe::SECRET)).await;
    assert_eq!(refused.status(), 422);
    // A page that takes a key must not be framed by another site (clickjacking needs no script).
    let header = |name: &str| {
        refused
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
    assert!(header("content-security-policy").contains("default-src 'none'"));
    let page = match refused.body() {
        lambda_http::Body::Text(t) => t.clone(),
        _ => String::new(),
    };
    assert!(!page.contains(secret_key), "the key is never repeated");
    assert_eq!(local.item_count().await, items, "nothing written");

    let signed_up = post(format!("api_key={}&webhook_secret={}", stripe::KEY, stripe::SECRET)).await;
    assert_eq!(signed_up.status(), 201);
    let page = match signed_up.body() {
        lambda_http::Body::Text(t) => t.replace("&#x2f;", "/"),
        _ => String::new(),
    };
    assert!(page.contains("duly_"), "the API token, once");
    assert!(
        page.contains("/webhooks/stripe/conn-stripe-"),
        "where Stripe sends events"
    );
    assert!(
        page.contains("https://app.duly.example/app/sign-in/"),
        "a button into the app: {page}"
    );
}
