//! An invoice's late-payment interest and compensation, stretch by stretch with their sources: the
//! computation sheet a creditor attaches when they charge them.

use chrono::{DateTime, Utc};

use duly_adapters::store::Store;
use duly_core::interest::charges::Overdue;
use duly_core::interest::sheet::Sheet;
use duly_core::interest::InterestError;
use duly_core::model::ids::{CreditorId, InvoiceId};
use duly_core::policy::precedence::group_of;
use duly_core::policy::PolicyError;

use super::invoices::known_invoice;
use super::SettingsError;

fn refused(reason: PolicyError) -> SettingsError {
    SettingsError::Invalid(reason)
}

/// Why the interest cannot be worked out, for the creditor: the operator's detail goes to the log.
fn not_computed(e: &InterestError) -> PolicyError {
    let at = |id| PolicyError::new("interest", id);
    match e {
        InterestError::NoStatute(country) => at("invalid-sheet-no-law").with("country", country.as_str()),
        InterestError::RateUnknown { country, day } => at("invalid-sheet-rate-unknown")
            .with("country", *country)
            .with("day", *day),
        InterestError::FxUnknown { currency, day } => at("invalid-sheet-fx-unknown")
            .with("currency", currency.as_str())
            .with("day", *day),
        InterestError::Invalid(_) => at("invalid-sheet-not-computed"),
    }
}

/// The sheet of `invoice` as of today in the creditor's zone, under the creditor's late-charge settings
/// (statutory interest and compensation when those are off, for the creditor to see what they would be).
pub async fn interest_sheet(
    store: &Store,
    id: &CreditorId,
    invoice_id: &InvoiceId,
    now: DateTime<Utc>,
) -> Result<Sheet, SettingsError> {
    let known = known_invoice(store, id, invoice_id).await?;
    let (c, doc) = (&known.creditor, &known.doc);
    let group = group_of(c, known.debtor.as_ref()).map(|(name, _)| name);
    let settings = &c.late_charges;
    let (contract, with_compensation) = match group.and_then(|g| settings.consumer_groups.get(g)) {
        Some(None) => return Err(refused(PolicyError::new("interest", "invalid-sheet-consumer"))),
        Some(Some(rate)) => (Some(duly_core::interest::ContractRate(*rate)), false),
        None => (None, true),
    };
    let country = settings.law_country(&c.country);
    let today = now.with_timezone(&c.time_zone).date_naive();
    // As in reminders: each reported payment lowers the balance from the next day.
    let history = store.balance_history(id, invoice_id).await?;
    let overdue = Overdue::of(&known.invoice, history).ok_or(SettingsError::NotFound("invoice"))?;
    let book = store.rate_book(&[doc.total.currency.code()]).await?;
    let compensation = with_compensation
        .then(|| overdue.compensation(&book, country, today))
        .flatten();
    // Payments go to the compensation first where it is claimed, then to the interest, as the law orders.
    let costs = compensation.map_or(0, |c| c.minor);
    let interest = overdue.interest(&book, country, contract, costs, today).map_err(|e| {
        tracing::warn!(error = %e, "interest sheet not computed");
        refused(not_computed(&e))
    })?;
    Ok(Sheet::new(&doc.number, country, today, &interest, compensation))
}
