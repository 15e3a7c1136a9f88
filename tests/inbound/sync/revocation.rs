//! Only a refused grant means the creditor revoked Duly: an app the token endpoint does not accept (a wrong
//! client secret in the deployment) must not disconnect every creditor, and a Stripe key that was revoked
//! must not be retried for ever.

use super::*;
use duly_local::platforms::stripe as local_stripe;

#[tokio::test(flavor = "multi_thread")]
async fn a_token_endpoint_that_refuses_the_app_keeps_the_credentials_and_retries() {
    let local = Local::new("sync-app-refused").await;
    let state: Shared = Arc::new(Mutex::new(Xero {
        access_token: "at-1".into(),
        refresh_token: "rt-1".into(),
        amount_due: "1250.00".into(),
        status: "AUTHORISED".into(),
        reject_client: true,
        ..Xero::default()
    }));
    let base = local_xero(state.clone()).await;
    let app = sync_app(&local, &base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    connect_xero(&local, "at-0", "rt-1", t0 - Duration::minutes(5)).await;
    notify(&local, t0).await;

    let report = duly_sync::handle(&app, &tick(), t0).await.unwrap();
    assert!(report.contains("2 retried later, 0 dead letters"), "{report}");
    let kept = local
        .store
        .get_connection(&ConnectionId::parse("conn-xero").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(kept.active && kept.credentials.is_some(), "the sealed tokens are kept");
    assert!(local
        .store
        .get_creditor(&nordwind())
        .await
        .unwrap()
        .unwrap()
        .disconnected
        .is_none());

    // The deployment's secret is fixed: the next run goes through with the same refresh token.
    state.lock().unwrap().reject_client = false;
    let later = duly_sync::handle(&app, &tick(), t0 + Duration::hours(1)).await.unwrap();
    assert!(
        later.contains("facts applied, 0 retried later, 0 dead letters"),
        "{later}"
    );
    assert!(local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse(INVOICE).unwrap())
        .await
        .unwrap()
        .is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_stripe_key_disconnects_the_connection() {
    let local = Local::new("sync-stripe-revoked").await;
    let base = local_stripe::serve(Arc::default(), Arc::default()).await;
    let app = duly_sync::App {
        store: local.store_for("SyncFunction"),
        vault: local.vault_for("SyncFunction"),
        apis: duly_app::sync::Apis {
            xero: PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
            quickbooks: PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
            stripe: PlatformApi::with_token_url(&base, "", "", ""),
            merit: PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
        },
        catch_up_pages: duly_app::sync::CATCH_UP_PAGES_PER_RUN,
        pay_links: duly_app::sync::PAY_LINKS_PER_RUN,
        notify: Some(local.notify_for("SyncFunction")),
    };
    let t0 = at("2026-11-20T09:00:00Z");
    let mut connection = duly_local::fixtures::connection("conn-stripe", "nordwind");
    connection.platform = Platform::Stripe;
    connection.tenant = Some("acct_1Nordwind".into());
    // The creditor rolled the key in Stripe's dashboard: Stripe now answers 401 to it.
    local
        .connect_with(
            &mut connection,
            Credentials::ApiKey {
                key: "rk_test_rolledAwayKey".into(),
            },
        )
        .await;
    let link = TenantLink {
        creditor: nordwind(),
        connection: ConnectionId::parse("conn-stripe").unwrap(),
    };
    local
        .store
        .schedule_reconciliation(&link, "stripe", "acct_1Nordwind", Some(t0 - Duration::days(1)), t0)
        .await
        .unwrap();

    let report = duly_sync::handle(&app, &tick(), t0).await.unwrap();
    assert!(report.contains("0 retried later"), "not retried for ever: {report}");
    let connection = local
        .store
        .get_connection(&ConnectionId::parse("conn-stripe").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!connection.active && connection.credentials.is_none());
    let creditor = local.store.get_creditor(&nordwind()).await.unwrap().unwrap();
    assert_eq!(
        creditor.disconnected.map(|d| d.platform).as_deref(),
        Some("stripe"),
        "reminders stop, and say why"
    );
    // The creditor hears of it by e-mail, in their language (Estonian), once.
    let told: Vec<_> = duly_local::moto::sent_emails()
        .await
        .into_iter()
        .filter(|m| m.destinations.to == ["ar@nordwind.example"] && m.subject == "Duly ei pääse enam ligi: Stripe")
        .collect();
    assert_eq!(told.len(), 1);
    assert!(
        told[0].body.contains("ühendage Stripe uuesti Dulyga"),
        "{}",
        told[0].body
    );
    let notices = local.store.notices(&nordwind()).await.unwrap();
    assert_eq!(notices.len(), 1, "recorded, so the same event is not told twice");
    assert_eq!(notices[0].notice.event, format!("revoked:stripe:{}", t0.date_naive()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_platform_that_keeps_failing_is_told_once_a_day_and_each_given_up_notice_once() {
    let local = Local::new("sync-failing").await;
    let state: Shared = Arc::new(Mutex::new(Xero {
        access_token: "at-1".into(),
        refresh_token: "rt-1".into(),
        amount_due: "1250.00".into(),
        status: "AUTHORISED".into(),
        reject_client: true,
        ..Xero::default()
    }));
    let base = local_xero(state.clone()).await;
    let app = sync_app(&local, &base, "http://127.0.0.1:9");
    let t0 = at("2026-11-20T09:00:00Z");
    let link = connect_xero(&local, "at-0", "rt-1", t0 - Duration::minutes(5)).await;
    local
        .store
        .schedule_reconciliation(&link, "xero", TENANT, Some(t0 - Duration::hours(20)), t0)
        .await
        .unwrap();
    notify(&local, t0).await;

    // Every six hours for three days: the catch-up and both notices fail each time.
    for k in 0..12 {
        let now = t0 + Duration::hours(6 * k) + Duration::minutes(k);
        duly_sync::handle(&app, &tick(), now).await.unwrap();
    }
    let notices = local.store.notices(&nordwind()).await.unwrap();
    let events: Vec<&str> = notices.iter().map(|n| n.notice.event.as_str()).collect();
    let failing: Vec<&&str> = events.iter().filter(|e| e.starts_with("sync-failing:")).collect();
    // The sixth failure (21 November) and each later day it goes on: 21, 22 and 23 November.
    assert_eq!(
        failing,
        [
            &"sync-failing:xero:2026-11-23",
            &"sync-failing:xero:2026-11-22",
            &"sync-failing:xero:2026-11-21"
        ],
        "{events:?}"
    );
    let dead = events.iter().filter(|e| e.starts_with("dead-sync:")).count();
    assert_eq!(dead, 2, "the invoice's and the contact's notice, each once: {events:?}");
    assert_eq!(local.store.dead_letters(&nordwind()).await.unwrap().len(), 2);

    // The creditor read it in Estonian, with how long the balances have been waiting.
    let mails = duly_local::moto::sent_emails().await;
    let told: Vec<_> = mails
        .iter()
        .filter(|m| m.destinations.to == ["ar@nordwind.example"] && m.subject == "Duly ei saa Xero andmeid kätte")
        .collect();
    assert!(!told.is_empty());
    assert!(
        told.iter().any(|m| m.body.contains("Umbes 50 tundi")),
        "{}",
        told[0].body
    );
}
