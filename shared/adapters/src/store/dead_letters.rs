//! What could not be done and needs the creditor's eye: messages no provider would take, and platform
//! fetches that gave up. Kept under the creditor, so one query lists them.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use duly_core::model::ids::{CreditorId, DebtorId};

use super::invoice_item::attr;
use super::{keys, n, s, sdk_error, ts, Store, StoreError};

/// One dead letter, as the settings API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeadLetter {
    /// A reminder that failed on every channel, after its retries.
    Message {
        debtor_id: String,
        claimed_at: String,
        failures: Vec<String>,
    },
    /// A creditor's own template that failed on a real message, which then went out in the shipped
    /// wording. One per language and template: the latest failure.
    Template {
        language: String,
        template: String,
        reason: String,
        at: String,
    },
    /// A platform resource Duly could not fetch.
    Sync {
        platform: String,
        entity: String,
        resource_id: String,
        attempts: u32,
        last_error: String,
    },
}

/// The dead letter of a message, written with the message's last record.
pub(crate) fn failed_message_put(
    table: &str,
    creditor: &CreditorId,
    debtor: &DebtorId,
    claimed_at: DateTime<Utc>,
    failures: &[String],
) -> Put {
    let item = HashMap::from([
        (attr::PK.to_string(), s(keys::creditor(creditor))),
        (attr::SK.to_string(), s(format!("DEAD#MSG#{}#{debtor}", ts(claimed_at)))),
        (attr::DEBTOR_ID.to_string(), s(debtor.as_str())),
        ("claimed_at".to_string(), s(ts(claimed_at))),
        (
            "failures".to_string(),
            AttributeValue::L(failures.iter().map(s).collect()),
        ),
        ("expires_at".to_string(), dead_letter_expiry(claimed_at)),
    ]);
    Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .build()
        .expect("table and item are set")
}

const TEMPLATE_PREFIX: &str = "DEAD#TPL#";

/// How long a dead letter is kept for the creditor to see before DynamoDB's TTL removes it.
pub const DEAD_LETTER_DAYS: i64 = 90;

/// The TTL attribute of a dead letter written at `at`.
pub(crate) fn dead_letter_expiry(at: DateTime<Utc>) -> AttributeValue {
    n((at + chrono::Duration::days(DEAD_LETTER_DAYS)).timestamp())
}

impl Store {
    /// Records that a creditor's template failed on a real message (the latest failure per language and
    /// template).
    pub async fn put_template_failure(
        &self,
        creditor: &CreditorId,
        language: &str,
        template: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason: String = reason.chars().take(500).collect();
        self.client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(keys::creditor(creditor)))
            .item(attr::SK, s(format!("{TEMPLATE_PREFIX}{language}/{template}")))
            .item("language", s(language))
            .item("template", s(template))
            .item("reason", s(reason))
            .item("at", s(ts(at)))
            .item("expires_at", dead_letter_expiry(at))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// The creditor's dead letters: failed messages, then failed sync jobs.
    pub async fn dead_letters(&self, creditor: &CreditorId) -> Result<Vec<DeadLetter>, StoreError> {
        let out = self
            .query_partition(keys::creditor(creditor), Some("DEAD#"), false)
            .await?;
        let text = |item: &HashMap<String, AttributeValue>, k: &str| match item.get(k) {
            Some(AttributeValue::S(v)) => v.clone(),
            _ => String::new(),
        };
        let mut letters: Vec<DeadLetter> = out
            .iter()
            .map(|item| {
                if text(item, attr::SK).starts_with(TEMPLATE_PREFIX) {
                    DeadLetter::Template {
                        language: text(item, "language"),
                        template: text(item, "template"),
                        reason: text(item, "reason"),
                        at: text(item, "at"),
                    }
                } else {
                    DeadLetter::Message {
                        debtor_id: text(item, attr::DEBTOR_ID),
                        claimed_at: text(item, "claimed_at"),
                        failures: match item.get("failures") {
                            Some(AttributeValue::L(l)) => l.iter().filter_map(|v| v.as_s().ok().cloned()).collect(),
                            _ => Vec::new(),
                        },
                    }
                }
            })
            .collect();
        for job in self.sync_jobs(creditor).await? {
            if text(&job, "status") == "failed" {
                letters.push(DeadLetter::Sync {
                    platform: text(&job, "platform"),
                    entity: text(&job, "entity"),
                    resource_id: text(&job, "resource_id"),
                    attempts: match job.get("attempts") {
                        Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
                        _ => 0,
                    },
                    last_error: text(&job, "last_error"),
                });
            }
        }
        Ok(letters)
    }
}
