//! Accounting platforms and what their webhooks mean, as canonical facts. Each platform signs differently;
//! each module verifies exactly as the platform documents, over the raw body bytes.
//!
//! Stripe sends full invoices, so its events are facts at once. Xero and QuickBooks send thin notices
//! ([`ChangeNotice`]) that name a resource; the facts come from fetching it (`*_from_response`).

pub mod freshness;
pub mod merit;
pub mod oauth;
pub mod onboarding;
pub mod quickbooks;
pub mod stripe;
pub mod stripe_keys;
pub mod xero;

use chrono::{DateTime, Utc};

/// What kind of resource a notice names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Invoice,
    Payment,
    CreditNote,
    Contact,
    /// Something else that can change what a customer owes (QuickBooks' refund receipts and journal
    /// entries): their customers' open invoices are read again.
    RefundReceipt,
    JournalEntry,
}

/// "Resource `id` of `tenant` changed": what a thin platform tells, to be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeNotice {
    /// Xero's tenant id, QuickBooks' realm id.
    pub tenant: String,
    pub entity: Entity,
    pub id: String,
    /// Lower case: `create`, `update`, `delete`, `void`, `merge`, `emailed`.
    pub operation: String,
    pub at: DateTime<Utc>,
    /// The same notice delivered twice has the same key.
    pub dedupe_key: String,
}
