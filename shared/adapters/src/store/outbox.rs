//! The outbox of a claimed message: what to send, kept with the claim until every channel is recorded.
//!
//! A claim is a lease. The message record carries its rendered e-mail and SMS and sits on the due index at
//! the end of the lease; each channel is recorded as soon as its provider accepts it, and the last record
//! takes the message off the index and drops the outbox. A scheduler that dies anywhere between the claim
//! and the last record leaves the message on the index, and a later run takes it over when the lease has
//! run out and sends the channels not yet recorded. So no message is lost; the one window left is the
//! moments between a provider accepting a channel and its record, where a crash sends that channel again
//! (at least once).

use std::collections::HashMap;
use std::io::{Read, Write};

use aws_sdk_dynamodb::types::{AttributeValue, Put, ReturnValue, TransactWriteItem, Update};
use aws_smithy_types::Blob;
use chrono::{DateTime, Duration, Utc};
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};

use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};

use super::invoice_item::attr;
use super::{keys, n, parse_ts, s, sdk_error, ts, Store, StoreError};

/// How long a run owns a claimed message before another may take it over: longer than the scheduler's
/// timeout, so a live run is never overtaken.
pub const LEASE_MINUTES: i64 = 10;
/// Take-overs before a message that cannot be delivered becomes a dead letter.
pub const MAX_DELIVERY_ATTEMPTS: u32 = 6;

/// An e-mail ready to hand to SES.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEmail {
    pub sender_name: String,
    pub from_address: String,
    pub reply_to: String,
    pub to: String,
    #[serde(default)]
    pub cc: Vec<String>,
    pub subject: String,
    pub html: String,
    pub text: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Sent through the configuration set that records opens, as the creditor chose when it was made.
    #[serde(default)]
    pub track_opens: bool,
    /// The invoices whose documents go with it, read when it is sent (and again on a retry).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attach: Vec<String>,
    /// The debtor's formal letter goes with it, made when it is sent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub letter: bool,
}

/// An SMS ready to hand to SNS.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSms {
    pub to: String,
    pub text: String,
    pub sender_id: Option<String>,
}

/// Everything a message still has to send.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub email: Option<PendingEmail>,
    pub sms: Option<PendingSms>,
    /// Days the message is kept as sent once it is finished, as the creditor set it when it was claimed.
    #[serde(default = "default_keep_sent_days")]
    pub keep_sent_days: u32,
}

fn default_keep_sent_days() -> u32 {
    duly_core::audit::settings::DEFAULT_KEEP_SENT_DAYS
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox {
            email: None,
            sms: None,
            keep_sent_days: default_keep_sent_days(),
        }
    }
}

// Addresses and message bodies are personal data: never in a log line, not even through Debug.
impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("email", &self.email.is_some())
            .field("sms", &self.sms.is_some())
            .finish()
    }
}

/// A claimed message taken over from a run that did not finish it.
#[derive(Debug, Clone)]
pub struct UnfinishedMessage {
    pub creditor: CreditorId,
    pub debtor: DebtorId,
    pub claimed_at: DateTime<Utc>,
    pub invoices: Vec<InvoiceId>,
    pub outbox: Outbox,
    /// Channels already recorded as accepted by their provider.
    pub email_sent: bool,
    pub sms_sent: bool,
    pub attempts: u32,
    /// What the message is, for its audit entry: its tone and the steps it covers.
    pub detail: String,
    /// The debtor's first message this month: its first accepted channel counts them as reminded.
    pub first_in_month: bool,
}

/// A message's tone and steps in a few words (`firm after-7:1001`).
pub fn message_detail(tone: &str, steps: &[String]) -> String {
    let mut detail = tone.to_ascii_lowercase();
    for step in steps.iter().take(25) {
        detail.push(' ');
        detail.push_str(step);
    }
    detail
}

/// The message as sent, answer tokens cut out: its words are the creditor's copy, and it is kept whole for a
/// hand-off for `keep_days`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentCopy {
    pub sent: duly_core::handoff::sent::Sent,
    pub keep_days: u32,
}

/// Longest copy kept of a message's words, in characters; a statement of many invoices is cut there.
const MAX_COPY_CHARS: usize = 20_000;

