//! One debtor: where they are written to, their open invoices, and the messages sent to them.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::calendar::place::whereabouts;
use duly_core::messages::locale::{format_date, format_money};
use duly_core::model::ids::DebtorId;
use duly_core::web::Session;

use super::{checked, creditor, not_found};
use crate::settings::{erase_debtor, hand_off, set_debtor_place, set_debtor_reminders, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Messages shown, newest first.
const SHOWN: usize = 50;

pub async fn debtor(
    web: Web<'_>,
    session: &Session,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    debtor_with(web, session, id, None, 200, now).await
}

async fn debtor_with(
    web: Web<'_>,
    session: &Session,
    id: &str,
    note: Option<String>,
    status: u16,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let Ok(id) = DebtorId::parse(id.to_string()) else {
        return Ok(not_found(lang));
    };
    let Some(d) = web.store.get_debtor(&c.creditor_id, &id).await? else {
        return Ok(not_found(lang));
    };
    let place = whereabouts(&c, Some(&d));
    let invoices = web.store.open_invoices_of(&c.creditor_id, &id).await?;
    // The reasons are the score's own words, in English, as the API gives them.
    let today = now.with_timezone(&c.time_zone).date_naive();
    let score = duly_core::risk::score(&c, &d, &invoices, today, c.risk.threshold);
    let open: Vec<_> = invoices
        .iter()
        .filter_map(|i| {
            let doc = i.doc.as_ref()?;
            let due = i.balance.as_ref()?.amount_due;
            let money_plain = |minor: i64| {
                duly_core::model::money::Money {
                    minor,
                    currency: due.currency,
                }
                .to_decimal()
                .to_string()
            };
            let money = |minor| {
                format_money(
                    lang,
                    &duly_core::model::money::Money {
                        minor,
                        currency: due.currency,
                    },
                )
            };
            // An agreed plan's instalments, and a settlement offer still open.
            let plan: Vec<String> = i
                .controls
                .plan
                .iter()
                .filter(|p| p.broken_at.is_none())
                .flat_map(|p| p.instalments.iter())
                .map(|inst| format!("{} {}", format_date(lang, inst.due), money(inst.amount)))
                .collect();
            // The plan as an editor shows it, one instalment a line: the agreed one, else the request as asked.
            let editable: Vec<duly_core::plans::Instalment> = match (&i.controls.plan, i.controls.plan_request) {
                (Some(p), _) if p.broken_at.is_none() => p.instalments.clone(),
                (_, Some(asked)) => duly_core::plans::split(
                    due,
                    asked.instalments,
                    duly_core::calendar::bounds::shift(asked.at.date_naive(), i64::from(c.payment_plans.days_between)),
                    c.payment_plans.days_between,
                ),
                _ => Vec::new(),
            };
            let plan_lines = editable
                .iter()
                .map(|inst| format!("{} {}", inst.due, money_plain(inst.amount)))
                .collect::<Vec<_>>()
                .join("\n");
            let settlement = i
                .controls
                .settlement
                .as_ref()
                .map(|s| format!("{} → {}", money(s.amount.minor), format_date(lang, s.pay_by)));
            Some(json!({
                "id": i.invoice_id.as_str(),
                "number": doc.number,
                "due_date": doc.due_date.to_string(),
                "amount": format_money(lang, &due),
                "plan": plan,
                "plan_lines": plan_lines,
                "settlement": settlement,
            }))
        })
        .collect();
    let mut messages: Vec<_> = web
        .store
        .message_summaries(&c.creditor_id, &id)
        .await?
        .into_iter()
        .map(|mut m| {
            m.claimed_at = m.claimed_at.get(..16).unwrap_or_default().replace('T', " ");
            m
        })
        .collect();
    messages.reverse();
    messages.truncate(SHOWN);
    let refused: Vec<String> = d
        .controls
        .email_refused
        .iter()
        .map(|r| r.address.clone())
        .chain(d.controls.earlier_refused.iter().cloned())
        .collect();
    let mut args = FluentArgs::new();
    args.set("addresses", refused.join(", "));
    let paused = d.controls.reminders.as_ref().filter(|o| !o.on).map(|o| {
        let mut args = FluentArgs::new();
        args.set("until", o.until.map(|u| u.to_string()).unwrap_or_else(|| "—".into()));
        args.set("reason", o.reason.clone().unwrap_or_default());
        say(lang, "web-debtor-paused", &args)
    });
    let languages: Vec<_> = duly_core::messages::locale::Language::ALL
        .iter()
        .map(|l| l.code())
        .collect();
    let html = render(
        "debtor",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": d.name,
            "nav": "customers",
            "place": format!("{} · {} · {}", place.language.code(), place.country, place.time_zone.name()),
            "email": d.email,
            "refused": (!refused.is_empty()).then(|| say(lang, "web-debtor-refused", &args)),
            "open": open,
            "messages": messages,
            "debtor_id": id.as_str(),
            "paused": paused,
            "note": note,
            "score": score,
            "languages": languages,
            "chosen": {
                "language": d.controls.place.language,
                "country": d.controls.place.country,
                "time_zone": d.controls.place.time_zone.map(|z| z.name()),
            },
        }),
    );
    Ok(Reply::page(status, html))
}

