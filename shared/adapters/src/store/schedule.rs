//! The scheduler's reads and writes: the due index, the send claim, and what was sent.

use std::collections::HashMap;

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use chrono::{DateTime, Utc};

use duly_core::ledger::Invoice;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::{Debtor, MessageHistory};
use duly_core::policy::{Channel, Tone};

use super::invoice_item::{attr, invoice_from_item};
use super::{
    cancellation_reasons, keys, n, required_s, s, sdk_error, ts, Store, StoreError, CREDITOR_INDEX, DEBTOR_INDEX,
    DUE_INDEX,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueInvoice {
    pub creditor_id: CreditorId,
    pub debtor_id: DebtorId,
    pub invoice_id: InvoiceId,
}

/// One invoice a statement covers, as it was read, and where it moves.
#[derive(Debug, Clone)]
pub struct ClaimedInvoice<'a> {
    pub invoice: &'a Invoice,
    pub step_key: String,
    pub skipped: Vec<String>,
    pub next_action_at: Option<DateTime<Utc>>,
}

/// A claimed message on the due index: its lease ran out before every channel was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueMessage {
    pub creditor_id: CreditorId,
    pub debtor_id: DebtorId,
    pub sk: String,
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
    controls: Option<&duly_core::model::InvoiceControls>,
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
    if let Some(controls) = controls {
        names.insert("#controls".into(), attr::CONTROLS.into());
        values.insert(":controls".into(), super::invoice_item::controls_value(controls));
        set.push("#controls = :controls".into());
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
        Ok(self.due_entries(shard, now).await?.0)
    }

    /// One due-index shard up to `now`: the invoices with a pending action, and the claimed messages whose
    /// lease ran out (their `sk`).
    pub async fn due_entries(
        &self,
        shard: u32,
        now: DateTime<Utc>,
    ) -> Result<(Vec<DueInvoice>, Vec<DueMessage>), StoreError> {
        let items = self
            .query_due(
                DUE_INDEX,
                attr::DUE_SHARD,
                format!("DUE#{shard}"),
                attr::NEXT_ACTION_AT,
                now,
            )
            .await?;
        let corrupt = |e: duly_core::model::ids::IdError| StoreError::Corrupt(e.to_string());
        let (mut invoices, mut messages) = (Vec::new(), Vec::new());
        for item in &items {
            let get = |k: &str| required_s(item, k, "due index entry");
            let creditor_id = CreditorId::parse(get(attr::CREDITOR_ID)?).map_err(corrupt)?;
            let debtor_id = DebtorId::parse(get(attr::DEBTOR_ID)?).map_err(corrupt)?;
            let sk = get(attr::SK)?;
            if sk.starts_with("MSG#") {
                messages.push(DueMessage {
                    creditor_id,
                    debtor_id,
                    sk,
                });
            } else {
                invoices.push(DueInvoice {
                    creditor_id,
                    debtor_id,
                    invoice_id: InvoiceId::parse(get(attr::INVOICE_ID)?).map_err(corrupt)?,
                });
            }
        }
        Ok((invoices, messages))
    }

    /// Moves the invoice's next action (or takes it off the index), marking steps as done on the way.
    /// Returns `false` when the invoice changed since it was read.
    pub async fn reschedule(
        &self,
        inv: &Invoice,
        next: Option<DateTime<Utc>>,
        done: &[String],
    ) -> Result<bool, StoreError> {
        self.conditional_update(progress_update(self.table(), inv, next, done, None, None))
            .await
    }

    /// Runs an update built for a transaction on its own; `false` when its condition failed.
    async fn conditional_update(&self, u: Update) -> Result<bool, StoreError> {
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
        for i in &claim.invoices {
            let mut done = i.skipped.clone();
            done.push(i.step_key.clone());
            let u = progress_update(self.table(), i.invoice, i.next_action_at, &done, Some(claim.at), None);
            request = request.transact_items(TransactWriteItem::builder().update(u).build());
        }
        match request.send().await {
            Ok(_) => Ok(ClaimOutcome::Claimed),
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
        })
    }

    /// The message records of one invoice, oldest step first.
    pub async fn messages(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
    ) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        let out = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("#pk = :pk AND begins_with(#sk, :msg)")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#sk", attr::SK)
            .expression_attribute_values(":pk", s(keys::debtor(creditor, debtor)))
            .expression_attribute_values(":msg", s("MSG#"))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(out.items().to_vec())
    }

    /// The debtor's open invoices: their ids from the sparse by-debtor index, then each read consistently.
    /// Their sum is the debtor's balance.
    pub async fn open_invoices_of(&self, creditor: &CreditorId, debtor: &DebtorId) -> Result<Vec<Invoice>, StoreError> {
        let ids = self.open_invoice_ids_of(creditor, debtor).await?;
        self.get_invoices(creditor, &ids).await
    }

    /// The ids of the debtor's open invoices, from the sparse by-debtor index (eventually consistent: a hint
    /// for reads that must be consistent).
    pub async fn open_invoice_ids_of(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
    ) -> Result<Vec<InvoiceId>, StoreError> {
        self.query_open(DEBTOR_INDEX, attr::DEBTOR_KEY, keys::debtor(creditor, debtor))
            .await
    }

    /// All of a creditor's open invoices, from the sparse by-creditor index, read consistently: what a
    /// policy change affects.
    pub async fn open_invoices_of_creditor(&self, creditor: &CreditorId) -> Result<Vec<Invoice>, StoreError> {
        let ids = self
            .query_open(CREDITOR_INDEX, attr::CREDITOR_OPEN, keys::creditor(creditor))
            .await?;
        self.get_invoices(creditor, &ids).await
    }

    /// The open-invoice indexes project the invoice id only: an invoice changes far more often than these
    /// are read, and an index that projects everything is written on every change.
    async fn query_open(&self, index: &str, key: &str, value: String) -> Result<Vec<InvoiceId>, StoreError> {
        let mut out = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let page = self
                .client()
                .query()
                .table_name(self.table())
                .index_name(index)
                .key_condition_expression("#k = :k")
                .expression_attribute_names("#k", key)
                .expression_attribute_values(":k", s(value.clone()))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(sdk_error)?;
            for item in page.items() {
                let id = required_s(item, attr::INVOICE_ID, "open-invoice index entry")?;
                out.push(InvoiceId::parse(id).map_err(|e| StoreError::Corrupt(e.to_string()))?);
            }
            match page.last_evaluated_key() {
                Some(key) if !key.is_empty() => start = Some(key.clone()),
                _ => return Ok(out),
            }
        }
    }
}

