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
                creditor: other,
                connection: ConnectionId::parse("conn-xero-other").unwrap(),
            },
        )
        .await
        .unwrap();
    let started = call(&stack, "POST", "/connect/xero", Some(&local.token), "", t0).await;
    let state = consent(&xero_state, started.json()["authorize_url"].as_str().unwrap());
    let back = format!("/connect/xero/callback?code=consent-code&state={state}");
    let refused = call(&stack, "GET", &back, None, "", t0).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("already connected to another Duly account"));
    let link = local.store.tenant("xero", TENANT).await.unwrap().unwrap();
    assert_eq!(link.creditor.as_str(), "someone-else");

    // A marketplace launch (no signed-in creditor) for the organisation that is already connected never
    // replaces that connection's credentials.
    let items = local.item_count().await;
    let launched = call(&stack, "GET", "/connect/xero", None, "", t0).await;
    let state = consent(&xero_state, launched.location.as_deref().unwrap());
    let cookie = launched
        .set_cookie
        .as_deref()
        .and_then(|c| c.split(';').next())
        .map(str::to_string);
    let back = format!("/connect/xero/callback?code=consent-code&state={state}");
    let refused = call_with_cookie(&stack, "GET", &back, None, cookie.as_deref(), "", t0).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("already connected"), "{}", refused.body);
    assert_eq!(local.item_count().await, items, "nothing was written");
    assert!(local
        .store
        .get_connection(&ConnectionId::parse("conn-xero-other").unwrap())
        .await
        .unwrap()
        .is_none());
}
