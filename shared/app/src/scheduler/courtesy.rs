//! The courtesy notes a debtor's turn may send besides reminders (a thank-you, a monthly statement): friendly,
//! by e-mail alone, claimed and delivered as a reminder is, and held back by the creditor's spending cap.

use duly_adapters::store::{ClaimedInvoice, Outbox, StatementClaim, StoreError};
use duly_core::ledger::Invoice;
use duly_core::messages::recipients::Recipients;
use duly_core::messages::render::{ReminderLine, RenderedMessage};
use duly_core::model::ids::InvoiceId;
use duly_core::model::{Creditor, Debtor, MessageHistory};
use duly_core::policy::{Channel, Tone};

use super::debtor::pending_email;
use super::{Run, SentReminder};

pub(super) struct Courtesy<'a> {
    pub debtor: &'a Debtor,
    pub to: Recipients,
    pub message: &'a RenderedMessage,
    /// The debtor's message history as it stands once the note is sent.
    pub history: MessageHistory,
    /// The invoices whose step the note completes, if any.
    pub invoices: Vec<ClaimedInvoice<'a>>,
    /// What the note stands for in its message's record.
    pub step: &'static str,
    /// The invoices it lists, by id and by number.
    pub listed: Vec<InvoiceId>,
    pub numbers: Vec<String>,
}

impl Run<'_> {
    /// Whether the note went out: not when the spending cap holds it, or another run claimed it first.
    pub(super) async fn send_courtesy(&mut self, creditor: &Creditor, note: Courtesy<'_>) -> Result<bool, StoreError> {
        let now = self.now;
        let debtor = note.debtor;
        let own_domain = self
            .own_domain(&creditor.creditor_id, &creditor.branding.from_address)
            .await;
        let Some(email) = pending_email(
            creditor,
            self.sending.fallback_from,
            own_domain,
            note.to,
            note.message,
            None,
        ) else {
            return Ok(false);
        };
        let outbox = Outbox {
            email: Some(email),
            sms: None,
            keep_sent_days: creditor.records.keep_sent_days,
        };
        let cost = duly_core::billing::message_cost(self.sending.prices, true, 0, debtor.history.first_in_month(now));
        if !self.within_cap(creditor, cost).await? {
            return Ok(false);
        }
        let claim = StatementClaim {
            debtor,
            history: note.history,
            invoices: note.invoices,
            tone: Tone::Friendly,
            channels: vec![Channel::Email],
            subject: &note.message.subject,
            at: now,
            short_link: None,
            outbox: &outbox,
        };
        let sent = SentReminder {
            creditor_id: debtor.creditor_id.clone(),
            debtor_id: debtor.debtor_id.clone(),
            lines: note.numbers.len(),
            invoice_numbers: note.numbers,
            step_ids: vec![note.step.to_string()],
            step_keys: vec![note.step.to_string()],
            tone: Tone::Friendly,
            channels: vec![Channel::Email],
            subject: note.message.subject.clone(),
            failures: Vec::new(),
        };
        self.claim_and_deliver(creditor, &claim, cost, sent, note.listed).await
    }
}

/// A paid invoice as a note lists it: its number, its total and when it was due.
pub(super) fn paid_line(invoice: &Invoice) -> Option<ReminderLine> {
    let doc = invoice.doc.as_ref()?;
    Some(ReminderLine {
        number: doc.number.clone(),
        amount_due: doc.total,
        due_date: doc.due_date,
        days_overdue: 0,
        pay_url: None,
        settlement: None,
    })
}
