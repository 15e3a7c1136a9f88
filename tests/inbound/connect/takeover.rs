//! An organisation connected to one creditor can be taken neither by another creditor nor by a flow
//! nobody signed in to.

use super::*;

#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_connected_to_one_creditor_cannot_be_taken_by_another() {
    let local = Local::new("connect-taken").await;
    let xero_state: Shared = Arc::default();
    let xero_base = xero::serve(xero_state.clone()).await;
    let stack = stack(&local, &xero_base, "http://127.0.0.1:9", "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    let other = duly_core::model::ids::CreditorId::parse("someone-else").unwrap();
    local
        .store
        .put_tenant(
            "xero",
            TENANT,
            &duly_adapters::store::TenantLink {
                creditor: other.clone(),
                connection: ConnectionId::parse("conn-xero-other").unwrap(),
            },
        )
        .await
        .unwrap();
    let started = call(&stack, "POST", "/connect/xero", Some(&local.token), "", t0).await;
    let state = consent(&xero_state, started.json()["authorize_url"].as_str().unwrap());
    let back = format!("/connect/xero/callback?code=consent-code&state={state}");
    let refused = confirm_with(&stack, &back, Some(&local.token), t0).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("already connected to another Duly account"));
    let link = local.store.tenant("xero", TENANT).await.unwrap().unwrap();
    assert_eq!(link.creditor.as_str(), "someone-else");

    // A marketplace launch (no signed-in creditor) for the organisation that is already connected never
    // replaces that connection's credentials, and consenting for the organisation is not enough to reach
    // its creditor: a person who is not one of its members is told to ask for access, and nothing but the
    // flow is written (and used up).
    let items = local.item_count().await;
    xero_state.lock().unwrap().signed_in_as = format!("bookkeeper-{}@elsewhere.example", local.store.table());
    let stranger = sign_up_through_xero(&stack, &xero_state, t0).await;
    assert_eq!(stranger.status, 403, "{}", stranger.body);
    assert!(stranger.body.contains("Ask for access"), "{}", stranger.body);
    assert!(!stranger.body.contains("/app/sign-in/"), "no way into the app");
    assert_eq!(local.item_count().await, items, "the flow was used up; nothing else");

    // One of its members, as Xero vouches for their address, is offered its app through a one-time link.
    let owner = format!("owner-{}@someone-else.example", local.store.table());
    assert!(local.store.put_member(&other, &owner).await.unwrap());
    xero_state.lock().unwrap().signed_in_as = owner.clone();
    let welcomed = sign_up_through_xero(&stack, &xero_state, t0).await;
    assert_eq!(welcomed.status, 200, "{}", welcomed.body);
    assert!(welcomed.body.contains("connection stays as it is"), "{}", welcomed.body);
    assert!(!welcomed.body.contains("duly_"), "no API token");
    assert!(local
        .store
        .get_connection(&ConnectionId::parse("conn-xero-other").unwrap())
        .await
        .unwrap()
        .is_none());
    let page = welcomed.body.replace("&#x2f;", "/");
    let at_link = page
        .find("https://app.duly.example/app/sign-in/")
        .expect("a button into the app")
        + 24;
    let link = &page[at_link..at_link + "/app/sign-in/".len() + 64];
    let web = duly_local::web::web_app(&local, duly_local::APP_URL);
    // Opened from the connect page, in a browser that never asked Duly for a link: confirmed by the visitor.
    let event = duly_local::webhook_event::function_url_event("POST", link, &[], "confirm=yes", t0.timestamp());
    let signed_in = duly_web::handle(&web, to_request(&event), t0).await;
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap();
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    let session = local
        .store
        .session(&duly_core::web::Session::key(token), t0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (session.creditor_id.as_str(), session.email.as_str()),
        ("someone-else", owner.as_str()),
        "the organisation's own creditor, as its member"
    );
}

