//! The scheduler's reads and writes: the due index, the send claim, and what was sent.

use std::collections::HashMap;

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use chrono::{DateTime, Utc};

use super::invoice_item::{attr, invoice_from_item};
use super::{keys, n, s, sdk_error, ts, Store, StoreError, DEBTOR_INDEX, DUE_INDEX};
use crate::ids::{CreditorId, DebtorId, InvoiceId};
use crate::ledger::Invoice;
use crate::planner::SendPlan;
use crate::policy::Channel;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueInvoice {
    pub creditor_id: CreditorId,
    pub invoice_id: InvoiceId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimOutcome {
    Claimed,
    /// This step was claimed before, by an earlier or concurrent run.
    AlreadyClaimed,
    /// The invoice changed since it was read (a payment, say): decide again.
    InvoiceChanged,
}

/// What the providers said about one send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentRecord {
    pub email_message_id: Option<String>,
    pub sms_message_id: Option<String>,
    pub sms_segments: u32,
    /// Provider error details. They may quote the recipient, so they are stored with the message and
    /// never logged.
    pub failures: Vec<String>,
}

/// A creditor's metered usage in one month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub reminders: i64,
    pub emails: i64,
    pub sms: i64,
    pub sms_segments: i64,
}

fn channel_name(c: Channel) -> &'static str {
    match c {
        Channel::Email => "email",
        Channel::Sms => "sms",
    }
}

fn next_action_clauses(
    inv: &Invoice,
    next: Option<DateTime<Utc>>,
    names: &mut HashMap<String, String>,
    values: &mut HashMap<String, AttributeValue>,
    set: &mut Vec<String>,
    remove: &mut Vec<String>,
) {
    names.insert("#next".into(), attr::NEXT_ACTION_AT.into());
    names.insert("#shard".into(), attr::DUE_SHARD.into());
    match next {
        Some(at) => {
            values.insert(":next".into(), s(ts(at)));
            values.insert(":shard".into(), s(keys::due_shard(&inv.creditor_id, &inv.invoice_id)));
            set.push("#next = :next".into());
            set.push("#shard = :shard".into());
        }
        None => {
            remove.push("#next".into());
            remove.push("#shard".into());
        }
    }
}

/// An update of the invoice's scheduling attributes, conditional on the revision that was read.
fn progress_update(
    table: &str,
    inv: &Invoice,
    next: Option<DateTime<Utc>>,
    done: &[String],
    sent_at: Option<DateTime<Utc>>,
) -> Update {
    let mut names = HashMap::from([("#rev".to_string(), attr::REV.to_string())]);
    let mut values = HashMap::from([(":rev".to_string(), n(inv.rev)), (":one".to_string(), n(1))]);
    let (mut set, mut remove) = (Vec::new(), Vec::new());
    next_action_clauses(inv, next, &mut names, &mut values, &mut set, &mut remove);
    if !done.is_empty() {
        names.insert("#done".into(), attr::STEPS_DONE.into());
        values.insert(":done".into(), AttributeValue::L(done.iter().map(s).collect()));
        values.insert(":empty".into(), AttributeValue::L(Vec::new()));
        set.push("#done = list_append(if_not_exists(#done, :empty), :done)".into());
    }
    if let Some(at) = sent_at {
        names.insert("#last".into(), attr::LAST_SENT_AT.into());
        values.insert(":last".into(), s(ts(at)));
        set.push("#last = :last".into());
    }
    let mut expression = String::new();
    if !set.is_empty() {
        expression.push_str(&format!("SET {} ", set.join(", ")));
    }
    if !remove.is_empty() {
        expression.push_str(&format!("REMOVE {} ", remove.join(", ")));
    }
    expression.push_str("ADD #rev :one");
    Update::builder()
        .table_name(table)
        .key(attr::PK, s(keys::invoice(&inv.creditor_id, &inv.invoice_id)))
        .key(attr::SK, s(keys::INVOICE_SK))
        .update_expression(expression)
        .condition_expression("#rev = :rev")
        .set_expression_attribute_names(Some(names))
        .set_expression_attribute_values(Some(values))
        .build()
        .expect("table, key and update expression are set")
}

