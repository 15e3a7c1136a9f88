//! One scheduler run: read what is due, group it by debtor, decide in pure code, claim, send, record.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::calendar::Calendar;
use crate::ids::{CreditorId, DebtorId, InvoiceId};
use crate::ledger::Invoice;
use crate::locale::Language;
use crate::model::{Creditor, Debtor};
use crate::outbound::{Email, Outbound};
use crate::planner::{compose, plan_invoice, Context, DebtorDecision, InvoicePlan, Statement};
use crate::policy::{Channel, Tone};
use crate::render::{render, Kind, MessageInput, ReminderLine};
use crate::sms::count_segments;
use crate::store::{ClaimOutcome, ClaimedInvoice, SentRecord, StatementClaim, Store, StoreError, DUE_SHARDS};

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

/// One message this run sent. Ids and wording only: no addresses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SentReminder {
    pub creditor_id: CreditorId,
    pub debtor_id: DebtorId,
    /// Numbers of the invoices whose steps this message fulfils.
    pub invoice_numbers: Vec<String>,
    pub step_ids: Vec<String>,
    /// How many open invoices the message lists.
    pub lines: usize,
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
    /// Taken off the due index: closed, finished, held, or switched off.
    pub retired: usize,
    pub skipped_steps: usize,
    /// Lost a race with a payment, another run or a fact: looked at again on a later run.
    pub contended: usize,
    /// Debtors that failed on their own; the rest of the run went on.
    pub errors: usize,
}

/// The debtor's time zone and country, else the creditor's.
pub fn calendar_for(creditor: &Creditor, debtor: Option<&Debtor>) -> Calendar {
    let tz: Tz = debtor.and_then(|d| d.time_zone).unwrap_or(creditor.time_zone);
    let country = debtor.and_then(|d| d.country.as_deref()).unwrap_or(&creditor.country);
    Calendar::new(tz, creditor.policy.window).with_country(Some(country))
}

