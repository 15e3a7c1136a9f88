//! Claiming a message to a debtor and what was sent: the claim transaction, usage, message records and
//! short pay links.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use chrono::{DateTime, Utc};

use duly_core::ledger::Invoice;
use duly_core::model::ids::{CreditorId, DebtorId};
use duly_core::model::{Debtor, MessageHistory};
use duly_core::policy::{Channel, Tone};

use super::invoice_item::attr;
use super::schedule::progress_update;
use super::{cancellation_reasons, keys, n, s, sdk_error, ts, Store, StoreError};

/// One invoice a statement covers, as it was read, and where it moves.
#[derive(Debug, Clone)]
pub struct ClaimedInvoice<'a> {
    pub invoice: &'a Invoice,
    pub step_key: String,
    pub skipped: Vec<String>,
    pub next_action_at: Option<DateTime<Utc>>,
    /// The message lists it as overdue: the first such message's time is kept (see
    /// [`duly_core::ledger::Progress::first_overdue_at`]).
    pub overdue: bool,
}

/// Everything one message claim writes.
#[derive(Debug, Clone)]
pub struct StatementClaim<'a> {
    /// The debtor as read; its history revision is the claim's condition.
    pub debtor: &'a Debtor,
    /// The history after this message.
    pub history: MessageHistory,
    pub invoices: Vec<ClaimedInvoice<'a>>,
    pub tone: Tone,
    pub channels: Vec<Channel>,
    pub subject: &'a str,
    pub at: DateTime<Utc>,
    /// A short pay link to create with the claim: its code and where it leads.
    pub short_link: Option<(String, String)>,
    /// What to send, kept with the claim until every channel is recorded.
    pub outbox: &'a super::outbox::Outbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimOutcome {
    Claimed,
    /// This step was claimed before, by an earlier or concurrent run.
    AlreadyClaimed,
    /// The invoice changed since it was read (a payment, say): decide again.
    InvoiceChanged,
}

impl Usage {
    /// The month's counts of what is billed.
    pub fn counts(&self) -> duly_core::billing::Counts {
        duly_core::billing::Counts {
            emails: self.emails,
            sms_segments: self.sms_segments,
            debtors_reminded: self.debtors,
            webhooks_received: self.webhooks,
        }
    }
}

/// A creditor's metered usage in one month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub reminders: i64,
    pub emails: i64,
    pub sms: i64,
    pub sms_segments: i64,
    /// Debtors who got their first message of the month.
    pub debtors: i64,
    pub webhooks: i64,
}

fn channel_name(c: Channel) -> &'static str {
    match c {
        Channel::Email => "email",
        Channel::Sms => "sms",
    }
}

/// DynamoDB's limit on the items of one `TransactWriteItems`.
const MAX_TRANSACTION_ITEMS: usize = 100;

