//! Unlikely to pay: a transparent score per debtor from their own record, as a sum of points whose reasons
//! are written out. No model and no weights learnt elsewhere: the creditor can check every point.
//!
//! | factor | points |
//! | --- | --- |
//! | the oldest open invoice's days past due | 1 per full 15 days, at most 6 |
//! | the amount overdue in a currency | 1 from 5,000, 2 from 20,000 |
//! | a promise to pay whose date and grace passed with the invoice still open | 2 each |
//! | a payment plan broken | 2 each |
//! | a final notice unanswered for a week or more | 3 each |
//! | their e-mail address bounced or complained | 2 |
//! | their last three invoices were paid late, each later than the one before | 2 |
//! | their paid invoices on record (the latest six) came 30 days late or more on average | 2 |

use chrono::NaiveDate;
use fluent_bundle::{FluentArgs, FluentValue};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::ledger::Invoice;
use crate::locale::{format_date, format_money, Language};
use crate::model::{Creditor, Debtor};
use crate::policy::Tone;

pub mod history;
pub mod settings;

pub use settings::{RiskSettings, DEFAULT_THRESHOLD};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Factor {
    pub points: u32,
    pub reason: String,
}

/// A debtor at or above the threshold, as lists and reports show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flagged {
    pub debtor_id: String,
    pub name: String,
    #[serde(flatten)]
    pub score: Score,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub points: u32,
    pub factors: Vec<Factor>,
    /// What the creditor might do next, in their language.
    pub suggestion: String,
}

fn suggestion(points: u32, threshold: u32) -> &'static str {
    match points {
        p if p >= threshold => "risk-suggest-collection",
        p if p * 2 >= threshold => "risk-suggest-call",
        _ => "risk-suggest-keep",
    }
}

/// A reason or suggestion in the creditor's language.
fn words(lang: Language, id: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    crate::locale::wording_or_id(lang, id, &fluent)
}

/// Whether `step_id` is a final notice in any of the creditor's schedules.
fn is_final_notice(creditor: &Creditor, step_id: &str) -> bool {
    creditor
        .policy
        .steps
        .iter()
        .chain(creditor.groups.values().flat_map(|g| g.steps.iter().flatten()))
        .any(|s| s.id == step_id && s.tone == Tone::FinalNotice)
}

/// Every debtor at or above the creditor's threshold, highest first, from the creditor's open invoices
/// and the debtors who owe them.
pub fn unlikely_to_pay(creditor: &Creditor, open: &[Invoice], debtors: &[Debtor], today: NaiveDate) -> Vec<Flagged> {
    let threshold = creditor.risk.threshold;
    let mut by_debtor: std::collections::BTreeMap<&crate::model::ids::DebtorId, Vec<Invoice>> = Default::default();
    for invoice in open {
        if let Some(doc) = &invoice.doc {
            by_debtor.entry(&doc.debtor_id).or_default().push(invoice.clone());
        }
    }
    let mut listed: Vec<Flagged> = debtors
        .iter()
        .filter_map(|d| {
            let s = score(creditor, d, by_debtor.get(&d.debtor_id)?, today, threshold);
            (s.points >= threshold).then(|| Flagged {
                debtor_id: d.debtor_id.to_string(),
                name: d.name.clone(),
                score: s,
            })
        })
        .collect();
    listed.sort_by(|a, b| b.score.points.cmp(&a.score.points).then(a.debtor_id.cmp(&b.debtor_id)));
    listed
}

