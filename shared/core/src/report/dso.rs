//! Days sales outstanding over the last twelve periods, from what each change to an invoice adds to its
//! creditor's receivables and sales, counted as it happens.
//!
//! Each change to an invoice item (seen on the table's stream with its image before and after) adds to the
//! counters of its day, and of that day's week and month: `receivable:{currency}`, the change in what open
//! invoices still owe, and `invoiced:{currency}`, the change in what was invoiced (by issue date). What was
//! owed at the end of a past period is then what is owed today less what every later period added, so no
//! read ever walks the invoices of the past.
//!
//! DSO of a period = owed at its end × its days ÷ invoiced in it; no figure when nothing was invoiced.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{keys, Period};
use crate::ledger::Invoice;
use crate::model::money::{Currency, Money};

/// How many periods the report shows DSO for, its own included.
pub const DSO_PERIODS: usize = 12;

/// What an open invoice still owes, by currency; nothing when it is not open.
fn owed(invoice: &Invoice) -> Option<Money> {
    invoice
        .is_open()
        .then_some(invoice.balance.map(|b| b.amount_due))
        .flatten()
}

/// What an invoice counts as sales, and on which day: its total on its issue date, unless it is a draft
/// or void.
fn invoiced(invoice: &Invoice) -> Option<(NaiveDate, Money)> {
    let doc = invoice
        .doc
        .as_ref()
        .filter(|d| !d.draft && invoice.voided_at.is_none())?;
    Some((doc.issue_date.unwrap_or(doc.updated_at.date_naive()), doc.total))
}

/// When the platform last changed what an invoice says: the newest of its document, balance and void.
fn changed_at(invoice: &Invoice) -> Option<DateTime<Utc>> {
    [
        invoice.doc.as_ref().map(|d| d.updated_at),
        invoice.balance.map(|b| b.as_of),
        invoice.voided_at,
    ]
    .into_iter()
    .flatten()
    .max()
}

fn disputed_and_open(invoice: Option<&Invoice>) -> bool {
    invoice.is_some_and(|i| i.is_open() && i.controls.dispute.is_some())
}

/// What one change to an invoice adds to its creditor's day counters: `(day, counter, amount)`. `None`
/// stands for an invoice not (or no longer) in the table. A dispute ends when the invoice closes while
/// disputed; a dispute the creditor resolves is counted from its audit entry instead.
pub fn invoice_change(before: Option<&Invoice>, after: Option<&Invoice>) -> Vec<(NaiveDate, String, i64)> {
    let mut out = Vec::new();
    let day = after
        .or(before)
        .and_then(changed_at)
        .or_else(|| before.and_then(changed_at))
        .map(|t| t.date_naive());
    if let Some(day) = day {
        let mut add = |money: Option<Money>, sign: i64| {
            if let Some(m) = money.filter(|m| m.minor != 0) {
                out.push((day, keys::receivable(m.currency.code()), sign * m.minor));
            }
        };
        add(before.and_then(owed), -1);
        add(after.and_then(owed), 1);
        if disputed_and_open(before) && !disputed_and_open(after) && after.is_some_and(|a| !a.is_open()) {
            out.push((day, keys::DISPUTES_RESOLVED.to_string(), 1));
        }
    }
    for (invoice, sign) in [(before, -1), (after, 1)] {
        if let Some((issued, total)) = invoice.and_then(invoiced).filter(|(_, t)| t.minor != 0) {
            out.push((issued, keys::invoiced(total.currency.code()), sign * total.minor));
        }
    }
    // A change that moves nothing cancels out: keep only what is left.
    let mut summed: BTreeMap<(NaiveDate, String), i64> = BTreeMap::new();
    for (day, key, n) in out {
        *summed.entry((day, key)).or_default() += n;
    }
    summed
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((day, key), n)| (day, key, n))
        .collect()
}

/// Whether a day counter is summed per week and per month as well, for DSO.
pub fn summed_per_period(counter: &str) -> bool {
    counter.starts_with("receivable:") || counter.starts_with("invoiced:")
}

/// The first days of the periods DSO needs for a report of the period holding `day`, asked on `today`:
/// the report's period and the eleven before it, and every period after it up to today's (what those
/// added is taken off today's receivables). At most `max` periods, the latest kept.
pub fn periods_needed(period: Period, day: NaiveDate, today: NaiveDate, max: usize) -> Vec<NaiveDate> {
    let (current, _) = period.span(today.max(day));
    let mut starts = Vec::new();
    let mut start = current;
    let earliest = twelve_to(period, day)[0];
    while start >= earliest && starts.len() < max {
        starts.push(start);
        start = previous(period, start);
    }
    starts.reverse();
    starts
}

fn previous(period: Period, start: NaiveDate) -> NaiveDate {
    period.span(start.pred_opt().unwrap_or(start)).0
}

