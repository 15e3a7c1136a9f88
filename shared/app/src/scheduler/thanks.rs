//! Thanking a debtor who paid after a reminder: the billing function puts each such invoice back on the due
//! index, and the debtor's turn decides (in pure code, `planner::thanks`) whether a thank-you goes out.

use duly_adapters::store::{ClaimedInvoice, Outbox, StatementClaim, StoreError};
use duly_core::calendar::place::whereabouts;
use duly_core::calendar::Calendar;
use duly_core::ledger::Invoice;
use duly_core::messages::recipients::recipients;
use duly_core::messages::render::{render, Kind, MessageInput, ReminderLine};
use duly_core::model::{Creditor, Debtor};
use duly_core::planner::thanks::{decide, ThanksDecision, THANKS_KEY};
use duly_core::policy::{Channel, Tone};

use super::debtor::pending_email;
use super::{tally, Run, SentReminder};

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
                let lines: Vec<ReminderLine> = paid
                    .iter()
                    .filter_map(|i| {
                        let doc = invoices[*i].doc.as_ref()?;
                        Some(ReminderLine {
                            number: doc.number.clone(),
                            amount_due: doc.total,
                            due_date: doc.due_date,
                            days_overdue: 0,
                            pay_url: None,
                            settlement: None,
                        })
                    })
                    .collect();
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
                }) {
                    Ok(m) => m,
                    Err(e) => {
                        tracing::error!(error = %e, "a thank-you did not render; nothing sent");
                        self.report.errors += 1;
                        return Ok(());
                    }
                };
                let own_domain = self
                    .own_domain(&creditor.creditor_id, &creditor.branding.from_address)
                    .await;
                let email = pending_email(creditor, self.sending.fallback_from, own_domain, to, &message, None);
                let outbox = Outbox {
                    email: Some(email),
                    sms: None,
                };
                let cost =
                    duly_core::billing::message_cost(self.sending.prices, true, 0, debtor.history.first_in_month(now));
                if !self.within_cap(creditor, cost).await? {
                    return Ok(());
                }
                let mut history = debtor.history.with_message(now);
                history.thanked_at = Some(now);
                let claim = StatementClaim {
                    debtor,
                    history,
                    invoices: paid
                        .iter()
                        .map(|i| ClaimedInvoice {
                            invoice: &invoices[*i],
                            step_key: THANKS_KEY.to_string(),
                            skipped: Vec::new(),
                            next_action_at: None,
                        })
                        .collect(),
                    tone: Tone::Friendly,
                    channels: vec![Channel::Email],
                    subject: &message.subject,
                    at: now,
                    short_link: None,
                    outbox: &outbox,
                };
                let sent = SentReminder {
                    creditor_id: debtor.creditor_id.clone(),
                    debtor_id: debtor.debtor_id.clone(),
                    invoice_numbers: lines.iter().map(|l| l.number.clone()).collect(),
                    step_ids: vec![THANKS_KEY.to_string()],
                    step_keys: vec![THANKS_KEY.to_string()],
                    lines: lines.len(),
                    tone: Tone::Friendly,
                    channels: vec![Channel::Email],
                    subject: message.subject.clone(),
                    failures: Vec::new(),
                };
                let listed = paid.iter().map(|i| invoices[*i].invoice_id.clone()).collect();
                self.claim_and_deliver(creditor, &claim, cost, sent, listed).await
            }
        }
    }
}