/// The debtor's score on `today` from their open invoices. `threshold` only shapes the suggestion.
pub fn score(creditor: &Creditor, debtor: &Debtor, open: &[Invoice], today: NaiveDate, threshold: u32) -> Score {
    let lang = Language::of_creditor(creditor);
    let mut factors = Vec::new();
    let overdue: Vec<(&Invoice, &crate::ledger::InvoiceDoc)> = open
        .iter()
        .filter(|i| i.is_open())
        .filter_map(|i| i.doc.as_ref().map(|d| (i, d)))
        .filter(|(_, d)| d.due_date < today)
        .collect();

    if let Some((_, doc)) = overdue.iter().min_by_key(|(_, d)| d.due_date) {
        let days = (today - doc.due_date).num_days();
        let points = u32::try_from(days / 15).unwrap_or(u32::MAX).min(6);
        if points > 0 {
            factors.push(Factor {
                points,
                reason: words(
                    lang,
                    "risk-days-late",
                    &[("number", doc.number.as_str().into()), ("days", days.into())],
                ),
            });
        }
    }

    let mut by_currency: std::collections::BTreeMap<String, crate::model::money::Money> = Default::default();
    for (invoice, doc) in &overdue {
        let due = invoice.balance.map_or(doc.total, |b| b.amount_due);
        by_currency
            .entry(due.currency.code().to_string())
            .and_modify(|m| m.minor = m.minor.saturating_add(due.minor))
            .or_insert(due);
    }
    for total in by_currency.values() {
        let points = match total.to_decimal() {
            d if d >= Decimal::from(20_000) => 2,
            d if d >= Decimal::from(5_000) => 1,
            _ => 0,
        };
        if points > 0 {
            factors.push(Factor {
                points,
                reason: words(lang, "risk-overdue", &[("amount", format_money(lang, total).into())]),
            });
        }
    }

    let grace = chrono::Days::new(u64::from(creditor.policy.promise_grace_days));
    for invoice in open.iter().filter(|i| i.is_open()) {
        let Some(doc) = &invoice.doc else { continue };
        if let Some(promise) = &invoice.controls.promise {
            if promise.date + grace < today {
                factors.push(Factor {
                    points: 2,
                    reason: words(
                        lang,
                        "risk-promise-broken",
                        &[
                            ("number", doc.number.as_str().into()),
                            ("date", format_date(lang, promise.date).into()),
                        ],
                    ),
                });
            }
        }
        if let Some(broken) = invoice.controls.plan.as_ref().and_then(|p| p.broken_at) {
            factors.push(Factor {
                points: 2,
                reason: words(
                    lang,
                    "risk-plan-broken",
                    &[
                        ("number", doc.number.as_str().into()),
                        ("date", format_date(lang, broken.date_naive()).into()),
                    ],
                ),
            });
        }
        let final_notice_sent = invoice
            .progress
            .steps_done
            .iter()
            .any(|key| key.rsplit('/').next().is_some_and(|id| is_final_notice(creditor, id)));
        if let (true, Some(sent)) = (final_notice_sent, invoice.progress.last_sent_at) {
            let days = (today - sent.date_naive()).num_days();
            if days >= 7 {
                factors.push(Factor {
                    points: 3,
                    reason: words(
                        lang,
                        "risk-final-unanswered",
                        &[("number", doc.number.as_str().into()), ("days", days.into())],
                    ),
                });
            }
        }
    }

    if let Some([first, second, third]) = history::later_each_time(&debtor.paid_late) {
        factors.push(Factor {
            points: 2,
            reason: words(
                lang,
                "risk-later-each-time",
                &[
                    ("first", first.into()),
                    ("second", second.into()),
                    ("third", third.into()),
                ],
            ),
        });
    }
    if let Some(days) = history::average_late(&debtor.paid_late).filter(|d| *d >= 30) {
        factors.push(Factor {
            points: 2,
            reason: words(
                lang,
                "risk-late-on-average",
                &[("count", debtor.paid_late.len().into()), ("days", days.into())],
            ),
        });
    }

    if debtor.controls.email_refused.is_some() {
        factors.push(Factor {
            points: 2,
            reason: words(lang, "risk-refused", &[]),
        });
    }

    let points = factors.iter().map(|f| f.points).sum();
    Score {
        points,
        suggestion: words(lang, suggestion(points, threshold), &[]),
        factors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Promise, RefusedAddress};
    use crate::policy::{Channel, Offset, Step};
    use crate::testing::{creditor, day, debtor, invoice_due, utc};

    #[test]
    fn paying_later_each_time_and_late_on_average_each_add_points_with_their_reasons() {
        let c = creditor();
        let mut d = debtor();
        d.paid_late = [("a", 20), ("b", 31), ("c", 45)]
            .map(|(id, days)| crate::model::PaidLate {
                invoice_id: id.into(),
                paid_on: day(2026, 12, 1) + chrono::Days::new(u64::try_from(days).unwrap()),
                days,
            })
            .to_vec();
        // One open invoice, not yet due: only the record speaks. 2 + 2 points; (20 + 31 + 45) / 3 = 32.
        let open = [invoice_due("9", day(2027, 1, 31), 10_000)];
        let s = score(&c, &d, &open, day(2026, 12, 31), DEFAULT_THRESHOLD);
        let reasons: Vec<(u32, &str)> = s.factors.iter().map(|f| (f.points, f.reason.as_str())).collect();
        assert_eq!(
            reasons,
            [
                (
                    2,
                    "paid their last three invoices 20, 31 and 45 days late: later each time"
                ),
                (2, "paid their last 3 invoices 32 days late on average"),
            ]
        );
        d.paid_late.truncate(1);
        let s = score(&c, &d, &open, day(2026, 12, 31), DEFAULT_THRESHOLD);
        assert_eq!(s.points, 0, "one payment 20 days late is no pattern: {s:?}");
    }

    #[test]
    fn each_point_has_its_reason_and_the_sum_decides_the_suggestion() {
        let mut c = creditor();
        c.policy.steps.push(Step {
            id: "final".into(),
            offset: Offset::BusinessDays(20),
            tone: Tone::FinalNotice,
            channels: vec![Channel::Email],
            written: true,
            call: false,
            suspend_after_days: None,
            wording: Default::default(),
            name: None,
        });
        let today = day(2026, 12, 31);
        // INV-1 €6,000 due 1 November: 60 days late, 4 points; a final notice on 10 December, unanswered
        // for 21 days: 3 points. INV-2 €500 due 1 December, promised for 15 December; with the default
        // 3 days' grace that passed on 18 December: 2 points. €6,500 overdue: 1 point. 10 points.
        let mut first = invoice_due("1", day(2026, 11, 1), 600_000);
        first.progress.steps_done.push("2026-11-01/final".into());
        first.progress.last_sent_at = Some(utc("2026-12-10T08:00:00Z"));
        let mut second = invoice_due("2", day(2026, 12, 1), 50_000);
        second.controls.promise = Some(Promise {
            date: day(2026, 12, 15),
            at: utc("2026-12-05T08:00:00Z"),
        });
        let s = score(&c, &debtor(), &[first.clone(), second], today, DEFAULT_THRESHOLD);
        let reasons: Vec<(u32, &str)> = s.factors.iter().map(|f| (f.points, f.reason.as_str())).collect();
        assert_eq!(
            reasons,
            [
                (4, "INV-1 is 60 days past its due date"),
                (1, "€6,500.00 overdue"),
                (3, "the final notice on INV-1 has gone unanswered for 21 days"),
                (2, "promised to pay INV-2 by 15 December 2026 and has not"),
            ]
        );
        assert_eq!(s.points, 10);
        assert_eq!(s.suggestion, "offer a payment plan, or hand the account to collection");
        // In the creditor's language, with its plural forms and dates.
        let mut polish = c.clone();
        polish.language = "pl".into();
        let s = score(&polish, &debtor(), &[first.clone()], today, DEFAULT_THRESHOLD);
        assert_eq!(s.factors[0].reason, "INV-1 jest 60 dni po terminie płatności");
        assert_eq!(
            s.factors[2].reason,
            "ostateczne przypomnienie dotyczące INV-1 pozostaje bez odpowiedzi od 21 dni"
        );
        assert_eq!(s.suggestion, "zaproponuj plan rat albo przekaż należność do windykacji");

        // The same debtor with only INV-1, before its final notice, and an address that bounced: 4 + 1 + 2.
        let mut d = debtor();
        d.controls.email_refused = Some(RefusedAddress {
            address: "ap@tamm.example".into(),
            why: "bounce".into(),
            at: utc("2026-12-01T08:00:00Z"),
        });
        first.progress.steps_done.clear();
        let s = score(&c, &d, &[first], today, DEFAULT_THRESHOLD);
        assert_eq!(s.points, 7);
        assert_eq!(
            s.suggestion,
            "call them: a word in person often settles what reminders have not"
        );
        // Nothing overdue: nothing to say.
        let s = score(
            &c,
            &debtor(),
            &[invoice_due("3", day(2027, 1, 15), 50_000)],
            today,
            DEFAULT_THRESHOLD,
        );
        assert_eq!(
            (s.points, s.factors.len(), s.suggestion.as_str()),
            (0, 0, "keep reminding")
        );
    }
}