/// What the debtor page's forms send.
#[derive(Debug, Clone, Default)]
pub struct DebtorForm {
    pub csrf: String,
    /// `pause`, `resume`, `place`, `handoff` or `erase`.
    pub action: String,
    /// `yes` when the member ticked that an erasure cannot be undone.
    pub confirm: String,
    pub until: String,
    pub reason: String,
    pub language: String,
    pub country: String,
    pub time_zone: String,
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// `POST /app/debtors/{id}`: pause or resume the debtor's reminders, or set where they are written to.
pub async fn change_debtor(
    web: Web<'_>,
    session: &Session,
    id: &str,
    form: &DebtorForm,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, &form.csrf) {
        return Ok(refused);
    }
    let Ok(debtor_id) = DebtorId::parse(id.to_string()) else {
        return Ok(not_found(lang));
    };
    let result = match form.action.as_str() {
        "pause" => {
            let until = match optional(&form.until).map(|u| u.parse::<chrono::NaiveDate>()) {
                Some(Ok(d)) => Some(d),
                Some(Err(_)) => {
                    return debtor_with(
                        web,
                        session,
                        id,
                        Some(say(lang, "web-bad-date", &FluentArgs::new())),
                        422,
                        now,
                    )
                    .await
                }
                None => None,
            };
            let input = duly_core::settings::OverrideInput {
                on: false,
                until,
                reason: optional(&form.reason),
            };
            set_debtor_reminders(web.store, &c.creditor_id, &debtor_id, Some(input), now)
                .await
                .map(|_| ())
        }
        "resume" => set_debtor_reminders(web.store, &c.creditor_id, &debtor_id, None, now)
            .await
            .map(|_| ()),
        "place" => {
            let time_zone = match optional(&form.time_zone).map(|z| z.parse::<chrono_tz::Tz>()) {
                Some(Ok(z)) => Some(z),
                Some(Err(_)) => {
                    return debtor_with(
                        web,
                        session,
                        id,
                        Some(say(lang, "web-bad-zone", &FluentArgs::new())),
                        422,
                        now,
                    )
                    .await
                }
                None => None,
            };
            let place = duly_core::model::Place {
                language: optional(&form.language),
                country: optional(&form.country).map(|c| c.to_ascii_uppercase()),
                time_zone,
            };
            set_debtor_place(web.store, &c.creditor_id, &debtor_id, place, now)
                .await
                .map(|_| ())
        }
        // The bundle itself is the answer: a page to print or save, made as the signed-in member.
        "handoff" => {
            return match hand_off(web.store, &c.creditor_id, &debtor_id, &session.email, now).await {
                Ok(bundle) => Ok(Reply::email(bundle.html())),
                Err(SettingsError::NotFound(_)) => Ok(not_found(lang)),
                Err(e) => Err(e.into()),
            }
        }
        "erase" if form.confirm == "yes" => erase_debtor(web.store, &c.creditor_id, &debtor_id, now)
            .await
            .map(|_| ()),
        "erase" => {
            return debtor_with(
                web,
                session,
                id,
                Some(say(lang, "web-debtor-erase-unconfirmed", &FluentArgs::new())),
                422,
                now,
            )
            .await
        }
        _ => return Ok(not_found(lang)),
    };
    match result {
        Ok(()) => Ok(Reply::see_other(format!("/app/debtors/{debtor_id}"))),
        Err(SettingsError::NotFound(_)) => Ok(not_found(lang)),
        Err(SettingsError::Invalid(e)) => debtor_with(web, session, id, Some(e.to_string()), 422, now).await,
        Err(e) => Err(e.into()),
    }
}
