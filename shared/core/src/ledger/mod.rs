//! What a fact means for an invoice.
//!
//! The rule is [`merge`]: the newest invoice document wins, the newest reported balance wins (a tie goes to
//! the lower amount, since a settlement reported at the same instant has been applied), and a void is final
//! (the earliest one is kept).
//! Because every rule picks a maximum, facts give the same ledger in any order, and replays change nothing.
//!
//! Merging needs the stored invoice, which would cost a read per webhook. [`blind_write`] avoids it: it states
//! what the write assumes about the stored invoice ([`Expect`]) and what it changes ([`Patch`]). The store
//! turns those into one conditional update; when the assumptions hold, the result is exactly what [`merge`]
//! would give, and when they don't, DynamoDB hands back the stored item and the caller merges for real.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::ids::{CreditorId, DebtorId, InvoiceId};
use crate::model::money::{Currency, Money};
use crate::model::InvoiceControls;
use crate::webhooks::canonical::{DocumentStatus, InvoiceFact};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("invoice is kept in {stored}, this fact is in {offered}")]
    CurrencyMismatch { stored: Currency, offered: Currency },
}

/// The invoice itself, from the newest snapshot the platform sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDoc {
    pub number: String,
    pub debtor_id: DebtorId,
    pub total: Money,
    pub issue_date: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub draft: bool,
    pub pay_url: Option<String>,
    /// Whom the platform sent the invoice to, when it says.
    pub bill_to: Vec<String>,
    pub updated_at: DateTime<Utc>,
}

/// What is still owed, as of the platform time of the report it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub amount_due: Money,
    pub as_of: DateTime<Utc>,
}

/// Which reminder steps are behind us. Owned by the scheduler; facts never change it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Keys of steps sent or deliberately skipped (see [`crate::planner::step_key`]).
    pub steps_done: Vec<String>,
    pub last_sent_at: Option<DateTime<Utc>>,
    /// When a message first listed the invoice as overdue: a country's days to object count from then.
    pub first_overdue_at: Option<DateTime<Utc>>,
    /// Duly keeps the invoice's document (its PDF), which the debtor's page can then hand out.
    pub document_kept: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub creditor_id: CreditorId,
    pub invoice_id: InvoiceId,
    /// `None` while only a payment, credit or void has been seen.
    pub doc: Option<InvoiceDoc>,
    pub balance: Option<Balance>,
    pub voided_at: Option<DateTime<Utc>>,
    pub progress: Progress,
    /// Pauses, disputes and promises; facts never change them.
    pub controls: InvoiceControls,
    /// When the scheduler should look at this invoice next; `None` keeps it off the due index.
    pub next_action_at: Option<DateTime<Utc>>,
    /// Bumped by every write, so that read-then-write can be conditional on nothing having changed.
    pub rev: u64,
}

impl Invoice {
    pub fn empty(creditor_id: CreditorId, invoice_id: InvoiceId) -> Self {
        Invoice {
            creditor_id,
            invoice_id,
            doc: None,
            balance: None,
            voided_at: None,
            progress: Progress::default(),
            controls: InvoiceControls::default(),
            next_action_at: None,
            rev: 0,
        }
    }

    pub fn currency(&self) -> Option<Currency> {
        self.balance
            .map(|b| b.amount_due.currency)
            .or_else(|| self.doc.as_ref().map(|d| d.total.currency))
    }

    /// Open means someone still owes money on an issued, unvoided invoice: the only state reminders are for.
    pub fn is_open(&self) -> bool {
        self.voided_at.is_none()
            && self.doc.as_ref().is_some_and(|d| !d.draft)
            && self.balance.is_some_and(|b| b.amount_due.minor > 0)
    }

    /// The debtor an open invoice counts against; `None` when it is not open.
    pub fn open_for_debtor(&self) -> Option<&DebtorId> {
        if self.is_open() {
            self.doc.as_ref().map(|d| &d.debtor_id)
        } else {
            None
        }
    }
}

