//! Usage: this month's and last month's metered messages, e-mails, SMS and SMS segments.

use chrono::{DateTime, Datelike, Months, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::web::Session;

use super::creditor;
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

pub async fn usage(web: Web<'_>, session: &Session, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let this_month = now
        .with_timezone(&c.time_zone)
        .date_naive()
        .with_day(1)
        .unwrap_or_default();
    let mut months = Vec::new();
    for month in [
        this_month,
        this_month.checked_sub_months(Months::new(1)).unwrap_or(this_month),
    ] {
        let key = month.format("%Y-%m").to_string();
        let u = web.store.usage(&c.creditor_id, &key).await?;
        months.push(json!({"month": key, "reminders": u.reminders, "emails": u.emails, "sms": u.sms, "segments": u.sms_segments}));
    }
    let html = render(
        "usage",
        lang,
        Some(&session.csrf),
        json!({"title": say(lang, "web-usage-title", &FluentArgs::new()), "nav": "usage", "months": months}),
    );
    Ok(Reply::page(200, html))
}