/// What one delivery step records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryStep {
    /// Accepted in this step.
    pub email_message_id: Option<String>,
    pub sms_message_id: Option<String>,
    pub sms_segments: u32,
    /// Provider error details. They may quote the recipient, so they are stored with the message and
    /// never logged.
    pub failures: Vec<String>,
    /// The message is finished with this status (`sent`, `partly_sent`, `failed`, `abandoned`).
    pub finish: Option<&'static str>,
    /// Count the message as one reminder in the creditor's usage (once, on its first accepted channel).
    pub count_reminder: bool,
    /// Count the debtor as reminded this month (with the month's first message's first accepted channel).
    pub count_debtor: bool,
    /// Not finished: try the rest again at this time.
    pub retry_at: Option<DateTime<Utc>>,
    /// What the creditor's list of recent messages shows of a finished message (its subject).
    pub summary: Option<String>,
    /// The invoices a finished message was about, for the same list.
    pub invoices: Vec<duly_core::model::ids::InvoiceId>,
    /// What a finished message said, as read: its e-mail's text part and its SMS. Kept with the message
    /// (and erased with the debtor's personal data) so that the creditor sees what their customer got.
    pub copy: Option<SentCopy>,
    /// The audit entry of the channels accepted in this step, appended in the same transaction.
    pub audit: Option<super::AuditAppend>,
}

/// How long a finished message stays in the creditor's list of recent messages.
const RECENT_DAYS: i64 = 90;

/// A finished message in the creditor's list of recent messages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecentMessage {
    pub debtor_id: String,
    pub claimed_at: String,
    pub status: String,
    pub summary: String,
    pub invoices: Vec<String>,
}

/// Larger than any outbox Duly renders; a stored value that inflates beyond it is corrupt.
const MAX_OUTBOX_BYTES: u64 = 1 << 20;

/// The outbox as stored: JSON, deflated. A rendered e-mail is mostly repetitive HTML, and every kilobyte
/// of the message record costs a write unit on the claim and again on each record (twice, in a
/// transaction); deflating took a first e-mail reminder from 42 to 26 write units.
pub(crate) fn outbox_value(outbox: &Outbox) -> Result<AttributeValue, StoreError> {
    deflated(outbox)
}

/// `value` as JSON, deflated.
fn deflated(value: &impl Serialize) -> Result<AttributeValue, StoreError> {
    let json = serde_json::to_vec(value).map_err(|e| StoreError::Rejected(e.to_string()))?;
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    let deflated = encoder
        .write_all(&json)
        .and_then(|()| encoder.finish())
        .map_err(|e| StoreError::Rejected(e.to_string()))?;
    Ok(AttributeValue::B(Blob::new(deflated)))
}

/// The JSON of a deflated value, read back.
fn inflated<T: serde::de::DeserializeOwned>(blob: &Blob, what: &str) -> Result<T, StoreError> {
    let corrupt = |e: String| StoreError::Corrupt(format!("{what}: {e}"));
    let mut json = Vec::new();
    DeflateDecoder::new(blob.as_ref())
        .take(MAX_OUTBOX_BYTES)
        .read_to_end(&mut json)
        .map_err(|e| corrupt(e.to_string()))?;
    serde_json::from_slice(&json).map_err(|e| corrupt(e.to_string()))
}

fn kept_sk(claimed_at: DateTime<Utc>) -> String {
    format!("KEPT#{}", ts(claimed_at))
}

fn outbox_from(value: &AttributeValue) -> Result<Outbox, StoreError> {
    let corrupt = |e: String| StoreError::Corrupt(format!("outbox: {e}"));
    match value {
        AttributeValue::B(blob) => inflated(blob, "outbox"),
        // Claims made before outboxes were deflated kept them as a map.
        other => serde_dynamo::from_attribute_value(other.clone()).map_err(|e| corrupt(e.to_string())),
    }
}

pub(crate) fn lease_end(at: DateTime<Utc>) -> DateTime<Utc> {
    at + Duration::minutes(LEASE_MINUTES)
}

