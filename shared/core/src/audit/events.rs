//! What an audit entry records, by its `event`, besides the messages sent and what became of them.

/// A debtor answered from a link: already paid, a promise, a dispute, a plan request, no more notes.
pub const ANSWERED: &str = "debtor.answered";
/// The creditor (or the debtor, through an answer) changed a debtor's controls.
pub const DEBTOR_CONTROLS: &str = "debtor.controls";
/// The creditor (or the debtor, through an answer) changed an invoice's controls.
pub const INVOICE_CONTROLS: &str = "invoice.controls";
/// The debtor was handed to collection; the entry carries the hash of the bundle's body.
pub const HANDED_OFF: &str = "debtor.handed_off";
/// The creditor resolved a dispute.
pub const DISPUTE_RESOLVED: &str = "dispute.resolved";
/// A call's outcome, after this: `call.promised`, `call.no_answer`…
pub const CALL: &str = "call.";

/// Whether an entry records what a debtor said: an answer from a link, or on the phone.
pub fn is_answer(event: &str) -> bool {
    event == ANSWERED || event.starts_with(CALL)
}
