//! Delivering a claimed message channel by channel, recording each as its provider accepts it.

use duly_adapters::outbound::{Attachment, Email};
use duly_adapters::store::{AuditAppend, DueMessage, StoreError};
use duly_adapters::store::{DeliveryStep, PendingSms, UnfinishedMessage, MAX_DELIVERY_ATTEMPTS};
use duly_core::audit::{Entry, Personal};
use duly_core::handoff::sent::{Sent, SentEmail};
use duly_core::ledger::Invoice;
use duly_core::messages::sms::count_segments;
use duly_core::model::Debtor;
use duly_core::notices::{Notice, NoticeKind};
use duly_core::policy::Channel;

use super::Run;
use crate::settings::update_controls;

/// The documents of the invoices an e-mail attaches, as fetched from the platform; one not fetched, or
/// over the size limit, is left out (the e-mail's link to the invoice stands in for it).
async fn attachments(
    store: &duly_adapters::store::Store,
    creditor: &duly_core::model::ids::CreditorId,
    invoices: &[String],
) -> Result<Vec<Attachment>, StoreError> {
    let mut files = Vec::new();
    for id in invoices {
        let Ok(invoice) = duly_core::model::ids::InvoiceId::parse(id.clone()) else {
            continue;
        };
        if let Some(document) = store.get_document(creditor, &invoice).await? {
            if let Some(content) = document.content {
                files.push(Attachment {
                    file_name: document.file_name,
                    content_type: "application/pdf".to_string(),
                    content,
                });
            }
        }
    }
    Ok(files)
}