/// A creditor who starts a link over the API and hands the consent link to somebody else must not get
/// that person's organisation: the browser that comes back is asked for the starting creditor's token.
#[tokio::test(flavor = "multi_thread")]
async fn a_consent_link_handed_to_someone_else_links_nothing() {
    let local = Local::new("connect-handed").await;
    let xero_state: Shared = Arc::default();
    let xero_base = xero::serve(xero_state.clone()).await;
    let stack = stack(&local, &xero_base, "http://127.0.0.1:9", "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    let victim_token = duly_core::model::tokens::issue();
    let victim = CreditorId::parse("victim-gmbh").unwrap();
    local.store.put_token(&victim, &victim_token, "test").await.unwrap();

    for (who, token) in [
        ("nobody", None),
        ("a guess", Some("duly_not-a-token")),
        ("another creditor", Some(victim_token.as_str())),
    ] {
        // The attacker's creditor starts the flow; the victim approves their own organisation.
        let started = call(&stack, "POST", "/connect/xero", Some(&local.token), "", t0).await;
        let state = consent(&xero_state, started.json()["authorize_url"].as_str().unwrap());
        let back = format!("/connect/xero/callback?code=consent-code&state={state}");
        let items = local.item_count().await;
        let refused = confirm_with(&stack, &back, token, t0).await;
        assert_eq!(refused.status, 403, "{who}: {}", refused.body);
        assert!(refused.body.contains("API token of the Duly account that started it"));
        assert!(local.store.tenant("xero", TENANT).await.unwrap().is_none(), "{who}");
        assert_eq!(local.item_count().await, items - 1, "{who}: only the flow is gone");
        // The flow is used up: the starting creditor cannot finish it with the code either.
        let replay = confirm_with_fields(&stack, &state, Some(&local.token), t0).await;
        assert_eq!(replay.status, 400, "{who}: {}", replay.body);
    }
}

async fn confirm_with_fields(stack: &Stack, state: &str, token: Option<&str>, now: DateTime<Utc>) -> Answer {
    let mut body = format!("state={state}&code=consent-code");
    if let Some(token) = token {
        body.push_str(&format!("&token={token}"));
    }
    call(stack, "POST", "/connect/xero/callback", None, &body, now).await
}

/// QuickBooks numbers customers and invoices per company: two companies both have customer "1" and
/// invoice "130". A creditor connected to one company cannot connect a second, whose records would
/// overwrite the first's; the refusal says why and links nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_second_quickbooks_company_is_refused_rather_than_merged() {
    let local = Local::new("connect-qbo-second").await;
    let intuit_state: Shared = Arc::default();
    let intuit_base = intuit::serve(intuit_state.clone()).await;
    let stack = stack(&local, "http://127.0.0.1:9", &intuit_base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    // The creditor's first company, connected earlier.
    let first = ConnectionId::parse("conn-qbo-first").unwrap();
    local
        .store
        .put_linked(
            &nordwind(),
            &duly_adapters::store::LinkedConnection {
                connection: first.clone(),
                platform: "quickbooks".into(),
                name: Some("Nordwind Retail".into()),
                active: true,
                changed_at: t0,
            },
        )
        .await
        .unwrap();
    local
        .store
        .put_tenant(
            "quickbooks",
            "4620816365170950000",
            &duly_adapters::store::TenantLink {
                creditor: nordwind(),
                connection: first,
            },
        )
        .await
        .unwrap();

    let started = call(&stack, "POST", "/connect/quickbooks", Some(&local.token), "", t0).await;
    let state = consent(&intuit_state, started.json()["authorize_url"].as_str().unwrap());
    let back = format!("/connect/quickbooks/callback?code=consent-code&state={state}&realmId={REALM}");
    let refused = confirm_with(&stack, &back, Some(&local.token), t0).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("another company"), "{}", refused.body);
    assert!(
        local.store.tenant("quickbooks", REALM).await.unwrap().is_none(),
        "nothing linked"
    );
}
