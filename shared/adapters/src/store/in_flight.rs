//! What the scheduler's work queue holds for each creditor: a counter of batches put on the queue and not
//! yet done, with a lease. A tick puts nothing more of a creditor on the queue while their counter is above
//! zero and its lease runs, so one creditor's slow batches hold back no one else's, and no debtor is queued
//! twice. A batch that never finishes (its worker died, it went to the dead-letter queue) stops counting
//! when the lease ends.

use chrono::{DateTime, Utc};

use duly_core::model::ids::CreditorId;

use super::invoice_item::attr;
use super::{condition_held, keys, n, parse_ts, s, sdk_error, ts, Store, StoreError};

const IN_FLIGHT_SK: &str = "INFLIGHT";

fn in_flight_key(creditor: &CreditorId) -> super::RawItem {
    std::collections::HashMap::from([
        (attr::PK.to_string(), s(keys::creditor(creditor))),
        (attr::SK.to_string(), s(IN_FLIGHT_SK)),
    ])
}

impl Store {
    /// Counts `batches` more of the creditor's batches on the queue, all done by `until` at the latest.
    /// `fresh`: the tick found nothing of theirs in flight, so the count starts again from these (what a
    /// batch lost past its lease had left on it is dropped).
    pub async fn count_in_flight(
        &self,
        creditor: &CreditorId,
        batches: usize,
        until: DateTime<Utc>,
        fresh: bool,
    ) -> Result<(), StoreError> {
        let expression = match fresh {
            true => "SET #batches = :batches, #until = :until, expires_at = :expires",
            false => "ADD #batches :batches SET #until = :until, expires_at = :expires",
        };
        self.client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(in_flight_key(creditor)))
            .update_expression(expression)
            .expression_attribute_names("#batches", "batches")
            .expression_attribute_names("#until", "until")
            .expression_attribute_values(":batches", n(batches))
            .expression_attribute_values(":until", s(ts(until)))
            .expression_attribute_values(":expires", n((until + chrono::Duration::days(1)).timestamp()))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// One of the creditor's batches is done. Never below zero: SQS may hand a batch over twice.
    pub async fn batch_done(&self, creditor: &CreditorId) -> Result<(), StoreError> {
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(in_flight_key(creditor)))
            .update_expression("ADD #batches :minus")
            .condition_expression("#batches > :zero")
            .expression_attribute_names("#batches", "batches")
            .expression_attribute_values(":minus", n(-1))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await;
        condition_held(result).map(|_| ())
    }

    /// Whether some of the creditor's batches are still on the queue at `now`.
    pub async fn has_work_in_flight(&self, creditor: &CreditorId, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .set_key(Some(in_flight_key(creditor)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else {
            return Ok(false);
        };
        let batches = item
            .get("batches")
            .and_then(|v| v.as_n().ok())
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0);
        let until = match item.get("until").and_then(|v| v.as_s().ok()) {
            Some(raw) => parse_ts(raw)?,
            None => return Ok(false),
        };
        Ok(batches > 0 && until > now)
    }
}
