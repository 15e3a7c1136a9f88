//! An invoice's switches (reminders, dispute, promise) and "what will be sent, when, and why".

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use duly_adapters::store::Store;
use duly_core::calendar::calendar_for;
use duly_core::ledger::{Balance, Invoice, InvoiceDoc};
use duly_core::locale::Language;
use duly_core::model::ids::{CreditorId, InvoiceId};
use duly_core::model::{Creditor, Debtor, Dispute, InvoiceControls, Promise};
use duly_core::planner::{explain, plan_invoice, Context, Explanation};
use duly_core::platforms::freshness::{stale_because, stale_words};
use duly_core::settings::{check_promise_date, check_reason, settlement_offer, to_override, OverrideInput};

use super::replan::ATTEMPTS;
use super::{creditor, Replanned, SettingsError};

/// Read-modify-write of one invoice's controls, conditional on its revision, replanned in the same write.
pub(crate) async fn change_invoice(
    store: &Store,
    id: &CreditorId,
    invoice_id: &InvoiceId,
    now: DateTime<Utc>,
    change: impl Fn(&Creditor, &mut InvoiceControls) -> Result<(), SettingsError>,
) -> Result<Replanned, SettingsError> {
    change_invoice_seeing(store, id, invoice_id, now, |c, _, controls| change(c, controls)).await
}

/// As [`change_invoice`], for a change that depends on the invoice as it stands.
pub(crate) async fn change_invoice_seeing(
    store: &Store,
    id: &CreditorId,
    invoice_id: &InvoiceId,
    now: DateTime<Utc>,
    change: impl Fn(&Creditor, &Invoice, &mut InvoiceControls) -> Result<(), SettingsError>,
) -> Result<Replanned, SettingsError> {
    let c = creditor(store, id).await?;
    for _ in 0..ATTEMPTS {
        let invoice = store
            .get_invoice(id, invoice_id)
            .await?
            .filter(|i| i.doc.is_some())
            .ok_or(SettingsError::NotFound("invoice"))?;
        let mut changed = invoice.clone();
        change(&c, &invoice, &mut changed.controls)?;
        let debtor_id = &invoice.doc.as_ref().expect("filtered above").debtor_id;
        let debtor = store.get_debtor(id, debtor_id).await?;
        let calendar = calendar_for(&c, debtor.as_ref());
        let ctx = Context {
            creditor: &c,
            debtor: debtor.as_ref(),
            calendar: &calendar,
        };
        let next = if changed.is_open() {
            let wake = duly_core::planner::monthly::wake_at(&c, debtor.as_ref(), &calendar, now);
            duly_core::planner::monthly::earliest(plan_invoice(&changed, &ctx, now).next_look(&calendar, now), wake)
        } else {
            None
        };
        if store.set_invoice_controls(&invoice, &changed.controls, next).await? {
            let fields = crate::audit::changed_fields(&invoice.controls, &changed.controls);
            let subject = format!("invoice {invoice_id}");
            crate::audit::record_controls(
                store,
                id,
                debtor_id,
                duly_core::audit::events::INVOICE_CONTROLS,
                Some(&subject),
                fields,
                now,
            )
            .await?;
            return Ok(Replanned {
                replanned: usize::from(next != invoice.next_action_at),
            });
        }
    }
    Err(SettingsError::Contended)
}

pub async fn set_invoice_reminders(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    input: Option<OverrideInput>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_invoice(store, id, invoice, now, |c, controls| {
        controls.reminders = input.clone().map(|i| to_override(i, c, now)).transpose()?;
        Ok(())
    })
    .await
}

