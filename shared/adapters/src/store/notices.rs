//! What the creditor has been told by e-mail, so that one event is told once, however often it is seen.

use chrono::{DateTime, Utc};

use duly_core::model::ids::CreditorId;

use super::dead_letters::dead_letter_expiry;
use super::invoice_item::attr;
use super::{keys, s, ts, Store, StoreError};

impl Store {
    /// Records that the creditor is being told about `event` (`revoked:xero:2026-11-20`, say); `false`
    /// when they were told already. The record expires with the dead letters, after 90 days.
    pub async fn first_notice(
        &self,
        creditor: &CreditorId,
        event: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let result = self
            .client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(keys::creditor(creditor)))
            .item(attr::SK, s(format!("NOTICE#{event}")))
            .item("told_at", s(ts(now)))
            .item("expires_at", dead_letter_expiry(now))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", attr::PK)
            .send()
            .await;
        super::condition_held(result)
    }
}
