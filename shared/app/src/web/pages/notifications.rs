//! Notifications and reports: how the creditor hears from Duly (each event as it happens, or a daily
//! digest at an hour of theirs), which report they get by mail, whether opens are recorded, and from how
//! many points a customer counts as at risk. Saved through the same rules as the API.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::audit::settings::Records;
use duly_core::notices::{Delivery, Notifications};
use duly_core::report::Period;
use duly_core::risk::RiskSettings;
use duly_core::web::{form_field, Session};

use super::{checked, creditor};
use crate::settings::{put_notifications, put_records, put_risk, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

async fn page(
    web: Web<'_>,
    session: &Session,
    note: Option<String>,
    saved: bool,
    status: u16,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let n = &c.notifications;
    let none = FluentArgs::new();
    let html = render(
        "notifications",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-notifications-title", &none),
            "nav": "notifications",
            "note": note,
            "saved": saved.then(|| say(lang, "web-saved", &none)),
            "daily": n.delivery == Delivery::Daily,
            "digest_hour": n.digest_hour,
            "report": n.report.map(Period::name),
            "opens": n.opens,
            "threshold": c.risk.threshold,
            "keep_sent_days": c.records.keep_sent_days,
        }),
    );
    Ok(Reply::page(status, html))
}

/// `GET /app/notifications?saved=`.
pub async fn notifications(web: Web<'_>, session: &Session, saved: bool) -> Result<Reply, WebError> {
    page(web, session, None, saved, 200).await
}

/// `POST /app/notifications`: every setting checked before any is saved, so a refusal changes nothing.
pub async fn change_notifications(
    web: Web<'_>,
    session: &Session,
    fields: &[(String, String)],
) -> Result<Reply, WebError> {
    let (_, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    let number = |name: &str| field(name).trim().parse::<u32>();
    let (Ok(hour), Ok(threshold), Ok(keep_sent_days)) =
        (number("digest_hour"), number("threshold"), number("keep_sent_days"))
    else {
        return page(
            web,
            session,
            Some(say(lang, "web-notifications-numbers", &FluentArgs::new())),
            false,
            422,
        )
        .await;
    };
    let wanted = Notifications {
        delivery: if field("delivery") == "daily" {
            Delivery::Daily
        } else {
            Delivery::Each
        },
        digest_hour: u8::try_from(hour).unwrap_or(u8::MAX),
        report: Period::parse(field("report")),
        opens: field("opens") == "on",
    };
    let risk = RiskSettings { threshold };
    let records = Records { keep_sent_days };
    // All are checked before any is saved, so a refusal changes nothing.
    let results = match wanted
        .check()
        .and_then(|()| risk.check())
        .and_then(|()| records.check())
    {
        Err(e) => vec![Err(SettingsError::Invalid(e))],
        Ok(()) => {
            let (c, _) = creditor(web, session).await?;
            vec![
                put_notifications(web.store, &c.creditor_id, wanted).await.map(|_| ()),
                put_risk(web.store, &c.creditor_id, risk).await.map(|_| ()),
                put_records(web.store, &c.creditor_id, records).await.map(|_| ()),
            ]
        }
    };
    for saved in results {
        match saved {
            Ok(()) => {}
            Err(SettingsError::Invalid(e)) => {
                let why = duly_core::web::refused::refusal_words(lang, &e);
                return page(web, session, Some(why), false, 422).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Reply::see_other("/app/notifications?saved=1"))
}