fn doc_of(fact: &InvoiceFact) -> Option<InvoiceDoc> {
    match fact {
        InvoiceFact::Upserted(s) => Some(InvoiceDoc {
            number: s.number.clone(),
            debtor_id: s.debtor_id.clone(),
            total: s.total,
            issue_date: s.issue_date,
            due_date: s.due_date,
            draft: s.status == DocumentStatus::Draft,
            pay_url: s.pay_url.clone(),
            bill_to: s.bill_to.clone(),
            updated_at: s.updated_at,
        }),
        _ => None,
    }
}

fn balance_of(fact: &InvoiceFact) -> Option<Balance> {
    match fact {
        InvoiceFact::Upserted(s) => Some(Balance {
            amount_due: s.amount_due,
            as_of: s.updated_at,
        }),
        InvoiceFact::Settled(s) => Some(Balance {
            amount_due: s.invoice_amount_due,
            as_of: s.at,
        }),
        InvoiceFact::Voided(_) => None,
    }
}

fn voided_at_of(fact: &InvoiceFact) -> Option<DateTime<Utc>> {
    match fact {
        InvoiceFact::Upserted(s) if s.status == DocumentStatus::Void => Some(s.updated_at),
        InvoiceFact::Voided(v) => Some(v.voided_at),
        _ => None,
    }
}

fn currency_of(fact: &InvoiceFact) -> Option<Currency> {
    balance_of(fact).map(|b| b.amount_due.currency)
}

fn newer_balance(candidate: Balance, current: Option<Balance>) -> bool {
    match current {
        None => true,
        Some(cur) => {
            candidate.as_of > cur.as_of
                || (candidate.as_of == cur.as_of && candidate.amount_due.minor < cur.amount_due.minor)
        }
    }
}

/// Applies a fact to the stored invoice (or to nothing). `Ok(None)` means the fact changes nothing: it is a
/// replay, or older than what is stored.
pub fn merge(
    current: Option<&Invoice>,
    creditor_id: &CreditorId,
    fact: &InvoiceFact,
    now: DateTime<Utc>,
) -> Result<Option<Invoice>, LedgerError> {
    let mut next = current
        .cloned()
        .unwrap_or_else(|| Invoice::empty(creditor_id.clone(), fact.invoice_id().clone()));
    if let (Some(stored), Some(offered)) = (next.currency(), currency_of(fact)) {
        if stored != offered {
            return Err(LedgerError::CurrencyMismatch { stored, offered });
        }
    }

    let mut changed = false;
    if let Some(mut doc) = doc_of(fact) {
        // The same version with the pay link the first reading lacked (Xero's is read on its own) counts.
        let adds_link = |d: &InvoiceDoc| doc.updated_at == d.updated_at && d.pay_url.is_none() && doc.pay_url.is_some();
        if next
            .doc
            .as_ref()
            .is_none_or(|d| doc.updated_at > d.updated_at || adds_link(d))
        {
            // A pay link, once known, stays until the platform gives another (see the store's doc write).
            if doc.pay_url.is_none() {
                doc.pay_url = next.doc.as_ref().and_then(|d| d.pay_url.clone());
            }
            next.doc = Some(doc);
            changed = true;
        }
    }
    if let Some(balance) = balance_of(fact) {
        if newer_balance(balance, next.balance) {
            next.balance = Some(balance);
            changed = true;
        }
    }
    if let Some(at) = voided_at_of(fact) {
        if next.voided_at.is_none_or(|v| at < v) {
            next.voided_at = Some(at);
            changed = true;
        }
    }
    if !changed {
        return Ok(None);
    }
    next.next_action_at = if next.is_open() { Some(now) } else { None };
    next.rev = current.map_or(1, |c| c.rev + 1);
    Ok(Some(next))
}

/// An assumption a blind write makes about the stored invoice. All of a write's assumptions must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// No document stored, or one older than this.
    DocOlderThan(DateTime<Utc>),
    /// No balance stored, or one older than this.
    BalanceOlderThan(DateTime<Utc>),
    NotVoided,
    /// The invoice is open (which implies it exists).
    Open,
    /// No currency stored yet, or this one.
    CurrencyIs(Currency),
}

