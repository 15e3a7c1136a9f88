//! The creditor's report for a week or a month: day counters summed over the period, and the open
//! invoices' ageing on the day it is asked for.

use chrono::{DateTime, NaiveDate, Utc};

use duly_adapters::store::Store;
use duly_core::model::ids::CreditorId;
use duly_core::model::Creditor;
use duly_core::report::dso::periods_needed;
use duly_core::report::{keys, report, Counters, Period, Report};

/// Two years of weeks and the twelve before them.
const MAX_PERIODS_READ: usize = 120;
use duly_core::risk::unlikely_to_pay;

use super::SettingsError;
use duly_adapters::store::StoreError;

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
    report_of(store, &c, period, day, now).await
}

/// The report of a creditor already read: the period's day counters, and the open invoices and their
/// debtors read once for both the ageing and who is unlikely to pay.
async fn report_of(
    store: &Store,
    c: &Creditor,
    period: Period,
    day: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Report, SettingsError> {
    let today = now.with_timezone(&c.time_zone).date_naive();
    let day = day.unwrap_or(today);
    // Two years back at most: DSO reads every period from the report's to today's.
    let earliest = today.checked_sub_months(chrono::Months::new(24)).unwrap_or(today);
    if day < earliest || !duly_core::calendar::bounds::date_in_range(day) {
        return Err(SettingsError::Invalid(
            duly_core::policy::PolicyError::new("date", "invalid-report-day").with("earliest", earliest),
        ));
    }
    let counters = counters_of(store, c, period, day, today).await?;
    let (open, debtors) = store.open_invoices_with_debtors(&c.creditor_id).await?;
    let flagged = unlikely_to_pay(c, &open, &debtors, today);
    Ok(report(c, period, day, &counters, &open, today, flagged))
}

/// A creditor on this month's or last month's roster (those with any usage), read once for the hourly
/// run's reports and statements.
pub struct Rostered {
    pub creditor: Creditor,
    /// On last month's roster: they had usage last month.
    pub last_month: bool,
}

/// The creditors on this month's and last month's rosters, each read once.
pub async fn rostered_creditors(store: &Store, now: DateTime<Utc>) -> Result<Vec<Rostered>, SettingsError> {
    let last_month = now.checked_sub_months(chrono::Months::new(1)).unwrap_or(now);
    let last: std::collections::BTreeSet<_> = store
        .roster(&duly_core::model::billing_month(last_month))
        .await?
        .into_iter()
        .collect();
    let mut ids = last.clone();
    ids.extend(store.roster(&duly_core::model::billing_month(now)).await?);
    let mut out = Vec::new();
    for id in ids {
        match store.get_creditor(&id).await {
            Ok(Some(creditor)) => out.push(Rostered {
                last_month: last.contains(&id),
                creditor,
            }),
            Ok(None) => {}
            // One unreadable profile must not stop the run for the others; it stays on the roster.
            Err(StoreError::Corrupt(error)) => {
                tracing::error!(creditor = %id, %error, "creditor left out of this run");
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(out)
}

/// The day in the last finished `period` that is due to be told to `c` at `now`, in their zone: from eight
/// in the morning of the new period's first day.
pub(crate) fn due_for(c: &Creditor, period: Period, now: DateTime<Utc>) -> Option<NaiveDate> {
    use chrono::Timelike;
    let local = now.with_timezone(&c.time_zone);
    duly_core::report::due_report(period, local.date_naive(), local.hour())
}

/// Tells every creditor who asked for a report about the period that just ended, once, each in their own
/// zone and language.
pub async fn send_due_reports(
    store: &Store,
    notifier: Option<crate::notify::Notifier<'_>>,
    creditors: &[Rostered],
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    use duly_core::notices::{Notice, NoticeKind, NoticeValue};

    let mut sent = 0;
    for Rostered { creditor: c, .. } in creditors {
        let Some(period) = c.notifications.report else { continue };
        let Some(day) = due_for(c, period, now) else { continue };
        // One creditor whose report cannot be read must not cost everyone else theirs: it is logged and
        // tried again next hour, as a report not yet told is.
        let r = match report_of(store, c, period, Some(day), now).await {
            Ok(r) => r,
            Err(error) => {
                tracing::error!(creditor = %c.creditor_id, %error, "report not made");
                continue;
            }
        };
        let period_name = period.name();
        let notice = Notice::new(format!("report:{period_name}:{}", r.from), NoticeKind::Report)
            .with_value("from", NoticeValue::Day { day: r.from })
            .with_value("to", NoticeValue::Day { day: r.to })
            .with("sent", r.sent.iter().map(|s| s.count).sum::<i64>().to_string())
            .with("payments", r.payments.to_string())
            .with("after", r.paid_after_reminder.to_string())
            .with("risky", r.unlikely_to_pay.len().to_string())
            .at_page(&format!("/app/reports/{period_name}/{}", r.from));
        match crate::notify::tell(store, notifier, c, &notice, now).await {
            Ok(crate::notify::Told::Sent) => sent += 1,
            Ok(_) => {}
            Err(error) => tracing::error!(creditor = %c.creditor_id, %error, "report not told"),
        }
    }
    Ok(sent)
}

/// The day counters of the period holding `day`, and the per-period sums DSO needs.
async fn counters_of(
    store: &Store,
    c: &Creditor,
    period: Period,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<Counters, SettingsError> {
    let (from, to) = period.span(day);
    let starts = periods_needed(period, day, today, MAX_PERIODS_READ);
    let items: Vec<String> = starts.iter().map(|s| keys::period_item(period, *s)).collect();
    let mut per_period = store.counters(&c.creditor_id, &items).await?;
    Ok(Counters {
        period: store.day_counts(&c.creditor_id, from, to).await?,
        per_period: starts
            .iter()
            .zip(&items)
            .filter_map(|(start, item)| Some((*start, per_period.remove(item)?)))
            .collect(),
    })
}

/// This month's figures for the Today page, from the open invoices it read already: what is owed and
/// overdue, what came in, DSO. Nobody is scored for risk here; the report page does that.
pub async fn month_figures(
    store: &Store,
    c: &Creditor,
    open: &[duly_core::ledger::Invoice],
    now: DateTime<Utc>,
) -> Result<Report, SettingsError> {
    let today = now.with_timezone(&c.time_zone).date_naive();
    let counters = counters_of(store, c, Period::Month, today, today).await?;
    Ok(report(c, Period::Month, today, &counters, open, today, Vec::new()))
}
