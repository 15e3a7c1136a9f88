//! Late charges and payment plans: the creditor switches statutory interest and the compensation on, names
//! the country whose law applies, and says how many instalments customers may ask for; saved through the
//! same rules as `PUT /v1/late-charges` and `PUT /v1/payment-plans`.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::interest::LateCharges;
use duly_core::plans::PlanLimits;
use duly_core::web::{form_field, Session};

use super::{checked, creditor};
use crate::settings::{put_late_charges, put_payment_plans, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

async fn page(
    web: Web<'_>,
    session: &Session,
    note: Option<String>,
    status: u16,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let charges = &c.late_charges;
    // Interest on, but the rate table stops before today: say so, rather than let reminders go quiet on it.
    let today = now.with_timezone(&c.time_zone).date_naive();
    let country = charges.law_country(&c.country);
    let book = web.store.rate_book(&[]).await?;
    let stale = match book.known_until(country) {
        Some(until) if charges.interest && until < today => {
            let mut args = FluentArgs::new();
            args.set("country", country.to_string());
            args.set("date", duly_core::locale::format_date(lang, until));
            Some(say(lang, "web-charges-rates-stale", &args))
        }
        _ => None,
    };
    // Where the rates come from: the country's last two periods, and how each series' last fetch went.
    let periods = book.periods(country);
    let rates: Vec<_> = periods
        .iter()
        .skip(periods.len().saturating_sub(2))
        .rev()
        .map(|p| {
            json!({
                "from": duly_core::locale::format_date(lang, p.from),
                "rate": duly_core::locale::format_decimal(lang, &p.rate().normalize().to_string()),
                "fetched": p.fetched.map(|d| duly_core::locale::format_date(lang, d)),
                "links": duly_core::interest::sheet::links(&p.source),
            })
        })
        .collect();
    let feed: Vec<_> = web
        .store
        .feed_status()
        .await?
        .iter()
        .map(|s| {
            json!({
                "series": say(lang, &format!("web-series-{}", s.series.id()), &FluentArgs::new()),
                "taken": s.taken_on.map(|d| duly_core::locale::format_date(lang, d)),
                // What went wrong is for the operator's logs and alarm; the creditor learns that the rates
                // in use stay as they were.
                "failure": s.failure.is_some(),
            })
        })
        .collect();
    let html = render(
        "charges",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-charges-title", &FluentArgs::new()),
            "nav": "charges",
            "note": note,
            "stale": stale,
            "rates": rates,
            "feed": feed,
            "c": {
                "interest": charges.interest,
                "compensation": charges.compensation,
                "country": charges.law_country(&c.country),
            },
            "p": c.payment_plans,
            "groups": c.groups.iter().map(|(g, group)| json!({
                "id": g,
                "name": group.title(g),
                "consumers": charges.consumer_groups.contains_key(g),
                "off": charges.groups_off.contains(g),
                "rate": charges.consumer_groups.get(g).cloned().flatten().map(|r| r.normalize().to_string()).unwrap_or_default(),
            })).collect::<Vec<_>>(),
        }),
    );
    Ok(Reply::page(status, html))
}

pub async fn charges(web: Web<'_>, session: &Session, now: chrono::DateTime<chrono::Utc>) -> Result<Reply, WebError> {
    page(web, session, None, 200, now).await
}

/// `POST /app/charges`.
pub async fn change_charges(
    web: Web<'_>,
    session: &Session,
    fields: &[(String, String)],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    let country = field("country").trim().to_ascii_uppercase();
    let consumer_groups = |c: &duly_core::model::Creditor, fields: &[(String, String)]| {
        let mut groups = std::collections::BTreeMap::new();
        for name in c.groups.keys() {
            let get = |k: String| fields.iter().find(|(f, _)| *f == k).map_or("", |(_, v)| v.as_str());
            if get(format!("consumers_{name}")) != "on" {
                continue;
            }
            let rate = get(format!("rate_{name}")).trim().replace(',', ".");
            let rate = match rate.as_str() {
                "" => None,
                r => Some(
                    r.parse::<duly_core::interest::Decimal>()
                        .map_err(|_| format!("rate_{name}"))?,
                ),
            };
            groups.insert(name.clone(), rate);
        }
        Ok::<_, String>(groups)
    };
    let consumer_groups = match consumer_groups(&c, fields) {
        Ok(g) => g,
        Err(field) => {
            return page(
                web,
                session,
                Some(format!("{field}: a number, per cent a year")),
                422,
                now,
            )
            .await
        }
    };
    let charges = LateCharges {
        interest: field("interest") == "on",
        compensation: field("compensation") == "on",
        country: (!country.is_empty() && country != c.country).then_some(country),
        consumer_groups,
        groups_off: c
            .groups
            .keys()
            .filter(|g| field(&format!("off_{g}")) == "on")
            .cloned()
            .collect(),
    };
    let number = |name: &str, default: u16| field(name).trim().parse::<u16>().unwrap_or(default);
    let limits = PlanLimits {
        max_instalments: u8::try_from(number("max_instalments", 0)).unwrap_or(u8::MAX),
        days_between: number("days_between", 0),
        grace_days: number("grace_days", u16::MAX),
    };
    // Both are checked before either is saved, so a refusal changes nothing.
    let saved = match charges
        .check(&c.country, web.interest_countries)
        .and_then(|()| limits.check())
    {
        Err(e) => Err(SettingsError::Invalid(e)),
        Ok(()) => put_late_charges(web.store, &c.creditor_id, charges, web.interest_countries)
            .await
            .map(|_| ()),
    };
    match saved {
        Ok(()) => {}
        Err(SettingsError::Invalid(e)) => {
            let why = duly_core::web::refused::refusal_words(lang, &e);
            return page(web, session, Some(why), 422, now).await;
        }
        Err(e) => return Err(e.into()),
    }
    put_payment_plans(web.store, &c.creditor_id, limits).await?;
    Ok(Reply::see_other("/app/charges"))
}
