//! What Duly costs to run: Lambda, DynamoDB and SES per 1,000 reminders and per million webhooks, and an
//! idle month, from what this command measures on the local endpoint (Duly's own CPU time per operation,
//! DynamoDB requests and the capacity DynamoDB reports for them, e-mails and text messages sent) and the
//! prices and round-trip times below, which are inputs, not measurements.
//!
//! `make cost-model` (DynamoDB served by dynoxide, which reports capacity as DynamoDB does; release build).
//! `make profile-webhook` records where a webhook's CPU goes, with `perf`, from `cost-model --webhooks N`.

use std::time::Duration;

use duly_core::policy::Channel;
use duly_local::request_counter::Capacity;
use duly_local::{at, fixtures::facts, measure, webhook_event, Local};

/// List prices in US dollars (AWS, us-east-1, arm64, on-demand), as published in 2025.
mod price {
    pub const LAMBDA_GB_SECOND: f64 = 0.000_013_333_4;
    pub const LAMBDA_REQUEST: f64 = 0.20 / 1e6;
    pub const WRITE_UNIT: f64 = 0.625 / 1e6;
    pub const READ_UNIT: f64 = 0.125 / 1e6;
    pub const EMAIL: f64 = 0.10 / 1e3;
}

/// Memory of every function in the template (`Globals.Function.MemorySize`).
const MEMORY_GB: f64 = 128.0 / 1024.0;
/// Time a function waits for each call to leave and come back, in region; billed as duration.
const DYNAMODB_ROUND_TRIP: Duration = Duration::from_millis(8);
const SES_ROUND_TRIP: Duration = Duration::from_millis(40);
const SNS_ROUND_TRIP: Duration = Duration::from_millis(40);
/// The template's default scheduler rate: every 15 minutes.
const SCHEDULER_RUNS_PER_MONTH: f64 = 30.0 * 24.0 * 4.0;

/// What a piece of work used, measured.
#[derive(Default)]
struct Usage {
    invocations: f64,
    cpu: Duration,
    requests: usize,
    capacity: Capacity,
    emails: usize,
    texts: usize,
}

impl Usage {
    fn billed_seconds(&self) -> f64 {
        let waiting = DYNAMODB_ROUND_TRIP * self.requests as u32
            + SES_ROUND_TRIP * self.emails as u32
            + SNS_ROUND_TRIP * self.texts as u32;
        (self.cpu + waiting).as_secs_f64()
    }

    /// Lambda, DynamoDB and SES in dollars; text messages are priced by destination country, so apart.
    fn cost(&self) -> (f64, f64, f64) {
        let lambda =
            self.invocations * price::LAMBDA_REQUEST + self.billed_seconds() * MEMORY_GB * price::LAMBDA_GB_SECOND;
        let dynamodb = self.capacity.read * price::READ_UNIT + self.capacity.write * price::WRITE_UNIT;
        (lambda, dynamodb, self.emails as f64 * price::EMAIL)
    }

    /// This usage repeated so that `per` units of work become `to`.
    fn scaled(&self, per: usize, to: f64) -> Usage {
        let k = to / per as f64;
        Usage {
            invocations: self.invocations * k,
            cpu: self.cpu.mul_f64(k),
            requests: (self.requests as f64 * k).round() as usize,
            capacity: Capacity {
                read: self.capacity.read * k,
                write: self.capacity.write * k,
            },
            emails: (self.emails as f64 * k).round() as usize,
            texts: (self.texts as f64 * k).round() as usize,
        }
    }
}

/// Each workload runs twice on a fresh table: once counting requests and capacity (the test kit's counter
/// reads every request and response again), once with the counter paused for the CPU figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Count,
    Cpu,
}

async fn measured<T, F: std::future::Future<Output = T>>(local: &Local, pass: Pass, work: F) -> (T, Usage) {
    local.counter.reset();
    if pass == Pass::Cpu {
        local.counter.pause();
    }
    let start = measure::cpu_time();
    let out = work.await;
    let cpu = measure::cpu_time() - start;
    if pass == Pass::Cpu {
        local.counter.resume();
        return (
            out,
            Usage {
                cpu,
                ..Usage::default()
            },
        );
    }
    let (capacity, unreported) = local.counter.capacity();
    // A cancelled transaction reports no capacity: the units would be short.
    assert_eq!(unreported, 0, "every request reports its capacity");
    let usage = Usage {
        cpu,
        requests: local.counter.count(),
        capacity,
        ..Usage::default()
    };
    (out, usage)
}

/// `n` webhooks: a third new contacts, a third new invoices, a third payments on them, each a fresh
/// delivery to a warm ingest function.
async fn webhooks(n: usize, pass: Pass) -> Usage {
    let local = Local::measuring_capacity("cost-model").await;
    let t = "2026-11-16T09:00:00Z";
    // Later than the invoices' own balance: a payment at the same instant would need a second write.
    let paid = "2026-11-16T10:00:00Z";
    let third = n / 3;
    let mut events = Vec::new();
    for k in 0..third {
        let debtor = format!("cus-{k}");
        let contact = facts::contact(&debtor, &format!("ap{k}@cost.example"), None, t);
        events.push((format!("c-{k}"), contact));
    }
    for k in 0..third {
        let invoice = facts::invoice(
            &format!("inv-{k}"),
            &format!("cus-{k}"),
            "1250.00",
            "1250.00",
            "2026-12-01",
            "open",
            t,
        );
        events.push((format!("i-{k}"), invoice));
    }
    for k in 0..third {
        let payment = facts::payment(&format!("p-{k}"), &format!("inv-{k}"), "250.00", "1000.00", paid);
        events.push((format!("p-{k}"), payment));
    }
    let when = at(paid);
    let requests: Vec<_> = events
        .iter()
        .map(|(id, body)| {
            let event = webhook_event::signed_delivery(
                webhook_event::DEMO_CONNECTION,
                webhook_event::DEMO_SECRET,
                id,
                when.timestamp(),
                body,
            );
            webhook_event::to_request(&event)
        })
        .collect();
    let count = requests.len();
    // CPU is measured on clients as deployed; requests and units through the counting ones.
    let deployed;
    let ingest = match pass {
        Pass::Cpu => {
            deployed = local.ingest_as_deployed();
            &deployed
        }
        Pass::Count => &local.ingest,
    };
    let ((), mut usage) = measured(&local, pass, async {
        let mut by_status = std::collections::BTreeMap::new();
        for request in requests {
            let response = duly_ingest::handle(ingest, request, when).await;
            *by_status.entry(response.status().as_u16()).or_insert(0) += 1;
        }
        assert_eq!(
            by_status.get(&200),
            Some(&count),
            "every webhook accepted: {by_status:?}"
        );
    })
    .await;
    usage.invocations = count as f64;
    usage
}

