//! The creditor's report for a week or a month: what was sent per step and channel, what debtors
//! answered, what was paid, and how old what is still owed is, with small charts drawn on the server.
//!
//! The figures of a period come from day counters kept as things happen (see `shared/app/src/billing.rs`,
//! which counts them from the table's stream); the ageing is of the open invoices as they stand.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::ledger::Invoice;
use crate::model::money::Money;

pub mod chart;
mod csv;
pub mod dso;
mod page;
pub use page::{ReportView, REPORT_BODY};

pub use crate::notices::settings::Period;

/// The day in the last finished period whose report is due on `today` at local `hour`: the period before
/// today's, from eight in the morning of its first day on (the notice's key makes it go out once).
pub fn due_report(period: Period, today: NaiveDate, hour: u32) -> Option<NaiveDate> {
    let (start, _) = period.span(today);
    if today == start && hour < 8 {
        return None;
    }
    start.pred_opt()
}

/// The day counters' keys: `sent:{step}:{channel}`, `answer:{action}`, `payments`, `paid:{currency}`
/// (minor units), `bounced`.
pub mod keys {
    pub fn sent(step: &str, channel: &str) -> String {
        format!("sent:{step}:{channel}")
    }
    pub fn answer(action: &str) -> String {
        format!("answer:{action}")
    }
    pub const PAYMENTS: &str = "payments";
    pub fn paid(currency: &str) -> String {
        format!("paid:{currency}")
    }
    pub const BOUNCED: &str = "bounced";
    /// Payments that came within a week of the invoice's last reminder.
    pub const PAID_AFTER_REMINDER: &str = "paid_after_reminder";
    /// What those payments brought in, in minor units.
    pub fn paid_after_reminder(currency: &str) -> String {
        format!("paid_after_reminder:{currency}")
    }
    /// Payments that came by the date the debtor promised (and its grace).
    pub const PROMISES_KEPT: &str = "promises_kept";
    /// Disputes the creditor resolved, or whose invoice closed while disputed.
    pub const DISPUTES_RESOLVED: &str = "disputes_resolved";
    /// The change in what open invoices owe, in minor units.
    pub fn receivable(currency: &str) -> String {
        format!("receivable:{currency}")
    }
    /// The change in what was invoiced, by issue date, in minor units.
    pub fn invoiced(currency: &str) -> String {
        format!("invoiced:{currency}")
    }

