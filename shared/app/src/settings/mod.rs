//! The creditor's settings API: reminder policy, customer groups, per-debtor and per-invoice controls, and
//! "what will be sent and why". Every change recomputes where the affected invoices sit on the due index
//! straight away, through the by-creditor and by-debtor indexes (never a scan), so a pause or a dispute
//! stops the plan at once and a resumed invoice is planned again.

mod billing;
mod branding;
mod calls;
mod debtors;
mod decisions;
mod handoff;
mod invoices;
mod personal_data;
mod policy;
mod records;
mod replan;
mod report;
mod risk;

pub use billing::{put_billing, send_usage_statements, usage_statement};
pub use branding::{
    branding, claim_domain, own_domain, put_branding, put_template, sending_domain, BrandingView, DomainView,
    SendingDomains,
};
pub use calls::{calls, record_call, CallLine, CallView, RecordedCall, SHOWN_CALLS};
pub(crate) use debtors::{change_debtor, update_controls};
pub use debtors::{set_debtor_group, set_debtor_opt_out, set_debtor_place, set_debtor_reminders};
pub(crate) use invoices::change_invoice;
mod interest_sheet;
pub use decisions::{decide, try_decision, Decision, Tried, CREDIT_NOTE_COMING};
pub(crate) use handoff::charges_today;
pub use handoff::hand_off;
pub use interest_sheet::interest_sheet;
pub use invoices::{
    invoice_plan, set_invoice_dispute, set_invoice_payment_plan, set_invoice_promise, set_invoice_reminders,
    set_invoice_settlement, InvoicePlanView, PlanDecision,
};
pub use personal_data::{
    debtor_answers, debtor_erased, debtor_history, erase_debtor, export_debtor, is_erased, lift_erasure, DebtorExport,
    DebtorHistory, ERASED,
};
pub use policy::{put_group, put_late_charges, put_notifications, put_payment_plans, put_policy};
pub use records::put_records;
pub use report::{creditor_report, month_figures, rostered_creditors, send_due_reports, Rostered};
pub use risk::{at_risk, debtor_score, put_risk, AtRisk};

use duly_adapters::store::{Store, StoreError};
use duly_core::messages::preview::PreviewError;
use duly_core::model::ids::CreditorId;
use duly_core::model::Creditor;
use duly_core::policy::PolicyError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("a valid bearer token is required")]
    Unauthorized,
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("{0}")]
    Invalid(#[from] PolicyError),
    #[error("the invoice keeps changing; try again")]
    Contended,
    #[error("{0}")]
    Taken(&'static str),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

impl SettingsError {
    pub fn status(&self) -> u16 {
        match self {
            SettingsError::Unauthorized => 401,
            SettingsError::NotFound(_) => 404,
            SettingsError::Invalid(_) => 422,
            SettingsError::Contended | SettingsError::Taken(_) => 409,
            SettingsError::Store(e) if e.is_retryable() => 503,
            SettingsError::Store(_) => 500,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            SettingsError::Unauthorized => "unauthorized",
            SettingsError::NotFound(_) => "not_found",
            SettingsError::Invalid(_) => "invalid",
            SettingsError::Contended => "contended",
            SettingsError::Taken(_) => "taken",
            SettingsError::Store(_) => "unavailable",
        }
    }
}

/// How many due-index entries a change moved.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Replanned {
    pub replanned: usize,
}

/// Resolves a bearer token to its creditor.
pub async fn authenticate(store: &Store, authorization: Option<&str>) -> Result<CreditorId, SettingsError> {
    let token = duly_core::model::tokens::from_bearer(authorization).ok_or(SettingsError::Unauthorized)?;
    store.creditor_of_token(token).await?.ok_or(SettingsError::Unauthorized)
}

pub async fn creditor(store: &Store, id: &CreditorId) -> Result<Creditor, SettingsError> {
    store.get_creditor(id).await?.ok_or(SettingsError::NotFound("creditor"))
}

impl From<PreviewError> for SettingsError {
    fn from(e: PreviewError) -> Self {
        match e {
            PreviewError::UnknownStep => SettingsError::NotFound("step"),
            PreviewError::Invalid(e) => SettingsError::Invalid(e),
        }
    }
}

/// Notes that the creditor sent themselves a preview, a step of the first-run checklist.
pub async fn preview_sent(
    store: &Store,
    id: &CreditorId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), SettingsError> {
    change_creditor(store, id, |c| {
        c.setup.preview_sent_at.get_or_insert(now);
        Ok(())
    })
    .await
    .map(|_| ())
}

/// Changes the creditor's settings over the revision read, retried while other changes land in between.
pub(crate) async fn change_creditor(
    store: &Store,
    id: &CreditorId,
    change: impl Fn(&mut Creditor) -> Result<(), SettingsError>,
) -> Result<Creditor, SettingsError> {
    store
        .change_creditor(id, change)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))
}
