//! The monthly statement of account, sent in the debtor's turn when it is due and no reminder step is:
//! every open invoice, what was paid since the last statement, and the balance.

use duly_adapters::store::StoreError;
use duly_core::calendar::place::whereabouts;
use duly_core::calendar::Calendar;
use duly_core::ledger::Invoice;
use duly_core::messages::recipients::recipients;
use duly_core::messages::render::{render, Kind, MessageInput, ReminderLine};
use duly_core::model::ids::InvoiceId;
use duly_core::model::{Creditor, Debtor};
use duly_core::planner::{monthly, statement_lines, InvoicePlan};

use super::courtesy::{paid_line, Courtesy};
use super::Run;

/// The step a statement stands for in its message's record.
const STATEMENT: &str = "statement";

impl Run<'_> {
    /// Sends the debtor's statement; the debtor as it stands after it, or `None` when nothing was sent.
    pub(super) async fn monthly_statement(
        &mut self,
        creditor: &Creditor,
        debtor: &Debtor,
        calendar: &Calendar,
        invoices: &[Invoice],
        plans: &[(usize, InvoicePlan)],
    ) -> Result<Option<Debtor>, StoreError> {
        let now = self.now;
        let listed = statement_lines(invoices, plans, calendar, now);
        let bill_to: Vec<&[String]> = listed
            .iter()
            .filter_map(|(i, _)| invoices[*i].doc.as_ref().map(|d| d.bill_to.as_slice()))
            .collect();
        let Some(to) = recipients(debtor, &bill_to) else {
            return Ok(None);
        };
        let lines: Vec<ReminderLine> = listed.iter().map(|(_, l)| l.clone()).collect();
        let paid_ids: Vec<InvoiceId> = monthly::paid_since(debtor)
            .iter()
            .filter_map(|p| InvoiceId::parse(p.invoice_id.clone()).ok())
            .collect();
        let paid: Vec<ReminderLine> = self
            .store
            .get_invoices(&creditor.creditor_id, &paid_ids)
            .await?
            .iter()
            .filter_map(paid_line)
            .collect();
        let language = whereabouts(creditor, Some(debtor)).language;
        let listed_ids: Vec<InvoiceId> = listed.iter().map(|(i, _)| invoices[*i].invoice_id.clone()).collect();
        let links = self
            .sending
            .links
            .map(|l| l.for_message(&debtor.creditor_id, &debtor.debtor_id, &listed_ids, language, now));
        let message = match render(&MessageInput {
            branding: &creditor.branding,
            debtor_name: &debtor.name,
            kind: Kind::Statement,
            language,
            lines: &lines,
            suspend_on: None,
            links: links.as_ref(),
            sms_link: None,
            overrides: &creditor.templates,
            charges: None,
            paid_since: &paid,
            opening: None,
        }) {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "a statement did not render; nothing sent");
                self.report.errors += 1;
                return Ok(None);
            }
        };
        let mut history = debtor.history.with_message(now);
        history.statement_on = Some(now.with_timezone(&calendar.time_zone).date_naive());
        let note = Courtesy {
            debtor,
            to,
            message: &message,
            history: history.clone(),
            invoices: Vec::new(),
            step: STATEMENT,
            listed: listed_ids,
            numbers: lines.iter().map(|l| l.number.clone()).collect(),
        };
        if !self.send_courtesy(creditor, note).await? {
            return Ok(None);
        }
        let mut after = debtor.clone();
        after.history = history;
        Ok(Some(after))
    }
}
