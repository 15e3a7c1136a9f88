//! The audit trail in the table: a creditor's chained entries under one partition, its head (the last
//! sequence number and hash) beside them, and each entry's personal part under the debtor it is about.
//!
//! An entry is appended in one transaction with the head's move, conditioned on the head as read, so two
//! writers can never both take the same place: the loser reads the head again and takes the next.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};

use duly_core::audit::{
    chain_hash, personal_digest, salt, Entry, Personal, Stored, CHAINED_BY_DIGEST, CHAINED_BY_JSON, GENESIS,
};
use duly_core::model::ids::{CreditorId, DebtorId};

use super::invoice_item::attr;
use super::{cancellation_reasons, keys, n, s, sdk_error, Store, StoreError};

const HEAD_SK: &str = "HEAD";
/// Tries at taking the next place while other writers take it first.
const APPEND_ATTEMPTS: u32 = 8;

fn chain_pk(creditor: &CreditorId) -> String {
    format!("{}#AUDIT", keys::creditor(creditor))
}

fn entry_sk(seq: u64) -> String {
    format!("E#{seq:012}")
}

fn personal_sk(seq: u64) -> String {
    format!("AUDITP#{seq:012}")
}

/// One entry to append: what happened, to whom, and a key that makes the append happen once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditAppend {
    /// Its `seq` and `personal_digest` are filled in when it is appended.
    pub entry: Entry,
    pub personal: Personal,
    /// The same key appends once: a redelivered event adds nothing.
    pub once_key: Option<String>,
}

/// What appending writes, built from the head as read.
pub(crate) struct AuditItems {
    pub items: Vec<TransactWriteItem>,
    /// Position of the once-key marker among `items`, whose failed condition means "already appended".
    pub marker: Option<usize>,
}

