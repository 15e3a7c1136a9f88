//! Pay-per-use billing's two jobs: counting webhooks from the table's stream into creditors' usage, and
//! sending each creditor's new usage to the billing system every hour.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use aws_lambda_events::event::dynamodb::{Event as StreamEvent, EventRecord as StreamRecord};
use duly_adapters::metering::{MeterEvent, MeteringError, Recorded, UsageSink};
use duly_adapters::store::{image_number, image_text, invoice_from_image, Store, StoreError};
use duly_core::billing::export::{event_name, identifier, new_usage};
use duly_core::model::billing_month;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::PaidLate;
use duly_core::report::keys;
use serde_dynamo::Item;

/// The audit event of a dispute the creditor resolved.
pub use duly_core::audit::events::DISPUTE_RESOLVED;

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Report(#[from] crate::settings::SettingsError),
    #[error(transparent)]
    Metering(#[from] MeteringError),
    #[error("the batch does not read as DynamoDB stream records: {0}")]
    Event(serde_json::Error),
}

/// What one stream batch added.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Counted {
    pub webhooks: i64,
    /// Creditor-months counted; none when the batch was counted before.
    pub creditors: usize,
}

/// The creditor a webhook-id item's key names (`C#{creditor}#W#{connection}#{id}`).
fn creditor_of_webhook(pk: &str) -> Option<CreditorId> {
    let rest = pk.strip_prefix("C#")?;
    let (creditor, _) = rest.split_once("#W#")?;
    CreditorId::parse(creditor.to_string()).ok()
}

/// The creditor and month a usage item's key names (`C#{creditor}`, `USAGE#{yyyy-mm}`).
fn creditor_month_of_usage(pk: &str, sk: &str) -> Option<(CreditorId, String)> {
    let creditor = pk.strip_prefix("C#").filter(|c| !c.contains('#'))?;
    let month = sk.strip_prefix("USAGE#")?;
    Some((CreditorId::parse(creditor.to_string()).ok()?, month.to_string()))
}

