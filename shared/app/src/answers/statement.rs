//! `GET /a/{token}` of a statement link, the debtor's own page: everything they owe this creditor as it
//! stands now, each invoice with its charges, its pay link and its answers, in the debtor's language and
//! the creditor's colours. It shows only the debtor the link was signed for, works as long as the link,
//! and answers a link opened too often in a day with 429.

use chrono::{DateTime, Utc};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use duly_adapters::store::{Store, StoreError};
use duly_core::messages::links::{link_id, Answer, Links};
use duly_core::messages::statement::{debtor_page, Extras, Statement};
use duly_core::model::ids::InvoiceId;

use super::Page;

/// Views of one page link in a day: far more than a debtor needs, few enough that a leaked link cannot be
/// used to load the creditor's data in a loop. Invoice downloads count against it too.
pub const VIEWS_PER_LINK_PER_DAY: u32 = 60;
/// How far back the page lists payments.
pub const PAID_RECENTLY_DAYS: i64 = 90;

/// A file the page hands out: the invoice as the platform printed it.
pub struct File {
    pub name: String,
    pub pdf: Vec<u8>,
}

#[derive(Serialize)]
struct View<'a> {
    lang: &'static str,
    creditor: &'a str,
    colour: &'a str,
    statement: Statement,
}

/// Counts a use of the page's link: the 429 page once it was used [`VIEWS_PER_LINK_PER_DAY`] times today.
async fn too_often(
    store: &Store,
    token: &str,
    answer: &Answer,
    now: DateTime<Utc>,
) -> Result<Option<Page>, StoreError> {
    let expires = DateTime::from_timestamp(answer.expires, 0).unwrap_or(now);
    let view_key = format!("view-{}", link_id(token));
    let allowed = store
        .use_link(&answer.creditor, &view_key, now, VIEWS_PER_LINK_PER_DAY, expires)
        .await?;
    Ok(allowed
        .is_none()
        .then(|| super::notice(answer.language, 429, "statement-too-often")))
}

/// The debtor's invoices paid in the last [`PAID_RECENTLY_DAYS`], latest first, as their record keeps them
/// (the latest few payments).
async fn paid_recently(
    store: &Store,
    creditor: &duly_core::model::Creditor,
    debtor: &duly_core::model::Debtor,
    today: chrono::NaiveDate,
) -> Result<Vec<(String, duly_core::model::money::Money, chrono::NaiveDate)>, StoreError> {
    let recent: Vec<(InvoiceId, chrono::NaiveDate)> = debtor
        .paid_late
        .iter()
        .rev()
        .filter(|p| (today - p.paid_on).num_days() <= PAID_RECENTLY_DAYS)
        .filter_map(|p| Some((InvoiceId::parse(p.invoice_id.clone()).ok()?, p.paid_on)))
        .collect();
    if recent.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<InvoiceId> = recent.iter().map(|(id, _)| id.clone()).collect();
    let invoices = store.get_invoices(&creditor.creditor_id, &ids).await?;
    Ok(recent
        .into_iter()
        .filter_map(|(id, day)| {
            let doc = invoices.iter().find(|i| i.invoice_id == id)?.doc.as_ref()?;
            Some((doc.number.clone(), doc.total, day))
        })
        .collect())
}

/// `GET /a/{token}/invoice/{id}` of a statement link: the invoice as the platform printed it, when it is
/// one of the debtor's and Duly keeps it. Counted with the page's views.
pub(super) async fn document(
    store: &Store,
    token: &str,
    answer: &Answer,
    invoice: &str,
    now: DateTime<Utc>,
) -> Result<Result<File, Page>, StoreError> {
    let gone = || Ok(Err(super::notice(answer.language, 404, "statement-document-missing")));
    let Ok(invoice) = InvoiceId::parse(invoice.to_string()) else {
        return gone();
    };
    if let Some(refused) = too_often(store, token, answer, now).await? {
        return Ok(Err(refused));
    }
    let theirs = store
        .get_invoice(&answer.creditor, &invoice)
        .await?
        .and_then(|i| i.doc)
        .is_some_and(|doc| doc.debtor_id == answer.debtor);
    if !theirs {
        return gone();
    }
    match store.get_document(&answer.creditor, &invoice).await? {
        Some(duly_adapters::store::Document {
            file_name,
            content: Some(pdf),
            ..
        }) => Ok(Ok(File { name: file_name, pdf })),
        _ => gone(),
    }
}

/// `None` when the creditor or the debtor is gone.
pub(super) async fn show(
    store: &Store,
    links: &Links,
    token: &str,
    answer: &Answer,
    now: DateTime<Utc>,
) -> Result<Option<Page>, StoreError> {
    let Some(creditor) = store.get_creditor(&answer.creditor).await? else {
        return Ok(None);
    };
    let Some(debtor) = store.get_debtor(&answer.creditor, &answer.debtor).await? else {
        return Ok(None);
    };
    if crate::settings::is_erased(&debtor) {
        return Ok(None);
    }
    if let Some(refused) = too_often(store, token, answer, now).await? {
        return Ok(Some(refused));
    }
    let invoices = store.open_invoices_of(&answer.creditor, &answer.debtor).await?;
    let today = now.with_timezone(&creditor.time_zone).date_naive();
    let charges = crate::settings::charges_today(store, &creditor, &debtor, &invoices, today).await?;
    // Each invoice's answers, signed for this debtor and no longer than the page's own link.
    let answers = invoices
        .iter()
        .filter(|i| i.is_open())
        .map(|i| {
            let id = std::slice::from_ref(&i.invoice_id);
            let urls = links.answers(&answer.creditor, &answer.debtor, id, answer.language, answer.expires);
            (i.invoice_id.clone(), urls)
        })
        .collect();
    // The invoice itself, where Duly keeps its document (the invoice says so: the page reads no document).
    let documents = invoices
        .iter()
        .filter(|i| i.is_open() && i.progress.document_kept)
        .map(|i| {
            let id: String = form_urlencoded::byte_serialize(i.invoice_id.as_str().as_bytes()).collect();
            (i.invoice_id.clone(), format!("/a/{token}/invoice/{id}"))
        })
        .collect();
    let extras = Extras {
        charges,
        answers,
        bank: creditor.branding.bank_account.clone(),
        documents,
        paid: paid_recently(store, &creditor, &debtor, today).await?,
    };
    let statement = match debtor_page(
        &creditor.branding.trading_name,
        &invoices,
        answer.language,
        today,
        &extras,
    ) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "statement wording failed");
            return Ok(None);
        }
    };
    let view = View {
        lang: answer.language.code(),
        creditor: &creditor.branding.trading_name,
        colour: &creditor.branding.brand_colour,
        statement,
    };
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("statement", include_str!("../../templates/statement.html.j2"))
        .expect("the shipped page template parses");
    let html = env
        .get_template("statement")
        .and_then(|t| t.render(minijinja::value::Serde(&view)))
        .expect("the shipped page template renders; the answers tests prove it");
    Ok(Some(Page { status: 200, html }))
}
