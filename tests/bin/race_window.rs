//! The payment race, measured: a payment recorded before a reminder's claim commits stops the reminder;
//! one recorded after the claim and before SES accepts the e-mail does not. This prints how long that
//! window is on Duly's side, from the endpoint answering each claim's TransactWriteItems to the e-mail's
//! SendEmail reaching it, over a scheduler run that sends to many debtors; SES's own time to accept comes
//! on top.
//!
//! `VENV=.venv .ci/with-local-aws cargo run -p duly-local --bin race-window -- [debtors]` (or `make bench`).

use duly_local::faults::{FaultProxy, Service};
use duly_local::fixtures::facts;
use duly_local::{at, Local};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let debtors: usize = std::env::args().nth(1).map(|d| d.parse()).transpose()?.unwrap_or(200);
    let proxy = FaultProxy::start().await;
    let local = Local::through("race-window", &proxy).await;
    let t = "2026-11-16T09:00:00Z";
    for d in 0..debtors {
        let debtor = format!("cus-{d}");
        let email = format!("ap-{d}-{}@race.example", local.store.table());
        let contact = facts::contact(&debtor, &email, None, t);
        local.deliver(&format!("c{d}"), &contact, at(t)).await;
        let invoice = facts::invoice(&format!("{d}"), &debtor, "100.00", "100.00", "2026-12-01", "open", t);
        local.deliver(&format!("i{d}"), &invoice, at(t)).await;
    }
    let before = proxy.arrivals().len();
    let summary = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z")).await?;
    let calls = &proxy.arrivals()[before..];
    let mut windows = Vec::new();
    for (i, call) in calls.iter().enumerate() {
        if call.service != Service::SesSendEmail || call.answered {
            continue;
        }
        let claim = calls[..i]
            .iter()
            .rev()
            .find(|c| c.service == Service::DynamoDb && c.operation == "TransactWriteItems" && c.answered);
        if let Some(claim) = claim {
            windows.push(call.at - claim.at);
        }
    }
    windows.sort();
    anyhow::ensure!(!windows.is_empty(), "nothing was sent: {summary:?}");
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let pick = |p: f64| windows[((p / 100.0) * (windows.len() - 1) as f64).round() as usize];
    println!(
        "claim committed to SendEmail sent, over {} reminders: median {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        windows.len(),
        ms(pick(50.0)),
        ms(pick(90.0)),
        ms(*windows.last().unwrap())
    );
    Ok(())
}