impl Store {
    /// Invoices of one due-index shard whose next action is at or before `now`. Eventually consistent:
    /// each one is read again, consistently, before anything is sent.
    pub async fn due_invoices(&self, shard: u32, now: DateTime<Utc>) -> Result<Vec<DueInvoice>, StoreError> {
        let mut out = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let page = self
                .client()
                .query()
                .table_name(self.table())
                .index_name(DUE_INDEX)
                .key_condition_expression("#shard = :shard AND #next <= :now")
                .expression_attribute_names("#shard", attr::DUE_SHARD)
                .expression_attribute_names("#next", attr::NEXT_ACTION_AT)
                .expression_attribute_values(":shard", s(format!("DUE#{shard}")))
                .expression_attribute_values(":now", s(ts(now)))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(sdk_error)?;
            for item in page.items() {
                let get = |k: &str| match item.get(k) {
                    Some(AttributeValue::S(v)) => Ok(v.clone()),
                    _ => Err(StoreError::Corrupt(format!("due index entry without {k}"))),
                };
                out.push(DueInvoice {
                    creditor_id: CreditorId::parse(get(attr::CREDITOR_ID)?)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    invoice_id: InvoiceId::parse(get(attr::INVOICE_ID)?)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                });
            }
            match page.last_evaluated_key() {
                Some(key) if !key.is_empty() => start = Some(key.clone()),
                _ => return Ok(out),
            }
        }
    }

    /// Moves the invoice's next action (or takes it off the index), marking steps as done on the way.
    /// Returns `false` when the invoice changed since it was read.
    pub async fn reschedule(
        &self,
        inv: &Invoice,
        next: Option<DateTime<Utc>>,
        done: &[String],
    ) -> Result<bool, StoreError> {
        let u = progress_update(self.table(), inv, next, done, None);
        let result = self
            .client()
            .update_item()
            .table_name(u.table_name())
            .set_key(Some(u.key().clone()))
            .update_expression(u.update_expression())
            .set_condition_expression(u.condition_expression().map(str::to_string))
            .set_expression_attribute_names(u.expression_attribute_names().cloned())
            .set_expression_attribute_values(u.expression_attribute_values().cloned())
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(SdkError::ServiceError(e))
                if matches!(e.err(), UpdateItemError::ConditionalCheckFailedException(_)) =>
            {
                Ok(false)
            }
            Err(e) => Err(sdk_error(e)),
        }
    }

    /// Claims one step of one invoice for sending: the message record is created only if no run created it
    /// before, and the invoice moves on only if nothing changed since it was read. Both or neither.
    pub async fn claim(
        &self,
        inv: &Invoice,
        plan: &SendPlan,
        subject: &str,
        now: DateTime<Utc>,
    ) -> Result<ClaimOutcome, StoreError> {
        let debtor = inv.doc.as_ref().map(|d| d.debtor_id.as_str()).unwrap_or_default();
        let item = HashMap::from([
            (
                attr::PK.to_string(),
                s(keys::invoice(&inv.creditor_id, &inv.invoice_id)),
            ),
            (attr::SK.to_string(), s(keys::message_sk(&plan.key))),
            (attr::CREDITOR_ID.to_string(), s(inv.creditor_id.as_str())),
            (attr::INVOICE_ID.to_string(), s(inv.invoice_id.as_str())),
            (attr::DEBTOR_ID.to_string(), s(debtor)),
            ("step_id".to_string(), s(&plan.step.id)),
            ("tone".to_string(), s(format!("{:?}", plan.step.tone))),
            (
                "channels".to_string(),
                AttributeValue::Ss(plan.channels.iter().map(|c| channel_name(*c).to_string()).collect()),
            ),
            ("subject".to_string(), s(subject)),
            ("status".to_string(), s("claimed")),
            ("claimed_at".to_string(), s(ts(now))),
        ]);
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", attr::PK)
            .build()
            .map_err(|e| StoreError::Rejected(e.to_string()))?;
        let mut done = plan.skipped.clone();
        done.push(plan.key.clone());
        let update = progress_update(self.table(), inv, plan.next_action_at, &done, Some(now));
        let result = self
            .client()
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put).build())
            .transact_items(TransactWriteItem::builder().update(update).build())
            .send()
            .await;
        match result {
            Ok(_) => Ok(ClaimOutcome::Claimed),
            Err(err) => {
                if let SdkError::ServiceError(service) = &err {
                    if let TransactWriteItemsError::TransactionCanceledException(c) = service.err() {
                        let code = |i: usize| c.cancellation_reasons().get(i).and_then(|r| r.code());
                        if code(0) == Some("ConditionalCheckFailed") {
                            return Ok(ClaimOutcome::AlreadyClaimed);
                        }
                        if matches!(code(1), Some("ConditionalCheckFailed" | "TransactionConflict")) {
                            return Ok(ClaimOutcome::InvoiceChanged);
                        }
                    }
                }
                Err(sdk_error(err))
            }
        }
    }

    /// Records what the providers did with a claimed send and meters it, in one transaction.
    pub async fn record_sent(
        &self,
        creditor: &CreditorId,
        invoice: &InvoiceId,
        step_key: &str,
        record: &SentRecord,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let status = if record.failures.is_empty() {
            "sent"
        } else if record.email_message_id.is_some() || record.sms_message_id.is_some() {
            "partly_sent"
        } else {
            "failed"
        };
        let mut values = HashMap::from([(":status".to_string(), s(status)), (":at".to_string(), s(ts(now)))]);
        let mut set = vec!["#status = :status".to_string(), "sent_at = :at".to_string()];
        if let Some(id) = &record.email_message_id {
            values.insert(":email".into(), s(id));
            set.push("email_message_id = :email".into());
        }
        if let Some(id) = &record.sms_message_id {
            values.insert(":sms".into(), s(id));
            set.push("sms_message_id = :sms".into());
            values.insert(":segments".into(), n(record.sms_segments));
            set.push("sms_segments = :segments".into());
        }
        if !record.failures.is_empty() {
            values.insert(
                ":failures".into(),
                AttributeValue::L(record.failures.iter().map(s).collect()),
            );
            set.push("failures = :failures".into());
        }
        let message = Update::builder()
            .table_name(self.table())
            .key(attr::PK, s(keys::invoice(creditor, invoice)))
            .key(attr::SK, s(keys::message_sk(step_key)))
            .update_expression(format!("SET {}", set.join(", ")))
            .expression_attribute_names("#status", "status")
            .set_expression_attribute_values(Some(values))
            .build()
            .map_err(|e| StoreError::Rejected(e.to_string()))?;
        let emails = i64::from(record.email_message_id.is_some());
        let sms = i64::from(record.sms_message_id.is_some());
        let usage = Update::builder()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(keys::usage_sk(&now.format("%Y-%m").to_string())))
            .update_expression("ADD reminders :one, emails :emails, sms :sms, sms_segments :segments")
            .expression_attribute_values(":one", n(i64::from(emails + sms > 0)))
            .expression_attribute_values(":emails", n(emails))
            .expression_attribute_values(":sms", n(sms))
            .expression_attribute_values(":segments", n(if sms > 0 { record.sms_segments } else { 0 }))
            .build()
            .map_err(|e| StoreError::Rejected(e.to_string()))?;
        let mut attempt = 0;
        loop {
            let result = self
                .client()
                .transact_write_items()
                .transact_items(TransactWriteItem::builder().update(message.clone()).build())
                .transact_items(TransactWriteItem::builder().update(usage.clone()).build())
                .send()
                .await;
            match result {
                Ok(_) => return Ok(()),
                Err(err) => {
                    // Concurrent runs meter the same creditor-month item; a conflict there is worth a retry.
                    let conflict = matches!(&err, SdkError::ServiceError(service)
                        if matches!(service.err(), TransactWriteItemsError::TransactionCanceledException(c)
                            if c.cancellation_reasons().iter().any(|r| r.code() == Some("TransactionConflict"))));
                    attempt += 1;
                    if !conflict || attempt >= 5 {
                        return Err(sdk_error(err));
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(20 * (1 << attempt))).await;
                }
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
        })
    }

    /// The message records of one invoice, oldest step first.
    pub async fn messages(
        &self,
        creditor: &CreditorId,
        invoice: &InvoiceId,
    ) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        let out = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("#pk = :pk AND begins_with(#sk, :msg)")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#sk", attr::SK)
            .expression_attribute_values(":pk", s(keys::invoice(creditor, invoice)))
            .expression_attribute_values(":msg", s("MSG#"))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(out.items().to_vec())
    }

    /// The debtor's open invoices, from the sparse by-debtor index. Their sum is the debtor's balance.
    pub async fn open_invoices_of(&self, creditor: &CreditorId, debtor: &DebtorId) -> Result<Vec<Invoice>, StoreError> {
        let mut out = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let page = self
                .client()
                .query()
                .table_name(self.table())
                .index_name(DEBTOR_INDEX)
                .key_condition_expression("#debtor = :debtor")
                .expression_attribute_names("#debtor", attr::DEBTOR_KEY)
                .expression_attribute_values(":debtor", s(keys::debtor(creditor, debtor)))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(sdk_error)?;
            for item in page.items() {
                out.push(invoice_from_item(item)?);
            }
            match page.last_evaluated_key() {
                Some(key) if !key.is_empty() => start = Some(key.clone()),
                _ => return Ok(out),
            }
        }
    }
}
