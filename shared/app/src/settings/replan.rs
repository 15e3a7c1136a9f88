//! Moving open invoices on the due index after a change, so the change takes effect at once.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use duly_adapters::store::Store;
use duly_core::calendar::calendar_for;
use duly_core::ledger::Invoice;
use duly_core::model::ids::DebtorId;
use duly_core::model::{Creditor, Debtor};
use duly_core::planner::{monthly, plan_invoice, Context};

use super::SettingsError;

/// Attempts at a read-modify-write before giving up on a busy invoice.
pub(super) const ATTEMPTS: usize = 4;

/// Recomputes the next look of each open invoice and moves those whose entry changed.
pub(super) async fn replan(
    store: &Store,
    creditor: &Creditor,
    invoices: Vec<Invoice>,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    let mut debtors: HashMap<DebtorId, Option<Debtor>> = HashMap::new();
    let mut moved = 0;
    for mut invoice in invoices.into_iter().filter(Invoice::is_open) {
        let Some(debtor_id) = invoice.doc.as_ref().map(|d| d.debtor_id.clone()) else {
            continue;
        };
        if !debtors.contains_key(&debtor_id) {
            let d = store.get_debtor(&creditor.creditor_id, &debtor_id).await?;
            debtors.insert(debtor_id.clone(), d);
        }
        let debtor = debtors.get(&debtor_id).and_then(Option::as_ref);
        let calendar = calendar_for(creditor, debtor);
        for attempt in 0..ATTEMPTS {
            let ctx = Context {
                creditor,
                debtor,
                calendar: &calendar,
            };
            let next = plan_invoice(&invoice, &ctx, now).next_look(&calendar, now);
            // A debtor who gets monthly statements is looked at again for the next one.
            let next = monthly::earliest(next, monthly::wake_at(creditor, debtor, &calendar, now));
            if next == invoice.next_action_at {
                break;
            }
            if store.reschedule(&invoice, next, &[]).await? {
                moved += 1;
                break;
            }
            // The index copy was behind: read the invoice itself and decide again.
            match store.get_invoice(&creditor.creditor_id, &invoice.invoice_id).await? {
                Some(fresh) if fresh.is_open() && attempt + 1 < ATTEMPTS => invoice = fresh,
                Some(_) | None => break,
            }
        }
    }
    Ok(moved)
}
