//! The Connections page sends the browser to the connect function with a one-time grant: Xero connected
//! by consent for the signed-in creditor (no API token asked), a Standard Webhooks connection made with
//! its secret shown once (and deliveries signed with it accepted), Xero disconnected with Duly's access
//! revoked at Xero and reminders off.

use std::sync::Arc;

use super::*;
use duly_core::model::ids::ConnectionId;
use duly_local::marketplace::{call as connect_call, call_with_cookie as connect_with_cookie, stack};
use duly_local::platforms::{consent, xero, Shared};
use duly_local::webhook_event::signed_delivery;

const CONNECT: &str = "https://connect.duly.example";

/// Where the app's 303 sends the browser, as a path and query on the connect function.
fn at_connect(location: &str) -> &str {
    location
        .strip_prefix(CONNECT)
        .unwrap_or_else(|| panic!("to the connect function: {location}"))
}

fn grant_of(page: &str, starts: &str) -> String {
    let at = page
        .find(&format!("name=\"grant\" value=\"{starts}"))
        .unwrap_or_else(|| panic!("a {starts} button: {page}"))
        + 20;
    page[at..].split('"').next().unwrap().to_string()
}

fn first_cookie(set_cookie: Option<&str>) -> Option<String> {
    set_cookie.and_then(|c| c.split(';').next()).map(str::to_string)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_connects_makes_and_disconnects_through_grants() {
    let local = Local::new("web-connections").await;
    let email = format!("ar-{}@nordwind.example", local.store.table());
    assert!(local.store.put_member(&nordwind(), &email).await.unwrap());
    let xero_state: Shared = Arc::default();
    let xero_base = xero::serve(xero_state.clone()).await;
    let stack = stack(&local, &xero_base, "http://127.0.0.1:9", "http://127.0.0.1:9");
    let app = duly_web::App {
        connect_url: Some(CONNECT.to_string()),
        ..web_app(&local, duly_local::APP_URL)
    };
    let now = at(NOW);
    let cookie = sign_in(&app, &email, now).await;
    let page = call(&app, "GET", "/app/connections", "", Some(&cookie), now).await;
    assert_eq!(page.status, 200);
    let csrf = csrf_of(&page.body);
    let ask = |grant: &str| {
        format!(
            "csrf={csrf}&grant={}",
            form_urlencoded::byte_serialize(grant.as_bytes()).collect::<String>()
        )
    };

    let forged = call(
        &app,
        "POST",
        "/app/connections",
        "grant=connect%3Axero",
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(forged.status, 403, "no CSRF token, no grant");
    let theirs = local
        .add_connection("conn-xero-theirs", "intruder", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .await;
    for id in ["conn-xero-notyours", theirs.connection_id.as_str()] {
        let foreign = call(
            &app,
            "POST",
            "/app/connections",
            &ask(&format!("disconnect:{id}")),
            Some(&cookie),
            now,
        )
        .await;
        assert_eq!(foreign.status, 404, "{id} is not the creditor's");
    }
    // Even a grant minted for another creditor's connection disconnects nothing at the connect function.
    let forged = duly_app::connect::grant::mint(
        &local.store,
        &nordwind(),
        &duly_core::web::grant::Grant::Disconnect(theirs.connection_id.clone()),
        now,
    )
    .await
    .unwrap();
    let refused = connect_call(
        &stack,
        "POST",
        "/connect/disconnect",
        None,
        &format!("grant={forged}"),
        now,
    )
    .await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let still = local
        .store
        .get_connection(&theirs.connection_id)
        .await
        .unwrap()
        .unwrap();
    assert!(still.active, "the other creditor's connection is untouched");

    // Xero, by consent: the grant names the creditor, so no API token is asked for.
    let granted = call(
        &app,
        "POST",
        "/app/connections",
        &ask(&grant_of(&page.body, "connect:xero")),
        Some(&cookie),
        now,
    )
    .await;
    assert_eq!(granted.status, 303);
    let to_connect = at_connect(granted.location.as_deref().unwrap()).to_string();
    assert!(to_connect.starts_with("/connect/xero?grant="), "{to_connect}");
    let started = connect_call(&stack, "GET", &to_connect, None, "", now).await;
    assert_eq!(started.status, 302, "{}", started.body);
    let again = connect_call(&stack, "GET", &to_connect, None, "", now).await;
    assert_eq!(again.status, 400, "a grant is used once: {}", again.body);
    let state = consent(&xero_state, started.location.as_deref().unwrap());
    let back = format!("/connect/xero/callback?code=consent-code&state={state}");
    let elsewhere = connect_call(&stack, "GET", &back, None, "", now).await;
    assert_eq!(
        elsewhere.status, 400,
        "only the browser that started it: {}",
        elsewhere.body
    );

    let granted = call(
        &app,
        "POST",
        "/app/connections",
        &ask("connect:xero"),
        Some(&cookie),
        now,
    )
    .await;
    let started = connect_call(
        &stack,
        "GET",
        at_connect(granted.location.as_deref().unwrap()),
        None,
        "",
        now,
    )
    .await;
    let state = consent(&xero_state, started.location.as_deref().unwrap());
    let back = format!("/connect/xero/callback?code=consent-code&state={state}");
    let flow_cookie = first_cookie(started.set_cookie.as_deref());
    let connected = connect_with_cookie(&stack, "GET", &back, None, flow_cookie.as_deref(), "", now).await;
    assert_eq!(connected.status, 200, "{}", connected.body);
    assert!(connected.body.contains("Connected to Xero") && !connected.body.contains("duly_"));
    assert!(
        connected.body.contains("app.duly.example&#x2f;app&#x2f;connections"),
        "the way back"
    );
    let link = local.store.tenant("xero", xero::TENANT).await.unwrap().unwrap();
    assert_eq!(link.creditor, nordwind(), "connected to the signed-in creditor");

    let page = call(&app, "GET", "/app/connections", "", Some(&cookie), now).await;
    assert!(page.body.contains("Nordwind Tools OÜ"), "{}", page.body);
    // Beside the demo creditor's own Standard Webhooks and Stripe connections.
    let disconnect = grant_of(&page.body, &format!("disconnect:{}", link.connection));

    // Standard Webhooks: the secret is shown once, and signs deliveries the ingest function accepts.
    let granted = call(
        &app,
        "POST",
        "/app/connections",
        &ask("connect:standard"),
        Some(&cookie),
        now,
    )
    .await;
    let offer_path = at_connect(granted.location.as_deref().unwrap()).to_string();
    let offer = connect_call(&stack, "GET", &offer_path, None, "", now).await;
    assert_eq!(offer.status, 200);
    let token = offer_path.split("grant=").nth(1).unwrap();
    let made = connect_call(
        &stack,
        "POST",
        "/connect/standard",
        None,
        &format!("grant={token}"),
        now,
    )
    .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let secret_at = made.body.find("whsec_").expect("the secret, once");
    // The page escapes `/` in the base64 as an entity, as it does every `/`.
    let secret = made.body[secret_at..].split('<').next().unwrap().replace("&#x2f;", "/");
    let webhook_path = "&#x2f;webhooks&#x2f;standard&#x2f;";
    let path_at = made.body.find(webhook_path).expect("the webhook address");
    assert!(made.body[..path_at].ends_with("https:&#x2f;&#x2f;hooks.duly.example"));
    let connection = made.body[path_at + webhook_path.len()..]
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let replay = connect_call(
        &stack,
        "POST",
        "/connect/standard",
        None,
        &format!("grant={token}"),
        now,
    )
    .await;
    assert_eq!(replay.status, 400, "the grant was used up");
    // A second sender would choose ids of its own ("cus-9" again): refused, with the reason, until ids are
    // kept apart per connection.
    let granted = call(
        &app,
        "POST",
        "/app/connections",
        &ask("connect:standard"),
        Some(&cookie),
        now,
    )
    .await;
    let second_path = at_connect(granted.location.as_deref().unwrap()).to_string();
    let second_token = second_path.split("grant=").nth(1).unwrap();
    let second = connect_call(
        &stack,
        "POST",
        "/connect/standard",
        None,
        &format!("grant={second_token}"),
        now,
    )
    .await;
    assert_eq!(second.status, 409, "{}", second.body);
    assert!(second.body.contains("another company"), "{}", second.body);
    let body = facts::invoice("2001", "cus-9", "90.00", "90.00", "2026-12-10", "open", T);
    let (status, answer) = local
        .send_event(
            &signed_delivery(&connection, &secret, "sw-1", now.timestamp(), &body),
            now,
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = local
        .send_event(
            &signed_delivery(
                &connection,
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "sw-2",
                now.timestamp(),
                &body,
            ),
            now,
        )
        .await;
    assert_eq!(status, 401, "another secret is refused");

    // Disconnect Xero: Duly's access is revoked at Xero, reminders stop, the page offers to connect again.
    let granted = call(&app, "POST", "/app/connections", &ask(&disconnect), Some(&cookie), now).await;
    let confirm_path = at_connect(granted.location.as_deref().unwrap()).to_string();
    let confirm = connect_call(&stack, "GET", &confirm_path, None, "", now).await;
    assert!(confirm.body.contains("Disconnect?"), "{}", confirm.body);
    let token = confirm_path.split("grant=").nth(1).unwrap();
    let done = connect_call(
        &stack,
        "POST",
        "/connect/disconnect",
        None,
        &format!("grant={token}"),
        now,
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("revoking its access"), "{}", done.body);
    let waiting = local.store.get_connection(&link.connection).await.unwrap().unwrap();
    assert!(!waiting.active && waiting.revoke_pending, "deliveries refused at once");
    // The organisation is linked to nobody now: a marketplace launch for it opens no account.
    let tenant = waiting
        .tenant
        .clone()
        .expect("a Xero connection names its organisation");
    assert!(local.store.tenant("xero", &tenant).await.unwrap().is_none());
    // Only the sync function may open the credentials: the job the disconnect asked for revokes them.
    duly_sync::handle(
        &stack.sync,
        &json!({"version": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler", "detail": {}}),
        now + Duration::seconds(5),
    )
    .await
    .unwrap();
    assert!(xero_state.lock().unwrap().calls.contains(&"revoke".to_string()));
    let gone = local.store.get_connection(&link.connection).await.unwrap().unwrap();
    assert!(!gone.active && gone.credentials.is_none() && !gone.revoke_pending);
    assert!(
        local.store.catch_ups(&nordwind()).await.unwrap().is_empty(),
        "no more catch-ups"
    );
    let creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert_eq!(creditor.disconnected.map(|d| d.platform).as_deref(), Some("xero"));
    let page = call(&app, "GET", "/app/connections", "", Some(&cookie), now).await;
    assert!(page.body.contains("class=\"off\""), "{}", page.body);
    assert!(page.body.contains("value=\"connect:xero\""), "connect again");
    assert!(
        ConnectionId::parse(connection.clone()).is_ok() && page.body.contains("Standard Webhooks"),
        "{}",
        page.body
    );
}
