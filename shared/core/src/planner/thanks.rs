//! Thanking a debtor who paid: once a reminded debtor has nothing left open, the creditor (where they
//! switched it on) sends one short thank-you, inside the debtor's sending window, at most once a week.

use chrono::{DateTime, Duration, Utc};

use crate::calendar::Calendar;
use crate::ledger::Invoice;
use crate::model::Debtor;
use crate::policy::Policy;

/// The step key a thanked invoice records: it is thanked once.
pub const THANKS_KEY: &str = "thanks";

/// Thank-yous to one debtor at most this often.
pub const THANKS_EVERY_DAYS: i64 = 7;

/// Whether an invoice waits for its thank-you: paid in full after Duly reminded about it, and not thanked
/// for yet. (The billing function puts such an invoice back on the due index.)
pub fn awaits_thanks(invoice: &Invoice) -> bool {
    !invoice.is_open()
        && invoice.voided_at.is_none()
        && invoice.progress.last_sent_at.is_some()
        && invoice.balance.is_some_and(|b| b.amount_due.minor == 0)
        && !invoice.progress.steps_done.iter().any(|k| k == THANKS_KEY)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThanksDecision {
    Send,
    Defer {
        until: DateTime<Utc>,
    },
    /// Not sent, and not to be: recorded as done.
    Drop(&'static str),
}

/// `open` is how many invoices the debtor still has open; `email`: whether they can be e-mailed.
pub fn decide(
    policy: &Policy,
    debtor: Option<&Debtor>,
    open: usize,
    email: bool,
    calendar: &Calendar,
    now: DateTime<Utc>,
) -> ThanksDecision {
    let Some(debtor) = debtor else {
        return ThanksDecision::Drop("the debtor is not known");
    };
    if !policy.thank_you || !policy.enabled {
        return ThanksDecision::Drop("thank-yous are off");
    }
    if open > 0 {
        return ThanksDecision::Drop("the debtor still has open invoices");
    }
    if !email {
        return ThanksDecision::Drop("the debtor has no e-mail address Duly may use");
    }
    if debtor
        .history
        .thanked_at
        .is_some_and(|t| now - t < Duration::days(THANKS_EVERY_DAYS))
    {
        return ThanksDecision::Drop("the debtor was thanked this week");
    }
    let open_at = calendar.next_open(now);
    if open_at > now {
        return ThanksDecision::Defer { until: open_at };
    }
    ThanksDecision::Send
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::SendingWindow;
    use crate::testing::{creditor, day, debtor, invoice_due, utc};

    fn ee() -> Calendar {
        Calendar::new(chrono_tz::Europe::Tallinn, SendingWindow::default()).with_country(Some("EE"))
    }

    fn paid_after_a_reminder() -> Invoice {
        let mut inv = invoice_due("a", day(2026, 12, 1), 125_000);
        inv.progress.last_sent_at = Some(utc("2026-12-02T07:00:00Z"));
        inv.balance.as_mut().unwrap().amount_due.minor = 0;
        inv
    }

    #[test]
    fn an_invoice_awaits_thanks_once_when_paid_in_full_after_a_reminder() {
        let mut inv = paid_after_a_reminder();
        assert!(awaits_thanks(&inv));
        inv.progress.steps_done.push(THANKS_KEY.into());
        assert!(!awaits_thanks(&inv), "thanked already");
        let mut never_reminded = paid_after_a_reminder();
        never_reminded.progress.last_sent_at = None;
        assert!(!awaits_thanks(&never_reminded));
        let mut open = paid_after_a_reminder();
        open.balance.as_mut().unwrap().amount_due.minor = 100;
        assert!(!awaits_thanks(&open), "paid in part");
    }

    #[test]
    fn thanks_go_once_a_week_inside_the_window_to_a_debtor_who_owes_nothing() {
        let mut policy = creditor().policy;
        let mut d = debtor();
        // Thursday 3 December, 10:00 in Tallinn.
        let now = utc("2026-12-03T08:00:00Z");
        let cal = ee();
        assert_eq!(
            decide(&policy, Some(&d), 0, true, &cal, now),
            ThanksDecision::Drop("thank-yous are off")
        );
        policy.thank_you = true;
        assert_eq!(decide(&policy, Some(&d), 0, true, &cal, now), ThanksDecision::Send);
        assert_eq!(
            decide(&policy, Some(&d), 1, true, &cal, now),
            ThanksDecision::Drop("the debtor still has open invoices")
        );
        assert_eq!(
            decide(&policy, Some(&d), 0, false, &cal, now),
            ThanksDecision::Drop("the debtor has no e-mail address Duly may use")
        );
        // 19:00 in Tallinn: tomorrow at 09:00.
        assert_eq!(
            decide(&policy, Some(&d), 0, true, &cal, utc("2026-12-03T17:00:00Z")),
            ThanksDecision::Defer {
                until: utc("2026-12-04T07:00:00Z")
            }
        );
        d.history.thanked_at = Some(utc("2026-11-27T08:00:00Z"));
        assert_eq!(
            decide(&policy, Some(&d), 0, true, &cal, now),
            ThanksDecision::Drop("the debtor was thanked this week")
        );
        d.history.thanked_at = Some(utc("2026-11-26T08:00:00Z"));
        assert_eq!(
            decide(&policy, Some(&d), 0, true, &cal, now),
            ThanksDecision::Send,
            "seven days ago"
        );
    }
}