/// Runs every due-index shard up to `now`.
pub async fn run(store: &Store, outbound: &Outbound, now: DateTime<Utc>) -> Result<RunReport, SchedulerError> {
    let mut report = RunReport::default();
    let mut due: BTreeMap<(CreditorId, DebtorId), BTreeSet<InvoiceId>> = BTreeMap::new();
    for shard in 0..DUE_SHARDS {
        for entry in store.due_invoices(shard, now).await? {
            report.examined += 1;
            due.entry((entry.creditor_id, entry.debtor_id))
                .or_default()
                .insert(entry.invoice_id);
        }
    }
    let mut creditors: HashMap<CreditorId, Option<Creditor>> = HashMap::new();
    for ((creditor_id, debtor_id), invoice_ids) in due {
        if !creditors.contains_key(&creditor_id) {
            let creditor = store.get_creditor(&creditor_id).await?;
            creditors.insert(creditor_id.clone(), creditor);
        }
        let creditor = creditors.get(&creditor_id).and_then(Option::as_ref);
        let outcome = process_debtor(
            store,
            outbound,
            creditor,
            &creditor_id,
            &debtor_id,
            &invoice_ids,
            now,
            &mut report,
        );
        if let Err(e) = outcome.await {
            tracing::warn!(error = %e, creditor = %creditor_id, "a debtor's reminders failed; they stay due");
            report.errors += 1;
        }
    }
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
async fn process_debtor(
    store: &Store,
    outbound: &Outbound,
    creditor: Option<&Creditor>,
    creditor_id: &CreditorId,
    debtor_id: &DebtorId,
    due_ids: &BTreeSet<InvoiceId>,
    now: DateTime<Utc>,
    report: &mut RunReport,
) -> Result<(), StoreError> {
    // Consistent reads of everything the decision depends on: the index entries are only a hint.
    let mut ids: BTreeSet<InvoiceId> = due_ids.clone();
    ids.extend(
        store
            .open_invoices_of(creditor_id, debtor_id)
            .await?
            .into_iter()
            .map(|i| i.invoice_id),
    );
    let invoices = store
        .get_invoices(creditor_id, &ids.into_iter().collect::<Vec<_>>())
        .await?;
    let indexed: Vec<&Invoice> = invoices
        .iter()
        .filter(|i| due_ids.contains(&i.invoice_id) && i.next_action_at.is_some_and(|t| t <= now))
        .collect();

    let Some(creditor) = creditor else {
        tracing::warn!(creditor = %creditor_id, "invoices of a creditor without settings leave the due index");
        for inv in indexed {
            tally(store.reschedule(inv, None, &[]).await?, None, report);
        }
        return Ok(());
    };
    let debtor = store.get_debtor(creditor_id, debtor_id).await?;
    let calendar = calendar_for(creditor, debtor.as_ref());
    let ctx = Context {
        creditor,
        debtor: debtor.as_ref(),
        calendar: &calendar,
    };
    let plans: Vec<(usize, InvoicePlan)> = invoices
        .iter()
        .enumerate()
        .filter(|(_, inv)| inv.is_open())
        .map(|(i, inv)| (i, plan_invoice(inv, &ctx, now)))
        .collect();
    let decision = compose(&plans, debtor.as_ref(), &creditor.policy, &calendar, now);

    // Invoices the decision moves itself; every other due-index entry goes to its own next look.
    let mut handled: BTreeSet<usize> = BTreeSet::new();
    match decision {
        DebtorDecision::Send(statement) => {
            let debtor = debtor.as_ref().expect("a debtor without a record is unreachable");
            handled.extend(statement.due.iter().map(|(i, _)| *i));
            send(
                store, outbound, creditor, debtor, &calendar, &invoices, &plans, &statement, now, report,
            )
            .await?;
        }
        DebtorDecision::Defer { until, reason } => {
            tracing::info!(reason, "a due message waits");
            for (i, _) in plans.iter().filter(|(_, p)| matches!(p, InvoicePlan::Due(_))) {
                handled.insert(*i);
                tally(
                    store.reschedule(&invoices[*i], Some(until), &[]).await?,
                    Some(until),
                    report,
                );
            }
        }
        DebtorDecision::Unreachable(due) => {
            for (i, d) in due {
                handled.insert(i);
                let mut keys = d.skipped.clone();
                keys.push(d.key.clone());
                report.skipped_steps += keys.len();
                tally(
                    store.reschedule(&invoices[i], d.next_after, &keys).await?,
                    d.next_after,
                    report,
                );
            }
        }
        DebtorDecision::Idle => {}
    }
    for (i, inv) in invoices.iter().enumerate() {
        if handled.contains(&i) || !indexed.iter().any(|x| x.invoice_id == inv.invoice_id) {
            continue;
        }
        let next = plans
            .iter()
            .find(|(j, _)| *j == i)
            .and_then(|(_, p)| p.next_look(&calendar, now));
        tally(store.reschedule(inv, next, &[]).await?, next, report);
    }
    Ok(())
}

fn tally(applied: bool, next: Option<DateTime<Utc>>, report: &mut RunReport) {
    match (applied, next) {
        (false, _) => report.contended += 1,
        (true, Some(_)) => report.rescheduled += 1,
        (true, None) => report.retired += 1,
    }
}

/// The invoices a statement lists: every open invoice not held back, oldest due date first.
fn statement_lines(
    invoices: &[Invoice],
    plans: &[(usize, InvoicePlan)],
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> Vec<ReminderLine> {
    let today = now.with_timezone(&calendar.time_zone).date_naive();
    let mut lines: Vec<ReminderLine> = plans
        .iter()
        .filter(|(_, p)| p.is_remindable())
        .filter_map(|(i, _)| {
            let inv = &invoices[*i];
            let (doc, balance) = (inv.doc.as_ref()?, inv.balance?);
            Some(ReminderLine {
                number: doc.number.clone(),
                amount_due: balance.amount_due,
                due_date: doc.due_date,
                days_overdue: (today - doc.due_date).num_days(),
                pay_url: doc.pay_url.clone(),
            })
        })
        .collect();
    lines.sort_by(|a, b| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
    lines
}

#[allow(clippy::too_many_arguments)]
async fn send(
    store: &Store,
    outbound: &Outbound,
    creditor: &Creditor,
    debtor: &Debtor,
    calendar: &Calendar,
    invoices: &[Invoice],
    plans: &[(usize, InvoicePlan)],
    statement: &Statement<usize>,
    now: DateTime<Utc>,
    report: &mut RunReport,
) -> Result<(), StoreError> {
    let lines = statement_lines(invoices, plans, calendar, now);
    let message = match render(&MessageInput {
        branding: &creditor.branding,
        debtor_name: &debtor.name,
        kind: Kind::Reminder(statement.tone),
        language: Language::for_debtor(debtor.language.as_deref(), &creditor.country),
        lines: &lines,
        suspend_on: statement.suspend_on,
        links: None,
        sms_link: None,
        overrides: &creditor.templates,
    }) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "reminder did not render; nothing sent");
            report.errors += 1;
            return Ok(());
        }
    };
    let claim = StatementClaim {
        debtor,
        history: debtor.history.with_message(now),
        invoices: statement
            .due
            .iter()
            .map(|(i, d)| ClaimedInvoice {
                invoice: &invoices[*i],
                step_key: d.key.clone(),
                skipped: d.skipped.clone(),
                next_action_at: d.next_after,
            })
            .collect(),
        tone: statement.tone,
        channels: statement.channels.clone(),
        subject: &message.subject,
        at: now,
    };
    match store.claim_statement(&claim).await? {
        ClaimOutcome::Claimed => {}
        ClaimOutcome::AlreadyClaimed | ClaimOutcome::InvoiceChanged => {
            report.contended += 1;
            return Ok(());
        }
    }

    let mut record = SentRecord::default();
    let mut failure_codes = Vec::new();
    for channel in &statement.channels {
        let result = match channel {
            Channel::Email => {
                let email = Email {
                    sender_name: &creditor.branding.sender_name,
                    from_address: &creditor.branding.from_address,
                    reply_to: &creditor.branding.reply_to,
                    to: debtor.email.as_deref().expect("reachability checked the address"),
                    subject: &message.subject,
                    html: &message.html,
                    text: &message.text,
                };
                outbound
                    .send_email(&email)
                    .await
                    .map(|id| record.email_message_id = Some(id))
            }
            Channel::Sms => {
                let to = debtor.phone.as_deref().expect("reachability checked the number");
                let sender = creditor.branding.sms_sender_id.as_deref();
                outbound.send_sms(to, &message.sms, sender).await.map(|id| {
                    record.sms_message_id = Some(id);
                    record.sms_segments = count_segments(&message.sms).segments;
                })
            }
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "a channel failed");
            failure_codes.push(e.to_string());
            record.failures.push(e.detail);
        }
    }
    store
        .record_sent(&debtor.creditor_id, &debtor.debtor_id, now, &record, now)
        .await?;
    report.sent.push(SentReminder {
        creditor_id: debtor.creditor_id.clone(),
        debtor_id: debtor.debtor_id.clone(),
        invoice_numbers: statement
            .due
            .iter()
            .filter_map(|(i, _)| invoices[*i].doc.as_ref().map(|d| d.number.clone()))
            .collect(),
        step_ids: statement.due.iter().map(|(_, d)| d.step.id.clone()).collect(),
        lines: lines.len(),
        tone: statement.tone,
        channels: statement.channels.clone(),
        subject: message.subject,
        failures: failure_codes,
    });
    Ok(())
}
