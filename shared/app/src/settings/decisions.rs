//! What the creditor decides about an answer that holds an invoice back, as one named decision: made, or
//! first tried on a copy of the invoice to show what would go out next, and when, before they confirm.

use chrono::{DateTime, Utc};

use duly_adapters::store::Store;
use duly_core::calendar::calendar_for;
use duly_core::ledger::Invoice;
use duly_core::model::ids::{CreditorId, InvoiceId};
use duly_core::model::{Creditor, Debtor, InvoiceControls, Override};
use duly_core::planner::{explain, Context, Explanation};

use super::invoices::{
    apply_plan_decision, change_invoice_seeing, end_dispute, end_promise, set_invoice_dispute,
    set_invoice_payment_plan, set_invoice_promise, set_invoice_reminders, PlanDecision,
};
use super::{creditor, Replanned, SettingsError};

/// Why reminders on an invoice are off after the creditor agreed with a dispute.
pub const CREDIT_NOTE_COMING: &str = "a credit note is coming";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The customer was wrong: the dispute ends and reminders follow the schedule again.
    ResolveDispute,
    /// The customer was right and a credit note is coming: the dispute ends, the invoice stays on hold
    /// until the credit note closes it or the creditor resumes it.
    HoldForCreditNote,
    /// A promise that passed unpaid: reminders follow the schedule again.
    EndPromise,
    /// Reminders paused by "already paid" (or by the creditor) run again.
    Resume,
    ApprovePlan,
    DeclinePlan,
}

impl Decision {
    pub const ALL: [Decision; 6] = [
        Decision::ResolveDispute,
        Decision::HoldForCreditNote,
        Decision::EndPromise,
        Decision::Resume,
        Decision::ApprovePlan,
        Decision::DeclinePlan,
    ];

    /// Its name in the app's addresses and forms.
    pub fn code(self) -> &'static str {
        match self {
            Decision::ResolveDispute => "resolve",
            Decision::HoldForCreditNote => "hold",
            Decision::EndPromise => "end-promise",
            Decision::Resume => "resume",
            Decision::ApprovePlan => "approve-plan",
            Decision::DeclinePlan => "decline-plan",
        }
    }

    pub fn parse(code: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Whether the decision turns the customer's request down: shown red, never the default.
    pub fn declines(self) -> bool {
        self == Decision::DeclinePlan
    }

    fn apply(
        self,
        c: &Creditor,
        current: &Invoice,
        controls: &mut InvoiceControls,
        now: DateTime<Utc>,
    ) -> Result<(), SettingsError> {
        match self {
            Decision::ResolveDispute => end_dispute(controls, now),
            Decision::HoldForCreditNote => {
                // Not an end of the hold, so the grace period does not start: the invoice stays held.
                controls.dispute = None;
                controls.reminders = Some(Override {
                    on: false,
                    until: None,
                    reason: Some(CREDIT_NOTE_COMING.into()),
                    set_at: now,
                });
            }
            Decision::EndPromise => end_promise(controls, now),
            Decision::Resume => controls.reminders = None,
            Decision::ApprovePlan => apply_plan_decision(&PlanDecision::ApproveRequest, c, current, controls, now)?,
            Decision::DeclinePlan => apply_plan_decision(&PlanDecision::Remove, c, current, controls, now)?,
        }
        Ok(())
    }
}

/// An invoice as it would be after a decision, and what the schedule would then do with it.
#[derive(Debug)]
pub struct Tried {
    pub creditor: Creditor,
    pub debtor: Option<Debtor>,
    /// The invoice as it stands now.
    pub before: Invoice,
    /// The invoice's controls after the decision (its agreed plan, for one).
    pub after: InvoiceControls,
    pub explanation: Explanation,
}

/// `decision` tried on a copy of the invoice: nothing is written. Refused as the decision itself would be.
pub async fn try_decision(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<Tried, SettingsError> {
    let c = creditor(store, id).await?;
    let before = store
        .get_invoice(id, invoice)
        .await?
        .filter(|i| i.doc.is_some())
        .ok_or(SettingsError::NotFound("invoice"))?;
    let mut changed = before.clone();
    decision.apply(&c, &before, &mut changed.controls, now)?;
    let debtor_id = &before.doc.as_ref().expect("filtered above").debtor_id;
    let debtor = store.get_debtor(id, debtor_id).await?;
    let calendar = calendar_for(&c, debtor.as_ref());
    let explanation = explain(
        &changed,
        &Context {
            creditor: &c,
            debtor: debtor.as_ref(),
            calendar: &calendar,
        },
        now,
        duly_core::locale::Language::of_creditor(&c),
    );
    Ok(Tried {
        after: changed.controls,
        creditor: c,
        debtor,
        before,
        explanation,
    })
}

/// Makes `decision`, through the same flow the API uses for it.
pub async fn decide(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    match decision {
        Decision::ResolveDispute => set_invoice_dispute(store, id, invoice, None, now).await,
        Decision::EndPromise => set_invoice_promise(store, id, invoice, None, now).await,
        Decision::Resume => set_invoice_reminders(store, id, invoice, None, now).await,
        Decision::ApprovePlan => set_invoice_payment_plan(store, id, invoice, PlanDecision::ApproveRequest, now).await,
        Decision::DeclinePlan => set_invoice_payment_plan(store, id, invoice, PlanDecision::Remove, now).await,
        Decision::HoldForCreditNote => {
            change_invoice_seeing(store, id, invoice, now, |c, current, controls| {
                if controls.dispute.is_none() {
                    return Err(SettingsError::Invalid(duly_core::policy::PolicyError::new(
                        "dispute",
                        "invalid-not-disputed",
                    )));
                }
                decision.apply(c, current, controls, now)
            })
            .await
        }
    }
}
