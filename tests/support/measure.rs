//! What the measurement commands share: a table filled with many open invoices, and the process's CPU time.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};

use duly_adapters::store::keys;
use duly_core::model::ids::{CreditorId, InvoiceId};

use crate::fixtures::facts;
use crate::{at, Local};

/// User and system CPU time this process has used so far. The endpoints run in other processes, so a
/// difference of two readings is Duly's own work: handlers, SDK serialisation, signing and HTTP.
pub fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage only writes the struct it is given, and RUSAGE_SELF is always valid.
    // getrusage is the only way to read the process's own CPU time.
    #[allow(unsafe_code)]
    let usage = unsafe {
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()), 0, "getrusage");
        usage.assume_init()
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// When every filled invoice that is due falls due, and when the others do.
pub const DUE_AT: &str = "2026-11-20T07:00:00.000000Z";
const NOT_DUE_AT: &str = "2027-06-01T07:00:00.000000Z";

/// Fills `local`'s table with `due` debtors of the demo creditor (with `phone`, when given), each with one
/// open invoice due at [`DUE_AT`], and `not_due` open invoices of other debtors due next year. The items are copies of what
/// the ingest function stored for one delivered contact and invoice (which count among the due), written
/// 25 at a time (batch writes are the quickest way to fill a table locally).
pub async fn fill(local: &Local, due: usize, not_due: usize, phone: Option<&str>) {
    fill_spread(local, due, not_due, phone, 1).await;
}

/// As [`fill`], the filled invoices and debtors spread evenly over `creditors` creditors: the demo
/// creditor and `nordwind-1`, `nordwind-2`… (their invoices only: enough for the due index, not for a
/// worker).
pub async fn fill_spread(local: &Local, due: usize, not_due: usize, phone: Option<&str>, creditors: usize) {
    let t = "2026-11-16T09:00:00Z";
    local
        .deliver(
            "fill-c",
            &facts::contact("template", "ap@counts.example", phone, t),
            at(t),
        )
        .await;
    local
        .deliver(
            "fill-i",
            &facts::invoice("template", "template", "100.00", "100.00", "2026-11-20", "open", t),
            at(t),
        )
        .await;
    let invoice = stored(local, "C#nordwind#I#template", "INVOICE").await;
    let debtor = stored(local, "C#nordwind#D#template", "DEBTOR").await;
    let s = |v: String| AttributeValue::S(v);
    let mut items = Vec::new();
    for n in 1..due + not_due {
        let id = format!("inv-{n}");
        let debtor_id = format!("d-{n}");
        let c = match n % creditors.max(1) {
            0 => "nordwind".to_string(),
            k => format!("nordwind-{k}"),
        };
        let creditor = CreditorId::parse(c.clone()).expect("creditor id");
        let mut item = invoice.clone();
        item.insert("pk".into(), s(format!("C#{c}#I#{id}")));
        item.insert("creditor_id".into(), s(c.clone()));
        item.insert("invoice_id".into(), s(id.clone()));
        item.insert("debtor_id".into(), s(debtor_id.clone()));
        item.insert("number".into(), s(format!("INV-{n}")));
        let shard = keys::due_shard(&creditor, &InvoiceId::parse(id).expect("invoice id"));
        item.insert("due_shard".into(), s(shard));
        item.insert("debtor_key".into(), s(format!("C#{c}#D#{debtor_id}")));
        let next = if n < due { DUE_AT } else { NOT_DUE_AT };
        item.insert("next_action_at".into(), s(next.into()));
        items.push(item);
        if n < due {
            let mut d = debtor.clone();
            d.insert("pk".into(), s(format!("C#{c}#D#{debtor_id}")));
            d.insert("creditor_id".into(), s(c));
            d.insert("debtor_id".into(), s(debtor_id));
            items.push(d);
        }
    }
    for chunk in items.chunks(25) {
        let requests: Vec<WriteRequest> = chunk
            .iter()
            .map(|item| {
                let put = PutRequest::builder().set_item(Some(item.clone())).build();
                WriteRequest::builder().put_request(put.expect("an item")).build()
            })
            .collect();
        let mut pending = HashMap::from([(local.store.table().to_string(), requests)]);
        while !pending.is_empty() {
            let out = local
                .store
                .client()
                .batch_write_item()
                .set_request_items(Some(pending))
                .send()
                .await
                .expect("batch write");
            pending = out.unprocessed_items().cloned().unwrap_or_default();
            pending.retain(|_, requests| !requests.is_empty());
        }
    }
}

async fn stored(local: &Local, pk: &str, sk: &str) -> HashMap<String, AttributeValue> {
    local
        .store
        .client()
        .get_item()
        .table_name(local.store.table())
        .key("pk", AttributeValue::S(pk.into()))
        .key("sk", AttributeValue::S(sk.into()))
        .send()
        .await
        .expect("get item")
        .item()
        .cloned()
        .expect("the item exists")
}