pub async fn set_invoice_dispute(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    check_reason(&reason)?;
    // Who the invoice's debtor was when a dispute on it ended, for the audit trail and the report.
    let resolved = std::sync::Mutex::new(None);
    let replanned = change_invoice_seeing(store, id, invoice, now, |_, current, controls| {
        *resolved.lock().unwrap_or_else(|e| e.into_inner()) = match (&reason, &current.controls.dispute, &current.doc) {
            (None, Some(_), Some(doc)) => Some(doc.debtor_id.clone()),
            _ => None,
        };
        match &reason {
            None => end_dispute(controls, now),
            Some(reason) => {
                controls.dispute = Some(Dispute {
                    reason: reason.clone(),
                    at: now,
                })
            }
        }
        Ok(())
    })
    .await?;
    if let Some(debtor) = resolved.into_inner().unwrap_or_else(|e| e.into_inner()) {
        crate::audit::append_action(
            store,
            id,
            &debtor,
            duly_core::audit::events::DISPUTE_RESOLVED,
            format!("invoice {invoice}"),
            now,
        )
        .await?;
    }
    Ok(replanned)
}

/// The creditor resolves the dispute: the final-notice grace period counts from now.
pub(crate) fn end_dispute(controls: &mut InvoiceControls, now: DateTime<Utc>) {
    if controls.dispute.take().is_some() {
        controls.hold_ended_at = Some(now);
    }
}

/// The creditor ends the promise: the final-notice grace period counts from now.
pub(crate) fn end_promise(controls: &mut InvoiceControls, now: DateTime<Utc>) {
    if controls.promise.take().is_some() {
        controls.hold_ended_at = Some(now);
    }
}

pub async fn set_invoice_promise(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_invoice(store, id, invoice, now, |c, controls| {
        check_promise_date(date, c, now)?;
        match date {
            None => end_promise(controls, now),
            Some(date) => controls.promise = Some(Promise { date, at: now }),
        }
        Ok(())
    })
    .await
}

/// The creditor's settlement offer for an invoice (`None` withdraws it): `amount` in total by `pay_by`.
pub async fn set_invoice_settlement(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    offer: Option<(String, NaiveDate)>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_invoice_seeing(store, id, invoice, now, |c, current, controls| {
        if controls.settlement.as_ref().is_some_and(|s| s.settled_at.is_some()) {
            return Err(SettingsError::Invalid(duly_core::policy::PolicyError::new(
                "settlement",
                "invalid-settled",
            )));
        }
        let today = now.with_timezone(&c.time_zone).date_naive();
        controls.settlement = match &offer {
            Some((amount, pay_by)) => Some(settlement_offer(current, amount, *pay_by, today, now)?),
            None => None,
        };
        Ok(())
    })
    .await
}

/// What the creditor decides about paying an invoice in instalments.
#[derive(Debug, Clone)]
pub enum PlanDecision {
    /// These instalments (dates, and decimal amounts in the invoice's currency) replace any plan or request.
    Set(Vec<(NaiveDate, String)>),
    /// The debtor's request, as asked: equal instalments the creditor's days apart, the first that many
    /// days from today.
    ApproveRequest,
    /// Declines the request, or ends the plan: the usual reminders resume.
    Remove,
}

fn plan_refused(id: &'static str) -> SettingsError {
    SettingsError::Invalid(duly_core::policy::PolicyError::new("instalments", id))
}

pub async fn set_invoice_payment_plan(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    decision: PlanDecision,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_invoice_seeing(store, id, invoice, now, |c, current, controls| {
        apply_plan_decision(&decision, c, current, controls, now)
    })
    .await
}

