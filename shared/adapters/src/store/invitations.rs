//! Invitations to sign in for a creditor. An invitation binds nothing until the invitee opens the mailed
//! link and accepts it: only then is the address a member. An address merely invited gets no sign-in link
//! and no session, and its owner can still make an account of their own.

use chrono::{DateTime, Utc};

use duly_core::model::ids::CreditorId;
use duly_core::web::Role;

use super::invoice_item::attr;
use super::{required_s, s, sdk_error, ts, Store, StoreError};

const INVITATION_SK: &str = "INVITATION";

/// What an invitation says: who is asked to join which creditor, and who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub creditor_id: CreditorId,
    pub email: String,
    /// The inviting member's address (empty when the inviting session had none).
    pub inviter: String,
    /// What the address may do once it accepts.
    pub role: Role,
}

fn invitation_key(fingerprint: &str) -> String {
    format!("INVITE#{fingerprint}")
}

fn invitation_of(
    item: &std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
) -> Result<Invitation, StoreError> {
    let text = |k: &str| required_s(item, k, "invitation");
    Ok(Invitation {
        creditor_id: CreditorId::parse(text(attr::CREDITOR_ID)?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        email: text("email")?,
        inviter: text("inviter").unwrap_or_default(),
        // One sent before roles existed makes a member, the role an owner would most often pick.
        role: text("role").ok().and_then(|r| Role::parse(&r)).unwrap_or(Role::Member),
    })
}

impl Store {
    /// Stores an invitation under the fingerprint of its link's token, valid until `valid_until`.
    pub async fn put_invitation(
        &self,
        fingerprint: &str,
        invitation: &Invitation,
        valid_until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(invitation_key(fingerprint)))
            .item(attr::SK, s(INVITATION_SK))
            .item(attr::CREDITOR_ID, s(invitation.creditor_id.as_str()))
            .item("email", s(&invitation.email))
            .item("inviter", s(&invitation.inviter))
            .item("role", s(invitation.role.as_str()))
            .item("valid_until", s(ts(valid_until)))
            .item(
                "expires_at",
                super::n((valid_until + chrono::Duration::days(1)).timestamp()),
            )
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// An invitation still valid at `now`, read without using it up.
    pub async fn peek_invitation(
        &self,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Invitation>, StoreError> {
        match self.peek_once(invitation_key(fingerprint), INVITATION_SK, now).await? {
            Some(item) => invitation_of(&item).map(Some),
            None => Ok(None),
        }
    }

    /// Uses an invitation up: the invitation, if it was still valid at `now`.
    pub async fn take_invitation(
        &self,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Invitation>, StoreError> {
        match self.take_once(invitation_key(fingerprint), INVITATION_SK, now).await? {
            Some(item) => invitation_of(&item).map(Some),
            None => Ok(None),
        }
    }
}
