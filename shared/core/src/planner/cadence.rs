//! A humane cadence across a debtor's invoices. Each invoice has its own steps, but the debtor hears one
//! voice: one dunning level for all their open invoices, a cap on formal written reminders, and a final
//! notice that is not repeated for amounts it already stated.
//!
//! - **Level.** The firmest overdue tone the debtor has been sent while any invoice of theirs stays open.
//!   A later statement about overdue invoices is at least that firm (up to "firm": a final notice only
//!   ever comes from a final-notice step), so a new invoice joins at the debtor's level.
//! - **Written reminders.** Steps marked `written` (the formal overdue reminders) go out at most
//!   [`crate::policy::Policy::max_written`] times per debtor and per invoice before the final notice; a written step
//!   beyond that is recorded as skipped, and the invoice waits for its final notice.
//! - **Final notice.** A final-notice step for an invoice whose amount due a final notice already stated
//!   (or stated higher) is skipped.
//!
//! The run of reminders ends when none of the invoices it concerned is open any more: the debtor's next
//! overdue invoice starts from the beginning.

use std::collections::{BTreeMap, BTreeSet};

use super::DueStep;
use crate::policy::Tone;

#[cfg(test)]
mod countries;
#[cfg(test)]
mod tests;

pub use crate::model::dunning::Dunning;

/// Why a written step is skipped once the written reminders allowed are spent.
pub const WRITTEN_ALL_SENT: &str = "the written reminders before the final notice have all been sent";

/// An invoice a message lists, as the cadence needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed<'a> {
    pub invoice_id: &'a str,
    pub amount_due_minor: i64,
    pub overdue: bool,
}

fn only_open<V: Copy>(by_invoice: &BTreeMap<String, V>, open: &BTreeSet<&str>) -> BTreeMap<String, V> {
    by_invoice
        .iter()
        .filter(|(id, _)| open.contains(id.as_str()))
        .map(|(id, v)| (id.clone(), *v))
        .collect()
}

impl Dunning {
    /// The run as it stands while `open` are the debtor's open invoices: over (and started afresh) when
    /// none of the invoices it concerned is open; otherwise without the invoices closed since.
    pub fn current(&self, open: &BTreeSet<&str>) -> Dunning {
        let mut concerned = self.per_invoice.keys().chain(self.final_notice.keys());
        if !concerned.any(|id| open.contains(id.as_str())) {
            return Dunning::default();
        }
        Dunning {
            level: self.level,
            written: self.written,
            per_invoice: only_open(&self.per_invoice, open),
            final_notice: only_open(&self.final_notice, open),
        }
    }

    /// Why a due step is not sent under this run, if it is not.
    pub fn holds(&self, due: &DueStep, max_written: u32) -> Option<&'static str> {
        let step = &due.step;
        if step.offset.days() <= 0 {
            return None;
        }
        match step.tone {
            Tone::FinalNotice => self
                .final_notice
                .get(due.invoice_id.as_str())
                .is_some_and(|stated| *stated >= due.amount_due_minor)
                .then_some("a final notice already stated this amount"),
            Tone::Friendly | Tone::Firm if step.written => {
                let per_invoice = self.per_invoice.get(due.invoice_id.as_str()).copied().unwrap_or(0);
                (self.written >= max_written || per_invoice >= max_written).then_some(WRITTEN_ALL_SENT)
            }
            _ => None,
        }
    }

    /// The tone of a message whose due steps are `tones`: overdue ones follow the debtor's level up to
    /// "firm"; a final notice or a suspension warning comes only from its own step.
    pub fn tone(&self, tones: impl Iterator<Item = (Tone, bool)>) -> Tone {
        let (mut tone, mut overdue) = (Tone::Friendly, false);
        for (t, is_overdue) in tones {
            tone = tone.max(t);
            overdue |= is_overdue;
        }
        match (overdue, self.level) {
            (true, Some(level)) => tone.max(level.min(Tone::Firm)),
            _ => tone,
        }
    }

    /// The run after a message in `tone` went out listing `lines`; `written`: one of its steps was a
    /// written reminder (not a final notice).
    pub fn after(&self, tone: Tone, written: bool, lines: &[Listed<'_>]) -> Dunning {
        let mut next = self.clone();
        let overdue: Vec<&Listed<'_>> = lines.iter().filter(|l| l.overdue).collect();
        if overdue.is_empty() {
            return next;
        }
        next.level = Some(self.level.map_or(tone, |l| l.max(tone)));
        if written && tone < Tone::FinalNotice {
            next.written += 1;
            for l in &overdue {
                *next.per_invoice.entry(l.invoice_id.to_string()).or_default() += 1;
            }
        }
        if tone == Tone::FinalNotice {
            for l in &overdue {
                next.final_notice.insert(l.invoice_id.to_string(), l.amount_due_minor);
            }
        }
        // Every overdue invoice listed belongs to the run, so that the run lasts while any is open.
        for l in &overdue {
            next.per_invoice.entry(l.invoice_id.to_string()).or_default();
        }
        next
    }
}