/// `decision` applied to an invoice's controls as it stands: the one rule for the API, the app and the
/// preview of a decision.
pub(crate) fn apply_plan_decision(
    decision: &PlanDecision,
    c: &Creditor,
    current: &Invoice,
    controls: &mut InvoiceControls,
    now: DateTime<Utc>,
) -> Result<(), SettingsError> {
    let today = now.with_timezone(&c.time_zone).date_naive();
    let balance = current
        .balance
        .filter(|_| current.is_open())
        .ok_or_else(|| plan_refused("invalid-nothing-owed"))?
        .amount_due;
    let instalments = match decision {
        PlanDecision::Remove => {
            if controls.plan_request.take().is_some() {
                controls.plan_declined_at = Some(now);
            }
            controls.plan = None;
            return Ok(());
        }
        PlanDecision::ApproveRequest => {
            let asked = controls
                .plan_request
                .ok_or_else(|| plan_refused("invalid-plan-not-asked"))?;
            let days = c.payment_plans.days_between;
            duly_core::plans::split(
                balance,
                asked.instalments,
                duly_core::calendar::bounds::shift(today, i64::from(days)),
                days,
            )
        }
        PlanDecision::Set(given) => given
            .iter()
            .map(|(due, amount)| {
                let amount = balance
                    .currency
                    .parse_amount(amount)
                    .map_err(|_| plan_refused("invalid-amount"))?;
                Ok(duly_core::plans::Instalment {
                    due: *due,
                    amount: amount.minor,
                })
            })
            .collect::<Result<Vec<_>, SettingsError>>()?,
    };
    duly_core::plans::check_instalments(&instalments, balance, today)?;
    controls.plan = Some(duly_core::plans::PaymentPlan {
        base: balance,
        instalments,
        agreed_at: now,
        broken_at: None,
    });
    controls.plan_request = None;
    Ok(())
}

/// An invoice as the plan endpoint shows it.
#[derive(Debug, Serialize)]
pub struct InvoicePlanView {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub open: bool,
    pub amount_due: String,
    pub currency: String,
    pub due_date: NaiveDate,
    pub controls: InvoiceControls,
    /// Why nothing goes out until the accounting platform's data is fetched, when that holds everything back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_for_platform: Option<String>,
    #[serde(flatten)]
    pub explanation: Explanation,
}

/// One of the creditor's invoices whose document and balance are known, with the creditor and the debtor.
pub(crate) struct KnownInvoice {
    pub creditor: Creditor,
    pub invoice: Invoice,
    pub doc: InvoiceDoc,
    pub balance: Balance,
    pub debtor: Option<Debtor>,
}

/// Reads `invoice_id` of creditor `id` with what explains it; another creditor's, or one only a payment has
/// been seen of, is not found.
pub(crate) async fn known_invoice(
    store: &Store,
    id: &CreditorId,
    invoice_id: &InvoiceId,
) -> Result<KnownInvoice, SettingsError> {
    let c = creditor(store, id).await?;
    let invoice = store
        .get_invoice(id, invoice_id)
        .await?
        .ok_or(SettingsError::NotFound("invoice"))?;
    let (Some(doc), Some(balance)) = (invoice.doc.clone(), invoice.balance) else {
        return Err(SettingsError::NotFound("invoice"));
    };
    let debtor = store.get_debtor(id, &doc.debtor_id).await?;
    Ok(KnownInvoice {
        creditor: c,
        invoice,
        doc,
        balance,
        debtor,
    })
}

/// The plan of one invoice, worded in `reader` (the language the caller asked for), else the creditor's.
pub async fn invoice_plan(
    store: &Store,
    id: &CreditorId,
    invoice_id: &InvoiceId,
    reader: Option<Language>,
    now: DateTime<Utc>,
) -> Result<InvoicePlanView, SettingsError> {
    let KnownInvoice {
        creditor: c,
        invoice,
        doc,
        balance,
        debtor,
    } = known_invoice(store, id, invoice_id).await?;
    let calendar = calendar_for(&c, debtor.as_ref());
    let ctx = Context {
        creditor: &c,
        debtor: debtor.as_ref(),
        calendar: &calendar,
    };
    let lang = reader.unwrap_or_else(|| Language::of_creditor(&c));
    Ok(InvoicePlanView {
        invoice_id: invoice.invoice_id.clone(),
        number: doc.number.clone(),
        open: invoice.is_open(),
        amount_due: balance.amount_due.to_decimal().to_string(),
        currency: balance.amount_due.currency.to_string(),
        due_date: doc.due_date,
        controls: invoice.controls.clone(),
        waiting_for_platform: stale_because(&store.sync_states(id).await?, now).map(|r| stale_words(r, lang)),
        explanation: explain(&invoice, &ctx, now, lang),
    })
}