/// Counts the stream batch's new webhook deliveries into their creditors' usage and what new audit entries,
/// answers and payments add to their report's day counters, and puts creditors whose month's usage began
/// on that month's roster. Records of other items are passed over (the event source mapping's filter
/// should keep them out). The batch is named by its records' ids, so the same batch handed over again
/// counts nothing.
pub async fn count_stream(store: &Store, event: &StreamEvent, now: DateTime<Utc>) -> Result<Counted, BillingError> {
    let mut webhooks: BTreeMap<(CreditorId, String), i64> = BTreeMap::new();
    let mut days: BTreeMap<(CreditorId, String), BTreeMap<String, i64>> = BTreeMap::new();
    let mut started: BTreeMap<String, BTreeSet<CreditorId>> = BTreeMap::new();
    let mut payments: Vec<(CreditorId, NaiveDate, Paid)> = Vec::new();
    let mut paid_late: Vec<(CreditorId, DebtorId, PaidLate)> = Vec::new();
    let mut thanks: Vec<duly_core::ledger::Invoice> = Vec::new();
    let mut ids = Sha256::new();
    for record in &event.records {
        ids.update(record.event_id.as_bytes());
        if image_text(&record.change.keys, "sk") == Some(INVOICE_SK) {
            count_invoice_change(record, &mut days, &mut paid_late, &mut thanks);
            continue;
        }
        if record.event_name != "INSERT" {
            continue;
        }
        let image = &record.change.new_image;
        let (Some(pk), Some(sk)) = (image_text(image, "pk"), image_text(image, "sk")) else {
            continue;
        };
        if sk == "WEBHOOK" {
            let Some(creditor) = creditor_of_webhook(pk) else {
                continue;
            };
            let Some(received) = image_text(image, "received_at").and_then(|t| t.parse::<DateTime<Utc>>().ok()) else {
                continue;
            };
            *webhooks.entry((creditor, billing_month(received))).or_default() += 1;
        } else if let Some((creditor, month)) = creditor_month_of_usage(pk, sk) {
            started.entry(month).or_default().insert(creditor);
        } else if let Some((creditor, day, tallies)) = report_tallies(pk, sk, image) {
            if sk.starts_with("PAY#") {
                if let Some(paid) = payment_of(pk, image) {
                    payments.push((creditor.clone(), day, paid));
                }
            }
            let counts = days.entry((creditor, keys::day_item(day))).or_default();
            for (key, n) in tallies {
                *counts.entry(key).or_default() += n;
            }
        }
    }
    // Whether a payment came within a week of the invoice's last reminder, and whether it kept a promise:
    // one read of the invoice per payment, here rather than on the webhook's path.
    for (creditor, day, paid) in payments {
        let at = paid.at;
        let Some(invoice) = store.get_invoice(&creditor, &paid.invoice).await? else {
            continue;
        };
        let counts = days.entry((creditor.clone(), keys::day_item(day))).or_default();
        let last = invoice.progress.last_sent_at;
        if last.is_some_and(|sent| sent <= at && at - sent <= chrono::Duration::days(PAID_AFTER_REMINDER_DAYS)) {
            *counts
                .entry(duly_core::report::keys::PAID_AFTER_REMINDER.to_string())
                .or_default() += 1;
            *counts
                .entry(duly_core::report::keys::paid_after_reminder(&paid.currency))
                .or_default() += paid.minor;
        }
        // A payment by the promised date keeps the promise (the grace is for reminders, not for this).
        if invoice
            .controls
            .promise
            .as_ref()
            .is_some_and(|p| at.date_naive() <= p.date)
        {
            *counts
                .entry(duly_core::report::keys::PROMISES_KEPT.to_string())
                .or_default() += 1;
        }
    }
    let batch = duly_core::text::hex(&ids.finalize()[..16]);
    let counted = match webhooks.is_empty() && days.is_empty() {
        true => 0,
        false => store.count_usage(&webhooks, &days, &batch, now).await?,
    };
    for (month, creditors) in &started {
        store.put_on_roster(month, creditors).await?;
    }
    for (creditor, debtor, paid) in paid_late {
        remember_paid_late(store, &creditor, &debtor, paid).await?;
    }
    put_up_for_thanks(store, &thanks, now).await?;
    Ok(Counted {
        webhooks: if counted > 0 { webhooks.values().sum() } else { 0 },
        creditors: counted,
    })
}

/// Invoices paid in full after a reminder go back on the due index, where their creditor thanks debtors:
/// the scheduler decides whether the debtor is thanked. One read of each creditor's settings per batch.
async fn put_up_for_thanks(
    store: &Store,
    paid: &[duly_core::ledger::Invoice],
    now: DateTime<Utc>,
) -> Result<(), BillingError> {
    let mut thanking: BTreeMap<CreditorId, bool> = BTreeMap::new();
    for invoice in paid {
        let on = match thanking.get(&invoice.creditor_id) {
            Some(on) => *on,
            None => {
                let c = store.get_creditor(&invoice.creditor_id).await?;
                let on = c.is_some_and(|c| c.policy.thank_you);
                thanking.insert(invoice.creditor_id.clone(), on);
                on
            }
        };
        // Credited rather than paid, changed since (reopened), or queued already: no thank-you from here.
        if on && !store.put_up_for_thanks(invoice, now).await? {
            tracing::info!("a closed invoice was credited or changed; no thank-you queued");
        }
    }
    Ok(())
}

/// A payment counts as brought in by a reminder when it came this many days after one, or fewer.
pub const PAID_AFTER_REMINDER_DAYS: i64 = 7;

/// The invoice a payment item is under, and when it was paid.
/// A payment as its stream image tells it: the invoice, when, and how much in which currency.
struct Paid {
    invoice: InvoiceId,
    at: DateTime<Utc>,
    currency: String,
    minor: i64,
}

