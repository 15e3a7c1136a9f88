//! Reports: a week's or a month's figures inside the app, any of the last months and weeks picked from
//! one list, and the same figures as a spreadsheet.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::locale::{format_date, Language};
use duly_core::report::Period;
use duly_core::web::Session;

use super::creditor;
use crate::settings::SettingsError;
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

const MONTHS: u32 = 6;
const WEEKS: u64 = 8;

fn span(lang: Language, first: NaiveDate, last: NaiveDate) -> String {
    format!("{} – {}", format_date(lang, first), format_date(lang, last))
}

/// The first days of this month and the months before it, newest first.
fn months(today: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let first = today.with_day(1).unwrap_or(today);
    (0..MONTHS)
        .filter_map(|back| {
            let start = first.checked_sub_months(Months::new(back))?;
            let end = start.checked_add_months(Months::new(1))?.pred_opt()?;
            Some((start, end))
        })
        .collect()
}

/// The Mondays of this week and the weeks before it, newest first.
fn weeks(today: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    (0..WEEKS)
        .filter_map(|back| {
            let start = monday.checked_sub_days(Days::new(7 * back))?;
            Some((start, start.checked_add_days(Days::new(6))?))
        })
        .collect()
}

/// `GET /app/reports`: this month's report.
pub async fn reports(web: Web<'_>, session: &Session, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, _) = creditor(web, session).await?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    let first = today.with_day(1).unwrap_or(today);
    report(web, session, "month", &first.to_string(), now).await
}

/// `GET /app/reports/pick?at={week|month}/{date}`: the period chosen in the list, for the browser to open.
pub async fn pick_report(web: Web<'_>, session: &Session, at: &str) -> Result<Reply, WebError> {
    match at.split_once('/') {
        Some((period, date)) if Period::parse(period).is_some() && date.parse::<NaiveDate>().is_ok() => {
            Ok(Reply::see_other(format!("/app/reports/{period}/{date}")))
        }
        _ => {
            let (_, lang) = creditor(web, session).await?;
            Ok(super::not_found(lang))
        }
    }
}

/// `GET /app/reports/{week|month}/{date}` (the page the mailed report links to), and with `.csv` after the
/// date the same figures as a spreadsheet.
pub async fn report(
    web: Web<'_>,
    session: &Session,
    period: &str,
    date: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let (date, csv) = match date.strip_suffix(".csv") {
        Some(date) => (date, true),
        None => (date, false),
    };
    let (Some(period), Ok(day)) = (Period::parse(period), date.parse::<NaiveDate>()) else {
        return Ok(super::not_found(lang));
    };
    let mut report = match crate::settings::creditor_report(web.store, &c.creditor_id, period, Some(day), now).await {
        Ok(report) => report,
        Err(SettingsError::Invalid(_)) => return Ok(super::not_found(lang)),
        Err(e) => return Err(e.into()),
    };
    // The member's language, which may not be the company's that a mailed report is written in.
    report.language = lang;
    if csv {
        let name = format!("duly-{}-{}.csv", period.name(), report.from);
        return Ok(Reply::download(&name, report.csv()));
    }
    let today = now.with_timezone(&c.time_zone).date_naive();
    let at = format!("{}/{}", period.name(), report.from);
    let list = |period: Period, spans: Vec<(NaiveDate, NaiveDate)>| -> Vec<_> {
        spans
            .into_iter()
            .map(|(first, last)| {
                let value = format!("{}/{first}", period.name());
                json!({"selected": value == at, "value": value, "label": span(lang, first, last)})
            })
            .collect()
    };
    let view = report.view();
    let mut context = serde_json::to_value(&view).unwrap_or_default();
    let none = FluentArgs::new();
    for (k, v) in [
        ("title", json!(view.subtitle)),
        ("heading", json!(say(lang, "web-reports-title", &none))),
        ("nav", json!("reports")),
        ("months", json!(list(Period::Month, months(today)))),
        ("weeks", json!(list(Period::Week, weeks(today)))),
        ("csv", json!(format!("/app/reports/{at}.csv"))),
    ] {
        context[k] = v;
    }
    Ok(Reply::page(
        200,
        render("report", lang, Some(web.chrome(session)), context),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_weeks_run_back_from_today_whole() {
        let today: NaiveDate = "2026-03-31".parse().unwrap();
        let m = months(today);
        assert_eq!(m[0], ("2026-03-01".parse().unwrap(), today));
        assert_eq!(m[1].1, "2026-02-28".parse::<NaiveDate>().unwrap());
        assert_eq!(m.len(), 6);
        let w = weeks("2026-12-06".parse().unwrap());
        assert_eq!(w[0], ("2026-11-30".parse().unwrap(), "2026-12-06".parse().unwrap()));
        assert_eq!(w[1].0, "2026-11-23".parse::<NaiveDate>().unwrap());
    }
}
