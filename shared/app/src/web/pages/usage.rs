//! Usage: this month's and last month's priced usage statements, and the cap on a month's spend.

use chrono::{DateTime, Datelike, Months, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::billing::words::{label, unit_price};
use duly_core::billing::{euros, BillingSettings, Decimal, Statement};
use duly_core::locale::{format_money, format_month, Language};
use duly_core::web::form_field;
use duly_core::web::Session;

use super::{checked, creditor};
use crate::settings::{put_billing, usage_statement, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

fn month_view(lang: Language, s: &Statement) -> serde_json::Value {
    let lines: Vec<_> = s
        .lines
        .iter()
        .map(|l| {
            json!({
                "label": label(l.meter).replace('-', "_"),
                "quantity": l.quantity,
                "unit_price": unit_price(lang, l.unit_price),
                "amount": format_money(lang, &euros(l.amount)),
            })
        })
        .collect();
    let month = chrono::NaiveDate::parse_from_str(&format!("{}-01", s.month), "%Y-%m-%d")
        .map(|first| format_month(lang, first.year(), first.month()))
        .unwrap_or_else(|_| s.month.clone());
    json!({"month": month, "lines": lines, "total": format_money(lang, &euros(s.total))})
}

async fn page(
    web: Web<'_>,
    session: &Session,
    note: Option<String>,
    status: u16,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    // Billing months are UTC months, as the usage counters are kept.
    let this_month = now.date_naive().with_day(1).unwrap_or_default();
    let mut months = Vec::new();
    for month in [
        this_month,
        this_month.checked_sub_months(Months::new(1)).unwrap_or(this_month),
    ] {
        let key = month.format("%Y-%m").to_string();
        let statement = usage_statement(web.store, &c.creditor_id, &key, web.prices).await?;
        months.push(month_view(lang, &statement));
    }
    let cap = c.billing.monthly_cap.map(|cap| match lang {
        Language::En => cap.to_string(),
        _ => cap.to_string().replace('.', ","),
    });
    let html = render(
        "usage",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-usage-title", &FluentArgs::new()),
            "nav": "usage",
            "months": months,
            "cap": cap.unwrap_or_default(),
            "note": note,
        }),
    );
    Ok(Reply::page(status, html))
}

pub async fn usage(web: Web<'_>, session: &Session, now: DateTime<Utc>) -> Result<Reply, WebError> {
    page(web, session, None, 200, now).await
}

/// `POST /app/usage`: sets the monthly cap in euros, or removes it when the field is left empty.
pub async fn change_cap(
    web: Web<'_>,
    session: &Session,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    // "250,00" and "1 000" are how people write euros: a comma is the decimal point, spaces group digits.
    let written: String = field("monthly_cap")
        .trim()
        .chars()
        .filter(|ch| !matches!(ch, ' ' | '\u{a0}'))
        .map(|ch| if ch == ',' { '.' } else { ch })
        .collect();
    let monthly_cap = match written.as_str() {
        "" => None,
        text => match text.parse::<Decimal>() {
            Ok(cap) => Some(cap),
            Err(_) => {
                let note = say(lang, "web-usage-bad-cap", &FluentArgs::new());
                return page(web, session, Some(note), 422, now).await;
            }
        },
    };
    match put_billing(web.store, &c.creditor_id, BillingSettings { monthly_cap }, now).await {
        Ok(_) => Ok(Reply::see_other("/app/usage")),
        Err(SettingsError::Invalid(_)) => {
            let note = say(lang, "web-usage-bad-cap", &FluentArgs::new());
            page(web, session, Some(note), 422, now).await
        }
        Err(e) => Err(e.into()),
    }
}
