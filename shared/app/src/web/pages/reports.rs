//! Reports: the creditor's monthly and weekly reports, the latest first, each a page of its own.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::messages::locale::{format_date, Language};
use duly_core::web::Session;

use super::creditor;
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

pub async fn reports(web: Web<'_>, session: &Session, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    let list = |period: &str, spans: Vec<(NaiveDate, NaiveDate)>| -> Vec<_> {
        spans
            .into_iter()
            .map(|(first, last)| json!({"href": format!("/app/reports/{period}/{first}"), "label": span(lang, first, last)}))
            .collect()
    };
    let none = FluentArgs::new();
    let html = render(
        "reports",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-reports-title", &none),
            "nav": "reports",
            "months": list("month", months(today)),
            "weeks": list("week", weeks(today)),
        }),
    );
    Ok(Reply::page(200, html))
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