/// One scheduler run on a Monday with `n` debtors due a first reminder each; debtors with a mobile number
/// get the text message the creditor's policy asks for as well.
async fn reminders(n: usize, pass: Pass) -> Usage {
    let local = Local::measuring_capacity("cost-model").await;
    measure::fill(&local, n, 0, Some("+37255512345")).await;
    let (summary, mut usage) = measured(&local, pass, async {
        duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
            .await
            .expect("scheduler run")
    })
    .await;
    assert_eq!(summary.sent, n, "every due debtor reminded: {summary:?}");
    let channels = summary.reminders.iter().flat_map(|r| r.channels.iter());
    usage.emails = channels.clone().filter(|c| **c == Channel::Email).count();
    usage.texts = channels.filter(|c| **c == Channel::Sms).count();
    usage.invocations = 1.0;
    usage
}

/// One scheduler run with nothing due, as most runs are.
async fn idle_run(pass: Pass) -> Usage {
    let local = Local::measuring_capacity("cost-model").await;
    let (_, mut usage) = measured(&local, pass, async {
        duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
            .await
            .expect("scheduler run")
    })
    .await;
    usage.invocations = 1.0;
    usage
}

fn dollars(x: f64) -> String {
    if x >= 0.01 {
        format!("${x:.2}")
    } else {
        format!("${x:.4}")
    }
}

fn row(what: &str, usage: &Usage) {
    let (lambda, dynamodb, ses) = usage.cost();
    let texts = if usage.texts == 0 {
        "none".to_string()
    } else {
        format!("{} × the country's SMS price", usage.texts)
    };
    println!(
        "| {what} | {:.0} ms CPU, {:.1} s billed | {} requests, {:.0} RRU, {:.0} WRU | {} | {} | {} | {} | {} |",
        usage.cpu.as_secs_f64() * 1e3,
        usage.billed_seconds(),
        usage.requests,
        usage.capacity.read,
        usage.capacity.write,
        dollars(lambda),
        dollars(dynamodb),
        dollars(ses),
        dollars(lambda + dynamodb + ses),
        texts,
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    // `cost-model --webhooks N`: the webhooks' CPU pass alone, for a profiler or to compare two builds.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, n] = args.as_slice() {
        anyhow::ensure!(flag == "--webhooks", "usage: cost-model [--webhooks N]");
        let n: usize = n.parse()?;
        anyhow::ensure!(n >= 3, "at least 3 webhooks: a contact, an invoice and a payment");
        let hooks = webhooks(n, Pass::Cpu).await;
        println!(
            "one webhook {:.1} µs CPU ({} webhooks)",
            hooks.cpu.as_secs_f64() * 1e6 / hooks.invocations,
            hooks.invocations
        );
        return Ok(());
    }
    // The CPU of the pass without the counter; everything else of the pass with it.
    let both = |counted: Usage, timed: Usage| Usage {
        cpu: timed.cpu,
        ..counted
    };
    let hooks = both(webhooks(900, Pass::Count).await, webhooks(900, Pass::Cpu).await);
    let sent = both(reminders(1_000, Pass::Count).await, reminders(1_000, Pass::Cpu).await);
    let idle = both(idle_run(Pass::Count).await, idle_run(Pass::Cpu).await);
    println!(
        "Measured: one webhook {:.2} ms CPU, {:.2} DynamoDB requests, {:.2} RRU, {:.2} WRU; one reminder {:.2} ms CPU, \
         {:.2} requests, {:.2} RRU, {:.2} WRU; an idle scheduler run {:.2} ms CPU, {} requests.",
        hooks.cpu.as_secs_f64() * 1e3 / 900.0,
        hooks.requests as f64 / 900.0,
        hooks.capacity.read / 900.0,
        hooks.capacity.write / 900.0,
        sent.cpu.as_secs_f64() * 1e3 / 1000.0,
        sent.requests as f64 / 1000.0,
        sent.capacity.read / 1000.0,
        sent.capacity.write / 1000.0,
        idle.cpu.as_secs_f64() * 1e3,
        idle.requests,
    );
    println!();
    println!("| work | Lambda | DynamoDB | Lambda cost | DynamoDB cost | SES cost | total | SMS |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    row("1,000 reminders (one scheduler run)", &sent);
    row(
        "a million webhooks (contacts, invoices, payments)",
        &hooks.scaled(900, 1e6),
    );
    row(
        "an idle month (scheduler every 15 minutes, nothing due)",
        &idle.scaled(1, SCHEDULER_RUNS_PER_MONTH),
    );
    Ok(())
}
