//! What on an open invoice waits for the creditor: a dispute to resolve, a plan request to decide, a
//! promise that passed unpaid, a debtor who says it is paid. The store keeps a sparse index of the
//! invoices that may need them, keyed by the first day they do; what needs them on a day is decided here.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::model::{InvoiceControls, Override};

/// The reason an invoice's reminders are off when the debtor answered "already paid".
pub const SAYS_PAID: &str = "the debtor says it is paid";

/// One thing on an invoice the creditor has to decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    Dispute,
    PlanRequest,
    BrokenPromise,
    SaysPaid,
}

impl Need {
    pub fn code(self) -> &'static str {
        match self {
            Need::Dispute => "dispute",
            Need::PlanRequest => "plan-request",
            Need::BrokenPromise => "broken-promise",
            Need::SaysPaid => "says-paid",
        }
    }
}

fn says_paid(o: &Override) -> bool {
    !o.on && o.reason.as_deref() == Some(SAYS_PAID)
}

/// The first day an open invoice's controls may need the creditor, or `None` when they never will as they
/// stand. Answers count from the day before they came (UTC), so a creditor east or west of UTC sees them
/// at once; a promise needs them the day after its date.
pub fn needs_from(controls: &InvoiceControls) -> Option<NaiveDate> {
    let came = |at: chrono::DateTime<chrono::Utc>| at.date_naive().checked_sub_days(Days::new(1));
    [
        controls.dispute.as_ref().and_then(|d| came(d.at)),
        controls.plan_request.as_ref().and_then(|r| came(r.at)),
        controls
            .promise
            .as_ref()
            .and_then(|p| p.date.checked_add_days(Days::new(1))),
        controls
            .reminders
            .as_ref()
            .filter(|o| says_paid(o))
            .and_then(|o| came(o.set_at)),
    ]
    .into_iter()
    .flatten()
    .min()
}

/// What on an open invoice needs the creditor on `today`, most pressing first.
pub fn needs_on(controls: &InvoiceControls, today: NaiveDate) -> Vec<Need> {
    let mut needs = Vec::new();
    if controls.dispute.is_some() {
        needs.push(Need::Dispute);
    }
    if controls.plan_request.is_some() {
        needs.push(Need::PlanRequest);
    }
    if controls.promise.as_ref().is_some_and(|p| p.date < today) {
        needs.push(Need::BrokenPromise);
    }
    // The pause ends on its own; once it has, reminders run again and nothing waits for the creditor.
    if controls
        .reminders
        .as_ref()
        .is_some_and(|o| says_paid(o) && o.applies_on(today))
    {
        needs.push(Need::SaysPaid);
    }
    needs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dispute, Promise};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_promise_needs_the_creditor_only_once_it_has_passed_unpaid() {
        let c = InvoiceControls {
            promise: Some(Promise {
                date: day("2026-12-10"),
                at: at("2026-12-01T09:00:00Z"),
            }),
            ..InvoiceControls::default()
        };
        assert_eq!(needs_from(&c), Some(day("2026-12-11")));
        assert!(needs_on(&c, day("2026-12-10")).is_empty());
        assert_eq!(needs_on(&c, day("2026-12-11")), vec![Need::BrokenPromise]);
    }

    #[test]
    fn answers_need_the_creditor_from_the_day_they_came_and_a_paid_claim_until_its_pause_ends() {
        let c = InvoiceControls {
            dispute: Some(Dispute {
                reason: "broken".into(),
                at: at("2026-12-01T00:30:00Z"),
            }),
            reminders: Some(Override {
                on: false,
                until: Some(day("2026-12-08")),
                reason: Some(SAYS_PAID.into()),
                set_at: at("2026-12-03T10:00:00Z"),
            }),
            ..InvoiceControls::default()
        };
        assert_eq!(needs_from(&c), Some(day("2026-11-30")));
        assert_eq!(needs_on(&c, day("2026-12-04")), vec![Need::Dispute, Need::SaysPaid]);
        assert_eq!(needs_on(&c, day("2026-12-08")), vec![Need::Dispute]);
    }

    #[test]
    fn the_creditors_own_pause_waits_for_nobody() {
        let c = InvoiceControls {
            reminders: Some(Override {
                on: false,
                until: None,
                reason: Some("talking to them".into()),
                set_at: at("2026-12-03T10:00:00Z"),
            }),
            ..InvoiceControls::default()
        };
        assert_eq!(needs_from(&c), None);
        assert!(needs_on(&c, day("2026-12-04")).is_empty());
    }
}
