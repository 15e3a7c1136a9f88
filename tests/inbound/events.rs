//! The sample events in `events/` stay valid: each is a Function URL event the runtime accepts, signed
//! with the demo secret at its own timestamp, carrying a canonical fact, and identical to what the
//! scenario generates.

use std::path::Path;

use lambda_http::{Body, RequestExt};

use duly_core::webhooks::canonical::parse_fact;
use duly_core::webhooks::signature::{verify, SigningSecret};
use duly_local::scenario::deliveries;
use duly_local::webhook_event::{signed_at, signed_delivery, to_request, DEMO_CONNECTION, DEMO_SECRET};

fn events_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../events"))
}

#[test]
fn every_sample_delivery_verifies_and_parses() {
    let secret = [SigningSecret::parse(DEMO_SECRET).unwrap()];
    let mut seen = 0;
    for d in deliveries() {
        let raw = std::fs::read_to_string(events_dir().join("webhooks").join(d.file)).expect(d.file);
        let event: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let request = to_request(&event);
        assert_eq!(request.raw_http_path(), format!("/webhooks/standard/{DEMO_CONNECTION}"));
        let Body::Text(body) = request.body() else {
            panic!("{}: text body", d.file)
        };
        let at = chrono::DateTime::from_timestamp(signed_at(&event), 0).unwrap();
        verify(&secret, request.headers(), body.as_bytes(), at).unwrap_or_else(|e| panic!("{}: {e}", d.file));
        parse_fact(body.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", d.file));
        let regenerated = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, d.webhook_id, signed_at(&event), &d.body);
        assert_eq!(
            event, regenerated,
            "{} differs from the scenario: run `make events`",
            d.file
        );
        seen += 1;
    }
    let on_disk = std::fs::read_dir(events_dir().join("webhooks")).unwrap().count();
    assert_eq!(seen, on_disk, "every file in events/webhooks belongs to the scenario");
}

#[test]
fn every_stripe_sample_verifies_and_parses() {
    use duly_local::webhook_event::{signed_time, stripe_delivery, DEMO_STRIPE_CONNECTION, DEMO_STRIPE_SECRET};
    for d in duly_local::scenario::stripe_deliveries() {
        let raw = std::fs::read_to_string(events_dir().join("stripe").join(d.file)).expect(d.file);
        let event: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let request = to_request(&event);
        let Body::Text(body) = request.body() else {
            panic!("{}: text body", d.file)
        };
        let at = chrono::DateTime::from_timestamp(signed_time(&event), 0).unwrap();
        duly_core::platforms::stripe::verify(
            &[DEMO_STRIPE_SECRET.to_string()],
            request.headers(),
            body.as_bytes(),
            at,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", d.file));
        assert_eq!(
            duly_core::platforms::stripe::parse(body.as_bytes())
                .unwrap()
                .facts
                .len(),
            2,
            "{}",
            d.file
        );
        assert_eq!(
            event,
            stripe_delivery(DEMO_STRIPE_CONNECTION, DEMO_STRIPE_SECRET, signed_time(&event), &d.body)
        );
    }
}

#[test]
fn the_scheduler_tick_is_an_eventbridge_scheduled_event() {
    let raw = std::fs::read_to_string(events_dir().join("scheduler-tick.json")).unwrap();
    let event: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(event["detail-type"], "Scheduled Event");
    assert_eq!(event["source"], "aws.scheduler");
}

#[test]
fn every_xero_and_quickbooks_sample_verifies_and_parses() {
    use duly_local::webhook_event::{TEST_QUICKBOOKS_TOKEN, TEST_XERO_KEY};
    for (platform, file, body) in duly_local::scenario::thin_deliveries() {
        let raw = std::fs::read_to_string(events_dir().join(platform).join(file)).expect(file);
        let event: serde_json::Value = serde_json::from_str(&raw).unwrap();
        let request = to_request(&event);
        let Body::Text(text) = request.body() else {
            panic!("{file}: text body")
        };
        assert_eq!(text, &body, "{file} differs from the scenario: run `make events`");
        match platform {
            "xero" => {
                duly_core::platforms::xero::verify(&[TEST_XERO_KEY.to_string()], request.headers(), text.as_bytes())
                    .unwrap();
                duly_core::platforms::xero::parse(text.as_bytes()).unwrap();
            }
            _ => {
                duly_core::platforms::quickbooks::verify(
                    &[TEST_QUICKBOOKS_TOKEN.to_string()],
                    request.headers(),
                    text.as_bytes(),
                )
                .unwrap();
                assert_eq!(
                    duly_core::platforms::quickbooks::parse(text.as_bytes()).unwrap().len(),
                    1
                );
            }
        }
    }
}

#[test]
fn the_connect_samples_and_the_stream_batch_match_the_scenario() {
    for (file, expected) in duly_local::scenario::connect_events() {
        let raw = std::fs::read_to_string(events_dir().join("connect").join(file)).expect(file);
        let event: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(event, expected, "{file} differs from the scenario: run `make events`");
        let request = to_request(&event);
        assert!(request.uri().path().starts_with("/connect/"), "{file}");
    }
    let raw = std::fs::read_to_string(events_dir().join("sync-stream-batch.json")).unwrap();
    let batch: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(batch, duly_local::scenario::sync_stream_batch(), "run `make events`");
    let creditors = duly_sync::creditors_in_stream(&batch).expect("a stream batch");
    assert_eq!(creditors.iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["nordwind"]);
    let filter = duly_local::stream::notice_filter();
    assert_eq!(
        duly_local::stream::filtered(&batch, &filter),
        batch,
        "the template's filter lets it through"
    );
}
