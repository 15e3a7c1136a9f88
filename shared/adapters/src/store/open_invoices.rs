//! A debtor's and a creditor's open invoices, through the sparse open-invoice indexes, read consistently;
//! several invoices or debtors at once.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};

use duly_core::ledger::Invoice;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::Debtor;

use super::invoice_item::{attr, invoice_from_item};
use super::schedule::progress_update;
use super::{keys, required_s, s, sdk_error, Store, StoreError, CREDITOR_INDEX, DEBTOR_INDEX, NEEDS_INDEX};

/// Batch reads one page sends at once: enough to hide the round trips, few enough that one page cannot
/// take a large share of the table's throughput.
const BATCHES_IN_FLIGHT: usize = 8;

impl Store {
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

    /// A creditor's open invoices and the debtors who owe them.
    pub async fn open_invoices_with_debtors(
        &self,
        creditor: &CreditorId,
    ) -> Result<(Vec<Invoice>, Vec<Debtor>), StoreError> {
        let open = self.open_invoices_of_creditor(creditor).await?;
        let ids: Vec<DebtorId> = open
            .iter()
            .filter_map(|i| i.doc.as_ref().map(|d| d.debtor_id.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let debtors = self.get_debtors(creditor, &ids).await?;
        Ok((open, debtors))
    }

    /// A creditor's open invoices whose controls may wait for them on `today` (see
    /// [`duly_core::web::todo`]), at most `limit`, oldest first, read consistently. What needs them is
    /// decided from the invoices read, not from the index.
    pub async fn invoices_needing(
        &self,
        creditor: &CreditorId,
        today: chrono::NaiveDate,
        limit: i32,
    ) -> Result<Vec<Invoice>, StoreError> {
        let page = self
            .client()
            .query()
            .table_name(self.table())
            .index_name(NEEDS_INDEX)
            .key_condition_expression("#k = :k AND #from <= :today")
            .expression_attribute_names("#k", attr::NEEDS_YOU)
            .expression_attribute_names("#from", attr::NEEDS_FROM)
            .expression_attribute_values(":k", s(keys::creditor(creditor)))
            .expression_attribute_values(":today", s(today.to_string()))
            .limit(limit)
            .send()
            .await
            .map_err(sdk_error)?;
        let ids = page
            .items()
            .iter()
            .map(|item| {
                let id = required_s(item, attr::INVOICE_ID, "needs-you index entry")?;
                InvoiceId::parse(id).map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut invoices = self.get_invoices(creditor, &ids).await?;
        invoices.retain(Invoice::is_open);
        invoices.sort_by_key(|i| duly_core::web::todo::needs_from(&i.controls));
        Ok(invoices)
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

    /// Strongly consistent reads of several invoices of one creditor, in batches of 100.
    pub async fn get_invoices(&self, creditor: &CreditorId, ids: &[InvoiceId]) -> Result<Vec<Invoice>, StoreError> {
        let keys = ids
            .iter()
            .map(|id| (keys::invoice(creditor, id), keys::INVOICE_SK.to_string()))
            .collect::<Vec<_>>();
        self.batch_get(&keys).await?.iter().map(invoice_from_item).collect()
    }

    /// Strongly consistent reads of several debtors of one creditor, in batches of 100; missing ones are
    /// left out.
    pub async fn get_debtors(&self, creditor: &CreditorId, ids: &[DebtorId]) -> Result<Vec<Debtor>, StoreError> {
        let keys = ids
            .iter()
            .map(|id| (keys::debtor(creditor, id), keys::DEBTOR_SK.to_string()))
            .collect::<Vec<_>>();
        self.batch_get(&keys)
            .await?
            .into_iter()
            .map(|item| serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }

    /// The items of `keys` (partition, sort), read consistently in batches of 100, several batches at once
    /// (a page over thousands of invoices waits for a few round trips, not for one per hundred), retrying
    /// what DynamoDB leaves unprocessed. The items come in no particular order.
    async fn batch_get(&self, keys: &[(String, String)]) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        use futures_util::stream::{self, StreamExt, TryStreamExt};
        // The futures are made before the stream: a closure inside it would not be `Send` for every lifetime.
        let reads: Vec<_> = keys.chunks(100).map(|chunk| self.batch_get_one(chunk)).collect();
        let batches: Vec<Vec<HashMap<String, AttributeValue>>> = stream::iter(reads)
            .buffer_unordered(BATCHES_IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(batches.into_iter().flatten().collect())
    }

    async fn batch_get_one(
        &self,
        chunk: &[(String, String)],
    ) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        let mut out = Vec::new();
        let keys_and_attributes = aws_sdk_dynamodb::types::KeysAndAttributes::builder()
            .set_keys(Some(
                chunk
                    .iter()
                    .map(|(pk, sk)| HashMap::from([(attr::PK.to_string(), s(pk)), (attr::SK.to_string(), s(sk))]))
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
                out.extend(items.iter().cloned());
            }
            pending = page.unprocessed_keys().cloned();
            attempt += 1;
            if pending.as_ref().is_some_and(|p| !p.is_empty()) {
                // Unprocessed keys mean throttling: back off before asking again.
                tokio::time::sleep(std::time::Duration::from_millis(25 * u64::from(attempt.min(8)))).await;
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
