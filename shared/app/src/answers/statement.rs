//! `GET /a/{token}` of a statement link: the debtor's open invoices as they stand now, in the debtor's
//! language and the creditor's colours.

use chrono::{DateTime, Utc};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use duly_adapters::store::{Store, StoreError};
use duly_core::messages::links::Answer;
use duly_core::messages::statement::{statement, Statement};

use super::Page;

#[derive(Serialize)]
struct View<'a> {
    lang: &'static str,
    creditor: &'a str,
    colour: &'a str,
    statement: Statement,
}

/// `None` when the creditor is gone.
pub(super) async fn show(store: &Store, answer: &Answer, now: DateTime<Utc>) -> Result<Option<Page>, StoreError> {
    let Some(creditor) = store.get_creditor(&answer.creditor).await? else {
        return Ok(None);
    };
    let invoices = store.open_invoices_of(&answer.creditor, &answer.debtor).await?;
    let today = now.with_timezone(&creditor.time_zone).date_naive();
    let statement = match statement(&creditor.branding.trading_name, &invoices, answer.language, today) {
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
