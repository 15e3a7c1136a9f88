//! The creditor's app at scale: how long its pages take for a creditor with 10,000 customers who owe
//! (one open invoice each), the median of several requests after one to warm up. Each request runs the
//! web function's handler over a real DynamoDB API, as deployed; the time is the whole request.
//!
//! `make page-time` serves DynamoDB from dynoxide. Arguments (optional): the customer counts (default
//! 10000).

use std::time::{Duration, Instant};

use duly_core::web::{Session, SESSION_COOKIE};
use duly_local::fixtures::nordwind;
use duly_local::web::web_app;
use duly_local::webhook_event::{function_url_event, to_request};
use duly_local::{measure, Local};

const RUNS: usize = 5;

/// The pages timed: what a creditor opens first each morning, and the customer list worked through.
const PAGES: &[(&str, &str)] = &[
    ("Today", "/app/today"),
    ("To do", "/app/todo"),
    ("Customers, first page", "/app/debtors"),
    ("Customers, most overdue first", "/app/debtors?sort=overdue"),
    ("Customers, page 100", "/app/debtors?page=100"),
    ("Customers, searched", "/app/debtors?q=INV-0000042"),
    ("Customers, as CSV", "/app/debtors.csv"),
];

async fn get(
    app: &duly_web::App,
    path_and_query: &str,
    cookie: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> (u16, usize) {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let mut event = function_url_event("GET", path, &[], "", now.timestamp());
    if !query.is_empty() {
        event["rawQueryString"] = serde_json::json!(query);
        event["queryStringParameters"] = serde_json::json!(form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect::<std::collections::HashMap<String, String>>());
    }
    event["cookies"] = serde_json::json!([cookie]);
    let response = duly_web::handle(app, to_request(&event), now).await;
    let size = match response.body() {
        lambda_http::Body::Text(t) => t.len(),
        lambda_http::Body::Binary(b) => b.len(),
        _ => 0,
    };
    (response.status().as_u16(), size)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = match args.is_empty() {
        true => vec![10_000],
        false => args.iter().map(|a| a.parse()).collect::<Result<_, _>>()?,
    };
    println!("| customers | page | status | size | median of {RUNS} |");
    println!("| --- | --- | --- | --- | --- |");
    for &size in &sizes {
        let local = Local::new(&format!("page-time-{size}")).await;
        measure::fill(&local, size, 0, None).await;
        let now = duly_local::at(measure::DUE_AT) + chrono::Duration::days(3);
        let email = "ar@nordwind.example";
        local.store.put_member(&nordwind(), email).await?;
        let (token, session) = Session::start(nordwind(), email.into(), now);
        local.store.put_session(&Session::key(&token), &session).await?;
        let cookie = format!("{SESSION_COOKIE}={token}");
        let app = web_app(&local, "https://app.duly.example");
        for (label, path) in PAGES {
            let (status, bytes) = get(&app, path, &cookie, now).await;
            let mut times = Vec::with_capacity(RUNS);
            for _ in 0..RUNS {
                let start = Instant::now();
                get(&app, path, &cookie, now).await;
                times.push(start.elapsed());
            }
            times.sort();
            println!(
                "| {size} | {label} (`{path}`) | {status} | {} kB | {} |",
                bytes / 1000,
                ms(times[RUNS / 2])
            );
        }
    }
    Ok(())
}