impl Store {
    /// The last sequence number and hash of the creditor's chain (0 and the genesis hash when empty).
    pub async fn audit_head(&self, creditor: &CreditorId) -> Result<(u64, String), StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(chain_pk(creditor)))
            .key(attr::SK, s(HEAD_SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else {
            return Ok((0, GENESIS.to_string()));
        };
        let seq = match item.get("seq") {
            Some(AttributeValue::N(v)) => v.parse().map_err(|_| StoreError::Corrupt("audit head".into()))?,
            _ => return Err(StoreError::Corrupt("audit head without seq".into())),
        };
        Ok((seq, super::required_s(item, "hash", "audit head")?))
    }

    /// The items that append `append` after the head as read now.
    pub(crate) async fn audit_items(
        &self,
        creditor: &CreditorId,
        append: &AuditAppend,
    ) -> Result<AuditItems, StoreError> {
        let (seq, previous) = self.audit_head(creditor).await?;
        let mut entry = append.entry.clone();
        entry.seq = seq + 1;
        let salt = salt();
        // An entry that names no one (what the creditor did, what a debtor answered) has no personal part.
        let named = !append.personal.recipients.is_empty();
        if named {
            entry.personal_digest = personal_digest(&salt, &append.personal);
        }
        let hash = chain_hash(&previous, &entry);
        let json = serde_json::to_string(&entry).map_err(|e| StoreError::Rejected(e.to_string()))?;
        let table = self.table();
        let put = |item: HashMap<String, AttributeValue>, condition: Option<&str>| {
            let mut p = Put::builder().table_name(table).set_item(Some(item));
            if let Some(c) = condition {
                p = p.condition_expression(c).expression_attribute_names("#pk", attr::PK);
            }
            TransactWriteItem::builder()
                .put(p.build().expect("table and item are set"))
                .build()
        };
        let record = HashMap::from([
            (attr::PK.to_string(), s(chain_pk(creditor))),
            (attr::SK.to_string(), s(entry_sk(entry.seq))),
            ("entry".to_string(), s(json)),
            ("previous".to_string(), s(&previous)),
            ("hash".to_string(), s(&hash)),
            ("chained_by".to_string(), n(CHAINED_BY_DIGEST)),
        ]);
        let head = HashMap::from([
            (attr::PK.to_string(), s(chain_pk(creditor))),
            (attr::SK.to_string(), s(HEAD_SK)),
            ("seq".to_string(), n(entry.seq)),
            ("hash".to_string(), s(&hash)),
        ]);
        let head_put = Put::builder().table_name(table).set_item(Some(head));
        let head_put = match seq {
            0 => head_put
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", attr::PK),
            _ => head_put
                .condition_expression("#seq = :seq")
                .expression_attribute_names("#seq", "seq")
                .expression_attribute_values(":seq", n(seq)),
        }
        .build()
        .expect("table and item are set");
        let debtor = DebtorId::parse(entry.debtor_id.clone())
            .map_err(|_| StoreError::Rejected("an audit entry names no debtor".into()))?;
        let personal = HashMap::from([
            (attr::PK.to_string(), s(keys::debtor(creditor, &debtor))),
            (attr::SK.to_string(), s(personal_sk(entry.seq))),
            ("salt".to_string(), s(salt)),
            (
                "recipients".to_string(),
                AttributeValue::L(append.personal.recipients.iter().map(s).collect()),
            ),
        ]);
        let mut items = vec![
            put(record, Some("attribute_not_exists(#pk)")),
            TransactWriteItem::builder().put(head_put).build(),
        ];
        if named {
            items.push(put(personal, None));
        }
        let marker = append.once_key.as_ref().map(|key| {
            items.push(put(
                HashMap::from([
                    (attr::PK.to_string(), s(chain_pk(creditor))),
                    (attr::SK.to_string(), s(format!("ONCE#{key}"))),
                    ("seq".to_string(), n(entry.seq)),
                ]),
                Some("attribute_not_exists(#pk)"),
            ));
            items.len() - 1
        });
        Ok(AuditItems { items, marker })
    }

    /// Appends one entry; `None` when its once-key was appended before.
    pub async fn append_audit(&self, creditor: &CreditorId, append: &AuditAppend) -> Result<Option<u64>, StoreError> {
        for attempt in 0..APPEND_ATTEMPTS {
            let built = self.audit_items(creditor, append).await?;
            let result = self
                .client()
                .transact_write_items()
                .set_transact_items(Some(built.items))
                .send()
                .await;
            match result {
                Ok(_) => return Ok(Some(self.audit_head(creditor).await?.0)),
                Err(err) => match audit_conflict(&err, built.marker) {
                    Conflict::AlreadyAppended => return Ok(None),
                    Conflict::HeadMoved if attempt + 1 < APPEND_ATTEMPTS => {
                        tokio::time::sleep(std::time::Duration::from_millis(10 << attempt)).await;
                    }
                    _ => return Err(sdk_error(err)),
                },
            }
        }
        Err(StoreError::Rejected("the audit trail was too busy to append to".into()))
    }

    /// Up to `limit` entries after sequence number `after`, oldest first.
    pub async fn audit_entries(
        &self,
        creditor: &CreditorId,
        after: u64,
        limit: i32,
    ) -> Result<Vec<Stored>, StoreError> {
        let out = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("#pk = :pk AND #sk BETWEEN :from AND :to")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#sk", attr::SK)
            .expression_attribute_values(":pk", s(chain_pk(creditor)))
            .expression_attribute_values(":from", s(entry_sk(after + 1)))
            .expression_attribute_values(":to", s(entry_sk(u64::MAX / 2)))
            .consistent_read(true)
            .limit(limit)
            .send()
            .await
            .map_err(sdk_error)?;
        out.items()
            .iter()
            .map(|item| {
                let get = |k: &str| super::required_s(item, k, "audit entry");
                Ok(Stored {
                    entry: serde_json::from_str(&get("entry")?)
                        .map_err(|_| StoreError::Corrupt("audit entry".into()))?,
                    previous: get("previous")?,
                    hash: get("hash")?,
                    version: match item.get("chained_by") {
                        Some(AttributeValue::N(v)) => {
                            v.parse().map_err(|_| StoreError::Corrupt("audit entry".into()))?
                        }
                        _ => CHAINED_BY_JSON,
                    },
                })
            })
            .collect()
    }
}

pub(crate) enum Conflict {
    /// The once-key's marker is there: this entry was appended before.
    AlreadyAppended,
    /// Another writer took the place first (or a transaction conflicted): read the head again.
    HeadMoved,
    Other,
}

/// What a cancelled append means, given where its once-key marker sat.
pub(crate) fn audit_conflict(
    err: &aws_smithy_runtime_api::client::result::SdkError<
        aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError,
        aws_smithy_runtime_api::http::Response,
    >,
    marker: Option<usize>,
) -> Conflict {
    let Some(reasons) = cancellation_reasons(err) else {
        return Conflict::Other;
    };
    let failed = |i: usize| reasons.get(i).and_then(|r| r.code()) == Some("ConditionalCheckFailed");
    if marker.is_some_and(failed) {
        return Conflict::AlreadyAppended;
    }
    if reasons
        .iter()
        .any(|r| matches!(r.code(), Some("ConditionalCheckFailed" | "TransactionConflict")))
    {
        return Conflict::HeadMoved;
    }
    Conflict::Other
}
