//! Reading and checking a creditor's audit trail.

use serde::Serialize;

use chrono::{DateTime, Utc};

use duly_adapters::store::{AuditAppend, Store, StoreError};
use duly_core::audit::{verify, Break, Entry, Personal, Stored, GENESIS};
use duly_core::model::ids::{CreditorId, DebtorId};

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
    let append = AuditAppend {
        entry: Entry {
            seq: 0,
            at: now,
            debtor_id: debtor.to_string(),
            event: event.into(),
            message: String::new(),
            channels: Vec::new(),
            detail,
            content_sha256: String::new(),
            provider_ids: Vec::new(),
            personal_digest: String::new(),
        },
        personal: Personal { recipients: Vec::new() },
        once_key: None,
    };
    store.append_audit(creditor, &append).await?;
    Ok(())
}
