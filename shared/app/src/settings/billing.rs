//! What the creditor pays for: the month's usage statement, and the cap they set on a month.

use duly_adapters::store::Store;
use duly_core::billing::{statement, BillingSettings, PriceList, Statement};
use duly_core::model::ids::CreditorId;

use super::{change_creditor, SettingsError};

/// The cap on a month's spend: reminders that would pass it wait until it is raised or the month turns.
/// A change replans the creditor's open invoices, so those the old cap held are due again at once.
pub async fn put_billing(
    store: &Store,
    id: &CreditorId,
    settings: BillingSettings,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<BillingSettings, SettingsError> {
    settings.check()?;
    let c = change_creditor(store, id, |c| {
        c.billing = settings.clone();
        Ok(())
    })
    .await?;
    let open = store.open_invoices_of_creditor(id).await?;
    super::replan::replan(store, &c, open, now).await?;
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
        return Err(SettingsError::Invalid(duly_core::policy::PolicyError::new(
            "month",
            "invalid-month",
        )));
    }
    let c = store
        .get_creditor(id)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))?;
    let usage = store.usage(id, month).await?;
    let counts = usage.counts();
    Ok(statement(month, &counts, prices, c.billing.monthly_cap))
}

/// Mails every creditor with usage last month its priced statement, once, from eight in the morning of
/// the new month's first day in their zone, in their language (or in their digest).
pub async fn send_usage_statements(
    store: &Store,
    notifier: Option<crate::notify::Notifier<'_>>,
    creditors: &[super::report::Rostered],
    prices: &PriceList,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, SettingsError> {
    use duly_core::billing::euros;
    use duly_core::notices::{Notice, NoticeKind, NoticeValue};
    use duly_core::report::Period;

    let mut sent = 0;
    for rostered in creditors.iter().filter(|r| r.last_month) {
        let c = &rostered.creditor;
        let Some(day) = super::report::due_for(c, Period::Month, now) else {
            continue;
        };
        let month = day.format("%Y-%m").to_string();
        let usage = match store.usage(&c.creditor_id, &month).await {
            Ok(usage) => usage,
            Err(error) => {
                tracing::error!(creditor = %c.creditor_id, %error, "usage statement not made");
                continue;
            }
        };
        let s = statement(&month, &usage.counts(), prices, c.billing.monthly_cap);
        let notice = Notice::new(format!("usage:{month}"), NoticeKind::UsageStatement)
            .with_value("month", NoticeValue::Month { month: month.clone() })
            .with_value("total", NoticeValue::Money { money: euros(s.total) })
            .with_value("lines", NoticeValue::Usage { lines: s.lines.clone() })
            .at_page("/app/usage");
        match crate::notify::tell(store, notifier, c, &notice, now).await {
            Ok(crate::notify::Told::Sent) => sent += 1,
            Ok(_) => {}
            Err(error) => tracing::error!(creditor = %c.creditor_id, %error, "usage statement not told"),
        }
    }
    Ok(sent)
}
