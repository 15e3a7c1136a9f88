//! The DynamoDB adapter: one table, keys built only here (see the table design in the README).

mod audit;
mod billing;
mod calls;
mod claims;
mod dead_letters;
mod documents;
mod domains;
mod erasure;
mod grants;
mod in_flight;
mod invitations;
mod invoice_item;
mod ledger_writes;
mod mail_turns;
mod notes;
mod notices;
mod oauth_state;
mod open_invoices;
mod outbox;
mod rates;
mod schedule;
mod sessions;
mod settings;
mod spend;
mod stream_image;
mod sync;

pub use audit::AuditAppend;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
pub use calls::MAX_OPEN_CALLS;
use chrono::{DateTime, SecondsFormat, Utc};
pub use claims::{ClaimOutcome, ClaimedInvoice, MessageSummary, StatementClaim, Usage};
pub use dead_letters::DeadLetter;
pub use documents::{Document, MAX_DOCUMENT_BYTES};
pub use erasure::Erased;
pub use grants::LinkedConnection;
pub use invitations::Invitation;
pub use invoice_item::invoice_from_item;
pub use ledger_writes::{ContactOutcome, Delivery, LedgerWrite, RecordedSettlement, WriteOutcome};
pub use notes::{Note, MAX_NOTES_SHOWN};
pub use notices::{DueDigest, QueuedNotices, RecordedNotice};
pub use oauth_state::{PendingFlow, FLOW_MINUTES};
pub use outbox::{
    message_detail, DeliveryStep, KeptMessage, Outbox, PendingEmail, PendingSms, RecentMessage, SentCopy,
    UnfinishedMessage, LEASE_MINUTES, MAX_DELIVERY_ATTEMPTS,
};
pub use rates::FeedStatus;
pub use schedule::{DueEntries, DueInvoice, DueMessage, DuePageStart};
pub use sessions::{Membership, SignInLink};
pub use settings::{MessageOwner, RecordedAnswer, CHANGE_ATTEMPTS};
pub use stream_image::{invoice_from_image, number as image_number, text as image_text};
pub use sync::{SyncJob, TenantLink, MAX_JOBS_PER_WRITE, RECONCILE, REVOKE, SYNC_INDEX};

use duly_core::model::ids::{ConnectionId, CreditorId, DebtorId, InvoiceId, WebhookId};

/// Number of partitions of the due index. Writes spread over them; the scheduler queries each.
pub const DUE_SHARDS: u32 = 8;
pub const DUE_INDEX: &str = "due";
/// Entries of a time-keyed index read in one request: about a megabyte once parsed, so a reader that
/// handles a page before asking for the next holds that much of the index at a time.
pub const DUE_PAGE_ENTRIES: i32 = 1_000;
pub const DEBTOR_INDEX: &str = "open_by_debtor";
pub const CREDITOR_INDEX: &str = "open_by_creditor";
pub const NEEDS_INDEX: &str = "needs_you";
/// How long a webhook id is remembered for deduplication; senders retry for at most three days.
pub const WEBHOOK_ID_TTL_DAYS: i64 = 7;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Throttling, timeouts and server errors: the whole operation may be retried.
    #[error("DynamoDB is unavailable: {0}")]
    Unavailable(String),
    #[error("DynamoDB refused the request: {0}")]
    Rejected(String),
    #[error("stored item is not readable: {0}")]
    Corrupt(String),
    /// A record kept changing under a read-modify-write: worth trying again a moment later.
    #[error("the record kept changing; try again")]
    Contended,
}

impl StoreError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Contended)
    }
}

pub(crate) fn sdk_error<E>(err: SdkError<E, HttpResponse>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match &err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            StoreError::Unavailable(format!("{err}"))
        }
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or("Unknown").to_string();
            let message = service.err().message().unwrap_or("").to_string();
            if crate::retryable::transient(Some(&code), Some(service.raw().status().as_u16())) {
                StoreError::Unavailable(format!("{code}: {message}"))
            } else {
                StoreError::Rejected(format!("{code}: {message}"))
            }
        }
        _ => StoreError::Rejected(format!("{err}")),
    }
}

/// The answer of a conditional write, `None` when its condition did not hold (someone changed the item
/// first), and the error otherwise.
pub(crate) fn unless_condition_failed<T, E>(
    result: Result<T, SdkError<E, HttpResponse>>,
) -> Result<Option<T>, StoreError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match result {
        Ok(answer) => Ok(Some(answer)),
        Err(SdkError::ServiceError(e)) if e.err().code() == Some("ConditionalCheckFailedException") => Ok(None),
        Err(e) => Err(sdk_error(e)),
    }
}