fn payment_of(pk: &str, image: &Item) -> Option<Paid> {
    let (_, invoice) = pk.strip_prefix("C#")?.split_once("#I#")?;
    Some(Paid {
        invoice: InvoiceId::parse(invoice.to_string()).ok()?,
        at: image_text(image, "at")?.parse().ok()?,
        currency: image_text(image, "currency")?.to_string(),
        minor: image_number(image, "amount_minor")?.parse().ok()?,
    })
}

/// A creditor, a day and what to add to that day's report counters.
type DayTallies = (CreditorId, NaiveDate, Vec<(String, i64)>);

/// The sort key of the invoice item, whose changes move receivables and sales.
const INVOICE_SK: &str = "INVOICE";

/// Puts an invoice paid on its debtor's record of how late they pay (for the unlikely-to-pay score). A
/// debtor not stored (their contact never came) keeps no record.
async fn remember_paid_late(
    store: &Store,
    creditor: &CreditorId,
    debtor: &DebtorId,
    paid: PaidLate,
) -> Result<(), BillingError> {
    for _ in 0..duly_adapters::store::CHANGE_ATTEMPTS {
        let Some(d) = store.get_debtor(creditor, debtor).await? else {
            return Ok(());
        };
        let record = duly_core::risk::history::remember(&d.paid_late, paid.clone());
        if record == d.paid_late || store.set_paid_late(creditor, debtor, &d.paid_late, &record).await? {
            return Ok(());
        }
    }
    // Changed under us every time: the next payment of theirs adds to the record again.
    tracing::warn!(creditor = %creditor, "a debtor's payment record kept changing; left as it was");
    Ok(())
}

/// What a change to an invoice item adds to its creditor's counters: on its day, and (for what DSO
/// needs) on that day's week and month; and an invoice it closed by payment, for its debtor's record.
fn count_invoice_change(
    record: &StreamRecord,
    counters: &mut BTreeMap<(CreditorId, String), BTreeMap<String, i64>>,
    paid_late: &mut Vec<(CreditorId, DebtorId, PaidLate)>,
    thanks: &mut Vec<duly_core::ledger::Invoice>,
) {
    use duly_core::report::dso::{invoice_change, summed_per_period};
    use duly_core::report::Period;
    let before = invoice_from_image(&record.change.old_image);
    let after = invoice_from_image(&record.change.new_image);
    let Some(creditor) = after.as_ref().or(before.as_ref()).map(|i| i.creditor_id.clone()) else {
        return;
    };
    if let Some((debtor, paid)) = duly_core::risk::history::closed_paid(before.as_ref(), after.as_ref()) {
        paid_late.push((creditor.clone(), debtor, paid));
        if let Some(paid) = after.as_ref().filter(|a| duly_core::planner::thanks::awaits_thanks(a)) {
            thanks.push(paid.clone());
        }
    }
    for (day, key, n) in invoice_change(before.as_ref(), after.as_ref()) {
        let mut items = vec![keys::day_item(day)];
        if summed_per_period(&key) {
            items.extend([Period::Week, Period::Month].map(|p| keys::period_item(p, p.span(day).0)));
        }
        for item in items {
            *counters
                .entry((creditor.clone(), item))
                .or_default()
                .entry(key.clone())
                .or_default() += n;
        }
    }
}

