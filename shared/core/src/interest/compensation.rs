//! The fixed compensation for recovery costs (Directive 2011/7/EU, art. 6): €40 once per late invoice, in
//! the invoice's currency; Poland's 40, 70 or 100 € by the invoice's amount.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use super::rates::per_euro;
use super::{country_rule, InterestError};
use crate::model::money::{Currency, Money};

/// Euros of compensation for an invoice of `amount` under `country`'s law.
fn euros(country: &str, amount: Money) -> Result<Decimal, InterestError> {
    if country != "PL" {
        return Ok(Decimal::from(40));
    }
    // Poland: 40 € up to PLN 5,000, 70 € below PLN 50,000, 100 € from PLN 50,000, the invoice's amount
    // taken in złoty.
    if amount.currency.code() != "PLN" {
        return Err(InterestError::Invalid(
            "Polish compensation needs the invoice's amount in złoty",
        ));
    }
    let zloty = Decimal::new(amount.minor, 2);
    Ok(Decimal::from(match zloty {
        z if z <= Decimal::from(5_000) => 40,
        z if z < Decimal::from(50_000) => 70,
        _ => 100,
    }))
}

/// The compensation for a late invoice of `amount`, due on `due`, under `country`'s law, in the invoice's
/// currency: euros as they are, other currencies at the table's rate (the NBP's for the last business day of
/// the month before the due month in Poland, the central bank's of the due date elsewhere).
pub fn compensation(country: &str, amount: Money, due: NaiveDate) -> Result<Money, InterestError> {
    country_rule(country).ok_or_else(|| InterestError::NoStatute(country.to_string()))?;
    let eur = euros(country, amount)?;
    let currency: Currency = amount.currency;
    let in_currency = match currency.code() {
        "EUR" => eur,
        code => {
            let rate = per_euro(code, due).ok_or(InterestError::FxUnknown {
                currency: code.to_string(),
                day: due,
            })?;
            eur * rate.per_euro
        }
    };
    let minor = (in_currency * Decimal::from(100))
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .try_into()
        .map_err(|_| InterestError::Invalid("the compensation does not fit an amount"))?;
    Ok(Money { minor, currency })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(minor: i64, code: &str) -> Money {
        Money {
            minor,
            currency: Currency::parse(code).unwrap(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn forty_euros_once_in_the_invoices_currency() {
        assert_eq!(
            compensation("EE", money(1, "EUR"), day("2026-01-05")),
            Ok(money(4_000, "EUR"))
        );
        // The lev at the currency board's 1.95583 per euro: 40 × 1.95583 = 78.2332 → BGN 78.23.
        assert_eq!(
            compensation("BG", money(10_000, "BGN"), day("2025-06-02")),
            Ok(money(7_823, "BGN"))
        );
        // Without the day's rate in the table, nothing is guessed.
        assert!(matches!(
            compensation("RO", money(10_000, "RON"), day("2025-06-02")),
            Err(InterestError::FxUnknown { .. })
        ));
        assert!(matches!(
            compensation("US", money(10_000, "USD"), day("2025-06-02")),
            Err(InterestError::NoStatute(_))
        ));
    }

    #[test]
    fn poland_scales_it_by_the_invoice_and_needs_the_nbp_rate() {
        assert_eq!(euros("PL", money(500_000, "PLN")), Ok(Decimal::from(40)));
        assert_eq!(euros("PL", money(500_001, "PLN")), Ok(Decimal::from(70)));
        assert_eq!(euros("PL", money(4_999_999, "PLN")), Ok(Decimal::from(70)));
        assert_eq!(euros("PL", money(5_000_000, "PLN")), Ok(Decimal::from(100)));
        assert!(matches!(
            compensation("PL", money(500_000, "PLN"), day("2025-06-02")),
            Err(InterestError::FxUnknown { .. })
        ));
    }
}
