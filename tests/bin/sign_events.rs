//! Writes the demo's signed webhook deliveries and a scheduler tick to `events/`.
//!
//! `sign-events` signs each delivery at its scenario time (what the demo replays).
//! `sign-events --now DIR` signs them all at the current time into DIR, for sending to a running function
//! (`cargo lambda invoke --data-file`), whose clock only accepts signatures from the last five minutes.

use std::path::PathBuf;

use duly_local::scenario::{deliveries, scheduler_tick, stripe_deliveries};
use duly_local::webhook_event::{
    signed_delivery, stripe_delivery, DEMO_CONNECTION, DEMO_SECRET, DEMO_STRIPE_CONNECTION, DEMO_STRIPE_SECRET,
};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let now = args.first().is_some_and(|a| a == "--now");
    let out = args
        .get(usize::from(now))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../events")));
    let webhooks = out.join("webhooks");
    std::fs::create_dir_all(&webhooks)?;
    for d in deliveries() {
        let timestamp = if now {
            chrono::Utc::now().timestamp()
        } else {
            duly_local::at(d.at).timestamp()
        };
        let event = signed_delivery(DEMO_CONNECTION, DEMO_SECRET, d.webhook_id, timestamp, &d.body);
        std::fs::write(webhooks.join(d.file), serde_json::to_string_pretty(&event)? + "\n")?;
    }
    let stripe = out.join("stripe");
    std::fs::create_dir_all(&stripe)?;
    for d in stripe_deliveries() {
        let timestamp = if now {
            chrono::Utc::now().timestamp()
        } else {
            duly_local::at(d.at).timestamp()
        };
        let event = stripe_delivery(DEMO_STRIPE_CONNECTION, DEMO_STRIPE_SECRET, timestamp, &d.body);
        std::fs::write(stripe.join(d.file), serde_json::to_string_pretty(&event)? + "\n")?;
    }
    for (platform, file, body) in duly_local::scenario::thin_deliveries() {
        let (header, signature) = match platform {
            "xero" => (
                "x-xero-signature",
                duly_core::platforms::xero::sign(duly_local::webhook_event::TEST_XERO_KEY, body.as_bytes()),
            ),
            _ => (
                "intuit-signature",
                duly_core::platforms::quickbooks::sign(
                    duly_local::webhook_event::TEST_QUICKBOOKS_TOKEN,
                    body.as_bytes(),
                ),
            ),
        };
        let dir = out.join(platform);
        std::fs::create_dir_all(&dir)?;
        let event = duly_local::webhook_event::app_level_delivery(platform, header, &signature, &body, 1_796_304_000);
        std::fs::write(dir.join(file), serde_json::to_string_pretty(&event)? + "\n")?;
    }
    let connect = out.join("connect");
    std::fs::create_dir_all(&connect)?;
    for (file, event) in duly_local::scenario::connect_events() {
        std::fs::write(connect.join(file), serde_json::to_string_pretty(&event)? + "\n")?;
    }
    std::fs::write(
        out.join("sync-stream-batch.json"),
        serde_json::to_string_pretty(&duly_local::scenario::sync_stream_batch())? + "\n",
    )?;
    let tick_at = if now {
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        "2026-12-01T08:00:00Z".to_string()
    };
    let tick = scheduler_tick(&tick_at);
    std::fs::write(
        out.join("scheduler-tick.json"),
        serde_json::to_string_pretty(&tick)? + "\n",
    )?;
    println!(
        "wrote {} Standard Webhooks and {} Stripe deliveries and a scheduler tick to {}",
        deliveries().len(),
        stripe_deliveries().len(),
        out.display()
    );
    Ok(())
}