impl Store {
    /// Takes over a claimed message whose lease has run out, for one more lease; `None` when it is finished
    /// or another run took it first.
    pub async fn take_over_message(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        message_sk: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UnfinishedMessage>, StoreError> {
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::debtor(creditor, debtor)))
            .key(attr::SK, s(message_sk))
            .update_expression("SET #next = :lease ADD attempts :one")
            .condition_expression("#status = :claimed AND #next <= :now")
            .expression_attribute_names("#next", attr::NEXT_ACTION_AT)
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":lease", s(ts(lease_end(now))))
            .expression_attribute_values(":now", s(ts(now)))
            .expression_attribute_values(":claimed", s("claimed"))
            .expression_attribute_values(":one", n(1))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        let Some(out) = super::unless_condition_failed(result)? else {
            return Ok(None);
        };
        let item = out.attributes().cloned().unwrap_or_default();
        let outbox = match item.get("outbox") {
            Some(value) => outbox_from(value)?,
            None => Outbox::default(),
        };
        let invoices = match item.get("invoices") {
            Some(AttributeValue::L(ids)) => ids
                .iter()
                .filter_map(|v| v.as_s().ok())
                .filter_map(|id| InvoiceId::parse(id.clone()).ok())
                .collect(),
            _ => Vec::new(),
        };
        let claimed_at = match item.get("claimed_at") {
            Some(AttributeValue::S(at)) => parse_ts(at)?,
            _ => return Err(StoreError::Corrupt("message without claimed_at".into())),
        };
        Ok(Some(UnfinishedMessage {
            creditor: creditor.clone(),
            debtor: debtor.clone(),
            claimed_at,
            invoices,
            outbox,
            email_sent: item.contains_key("email_message_id"),
            sms_sent: item.contains_key("sms_message_id"),
            attempts: match item.get("attempts") {
                Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
                _ => 0,
            },
            first_in_month: matches!(item.get("first_in_month"), Some(AttributeValue::Bool(true))),
            detail: message_detail(
                item.get("tone").and_then(|t| t.as_s().ok()).map_or("", String::as_str),
                &match item.get("steps") {
                    Some(AttributeValue::L(steps)) => steps.iter().filter_map(|v| v.as_s().ok().cloned()).collect(),
                    _ => Vec::new(),
                },
            ),
        }))
    }

    /// Records one delivery step of a claimed message and meters it, in one transaction.
    pub async fn record_delivery(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        claimed_at: DateTime<Utc>,
        step: &DeliveryStep,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut names: HashMap<String, String> = HashMap::new();
        let mut values = HashMap::from([(":at".to_string(), s(ts(now)))]);
        let mut set = vec!["last_attempt_at = :at".to_string()];
        let mut remove: Vec<&str> = Vec::new();
        if let Some(id) = &step.email_message_id {
            values.insert(":email".into(), s(id));
            set.push("email_message_id = :email".into());
        }
        if let Some(id) = &step.sms_message_id {
            values.insert(":sms".into(), s(id));
            set.push("sms_message_id = :sms".into());
            values.insert(":segments".into(), n(step.sms_segments));
            set.push("sms_segments = :segments".into());
        }
        if !step.failures.is_empty() {
            values.insert(
                ":failures".into(),
                AttributeValue::L(step.failures.iter().map(s).collect()),
            );
            values.insert(":none".into(), AttributeValue::L(Vec::new()));
            set.push("failures = list_append(if_not_exists(failures, :none), :failures)".into());
        }
        if let (Some(_), Some(copy)) = (step.finish, &step.copy) {
            let email_text = copy.sent.email.as_ref().map(|e| &e.text);
            for (name, words) in [("sent_text", email_text), ("sent_sms", copy.sent.sms.as_ref())] {
                if let Some(words) = words {
                    let kept: String = words.chars().take(MAX_COPY_CHARS).collect();
                    values.insert(format!(":{name}"), s(kept));
                    set.push(format!("{name} = :{name}"));
                }
            }
        }
        if let Some(status) = step.finish {
            names.insert("#status".into(), "status".into());
            names.insert("#next".into(), attr::NEXT_ACTION_AT.into());
            names.insert("#shard".into(), attr::DUE_SHARD.into());
            values.insert(":status".into(), s(status));
            set.push("#status = :status".into());
            set.push("sent_at = :at".into());
            // A finished message leaves the due index; what it said stays only as its copy above.
            remove.extend(["#next", "#shard", "outbox"]);
        } else if let Some(at) = step.retry_at {
            names.insert("#next".into(), attr::NEXT_ACTION_AT.into());
            values.insert(":retry".into(), s(ts(at)));
            set.push("#next = :retry".into());
        }
        let mut expression = format!("SET {}", set.join(", "));
        if !remove.is_empty() {
            expression.push_str(&format!(" REMOVE {}", remove.join(", ")));
        }
        let message = Update::builder()
            .table_name(self.table())
            .key(attr::PK, s(keys::debtor(creditor, debtor)))
            .key(attr::SK, s(keys::message_sk(&ts(claimed_at))))
            .update_expression(expression)
            .set_expression_attribute_names((!names.is_empty()).then_some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .map_err(|e| StoreError::Rejected(e.to_string()))?;
        let emails = i64::from(step.email_message_id.is_some());
        let sms = i64::from(step.sms_message_id.is_some());
        let metered = step.count_reminder || emails + sms > 0;
        let usage = metered.then(|| {
            Update::builder()
                .table_name(self.table())
                .key(attr::PK, s(keys::creditor(creditor)))
                .key(attr::SK, s(keys::usage_sk(&now.format("%Y-%m").to_string())))
                .update_expression(
                    "ADD reminders :reminders, emails :emails, sms :sms, sms_segments :segments, debtors :debtors",
                )
                .expression_attribute_values(":reminders", n(i64::from(step.count_reminder)))
                .expression_attribute_values(":debtors", n(i64::from(step.count_reminder && step.count_debtor)))
                .expression_attribute_values(":emails", n(emails))
                .expression_attribute_values(":sms", n(sms))
                .expression_attribute_values(":segments", n(if sms > 0 { step.sms_segments } else { 0 }))
                .build()
                .expect("table, key and update expression are set")
        });
        // SES reports deliveries, bounces and complaints, and SNS an SMS's delivery, by the provider's
        // message id: remember whose message it was.
        let lookup_of = |pk: String| {
            let item = HashMap::from([
                (attr::PK.to_string(), s(pk)),
                (attr::SK.to_string(), s(keys::SES_MESSAGE_SK)),
                (attr::CREDITOR_ID.to_string(), s(creditor.as_str())),
                (attr::DEBTOR_ID.to_string(), s(debtor.as_str())),
                ("message_sk".to_string(), s(keys::message_sk(&ts(claimed_at)))),
                ("expires_at".to_string(), n((now + Duration::days(30)).timestamp())),
            ]);
            Put::builder()
                .table_name(self.table())
                .set_item(Some(item))
                .build()
                .expect("table and item are set")
        };
        let lookup = step
            .email_message_id
            .as_deref()
            .map(|id| lookup_of(keys::ses_message(id)));
        let sms_lookup = step
            .sms_message_id
            .as_deref()
            .map(|id| lookup_of(keys::sns_message(id)));
        // The creditor's list of recent messages: one small item, written with the message's last record.
        let recent = step
            .finish
            .filter(|f| matches!(*f, "sent" | "partly_sent" | "failed"))
            .map(|finish| {
                let summary: String = step.summary.as_deref().unwrap_or("").chars().take(200).collect();
                Put::builder()
                    .table_name(self.table())
                    .item(attr::PK, s(keys::creditor(creditor)))
                    .item(attr::SK, s(format!("SENT#{}#{debtor}", ts(claimed_at))))
                    .item(attr::DEBTOR_ID, s(debtor.as_str()))
                    .item("claimed_at", s(ts(claimed_at)))
                    .item("status", s(finish))
                    .item("summary", s(summary))
                    .item(
                        "invoices",
                        AttributeValue::L(step.invoices.iter().take(25).map(|i| s(i.as_str())).collect()),
                    )
                    .item("expires_at", n((now + Duration::days(RECENT_DAYS)).timestamp()))
                    .build()
                    .expect("table and item are set")
            });
        // The message as sent, for a hand-off: an item of its own under the debtor, which DynamoDB's time to
        // live removes when the creditor's retention runs out.
        let kept = match (step.finish, &step.copy) {
            (Some("sent" | "partly_sent"), Some(copy)) => Some(
                Put::builder()
                    .table_name(self.table())
                    .item(attr::PK, s(keys::debtor(creditor, debtor)))
                    .item(attr::SK, s(kept_sk(claimed_at)))
                    .item("claimed_at", s(ts(claimed_at)))
                    .item("sent", deflated(&copy.sent)?)
                    .item(
                        "expires_at",
                        n((now + Duration::days(i64::from(copy.keep_days))).timestamp()),
                    )
                    .build()
                    .expect("table and item are set"),
            ),
            _ => None,
        };
        let dead_letter = (step.finish == Some("failed")).then(|| {
            super::dead_letters::failed_message_put(self.table(), creditor, debtor, claimed_at, &step.failures)
        });
        let mut attempt = 0;
        loop {
            let mut items = vec![TransactWriteItem::builder().update(message.clone()).build()];
            // The audit entry takes the chain's next place as read now; a writer that took it first makes
            // this a retry.
            if let Some(append) = &step.audit {
                items.extend(self.audit_items(creditor, append).await?.items);
            }
            if let Some(update) = &usage {
                items.push(TransactWriteItem::builder().update(update.clone()).build());
            }
            for put in [&lookup, &sms_lookup, &dead_letter, &recent, &kept]
                .into_iter()
                .flatten()
            {
                items.push(TransactWriteItem::builder().put(put.clone()).build());
            }
            let request = self.client().transact_write_items().set_transact_items(Some(items));
            match request.send().await {
                Ok(_) => return Ok(()),
                Err(err) => {
                    // Concurrent runs meter the same creditor-month item and append to the same audit chain;
                    // a conflict there is worth a retry.
                    let conflict = super::cancellation_reasons(&err).is_some_and(|reasons| {
                        reasons.iter().any(|r| {
                            r.code() == Some("TransactionConflict")
                                || (step.audit.is_some() && r.code() == Some("ConditionalCheckFailed"))
                        })
                    });
                    attempt += 1;
                    if !conflict || attempt >= 5 {
                        return Err(sdk_error(err));
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(20 * (1 << attempt))).await;
                }
            }
        }
    }
}