/// What an item new to the table adds to its creditor's report, on its day: a message's audit entry (per
/// step and channel, or a bounce), a debtor's answer, a payment.
fn report_tallies(pk: &str, sk: &str, image: &Item) -> Option<DayTallies> {
    let text = |name: &str| image_text(image, name);
    let rest = pk.strip_prefix("C#")?;
    if let (Some(creditor), Some(_)) = (rest.strip_suffix("#AUDIT"), sk.strip_prefix("E#")) {
        let entry: duly_core::audit::Entry = serde_json::from_str(text("entry")?).ok()?;
        let tallies = match entry.event.as_str() {
            "message.sent" => entry
                .detail
                .split_whitespace()
                .skip(1)
                .filter_map(|key| key.rsplit('/').next())
                .flat_map(|step| entry.channels.iter().map(move |c| (keys::sent(step, c), 1)))
                .collect(),
            "message.delivery" if matches!(entry.detail.as_str(), "bounce" | "complaint") => {
                vec![(keys::BOUNCED.to_string(), 1)]
            }
            DISPUTE_RESOLVED => vec![(keys::DISPUTES_RESOLVED.to_string(), 1)],
            _ => return None,
        };
        let creditor = CreditorId::parse(creditor.to_string()).ok()?;
        return Some((creditor, entry.at.date_naive(), tallies));
    }
    if let Some(answer) = sk.strip_prefix("ANSWER#") {
        let creditor = CreditorId::parse(rest.to_string()).ok()?;
        let day = answer.get(..10)?.parse().ok()?;
        return Some((creditor, day, vec![(keys::answer(text("action")?), 1)]));
    }
    if sk.starts_with("PAY#") {
        let (creditor, _) = rest.split_once("#I#")?;
        let at = payment_of(pk, image)?.at;
        let amount: i64 = image_number(image, "amount_minor")?.parse().ok()?;
        let creditor = CreditorId::parse(creditor.to_string()).ok()?;
        return Some((
            creditor,
            at.date_naive(),
            vec![(keys::PAYMENTS.to_string(), 1), (keys::paid(text("currency")?), amount)],
        ));
    }
    None
}

/// What one export run did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    /// Meter events the billing system took.
    pub events: usize,
    /// Meter events it had already (a run that died after sending them, sent again).
    pub duplicates: usize,
    /// Creditors whose export failed this time; their usage waits for the next run.
    pub failed: usize,
}

/// Sends every creditor's usage that is new since their last report. The month's roster names who to
/// look at; in a month's first two days last month is looked at too, for what came in its last hour.
pub async fn export<S: UsageSink>(store: &Store, sink: &S, now: DateTime<Utc>) -> Result<Exported, BillingError> {
    let mut months = vec![billing_month(now)];
    if now.day() <= 2 {
        months.push(billing_month(now.checked_sub_months(Months::new(1)).unwrap_or(now)));
    }
    let mut report = Exported::default();
    for month in &months {
        for creditor in store.roster(month).await? {
            match export_one(store, sink, &creditor, month, now, &mut report).await {
                Ok(()) => {}
                Err(e) => {
                    // One creditor's failure does not hold up the others; theirs waits for the next run.
                    tracing::warn!(error = %e, "a creditor's usage could not be exported this hour");
                    report.failed += 1;
                }
            }
        }
    }
    Ok(report)
}

async fn export_one<S: UsageSink>(
    store: &Store,
    sink: &S,
    creditor: &CreditorId,
    month: &str,
    now: DateTime<Utc>,
    report: &mut Exported,
) -> Result<(), BillingError> {
    let (counts, reported, pending) = store.export_state(creditor, month).await?;
    let pending = match pending {
        // Written down by a run that did not finish: the same amounts, with the same identifiers.
        Some(pending) => pending,
        None => {
            let Some(pending) = new_usage(&counts, &reported, now) else {
                return Ok(());
            };
            if !store.set_pending(creditor, month, &pending).await? {
                return Ok(());
            }
            pending
        }
    };
    let customer = match store.billing_customer(creditor).await? {
        Some(customer) => customer,
        None => {
            let customer = sink.customer_for(creditor.as_str()).await?;
            store.put_billing_customer(creditor, &customer).await?;
            customer
        }
    };
    for (meter, amount) in &pending.amounts {
        let name = event_name(*meter);
        let id = identifier(creditor.as_str(), *meter, &pending.hour);
        let event = MeterEvent {
            event_name: &name,
            customer: &customer,
            value: *amount,
            identifier: &id,
            timestamp: pending.timestamp,
        };
        match sink.record(&event).await? {
            Recorded::New => report.events += 1,
            Recorded::Duplicate => report.duplicates += 1,
        }
    }
    store.finish_pending(creditor, month, &pending).await?;
    Ok(())
}