/// The first days of the [`DSO_PERIODS`] periods up to the one holding `day`, oldest first.
fn twelve_to(period: Period, day: NaiveDate) -> Vec<NaiveDate> {
    let mut starts = vec![period.span(day).0];
    while starts.len() < DSO_PERIODS {
        let earlier = previous(period, starts[starts.len() - 1]);
        starts.push(earlier);
    }
    starts.reverse();
    starts
}

/// One period's figures in one currency, as decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DsoPoint {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Owed by open invoices at the end of the period.
    pub receivable: String,
    pub invoiced: String,
    /// Days, to one decimal; `None` when nothing was invoiced in the period.
    pub days: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dso {
    pub currency: String,
    /// The twelve periods up to the report's, oldest first.
    pub points: Vec<DsoPoint>,
}

/// DSO per currency for the twelve periods ending with the one holding `day`, from today's open invoices
/// and the per-period sums of the counters (keyed by each period's first day).
pub fn dso(
    period: Period,
    day: NaiveDate,
    open: &[Invoice],
    sums: &BTreeMap<NaiveDate, BTreeMap<String, i64>>,
) -> Vec<Dso> {
    let mut owed_now: BTreeMap<String, i64> = BTreeMap::new();
    for money in open.iter().filter_map(owed) {
        *owed_now.entry(money.currency.code().to_string()).or_default() += money.minor;
    }
    let mut currencies: BTreeSet<String> = owed_now.keys().cloned().collect();
    for counts in sums.values() {
        for key in counts.keys() {
            if let Some(c) = key
                .strip_prefix("invoiced:")
                .or_else(|| key.strip_prefix("receivable:"))
            {
                currencies.insert(c.to_string());
            }
        }
    }
    let starts = twelve_to(period, day);
    let mut out = Vec::new();
    for currency in currencies {
        let Ok(c) = Currency::parse(&currency) else { continue };
        let count = |start: &NaiveDate, key: String| sums.get(start).and_then(|m| m.get(&key)).copied().unwrap_or(0);
        let mut points = Vec::new();
        let mut any = false;
        for start in &starts {
            let (from, to) = period.span(*start);
            let later: i64 = sums
                .range(from.succ_opt().unwrap_or(from)..)
                .filter_map(|(_, m)| m.get(&keys::receivable(&currency)))
                .sum();
            let receivable = owed_now.get(&currency).copied().unwrap_or(0) - later;
            let invoiced = count(start, keys::invoiced(&currency));
            let length = Decimal::from((to - from).num_days() + 1);
            let as_money = |minor: i64| Money { minor, currency: c }.to_decimal();
            let days = (invoiced > 0).then(|| {
                let days = as_money(receivable) * length / as_money(invoiced);
                format!(
                    "{:.1}",
                    days.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                )
            });
            any |= invoiced != 0 || receivable != 0;
            points.push(DsoPoint {
                from,
                to,
                receivable: as_money(receivable).to_string(),
                invoiced: as_money(invoiced).to_string(),
                days,
            });
        }
        if any {
            out.push(Dso { currency, points });
        }
    }
    out
}

