//! DynamoDB requests per operation, counted on the wire by an SDK interceptor against the local endpoint:
//! a webhook of each kind, an idle scheduler run, one reminder, and a run with 1,000 due invoices in a table
//! that also holds many more open invoices that are not due (the count must not grow with them).
//!
//! `VENV=.venv .ci/with-local-aws cargo run -p duly-local --bin request-counts -- [not-due…]` (or `make bench`).

use std::collections::{BTreeMap, HashMap};

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use duly::ids::{CreditorId, InvoiceId};
use duly::store::keys;
use duly_local::fixtures::facts;
use duly_local::{at, Local};

fn tally(operations: Vec<String>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for op in operations {
        *counts.entry(op).or_default() += 1;
    }
    let total: usize = counts.values().sum();
    let parts: Vec<String> = counts.iter().map(|(op, n)| format!("{n} {op}")).collect();
    format!("{total} ({})", parts.join(", "))
}

async fn counted<F: std::future::Future>(local: &Local, work: F) -> String {
    local.counter.reset();
    work.await;
    tally(local.counter.operations())
}

/// Copies of a stored item under other ids, written 25 at a time (the endpoint's transactions copy the
/// whole table, so a large table is filled without them).
async fn clone_items(local: &Local, items: Vec<HashMap<String, AttributeValue>>) {
    for chunk in items.chunks(25) {
        let requests: Vec<WriteRequest> = chunk
            .iter()
            .map(|item| {
                WriteRequest::builder()
                    .put_request(PutRequest::builder().set_item(Some(item.clone())).build().unwrap())
                    .build()
            })
            .collect();
        local
            .store
            .client()
            .batch_write_item()
            .request_items(local.store.table(), requests)
            .send()
            .await
            .expect("batch write");
    }
}

async fn raw(local: &Local, pk: String, sk: &str) -> HashMap<String, AttributeValue> {
    local
        .store
        .client()
        .get_item()
        .table_name(local.store.table())
        .key("pk", AttributeValue::S(pk))
        .key("sk", AttributeValue::S(sk.into()))
        .send()
        .await
        .unwrap()
        .item()
        .cloned()
        .expect("the item exists")
}

/// A table with `due` debtors whose invoice is due now and `not_due` open invoices of other debtors due
/// next year; then one scheduler run on a Sunday, when every due message waits for Monday.
async fn due_run(due: usize, not_due: usize) -> String {
    let local = Local::new("request-counts").await;
    let t = "2026-11-16T09:00:00Z";
    local
        .deliver("c", &facts::contact("template", "ap@counts.example", None, t), at(t))
        .await;
    local
        .deliver(
            "i",
            &facts::invoice("template", "template", "100.00", "100.00", "2026-11-20", "open", t),
            at(t),
        )
        .await;
    let c = CreditorId::parse("nordwind").unwrap();
    let invoice = raw(&local, "C#nordwind#I#template".to_string(), "INVOICE").await;
    let debtor = raw(&local, "C#nordwind#D#template".to_string(), "DEBTOR").await;
    let s = |v: String| AttributeValue::S(v);
    let mut items = Vec::new();
    for n in 0..due + not_due {
        let id = format!("inv-{n}");
        let debtor_id = format!("d-{n}");
        let mut item = invoice.clone();
        item.insert("pk".into(), s(format!("C#nordwind#I#{id}")));
        item.insert("invoice_id".into(), s(id.clone()));
        item.insert("debtor_id".into(), s(debtor_id.clone()));
        item.insert("number".into(), s(format!("INV-{n}")));
        item.insert(
            "due_shard".into(),
            s(keys::due_shard(&c, &InvoiceId::parse(id).unwrap())),
        );
        item.insert("debtor_key".into(), s(format!("C#nordwind#D#{debtor_id}")));
        let next = if n < due {
            "2026-11-20T07:00:00.000000Z"
        } else {
            "2027-06-01T07:00:00.000000Z"
        };
        item.insert("next_action_at".into(), s(next.into()));
        items.push(item);
        if n < due {
            let mut d = debtor.clone();
            d.insert("pk".into(), s(format!("C#nordwind#D#{debtor_id}")));
            d.insert("debtor_id".into(), s(debtor_id));
            items.push(d);
        }
    }
    clone_items(&local, items).await;
    counted(&local, async {
        let summary = duly_scheduler::handle(&local.scheduler, at("2026-11-29T07:15:00Z"))
            .await
            .expect("scheduler run");
        // The template invoice the copies were made from is due as well.
        assert_eq!(summary.rescheduled, due + 1, "{summary:?}");
    })
    .await
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let local = Local::new("request-counts").await;
    let t = "2026-11-16T09:00:00Z";
    println!("| operation | DynamoDB requests |");
    println!("| --- | --- |");
    let contact = facts::contact("cus-1", "ap@counts.example", None, t);
    println!(
        "| contact webhook | {} |",
        counted(&local, local.deliver("c1", &contact, at(t))).await
    );
    let invoice = facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", t);
    println!(
        "| invoice webhook | {} |",
        counted(&local, local.deliver("i1", &invoice, at(t))).await
    );
    let payment = facts::payment("p1", "1001", "250.00", "1000.00", "2026-11-20T10:00:00Z");
    let paid_at = at("2026-11-20T10:00:00Z");
    println!(
        "| payment webhook | {} |",
        counted(&local, local.deliver("p1", &payment, paid_at)).await
    );
    println!(
        "| the same webhook again (duplicate) | {} |",
        counted(&local, local.deliver("p1", &payment, paid_at)).await
    );
    let replan = duly_scheduler::handle(&local.scheduler, at("2026-11-21T07:15:00Z"));
    println!(
        "| scheduler run, one invoice to plan | {} |",
        counted(&local, replan).await
    );
    let idle = duly_scheduler::handle(&local.scheduler, at("2026-11-21T07:30:00Z"));
    println!("| scheduler run, nothing due | {} |", counted(&local, idle).await);
    let send = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"));
    println!(
        "| scheduler run, one e-mail reminder | {} |",
        counted(&local, send).await
    );

    let mut sizes: Vec<usize> = std::env::args().skip(1).map(|a| a.parse()).collect::<Result<_, _>>()?;
    if sizes.is_empty() {
        sizes = vec![2_000, 20_000];
    }
    for not_due in sizes {
        println!(
            "| scheduler run, 1,000 due (waiting for Monday), {not_due} more open invoices not due | {} |",
            due_run(1_000, not_due).await
        );
    }
    Ok(())
}
