//! What a full run writes to the logs, captured through the functions' own JSON subscriber: ids, counts
//! and outcomes, and no secret or personal data — not from good deliveries, not from bad ones, not from
//! provider errors.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use serde_json::json;

use duly_core::locale::Language;
use duly_core::messages::links::{Action, Answer};
use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::faults::{Fault, FaultProxy, Service};
use duly_local::fixtures::{facts, nordwind};
use duly_local::webhook_event::{function_url_event, signed_delivery, to_request, DEMO_CONNECTION, DEMO_SECRET};
use duly_local::{at, test_links, Local};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const NAME: &str = "Mägi Puit OÜ";
const REASON: &str = "Mari Mägi says the pallets never arrived at Pärnu mnt 10";

#[tokio::test(flavor = "multi_thread")]
async fn a_full_run_logs_no_secret_and_no_personal_data() {
    let captured = Captured::default();
    // Duly's own crates at debug, everything else at the production level.
    tracing::subscriber::set_global_default(duly_adapters::telemetry::json_subscriber(
        "info,duly=debug,duly_ingest=debug,duly_scheduler=debug,duly_settings=debug,duly_answers=debug,duly_connect=debug",
        captured.clone(),
    ))
    .expect("the only subscriber of this test binary");

    let proxy = FaultProxy::start().await;
    let local = Local::through("logs", &proxy).await;
    let (email, phone) = local.unique_contact();
    let t = "2026-11-16T09:00:00Z";
    let contact = json!({"type": "contact.updated", "data": {"debtor_id": "cus-1", "name": NAME, "email": email,
        "phone": phone, "language": "et", "country": "EE", "time_zone": "Europe/Tallinn", "updated_at": t}})
    .to_string();
    assert_eq!(local.deliver("c1", &contact, at(t)).await.0, 200);
    let invoice = facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", t);
    assert_eq!(local.deliver("i1", &invoice, at(t)).await.0, 200);

    // Bad deliveries that quote personal data: truncated, mistyped, badly signed.
    let truncated = &contact[..contact.len() - 20];
    assert_eq!(local.deliver("bad-1", truncated, at(t)).await.0, 400);
    let mistyped = contact.replace(&format!("\"phone\":\"{phone}\""), &format!("\"phone\":[\"{phone}\"]"));
    assert!(local.deliver("bad-2", &mistyped, at(t)).await.0 >= 400);
    let mut forged = signed_delivery(
        DEMO_CONNECTION,
        "whsec_MDEyMzQ1Njc4OWFiY2RlZg==",
        "bad-3",
        at(t).timestamp(),
        &contact,
    );
    forged["headers"]["x-forwarded-for"] = json!("203.0.113.7");
    assert_eq!(local.send_event(&forged, at(t)).await.0, 401);

    // Reminders by e-mail and SMS; SES refuses one send for now.
    duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
        .await
        .unwrap();
    proxy.inject(Service::SesSendEmail, Fault::Down);
    duly_scheduler::handle(&local.scheduler, at("2026-12-02T07:15:00Z"))
        .await
        .unwrap();
    proxy.heal();
    duly_scheduler::handle(&local.scheduler, at("2026-12-02T07:25:00Z"))
        .await
        .unwrap();

    // The debtor disputes, with a reason that names people and places.
    let token = test_links().token(&Answer {
        creditor: nordwind(),
        debtor: DebtorId::parse("cus-1").unwrap(),
        invoices: vec![InvoiceId::parse("1001").unwrap()],
        action: Action::Dispute,
        language: Language::Et,
        expires: (at("2026-12-02T09:00:00Z") + Duration::days(30)).timestamp(),
    });
    let form = format!("reason={}", REASON.replace(' ', "+"));
    let (status, _, _) = local
        .answer("POST", &format!("/a/{token}"), &form, at("2026-12-02T09:00:00Z"))
        .await;
    assert_eq!(status, 200);

    // The creditor's API, with their token, and someone guessing tokens.
    let (status, _) = local
        .api("GET", "/v1/invoices/1001/plan", None, None, at("2026-12-02T09:05:00Z"))
        .await;
    assert_eq!(status, 200);
    let guessed = format!("duly_{}", "ab".repeat(32));
    let (status, _) = local
        .api("GET", "/v1/settings", None, Some(&guessed), at("2026-12-02T09:05:00Z"))
        .await;
    assert_eq!(status, 401);

    // Connecting Stripe with a key that is not one, and a malformed body quoting a key.
    let connect = duly_connect::App {
        store: local.store_for("ConnectFunction"),
        vault: local.vault_for("ConnectFunction"),
        app_url: None,
        webhook_base: None,
        platforms: duly_app::connect::Platforms {
            xero: duly_app::connect::OAuthApp {
                authorize_url: "http://127.0.0.1:9/authorize".into(),
                scopes: duly_core::platforms::oauth::XERO_SCOPES,
                api: duly_adapters::platforms::PlatformApi::new("http://127.0.0.1:9", "http://127.0.0.1:9", "id", "s"),
                user_info_url: String::new(),
            },
            quickbooks: duly_app::connect::OAuthApp {
                authorize_url: "http://127.0.0.1:9/authorize".into(),
                scopes: duly_core::platforms::oauth::QUICKBOOKS_SCOPES,
                api: duly_adapters::platforms::PlatformApi::new("http://127.0.0.1:9", "http://127.0.0.1:9", "id", "s"),
                user_info_url: String::new(),
            },
            stripe: duly_adapters::platforms::PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
            merit: duly_adapters::platforms::PlatformApi::with_token_url("http://127.0.0.1:9", "", "", ""),
        },
    };
    let stripe_key = "rk_live_51SecretRestrictedKeyOfNordwind";
    for body in [
        json!({"api_key": stripe_key, "webhook_secret": "whsec_live_endpoint_secret_x"}).to_string(),
        json!({"api_key": [stripe_key]}).to_string(),
    ] {
        let event = function_url_event(
            "POST",
            "/connect/stripe",
            &[("authorization", format!("Bearer {}", local.token))],
            &body,
            at(t).timestamp(),
        );
        let response = duly_connect::handle(&connect, to_request(&event), at(t)).await;
        assert!(response.status().as_u16() >= 400);
    }

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.lines().count() >= 10, "the run logged its work:\n{logs}");
    assert!(
        logs.contains("delivery refused") && logs.contains("a channel failed for now"),
        "{logs}"
    );
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    for secret in [
        email.as_str(),
        email.split('@').next().unwrap(),
        phone.as_str(),
        digits.as_str(),
        NAME,
        "Mägi",
        "Pärnu",
        DEMO_SECRET,
        local.token.as_str(),
        guessed.as_str(),
        token.as_str(),
        stripe_key,
        "whsec_live_endpoint_secret_x",
        "203.0.113.7",
    ] {
        assert!(!logs.contains(secret), "the logs contain {secret:?}:\n{logs}");
    }
}
