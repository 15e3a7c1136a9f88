//! A debtor's formal letter as a PDF: what it states is read from the store (their open invoices, the
//! charges to the day), worded by the core in the debtor's language as their country expects a demand to
//! be, and laid out by `duly-letter`. The customer's page offers it for posting; a final notice carries it
//! where the creditor asked for that.

use chrono::{DateTime, Utc};

use duly_adapters::store::{Store, StoreError};
use duly_core::calendar::{calendar_for, place::whereabouts};
use duly_core::ledger::Invoice;
use duly_core::messages::letter::{file_name, formal_letter, LetterInput, MAX_LETTER_LINES};
use duly_core::model::{Creditor, Debtor};

/// A letter ready to save or attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum LetterFailure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the letter's words: {0}")]
    Words(String),
    #[error(transparent)]
    Pdf(#[from] duly_letter::LetterError),
}

/// The letter about `debtor`'s open invoices as they stand `now`; `None` when nothing is open.
pub async fn debtor_letter(
    store: &Store,
    creditor: &Creditor,
    debtor: &Debtor,
    now: DateTime<Utc>,
) -> Result<Option<LetterFile>, LetterFailure> {
    let mut open: Vec<Invoice> = store
        .open_invoices_of(&creditor.creditor_id, &debtor.debtor_id)
        .await?
        .into_iter()
        .filter(Invoice::is_open)
        .collect();
    if open.is_empty() {
        return Ok(None);
    }
    // The oldest first, as the letter lists them; the charges are read for those it lists only.
    open.sort_by_key(|i| i.doc.as_ref().map(|d| (d.due_date, d.number.clone())));
    open.truncate(MAX_LETTER_LINES);
    let today = now.with_timezone(&creditor.time_zone).date_naive();
    let charges = crate::settings::charges_today(store, creditor, debtor, &open, today).await?;
    let calendar = calendar_for(creditor, Some(debtor));
    let lang = whereabouts(creditor, Some(debtor)).language;
    let letter = formal_letter(&LetterInput {
        creditor,
        debtor,
        invoices: &open,
        charges: &charges,
        lang,
        today,
        rules: &calendar.rules,
    })
    .map_err(|e| LetterFailure::Words(e.to_string()))?;
    let bytes = duly_letter::pdf(&letter)?;
    Ok(Some(LetterFile {
        file_name: file_name(&letter, today),
        bytes,
    }))
}
