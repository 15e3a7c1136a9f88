//! Connecting platforms end to end: the OAuth flow (PKCE and a one-time state) against local servers that
//! answer like Xero's and Intuit's identity and accounting APIs, Stripe keys checked against a local Stripe,
//! the first catch-up importing what is open, the table's stream delivering new notices to the sync
//! function, and the daily catch-up healing what a webhook missed, through a rate limit.

mod quickbooks_marketplace;
mod stripe_keys;
mod stripe_sign_up;
mod takeover;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use duly_adapters::vault::Credentials;
use duly_core::model::ids::{ConnectionId, CreditorId, DebtorId, InvoiceId};
use duly_core::platforms::oauth::XERO_SCOPES;
use duly_local::fixtures::nordwind;
use duly_local::marketplace::{call, call_with_cookie, sign_up_through_xero, stack, token_on_page, Answer, Stack};
use duly_local::platforms::intuit::{self, REALM};
use duly_local::platforms::xero::{self, TENANT};
use duly_local::platforms::{consent, param, stripe, Shared};
use duly_local::webhook_event::{self, to_request};
use duly_local::{at, Local};

/// The callback of a flow a creditor started over the API: the browser is asked for the token of the
/// creditor who started it, and posts it back with the redirect's fields.
async fn confirm_with(stack: &Stack, back: &str, token: Option<&str>, now: DateTime<Utc>) -> Answer {
    let form = call(stack, "GET", back, None, "", now).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("<form method=\"post\""), "{}", form.body);
    let mut fields = hidden_fields(&form.body);
    if let Some(token) = token {
        fields.push(("token".into(), token.into()));
    }
    let body = reqwest::Url::parse_with_params("http://x/", &fields)
        .unwrap()
        .query()
        .unwrap_or("")
        .to_string();
    let path = back.split_once('?').map_or(back, |(path, _)| path);
    call(stack, "POST", path, None, &body, now).await
}

fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once("\" value=\"")?;
            let (value, _) = rest.split_once('"')?;
            Some((name.to_string(), value.to_string()))
        })
        .collect()
}

/// The connection's standing catch-up job, due or not.
async fn standing_catch_up(local: &Local) -> duly_adapters::store::SyncJob {
    local
        .store
        .due_sync_jobs(at("2030-01-01T00:00:00Z"))
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.entity == "reconcile")
        .expect("the standing catch-up")
}

