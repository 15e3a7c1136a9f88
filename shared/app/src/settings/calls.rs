//! Calls the schedule asks the creditor to make, as the Calls page and `GET /v1/calls` show them, and the
//! outcome the creditor records, which changes the invoices as the debtor's own answer would.

use chrono::{DateTime, Utc};
use serde::Serialize;

use duly_adapters::store::Store;
use duly_core::calendar::calendar_for;
use duly_core::calls::{script, CallTask, Outcome};
use duly_core::locale::{format_date, format_money, Language};
use duly_core::messages::render::ReminderLine;
use duly_core::model::ids::CreditorId;

use super::{change_invoice, creditor, SettingsError};

/// Calls a page shows at most; the rest wait below them in `GET /v1/calls`.
pub const SHOWN_CALLS: usize = 50;

/// One invoice the call is about, formatted in the creditor's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallLine {
    pub number: String,
    pub amount_due: String,
    pub due_date: String,
    pub days_overdue: i64,
}

/// A call to make, with what the creditor needs to make it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallView {
    /// Names the task in `POST /v1/calls/{id}/outcome`.
    pub id: String,
    pub debtor_id: String,
    pub debtor: String,
    pub phone: Option<String>,
    /// The debtor's sending window in their zone: the hours to call in.
    pub hours: String,
    /// The time at the debtor's now.
    pub their_time: String,
    /// The debtor's open invoices, oldest due first.
    pub invoices: Vec<CallLine>,
    /// What to say, a paragraph each, in the creditor's language.
    pub script: Vec<String>,
}

/// The calls to make, newest first: a debtor who has paid everything since is left out.
pub async fn calls(store: &Store, id: &CreditorId, now: DateTime<Utc>) -> Result<Vec<CallView>, SettingsError> {
    let c = creditor(store, id).await?;
    let lang = Language::of_creditor(&c);
    let mut out = Vec::new();
    for task in store.open_calls(id).await?.into_iter().take(SHOWN_CALLS) {
        let debtor = store.get_debtor(id, &task.debtor_id).await?;
        let calendar = calendar_for(&c, debtor.as_ref());
        let today = now.with_timezone(&calendar.time_zone).date_naive();
        let open = store.open_invoice_ids_of(id, &task.debtor_id).await?;
        let mut lines: Vec<ReminderLine> = store
            .get_invoices(id, &open)
            .await?
            .iter()
            .filter(|i| i.is_open())
            .filter_map(|i| {
                let (doc, balance) = (i.doc.as_ref()?, i.balance?);
                Some(ReminderLine {
                    number: doc.number.clone(),
                    amount_due: balance.amount_due,
                    due_date: doc.due_date,
                    days_overdue: (today - doc.due_date).num_days(),
                    pay_url: None,
                    settlement: None,
                })
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        lines.sort_by(|a, b| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
        let name = debtor
            .as_ref()
            .map_or_else(|| task.debtor_id.to_string(), |d| d.name.clone());
        // Every language has the wording (the core's tests render it in each): a gap shows no script.
        let said = script(lang, &c.branding.trading_name, &name, &lines).unwrap_or_else(|e| {
            tracing::error!(error = %e, "missing call wording");
            Vec::new()
        });
        out.push(CallView {
            id: task.id(),
            debtor_id: task.debtor_id.to_string(),
            debtor: name,
            phone: debtor.as_ref().and_then(|d| d.phone.clone()),
            hours: format!(
                "{}–{} ({})",
                calendar.window.start.format("%H:%M"),
                calendar.window.end.format("%H:%M"),
                duly_core::calendar::names::zone_name(calendar.time_zone)
            ),
            their_time: now.with_timezone(&calendar.time_zone).format("%H:%M").to_string(),
            invoices: lines
                .iter()
                .map(|l| CallLine {
                    number: l.number.clone(),
                    amount_due: format_money(lang, &l.amount_due),
                    due_date: format_date(lang, l.due_date),
                    days_overdue: l.days_overdue,
                })
                .collect(),
            script: said,
        });
    }
    Ok(out)
}

/// What recording an outcome did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedCall {
    pub id: String,
    pub outcome: &'static str,
    pub detail: String,
    /// Invoices whose plan the outcome changed.
    pub changed: Vec<String>,
}

/// Records how call `task_id` went: `reached`, `promised` (with `date`), `disputed` (with `reason`) or
/// `no_answer`. A promise or a dispute changes the call's invoices as the debtor's answer would; every
/// outcome is kept with the answers and in the audit trail. The call leaves the list once: a second
/// outcome for it is a 404, and an outcome the rules refuse is a 422 that changes nothing.
pub async fn record_call(
    store: &Store,
    id: &CreditorId,
    task_id: &str,
    kind: &str,
    date: Option<&str>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<RecordedCall, SettingsError> {
    let c = creditor(store, id).await?;
    let (day, debtor) = CallTask::parse_id(task_id).ok_or(SettingsError::NotFound("call"))?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    let outcome = Outcome::parse(kind, date, reason, today)?;
    let task = store
        .close_call(id, day, &debtor)
        .await?
        .ok_or(SettingsError::NotFound("call"))?;
    let mut changed = Vec::new();
    let changes_plans = outcome.apply(&mut duly_core::model::InvoiceControls::default(), now);
    for invoice in task.invoices.iter().filter(|_| changes_plans) {
        match change_invoice(store, id, invoice, now, |_, controls| {
            outcome.apply(controls, now);
            Ok(())
        })
        .await
        {
            Ok(_) => changed.push(invoice.to_string()),
            // Deleted on the platform since the task was made: nothing to change.
            Err(SettingsError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let detail = outcome.detail();
    crate::audit::record_answer(
        store,
        id,
        &debtor,
        &format!("{}{}", duly_core::audit::events::CALL, outcome.as_str()),
        "call",
        &task.invoices,
        &detail,
        now,
    )
    .await?;
    Ok(RecordedCall {
        id: task.id(),
        outcome: outcome.as_str(),
        detail,
        changed,
    })
}