/// Whether a conditional write went through.
pub(crate) fn condition_held<T, E>(result: Result<T, SdkError<E, HttpResponse>>) -> Result<bool, StoreError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    unless_condition_failed(result).map(|answer| answer.is_some())
}

pub(crate) fn cancellation_reasons(
    err: &SdkError<aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError, HttpResponse>,
) -> Option<&[aws_sdk_dynamodb::types::CancellationReason]> {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    match err {
        SdkError::ServiceError(service) => match service.err() {
            TransactWriteItemsError::TransactionCanceledException(c) => Some(c.cancellation_reasons()),
            _ => None,
        },
        _ => None,
    }
}

impl Store {
    /// Runs `items` as one transaction; `false` when it was cancelled because the first item's condition
    /// failed (the record it guards is there already, or is not the caller's).
    pub(crate) async fn transact_unless_first_fails(
        &self,
        items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    ) -> Result<bool, StoreError> {
        let result = self
            .client()
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(err) => match cancellation_reasons(&err) {
                Some(reasons) if reason_code(reasons, 0) == Some("ConditionalCheckFailed") => Ok(false),
                _ => Err(sdk_error(err)),
            },
        }
    }
}

/// The code of item `i`'s cancellation reason (`ConditionalCheckFailed`, `TransactionConflict`, `None`…).
pub(crate) fn reason_code(reasons: &[aws_sdk_dynamodb::types::CancellationReason], i: usize) -> Option<&str> {
    reasons.get(i).and_then(|r| r.code())
}

/// Every key is built here. All but the connection lookup start with the creditor, so no request for one
/// creditor can name another's item.
pub mod keys {
    use super::*;

    pub const INVOICE_SK: &str = "INVOICE";
    pub const DEBTOR_SK: &str = "DEBTOR";
    pub const PROFILE_SK: &str = "PROFILE";
    pub const CONNECTION_SK: &str = "CONNECTION";
    pub const WEBHOOK_SK: &str = "WEBHOOK";
    pub const TOKEN_SK: &str = "TOKEN";
    pub const SHORT_LINK_SK: &str = "LINK";
    pub const SES_MESSAGE_SK: &str = "SES";
    pub const TENANT_SK: &str = "TENANT";
    pub const OAUTH_STATE_SK: &str = "OAUTH";
    pub const DOMAIN_SK: &str = "DOMAIN";

    pub fn creditor(c: &CreditorId) -> String {
        format!("C#{c}")
    }
    pub fn invoice(c: &CreditorId, i: &InvoiceId) -> String {
        format!("C#{c}#I#{i}")
    }
    pub fn debtor(c: &CreditorId, d: &DebtorId) -> String {
        format!("C#{c}#D#{d}")
    }
    /// The one key not under a creditor: the webhook URL names only the connection.
    pub fn connection(id: &ConnectionId) -> String {
        format!("CONN#{id}")
    }
    /// A platform names only its tenant (Xero organisation, QuickBooks realm) in a webhook.
    pub fn tenant(platform: &str, tenant: &str) -> String {
        format!("TENANT#{platform}#{tenant}")
    }
    /// The platform's redirect names only the flow's random `state`.
    pub fn oauth_state(state: &str) -> String {
        format!("OAUTH#{state}")
    }
    /// A web app sign-in's redirect names only its `state`.
    pub fn sign_in_flow(state: &str) -> String {
        format!("OIDC#{state}")
    }
    pub fn sync_jobs(c: &CreditorId) -> String {
        format!("C#{c}#SYNC")
    }
    /// A sending domain is shared by Duly's whole SES account: the key is the domain, its owner an attribute.
    pub fn domain(domain: &str) -> String {
        format!("DOMAIN#{domain}")
    }
    /// SES events name only the provider's message id.
    pub fn ses_message(id: &str) -> String {
        format!("SESMSG#{id}")
    }
    /// SNS's SMS delivery status names only its message id, as SES's events do.
    pub fn sns_message(id: &str) -> String {
        format!("SNSMSG#{id}")
    }
    /// A short pay link is opened by anyone who has the SMS: its key is the random code alone.
    pub fn short_link(code: &str) -> String {
        format!("LINK#{code}")
    }
    /// Like the connection's, a token's key names no creditor: the token is how the creditor is found.
    pub fn token(fingerprint: &str) -> String {
        format!("TOKEN#{fingerprint}")
    }
    pub fn webhook(c: &CreditorId, conn: &ConnectionId, w: &WebhookId) -> String {
        format!("C#{c}#W#{conn}#{w}")
    }
    pub fn settlement_sk(
        kind: duly_core::webhooks::canonical::SettlementKind,
        id: &duly_core::model::ids::SettlementId,
    ) -> String {
        match kind {
            duly_core::webhooks::canonical::SettlementKind::Payment => format!("PAY#{id}"),
            duly_core::webhooks::canonical::SettlementKind::CreditNote => format!("CN#{id}"),
        }
    }
    pub fn message_sk(step_key: &str) -> String {
        format!("MSG#{step_key}")
    }
    pub fn usage_sk(month: &str) -> String {
        format!("USAGE#{month}")
    }
    /// A stable shard for an invoice, so that its due-index entry always lands in the same place.
    pub fn due_shard(c: &CreditorId, i: &InvoiceId) -> String {
        due_shard_of(c.as_str(), i.as_str())
    }