fn tick() -> Value {
    json!({"version": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler", "detail": {}})
}

async fn raw_connection_item(local: &Local, connection: &str) -> String {
    let item = local
        .store
        .client()
        .get_item()
        .table_name(local.store.table())
        .key(
            "pk",
            aws_sdk_dynamodb::types::AttributeValue::S(format!("CONN#{connection}")),
        )
        .key("sk", aws_sdk_dynamodb::types::AttributeValue::S("CONNECTION".into()))
        .send()
        .await
        .unwrap();
    format!("{:?}", item.item().expect("the connection item"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_xero_marketplace_sign_up_connects_imports_and_follows_notices_through_the_stream() {
    let local = Local::with_stream("connect-xero").await;
    let xero_state: Shared = Arc::default();
    let xero_base = xero::serve(xero_state.clone()).await;
    let stack = stack(&local, &xero_base, "http://127.0.0.1:9", "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");

    // The creditor clicks "connect" in Xero's app store and lands on the launch URL.
    let launch = call(&stack, "GET", "/connect/xero", None, "", t0).await;
    assert_eq!(launch.status, 302, "{}", launch.body);
    let consent_url = launch.location.unwrap();
    assert!(consent_url.starts_with(&format!("{xero_base}/identity/connect/authorize?")));
    assert_eq!(param(&consent_url, "scope"), XERO_SCOPES);
    assert_eq!(
        param(&consent_url, "redirect_uri"),
        "https://abcdefghijklmnop.lambda-url.eu-west-1.on.aws/connect/xero/callback"
    );
    let state = consent(&xero_state, &consent_url);

    // A redirect with another state, or none, is refused and uses nothing up.
    let forged = call(
        &stack,
        "GET",
        "/connect/xero/callback?code=consent-code&state=forged",
        None,
        "",
        t0,
    )
    .await;
    assert_eq!(forged.status, 400);
    assert!(
        forged.body.contains("unknown, already used or expired"),
        "{}",
        forged.body
    );

    // A state far longer than Duly makes, or one with control characters, is refused before any lookup.
    for odd in ["a".repeat(3000), "st%01ate".to_string()] {
        local.counter.reset();
        let odd = call(
            &stack,
            "GET",
            &format!("/connect/xero/callback?code=consent-code&state={odd}"),
            None,
            "",
            t0,
        )
        .await;
        assert_eq!(odd.status, 400, "{}", odd.body);
        assert!(odd.body.contains("unknown, already used or expired"), "{}", odd.body);
        assert_eq!(
            local.counter.operations(),
            Vec::<String>::new(),
            "no lookup for a state Duly never makes"
        );
    }

    // The launch bound the flow to this browser: the same redirect opened anywhere else is refused, and the
    // flow is used up.
    let cookie = launch.set_cookie.clone().expect("the launch sets the flow's cookie");
    for part in ["__Host-duly_flow=", "Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let cookie = cookie.split(';').next().unwrap().to_string();
    let back = format!("/connect/xero/callback?code=consent-code&state={state}&scope=openid");
    let elsewhere = call(&stack, "GET", &back, None, "", t0 + Duration::seconds(30)).await;
    assert_eq!(elsewhere.status, 400, "{}", elsewhere.body);

    // Who consents, as Xero's ID token names them: the sign-up's first member.
    xero_state.lock().unwrap().signed_in_as = "Kadri@Nordwind.example".into();
    let launch = call(&stack, "GET", "/connect/xero", None, "", t0).await;
    let state = consent(&xero_state, launch.location.as_deref().unwrap());
    let cookie_now = launch.set_cookie.expect("a new flow, a new cookie");
    assert_ne!(cookie_now.split(';').next().unwrap(), cookie, "bound to its own state");
    let cookie = cookie_now.split(';').next().unwrap().to_string();
    let back = format!("/connect/xero/callback?code=consent-code&state={state}&scope=openid");
    let done = call_with_cookie(
        &stack,
        "GET",
        &back,
        None,
        Some(&cookie),
        "",
        t0 + Duration::seconds(40),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains("Connected to Xero") && done.body.contains("Nordwind Tools OÜ"),
        "{}",
        done.body
    );
    let token = token_on_page(&done.body).expect("a token on the page");
    assert!(
        done.body
            .contains("with Xero, or with a link mailed to kadri@nordwind.example"),
        "{}",
        done.body
    );

    // The same redirect again (a reload, or someone replaying it) finds nothing.
    let replay = call(&stack, "GET", &back, None, "", t0 + Duration::seconds(50)).await;
    assert_eq!(replay.status, 400);

    // The new creditor exists with reminders off until they finish their settings, and their token works.
    let creditor = CreditorId::parse(format!("xero-{TENANT}")).unwrap();
    assert_eq!(
        local.store.member("kadri@nordwind.example").await.unwrap(),
        Some(creditor.clone()),
        "whoever consented signs in again with Xero or by e-mail"
    );
    let profile = local.store.get_creditor(&creditor).await.unwrap().unwrap();
    assert!(!profile.policy.enabled);
    // Set up from Xero's `GET /Organisation`: an Estonian company, written to in Estonian, on Tallinn's
    // clock (Xero's FLESTANDARDTIME), with its legal name and numbers in the footer.
    assert_eq!(profile.branding.trading_name, "Nordwind Tools");
    assert_eq!(
        (profile.country.as_str(), profile.language.as_str(), profile.time_zone),
        ("EE", "et", chrono_tz::Europe::Tallinn)
    );
    assert_eq!(
        profile.branding.legal_footer.as_deref(),
        Some("Nordwind Tools OÜ · Registrikood 12345678 · KMKR EE101234567 · Tööstuse 1, 10111, Tallinn, Estonia")
    );
    let (status, settings) = local.api("GET", "/v1/settings", None, Some(&token), t0).await;
    assert_eq!(status, 200, "{settings}");
    let link = local
        .store
        .tenant("xero", TENANT)
        .await
        .unwrap()
        .expect("the organisation is linked");
    assert_eq!(link.creditor, creditor);

    // The tokens are sealed: the item shows neither of them, and the blob opens only as this connection.
    let access_token = xero_state.lock().unwrap().access_token.clone();
    let raw = raw_connection_item(&local, link.connection.as_str()).await;
    assert!(!raw.contains(&access_token) && !raw.contains("rt-"), "{raw}");
    let stored = local.store.get_connection(&link.connection).await.unwrap().unwrap();
    let sealed = stored.credentials.clone().unwrap();
    let opened = local.vault.open(&link.connection, &creditor, &sealed).await.unwrap();
    assert_eq!(opened.oauth().unwrap().access_token, access_token);
    let elsewhere = ConnectionId::parse("conn-demo-standard").unwrap();
    assert!(local.vault.open(&elsewhere, &creditor, &sealed).await.is_err());
    assert!(local.vault.open(&link.connection, &nordwind(), &sealed).await.is_err());

    // The first catch-up imports every unpaid sales invoice and its contact; the invoice is planned.
    let first = duly_sync::handle(&stack.sync, &tick(), t0 + Duration::minutes(1))
        .await
        .unwrap();
    assert!(first.contains("2 facts applied"), "{first}");
    let calls = xero_state.lock().unwrap().calls.clone();
    assert!(
        calls.contains(&r#"invoices where=Type=="ACCREC" page=1 statuses=AUTHORISED ids= since=-"#.to_string()),
        "{calls:?}"
    );
    assert!(calls.contains(&format!("contacts {}", xero::CONTACT)), "{calls:?}");
    let invoice = local
        .store
        .get_invoice(&creditor, &InvoiceId::parse(xero::INVOICE).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(invoice.is_open());
    assert!(invoice.next_action_at.is_some(), "on the due index");
    assert_eq!(
        invoice.doc.as_ref().and_then(|d| d.pay_url.as_deref()),
        Some(xero::ONLINE_INVOICE),
        "the pay link, from Xero's online invoice"
    );
    // The contact's postal address is in Poland: written to in Polish, on Warsaw's hours and holidays; its
    // contact group became a group of the creditor's.
    let debtor = local
        .store
        .get_debtor(&creditor, &DebtorId::parse(xero::CONTACT).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (debtor.country.as_deref(), debtor.time_zone),
        (Some("PL"), Some(chrono_tz::Europe::Warsaw))
    );
    assert_eq!(
        debtor.cc,
        ["mari@tamm.example"],
        "the contact person Xero copies on invoices"
    );
    // Each of Xero's contact groups becomes a group named as Xero writes it, in any script, under an id
    // in Latin letters for its URLs.
    let profile = local.store.get_creditor(&creditor).await.unwrap().unwrap();
    let named: Vec<(&str, &str)> = profile
        .groups
        .iter()
        .map(|(id, g)| (id.as_str(), g.name.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            ("hurtownie-lodz", "Hurtownie – Łódź"),
            ("pastavigie-klienti", "Pastāvīgie klienti"),
            ("restoranti", "Ресторанти")
        ]
    );
    let wholesale = &profile.groups["hurtownie-lodz"];
    assert!(wholesale.enabled && wholesale.steps.is_none());
    assert_eq!(wholesale.platform_groups, ["Hurtownie – Łódź"]);
    assert_eq!(
        debtor.platform_groups,
        ["Hurtownie – Łódź", "Ресторанти", "Pastāvīgie klienti"]
    );

    // Nothing more until tomorrow.
    let quiet = duly_sync::handle(&stack.sync, &tick(), t0 + Duration::hours(2))
        .await
        .unwrap();
    assert!(quiet.starts_with("0 jobs"), "{quiet}");

    // The debtor pays in Xero; its notice is acknowledged with one write, and the table's stream hands the
    // new job to the sync function at once.
    xero_state.lock().unwrap().paid.push(xero::INVOICE.to_string());
    let t1 = t0 + Duration::hours(5);
    let body = json!({"events": [{"resourceUrl": "x", "resourceId": xero::INVOICE, "eventDateUtc": t1.to_rfc3339(),
        "eventType": "UPDATE", "eventCategory": "INVOICE", "tenantId": TENANT, "tenantType": "ORGANISATION"}],
        "firstEventSequence": 7, "lastEventSequence": 7, "entropy": "x"})
    .to_string();
    let delivery = webhook_event::app_level_delivery(
        "xero",
        "x-xero-signature",
        &duly_core::platforms::xero::sign(webhook_event::TEST_XERO_KEY, body.as_bytes()),
        &body,
        0,
    );
    assert_eq!(
        duly_ingest::handle(&local.ingest, to_request(&delivery), t1)
            .await
            .status(),
        200
    );
    let everything = duly_local::stream::records(local.store.client(), local.store.table()).await;
    let batch = duly_local::stream::filtered(&everything, &duly_local::stream::notice_filter());
    assert_eq!(
        duly_sync::creditors_in_stream(&batch)
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>(),
        vec![creditor.clone()],
        "the stream names the creditor whose job was written"
    );
    let streamed = duly_sync::handle(&stack.sync, &batch, t1 + Duration::seconds(2))
        .await
        .unwrap();
    assert_eq!(
        streamed,
        "1 jobs: 1 facts applied, 0 retried later, 0 dead letters, 0 waiting"
    );
    let invoice = local
        .store
        .get_invoice(&creditor, &InvoiceId::parse(xero::INVOICE).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!invoice.is_open());
    assert_eq!(invoice.next_action_at, None, "off the due index");
    assert_eq!(
        invoice.doc.as_ref().and_then(|d| d.pay_url.as_deref()),
        Some(xero::ONLINE_INVOICE),
        "kept through the later version, which came without it"
    );
    let online = xero_state
        .lock()
        .unwrap()
        .calls
        .iter()
        .filter(|c| c.starts_with("online invoice"))
        .count();
    assert_eq!(online, 1, "asked for once");

    // The daily catch-up asks only for what changed since the last one.
    let daily = duly_sync::handle(&stack.sync, &tick(), t0 + Duration::days(1) + Duration::minutes(2))
        .await
        .unwrap();
    assert!(
        daily.starts_with("1 jobs") && daily.contains("0 dead letters"),
        "{daily}"
    );
    let calls = xero_state.lock().unwrap().calls.clone();
    let since = (t0 + Duration::minutes(1) - Duration::minutes(10)).format("%Y-%m-%dT%H:%M:%S");
    assert!(
        calls
            .iter()
            .any(|c| c.ends_with(&format!("since={since}")) && c.contains("statuses= ")),
        "{since}: {calls:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn quickbooks_connects_for_a_signed_in_creditor_and_the_daily_catch_up_heals_a_missed_payment() {
    let local = Local::new("connect-qbo").await;
    let intuit_state: Shared = Arc::default();
    let intuit_base = intuit::serve(intuit_state.clone()).await;
    let stack = stack(&local, "http://127.0.0.1:9", &intuit_base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");

    let unauthenticated = call(&stack, "POST", "/connect/quickbooks", None, "", t0).await;
    assert_eq!(unauthenticated.status, 401);
    let started = call(&stack, "POST", "/connect/quickbooks", Some(&local.token), "", t0).await;
    assert_eq!(started.status, 200, "{}", started.body);
    let consent_url = started.json()["authorize_url"].as_str().unwrap().to_string();
    assert_eq!(
        param(&consent_url, "scope"),
        "com.intuit.quickbooks.accounting openid email"
    );
    let state = consent(&intuit_state, &consent_url);

    // The creditor said no on Intuit's page: nothing is connected, and the flow is used up.
    let declined = call(
        &stack,
        "GET",
        &format!("/connect/quickbooks/callback?error=access_denied&state={state}"),
        None,
        "",
        t0,
    )
    .await;
    assert_eq!(declined.status, 403);
    assert!(local.store.tenant("quickbooks", REALM).await.unwrap().is_none());

    let started = call(&stack, "POST", "/connect/quickbooks", Some(&local.token), "", t0).await;
    let state = consent(&intuit_state, started.json()["authorize_url"].as_str().unwrap());
    let no_realm = confirm_with(
        &stack,
        &format!("/connect/quickbooks/callback?code=consent-code&state={state}"),
        Some(&local.token),
        t0,
    )
    .await;
    assert_eq!(no_realm.status, 400, "{}", no_realm.body);
    // After ten minutes a flow is gone.
    let started = call(&stack, "POST", "/connect/quickbooks", Some(&local.token), "", t0).await;
    let state = consent(&intuit_state, started.json()["authorize_url"].as_str().unwrap());
    let late = format!("/connect/quickbooks/callback?code=consent-code&state={state}&realmId={REALM}");
    assert_eq!(
        call(&stack, "GET", &late, None, "", t0 + Duration::minutes(11))
            .await
            .status,
        400
    );

    // The consent was for the creditor's own company, but the redirect names another one (replayed by
    // someone who wants to link a company that is not theirs): the new token must reach that company.
    let started = call(&stack, "POST", "/connect/quickbooks", Some(&local.token), "", t0).await;
    let state = consent(&intuit_state, started.json()["authorize_url"].as_str().unwrap());
    let items = local.item_count().await;
    let elsewhere = format!("/connect/quickbooks/callback?code=consent-code&state={state}&realmId=4620816365170950000");
    let refused = confirm_with(&stack, &elsewhere, Some(&local.token), t0 + Duration::minutes(1)).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(local
        .store
        .tenant("quickbooks", "4620816365170950000")
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        local.item_count().await,
        items - 1,
        "nothing was written; the flow is used up"
    );

    let started = call(&stack, "POST", "/connect/quickbooks", Some(&local.token), "", t0).await;
    let state = consent(&intuit_state, started.json()["authorize_url"].as_str().unwrap());
    let back = format!("/connect/quickbooks/callback?code=consent-code&state={state}&realmId={REALM}");
    let done = confirm_with(&stack, &back, Some(&local.token), t0 + Duration::minutes(1)).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Connected to QuickBooks Online"));
    assert!(!done.body.contains("duly_"), "an existing creditor gets no new token");
    let link = local.store.tenant("quickbooks", REALM).await.unwrap().unwrap();
    assert_eq!(link.creditor, nordwind());
    let connection = local.store.get_connection(&link.connection).await.unwrap().unwrap();
    assert_eq!(
        connection.home_currency.map(|c| c.code().to_string()).as_deref(),
        Some("EUR"),
        "the company's home currency, from its preferences"
    );

    // First catch-up: every invoice with a balance, and its customers.
    let first = duly_sync::handle(&stack.sync, &tick(), t0 + Duration::minutes(2))
        .await
        .unwrap();
    assert!(first.contains("2 facts applied"), "{first}");
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("130").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(invoice.is_open());
    assert!(invoice.next_action_at.is_some(), "on the due index");
    assert_eq!(invoice.balance.unwrap().amount_due.minor, 36_207);
    assert_eq!(
        invoice.doc.as_ref().and_then(|d| d.pay_url.as_deref()),
        Some(intuit::INVOICE_LINK),
        "the pay link QuickBooks adds when asked"
    );
    assert_eq!(
        invoice.doc.as_ref().unwrap().bill_to,
        ["billing@redrock.example"],
        "BillEmail"
    );
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("24").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (debtor.country.as_deref(), debtor.time_zone),
        (Some("RO"), Some(chrono_tz::Europe::Bucharest))
    );
    assert_eq!(debtor.platform_groups, ["Ресторанти"], "the customer type, by its name");
    let groups = local.store.get_creditor(&nordwind()).await.unwrap().unwrap().groups;
    assert_eq!(groups["restoranti"].name, "Ресторанти", "{groups:?}");

    // The invoice is paid in QuickBooks, but the payment's webhook never arrived; the next day's change
    // data capture finds it.
    intuit_state.lock().unwrap().paid.push("130".into());
    let next_day = t0 + Duration::minutes(2) + Duration::hours(24);
    let daily = duly_sync::handle(&stack.sync, &tick(), next_day).await.unwrap();
    assert!(daily.contains("facts applied"), "{daily}");
    let calls = intuit_state.lock().unwrap().calls.clone();
    let since = (t0 + Duration::minutes(2) - Duration::minutes(10)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert!(
        calls.contains(&format!("cdc Invoice,Customer,Payment since {since}")),
        "{calls:?}"
    );
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("130").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!invoice.is_open(), "the missed payment closed it");
    // The access token had expired by then: it was renewed with the refresh token, and the rotated one kept.
    assert!(calls.contains(&"token refresh_token".to_string()), "{calls:?}");
    let kept = local.credentials_of(link.connection.as_str()).await;
    assert_eq!(
        kept.oauth().unwrap().refresh_token,
        intuit_state.lock().unwrap().refresh_token
    );
}

/// Xero's pay links are read one by one within a run's allowance: an import that used it up lands at once,
/// and the catch-up comes back to the same page for the links it still lacks; only then is the import
/// finished.
#[tokio::test(flavor = "multi_thread")]
async fn xero_pay_links_beyond_a_runs_allowance_are_fetched_by_the_next_run() {
    let local = Local::new("connect-xero-links").await;
    let xero_state: Shared = Arc::default();
    let xero_base = xero::serve(xero_state.clone()).await;
    let mut stack = stack(&local, &xero_base, "http://127.0.0.1:9", "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    let done = sign_up_through_xero(&stack, &xero_state, t0).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let creditor = CreditorId::parse(format!("xero-{TENANT}")).unwrap();
    let invoice = || {
        let store = local.store.clone();
        let creditor = creditor.clone();
        async move {
            store
                .get_invoice(&creditor, &InvoiceId::parse(xero::INVOICE).unwrap())
                .await
                .unwrap()
                .expect("imported")
        }
    };
    stack.sync.pay_links = 0;
    let first = duly_sync::handle(&stack.sync, &tick(), t0 + Duration::minutes(1))
        .await
        .unwrap();
    assert!(first.contains("2 facts applied"), "{first}");
    assert_eq!(
        invoice().await.doc.unwrap().pay_url,
        None,
        "in the ledger at once, no link yet"
    );
    let job = standing_catch_up(&local).await;
    assert_eq!(
        (job.cursor.as_deref(), job.since.as_deref()),
        (Some("1"), None),
        "not finished"
    );

    stack.sync.pay_links = duly_app::sync::PAY_LINKS_PER_RUN;
    let next = duly_sync::handle(&stack.sync, &tick(), t0 + Duration::minutes(16))
        .await
        .unwrap();
    assert!(next.contains("0 dead letters"), "{next}");
    assert_eq!(
        invoice().await.doc.unwrap().pay_url.as_deref(),
        Some(xero::ONLINE_INVOICE)
    );
    let job = standing_catch_up(&local).await;
    assert_eq!(job.cursor, None);
    assert!(job.since.is_some(), "the import has finished");
}

/// A marketplace creditor's customer in Poland is reminded in Polish, at 09:00 Warsaw time (an hour after
/// the creditor's own 09:00 in Tallinn), with the contact person Xero copies on invoices in copy and the pay
/// button on Xero's online invoice.
#[tokio::test(flavor = "multi_thread")]
async fn a_marketplace_creditors_customer_abroad_is_reminded_in_their_language_at_their_hours() {
    let local = Local::new("connect-xero-abroad").await;
    let xero_state: Shared = Arc::default();
    let xero_base = xero::serve(xero_state.clone()).await;
    let stack = stack(&local, &xero_base, "http://127.0.0.1:9", "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    let done = sign_up_through_xero(&stack, &xero_state, t0).await;
    let token = token_on_page(&done.body).expect("a token on the page");
    duly_sync::handle(&stack.sync, &tick(), t0 + Duration::minutes(1))
        .await
        .unwrap();

    // The creditor finishes their settings: where answers go, and reminders on.
    let (_, mut branding) = local.api("GET", "/v1/branding", None, Some(&token), t0).await;
    branding.as_object_mut().unwrap().remove("from_domain_verified");
    branding["reply_to"] = json!("ar@nordwind-tools.example");
    branding["from_address"] = json!("ar@nordwind-tools.example");
    let (status, reply) = local.api("PUT", "/v1/branding", Some(branding), Some(&token), t0).await;
    assert_eq!(status, 200, "{reply}");
    let (_, settings) = local.api("GET", "/v1/settings", None, Some(&token), t0).await;
    let mut policy = settings["policy"].clone();
    policy["enabled"] = json!(true);
    let (status, reply) = local.api("PUT", "/v1/policy", Some(policy), Some(&token), t0).await;
    assert_eq!(status, 200, "{reply}");

    // The daily catch-ups keep the ledger fresh up to the morning of the reminder.
    let monday = at("2026-11-30T06:00:00Z");
    duly_sync::handle(&stack.sync, &tick(), monday).await.unwrap();
    let tallinn_nine = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:30:00Z"))
        .await
        .unwrap();
    assert_eq!(
        tallinn_nine.sent, 0,
        "09:30 in Tallinn is 08:30 in Warsaw: {tallinn_nine:?}"
    );
    // The demo's Xero creditor writes to the same customer of the local Xero server: only this run's mail counts.
    let before = duly_local::moto::sent_emails().await.len();
    let warsaw_nine = duly_scheduler::handle(&local.scheduler, at("2026-11-30T08:05:00Z"))
        .await
        .unwrap();
    assert_eq!(warsaw_nine.sent, 1, "{warsaw_nine:?}");
    let sent: Vec<_> = duly_local::moto::sent_emails()
        .await
        .into_iter()
        .skip(before)
        .filter(|m| m.destinations.to == ["ap@tamm.example"] && m.subject.starts_with("Termin płatności"))
        .collect();
    assert_eq!(sent.len(), 1, "in Polish, to the contact");
    assert_eq!(sent[0].destinations.cc, ["mari@tamm.example"]);
    assert!(sent[0].body.contains(xero::ONLINE_INVOICE), "the pay button");
    assert!(
        sent[0].body.contains("Nordwind Tools OÜ"),
        "the footer names the legal entity"
    );
}