    /// The sort key of a creditor's counters for one day.
    pub fn day_item(day: chrono::NaiveDate) -> String {
        format!("DAY#{day}")
    }
    /// The sort key of a creditor's counters summed over a week (from its Monday) or a month.
    pub fn period_item(period: super::Period, start: chrono::NaiveDate) -> String {
        match period {
            super::Period::Week => format!("WEEK#{start}"),
            super::Period::Month => format!("MONTH#{}", start.format("%Y-%m")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentLine {
    pub step: String,
    pub channel: String,
    pub count: i64,
}

/// How old the open invoices of one currency are, in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ageing {
    pub currency: String,
    /// Not yet due; 1–30, 31–60, 61–90 and over 90 days past due.
    pub buckets: [i64; 5],
}

pub const BUCKETS: [&str; 5] = ["current", "1-30", "31-60", "61-90", "90+"];

/// The open invoices' balances by currency and by how far past due they are on `today`.
pub fn ageing(open: &[Invoice], today: NaiveDate) -> Vec<Ageing> {
    let mut by_currency: BTreeMap<String, [i64; 5]> = BTreeMap::new();
    for invoice in open.iter().filter(|i| i.is_open()) {
        let (Some(doc), Some(balance)) = (&invoice.doc, &invoice.balance) else {
            continue;
        };
        let late = (today - doc.due_date).num_days();
        let bucket = match late {
            d if d <= 0 => 0,
            1..=30 => 1,
            31..=60 => 2,
            61..=90 => 3,
            _ => 4,
        };
        let row = by_currency
            .entry(balance.amount_due.currency.code().to_string())
            .or_insert([0; 5]);
        row[bucket] = row[bucket].saturating_add(balance.amount_due.minor);
    }
    by_currency
        .into_iter()
        .map(|(currency, buckets)| Ageing { currency, buckets })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub creditor: String,
    /// The creditor's language, the page's.
    #[serde(skip)]
    pub language: crate::locale::Language,
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub sent: Vec<SentLine>,
    pub answers: BTreeMap<String, i64>,
    pub payments: i64,
    /// Of those, how many came within a week of a reminder.
    pub paid_after_reminder: i64,
    /// Paid in the period, per currency, as decimal strings.
    pub paid: BTreeMap<String, String>,
    /// Of that, what came within a week of a reminder, per currency, as decimal strings.
    pub paid_after_reminder_amounts: BTreeMap<String, String>,
    pub bounced: i64,
    /// Payments that came by a promised date, in the period.
    pub promises_kept: i64,
    /// Open invoices whose promised date and grace have passed, as they stand now.
    pub promises_broken: i64,
    /// Open invoices in dispute, as they stand now.
    pub disputes_open: i64,
    /// Disputes resolved in the period.
    pub disputes_resolved: i64,
    pub ageing: Vec<Ageing>,
    /// One bar chart per currency of the ageing.
    pub charts: Vec<chart::Chart>,
    /// Debtors at or above the creditor's unlikely-to-pay threshold, with their reasons.
    pub unlikely_to_pay: Vec<crate::risk::Flagged>,
    /// Days sales outstanding per currency over the twelve periods up to this one.
    pub dso: Vec<dso::Dso>,
    /// One chart of points per currency of the DSO.
    pub dso_charts: Vec<chart::Chart>,
    /// The creditor's steps and their groups', to name each sent line by what it was.
    #[serde(skip)]
    pub steps: Vec<crate::policy::Step>,
}

/// What a report reads of the counters kept as things happen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// The day counters of the report's period, summed.
    pub period: BTreeMap<String, i64>,
    /// The counters summed per period for DSO (see [`dso::periods_needed`]), keyed by the period's first day.
    pub per_period: BTreeMap<NaiveDate, BTreeMap<String, i64>>,
}

/// The report of the period from the counters and the open invoices on `today`.
pub fn report(
    creditor: &crate::model::Creditor,
    period: Period,
    day: NaiveDate,
    counters: &Counters,
    open: &[Invoice],
    today: NaiveDate,
    unlikely_to_pay: Vec<crate::risk::Flagged>,
) -> Report {
    let promise_grace_days = creditor.policy.promise_grace_days;
    let counts = &counters.period;
    let dso = dso::dso(period, day, open, &counters.per_period);
    let (from, to) = period.span(day);
    let mut sent = Vec::new();
    let mut answers = BTreeMap::new();
    let mut paid = BTreeMap::new();
    let mut brought_in = BTreeMap::new();
    for (key, n) in counts {
        let parts: Vec<&str> = key.splitn(3, ':').collect();
        match parts[..] {
            ["sent", step, channel] => sent.push(SentLine {
                step: step.into(),
                channel: channel.into(),
                count: *n,
            }),
            ["answer", action] => {
                answers.insert(action.to_string(), *n);
            }
            ["paid", currency] | ["paid_after_reminder", currency] => {
                if let Ok(c) = crate::model::money::Currency::parse(currency) {
                    let m = Money { minor: *n, currency: c };
                    let into = match parts[0] {
                        "paid" => &mut paid,
                        _ => &mut brought_in,
                    };
                    into.insert(currency.to_string(), m.to_decimal().to_string());
                }
            }
            _ => {}
        }
    }
    let ageing = ageing(open, today);
    let still_open = || open.iter().filter(|i| i.is_open());
    let promises_broken = still_open()
        .filter_map(|i| i.controls.promise.as_ref())
        .filter(|p| p.date + chrono::Days::new(u64::from(promise_grace_days)) < today)
        .count();
    let disputes_open = still_open().filter(|i| i.controls.dispute.is_some()).count();
    let charts = ageing
        .iter()
        .map(|a| bar_chart(a, &BUCKETS.map(String::from), &a.buckets.map(|m| (m / 100).to_string())))
        .collect();
    Report {
        creditor: creditor.branding.trading_name.clone(),
        language: crate::locale::Language::of_creditor(creditor),
        period,
        from,
        to,
        sent,
        answers,
        payments: counts.get(keys::PAYMENTS).copied().unwrap_or(0),
        paid_after_reminder: counts.get(keys::PAID_AFTER_REMINDER).copied().unwrap_or(0),
        paid,
        paid_after_reminder_amounts: brought_in,
        bounced: counts.get(keys::BOUNCED).copied().unwrap_or(0),
        promises_kept: counts.get(keys::PROMISES_KEPT).copied().unwrap_or(0),
        promises_broken: i64::try_from(promises_broken).unwrap_or(i64::MAX),
        disputes_open: i64::try_from(disputes_open).unwrap_or(i64::MAX),
        disputes_resolved: counts.get(keys::DISPUTES_RESOLVED).copied().unwrap_or(0),
        dso_charts: dso.iter().map(dso::chart).collect(),
        dso,
        ageing,
        charts,
        unlikely_to_pay,
        steps: creditor
            .policy
            .steps
            .iter()
            .chain(creditor.groups.values().filter_map(|g| g.steps.as_ref()).flatten())
            .cloned()
            .collect(),
    }
}

/// A bar per ageing bucket, scaled to the largest; `words` and `amounts` under each bar.
pub(crate) fn bar_chart(a: &Ageing, words: &[String; 5], amounts: &[String; 5]) -> chart::Chart {
    use chart::Shape;
    const W: i64 = 60;
    const H: i64 = 120;
    let max = a.buckets.iter().copied().max().unwrap_or(0).max(1);
    let mut shapes = Vec::new();
    for (i, ((amount, label), shown)) in a.buckets.iter().zip(words).zip(amounts).enumerate() {
        let h = amount.saturating_mul(H) / max;
        let x = i64::try_from(i).unwrap_or(0) * W;
        shapes.push(Shape::Rect {
            x: x + 8,
            y: H - h,
            width: W - 16,
            height: h,
        });
        shapes.push(Shape::Text {
            x: x + W / 2,
            y: H + 14,
            size: 11,
            text: label.clone(),
        });
        shapes.push(Shape::Text {
            x: x + W / 2,
            y: H + 30,
            size: 10,
            text: shown.clone(),
        });
    }
    chart::Chart {
        width: W * 5,
        height: H + 40,
        label: format!("{} by age", a.currency),
        shapes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{creditor, day, invoice_due};

    #[test]
    fn last_period_s_report_is_due_from_eight_on_the_new_period_s_first_day() {
        // Monday 7 December 2026.
        assert_eq!(due_report(Period::Week, day(2026, 12, 7), 7), None);
        assert_eq!(due_report(Period::Week, day(2026, 12, 7), 8), Some(day(2026, 12, 6)));
        assert_eq!(due_report(Period::Week, day(2026, 12, 9), 3), Some(day(2026, 12, 6)));
        assert_eq!(due_report(Period::Month, day(2027, 1, 1), 9), Some(day(2026, 12, 31)));
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        assert_eq!(
            Period::Week.span(day(2026, 12, 3)),
            (day(2026, 11, 30), day(2026, 12, 6))
        );
        assert_eq!(
            Period::Month.span(day(2026, 2, 14)),
            (day(2026, 2, 1), day(2026, 2, 28))
        );
        assert_eq!(
            Period::Month.span(day(2026, 12, 31)),
            (day(2026, 12, 1), day(2026, 12, 31))
        );
    }

    #[test]
    fn the_figures_are_the_counters_and_the_ageing_of_what_is_open() {
        let today = day(2026, 12, 31);
        // €100 not yet due, €200 10 days late, €300 45 days late, €400 75 days late, €500 120 days late.
        let mut open = [
            invoice_due("1", day(2027, 1, 15), 10_000),
            invoice_due("2", day(2026, 12, 21), 20_000),
            invoice_due("3", day(2026, 11, 16), 30_000),
            invoice_due("4", day(2026, 10, 17), 40_000),
            invoice_due("5", day(2026, 9, 2), 50_000),
        ];
        // INV-2 was promised for 20 December: with 3 days' grace, broken by the 31st. INV-3 is disputed.
        open[1].controls.promise = Some(crate::model::Promise {
            date: day(2026, 12, 20),
            at: crate::testing::utc("2026-12-10T08:00:00Z"),
        });
        open[2].controls.dispute = Some(crate::model::Dispute {
            reason: "short delivery".into(),
            at: crate::testing::utc("2026-12-01T08:00:00Z"),
        });
        let counts = BTreeMap::from([
            (keys::sent("after-7", "email"), 12),
            (keys::sent("after-7", "sms"), 5),
            (keys::answer("promise"), 2),
            (keys::PAYMENTS.to_string(), 3),
            (keys::paid("EUR"), 123_450),
        ]);
        let counters = Counters {
            period: counts,
            per_period: BTreeMap::new(),
        };
        let r = report(&creditor(), Period::Month, today, &counters, &open, today, Vec::new());
        assert_eq!((r.from, r.to), (day(2026, 12, 1), today));
        assert_eq!(
            r.sent,
            [
                SentLine {
                    step: "after-7".into(),
                    channel: "email".into(),
                    count: 12
                },
                SentLine {
                    step: "after-7".into(),
                    channel: "sms".into(),
                    count: 5
                },
            ]
        );
        assert_eq!(r.answers["promise"], 2);
        assert_eq!((r.payments, r.paid["EUR"].as_str()), (3, "1234.50"));
        assert_eq!((r.promises_broken, r.disputes_open), (1, 1));
        assert_eq!(
            r.ageing,
            [Ageing {
                currency: "EUR".into(),
                buckets: [10_000, 20_000, 30_000, 40_000, 50_000]
            }]
        );
        // The tallest bar is the 90+ bucket's, 120 units high; the current one a fifth of it.
        let bars: Vec<_> = r.charts[0].rects().collect();
        assert_eq!(bars[4], (248, 0, 44, 120), "{bars:?}");
        assert_eq!(bars[0].3, 24, "{bars:?}");
        let html = r.html();
        assert!(
            html.contains(r#"<rect x="248" y="0" width="44" height="120""#)
                && html.contains("7 business days after the due date · firm")
                && !html.contains("after-7"),
            "{html}"
        );
        // A chart's words are escaped like every other text on the page.
        let mut hostile = r.clone();
        hostile.ageing[0].currency = "\"><script>alert(1)</script>".into();
        let html = hostile.html();
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{html}");
    }
}
