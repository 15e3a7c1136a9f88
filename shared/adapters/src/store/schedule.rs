//! The due index: what is due in a shard, and moving an invoice's next action.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Update};
use chrono::{DateTime, Utc};

use duly_core::ledger::Invoice;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};

use super::invoice_item::attr;
use super::{keys, n, required_s, s, ts, Store, StoreError, DUE_INDEX};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueInvoice {
    pub creditor_id: CreditorId,
    pub debtor_id: DebtorId,
    pub invoice_id: InvoiceId,
    /// When it became due.
    pub due_at: Option<DateTime<Utc>>,
}

/// Where the next page of a due-index shard starts (the last key DynamoDB read).
#[derive(Debug, Clone)]
pub struct DuePageStart(super::RawItem);

/// A claimed message on the due index: its lease ran out before every channel was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueMessage {
    pub creditor_id: CreditorId,
    pub debtor_id: DebtorId,
    pub sk: String,
}

/// What one due-index shard holds up to a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueEntries {
    pub invoices: Vec<DueInvoice>,
    /// Claimed messages whose lease ran out.
    pub messages: Vec<DueMessage>,
    /// Creditors' daily digests.
    pub digests: Vec<super::DueDigest>,
    /// Due invoices read but not kept: their creditor had its share of the run already.
    pub left: usize,
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

/// A message that listed the invoice: when, and whether it listed it as overdue.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sent {
    pub at: DateTime<Utc>,
    pub overdue: bool,
}

/// An update of the invoice's scheduling attributes, conditional on the revision that was read.
pub(super) fn progress_update(
    table: &str,
    inv: &Invoice,
    next: Option<DateTime<Utc>>,
    done: &[String],
    sent: Option<Sent>,
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
    if let Some(sent) = sent {
        names.insert("#last".into(), attr::LAST_SENT_AT.into());
        values.insert(":last".into(), s(ts(sent.at)));
        set.push("#last = :last".into());
        if sent.overdue {
            names.insert("#first_overdue".into(), attr::FIRST_OVERDUE_AT.into());
            set.push("#first_overdue = if_not_exists(#first_overdue, :last)".into());
        }
    }
    if let Some(controls) = controls {
        names.insert("#controls".into(), attr::CONTROLS.into());
        values.insert(":controls".into(), super::invoice_item::controls_value(controls));
        set.push("#controls = :controls".into());
        names.insert("#needs".into(), attr::NEEDS_YOU.into());
        names.insert("#needs_from".into(), attr::NEEDS_FROM.into());
        let needs = inv
            .is_open()
            .then(|| super::invoice_item::needs_attrs(&inv.creditor_id, controls))
            .flatten();
        match needs {
            Some(attrs) => {
                for (name, value) in attrs {
                    let key = if name == attr::NEEDS_YOU { "needs" } else { "needs_from" };
                    values.insert(format!(":{key}"), value);
                    set.push(format!("#{key} = :{key}"));
                }
            }
            None => {
                remove.push("#needs".into());
                remove.push("#needs_from".into());
            }
        }
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
        Ok(self.due_entries(shard, now).await?.invoices)
    }

    /// One due-index shard up to `now`: the invoices with a pending action, the claimed messages whose
    /// lease ran out (their `sk`), and the digests due.
    pub async fn due_entries(&self, shard: u32, now: DateTime<Utc>) -> Result<DueEntries, StoreError> {
        self.due_entries_kept(shard, now, &mut |_, _| true).await
    }

    /// As [`Store::due_entries`], read page by page and keeping only the invoices `keep` wants (by creditor
    /// and debtor): what a run keeps grows with what it may handle, not with the index.
    pub async fn due_entries_kept(
        &self,
        shard: u32,
        now: DateTime<Utc>,
        keep: &mut dyn FnMut(&CreditorId, &DebtorId) -> bool,
    ) -> Result<DueEntries, StoreError> {
        let mut due = DueEntries::default();
        let mut start = None;
        loop {
            let (page, next) = self.due_page(shard, now, start.take()).await?;
            due.messages.extend(page.messages);
            due.digests.extend(page.digests);
            for invoice in page.invoices {
                if keep(&invoice.creditor_id, &invoice.debtor_id) {
                    due.invoices.push(invoice);
                } else {
                    due.left += 1;
                }
            }
            match next {
                Some(key) => start = Some(key),
                None => return Ok(due),
            }
        }
    }

    /// One page (at most 1 MB) of a due-index shard up to `now`, and where the next page starts, if there
    /// is one: a reader that handles each page before it asks for the next holds one page at a time.
    pub async fn due_page(
        &self,
        shard: u32,
        now: DateTime<Utc>,
        start: Option<DuePageStart>,
    ) -> Result<(DueEntries, Option<DuePageStart>), StoreError> {
        let corrupt = |e: duly_core::model::ids::IdError| StoreError::Corrupt(e.to_string());
        let mut due = DueEntries::default();
        let (items, next) = self
            .query_due_page(
                DUE_INDEX,
                attr::DUE_SHARD,
                &format!("DUE#{shard}"),
                attr::NEXT_ACTION_AT,
                now,
                start.map(|s| s.0),
            )
            .await?;
        for item in &items {
            let get = |k: &str| required_s(item, k, "due index entry");
            let creditor_id = CreditorId::parse(get(attr::CREDITOR_ID)?).map_err(corrupt)?;
            let sk = get(attr::SK)?;
            if sk == "DIGEST" {
                due.digests.push(super::DueDigest {
                    creditor_id,
                    at: get(attr::NEXT_ACTION_AT)?,
                });
                continue;
            }
            let debtor_id = DebtorId::parse(get(attr::DEBTOR_ID)?).map_err(corrupt)?;
            if sk.starts_with("MSG#") {
                due.messages.push(DueMessage {
                    creditor_id,
                    debtor_id,
                    sk,
                });
            } else {
                due.invoices.push(DueInvoice {
                    creditor_id,
                    debtor_id,
                    invoice_id: InvoiceId::parse(get(attr::INVOICE_ID)?).map_err(corrupt)?,
                    due_at: get(attr::NEXT_ACTION_AT)?.parse().ok(),
                });
            }
        }
        Ok((due, next.map(DuePageStart)))
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
    pub(super) async fn conditional_update(&self, u: Update) -> Result<bool, StoreError> {
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
        super::condition_held(result)
    }
}

impl Store {
    /// Puts an invoice paid after a reminder on the due index for its thank-you, unless a credit note
    /// settled any of it, it changed since `invoice` was read, or it is on the index already; `false` then.
    pub async fn put_up_for_thanks(&self, invoice: &Invoice, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let pk = keys::invoice(&invoice.creditor_id, &invoice.invoice_id);
        if !self.query_latest(pk, "CN#", 1).await?.is_empty() {
            return Ok(false);
        }
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::invoice(&invoice.creditor_id, &invoice.invoice_id)))
            .key(attr::SK, s(keys::INVOICE_SK))
            .update_expression("SET #next = :next, #shard = :shard")
            .condition_expression("#rev = :rev AND attribute_not_exists(#next)")
            .expression_attribute_names("#next", attr::NEXT_ACTION_AT)
            .expression_attribute_names("#shard", attr::DUE_SHARD)
            .expression_attribute_names("#rev", attr::REV)
            .expression_attribute_values(":next", s(ts(at)))
            .expression_attribute_values(":shard", s(keys::due_shard(&invoice.creditor_id, &invoice.invoice_id)))
            .expression_attribute_values(":rev", n(invoice.rev))
            .send()
            .await;
        super::condition_held(result)
    }
}
