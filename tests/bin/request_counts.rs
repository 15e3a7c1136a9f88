//! DynamoDB requests and the capacity they consume, per operation, counted on the wire by an SDK
//! interceptor: a webhook of each kind, an idle scheduler run, one reminder, and a run with 1,000 due
//! invoices in tables holding 10,000 and 200,000 open invoices (the count must not grow with the others).
//!
//! `make request-counts` serves DynamoDB from dynoxide, an emulator that reports consumed capacity as
//! DynamoDB does and indexes its queries (moto reports a constant and scans whole tables per query). Against
//! moto alone (`.ci/with-local-aws cargo run -p duly-local --bin request-counts -- 2000`) the request counts
//! are the same and the units are moto's placeholders.
//!
//! Arguments: the table sizes for the 1,000-due run (default 10000 200000).

use std::collections::BTreeMap;

use duly_local::fixtures::facts;
use duly_local::request_counter::Capacity;
use duly_local::{at, measure, Local};

struct Row {
    requests: String,
    capacity: Capacity,
    unreported: usize,
}

fn tally(operations: Vec<String>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for op in operations {
        *counts.entry(op).or_default() += 1;
    }
    let total: usize = counts.values().sum();
    let parts: Vec<String> = counts.iter().map(|(op, n)| format!("{n} {op}")).collect();
    format!("{total} ({})", parts.join(", "))
}

async fn counted<F: std::future::Future>(local: &Local, work: F) -> Row {
    local.counter.reset();
    work.await;
    let (capacity, unreported) = local.counter.capacity();
    Row {
        requests: tally(local.counter.operations()),
        capacity,
        unreported,
    }
}

fn units(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    }
}

fn print(operation: &str, row: Row) {
    // A cancelled transaction (a duplicate) answers with an error that reports no capacity, so its units
    // are not measured here.
    let note = match row.unreported {
        0 => String::new(),
        n => format!(" ({n} not reported)"),
    };
    println!(
        "| {operation} | {} | {} | {}{note} |",
        row.requests,
        units(row.capacity.read),
        units(row.capacity.write)
    );
}

/// One scheduler run on a Sunday over a table of `total` open invoices of which `due` are due: every due
/// message waits for Monday, so the run reads and reschedules each of them.
async fn due_run(due: usize, total: usize) -> Row {
    let local = Local::measuring_capacity("request-counts").await;
    measure::fill(&local, due, total - due, None).await;
    counted(&local, async {
        let summary = duly_scheduler::handle(&local.scheduler, at("2026-11-29T07:15:00Z"))
            .await
            .expect("scheduler run");
        assert_eq!(summary.rescheduled, due, "{summary:?}");
    })
    .await
}

/// A worker's batch of `n` due customers on a Sunday: each waits for Monday, so the worker reads and
/// reschedules them. The batch is what the dispatcher would put on the queue for them.
async fn worker_batch(n: usize) -> Row {
    let local = Local::measuring_capacity("request-counts").await;
    measure::fill(&local, n, 0, None).await;
    let now = at("2026-11-29T07:15:00Z");
    let mut debtors: BTreeMap<_, Vec<_>> = BTreeMap::new();
    let mut creditor = None;
    for shard in 0..duly_adapters::store::DUE_SHARDS {
        for entry in local.store.due_entries(shard, now).await.expect("due entries").invoices {
            creditor = Some(entry.creditor_id.clone());
            debtors.entry(entry.debtor_id).or_default().push(entry.invoice_id);
        }
    }
    let batch = duly_app::scheduler::Batch {
        creditor: creditor.expect("a due creditor"),
        debtors: debtors.into_iter().collect(),
    };
    let body = serde_json::to_string(&batch).expect("a batch serialises");
    counted(&local, async {
        let summary = duly_scheduler::work_message(&local.scheduler, &body, now)
            .await
            .expect("a batch");
        assert_eq!(summary.rescheduled, n, "{summary:?}");
    })
    .await
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut sizes: Vec<usize> = std::env::args().skip(1).map(|a| a.parse()).collect::<Result<_, _>>()?;
    if sizes.is_empty() {
        sizes = vec![10_000, 200_000];
    }
    let local = Local::measuring_capacity("request-counts").await;
    let t = "2026-11-16T09:00:00Z";
    println!("| operation | DynamoDB requests | read units | write units |");
    println!("| --- | --- | --- | --- |");
    let contact = facts::contact("cus-1", "ap@counts.example", None, t);
    print(
        "contact webhook",
        counted(&local, local.deliver("c1", &contact, at(t))).await,
    );
    let invoice = facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", t);
    print(
        "invoice webhook",
        counted(&local, local.deliver("i1", &invoice, at(t))).await,
    );
    let payment = facts::payment("p1", "1001", "250.00", "1000.00", "2026-11-20T10:00:00Z");
    let paid_at = at("2026-11-20T10:00:00Z");
    print(
        "payment webhook",
        counted(&local, local.deliver("p1", &payment, paid_at)).await,
    );
    print(
        "the same webhook again (duplicate)",
        counted(&local, local.deliver("p1", &payment, paid_at)).await,
    );
    let replan = duly_scheduler::handle(&local.scheduler, at("2026-11-21T07:15:00Z"));
    print("scheduler run, one invoice to plan", counted(&local, replan).await);
    let idle = duly_scheduler::handle(&local.scheduler, at("2026-11-21T07:30:00Z"));
    print("scheduler run, nothing due", counted(&local, idle).await);
    let send = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"));
    print("scheduler run, one e-mail reminder", counted(&local, send).await);

    print(
        "worker, a batch of 25 due customers (waiting for Monday)",
        worker_batch(duly_app::scheduler::DEBTORS_PER_BATCH).await,
    );
    for total in sizes {
        print(
            &format!("scheduler run, 1,000 due (waiting for Monday) among {total} open invoices"),
            due_run(1_000, total).await,
        );
    }
    Ok(())
}
