//! What the creditor has been told, so that one event is told once however often it is seen, and the
//! notices waiting for their daily digest.
//!
//! Every notice leaves a `NOTICE#{event}` record (the creditor's history, and the guard against telling
//! twice; `NOTICEQ#` does not share its prefix). A creditor on the daily digest also gets a `NOTICEQ#` item per waiting notice, and one `DIGEST`
//! item that sits on the due index at the digest's time while anything waits, so the scheduler finds it
//! with the reminders and an idle creditor costs nothing.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, ReturnValue, TransactWriteItem, Update};
use chrono::{DateTime, Utc};
use serde::Serialize;

use duly_core::model::ids::CreditorId;
use duly_core::notices::{Notice, MAX_DIGEST_NOTICES};

use super::dead_letters::dead_letter_expiry;
use super::invoice_item::attr;
use super::{keys, n, s, sdk_error, ts, Store, StoreError};

const NOTICE_PREFIX: &str = "NOTICE#";
const NOTICE_TIME_PREFIX: &str = "NOTICEAT#";
const QUEUE_PREFIX: &str = "NOTICEQ#";
const DIGEST_SK: &str = "DIGEST";
/// How many notices wait for the digest; the digest leaves the due index when it reaches zero.
const WAITING: &str = "waiting";

/// One notice as the creditor's history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedNotice {
    pub at: String,
    #[serde(flatten)]
    pub notice: Notice,
}

/// A creditor's digest that is due, as the due index lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDigest {
    pub creditor_id: CreditorId,
    /// The digest's time on the index, which a run claims it by.
    pub at: String,
}

/// The notices a digest lists, and how many more wait behind them.
#[derive(Debug, Clone, Default)]
pub struct QueuedNotices {
    pub notices: Vec<Notice>,
    keys: Vec<String>,
    pub more: usize,
}

fn notice_json(notice: &Notice) -> AttributeValue {
    s(serde_json::to_string(notice).expect("a notice is plain data"))
}

fn notice_from(item: &HashMap<String, AttributeValue>) -> Result<Notice, StoreError> {
    let raw = item
        .get("notice")
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| StoreError::Corrupt("notice without its text".into()))?;
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(format!("notice: {e}")))
}

fn notice_put(table: &str, creditor: &CreditorId, notice: &Notice, now: DateTime<Utc>) -> Put {
    let item = HashMap::from([
        (attr::PK.to_string(), s(keys::creditor(creditor))),
        (attr::SK.to_string(), s(format!("{NOTICE_PREFIX}{}", notice.event))),
        ("notice".to_string(), notice_json(notice)),
        ("told_at".to_string(), s(ts(now))),
        ("expires_at".to_string(), dead_letter_expiry(now)),
    ]);
    Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(#pk)")
        .expression_attribute_names("#pk", attr::PK)
        .build()
        .expect("table and item are set")
}

/// The same notice under the time it was told, so the latest few are one short query away.
fn notice_time_put(table: &str, creditor: &CreditorId, notice: &Notice, now: DateTime<Utc>) -> Put {
    Put::builder()
        .table_name(table)
        .item(attr::PK, s(keys::creditor(creditor)))
        .item(attr::SK, s(format!("{NOTICE_TIME_PREFIX}{}#{}", ts(now), notice.event)))
        .item("notice", notice_json(notice))
        .item("told_at", s(ts(now)))
        .item("expires_at", dead_letter_expiry(now))
        .build()
        .expect("table and item are set")
}

fn digest_key(creditor: &CreditorId) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (attr::PK.to_string(), s(keys::creditor(creditor))),
        (attr::SK.to_string(), s(DIGEST_SK)),
    ])
}

impl Store {
    /// Records that the creditor is being told about `notice` now; `false` when they were told already.
    /// The record expires with the dead letters, after 90 days.
    pub async fn first_notice(
        &self,
        creditor: &CreditorId,
        notice: &Notice,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let table = self.table();
        self.transact_unless_first_fails(vec![
            TransactWriteItem::builder()
                .put(notice_put(table, creditor, notice, now))
                .build(),
            TransactWriteItem::builder()
                .put(notice_time_put(table, creditor, notice, now))
                .build(),
        ])
        .await
    }

