//! What the creditor pays for: the month's usage statement, and the cap they set on a month.

use duly_adapters::store::Store;
use duly_core::billing::{statement, BillingSettings, PriceList, Statement};
use duly_core::model::ids::CreditorId;

use super::{change_creditor, SettingsError};

/// The cap on a month's spend: reminders that would pass it wait until it is raised or the month turns.
pub async fn put_billing(
    store: &Store,
    id: &CreditorId,
    settings: BillingSettings,
) -> Result<BillingSettings, SettingsError> {
    settings.check()?;
    let c = change_creditor(store, id, |c| {
        c.billing = settings.clone();
        Ok(())
    })
    .await?;
    Ok(c.billing)
}

/// The usage statement of `month` (`yyyy-mm`, UTC), priced by `prices`.
pub async fn usage_statement(
    store: &Store,
    id: &CreditorId,
    month: &str,
    prices: &PriceList,
) -> Result<Statement, SettingsError> {
    let valid = month.len() == 7 && chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok();
    if !valid {
        return Err(SettingsError::Invalid(duly_core::policy::PolicyError {
            field: "month".into(),
            reason: "a month is written yyyy-mm".into(),
        }));
    }
    let c = store
        .get_creditor(id)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))?;
    let usage = store.usage(id, month).await?;
    let counts = usage.counts();
    Ok(statement(month, &counts, prices, c.billing.monthly_cap))
}