/// A line of the twelve periods' DSO, scaled to the largest; a gap where a period has no figure.
pub fn chart(d: &Dso) -> super::chart::Chart {
    use super::chart::Shape;
    const STEP: i64 = 25;
    const H: i64 = 100;
    let values: Vec<Option<Decimal>> = d
        .points
        .iter()
        .map(|p| p.days.as_deref().and_then(|v| v.parse::<Decimal>().ok()))
        .collect();
    let max = values
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::ONE);
    let mut shapes = Vec::new();
    for (i, (value, point)) in values.iter().zip(&d.points).enumerate() {
        let x = i64::try_from(i).unwrap_or(0) * STEP + STEP / 2;
        if let Some(v) = value {
            let scaled = (*v * Decimal::from(H - 10) / max).round();
            let y = H - i64::try_from(scaled).unwrap_or(0).clamp(0, H);
            shapes.push(Shape::Dot { x, y });
            shapes.push(Shape::Text {
                x,
                y: (y - 5).max(8),
                size: 9,
                text: v.round().to_string(),
            });
        }
        shapes.push(Shape::Text {
            x,
            y: H + 14,
            size: 8,
            text: point.from.format("%d.%m").to_string(),
        });
    }
    super::chart::Chart {
        width: STEP * i64::try_from(DSO_PERIODS).unwrap_or(12),
        height: H + 20,
        label: format!("DSO {}", d.currency),
        shapes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Balance;
    use crate::testing::{day, invoice_due, utc};

    fn issued(mut i: Invoice, on: NaiveDate, at: &str) -> Invoice {
        let doc = i.doc.as_mut().expect("a document");
        doc.issue_date = Some(on);
        doc.updated_at = utc(at);
        if let Some(b) = i.balance.as_mut() {
            b.as_of = utc(at);
        }
        i
    }

    #[test]
    fn a_new_invoice_adds_its_total_on_its_issue_date_and_what_it_owes_on_the_day_it_was_seen() {
        let new = issued(
            invoice_due("1", day(2026, 12, 31), 50_000),
            day(2026, 11, 27),
            "2026-11-30T09:00:00Z",
        );
        assert_eq!(
            invoice_change(None, Some(&new)),
            [
                (day(2026, 11, 27), "invoiced:EUR".to_string(), 50_000),
                (day(2026, 11, 30), "receivable:EUR".to_string(), 50_000),
            ]
        );
    }

    #[test]
    fn a_payment_takes_off_what_it_paid_and_a_closed_dispute_counts_as_resolved() {
        let mut before = issued(
            invoice_due("1", day(2026, 12, 31), 50_000),
            day(2026, 11, 27),
            "2026-11-30T09:00:00Z",
        );
        let mut part = before.clone();
        part.balance = Some(Balance {
            amount_due: crate::billing::euros(Decimal::from(200)),
            as_of: utc("2026-12-02T10:00:00Z"),
        });
        assert_eq!(
            invoice_change(Some(&before), Some(&part)),
            [(day(2026, 12, 2), "receivable:EUR".to_string(), -30_000)]
        );
        before.controls.dispute = Some(crate::model::Dispute {
            reason: "short delivery".into(),
            at: utc("2026-12-01T08:00:00Z"),
        });
        let mut paid = before.clone();
        paid.balance = Some(Balance {
            amount_due: crate::billing::euros(Decimal::ZERO),
            as_of: utc("2026-12-03T10:00:00Z"),
        });
        assert_eq!(
            invoice_change(Some(&before), Some(&paid)),
            [
                (day(2026, 12, 3), "disputes_resolved".to_string(), 1),
                (day(2026, 12, 3), "receivable:EUR".to_string(), -50_000),
            ]
        );
        // The scheduler marking a step done moves no money.
        let mut stepped = part.clone();
        stepped.progress.steps_done.push("2026-12-31/before-3".into());
        assert_eq!(invoice_change(Some(&part), Some(&stepped)), []);
    }

    #[test]
    fn dso_takes_later_periods_off_today_s_receivables() {
        // Months. Today, 10 December, €300 is owed. December added €100 so far; November added €150 and
        // invoiced €500; October invoiced €1,000 and added €50.
        let mut sums = BTreeMap::new();
        sums.insert(
            day(2026, 12, 1),
            BTreeMap::from([
                ("receivable:EUR".to_string(), 10_000),
                ("invoiced:EUR".to_string(), 10_000),
            ]),
        );
        sums.insert(
            day(2026, 11, 1),
            BTreeMap::from([
                ("receivable:EUR".to_string(), 15_000),
                ("invoiced:EUR".to_string(), 50_000),
            ]),
        );
        sums.insert(
            day(2026, 10, 1),
            BTreeMap::from([
                ("receivable:EUR".to_string(), 5_000),
                ("invoiced:EUR".to_string(), 100_000),
            ]),
        );
        let open = [invoice_due("1", day(2026, 12, 31), 30_000)];
        let d = dso(Period::Month, day(2026, 11, 15), &open, &sums);
        assert_eq!(d.len(), 1);
        let points = &d[0].points;
        assert_eq!(points.len(), 12);
        assert_eq!((points[0].from, points[11].to), (day(2025, 12, 1), day(2026, 11, 30)));
        // End of November: 300 − 100 = €200 owed; 200 × 30 ÷ 500 = 12.0 days.
        assert_eq!(
            (
                points[11].receivable.as_str(),
                points[11].invoiced.as_str(),
                points[11].days.as_deref()
            ),
            ("200.00", "500.00", Some("12.0"))
        );
        // End of October: 200 − 150 = €50 owed; 50 × 31 ÷ 1,000 = 1.55, rounded half away from zero.
        assert_eq!(
            (points[10].receivable.as_str(), points[10].days.as_deref()),
            ("50.00", Some("1.6"))
        );
        // Nothing invoiced in September: no figure.
        assert_eq!(points[9].days, None);
        assert!(chart(&d[0])
            .shapes
            .iter()
            .any(|s| matches!(s, super::super::chart::Shape::Dot { .. })));
    }

    #[test]
    fn the_periods_read_run_from_eleven_before_the_report_s_to_today_s() {
        let starts = periods_needed(Period::Week, day(2026, 11, 25), day(2026, 12, 9), 100);
        assert_eq!(starts.first(), Some(&day(2026, 9, 7)));
        assert_eq!(starts.last(), Some(&day(2026, 12, 7)));
        assert_eq!(starts.len(), 14);
        assert_eq!(
            periods_needed(Period::Month, day(2020, 1, 1), day(2026, 12, 9), 30).len(),
            30
        );
    }
}