impl Store {
    /// Strongly consistent reads of several invoices of one creditor, in batches of 100.
    pub async fn get_invoices(&self, creditor: &CreditorId, ids: &[InvoiceId]) -> Result<Vec<Invoice>, StoreError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(100) {
            let keys_and_attributes = aws_sdk_dynamodb::types::KeysAndAttributes::builder()
                .set_keys(Some(
                    chunk
                        .iter()
                        .map(|id| {
                            HashMap::from([
                                (attr::PK.to_string(), s(keys::invoice(creditor, id))),
                                (attr::SK.to_string(), s(keys::INVOICE_SK)),
                            ])
                        })
                        .collect(),
                ))
                .consistent_read(true)
                .build()
                .map_err(|e| StoreError::Rejected(e.to_string()))?;
            let mut pending = Some(HashMap::from([(self.table().to_string(), keys_and_attributes)]));
            let mut attempt = 0u32;
            while let Some(request) = pending.take().filter(|r| !r.is_empty()) {
                let page = self
                    .client()
                    .batch_get_item()
                    .set_request_items(Some(request))
                    .send()
                    .await
                    .map_err(sdk_error)?;
                if let Some(items) = page.responses().and_then(|r| r.get(self.table())) {
                    for item in items {
                        out.push(invoice_from_item(item)?);
                    }
                }
                pending = page.unprocessed_keys().cloned();
                attempt += 1;
                if pending.as_ref().is_some_and(|p| !p.is_empty()) {
                    // Unprocessed keys mean throttling: back off before asking again.
                    tokio::time::sleep(std::time::Duration::from_millis(25 * u64::from(attempt.min(8)))).await;
                }
            }
        }
        Ok(out)
    }

    /// Writes an invoice's controls and where it sits on the due index, if it has not changed since read.
    pub async fn set_invoice_controls(
        &self,
        invoice: &Invoice,
        controls: &duly_core::model::InvoiceControls,
        next_action_at: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        let u = progress_update(self.table(), invoice, next_action_at, &[], None, Some(controls));
        self.conditional_update(u).await
    }
}

impl Store {
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
