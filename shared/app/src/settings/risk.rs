//! Who is unlikely to pay: each debtor's score from their open invoices, read through the by-creditor
//! index (never a scan), and the creditor's threshold.

use chrono::{DateTime, Utc};

use duly_adapters::store::Store;
use duly_core::model::ids::{CreditorId, DebtorId};
use duly_core::risk::{score, unlikely_to_pay, RiskSettings, Score};

use super::{change_creditor, SettingsError};

pub use duly_core::risk::Flagged as AtRisk;

/// One debtor's score today.
pub async fn debtor_score(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    now: DateTime<Utc>,
) -> Result<Score, SettingsError> {
    let c = store
        .get_creditor(id)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))?;
    let d = store
        .get_debtor(id, debtor)
        .await?
        .ok_or(SettingsError::NotFound("debtor"))?;
    let open = store.open_invoices_of(id, debtor).await?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    Ok(score(&c, &d, &open, today, c.risk.threshold))
}

/// Every debtor at or above the creditor's threshold, highest first.
pub async fn at_risk(store: &Store, id: &CreditorId, now: DateTime<Utc>) -> Result<Vec<AtRisk>, SettingsError> {
    let c = store
        .get_creditor(id)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))?;
    let (open, debtors) = store.open_invoices_with_debtors(id).await?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    Ok(unlikely_to_pay(&c, &open, &debtors, today))
}

pub async fn put_risk(store: &Store, id: &CreditorId, settings: RiskSettings) -> Result<RiskSettings, SettingsError> {
    settings.check()?;
    let c = change_creditor(store, id, |c| {
        c.risk = settings.clone();
        Ok(())
    })
    .await?;
    Ok(c.risk)
}
