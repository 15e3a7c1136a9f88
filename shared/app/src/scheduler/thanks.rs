//! Thanking a debtor who paid after a reminder: the billing function puts each such invoice back on the due
//! index, and the debtor's turn decides (in pure code, `planner::thanks`) whether a thank-you goes out.

use duly_adapters::store::{ClaimedInvoice, StoreError};
use duly_core::calendar::place::whereabouts;
use duly_core::calendar::Calendar;
use duly_core::ledger::Invoice;
use duly_core::messages::recipients::recipients;
use duly_core::messages::render::{render, Kind, MessageInput, ReminderLine};
use duly_core::model::{Creditor, Debtor};
use duly_core::planner::thanks::{decide, ThanksDecision, THANKS_KEY};
use duly_core::policy::Channel;

use super::courtesy::{paid_line, Courtesy};
use super::{tally, Run};

impl Run<'_> {
    /// `paid`: the debtor's invoices that wait for their thank-you.
    pub(super) async fn thanks(
        &mut self,
        creditor: &Creditor,
        debtor: Option<&Debtor>,
        calendar: &Calendar,
        invoices: &[Invoice],
        paid: &[usize],
    ) -> Result<(), StoreError> {
        let (store, now) = (self.store, self.now);
        let open = invoices.iter().filter(|i| i.is_open()).count();
        let bill_to: Vec<&[String]> = paid
            .iter()
            .filter_map(|i| invoices[*i].doc.as_ref().map(|d| d.bill_to.as_slice()))
            .collect();
        let to = debtor
            .filter(|d| !d.controls.opted_out.contains(&Channel::Email))
            .and_then(|d| recipients(d, &bill_to));
        match decide(&creditor.policy, debtor, open, to.is_some(), calendar, now) {
            ThanksDecision::Drop(reason) => {
                tracing::info!(reason, "no thank-you");
                for i in paid {
                    tally(
                        store.reschedule(&invoices[*i], None, &[THANKS_KEY.to_string()]).await?,
                        None,
                        &mut self.report,
                    );
                }
                Ok(())
            }
            ThanksDecision::Defer { until } => {
                for i in paid {
                    tally(
                        store.reschedule(&invoices[*i], Some(until), &[]).await?,
                        Some(until),
                        &mut self.report,
                    );
                }
                Ok(())
            }
            ThanksDecision::Send => {
                let (Some(debtor), Some(to)) = (debtor, to) else {
                    return Ok(());
                };
                let lines: Vec<ReminderLine> = paid.iter().filter_map(|i| paid_line(&invoices[*i])).collect();
                let message = match render(&MessageInput {
                    branding: &creditor.branding,
                    debtor_name: &debtor.name,
                    kind: Kind::Thanks,
                    language: whereabouts(creditor, Some(debtor)).language,
                    lines: &lines,
                    suspend_on: None,
                    links: None,
                    sms_link: None,
                    overrides: &creditor.templates,
                    charges: None,
                    paid_since: &[],
                    opening: None,
                }) {
                    Ok(m) => m,
                    Err(e) => {
                        tracing::error!(error = %e, "a thank-you did not render; nothing sent");
                        self.report.errors += 1;
                        return Ok(());
                    }
                };
                let mut history = debtor.history.with_message(now);
                history.thanked_at = Some(now);
                let note = Courtesy {
                    debtor,
                    to,
                    message: &message,
                    history,
                    invoices: paid
                        .iter()
                        .map(|i| ClaimedInvoice {
                            invoice: &invoices[*i],
                            step_key: THANKS_KEY.to_string(),
                            skipped: Vec::new(),
                            next_action_at: None,
                            overdue: false,
                        })
                        .collect(),
                    step: THANKS_KEY,
                    listed: paid.iter().map(|i| invoices[*i].invoice_id.clone()).collect(),
                    numbers: lines.iter().map(|l| l.number.clone()).collect(),
                };
                self.send_courtesy(creditor, note).await.map(|_| ())
            }
        }
    }
}
