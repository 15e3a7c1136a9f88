//! Pay-per-use billing: the price list, a month's statement from the usage counters, and the spend cap a
//! creditor sets on a month.

use rust_decimal::prelude::ToPrimitive;
pub mod export;
pub mod settings;
pub mod words;

pub use settings::{check_cap, BillingSettings, MAX_CAP};

pub use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

use crate::model::money::{Currency, Money};

/// What Duly meters, each counted per creditor per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Meter {
    Emails,
    SmsSegments,
    /// Debtors who got at least one message in the month.
    DebtorsReminded,
    WebhooksReceived,
}

impl Meter {
    pub const ALL: [Meter; 4] = [
        Meter::Emails,
        Meter::SmsSegments,
        Meter::DebtorsReminded,
        Meter::WebhooksReceived,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Meter::Emails => "emails",
            Meter::SmsSegments => "sms_segments",
            Meter::DebtorsReminded => "debtors_reminded",
            Meter::WebhooksReceived => "webhooks_received",
        }
    }
}

/// Euros per unit of each meter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceList {
    pub emails: Decimal,
    pub sms_segments: Decimal,
    pub debtors_reminded: Decimal,
    pub webhooks_received: Decimal,
}

/// The template's default: what the deployment charges until its operator says otherwise.
pub const DEFAULT_PRICES: &str = "emails=0.01,sms_segments=0.08,debtors_reminded=0.05,webhooks_received=0.001";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("price list: {0}")]
pub struct PriceListError(String);

impl PriceList {
    /// `meter=euros` pairs separated by commas; every meter must be priced, none twice, none below zero.
    pub fn parse(text: &str) -> Result<PriceList, PriceListError> {
        let mut prices: [Option<Decimal>; 4] = [None; 4];
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, price) = pair
                .split_once('=')
                .ok_or_else(|| PriceListError(format!("{pair:?} is not meter=price")))?;
            let i = Meter::ALL
                .iter()
                .position(|m| m.name() == name.trim())
                .ok_or_else(|| PriceListError(format!("no meter is called {name:?}")))?;
            let price: Decimal = price
                .trim()
                .parse()
                .map_err(|_| PriceListError(format!("{price:?} is not a price")))?;
            if price < Decimal::ZERO || price.scale() > 6 {
                return Err(PriceListError(format!(
                    "{name} costs between 0 and any euros, to six decimals"
                )));
            }
            if prices[i].replace(price).is_some() {
                return Err(PriceListError(format!("{name} is priced twice")));
            }
        }
        match prices {
            [Some(emails), Some(sms_segments), Some(debtors_reminded), Some(webhooks_received)] => Ok(PriceList {
                emails,
                sms_segments,
                debtors_reminded,
                webhooks_received,
            }),
            _ => Err(PriceListError("every meter needs a price".into())),
        }
    }

    pub fn price(&self, meter: Meter) -> Decimal {
        match meter {
            Meter::Emails => self.emails,
            Meter::SmsSegments => self.sms_segments,
            Meter::DebtorsReminded => self.debtors_reminded,
            Meter::WebhooksReceived => self.webhooks_received,
        }
    }
}

impl Default for PriceList {
    fn default() -> Self {
        PriceList::parse(DEFAULT_PRICES).expect("the default price list parses")
    }
}

/// A month's counts, as the usage counters hold them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub emails: i64,
    pub sms_segments: i64,
    pub debtors_reminded: i64,
    pub webhooks_received: i64,
}

impl Counts {
    pub fn of(&self, meter: Meter) -> i64 {
        match meter {
            Meter::Emails => self.emails,
            Meter::SmsSegments => self.sms_segments,
            Meter::DebtorsReminded => self.debtors_reminded,
            Meter::WebhooksReceived => self.webhooks_received,
        }
    }

    /// What these counts cost, exactly (not rounded).
    pub fn cost(&self, prices: &PriceList) -> Decimal {
        Meter::ALL
            .iter()
            .map(|m| Decimal::from(self.of(*m).max(0)) * prices.price(*m))
            .sum()
    }
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub meter: Meter,
    pub quantity: i64,
    /// Euros per unit.
    pub unit_price: Decimal,
    /// Euros, rounded half-up to the cent.
    pub amount: Decimal,
}

/// A month's usage statement in euros.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub month: String,
    pub currency: &'static str,
    pub lines: Vec<Line>,
    /// The sum of the rounded lines, as an invoice adds them.
    pub total: Decimal,
    /// The creditor's cap on the month, if they set one.
    pub cap: Option<Decimal>,
}

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Euros as an amount of money, rounded half-up to the cent.
pub fn euros(amount: Decimal) -> Money {
    Money {
        minor: (cents(amount) * Decimal::from(100)).to_i64().unwrap_or(i64::MAX),
        currency: Currency::parse("EUR").expect("EUR is a currency"),
    }
}

