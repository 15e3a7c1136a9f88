//! One scheduler run: read what is due, decide per invoice in pure code, claim, send, record.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::calendar::Calendar;
use crate::ids::CreditorId;
use crate::ledger::Invoice;
use crate::model::{Creditor, Debtor};
use crate::outbound::{Email, Outbound};
use crate::planner::{decide, Decision, Reachability, SendPlan};
use crate::policy::{Channel, Tone};
use crate::render::{render_reminder, ReminderInput, ReminderLine};
use crate::sms::count_segments;
use crate::store::{ClaimOutcome, DueInvoice, SentRecord, Store, StoreError, DUE_SHARDS};

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

/// One reminder this run sent. Ids and wording only: no addresses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SentReminder {
    pub creditor_id: CreditorId,
    pub invoice_number: String,
    pub step_id: String,
    pub tone: Tone,
    pub channels: Vec<Channel>,
    pub subject: String,
    /// Channel and provider error code of each failed channel.
    pub failures: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Due-index entries looked at.
    pub examined: usize,
    pub sent: Vec<SentReminder>,
    pub rescheduled: usize,
    /// Taken off the due index: closed, finished, or switched off.
    pub retired: usize,
    pub skipped_steps: usize,
    /// Lost a race with a payment, another run or a fact: looked at again on a later run.
    pub contended: usize,
    /// Items that failed on their own; the rest of the run went on.
    pub errors: usize,
}

/// The debtor's time zone, else the creditor's.
fn calendar_for(creditor: &Creditor, debtor: Option<&Debtor>) -> Calendar {
    let tz: Tz = debtor.and_then(|d| d.time_zone).unwrap_or(creditor.time_zone);
    Calendar::new(tz, creditor.policy.window)
}

fn reachability(debtor: Option<&Debtor>) -> Reachability {
    Reachability {
        email: debtor.is_some_and(|d| d.email.is_some()),
        sms: debtor.is_some_and(|d| d.phone.is_some()),
    }
}

/// Runs every due-index shard up to `now`.
pub async fn run(store: &Store, outbound: &Outbound, now: DateTime<Utc>) -> Result<RunReport, SchedulerError> {
    let mut report = RunReport::default();
    let mut creditors: HashMap<CreditorId, Option<Creditor>> = HashMap::new();
    for shard in 0..DUE_SHARDS {
        for due in store.due_invoices(shard, now).await? {
            report.examined += 1;
            if let Err(e) = process(store, outbound, &mut creditors, &due, now, &mut report).await {
                tracing::warn!(error = %e, creditor = %due.creditor_id, "due invoice failed; it stays due");
                report.errors += 1;
            }
        }
    }
    Ok(report)
}

async fn process(
    store: &Store,
    outbound: &Outbound,
    creditors: &mut HashMap<CreditorId, Option<Creditor>>,
    due: &DueInvoice,
    now: DateTime<Utc>,
    report: &mut RunReport,
) -> Result<(), StoreError> {
    let Some(invoice) = store.get_invoice(&due.creditor_id, &due.invoice_id).await? else {
        return Ok(());
    };
    if invoice.next_action_at.is_none_or(|t| t > now) {
        // The index lagged behind a change that already moved or removed this entry.
        return Ok(());
    }
    if !creditors.contains_key(&due.creditor_id) {
        let creditor = store.get_creditor(&due.creditor_id).await?;
        creditors.insert(due.creditor_id.clone(), creditor);
    }
    let Some(creditor) = creditors.get(&due.creditor_id).and_then(Option::as_ref) else {
        tracing::warn!(creditor = %due.creditor_id, "invoice of a creditor without settings; taken off the due index");
        store.reschedule(&invoice, None, &[]).await?;
        report.retired += 1;
        return Ok(());
    };
    let debtor = match invoice.doc.as_ref() {
        Some(doc) => store.get_debtor(&due.creditor_id, &doc.debtor_id).await?,
        None => None,
    };
    let calendar = calendar_for(creditor, debtor.as_ref());
    let decision = decide(
        &invoice,
        &creditor.policy,
        &calendar,
        reachability(debtor.as_ref()),
        now,
    );
    match decision {
        Decision::Send(plan) => {
            let debtor = debtor.as_ref().expect("a send plan needs a reachable debtor");
            send(
                store, outbound, creditor, debtor, &invoice, &plan, &calendar, now, report,
            )
            .await
        }
        Decision::WaitUntil(at) => {
            let applied = store.reschedule(&invoice, Some(at), &[]).await?;
            tally(applied, Tally::Rescheduled, report);
            Ok(())
        }
        Decision::Skip { keys, next_action_at } => {
            report.skipped_steps += keys.len();
            let applied = store.reschedule(&invoice, next_action_at, &keys).await?;
            tally(applied, Tally::Rescheduled, report);
            Ok(())
        }
        Decision::Finished | Decision::NotOpen | Decision::Disabled => {
            tracing::info!(reason = decision.reason(), "invoice leaves the due index");
            let applied = store.reschedule(&invoice, None, &[]).await?;
            tally(applied, Tally::Retired, report);
            Ok(())
        }
    }
}

