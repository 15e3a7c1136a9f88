//! A debtor's personal data on the creditor's request: everything Duly holds about them as one JSON
//! export, and erasure, which keeps amounts, usage and the audit chain valid and stops every message until
//! the creditor lifts it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use duly_adapters::store::{Erased, MessageSummary, RecordedAnswer, Store};
use duly_core::audit::Entry;
use duly_core::ledger::Invoice;
use duly_core::model::ids::{CreditorId, DebtorId};
use duly_core::model::{Debtor, Override};

use super::{change_debtor, SettingsError};

/// Why an erased debtor's reminders are off; lifting the erasure clears only this switch.
pub const ERASED: &str = "personal data erased";
/// Audit entries read per request while collecting a debtor's.
const AUDIT_PAGE: i32 = 500;
/// Most of the creditor's latest audit entries read to find one debtor's.
const MAX_AUDIT_READ: u64 = 50_000;

/// An open invoice as the export shows it.
#[derive(Debug, Clone, Serialize)]
pub struct InvoiceView {
    pub invoice_id: String,
    pub number: Option<String>,
    pub currency: Option<String>,
    pub total: Option<String>,
    pub amount_due: Option<String>,
    pub due_date: Option<chrono::NaiveDate>,
    /// Whom the invoice was sent to, as the platform says.
    pub bill_to: Vec<String>,
}

impl From<&Invoice> for InvoiceView {
    fn from(i: &Invoice) -> Self {
        InvoiceView {
            invoice_id: i.invoice_id.to_string(),
            number: i.doc.as_ref().map(|d| d.number.clone()),
            currency: i.doc.as_ref().map(|d| d.total.currency.code().to_string()),
            total: i.doc.as_ref().map(|d| d.total.to_decimal().to_string()),
            amount_due: i.balance.map(|b| b.amount_due.to_decimal().to_string()),
            due_date: i.doc.as_ref().map(|d| d.due_date),
            bill_to: i.doc.as_ref().map(|d| d.bill_to.clone()).unwrap_or_default(),
        }
    }
}

/// One audit entry about the debtor, with its recipients while they are kept.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub entry: Entry,
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DebtorExport {
    pub contact: Debtor,
    pub open_invoices: Vec<InvoiceView>,
    pub messages: Vec<MessageSummary>,
    pub answers: Vec<RecordedAnswer>,
    pub audit: Vec<AuditRecord>,
    /// What the creditor was told about the debtor (the last 90 days).
    pub notices: Vec<duly_adapters::store::RecordedNotice>,
    /// What the creditor's members wrote about the debtor.
    pub notes: Vec<duly_adapters::store::Note>,
}

/// What one debtor answered, oldest first.
pub async fn debtor_answers(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
) -> Result<Vec<RecordedAnswer>, SettingsError> {
    Ok(store
        .answers(id)
        .await?
        .into_iter()
        .filter(|a| a.debtor_id == debtor.as_str())
        .collect())
}

/// The audit entries about one debtor, oldest first, read page by page through the creditor's chain.
pub(crate) async fn debtor_audit(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
) -> Result<Vec<duly_core::audit::Stored>, SettingsError> {
    let mut audit = latest_audit(store, id).await?;
    audit.retain(|s| s.entry.debtor_id == debtor.as_str());
    Ok(audit)
}

/// The creditor's latest audit entries, oldest first. The newest entries matter most and the chain only
/// grows: at most the latest `MAX_AUDIT_READ` are read.
pub(crate) async fn latest_audit(
    store: &Store,
    id: &CreditorId,
) -> Result<Vec<duly_core::audit::Stored>, SettingsError> {
    let (head, _) = store.audit_head(id).await?;
    audit_after(store, id, head.saturating_sub(MAX_AUDIT_READ)).await
}

