//! Cold start of each release-built function: the time from starting its process to its first poll of the
//! Lambda Runtime API (`GET /2018-06-01/runtime/invocation/next`), served here by a minimal Runtime API on
//! loopback. Every figure is over many fresh processes; it prints the median and the 90th percentile.
//!
//! `cargo build --release` the functions first, then
//! `cargo run -p duly-local --bin cold-start -- [runs] [target/release]` (or `make bench`).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

const FUNCTIONS: [&str; 10] = [
    "duly-ingest",
    "duly-scheduler",
    "duly-settings",
    "duly-answers",
    "duly-delivery-events",
    "duly-sync",
    "duly-connect",
    "duly-web",
    "duly-billing",
    "duly-rates",
];

/// Starts `binary` against a fresh Runtime API and returns how long it took to ask for its first event.
async fn one_start(binary: &PathBuf) -> anyhow::Result<Duration> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let api = listener.local_addr()?.to_string();
    let started = Instant::now();
    let mut child = tokio::process::Command::new(binary)
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", &api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "cold-start")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/cold-start")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "local")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("DULY_TABLE", "duly-cold-start")
        .env(
            "DULY_CREDENTIALS_KEY",
            "arn:aws:kms:eu-west-1:123456789012:key/cold-start",
        )
        .env("DULY_LINK_SECRET", "cold-start-link-secret")
        .env("DULY_ANSWERS_URL", "https://answers.duly.example")
        .env("DULY_APP_URL", "https://app.duly.example")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("start {}", binary.display()))?;
    let accepted = tokio::time::timeout(Duration::from_secs(10), listener.accept()).await;
    let (mut socket, _) = match accepted {
        Ok(result) => result?,
        Err(_) => {
            let status = child.try_wait()?;
            bail!(
                "{} never polled the Runtime API (exit status {status:?})",
                binary.display()
            );
        }
    };
    // The poll has arrived once its request line is read.
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
    }
    let elapsed = started.elapsed();
    if !request.starts_with(b"GET /2018-06-01/runtime/invocation/next") {
        bail!("unexpected first request: {}", String::from_utf8_lossy(&request));
    }
    child.kill().await?;
    Ok(elapsed)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(50);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/release").to_string()),
    );
    println!("| function | median to first poll | p90 | runs | binary size |");
    println!("| --- | --- | --- | --- | --- |");
    for function in FUNCTIONS {
        let binary = dir.join(function);
        // A comparison may build only the functions it is about.
        let Ok(meta) = std::fs::metadata(&binary) else {
            println!("| {function} | not built (cargo build --release -p {function}) | | | |");
            continue;
        };
        let size = meta.len();
        // One start to warm the page cache, as Lambda's is warm for a deployed image.
        one_start(&binary).await?;
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            times.push(one_start(&binary).await?);
        }
        times.sort();
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        println!(
            "| {function} | {} | {} | {runs} | {:.1} MB |",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 90.0)),
            size as f64 / 1_000_000.0
        );
    }
    Ok(())
}
