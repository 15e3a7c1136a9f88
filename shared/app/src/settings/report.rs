//! The creditor's report for a week or a month: day counters summed over the period, and the open
//! invoices' ageing on the day it is asked for.

use chrono::{DateTime, NaiveDate, Utc};

use duly_adapters::store::Store;
use duly_core::model::ids::CreditorId;
use duly_core::report::{report, Period, Report};

use super::SettingsError;

/// The report of the `period` holding `day` (today in the creditor's zone when not given).
pub async fn creditor_report(
    store: &Store,
    id: &CreditorId,
    period: Period,
    day: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Report, SettingsError> {
    let c = store
        .get_creditor(id)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    let day = day.unwrap_or(today);
    if !duly_core::calendar::bounds::date_in_range(day) {
        return Err(SettingsError::Invalid(duly_core::policy::PolicyError {
            field: "date".into(),
            reason: "a date between 1970 and 2100".into(),
        }));
    }
    let (from, to) = period.span(day);
    let counts = store.day_counts(id, from, to).await?;
    let open = store.open_invoices_of_creditor(id).await?;
    let flagged = super::at_risk(store, id, now).await?;
    Ok(report(
        &c.branding.trading_name,
        period,
        day,
        &counts,
        &open,
        today,
        flagged,
    ))
}