enum Tally {
    Rescheduled,
    Retired,
}

fn tally(applied: bool, kind: Tally, report: &mut RunReport) {
    match (applied, kind) {
        (false, _) => report.contended += 1,
        (true, Tally::Rescheduled) => report.rescheduled += 1,
        (true, Tally::Retired) => report.retired += 1,
    }
}

#[allow(clippy::too_many_arguments)]
async fn send(
    store: &Store,
    outbound: &Outbound,
    creditor: &Creditor,
    debtor: &Debtor,
    invoice: &Invoice,
    plan: &SendPlan,
    calendar: &Calendar,
    now: DateTime<Utc>,
    report: &mut RunReport,
) -> Result<(), StoreError> {
    let doc = invoice.doc.as_ref().expect("only open invoices are sent for");
    let balance = invoice.balance.expect("only open invoices are sent for");
    let today = now.with_timezone(&calendar.time_zone).date_naive();
    let lines = [ReminderLine {
        number: doc.number.clone(),
        amount_due: balance.amount_due,
        due_date: doc.due_date,
        days_overdue: (today - doc.due_date).num_days(),
        pay_url: doc.pay_url.clone(),
    }];
    let message = match render_reminder(&ReminderInput {
        branding: &creditor.branding,
        debtor_name: &debtor.name,
        tone: plan.step.tone,
        lines: &lines,
    }) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "reminder did not render; nothing sent");
            report.errors += 1;
            return Ok(());
        }
    };

    match store.claim(invoice, plan, &message.subject, now).await? {
        ClaimOutcome::Claimed => {}
        ClaimOutcome::AlreadyClaimed | ClaimOutcome::InvoiceChanged => {
            report.contended += 1;
            return Ok(());
        }
    }

    let mut record = SentRecord::default();
    let mut failure_codes = Vec::new();
    for channel in &plan.channels {
        match channel {
            Channel::Email => {
                let to = debtor.email.as_deref().expect("reachability checked the address");
                let email = Email {
                    sender_name: &creditor.branding.sender_name,
                    from_address: &creditor.branding.from_address,
                    reply_to: &creditor.branding.reply_to,
                    to,
                    subject: &message.subject,
                    html: &message.html,
                    text: &message.text,
                };
                match outbound.send_email(&email).await {
                    Ok(id) => record.email_message_id = Some(id),
                    Err(e) => {
                        tracing::warn!(error = %e, step = %plan.step.id, "a channel failed");
                        failure_codes.push(e.to_string());
                        record.failures.push(e.detail);
                    }
                }
            }
            Channel::Sms => {
                let to = debtor.phone.as_deref().expect("reachability checked the number");
                match outbound
                    .send_sms(to, &message.sms, creditor.branding.sms_sender_id.as_deref())
                    .await
                {
                    Ok(id) => {
                        record.sms_message_id = Some(id);
                        record.sms_segments = count_segments(&message.sms).segments;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, step = %plan.step.id, "a channel failed");
                        failure_codes.push(e.to_string());
                        record.failures.push(e.detail);
                    }
                }
            }
        }
    }
    store
        .record_sent(&invoice.creditor_id, &invoice.invoice_id, &plan.key, &record, now)
        .await?;
    report.sent.push(SentReminder {
        creditor_id: invoice.creditor_id.clone(),
        invoice_number: doc.number.clone(),
        step_id: plan.step.id.clone(),
        tone: plan.step.tone,
        channels: plan.channels.clone(),
        subject: message.subject,
        failures: failure_codes,
    });
    Ok(())
}
