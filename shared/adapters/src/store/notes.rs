//! Notes the creditor's members write on a customer: `NOTE#{at}#{nonce}` items in the debtor's partition,
//! so that erasing the debtor finds them with the rest of what is kept about them.

use chrono::{DateTime, Utc};

use duly_core::model::ids::{CreditorId, DebtorId};
use duly_core::model::tokens::fingerprint;

use super::invoice_item::attr;
use super::{keys, parse_ts, required_s, s, sdk_error, ts, Store, StoreError};

const PREFIX: &str = "NOTE#";

/// Notes a customer's page shows at most, newest first.
pub const MAX_NOTES_SHOWN: i32 = 100;

/// A note as it was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    pub at: DateTime<Utc>,
    /// The member who wrote it (empty for a session that had no address yet).
    pub author: String,
    pub text: String,
}

impl Store {
    /// Keeps a note on the creditor's customer.
    pub async fn put_note(&self, creditor: &CreditorId, debtor: &DebtorId, note: &Note) -> Result<(), StoreError> {
        // Two notes in the same microsecond stay two, unless they are the same words by the same member.
        let nonce = fingerprint(&format!("{}\n{}", note.author, note.text));
        let nonce = &nonce[..12];
        self.client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(keys::debtor(creditor, debtor)))
            .item(attr::SK, s(format!("{PREFIX}{}#{nonce}", ts(note.at))))
            .item("at", s(ts(note.at)))
            .item("author", s(&note.author))
            .item("text", s(&note.text))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// The customer's latest notes, newest first, at most [`MAX_NOTES_SHOWN`].
    pub async fn notes_of(&self, creditor: &CreditorId, debtor: &DebtorId) -> Result<Vec<Note>, StoreError> {
        self.query_latest(keys::debtor(creditor, debtor), PREFIX, MAX_NOTES_SHOWN)
            .await?
            .iter()
            .map(|item| {
                let text = |k: &str| required_s(item, k, "note");
                Ok(Note {
                    at: parse_ts(&text("at")?)?,
                    author: text("author").unwrap_or_default(),
                    text: text("text")?,
                })
            })
            .collect()
    }

    /// Deletes every note on the customer, for an erasure; how many there were.
    pub(crate) async fn delete_notes(&self, creditor: &CreditorId, debtor: &DebtorId) -> Result<usize, StoreError> {
        let pk = keys::debtor(creditor, debtor);
        let mut deleted = 0;
        for item in self.query_partition(pk.clone(), Some(PREFIX), true).await? {
            let Some(sk) = item.get(attr::SK).and_then(|v| v.as_s().ok()) else {
                continue;
            };
            self.client()
                .delete_item()
                .table_name(self.table())
                .key(attr::PK, s(&pk))
                .key(attr::SK, s(sk))
                .send()
                .await
                .map_err(sdk_error)?;
            deleted += 1;
        }
        Ok(deleted)
    }
}
