//! Reading and checking a creditor's audit trail.

use serde::Serialize;

use chrono::{DateTime, Utc};

use duly_adapters::store::{AuditAppend, Store, StoreError};
use duly_core::audit::{verify, Break, Entry, Personal, Stored, GENESIS};
use duly_core::handoff::answer_sha256;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};

/// Entries read per request while verifying.
const PAGE: i32 = 500;
/// Most entries one listing returns.
pub const MAX_LISTED: i32 = 500;

/// Most entries one verification follows, well inside the function's time; a longer chain is verified in
/// turns, each from where the last stopped.
pub const MAX_VERIFIED: u64 = 50_000;

/// The outcome of following the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub verified: bool,
    /// Entries followed in this turn.
    pub entries: u64,
    /// The hash the chain ends with; the creditor may keep it to compare later.
    pub head: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken: Option<Break>,
    /// Where to go on from (`?after=`), when the chain is longer than one turn follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_after: Option<u64>,
}

/// Follows the creditor's chain from entry `after` (0: its start; otherwise from that entry's stored
/// hash) towards its head, page by page, for at most [`MAX_VERIFIED`] entries.
pub async fn verify_chain(store: &Store, creditor: &CreditorId, after: u64) -> Result<Verification, StoreError> {
    let (head_seq, head_hash) = store.audit_head(creditor).await?;
    let mut previous = match after {
        0 => GENESIS.to_string(),
        n => match store.audit_entries(creditor, n - 1, 1).await?.pop() {
            Some(stored) if stored.entry.seq == n => stored.hash,
            _ => {
                return Ok(Verification {
                    verified: false,
                    entries: 0,
                    head: head_hash,
                    broken: Some(Break {
                        seq: n,
                        reason: "an entry is missing or out of order",
                    }),
                    next_after: None,
                })
            }
        },
    };
    let mut next = after + 1;
    let broken = |b: Break, entries: u64| Verification {
        verified: false,
        entries,
        head: head_hash.clone(),
        broken: Some(b),
        next_after: None,
    };
    while next - 1 - after < MAX_VERIFIED {
        let page: Vec<Stored> = store.audit_entries(creditor, next - 1, PAGE).await?;
        if page.is_empty() {
            break;
        }
        match verify(&page, &previous, next) {
            Ok((hash, seq)) => (previous, next) = (hash, seq),
            Err(b) => return Ok(broken(b, next - 1 - after)),
        }
    }
    let followed = next - 1 - after;
    if next - 1 < head_seq && followed >= MAX_VERIFIED {
        return Ok(Verification {
            verified: true,
            entries: followed,
            head: head_hash,
            broken: None,
            next_after: Some(next - 1),
        });
    }
    // The head remembers where the chain ended: entries taken off its end show here.
    if next - 1 != head_seq || previous != head_hash {
        return Ok(broken(
            Break {
                seq: next,
                reason: "entries at the end are missing",
            },
            followed,
        ));
    }
    Ok(Verification {
        verified: true,
        entries: followed,
        head: head_hash,
        broken: None,
        next_after: None,
    })
}

/// Up to `limit` entries after `after`, oldest first.
pub async fn entries(store: &Store, creditor: &CreditorId, after: u64, limit: i32) -> Result<Vec<Stored>, StoreError> {
    store.audit_entries(creditor, after, limit.clamp(1, MAX_LISTED)).await
}

/// Appends what someone did about a debtor (no message, no personal data) to the creditor's trail.
pub async fn append_action(
    store: &Store,
    creditor: &CreditorId,
    debtor: &DebtorId,
    event: &str,
    detail: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    append_proof(store, creditor, debtor, event, detail, String::new(), now).await
}

/// Appends an action together with the hash of what it produced (a hand-off's bundle), or none.
pub async fn append_proof(
    store: &Store,
    creditor: &CreditorId,
    debtor: &DebtorId,
    event: &str,
    detail: String,
    content_sha256: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    append_entry(
        store,
        creditor,
        debtor,
        event,
        detail,
        String::new(),
        content_sha256,
        now,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn append_entry(
    store: &Store,
    creditor: &CreditorId,
    debtor: &DebtorId,
    event: &str,
    detail: String,
    message: String,
    content_sha256: String,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let append = AuditAppend {
        entry: Entry {
            seq: 0,
            at: now,
            debtor_id: debtor.to_string(),
            event: event.into(),
            message,
            channels: Vec::new(),
            detail,
            content_sha256,
            provider_ids: Vec::new(),
            personal_digest: String::new(),
        },
        personal: Personal { recipients: Vec::new() },
        once_key: None,
    };
    store.append_audit(creditor, &append).await?;
    Ok(())
}

/// Keeps what a debtor answered (or what a call came to) and chains it: the entry names the action and
/// the invoices and carries the hash of what was said, which stays out of the chain as personal data; its
/// `message` is the answer's time, by which a hand-off finds it.
#[allow(clippy::too_many_arguments)]
pub async fn record_answer(
    store: &Store,
    creditor: &CreditorId,
    debtor: &DebtorId,
    event: &str,
    action: &str,
    invoices: &[InvoiceId],
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    store
        .record_answer(creditor, debtor, action, invoices, detail, now)
        .await?;
    let invoices: Vec<String> = invoices.iter().map(ToString::to_string).collect();
    append_entry(
        store,
        creditor,
        debtor,
        event,
        format!("{action} {}", invoices.join(" ")).trim_end().to_string(),
        now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        answer_sha256(action, &invoices, detail),
        now,
    )
    .await
}

/// Chains a change the creditor (or the debtor, through an answer) made to a debtor's or an invoice's
/// controls: which of them changed, by name. Nothing is appended when nothing changed.
pub async fn record_controls(
    store: &Store,
    creditor: &CreditorId,
    debtor: &DebtorId,
    event: &str,
    subject: Option<&str>,
    changed: Vec<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if changed.is_empty() {
        return Ok(());
    }
    let detail = match subject {
        Some(subject) => format!("{subject}: {}", changed.join(", ")),
        None => changed.join(", "),
    };
    append_action(store, creditor, debtor, event, detail, now).await
}

/// The top-level fields whose values differ between two versions of the same settings.
pub fn changed_fields(before: &impl Serialize, after: &impl Serialize) -> Vec<String> {
    let (Ok(serde_json::Value::Object(before)), Ok(serde_json::Value::Object(after))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut names: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        // The revision moves with every write; it is not a change anyone made.
        .filter(|k| k.as_str() != "rev")
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}
