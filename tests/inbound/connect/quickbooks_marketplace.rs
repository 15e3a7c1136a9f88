//! A creditor who arrives from the QuickBooks Online app store: Duly starts from the company's own
//! settings, and a customer in Romania with no address of its own is reminded at the invoice's
//! `BillEmail`, in Romanian, at nine in Bucharest, with QuickBooks' pay link.

use super::*;

/// A marketplace sign-up through QuickBooks in one browser; the new creditor's API token.
async fn sign_up_through_quickbooks(stack: &Stack, intuit_state: &Shared, now: DateTime<Utc>) -> String {
    let launch = call(stack, "GET", "/connect/quickbooks", None, "", now).await;
    let state = consent(
        intuit_state,
        launch.location.as_deref().expect("sent to Intuit's consent page"),
    );
    let cookie = launch
        .set_cookie
        .as_deref()
        .and_then(|c| c.split(';').next())
        .map(str::to_string);
    let back = format!("/connect/quickbooks/callback?code=consent-code&state={state}&realmId={REALM}");
    let done = call_with_cookie(stack, "GET", &back, None, cookie.as_deref(), "", now).await;
    assert_eq!(done.status, 200, "{}", done.body);
    token_on_page(&done.body).expect("a token on the page")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_quickbooks_marketplace_creditors_customer_in_romania_is_reminded_at_the_invoices_bill_email() {
    let local = Local::new("connect-qbo-abroad").await;
    let intuit_state: Shared = Arc::default();
    let intuit_base = intuit::serve(intuit_state.clone()).await;
    let stack = stack(&local, "http://127.0.0.1:9", &intuit_base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    intuit_state.lock().unwrap().signed_in_as = "maria@nordwind.example".into();
    let token = sign_up_through_quickbooks(&stack, &intuit_state, t0).await;
    let creditor = local.store.tenant("quickbooks", REALM).await.unwrap().unwrap().creditor;
    assert_eq!(
        local.store.member("maria@nordwind.example").await.unwrap(),
        Some(creditor),
        "Intuit's verified address of whoever consented is the first member"
    );
    assert!(intuit_state.lock().unwrap().calls.contains(&"userinfo".to_string()));

    // The creditor starts from the company QuickBooks describes: Estonia, its zone and language, euros.
    let (status, settings) = local.api("GET", "/v1/settings", None, Some(&token), t0).await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(
        (&settings["country"], &settings["time_zone"], &settings["language"]),
        (&json!("EE"), &json!("Europe/Tallinn"), &json!("et"))
    );
    assert_eq!(settings["branding"]["trading_name"], "Nordwind Tools");

    duly_sync::handle(&stack.sync, &tick(), t0 + Duration::minutes(1))
        .await
        .unwrap();
    let link = local.store.tenant("quickbooks", REALM).await.unwrap().unwrap();
    let debtor = local
        .store
        .get_debtor(&link.creditor, &DebtorId::parse("24").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(debtor.email, None, "no address of its own");
    assert_eq!(debtor.country.as_deref(), Some("RO"), "from its billing address");

    let (_, mut branding) = local.api("GET", "/v1/branding", None, Some(&token), t0).await;
    branding.as_object_mut().unwrap().remove("from_domain_verified");
    branding["reply_to"] = json!("ar@nordwind-tools.example");
    branding["from_address"] = json!("ar@nordwind-tools.example");
    let (status, reply) = local.api("PUT", "/v1/branding", Some(branding), Some(&token), t0).await;
    assert_eq!(status, 200, "{reply}");
    let mut policy = settings["policy"].clone();
    policy["enabled"] = json!(true);
    let (status, reply) = local.api("PUT", "/v1/policy", Some(policy), Some(&token), t0).await;
    assert_eq!(status, 200, "{reply}");

    // Due on Tuesday 1 December; the first step is a business day later. The morning's catch-up, then
    // 08:30 and 09:05 in Bucharest (UTC+2).
    duly_sync::handle(&stack.sync, &tick(), at("2026-12-02T05:00:00Z"))
        .await
        .unwrap();
    let (_, plan) = local.api("GET", "/v1/invoices/130/plan", None, Some(&token), t0).await;
    assert_eq!(
        plan["reachable"]["email"], true,
        "through the invoice's BillEmail: {plan}"
    );
    let early = duly_scheduler::handle(&local.scheduler, at("2026-12-02T06:30:00Z"))
        .await
        .unwrap();
    assert_eq!(early.sent, 0, "08:30 in Bucharest: {early:?}");
    let nine = duly_scheduler::handle(&local.scheduler, at("2026-12-02T07:05:00Z"))
        .await
        .unwrap();
    assert_eq!(nine.sent, 1, "{nine:?}");
    let sent: Vec<_> = duly_local::moto::sent_emails()
        .await
        .into_iter()
        .filter(|m| m.destinations.to == ["billing@redrock.example"] && m.subject.contains("1037"))
        .collect();
    assert_eq!(sent.len(), 1, "to the invoice's BillEmail");
    assert!(
        sent[0].subject.starts_with("Reamintire de plată"),
        "in Romanian: {}",
        sent[0].subject
    );
    assert!(sent[0].body.contains(intuit::INVOICE_LINK), "QuickBooks' pay link");
    assert!(sent[0].body.contains("Plătește acum"), "{}", sent[0].body);
}