    /// Keeps `notice` for the creditor's next digest, due at `digest_at` unless one is due sooner;
    /// `false` when the event was recorded already.
    pub async fn queue_notice(
        &self,
        creditor: &CreditorId,
        notice: &Notice,
        digest_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let table = self.table();
        let queued = Put::builder()
            .table_name(table)
            .item(attr::PK, s(keys::creditor(creditor)))
            .item(attr::SK, s(format!("{QUEUE_PREFIX}{}#{}", ts(now), notice.event)))
            .item("notice", notice_json(notice))
            .item("expires_at", dead_letter_expiry(now))
            .build()
            .expect("table and item are set");
        let digest = Update::builder()
            .table_name(table)
            .set_key(Some(digest_key(creditor)))
            .update_expression(
                "ADD #waiting :one SET #shard = :shard, #next = if_not_exists(#next, :at), #creditor = :creditor",
            )
            .expression_attribute_names("#waiting", WAITING)
            .expression_attribute_names("#shard", attr::DUE_SHARD)
            .expression_attribute_names("#next", attr::NEXT_ACTION_AT)
            .expression_attribute_names("#creditor", attr::CREDITOR_ID)
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":shard", s(keys::digest_due_shard(creditor)))
            .expression_attribute_values(":at", s(ts(digest_at)))
            .expression_attribute_values(":creditor", s(creditor.as_str()))
            .build()
            .expect("table, key and update expression are set");
        self.transact_unless_first_fails(vec![
            TransactWriteItem::builder()
                .put(notice_put(table, creditor, notice, now))
                .build(),
            TransactWriteItem::builder()
                .put(notice_time_put(table, creditor, notice, now))
                .build(),
            TransactWriteItem::builder().put(queued).build(),
            TransactWriteItem::builder().update(digest).build(),
        ])
        .await
    }

    /// Takes a due digest for this run: its time on the index moves to `lease_until`, so no other run
    /// sends it meanwhile. `false` when another run took it first.
    pub async fn claim_digest(&self, due: &DueDigest, lease_until: DateTime<Utc>) -> Result<bool, StoreError> {
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(digest_key(&due.creditor_id)))
            .update_expression("SET #next = :lease")
            .condition_expression("#next = :seen")
            .expression_attribute_names("#next", attr::NEXT_ACTION_AT)
            .expression_attribute_values(":lease", s(ts(lease_until)))
            .expression_attribute_values(":seen", s(&due.at))
            .send()
            .await;
        super::condition_held(result)
    }

    /// The oldest notices waiting for the creditor's digest, as many as one digest lists.
    pub async fn queued_notices(&self, creditor: &CreditorId) -> Result<QueuedNotices, StoreError> {
        let page = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#sk", attr::SK)
            .expression_attribute_values(":pk", s(keys::creditor(creditor)))
            .expression_attribute_values(":prefix", s(QUEUE_PREFIX))
            .consistent_read(true)
            .limit(MAX_DIGEST_NOTICES as i32)
            .send()
            .await
            .map_err(sdk_error)?;
        let digest = self
            .client()
            .get_item()
            .table_name(self.table())
            .set_key(Some(digest_key(creditor)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        let waiting = match digest.item().and_then(|i| i.get(WAITING)) {
            Some(AttributeValue::N(v)) => v.parse::<usize>().unwrap_or(0),
            _ => 0,
        };
        let mut queued = QueuedNotices::default();
        for item in page.items() {
            queued.notices.push(notice_from(item)?);
            queued.keys.push(super::required_s(item, attr::SK, "queued notice")?);
        }
        queued.more = waiting.saturating_sub(queued.notices.len());
        Ok(queued)
    }

    /// The digest of `sent` went out: those notices stop waiting. The digest leaves the due index when
    /// nothing else waits, and is due again at `next_at` otherwise.
    pub async fn finish_digest(
        &self,
        creditor: &CreditorId,
        sent: &QueuedNotices,
        next_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let table = self.table();
        let pk = s(keys::creditor(creditor));
        let mut request = self.client().transact_write_items();
        for key in &sent.keys {
            let delete = Delete::builder()
                .table_name(table)
                .key(attr::PK, pk.clone())
                .key(attr::SK, s(key))
                .build()
                .expect("table and key are set");
            request = request.transact_items(TransactWriteItem::builder().delete(delete).build());
        }
        let count = Update::builder()
            .table_name(table)
            .set_key(Some(digest_key(creditor)))
            .update_expression("ADD #waiting :minus")
            .expression_attribute_names("#waiting", WAITING)
            .expression_attribute_values(":minus", n(-(sent.notices.len() as i64)))
            .build()
            .expect("table, key and update expression are set");
        request
            .transact_items(TransactWriteItem::builder().update(count).build())
            .send()
            .await
            .map_err(sdk_error)?;
        // Off the index only if no notice was queued since: a notice queued meanwhile keeps it on.
        let off = self
            .client()
            .update_item()
            .table_name(table)
            .set_key(Some(digest_key(creditor)))
            .update_expression("REMOVE #shard, #next")
            .condition_expression("#waiting <= :zero")
            .expression_attribute_names("#shard", attr::DUE_SHARD)
            .expression_attribute_names("#next", attr::NEXT_ACTION_AT)
            .expression_attribute_names("#waiting", WAITING)
            .expression_attribute_values(":zero", n(0))
            .return_values(ReturnValue::None)
            .send()
            .await;
        if !super::condition_held(off)? {
            self.postpone_digest(creditor, next_at).await?;
        }
        Ok(())
    }

    /// Moves a digest to `at`: a send that failed, or notices left for the next one.
    pub async fn postpone_digest(&self, creditor: &CreditorId, at: DateTime<Utc>) -> Result<(), StoreError> {
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(digest_key(creditor)))
            .update_expression("SET #next = :at")
            .condition_expression("attribute_exists(#next)")
            .expression_attribute_names("#next", attr::NEXT_ACTION_AT)
            .expression_attribute_values(":at", s(ts(at)))
            .send()
            .await;
        // A digest already off the index has nothing left to send.
        super::condition_held(result).map(|_| ())
    }

    /// What the creditor has been told or has waiting, newest first (the last 90 days).
    pub async fn notices(&self, creditor: &CreditorId) -> Result<Vec<RecordedNotice>, StoreError> {
        let mut out = self
            .query_partition(keys::creditor(creditor), Some(NOTICE_PREFIX), false)
            .await?
            .iter()
            .map(|item| {
                Ok(RecordedNotice {
                    at: super::required_s(item, "told_at", "notice")?,
                    notice: notice_from(item)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by(|a, b| b.at.cmp(&a.at));
        Ok(out)
    }

    /// The creditor's latest notices, newest first, in one query.
    pub async fn latest_notices(&self, creditor: &CreditorId, limit: i32) -> Result<Vec<RecordedNotice>, StoreError> {
        self.query_latest(keys::creditor(creditor), NOTICE_TIME_PREFIX, limit)
            .await?
            .iter()
            .map(|item| {
                Ok(RecordedNotice {
                    at: super::required_s(item, "told_at", "notice")?,
                    notice: notice_from(item)?,
                })
            })
            .collect()
    }
}