    /// A claimed message's shard on the due index, beside its debtor's invoices.
    pub fn message_due_shard(c: &CreditorId, d: &DebtorId) -> String {
        due_shard_of(c.as_str(), &format!("MSG#{d}"))
    }

    /// A creditor's daily digest's shard on the due index.
    pub fn digest_due_shard(c: &CreditorId) -> String {
        due_shard_of(c.as_str(), "DIGEST")
    }

    fn due_shard_of(owner: &str, item: &str) -> String {
        // FNV-1a: stable across processes and releases, unlike std's randomised hasher.
        let mut h: u32 = 0x811c_9dc5;
        for b in owner.bytes().chain([b'#']).chain(item.bytes()) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
        format!("DUE#{}", h % DUE_SHARDS)
    }
}

/// Timestamps are stored as fixed-width RFC 3339 strings in UTC, so that string order is time order in
/// key conditions and condition expressions.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn parse_ts(raw: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("timestamp {raw:?}")))
}

pub(crate) fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub(crate) fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// A string attribute an item must have; `what` names the item in the error.
pub(crate) fn required_s(
    item: &std::collections::HashMap<String, AttributeValue>,
    name: &str,
    what: &str,
) -> Result<String, StoreError> {
    match item.get(name) {
        Some(AttributeValue::S(v)) => Ok(v.clone()),
        _ => Err(StoreError::Corrupt(format!("{what} without {name}"))),
    }
}

/// Duly's table, reached through one SDK client built once per cold start.
#[derive(Debug, Clone)]
pub struct Store {
    client: Client,
    table: String,
}

impl Store {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Store {
            client,
            table: table.into(),
        }
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Every entry of one shard of a sparse, time-keyed index (`due`, `sync`) whose time is at or before
    /// `now`, across all pages.
    pub(crate) async fn query_due(
        &self,
        index: &str,
        shard_attribute: &str,
        shard: String,
        time_attribute: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<std::collections::HashMap<String, AttributeValue>>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let (items, next) = self
                .query_due_page(index, shard_attribute, &shard, time_attribute, now, start.take())
                .await?;
            out.extend(items);
            match next {
                Some(key) => start = Some(key),
                None => return Ok(out),
            }
        }
    }

    /// One page of [`Store::query_due`], and where the next one starts (`None`: this was the last). A page
    /// holds at most [`DUE_PAGE_ENTRIES`] entries, whatever size the service would answer with.
    pub(crate) async fn query_due_page(
        &self,
        index: &str,
        shard_attribute: &str,
        shard: &str,
        time_attribute: &str,
        now: DateTime<Utc>,
        start: Option<RawItem>,
    ) -> Result<(Vec<RawItem>, Option<RawItem>), StoreError> {
        let page = self
            .client()
            .query()
            .table_name(self.table())
            .index_name(index)
            .key_condition_expression("#shard = :shard AND #time <= :now")
            .expression_attribute_names("#shard", shard_attribute)
            .expression_attribute_names("#time", time_attribute)
            .expression_attribute_values(":shard", s(shard))
            .expression_attribute_values(":now", s(ts(now)))
            .set_exclusive_start_key(start)
            .limit(DUE_PAGE_ENTRIES)
            .send()
            .await
            .map_err(sdk_error)?;
        let next = page.last_evaluated_key().filter(|k| !k.is_empty()).cloned();
        Ok((page.items().to_vec(), next))
    }
}