impl Store {
    /// Claims one message to a debtor: the debtor's message history moves on only if no other run sent to
    /// them since it was read, the message record is created, and every invoice it covers moves on only if
    /// nothing changed since it was read. All or nothing: a concurrent run, a rerun or a payment that landed
    /// in between makes the claim fail, and nothing is sent.
    pub async fn claim_statement(&self, claim: &StatementClaim<'_>) -> Result<ClaimOutcome, StoreError> {
        let debtor = claim.debtor;
        let history =
            serde_dynamo::to_attribute_value(&claim.history).map_err(|e| StoreError::Rejected(e.to_string()))?;
        let mut update = Update::builder()
            .table_name(self.table())
            .key(attr::PK, s(keys::debtor(&debtor.creditor_id, &debtor.debtor_id)))
            .key(attr::SK, s(keys::DEBTOR_SK))
            .update_expression("SET #history = :history")
            .expression_attribute_names("#history", "history")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_values(":history", history);
        update = if debtor.history.rev == 0 {
            update.condition_expression(
                "attribute_exists(#pk) AND (attribute_not_exists(#history) OR #history.#rev = :rev)",
            )
        } else {
            update.condition_expression("attribute_exists(#pk) AND #history.#rev = :rev")
        }
        .expression_attribute_names("#rev", "rev")
        .expression_attribute_values(":rev", n(debtor.history.rev));
        let update = update.build().map_err(|e| StoreError::Rejected(e.to_string()))?;

        let invoice_ids: Vec<AttributeValue> = claim
            .invoices
            .iter()
            .map(|i| s(i.invoice.invoice_id.as_str()))
            .collect();
        let step_keys: Vec<AttributeValue> = claim.invoices.iter().map(|i| s(&i.step_key)).collect();
        let record = HashMap::from([
            (
                attr::PK.to_string(),
                s(keys::debtor(&debtor.creditor_id, &debtor.debtor_id)),
            ),
            (attr::SK.to_string(), s(keys::message_sk(&ts(claim.at)))),
            (attr::CREDITOR_ID.to_string(), s(debtor.creditor_id.as_str())),
            (attr::DEBTOR_ID.to_string(), s(debtor.debtor_id.as_str())),
            ("invoices".to_string(), AttributeValue::L(invoice_ids)),
            ("steps".to_string(), AttributeValue::L(step_keys)),
            ("tone".to_string(), s(format!("{:?}", claim.tone))),
            (
                "channels".to_string(),
                AttributeValue::Ss(claim.channels.iter().map(|c| channel_name(*c).to_string()).collect()),
            ),
            ("subject".to_string(), s(claim.subject)),
            (
                "first_in_month".to_string(),
                AttributeValue::Bool(debtor.history.first_in_month(claim.at)),
            ),
            ("status".to_string(), s("claimed")),
            ("claimed_at".to_string(), s(ts(claim.at))),
            ("outbox".to_string(), super::outbox::outbox_value(claim.outbox)?),
            ("attempts".to_string(), n(0)),
            // On the due index at the end of its lease: a run that dies before the last record leaves it
            // there for the next run to finish.
            (
                attr::DUE_SHARD.to_string(),
                s(keys::message_due_shard(&debtor.creditor_id, &debtor.debtor_id)),
            ),
            (
                attr::NEXT_ACTION_AT.to_string(),
                s(ts(super::outbox::lease_end(claim.at))),
            ),
        ]);
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(record))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", attr::PK)
            .build()
            .map_err(|e| StoreError::Rejected(e.to_string()))?;

