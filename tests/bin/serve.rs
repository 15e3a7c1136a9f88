//! `make serve`: Duly on localhost, to click through and send webhooks to before deploying anything.
//!
//! On the local AWS endpoint, the demo creditor (Nordwind Tools OÜ) gets its customers and its history: the
//! scenario's signed deliveries arrive at the moments they were signed, and the scheduler runs every
//! morning at 08:00 UTC from 16 November up to today. Then the web app, the debtors' answer pages, the
//! settings API and the webhook receiver are served, each on its own port as each has its own Function URL
//! when deployed, on the wall clock; the scheduler runs every quarter of an hour as the template schedules
//! it. E-mails that SES accepts are listed as they go, sign-in links among them. Runs until stopped.

use std::sync::{Arc, Mutex};
use std::time::Duration as Wait;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};

use duly_core::messages::links::Links;
use duly_core::model::ids::CreditorId;
use duly_local::moto::sent_emails;
use duly_local::web::{serve_function, web_app, Clock};
use duly_local::webhook_event::DEMO_CONNECTION;
use duly_local::{at, Local};

/// The first port; the others follow it (`DULY_SERVE_PORT` moves them all).
const FIRST_PORT: u16 = 8080;
const MEMBER: &str = "owner@nordwind.example";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let first: u16 = match std::env::var("DULY_SERVE_PORT") {
        Ok(p) => p.parse().context("DULY_SERVE_PORT is a port number")?,
        Err(_) => FIRST_PORT,
    };
    let mut listeners = Vec::new();
    for port in first..first + 4 {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .with_context(|| format!("port {port} is taken: set DULY_SERVE_PORT to another first port"))?;
        listeners.push((format!("http://127.0.0.1:{port}"), listener));
    }
    let [web, answers, settings, ingest] = [0, 1, 2, 3].map(|i| listeners[i].0.clone());

    println!("Setting up Nordwind Tools OÜ's customers and their history on the local endpoint…");
    let mut local = Local::with_stream("duly-serve").await;
    // Reminders link to the answer pages and the app served here, not to the test kit's addresses.
    let links = Links::new(b"local-serve-link-secret", &answers);
    local.scheduler.links = Some(links.clone());
    local.scheduler.app_url = Some(web.clone());
    local.answers.links = links;
    local.answers.app_url = Some(web.clone());
    let today = Utc::now();
    let days = history(&local, today).await?;
    println!("  {days} mornings of reminders, from 16 November 2026");

    let clock: Clock = Arc::new(Mutex::new(Utc::now()));
    let local = Arc::new(local);
    let web_fn = Arc::new(web_app(&local, &web));
    let mut listeners = listeners.into_iter().map(|(_, l)| l);
    let mut next = || listeners.next().expect("four listeners");
    serve_function(next(), clock.clone(), move |request, now| {
        let app = web_fn.clone();
        async move { duly_web::handle(&app, request, now).await }
    });
    let l = local.clone();
    serve_function(next(), clock.clone(), move |request, now| {
        let l = l.clone();
        async move { duly_answers::handle(&l.answers, request, now).await }
    });
    let l = local.clone();
    serve_function(next(), clock.clone(), move |request, now| {
        let l = l.clone();
        async move { duly_settings::handle(&l.settings, request, now).await }
    });
    let l = local.clone();
    serve_function(next(), clock.clone(), move |request, now| {
        let l = l.clone();
        async move { duly_ingest::handle(&l.ingest, request, now).await }
    });

    let creditor = CreditorId::parse("nordwind")?;
    local.store.put_member(&creditor, MEMBER).await?;
    let link = sign_in_link(&web).await?;
    println!();
    println!(
        "Duly is served on localhost, on the wall clock ({}):",
        Utc::now().format("%d %b %Y %H:%M UTC")
    );
    println!("  web app        {web}/app/today");
    println!("    sign in as {MEMBER}: {link}");
    println!("    (or ask {web}/app/sign-in for a link: it is printed below when SES takes it)");
    println!("  answer pages   {answers} (the links in the reminders below)");
    println!("  settings API   {settings}/v1/settings");
    println!(
        "    curl -H 'Authorization: Bearer {}' {settings}/v1/invoices/inv-1001/plan",
        local.token
    );
    println!("  webhooks       {ingest}/webhooks/standard/{DEMO_CONNECTION}");
    println!("    sign the samples at this minute and send one:");
    println!("      cargo run -q -p duly-local --bin sign-events -- --now .local/events");
    println!("      python3 .ci/send_event.py .local/events/webhooks/<file>.json {ingest}");
    println!("Stop with Ctrl-C.\n");

    let mut seen = sent_emails().await.len();
    let mut last_tick = Utc::now();
    loop {
        tokio::time::sleep(Wait::from_secs(2)).await;
        let now = Utc::now();
        *clock.lock().map_err(|_| anyhow::anyhow!("the clock"))? = now;
        if now - last_tick >= Duration::minutes(15) {
            last_tick = now;
            match local.tick(None, now).await {
                Ok(summary) => println!("{}  scheduler: {} sent", now.format("%H:%M:%S"), summary.sent),
                Err(e) => println!("{}  scheduler failed: {e}", now.format("%H:%M:%S")),
            }
        }
        let emails = sent_emails().await;
        for email in emails.iter().skip(seen) {
            println!(
                "{}  e-mail to {}: {}",
                now.format("%H:%M:%S"),
                email.destinations.to.join(", "),
                email.subject
            );
            if let Some(link) = link_in(&email.body, &web) {
                println!("           {link}");
            }
        }
        seen = emails.len();
    }
}

/// Replays the scenario's deliveries and runs every morning's reminders up to `today` (the last day of
/// the scenario at most); how many mornings ran.
async fn history(local: &Local, today: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut deliveries = duly_local::scenario::deliveries();
    deliveries.sort_by_key(|d| at(d.at));
    let mut deliveries = deliveries.into_iter().peekable();
    let mut day = Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).unwrap();
    let end = today.min(Utc.with_ymd_and_hms(2026, 12, 31, 23, 0, 0).unwrap());
    let mut mornings = 0;
    while day <= end {
        let tick = day
            .date_naive()
            .and_time(NaiveTime::from_hms_opt(8, 0, 0).context("08:00")?)
            .and_utc();
        let until = tick.min(end);
        while let Some(d) = deliveries.next_if(|d| at(d.at) < until) {
            local.deliver(d.webhook_id, &d.body, at(d.at)).await;
        }
        if tick <= end {
            local.tick(None, tick).await?;
            mornings += 1;
        }
        day += Duration::days(1);
    }
    Ok(mornings)
}

/// Asks the served app to mail `MEMBER` a sign-in link, and reads it from what SES took.
async fn sign_in_link(web: &str) -> anyhow::Result<String> {
    let before = sent_emails().await.len();
    let response = reqwest::Client::new()
        .post(format!("{web}/app/sign-in"))
        .form(&[("email", MEMBER)])
        .send()
        .await?;
    anyhow::ensure!(response.status().is_success(), "sign-in answered {}", response.status());
    let mail = sent_emails()
        .await
        .into_iter()
        .skip(before)
        .find(|m| m.destinations.to == [MEMBER.to_string()])
        .context("the sign-in link was mailed")?;
    link_in(&mail.body, web).context("a link in the sign-in mail")
}

/// The sign-in link an e-mail carries, if any.
fn link_in(body: &str, web: &str) -> Option<String> {
    let body = body.replace("&#x2f;", "/");
    let at = body.find("/app/sign-in/")?;
    let token: String = body[at + "/app/sign-in/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    Some(format!("{web}/app/sign-in/{token}"))
}
