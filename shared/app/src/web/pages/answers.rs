//! What debtors answered, newest first, each naming the debtor, with a way to the decision an answer
//! still waits for.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::locale::Language;
use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_core::web::{form_field, Session};

use super::{checked, creditor, not_found};
use crate::settings::{set_invoice_payment_plan, PlanDecision, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Answers shown; older ones stay in `GET /v1/answers`.
const SHOWN: i32 = 100;

pub async fn answers(web: Web<'_>, session: &Session, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let recorded = web.store.latest_answers(&c.creditor_id, SHOWN).await?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut rows = Vec::new();
    for a in &recorded {
        if !names.contains_key(&a.debtor_id) {
            let name = match DebtorId::parse(a.debtor_id.clone()) {
                Ok(id) => web.store.get_debtor(&c.creditor_id, &id).await?.map(|d| d.name),
                Err(_) => None,
            };
            names.insert(a.debtor_id.clone(), name.unwrap_or_else(|| a.debtor_id.clone()));
        }
        // What the answer still holds back, and the button that lets it go.
        let ids: Vec<InvoiceId> = a
            .invoices
            .iter()
            .filter_map(|i| InvoiceId::parse(i.clone()).ok())
            .collect();
        let today = now.with_timezone(&c.time_zone).date_naive();
        let mut actions = Vec::new();
        for invoice in web.store.get_invoices(&c.creditor_id, &ids).await? {
            if !invoice.is_open() || duly_core::web::todo::needs_on(&invoice.controls, today).is_empty() {
                continue;
            }
            let number = invoice
                .doc
                .as_ref()
                .map_or_else(|| invoice.invoice_id.to_string(), |d| d.number.clone());
            actions.push(json!({
                "invoice": invoice.invoice_id.as_str(),
                "label": format!("{} ({number})", say(lang, "web-todo-decide", &FluentArgs::new())),
            }));
        }
        rows.push(json!({
            "at": a.at.get(..16).unwrap_or(&a.at).replace('T', " "),
            "debtor": names[&a.debtor_id],
            "debtor_id": a.debtor_id,
            "what": say(lang, &format!("web-answer-{}", a.action), &FluentArgs::new()),
            "invoices": a.invoices.join(", "),
            "detail": super::answer_words(lang, &a.action, &a.detail),
            "actions": actions,
        }));
    }
    let html = render(
        "answers",
        lang,
        Some(web.chrome(session)),
        json!({"title": say(lang, "web-answers-title", &FluentArgs::new()), "nav": "answers", "answers": rows}),
    );
    Ok(Reply::page(200, html))
}

/// `GET /app/invoices/{id}/interest`: the invoice's computation sheet of late-payment interest, to print.
pub async fn interest_sheet(
    web: Web<'_>,
    session: &Session,
    invoice: &str,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let Ok(invoice) = InvoiceId::parse(invoice.to_string()) else {
        return Ok(not_found(lang));
    };
    match crate::settings::interest_sheet(web.store, &c.creditor_id, &invoice, now).await {
        Ok(sheet) => Ok(Reply::email(sheet.html(lang))),
        Err(SettingsError::NotFound(_)) => Ok(not_found(lang)),
        Err(SettingsError::Invalid(e)) => Ok(Reply::page(
            422,
            crate::web::view::in_app::problem_text(lang, 422, &duly_core::policy::refusal::say(lang, &e.reason)),
        )),
        Err(e) => Err(e.into()),
    }
}

/// `POST /app/invoices/{id}/settle`: a settlement offer, through the same rules as the API.
pub async fn offer_settlement(
    web: Web<'_>,
    session: &Session,
    invoice: &str,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    let (Ok(id), Ok(pay_by)) = (
        InvoiceId::parse(invoice.to_string()),
        field("pay_by").parse::<chrono::NaiveDate>(),
    ) else {
        return Ok(not_found(lang));
    };
    let offer = Some((field("amount").trim().replace(',', "."), pay_by));
    match crate::settings::set_invoice_settlement(web.store, &c.creditor_id, &id, offer, now).await {
        Ok(_) => back_to_debtor(web, &c.creditor_id, &id).await,
        Err(e) => refused(lang, e),
    }
}

/// `POST /app/invoices/{id}/plan`: the creditor's own instalments, one a line (`2026-12-15 300.00`), through
/// the same rules as the API; a refusal names what is wrong.
pub async fn edit_plan(
    web: Web<'_>,
    session: &Session,
    invoice: &str,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    let Ok(id) = InvoiceId::parse(invoice.to_string()) else {
        return Ok(not_found(lang));
    };
    let mut given = Vec::new();
    for line in field("instalments")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(25)
    {
        let parsed = line
            .split_once(char::is_whitespace)
            .and_then(|(date, amount)| Some((date.parse().ok()?, amount.trim().replace(',', "."))));
        match parsed {
            Some(instalment) => given.push(instalment),
            None => {
                let reason = duly_core::policy::refusal::say(
                    lang,
                    &duly_core::policy::refusal::Reason::new("invalid-instalment-line")
                        .with("line", line.chars().take(40).collect::<String>()),
                );
                return Ok(Reply::page(
                    422,
                    crate::web::view::in_app::problem_text(lang, 422, &reason),
                ));
            }
        }
    }
    match set_invoice_payment_plan(web.store, &c.creditor_id, &id, PlanDecision::Set(given), now).await {
        Ok(_) => back_to_debtor(web, &c.creditor_id, &id).await,
        Err(e) => refused(lang, e),
    }
}

/// `POST /app/invoices/{id}/{pause,resume-one,dispute,promise}`: one invoice paused or resumed, a dispute
/// recorded with its reason (`reason`), or a promise to pay by `date`, through the same rules as the API;
/// back to the customer's page, which says it was saved.
pub async fn control_invoice(
    web: Web<'_>,
    session: &Session,
    invoice: &str,
    action: &str,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    let Ok(id) = InvoiceId::parse(invoice.to_string()) else {
        return Ok(not_found(lang));
    };
    let done = match action {
        "pause" => {
            let off = duly_core::settings::OverrideInput {
                on: false,
                until: None,
                reason: None,
            };
            crate::settings::set_invoice_reminders(web.store, &c.creditor_id, &id, Some(off), now).await
        }
        "resume-one" => crate::settings::set_invoice_reminders(web.store, &c.creditor_id, &id, None, now).await,
        "dispute" => {
            let reason = field("reason").trim().to_string();
            crate::settings::set_invoice_dispute(web.store, &c.creditor_id, &id, Some(reason), now).await
        }
        "promise" => match field("date").parse::<chrono::NaiveDate>() {
            Ok(date) => crate::settings::set_invoice_promise(web.store, &c.creditor_id, &id, Some(date), now).await,
            Err(_) => {
                return Ok(Reply::page(
                    422,
                    crate::web::view::in_app::problem(lang, 422, "web-bad-date"),
                ))
            }
        },
        _ => return Ok(not_found(lang)),
    };
    match done {
        Ok(_) => back_to_debtor(web, &c.creditor_id, &id).await,
        Err(e) => refused(lang, e),
    }
}

/// What a refused change to an invoice answers: 404 for one that is not the creditor's (or not there), 422
/// with the reason for a change the rules refuse.
pub(super) fn refused(lang: Language, e: SettingsError) -> Result<Reply, WebError> {
    match e {
        SettingsError::NotFound(_) => Ok(not_found(lang)),
        SettingsError::Invalid(e) => Ok(Reply::page(
            422,
            crate::web::view::in_app::problem_text(lang, 422, &duly_core::policy::refusal::say(lang, &e.reason)),
        )),
        e => Err(e.into()),
    }
}

/// Back to the page of the invoice's customer, where the change was made.
async fn back_to_debtor(
    web: Web<'_>,
    creditor: &duly_core::model::ids::CreditorId,
    id: &InvoiceId,
) -> Result<Reply, WebError> {
    let debtor = web
        .store
        .get_invoice(creditor, id)
        .await?
        .and_then(|i| i.doc.map(|d| d.debtor_id.to_string()))
        .unwrap_or_default();
    Ok(Reply::see_other(format!("/app/debtors/{debtor}?saved=1")))
}
