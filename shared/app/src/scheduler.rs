//! One scheduler run: read what is due, group it by debtor, decide in pure code, claim, send, record.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use duly_adapters::outbound::{Email, Outbound};
use duly_adapters::store::{ClaimOutcome, ClaimedInvoice, DueMessage, StatementClaim, Store, StoreError, DUE_SHARDS};
use duly_adapters::store::{DeliveryStep, Outbox, PendingEmail, PendingSms, UnfinishedMessage, MAX_DELIVERY_ATTEMPTS};
use duly_core::calendar::Calendar;
use duly_core::ledger::Invoice;
use duly_core::messages::links::{short_code, Links};
use duly_core::messages::locale::Language;
use duly_core::messages::render::{render, Kind, MessageInput, ReminderLine};
use duly_core::messages::sms::count_segments;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::{Creditor, Debtor};
use duly_core::planner::{compose, plan_invoice, Context, DebtorDecision, InvoicePlan, Statement};
use duly_core::policy::{Channel, Tone};

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
    /// Messages an earlier run claimed but did not finish, finished by this one.
    pub recovered: usize,
    /// Messages with a channel that failed for now: tried again later.
    pub deferred: usize,
}

/// The debtor's time zone and country, else the creditor's.
pub fn calendar_for(creditor: &Creditor, debtor: Option<&Debtor>) -> Calendar {
    let tz: Tz = debtor.and_then(|d| d.time_zone).unwrap_or(creditor.time_zone);
    let country = debtor.and_then(|d| d.country.as_deref()).unwrap_or(&creditor.country);
    Calendar::new(tz, creditor.policy.window).with_country(Some(country))
}

/// How messages leave: the providers, the link signer, and Duly's own sender for unverified domains.
#[derive(Debug, Clone, Copy)]
pub struct Sending<'a> {
    pub outbound: &'a Outbound,
    pub links: Option<&'a Links>,
    pub fallback_from: Option<&'a str>,
}

/// One run's state: what it has looked up once, and what it has done.
struct Run<'a> {
    store: &'a Store,
    sending: Sending<'a>,
    now: DateTime<Utc>,
    creditors: HashMap<CreditorId, Option<Creditor>>,
    verified_domains: HashMap<String, bool>,
    report: RunReport,
}

/// Runs every due-index shard up to `now`: first the messages an earlier run left unfinished, then what
/// is due.
pub async fn run(store: &Store, sending: Sending<'_>, now: DateTime<Utc>) -> Result<RunReport, SchedulerError> {
    let mut due: BTreeMap<(CreditorId, DebtorId), BTreeSet<InvoiceId>> = BTreeMap::new();
    let mut unfinished: Vec<DueMessage> = Vec::new();
    let mut examined = 0;
    for shard in 0..DUE_SHARDS {
        let (invoices, messages) = store.due_entries(shard, now).await?;
        examined += invoices.len() + messages.len();
        unfinished.extend(messages);
        for entry in invoices {
            due.entry((entry.creditor_id, entry.debtor_id))
                .or_default()
                .insert(entry.invoice_id);
        }
    }
    let mut run = Run {
        store,
        sending,
        now,
        creditors: HashMap::new(),
        verified_domains: HashMap::new(),
        report: RunReport {
            examined,
            ..RunReport::default()
        },
    };
    for message in unfinished {
        if let Err(e) = run.finish_unfinished(&message).await {
            tracing::warn!(error = %e, creditor = %message.creditor_id, "an unfinished message failed again; it stays due");
            run.report.errors += 1;
        }
    }
    for ((creditor_id, debtor_id), invoice_ids) in due {
        if let Err(e) = run.debtor(&creditor_id, &debtor_id, &invoice_ids).await {
            tracing::warn!(error = %e, creditor = %creditor_id, "a debtor's reminders failed; they stay due");
            run.report.errors += 1;
        }
    }
    Ok(run.report)
}

/// After a channel failed for now: five minutes, doubling with each attempt, at most six hours.
fn delivery_backoff(attempts: u32) -> chrono::Duration {
    chrono::Duration::minutes(5i64 << attempts.min(7)).min(chrono::Duration::hours(6))
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
) -> Vec<(usize, ReminderLine)> {
    let today = now.with_timezone(&calendar.time_zone).date_naive();
    let mut lines: Vec<(usize, ReminderLine)> = plans
        .iter()
        .filter(|(_, p)| p.is_remindable())
        .filter_map(|(i, _)| {
            let inv = &invoices[*i];
            let (doc, balance) = (inv.doc.as_ref()?, inv.balance?);
            Some((
                *i,
                ReminderLine {
                    number: doc.number.clone(),
                    amount_due: balance.amount_due,
                    due_date: doc.due_date,
                    days_overdue: (today - doc.due_date).num_days(),
                    pay_url: doc.pay_url.clone(),
                },
            ))
        })
        .collect();
    lines.sort_by(|(_, a), (_, b)| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
    lines
}

fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or(address, |(_, domain)| domain)
}