impl Expect {
    pub fn holds(&self, current: Option<&Invoice>) -> bool {
        match *self {
            Expect::DocOlderThan(t) => current.and_then(|c| c.doc.as_ref()).is_none_or(|d| d.updated_at < t),
            Expect::BalanceOlderThan(t) => current.and_then(|c| c.balance).is_none_or(|b| b.as_of < t),
            Expect::NotVoided => current.is_none_or(|c| c.voided_at.is_none()),
            Expect::Open => current.is_some_and(Invoice::is_open),
            Expect::CurrencyIs(cur) => current.and_then(Invoice::currency).is_none_or(|c| c == cur),
        }
    }
}

/// What happens to the invoice's place on the due and by-debtor indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexPatch {
    /// The invoice is (still) open: the scheduler should replan it at this time. When the debtor is given,
    /// it is (re)written too.
    Replan {
        at: DateTime<Utc>,
        debtor: Option<DebtorId>,
    },
    /// The invoice is closed: off both indexes.
    Remove,
}

/// The attributes a blind write sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    pub doc: Option<InvoiceDoc>,
    pub balance: Option<Balance>,
    pub voided_at: Option<DateTime<Utc>>,
    pub index: IndexPatch,
}

impl Patch {
    /// What the store's update does, in pure code; used to prove that blind writes agree with [`merge`].
    pub fn apply(&self, current: Option<&Invoice>, creditor_id: &CreditorId, invoice_id: &InvoiceId) -> Invoice {
        let mut next = current
            .cloned()
            .unwrap_or_else(|| Invoice::empty(creditor_id.clone(), invoice_id.clone()));
        if let Some(doc) = &self.doc {
            next.doc = Some(doc.clone());
        }
        if let Some(balance) = self.balance {
            next.balance = Some(balance);
        }
        if let Some(at) = self.voided_at {
            next.voided_at = Some(at);
        }
        next.next_action_at = match &self.index {
            IndexPatch::Replan { at, .. } => Some(*at),
            IndexPatch::Remove => None,
        };
        next.rev += 1;
        next
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlindWrite {
    pub expect: Vec<Expect>,
    pub patch: Patch,
}

/// The write to try first, assuming the stored invoice is older than the fact (the usual, in-order case).
pub fn blind_write(fact: &InvoiceFact, now: DateTime<Utc>) -> BlindWrite {
    match fact {
        InvoiceFact::Upserted(s) => {
            let open = s.status == DocumentStatus::Open && s.amount_due.minor > 0;
            BlindWrite {
                expect: vec![
                    Expect::DocOlderThan(s.updated_at),
                    Expect::BalanceOlderThan(s.updated_at),
                    Expect::NotVoided,
                    Expect::CurrencyIs(s.total.currency),
                ],
                patch: Patch {
                    doc: doc_of(fact),
                    balance: balance_of(fact),
                    voided_at: voided_at_of(fact),
                    index: if open {
                        IndexPatch::Replan {
                            at: now,
                            debtor: Some(s.debtor_id.clone()),
                        }
                    } else {
                        IndexPatch::Remove
                    },
                },
            }
        }
        InvoiceFact::Settled(s) => {
            let settles_fully = s.invoice_amount_due.is_zero();
            let mut expect = vec![
                Expect::BalanceOlderThan(s.at),
                Expect::CurrencyIs(s.invoice_amount_due.currency),
            ];
            if !settles_fully {
                expect.push(Expect::Open);
            }
            BlindWrite {
                expect,
                patch: Patch {
                    doc: None,
                    balance: balance_of(fact),
                    voided_at: None,
                    index: if settles_fully {
                        IndexPatch::Remove
                    } else {
                        IndexPatch::Replan { at: now, debtor: None }
                    },
                },
            }
        }
        InvoiceFact::Voided(v) => BlindWrite {
            expect: vec![Expect::NotVoided],
            patch: Patch {
                doc: None,
                balance: None,
                voided_at: Some(v.voided_at),
                index: IndexPatch::Remove,
            },
        },
    }
}

#[cfg(test)]
mod tests;