/// A message as it was sent, by the time it was claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptMessage {
    pub claimed_at: String,
    pub sent: duly_core::handoff::sent::Sent,
}

impl Store {
    /// The debtor's messages as they were sent, oldest first, as long as the creditor keeps them.
    pub async fn kept_messages(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
    ) -> Result<Vec<KeptMessage>, StoreError> {
        self.query_partition(keys::debtor(creditor, debtor), Some("KEPT#"), true)
            .await?
            .iter()
            .map(|item| {
                let sent = match item.get("sent") {
                    Some(AttributeValue::B(blob)) => inflated(blob, "kept message")?,
                    _ => return Err(StoreError::Corrupt("kept message without its content".into())),
                };
                Ok(KeptMessage {
                    claimed_at: super::required_s(item, "claimed_at", "kept message")?,
                    sent,
                })
            })
            .collect()
    }

    /// The creditor's latest finished messages, newest first.
    pub async fn recent_messages(&self, creditor: &CreditorId, limit: i32) -> Result<Vec<RecentMessage>, StoreError> {
        self.query_latest(keys::creditor(creditor), "SENT#", limit)
            .await?
            .iter()
            .map(|item| {
                let get = |k: &str| super::required_s(item, k, "recent message");
                Ok(RecentMessage {
                    debtor_id: get(attr::DEBTOR_ID)?,
                    claimed_at: get("claimed_at")?,
                    status: get("status")?,
                    summary: get("summary")?,
                    invoices: match item.get("invoices") {
                        Some(AttributeValue::L(list)) => list.iter().filter_map(|v| v.as_s().ok().cloned()).collect(),
                        _ => Vec::new(),
                    },
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outbox() -> Outbox {
        Outbox {
            email: Some(PendingEmail {
                sender_name: "Nordwind".into(),
                from_address: "billing@nordwind.example".into(),
                reply_to: "ar@nordwind.example".into(),
                to: "ap@debtor.example".into(),
                cc: vec!["cfo@debtor.example".into()],
                subject: "Invoice INV-1 is due".into(),
                html: "<tr><td>INV-1</td><td>1 250,00 €</td></tr>".repeat(200),
                text: "INV-1 1 250,00 €\n".repeat(200),
                headers: vec![("List-Unsubscribe-Post".into(), "List-Unsubscribe=One-Click".into())],
                track_opens: true,
                attach: vec!["merit:5f91033c-9d0f-416e-a079-d3c892b8c317".into()],
                letter: true,
            }),
            sms: Some(PendingSms {
                to: "+37255512345".into(),
                text: "Nordwind: invoice INV-1 is due".into(),
                sender_id: None,
            }),
            keep_sent_days: 400,
        }
    }

    #[test]
    fn a_stored_outbox_reads_back_whole_and_is_smaller_than_its_json() {
        let value = outbox_value(&outbox()).unwrap();
        let AttributeValue::B(blob) = &value else {
            panic!("stored as binary")
        };
        assert!(blob.as_ref().len() * 4 < serde_json::to_vec(&outbox()).unwrap().len());
        assert!(outbox_from(&value).unwrap() == outbox());
    }

    #[test]
    fn an_outbox_stored_as_a_map_still_reads() {
        let map = serde_dynamo::to_attribute_value(outbox()).unwrap();
        assert!(outbox_from(&map).unwrap() == outbox());
    }

    #[test]
    fn a_damaged_outbox_is_corrupt_not_a_panic() {
        let value = AttributeValue::B(Blob::new(vec![0xff, 0x00, 0x13]));
        assert!(matches!(outbox_from(&value), Err(StoreError::Corrupt(_))));
    }
}