/// The statement of `month` from its counts.
pub fn statement(month: &str, counts: &Counts, prices: &PriceList, cap: Option<Decimal>) -> Statement {
    let lines: Vec<Line> = Meter::ALL
        .iter()
        .map(|m| {
            let quantity = counts.of(*m).max(0);
            Line {
                meter: *m,
                quantity,
                unit_price: prices.price(*m),
                amount: cents(Decimal::from(quantity) * prices.price(*m)),
            }
        })
        .collect();
    Statement {
        month: month.to_string(),
        currency: "EUR",
        total: lines.iter().map(|l| l.amount).sum(),
        lines,
        cap,
    }
}

/// What one message would add to the month: its e-mail, its SMS segments, and the debtor if it is their
/// first message of the month.
pub fn message_cost(prices: &PriceList, email: bool, sms_segments: u32, first_in_month: bool) -> Decimal {
    let mut cost = Decimal::from(sms_segments) * prices.sms_segments;
    if email {
        cost += prices.emails;
    }
    if first_in_month {
        cost += prices.debtors_reminded;
    }
    cost
}

/// Whether a message costing `next` still fits under `cap` after `spent` this month.
/// When a message the cap held is looked at again: the first moment of the next month (UTC), when the
/// month's spend starts again. Raising the cap sooner replans the creditor's invoices at once.
pub fn held_until(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::Datelike;
    let first = now.date_naive().with_day(1).unwrap_or(now.date_naive());
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    next.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// How long a message that does not render, even in the shipped wording, waits before it is tried again.
pub const RENDER_RETRY_HOURS: i64 = 6;

pub fn within_cap(cap: Option<Decimal>, spent: Decimal, next: Decimal) -> bool {
    cap.is_none_or(|cap| spent + next <= cap)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_held_message_is_looked_at_again_when_the_month_turns() {
        let at = |t: &str| t.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        assert_eq!(held_until(at("2026-11-30T07:15:00Z")), at("2026-12-01T00:00:00Z"));
        assert_eq!(held_until(at("2026-12-31T23:59:59Z")), at("2027-01-01T00:00:00Z"));
        assert_eq!(held_until(at("2026-12-01T00:00:00Z")), at("2027-01-01T00:00:00Z"));
    }

    use super::*;

    fn eur(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_price_list_names_every_meter_once() {
        let prices = PriceList::parse(DEFAULT_PRICES).unwrap();
        assert_eq!(prices.sms_segments, eur("0.08"));
        assert!(PriceList::parse("emails=0.01").is_err());
        assert!(PriceList::parse(&format!("{DEFAULT_PRICES},emails=0.02")).is_err());
        assert!(PriceList::parse(&DEFAULT_PRICES.replace("0.01", "-0.01")).is_err());
        assert!(PriceList::parse(&DEFAULT_PRICES.replace("emails", "letters")).is_err());
        assert!(PriceList::parse(&DEFAULT_PRICES.replace("0.01", "cheap")).is_err());
    }

    #[test]
    fn a_statement_prices_each_line_and_adds_the_rounded_lines() {
        let counts = Counts {
            emails: 1_234,
            sms_segments: 57,
            debtors_reminded: 311,
            webhooks_received: 4_567,
        };
        let s = statement("2026-11", &counts, &PriceList::default(), Some(eur("100")));
        let amounts: Vec<String> = s.lines.iter().map(|l| l.amount.to_string()).collect();
        // 1 234 × 0.01 = 12.34; 57 × 0.08 = 4.56; 311 × 0.05 = 15.55; 4 567 × 0.001 = 4.567 → 4.57.
        assert_eq!(amounts, ["12.34", "4.56", "15.55", "4.57"]);
        assert_eq!(s.total, eur("37.02"));
        assert_eq!(counts.cost(&PriceList::default()), eur("37.017"));
    }

    #[test]
    fn a_message_fits_under_the_cap_only_while_the_month_stays_at_or_below_it() {
        let prices = PriceList::default();
        // An e-mail and two segments to a debtor not yet reminded this month: 0.01 + 0.16 + 0.05.
        let next = message_cost(&prices, true, 2, true);
        assert_eq!(next, eur("0.22"));
        assert!(within_cap(Some(eur("1.00")), eur("0.78"), next));
        assert!(!within_cap(Some(eur("1.00")), eur("0.79"), next));
        assert!(within_cap(None, eur("1000000"), next));
        assert!(check_cap(eur("250.00")).is_ok());
        assert!(check_cap(eur("250.001")).is_err());
        assert!(check_cap(eur("-1")).is_err());
    }
}