/// The creditor's audit entries after entry `after`, oldest first, page by page.
pub(crate) async fn audit_after(
    store: &Store,
    id: &CreditorId,
    mut after: u64,
) -> Result<Vec<duly_core::audit::Stored>, SettingsError> {
    let mut audit = Vec::new();
    loop {
        let page = store.audit_entries(id, after, AUDIT_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.entry.seq;
        audit.extend(page);
    }
    Ok(audit)
}

pub async fn export_debtor(store: &Store, id: &CreditorId, debtor: &DebtorId) -> Result<DebtorExport, SettingsError> {
    let contact = store
        .get_debtor(id, debtor)
        .await?
        .ok_or(SettingsError::NotFound("debtor"))?;
    let recipients: std::collections::BTreeMap<u64, Vec<String>> =
        store.audit_recipients(id, debtor).await?.into_iter().collect();
    let audit = debtor_audit(store, id, debtor)
        .await?
        .into_iter()
        .map(|s| AuditRecord {
            recipients: recipients.get(&s.entry.seq).cloned().unwrap_or_default(),
            entry: s.entry,
        })
        .collect();
    let notices = store
        .notices(id)
        .await?
        .into_iter()
        .filter(|n| {
            duly_core::notices::event_names_debtor(&n.notice.event, debtor.as_str())
                || (!contact.name.trim().is_empty() && n.notice.args.values().any(|v| v.contains(&contact.name)))
        })
        .collect();
    Ok(DebtorExport {
        notices,
        open_invoices: store
            .open_invoices_of(id, debtor)
            .await?
            .iter()
            .map(InvoiceView::from)
            .collect(),
        messages: store.message_summaries(id, debtor).await?,
        answers: debtor_answers(store, id, debtor).await?,
        notes: store.notes_of(id, debtor).await?,
        audit,
        contact,
    })
}

/// A debtor's history as the creditor reads it: their messages with what SES and SNS said of each, and
/// their entries in the audit trail (without the recipients, which the export gives).
#[derive(Debug, Clone, Serialize)]
pub struct DebtorHistory {
    pub messages: Vec<MessageSummary>,
    pub audit: Vec<duly_core::audit::Stored>,
}

pub async fn debtor_history(store: &Store, id: &CreditorId, debtor: &DebtorId) -> Result<DebtorHistory, SettingsError> {
    store
        .get_debtor(id, debtor)
        .await?
        .ok_or(SettingsError::NotFound("debtor"))?;
    Ok(DebtorHistory {
        messages: store.message_summaries(id, debtor).await?,
        audit: debtor_audit(store, id, debtor).await?,
    })
}

/// Whether the debtor's personal data was erased (and the erasure not lifted).
pub fn is_erased(debtor: &Debtor) -> bool {
    debtor
        .controls
        .reminders
        .as_ref()
        .is_some_and(|r| !r.on && r.reason.as_deref() == Some(ERASED))
}

/// Whether the stored debtor's personal data was erased: what comes after the erasure (a platform's next
/// version of an invoice, an SES or SMS event) writes none of their addresses or numbers again.
pub async fn debtor_erased(
    store: &Store,
    creditor: &CreditorId,
    debtor: &DebtorId,
) -> Result<bool, duly_adapters::store::StoreError> {
    Ok(store.get_debtor(creditor, debtor).await?.is_some_and(|d| is_erased(&d)))
}

/// Stops every message to the debtor, then erases their personal data: the contact, what messages and
/// answers said, the personal parts of the audit trail, the addresses their invoices went to, their own
/// words kept with an invoice (a dispute's reason), the notices that name them, and the addresses that
/// bounced (kept only as salted digests, so they stay refused).
pub async fn erase_debtor(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    now: DateTime<Utc>,
) -> Result<Erased, SettingsError> {
    let before = store
        .get_debtor(id, debtor)
        .await?
        .ok_or(SettingsError::NotFound("debtor"))?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system provides randomness");
    let salt = duly_core::text::hex(&salt);
    change_debtor(store, id, debtor, now, |_, d| {
        d.controls.reminders = Some(Override {
            on: false,
            until: None,
            reason: Some(ERASED.into()),
            set_at: now,
        });
        d.controls.erase_refused(salt.clone());
        Ok(())
    })
    .await?;
    let mut erased = store.erase_debtor(id, debtor, now).await?;
    for invoice in store.open_invoices_of(id, debtor).await? {
        store.erase_bill_to(id, &invoice.invoice_id).await?;
        if invoice.controls.dispute.is_some() {
            let changed = super::invoices::change_invoice(store, id, &invoice.invoice_id, now, |_, controls| {
                if let Some(dispute) = &mut controls.dispute {
                    dispute.reason.clear();
                }
                Ok(())
            })
            .await;
            match changed {
                Ok(_) | Err(SettingsError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        erased.invoices += 1;
    }
    let mut words = vec![before.name.clone()];
    words.extend(before.email.clone());
    words.extend(before.phone.clone());
    words.extend(before.cc.clone());
    erased.notices = store.erase_notices_about(id, debtor, &words).await?;
    Ok(erased)
}

/// Lifts an erasure: the platform's next contact is stored again, and reminders resume once it brings an
/// address. `false` when the debtor was not erased.
pub async fn lift_erasure(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    now: DateTime<Utc>,
) -> Result<bool, SettingsError> {
    if !store.lift_erasure(id, debtor).await? {
        return Ok(false);
    }
    change_debtor(store, id, debtor, now, |_, d| {
        if d.controls.reminders.as_ref().and_then(|o| o.reason.as_deref()) == Some(ERASED) {
            d.controls.reminders = None;
        }
        Ok(())
    })
    .await?;
    Ok(true)
}
