//! The month's spend, reserved before each message: one counter a creditor and month, added to with a
//! condition against the cap, so that workers sending for one creditor at once cannot each spend what is
//! left (a reservation that loses the race is refused, not added).

use chrono::{DateTime, Utc};

use duly_core::model::ids::CreditorId;

use super::invoice_item::attr;
use super::{condition_held, keys, n, s, Store, StoreError};

/// The creditor's reservation counter for `month`.
fn spend_key(creditor: &CreditorId, month: &str) -> super::RawItem {
    std::collections::HashMap::from([
        (attr::PK.to_string(), s(keys::creditor(creditor))),
        (attr::SK.to_string(), s(format!("SPEND#{month}"))),
    ])
}

impl Store {
    /// Reserves `cost` of the creditor's `month` against `cap` (all in millionths of a euro). The first
    /// reservation of a month starts from `spent`, the month's spend as its usage counters have it.
    /// `false`: the cap would be passed (the first reservation's condition checks `spent` itself), and
    /// nothing is reserved.
    pub async fn reserve_spend(
        &self,
        creditor: &CreditorId,
        month: &str,
        spent: i64,
        cost: i64,
        cap: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(spend_key(creditor, month)))
            .update_expression("SET #reserved = if_not_exists(#reserved, :spent) + :cost, expires_at = :expires")
            .condition_expression("(attribute_not_exists(#reserved) AND :spent <= :limit) OR #reserved <= :limit")
            .expression_attribute_names("#reserved", "reserved")
            .expression_attribute_values(":spent", n(spent))
            .expression_attribute_values(":cost", n(cost))
            .expression_attribute_values(":limit", n(cap.saturating_sub(cost)))
            .expression_attribute_values(":expires", n((now + chrono::Duration::days(70)).timestamp()))
            .send()
            .await;
        condition_held(result)
    }

    /// Gives back a reservation whose message was not sent (another run claimed it first).
    pub async fn release_spend(&self, creditor: &CreditorId, month: &str, cost: i64) -> Result<(), StoreError> {
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(spend_key(creditor, month)))
            .update_expression("ADD #reserved :minus")
            .condition_expression("attribute_exists(#reserved)")
            .expression_attribute_names("#reserved", "reserved")
            .expression_attribute_values(":minus", n(-cost))
            .send()
            .await;
        condition_held(result).map(|_| ())
    }
}