        let mut request = self
            .client()
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(update).build())
            .transact_items(TransactWriteItem::builder().put(put).build());
        if let Some((code, url)) = &claim.short_link {
            let expires = claim.at + chrono::Duration::days(duly_core::messages::links::ANSWER_LINK_DAYS);
            let item = HashMap::from([
                (attr::PK.to_string(), s(keys::short_link(code))),
                (attr::SK.to_string(), s(keys::SHORT_LINK_SK)),
                (attr::CREDITOR_ID.to_string(), s(debtor.creditor_id.as_str())),
                ("url".to_string(), s(url)),
                ("expires_at".to_string(), n(expires.timestamp())),
            ]);
            let put = Put::builder()
                .table_name(self.table())
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", attr::PK)
                .build()
                .map_err(|e| StoreError::Rejected(e.to_string()))?;
            request = request.transact_items(TransactWriteItem::builder().put(put).build());
        }
        // One transaction holds at most 100 items: the debtor, the message, the short link and as many
        // invoices as fit are claimed together; the rest record their steps one by one right after.
        let fit = MAX_TRANSACTION_ITEMS - 2 - usize::from(claim.short_link.is_some());
        let (together, after) = claim.invoices.split_at(claim.invoices.len().min(fit));
        let progress = |i: &ClaimedInvoice<'_>| {
            let mut done = i.skipped.clone();
            done.push(i.step_key.clone());
            let sent = super::schedule::Sent {
                at: claim.at,
                overdue: i.overdue,
            };
            progress_update(self.table(), i.invoice, i.next_action_at, &done, Some(sent), None)
        };
        for i in together {
            request = request.transact_items(TransactWriteItem::builder().update(progress(i)).build());
        }
        match request.send().await {
            Ok(_) => {
                for i in after {
                    // An invoice that changed since it was read (paid, say) is planned again on the next run.
                    if !self.conditional_update(progress(i)).await? {
                        tracing::info!("an invoice beyond the claim's transaction changed meanwhile");
                    }
                }
                Ok(ClaimOutcome::Claimed)
            }
            Err(err) => {
                if let Some(reasons) = cancellation_reasons(&err) {
                    let failed = |r: &aws_sdk_dynamodb::types::CancellationReason| {
                        matches!(r.code(), Some("ConditionalCheckFailed" | "TransactionConflict"))
                    };
                    if reasons.iter().take(2).any(failed) {
                        return Ok(ClaimOutcome::AlreadyClaimed);
                    }
                    if reasons.iter().skip(2).any(failed) {
                        // A clash of random short-link codes lands here too; the next run retries.
                        return Ok(ClaimOutcome::InvoiceChanged);
                    }
                }
                Err(sdk_error(err))
            }
        }
    }

    pub async fn usage(&self, creditor: &CreditorId, month: &str) -> Result<Usage, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(keys::usage_sk(month)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else {
            return Ok(Usage::default());
        };
        let get = |k: &str| match item.get(k) {
            Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
            _ => 0,
        };
        Ok(Usage {
            reminders: get("reminders"),
            emails: get("emails"),
            sms: get("sms"),
            sms_segments: get("sms_segments"),
            debtors: get("debtors"),
            webhooks: get("webhooks"),
        })
    }

    /// The message records of one invoice, oldest step first.
    pub async fn messages(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
    ) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        self.query_partition(keys::debtor(creditor, debtor), Some("MSG#"), true)
            .await
    }

    /// A debtor's messages as the creditor reads them: when, the subject, how far it got.
    pub async fn message_summaries(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
    ) -> Result<Vec<MessageSummary>, StoreError> {
        let text = |item: &HashMap<String, AttributeValue>, k: &str| match item.get(k) {
            Some(AttributeValue::S(v)) => v.clone(),
            _ => String::new(),
        };
        Ok(self
            .messages(creditor, debtor)
            .await?
            .iter()
            .map(|m| MessageSummary {
                claimed_at: text(m, "claimed_at"),
                subject: text(m, "subject"),
                status: text(m, "status"),
                delivery: text(m, "delivery"),
                sms_delivery: text(m, "sms_delivery"),
                opened_at: text(m, "opened_at"),
                text: text(m, "sent_text"),
                sms: text(m, "sent_sms"),
            })
            .collect())
    }

    /// Where a short pay link leads, unless it expired.
    pub async fn short_link(&self, code: &str, now: DateTime<Utc>) -> Result<Option<String>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::short_link(code)))
            .key(attr::SK, s(keys::SHORT_LINK_SK))
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else { return Ok(None) };
        let expires: i64 = match item.get("expires_at") {
            Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
            _ => 0,
        };
        if expires < now.timestamp() {
            return Ok(None);
        }
        Ok(match item.get("url") {
            Some(AttributeValue::S(url)) => Some(url.clone()),
            _ => None,
        })
    }
}

/// One message to a debtor, as the creditor's pages show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MessageSummary {
    pub claimed_at: String,
    pub subject: String,
    /// `claimed`, `sent`, `partly_sent`, `failed` or `abandoned`.
    pub status: String,
    /// What SES said last (`delivery`, `bounce`, `complaint`), if anything.
    pub delivery: String,
    /// What SNS said of its SMS (`sms-delivered`, `sms-failed`), if anything.
    pub sms_delivery: String,
    /// When the e-mail was first opened, where the creditor records opens; empty otherwise.
    pub opened_at: String,
    /// The e-mail's text part as sent; empty for a message sent before copies were kept, or erased.
    pub text: String,
    /// The SMS as sent, where one went.
    pub sms: String,
}