/// An item (or a key) as DynamoDB answers it.
pub(crate) type RawItem = std::collections::HashMap<String, AttributeValue>;

/// At most this many items are read for one partition listing: a bound on a loop that reads pages of at
/// most 1 MB each, far above what a creditor's lists hold.
pub const MAX_LISTED_ITEMS: usize = 20_000;

impl Store {
    /// Uses up an item that works once (a flow's state, a sign-in link, a grant): it is deleted whatever
    /// happens next, and answered only while its `valid_until` is after `now`, so a replayed or late use
    /// finds nothing.
    pub(crate) async fn take_once(
        &self,
        pk: String,
        sk: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<std::collections::HashMap<String, AttributeValue>>, StoreError> {
        let out = self
            .client()
            .delete_item()
            .table_name(self.table())
            .key(invoice_item::attr::PK, s(pk))
            .key(invoice_item::attr::SK, s(sk))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.attributes() else { return Ok(None) };
        let valid_until = parse_ts(&required_s(item, "valid_until", "one-time item")?)?;
        Ok((valid_until > now).then(|| item.clone()))
    }

    /// Reads an item that works once without using it up: the item, while its `valid_until` is after `now`.
    pub(crate) async fn peek_once(
        &self,
        pk: String,
        sk: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<RawItem>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(invoice_item::attr::PK, s(pk))
            .key(invoice_item::attr::SK, s(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else { return Ok(None) };
        let valid_until = parse_ts(&required_s(item, "valid_until", "one-time item")?)?;
        Ok((valid_until > now).then(|| item.clone()))
    }

    /// The last `limit` items of partition `pk` whose sort key starts with `prefix`, newest (greatest sort
    /// key) first, in one request: for lists keyed by time of which a page shows the latest.
    pub(crate) async fn query_latest(
        &self,
        pk: String,
        prefix: &str,
        limit: i32,
    ) -> Result<Vec<std::collections::HashMap<String, AttributeValue>>, StoreError> {
        let out = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expression_attribute_names("#pk", invoice_item::attr::PK)
            .expression_attribute_names("#sk", invoice_item::attr::SK)
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":prefix", s(prefix))
            .scan_index_forward(false)
            .limit(limit)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(out.items().to_vec())
    }

    /// Every item of partition `pk` whose sort key starts with `prefix`, in sort-key order, page after
    /// page (DynamoDB answers at most 1 MB a request).
    pub(crate) async fn query_partition(
        &self,
        pk: String,
        prefix: Option<&str>,
        consistent: bool,
    ) -> Result<Vec<std::collections::HashMap<String, AttributeValue>>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let mut request = self
                .client()
                .query()
                .table_name(self.table())
                .expression_attribute_names("#pk", invoice_item::attr::PK)
                .expression_attribute_values(":pk", s(pk.clone()))
                .consistent_read(consistent)
                .set_exclusive_start_key(start.take());
            request = match prefix {
                Some(prefix) => request
                    .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expression_attribute_names("#sk", invoice_item::attr::SK)
                    .expression_attribute_values(":prefix", s(prefix)),
                None => request.key_condition_expression("#pk = :pk"),
            };
            let page = request.send().await.map_err(sdk_error)?;
            out.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(key) if !key.is_empty() && out.len() < MAX_LISTED_ITEMS => start = Some(key.clone()),
                _ => return Ok(out),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_sort_as_strings() {
        let a = DateTime::parse_from_rfc3339("2026-11-30T07:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let b = a + chrono::Duration::microseconds(1);
        let c = a + chrono::Duration::days(400);
        assert!(ts(a) < ts(b) && ts(b) < ts(c));
        assert_eq!(ts(a), "2026-11-30T07:00:00.000000Z");
        assert_eq!(parse_ts(&ts(b)).unwrap(), b);
    }

    #[test]
    fn shards_are_stable_and_spread() {
        let c = CreditorId::parse("acme").unwrap();
        let shard = |i: usize| keys::due_shard(&c, &InvoiceId::parse(format!("inv-{i}")).unwrap());
        assert_eq!(shard(1), shard(1));
        let distinct: std::collections::HashSet<String> = (0..200).map(shard).collect();
        assert_eq!(distinct.len(), DUE_SHARDS as usize);
    }
}
