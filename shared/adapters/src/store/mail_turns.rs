//! Turns for Duly's own mail (sign-in and sign-up links, invitations, notices): counters with a TTL, one
//! per address or per creditor and window, so that neither a stranger at the sign-in form nor a tenant can
//! make Duly's address send without end. SES's complaint rate is the whole service's: mail nobody asked for
//! would pause every creditor's reminders.

use chrono::{DateTime, Utc};

use duly_core::model::ids::CreditorId;

use super::{condition_held, keys, n, s, Store, StoreError};

impl Store {
    /// Takes one of `limit` turns of the counter `pk`/`sk`, which is forgotten after `expires`.
    async fn take_turn(&self, pk: String, sk: String, limit: u32, expires: DateTime<Utc>) -> Result<bool, StoreError> {
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(super::invoice_item::attr::PK, s(pk))
            .key(super::invoice_item::attr::SK, s(sk))
            .update_expression("ADD #sent :one SET expires_at = :expires")
            .condition_expression("attribute_not_exists(#sent) OR #sent < :limit")
            .expression_attribute_names("#sent", "sent")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":limit", n(i64::from(limit)))
            .expression_attribute_values(":expires", n(expires.timestamp()))
            .send()
            .await;
        condition_held(result)
    }

    /// A turn to mail `address` from Duly in the hour of `now`, of `limit`.
    pub async fn take_mail_turn_to(&self, address: &str, limit: u32, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let hour = now.format("%Y-%m-%dT%H").to_string();
        let expires = now + chrono::Duration::hours(2);
        self.take_turn(format!("MAILTO#{address}"), hour, limit, expires).await
    }

    /// A turn of the creditor's for Duly's mail of one `purpose` (invitations, notices) on the UTC day of
    /// `now`, of `limit`.
    pub async fn take_mail_turn_of(
        &self,
        creditor: &CreditorId,
        purpose: &str,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let day = now.format("%Y-%m-%d").to_string();
        let expires = now + chrono::Duration::days(2);
        self.take_turn(
            keys::creditor(creditor),
            format!("MAILTURNS#{purpose}#{day}"),
            limit,
            expires,
        )
        .await
    }
}
