//! The fanned-out tick at scale: a table with `size` due customers of one creditor (each one e-mail
//! reminder, all due at once), the dispatcher's batches handed to `n` concurrent workers in this process,
//! and SES taking at most `rate` e-mails a second (the test kit's proxy paces the calls, as an account's
//! sending rate would). Prints the whole tick's time, the throughput and the DynamoDB requests per
//! customer for each size and number of workers.
//!
//! With `--paced`, the workers also pace their e-mails to the rate, as deployed workers each pace theirs to
//! their share (`DULY_SES_RATE` divided among `DULY_WORKERS`), so SES never has to hold them back.
//!
//! With `--sms RATE`, every customer has a mobile number, so each reminder is a text message too, and SNS
//! takes at most `RATE` of them a second (paced by the workers too with `--paced`, as `DULY_SMS_RATE`).
//!
//! `make scale` serves DynamoDB from dynoxide and SES and SNS from moto. Arguments (all optional):
//! `--sizes 10000,100000 --workers 1,4,16 --rate 500 --sms 20 --paced`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use duly_app::scheduler::{Batch, DEBTORS_PER_BATCH};
use duly_core::planner::fairness::work_batches;
use duly_local::faults::{Fault, FaultProxy, Service};
use duly_local::{at, measure, outbound_with, Local};

struct Row {
    size: usize,
    workers: usize,
    seconds: f64,
    sent: usize,
    /// Left due for the next tick: failed for now, contended or past a worker's budget.
    left: usize,
    requests: usize,
    texts: usize,
}

/// What SES and SNS take a second, and whether the workers pace themselves to it.
#[derive(Clone, Copy)]
struct Rates {
    email: u32,
    sms: Option<u32>,
    paced: bool,
}

fn gap(per_second: u32) -> std::time::Duration {
    std::time::Duration::from_secs(1) / per_second.max(1)
}

fn list(args: &[String], name: &str, default: &[usize]) -> anyhow::Result<Vec<usize>> {
    match args.iter().position(|a| a == name) {
        Some(i) => Ok(args
            .get(i + 1)
            .ok_or_else(|| anyhow::anyhow!("{name} needs a value"))?
            .split(',')
            .map(str::parse)
            .collect::<Result<_, _>>()?),
        None => Ok(default.to_vec()),
    }
}

/// The batches the dispatcher would put on the queue for what is due at `now`.
async fn batches(local: &Local, now: chrono::DateTime<chrono::Utc>) -> VecDeque<Batch> {
    let mut due: BTreeMap<_, BTreeMap<_, Vec<_>>> = BTreeMap::new();
    for shard in 0..duly_adapters::store::DUE_SHARDS {
        for entry in local.store.due_entries(shard, now).await.expect("due entries").invoices {
            due.entry(entry.creditor_id)
                .or_default()
                .entry(entry.debtor_id)
                .or_default()
                .push(entry.invoice_id);
        }
    }
    let due = due.into_iter().map(|(c, d)| (c, d.into_iter().collect())).collect();
    work_batches(due, DEBTORS_PER_BATCH).into()
}

async fn tick(size: usize, workers: usize, rates: Rates) -> Row {
    let proxy = FaultProxy::start().await;
    proxy.inject(
        Service::SesSendEmail,
        Fault::Paced {
            per_second: rates.email,
        },
    );
    if let Some(per_second) = rates.sms {
        proxy.inject(Service::SnsPublish, Fault::Paced { per_second });
    }
    let mut local = Local::measuring_capacity("scale").await;
    // The workers here share one process and one outbound, whose clones share their turns: the process's
    // gap is the whole rate's, as deployed workers' gaps add up to it (`DULY_WORKERS` of them).
    let (email_gap, sms_gap) = match rates.paced {
        true => (Some(gap(rates.email)), rates.sms.map(gap)),
        false => (None, None),
    };
    local.scheduler.outbound = outbound_with(&proxy.aws_config()).paced(email_gap, sms_gap);
    measure::fill(&local, size, 0, rates.sms.map(|_| "+37255512345")).await;
    // Monday 30 November, 09:15 in Tallinn: every filled invoice is ten days late, one reminder each.
    let now = at("2026-11-30T07:15:00Z");
    let queue = Arc::new(Mutex::new(batches(&local, now).await));
    let local = Arc::new(local);
    local.counter.reset();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (local, queue) = (local.clone(), queue.clone());
        tasks.push(tokio::spawn(async move {
            let (mut sent, mut left) = (0, 0);
            loop {
                let next = queue.lock().unwrap().pop_front();
                let Some(batch) = next else { return (sent, left) };
                let body = serde_json::to_string(&batch).expect("a batch serialises");
                if let Some(summary) = duly_scheduler::work_message(&local.scheduler, &body, now).await {
                    sent += summary.sent - summary.deferred;
                    left += summary.deferred + summary.errors + summary.contended + summary.postponed;
                }
            }
        }));
    }
    let (mut sent, mut left) = (0, 0);
    for task in tasks {
        let (s, l) = task.await.expect("a worker");
        sent += s;
        left += l;
    }
    Row {
        size,
        workers,
        seconds: started.elapsed().as_secs_f64(),
        sent,
        left,
        requests: local.counter.operations().len(),
        texts: proxy
            .arrivals()
            .iter()
            .filter(|a| a.service == Service::SnsPublish && !a.answered)
            .count(),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes = list(&args, "--sizes", &[10_000, 100_000])?;
    let workers = list(&args, "--workers", &[1, 4, 16])?;
    let rate = list(&args, "--rate", &[500])?[0];
    let sms = match args.iter().position(|a| a == "--sms") {
        Some(_) => Some(u32::try_from(list(&args, "--sms", &[])?[0])?),
        None => None,
    };
    let rates = Rates {
        email: u32::try_from(rate)?,
        sms,
        paced: args.iter().any(|a| a == "--paced"),
    };
    let texts = sms.map_or(String::new(), |r| format!(", SNS {r} text messages a second"));
    let pacing = if rates.paced {
        ", and the workers pace themselves to it"
    } else {
        ""
    };
    println!("SES takes {rate} e-mails a second{texts}{pacing}; DynamoDB from dynoxide.\n");
    let texts_column = if sms.is_some() { " texts |" } else { "" };
    println!("| due customers | workers | whole tick | sent | left for the next tick | sent a second | DynamoDB requests a customer |{texts_column}");
    println!(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |{}",
        if sms.is_some() { " ---: |" } else { "" }
    );
    for &size in &sizes {
        for &n in &workers {
            let row = tick(size, n, rates).await;
            let texts = if sms.is_some() {
                format!(" {} |", row.texts)
            } else {
                String::new()
            };
            println!(
                "| {} | {} | {:.1} s | {} | {} | {:.0} | {:.2} |{texts}",
                row.size,
                row.workers,
                row.seconds,
                row.sent,
                row.left,
                row.sent as f64 / row.seconds,
                row.requests as f64 / row.size as f64
            );
        }
    }
    Ok(())
}
