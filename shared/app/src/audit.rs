//! Reading and checking a creditor's audit trail.

use serde::Serialize;

use duly_adapters::store::{Store, StoreError};
use duly_core::audit::{verify, Break, Stored, GENESIS};
use duly_core::model::ids::CreditorId;

/// Entries read per request while verifying.
const PAGE: i32 = 500;
/// Most entries one listing returns.
pub const MAX_LISTED: i32 = 500;

/// The outcome of following the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub verified: bool,
    /// Entries followed.
    pub entries: u64,
    /// The hash the chain ends with; the creditor may keep it to compare later.
    pub head: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken: Option<Break>,
}

/// Follows the creditor's chain from its first entry to its head, page by page.
pub async fn verify_chain(store: &Store, creditor: &CreditorId) -> Result<Verification, StoreError> {
    let (head_seq, head_hash) = store.audit_head(creditor).await?;
    let (mut previous, mut next) = (GENESIS.to_string(), 1u64);
    let broken = |b: Break, entries: u64| Verification {
        verified: false,
        entries,
        head: head_hash.clone(),
        broken: Some(b),
    };
    loop {
        let page: Vec<Stored> = store.audit_entries(creditor, next - 1, PAGE).await?;
        if page.is_empty() {
            break;
        }
        match verify(&page, &previous, next) {
            Ok((hash, seq)) => (previous, next) = (hash, seq),
            Err(b) => return Ok(broken(b, next - 1)),
        }
    }
    // The head remembers where the chain ended: entries taken off its end show here.
    if next - 1 != head_seq || previous != head_hash {
        return Ok(broken(
            Break {
                seq: next,
                reason: "entries at the end are missing",
            },
            next - 1,
        ));
    }
    Ok(Verification {
        verified: true,
        entries: head_seq,
        head: head_hash,
        broken: None,
    })
}

/// Up to `limit` entries after `after`, oldest first.
pub async fn entries(store: &Store, creditor: &CreditorId, after: u64, limit: i32) -> Result<Vec<Stored>, StoreError> {
    store.audit_entries(creditor, after, limit.clamp(1, MAX_LISTED)).await
}
