//! The money on the Today page, per currency: what is owed, how much of it is overdue, what came in this
//! month and how many days of sales are outstanding, read off the month's report.

use serde::Serialize;

use crate::model::money::{Currency, Money};
use crate::report::Report;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headline {
    pub currency: Currency,
    pub outstanding: Money,
    pub overdue: Money,
    /// Paid this month.
    pub collected: Money,
    /// Days sales outstanding this month, to one decimal; `None` when nothing was invoiced.
    pub dso_days: Option<String>,
}

/// One headline per currency owed or paid in, in the report's order of currencies.
pub fn headlines(report: &Report) -> Vec<Headline> {
    let mut codes: Vec<&str> = report.ageing.iter().map(|a| a.currency.as_str()).collect();
    for code in report.paid.keys() {
        if !codes.contains(&code.as_str()) {
            codes.push(code);
        }
    }
    codes
        .into_iter()
        .filter_map(|code| {
            let currency = Currency::parse(code).ok()?;
            let buckets = report
                .ageing
                .iter()
                .find(|a| a.currency == code)
                .map_or([0; 5], |a| a.buckets);
            let money = |minor: i64| Money { minor, currency };
            let collected = report
                .paid
                .get(code)
                .and_then(|p| currency.parse_amount(p).ok())
                .unwrap_or(money(0));
            Some(Headline {
                currency,
                outstanding: money(buckets.iter().fold(0i64, |sum, b| sum.saturating_add(*b))),
                overdue: money(buckets[1..].iter().fold(0i64, |sum, b| sum.saturating_add(*b))),
                collected,
                dso_days: report
                    .dso
                    .iter()
                    .find(|d| d.currency == code)
                    .and_then(|d| d.points.last())
                    .and_then(|p| p.days.clone()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{report, Counters, Period};
    use crate::testing::{creditor, day, invoice_due};

    #[test]
    fn owed_overdue_and_collected_come_per_currency_and_a_currency_only_paid_in_is_shown() {
        let today = day(2026, 12, 6);
        let open = vec![
            invoice_due("1", day(2026, 12, 20), 10000),
            invoice_due("2", day(2026, 11, 20), 5000),
            invoice_due("3", day(2026, 8, 1), 2500),
        ];
        let mut counters = Counters::default();
        counters.period.insert("paid:EUR".into(), 30000);
        counters.period.insert("paid:PLN".into(), 1250);
        let r = report(&creditor(), Period::Month, today, &counters, &open, today, Vec::new());
        let h = headlines(&r);
        let eur = Currency::parse("EUR").unwrap();
        let pln = Currency::parse("PLN").unwrap();
        assert_eq!(h.len(), 2, "{h:?}");
        assert_eq!(
            h[0].outstanding,
            Money {
                minor: 17500,
                currency: eur
            }
        );
        assert_eq!(
            h[0].overdue,
            Money {
                minor: 7500,
                currency: eur
            }
        );
        assert_eq!(
            h[0].collected,
            Money {
                minor: 30000,
                currency: eur
            }
        );
        assert_eq!(
            (h[1].currency, h[1].outstanding.minor, h[1].collected.minor),
            (pln, 0, 1250)
        );
    }
}