/// The debtor's formal letter as it stands when the message goes. A letter that cannot be made leaves the
/// final notice to go without it, rather than holding it back.
async fn letter(
    store: &duly_adapters::store::Store,
    message: &UnfinishedMessage,
    debtor: Option<&Debtor>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Attachment>, StoreError> {
    let (Some(debtor), Some(creditor)) = (debtor, store.get_creditor(&message.creditor).await?) else {
        return Ok(None);
    };
    match crate::letter::debtor_letter(store, &creditor, debtor, now).await {
        Ok(file) => Ok(file.map(|f| Attachment {
            file_name: f.file_name,
            content_type: "application/pdf".to_string(),
            content: f.bytes,
        })),
        Err(crate::letter::LetterFailure::Store(e)) => Err(e),
        Err(e) => {
            tracing::error!(error = %e, "the formal letter did not render; the final notice goes without it");
            Ok(None)
        }
    }
}

/// After a channel failed for now: five minutes, doubling with each attempt, at most six hours.
fn delivery_backoff(attempts: u32) -> chrono::Duration {
    chrono::Duration::minutes(5i64 << attempts.min(7)).min(chrono::Duration::hours(6))
}

impl Run<'_> {
    /// Finishes a message an earlier run claimed and did not finish, once its lease has run out. A message
    /// all of whose invoices were closed meanwhile is abandoned rather than sent.
    pub(super) async fn finish_unfinished(&mut self, due: &DueMessage) -> Result<(), StoreError> {
        let (store, now) = (self.store, self.now);
        let Some(message) = store
            .take_over_message(&due.creditor_id, &due.debtor_id, &due.sk, now)
            .await?
        else {
            return Ok(());
        };
        let invoices = store.get_invoices(&message.creditor, &message.invoices).await?;
        // A thank-you is for invoices paid already; anything else about invoices all closed since is moot.
        let thanks = message
            .detail
            .split(' ')
            .any(|w| w == duly_core::planner::thanks::THANKS_KEY);
        if !thanks && !invoices.iter().any(Invoice::is_open) {
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
    pub(super) async fn deliver(
        &mut self,
        message: &UnfinishedMessage,
        debtor: Option<&Debtor>,
    ) -> Result<Vec<String>, StoreError> {
        let (store, now, outbound) = (self.store, self.now, self.sending.outbound);
        // The message as kept, made once: every step's audit entry hashes it, and the last step keeps it.
        let kept = kept_of(message, self.sending.links);
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
                    let mut files = attachments(store, &message.creditor, &pending.attach).await?;
                    if pending.letter {
                        files.extend(letter(store, message, debtor, now).await?);
                    }
                    let email = Email {
                        sender_name: &pending.sender_name,
                        from_address: &pending.from_address,
                        reply_to: &pending.reply_to,
                        to: &pending.to,
                        cc: &pending.cc,
                        subject: &pending.subject,
                        html: &pending.html,
                        text: &pending.text,
                        headers: &pending.headers,
                        track_opens: pending.track_opens,
                        attachments: &files,
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
                        step.count_debtor = message.first_in_month;
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
                    let key = format!("{}|{}|{}", message.debtor, message.claimed_at, message.attempts);
                    step.retry_at = Some(now + duly_core::retry::spread(delivery_backoff(message.attempts), &key));
                    self.report.deferred += 1;
                } else {
                    step.finish = Some(match (refused, accepted) {
                        (false, _) => "sent",
                        (true, true) => "partly_sent",
                        (true, false) => "failed",
                    });
                    step.summary = Some(summary_of(message));
                    step.invoices = message.invoices.clone();
                    step.copy = Some(copy_of(message, &kept));
                }
            }
            step.audit = audit_of(message, &step, &kept, now);
            let worth_a_write = last || step.email_message_id.is_some() || step.sms_message_id.is_some();
            if worth_a_write {
                store
                    .record_delivery(&message.creditor, &message.debtor, message.claimed_at, &step, now)
                    .await?;
            }
            if step.finish == Some("failed") {
                self.report.dead_letters += 1;
                let name = debtor.map_or_else(|| message.debtor.to_string(), |d| d.name.clone());
                let notice = Notice::new(
                    format!(
                        "dead-message:{}:{}",
                        message.debtor,
                        message.claimed_at.timestamp_micros()
                    ),
                    NoticeKind::DeadMessage,
                )
                .with("debtor", name)
                .at_page(&format!("/app/debtors/{}", message.debtor));
                self.notify(&message.creditor, &notice).await;
            }
        }
        if pending.is_empty() {
            let step = DeliveryStep {
                finish: Some("sent"),
                summary: Some(summary_of(message)),
                invoices: message.invoices.clone(),
                copy: Some(copy_of(message, &kept)),
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
    pub(super) async fn send_sms(
        &mut self,
        sms: &PendingSms,
        debtor: Option<&Debtor>,
        step: &mut DeliveryStep,
    ) -> Result<(), duly_adapters::outbound::OutboundError> {
        let outbound = self.sending.outbound;
        if outbound.sms_opted_out(&sms.to).await? {
            tracing::info!("the debtor's number opted out of SMS; recorded");
            if let Some(debtor) = debtor {
                let recorded = update_controls(self.store, &debtor.creditor_id, &debtor.debtor_id, |d| {
                    d.controls.opted_out.insert(Channel::Sms);
                    Ok(())
                })
                .await;
                if let Err(e) = recorded {
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

/// The audit entry of the channels a step's providers accepted: what was sent, its content's hash and the
/// providers' ids, with the recipients as its personal part.
/// The content hashed is the message as kept ([`kept_of`]): what the debtor read, answer tokens cut out.
fn audit_of(
    message: &UnfinishedMessage,
    step: &DeliveryStep,
    kept: &Sent,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<AuditAppend> {
    let (mut channels, mut ids, mut recipients) = (Vec::new(), Vec::new(), Vec::new());
    if let (Some(id), Some(email)) = (&step.email_message_id, &message.outbox.email) {
        channels.push("email".to_string());
        ids.push(id.clone());
        recipients.push(email.to.clone());
        recipients.extend(email.cc.iter().cloned());
    }
    if let (Some(id), Some(sms)) = (&step.sms_message_id, &message.outbox.sms) {
        channels.push("sms".to_string());
        ids.push(id.clone());
        recipients.push(sms.to.clone());
    }
    if channels.is_empty() {
        return None;
    }
    let content = kept
        .content_sha256(&channels)
        .expect("every channel named was in the outbox");
    Some(AuditAppend {
        entry: Entry {
            seq: 0,
            at: now,
            debtor_id: message.debtor.to_string(),
            event: "message.sent".into(),
            message: message.claimed_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            channels,
            detail: message.detail.clone(),
            content_sha256: content,
            provider_ids: ids,
            personal_digest: String::new(),
        },
        personal: Personal { recipients },
        once_key: None,
    })
}

/// The message as it is kept: every part as sent, without answer links that would still work.
fn kept_of(message: &UnfinishedMessage, links: Option<&duly_core::messages::links::Links>) -> Sent {
    let kept = |text: &str| links.map_or_else(|| text.to_string(), |l| l.redact(text));
    Sent {
        email: message.outbox.email.as_ref().map(|e| SentEmail {
            subject: kept(&e.subject),
            html: kept(&e.html),
            text: kept(&e.text),
        }),
        sms: message.outbox.sms.as_ref().map(|s| kept(&s.text)),
    }
}

/// The message as kept, for the creditor's copy and a hand-off, for as long as the creditor keeps it.
fn copy_of(message: &UnfinishedMessage, kept: &Sent) -> duly_adapters::store::SentCopy {
    duly_adapters::store::SentCopy {
        sent: kept.clone(),
        keep_days: message.outbox.keep_sent_days,
    }
}

/// What the creditor's list of recent messages shows: the e-mail's subject, else the text message.
fn summary_of(message: &UnfinishedMessage) -> String {
    match (&message.outbox.email, &message.outbox.sms) {
        (Some(email), _) => email.subject.clone(),
        (None, Some(sms)) => sms.text.clone(),
        (None, None) => String::new(),
    }
}