impl Run<'_> {
    async fn creditor(&mut self, id: &CreditorId) -> Result<Option<Creditor>, StoreError> {
        if !self.creditors.contains_key(id) {
            let creditor = self.store.get_creditor(id).await?;
            self.creditors.insert(id.clone(), creditor);
        }
        Ok(self.creditors.get(id).cloned().flatten())
    }

    /// Whether the creditor's own domain may send; looked up once per run and domain.
    async fn domain_verified(&mut self, from_address: &str) -> bool {
        let domain = domain_of(from_address).to_ascii_lowercase();
        if let Some(known) = self.verified_domains.get(&domain) {
            return *known;
        }
        let verified = match self.sending.outbound.domain_verified(&domain).await {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the sending domain's state; using Duly's address");
                false
            }
        };
        self.verified_domains.insert(domain, verified);
        verified
    }

    async fn debtor(
        &mut self,
        creditor_id: &CreditorId,
        debtor_id: &DebtorId,
        due_ids: &BTreeSet<InvoiceId>,
    ) -> Result<(), StoreError> {
        let (store, now) = (self.store, self.now);
        // Consistent reads of everything the decision depends on: the index entries are only a hint.
        let mut ids: BTreeSet<InvoiceId> = due_ids.clone();
        ids.extend(store.open_invoice_ids_of(creditor_id, debtor_id).await?);
        let invoices = store
            .get_invoices(creditor_id, &ids.into_iter().collect::<Vec<_>>())
            .await?;
        let indexed: BTreeSet<usize> = invoices
            .iter()
            .enumerate()
            .filter(|(_, i)| due_ids.contains(&i.invoice_id) && i.next_action_at.is_some_and(|t| t <= now))
            .map(|(i, _)| i)
            .collect();

        let Some(creditor) = self.creditor(creditor_id).await? else {
            tracing::warn!(creditor = %creditor_id, "invoices of a creditor without settings leave the due index");
            for i in indexed {
                tally(store.reschedule(&invoices[i], None, &[]).await?, None, &mut self.report);
            }
            return Ok(());
        };
        let debtor = store.get_debtor(creditor_id, debtor_id).await?;
        let calendar = calendar_for(&creditor, debtor.as_ref());
        let ctx = Context {
            creditor: &creditor,
            debtor: debtor.as_ref(),
            calendar: &calendar,
        };
        let plans: Vec<(usize, InvoicePlan)> = invoices
            .iter()
            .enumerate()
            .filter(|(_, inv)| inv.is_open())
            .map(|(i, inv)| (i, plan_invoice(inv, &ctx, now)))
            .collect();

        // Invoices the decision moves itself; every other due-index entry goes to its own next look.
        let mut handled: BTreeSet<usize> = BTreeSet::new();
        match compose(&plans, debtor.as_ref(), &creditor.policy, &calendar, now) {
            DebtorDecision::Send(statement) => {
                let debtor = debtor.as_ref().expect("a debtor without a record is unreachable");
                handled.extend(statement.due.iter().map(|(i, _)| *i));
                self.send(&creditor, debtor, &calendar, &invoices, &plans, &statement)
                    .await?;
            }
            DebtorDecision::Defer { until, reason } => {
                tracing::info!(reason, "a due message waits");
                for (i, _) in plans.iter().filter(|(_, p)| matches!(p, InvoicePlan::Due(_))) {
                    handled.insert(*i);
                    tally(
                        store.reschedule(&invoices[*i], Some(until), &[]).await?,
                        Some(until),
                        &mut self.report,
                    );
                }
            }
            DebtorDecision::Unreachable(due) => {
                for (i, d) in due {
                    handled.insert(i);
                    let mut keys = d.skipped.clone();
                    keys.push(d.key.clone());
                    self.report.skipped_steps += keys.len();
                    tally(
                        store.reschedule(&invoices[i], d.next_after, &keys).await?,
                        d.next_after,
                        &mut self.report,
                    );
                }
            }
            DebtorDecision::Idle => {}
        }
        for i in indexed.difference(&handled) {
            let next = plans
                .iter()
                .find(|(j, _)| j == i)
                .and_then(|(_, p)| p.next_look(&calendar, now));
            tally(
                store.reschedule(&invoices[*i], next, &[]).await?,
                next,
                &mut self.report,
            );
        }
        Ok(())
    }

    async fn send(
        &mut self,
        creditor: &Creditor,
        debtor: &Debtor,
        calendar: &Calendar,
        invoices: &[Invoice],
        plans: &[(usize, InvoicePlan)],
        statement: &Statement<usize>,
    ) -> Result<(), StoreError> {
        let (store, now, sending) = (self.store, self.now, self.sending);
        let listed = statement_lines(invoices, plans, calendar, now);
        let lines: Vec<ReminderLine> = listed.iter().map(|(_, l)| l.clone()).collect();
        let language = Language::for_debtor(debtor.language.as_deref(), &creditor.country);
        let listed_ids: Vec<InvoiceId> = listed.iter().map(|(i, _)| invoices[*i].invoice_id.clone()).collect();
        let links = sending
            .links
            .map(|l| l.for_message(&debtor.creditor_id, &debtor.debtor_id, &listed_ids, language, now));
        let sms = statement.channels.contains(&Channel::Sms);
        let short_link = match (sending.links, lines.first().and_then(|l| l.pay_url.clone())) {
            (Some(signer), Some(url)) if sms => {
                let code = short_code();
                Some((signer.pay_url(&code), code, url))
            }
            _ => None,
        };
        let message = match render(&MessageInput {
            branding: &creditor.branding,
            debtor_name: &debtor.name,
            kind: Kind::Reminder(statement.tone),
            language,
            lines: &lines,
            suspend_on: statement.suspend_on,
            links: links.as_ref(),
            sms_link: short_link.as_ref().map(|(public, _, _)| public.as_str()),
            overrides: &creditor.templates,
        }) {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "message did not render; nothing sent");
                self.report.errors += 1;
                return Ok(());
            }
        };
        let own_domain = self.domain_verified(&creditor.branding.from_address).await;
        let outbox = Outbox {
            email: statement.channels.contains(&Channel::Email).then(|| {
                let from = match (own_domain, sending.fallback_from) {
                    (false, Some(fallback)) => fallback,
                    _ => creditor.branding.from_address.as_str(),
                };
                let mut headers = Vec::new();
                if let Some(unsubscribe) = links
                    .as_ref()
                    .and_then(|l| l.unsubscribe.as_ref())
                    .filter(|_| message.optional)
                {
                    headers.push(("List-Unsubscribe".to_string(), format!("<{unsubscribe}>")));
                    headers.push((
                        "List-Unsubscribe-Post".to_string(),
                        "List-Unsubscribe=One-Click".to_string(),
                    ));
                }
                PendingEmail {
                    sender_name: creditor.branding.sender_name.clone(),
                    from_address: from.to_string(),
                    reply_to: creditor.branding.reply_to.clone(),
                    to: debtor.email.clone().expect("reachability checked the address"),
                    subject: message.subject.clone(),
                    html: message.html.clone(),
                    text: message.text.clone(),
                    headers,
                }
            }),
            sms: statement.channels.contains(&Channel::Sms).then(|| {
                let to = debtor.phone.clone().expect("reachability checked the number");
                let sender_id = creditor.branding.sms_sender_id.clone().filter(|id| {
                    duly_core::messages::sms::valid_sender_id(id) && duly_core::messages::sms::sender_id_allowed(&to)
                });
                PendingSms {
                    to,
                    text: message.sms.clone(),
                    sender_id,
                }
            }),
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
            short_link: short_link.as_ref().map(|(_, code, url)| (code.clone(), url.clone())),
            outbox: &outbox,
        };
        match store.claim_statement(&claim).await? {
            ClaimOutcome::Claimed => {}
            ClaimOutcome::AlreadyClaimed | ClaimOutcome::InvoiceChanged => {
                self.report.contended += 1;
                return Ok(());
            }
        }
        let unfinished = UnfinishedMessage {
            creditor: debtor.creditor_id.clone(),
            debtor: debtor.debtor_id.clone(),
            claimed_at: now,
            invoices: Vec::new(),
            outbox,
            email_sent: false,
            sms_sent: false,
            attempts: 0,
        };
        let failure_codes = self.deliver(&unfinished, Some(debtor)).await?;
        self.report.sent.push(SentReminder {
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

    /// Finishes a message an earlier run claimed and did not finish, once its lease has run out. A message
    /// all of whose invoices were closed meanwhile is abandoned rather than sent.
    async fn finish_unfinished(&mut self, due: &DueMessage) -> Result<(), StoreError> {
        let (store, now) = (self.store, self.now);
        let Some(message) = store
            .take_over_message(&due.creditor_id, &due.debtor_id, &due.sk, now)
            .await?
        else {
            return Ok(());
        };
        let invoices = store.get_invoices(&message.creditor, &message.invoices).await?;
        if !invoices.iter().any(Invoice::is_open) {
            let step = DeliveryStep {
                finish: Some("abandoned"),
                ..DeliveryStep::default()
            };
            store
                .record_delivery(&message.creditor, &message.debtor, message.claimed_at, &step, now)
                .await?;
            tracing::info!("an unfinished message's invoices were closed meanwhile; abandoned");
            return Ok(());
        }
        let debtor = store.get_debtor(&message.creditor, &message.debtor).await?;
        self.deliver(&message, debtor.as_ref()).await?;
        self.report.recovered += 1;
        Ok(())
    }

    /// Sends every channel of a claimed message not yet recorded, recording each as its provider accepts
    /// it; the last record finishes the message, or sets the time to try a failed-for-now channel again.
    /// Returns the error codes of the channels that failed.
    async fn deliver(
        &mut self,
        message: &UnfinishedMessage,
        debtor: Option<&Debtor>,
    ) -> Result<Vec<String>, StoreError> {
        let (store, now, outbound) = (self.store, self.now, self.sending.outbound);
        let mut pending: Vec<Channel> = Vec::new();
        if message.outbox.email.is_some() && !message.email_sent {
            pending.push(Channel::Email);
        }
        if message.outbox.sms.is_some() && !message.sms_sent {
            pending.push(Channel::Sms);
        }
        let mut accepted = message.email_sent || message.sms_sent;
        let (mut refused, mut failing_for_now) = (false, false);
        let mut failure_codes = Vec::new();
        let give_up = message.attempts + 1 >= MAX_DELIVERY_ATTEMPTS;
        for (n, channel) in pending.iter().enumerate() {
            let mut step = DeliveryStep::default();
            let result = match channel {
                Channel::Email => {
                    let pending = message.outbox.email.as_ref().expect("pending e-mail");
                    let email = Email {
                        sender_name: &pending.sender_name,
                        from_address: &pending.from_address,
                        reply_to: &pending.reply_to,
                        to: &pending.to,
                        subject: &pending.subject,
                        html: &pending.html,
                        text: &pending.text,
                        headers: &pending.headers,
                    };
                    outbound
                        .send_email(&email)
                        .await
                        .map(|id| step.email_message_id = Some(id))
                }
                Channel::Sms => {
                    let pending = message.outbox.sms.as_ref().expect("pending SMS");
                    self.send_sms(pending, debtor, &mut step).await
                }
            };
            match result {
                Ok(()) => {
                    let any = step.email_message_id.is_some() || step.sms_message_id.is_some();
                    if any && !accepted {
                        step.count_reminder = true;
                        accepted = true;
                    }
                }
                Err(e) if e.retryable && !give_up => {
                    tracing::warn!(error = %e, "a channel failed for now; it is tried again later");
                    failure_codes.push(e.to_string());
                    failing_for_now = true;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "a channel failed");
                    failure_codes.push(e.to_string());
                    step.failures.push(e.detail);
                    refused = true;
                }
            }
            let last = n + 1 == pending.len();
            if last {
                if failing_for_now {
                    step.retry_at = Some(now + delivery_backoff(message.attempts));
                    self.report.deferred += 1;
                } else {
                    step.finish = Some(match (refused, accepted) {
                        (false, _) => "sent",
                        (true, true) => "partly_sent",
                        (true, false) => "failed",
                    });
                }
            }
            let worth_a_write = last || step.email_message_id.is_some() || step.sms_message_id.is_some();
            if worth_a_write {
                store
                    .record_delivery(&message.creditor, &message.debtor, message.claimed_at, &step, now)
                    .await?;
            }
        }
        if pending.is_empty() {
            let step = DeliveryStep {
                finish: Some("sent"),
                ..DeliveryStep::default()
            };
            store
                .record_delivery(&message.creditor, &message.debtor, message.claimed_at, &step, now)
                .await?;
        }
        Ok(failure_codes)
    }

    /// Sends the SMS unless the number opted out on the carrier side (replied STOP), which is then
    /// recorded as the debtor's opt-out so that no later plan counts on SMS.
    async fn send_sms(
        &mut self,
        sms: &PendingSms,
        debtor: Option<&Debtor>,
        step: &mut DeliveryStep,
    ) -> Result<(), duly_adapters::outbound::OutboundError> {
        let outbound = self.sending.outbound;
        if outbound.sms_opted_out(&sms.to).await? {
            tracing::info!("the debtor's number opted out of SMS; recorded");
            if let Some(debtor) = debtor {
                let mut controls = debtor.controls.clone();
                controls.opted_out.insert(Channel::Sms);
                if let Err(e) = self
                    .store
                    .set_debtor_controls(&debtor.creditor_id, &debtor.debtor_id, &controls)
                    .await
                {
                    tracing::warn!(error = %e, "could not record the SMS opt-out");
                }
            }
            return Ok(());
        }
        let id = outbound.send_sms(&sms.to, &sms.text, sms.sender_id.as_deref()).await?;
        step.sms_message_id = Some(id);
        step.sms_segments = count_segments(&sms.text).segments;
        Ok(())
    }
}
