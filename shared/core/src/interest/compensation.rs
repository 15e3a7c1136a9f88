//! The fixed compensation for recovery costs (Directive 2011/7/EU, art. 6): €40 once per late invoice, in
//! the invoice's currency; Poland's 40, 70 or 100 € by the invoice's amount; Bulgaria's 80 leva.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::rates::RateBook;
use super::{country_rule, InterestError};
use crate::calendar::Calendar;
use crate::model::money::{Currency, Money};

/// The Bulgarian Commerce Act (art. 309a (3)) fixed the compensation at 80 leva, not 40 euros; since the
/// euro (1 January 2026) the amount reads in euros at the lev's fixed rate, as every amount in leva does.
const BULGARIAN_LEVA: i64 = 80;

/// Euros of compensation for an invoice of `amount` under `country`'s law.
fn euros(book: &RateBook, country: &str, amount: Money) -> Result<Decimal, InterestError> {
    if country == "BG" {
        let fixed = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let lev = book.per_euro("BGN", fixed).ok_or(InterestError::FxUnknown {
            currency: "BGN".into(),
            day: fixed,
        })?;
        return Ok(Decimal::from(BULGARIAN_LEVA) / lev.per_euro);
    }
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

/// The day whose rate of exchange converts the compensation: in Poland the last business day of the month
/// before the due month (art. 10 (1a) of the act on late payments); elsewhere the due date, or the last
/// business day before it when the central bank published no rate that day.
fn rate_day(country: &str, due: NaiveDate) -> NaiveDate {
    let calendar = Calendar::new(chrono_tz::UTC, Default::default()).with_country(Some(country));
    let mut day = match country {
        "PL" => due.with_day(1).unwrap_or(due).pred_opt().unwrap_or(due),
        _ => due,
    };
    // A month holds at most a few days off in a row; the bound keeps a broken calendar from spinning.
    for _ in 0..10 {
        if calendar.is_business_day(day) {
            break;
        }
        day = day.pred_opt().unwrap_or(day);
    }
    day
}

/// The compensation for a late invoice of `amount`, due on `due`, under `country`'s law, in the invoice's
/// currency: euros as they are, other currencies at the table's rate (the NBP's for the last business day of
/// the month before the due month in Poland, the central bank's of the due date elsewhere).
pub fn compensation(book: &RateBook, country: &str, amount: Money, due: NaiveDate) -> Result<Money, InterestError> {
    country_rule(country).ok_or_else(|| InterestError::NoStatute(country.to_string()))?;
    let eur = euros(book, country, amount)?;
    let currency: Currency = amount.currency;
    let in_currency = match currency.code() {
        "EUR" => eur,
        code => {
            let day = rate_day(country, due);
            let rate = book.per_euro(code, day).ok_or(InterestError::FxUnknown {
                currency: code.to_string(),
                day,
            })?;
            eur * rate.per_euro
        }
    };
    let minor = (in_currency * Decimal::from(10i64.pow(currency.minor_digits())))
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
        let book = RateBook::seed();
        assert_eq!(
            compensation(book, "EE", money(1, "EUR"), day("2026-01-05")),
            Ok(money(4_000, "EUR"))
        );
        // Bulgaria's Commerce Act names 80 leva: BGN 80.00 on a lev invoice; on a euro invoice 80 / 1.95583 =
        // 40.9033… → €40.90, before the euro and after it alike.
        assert_eq!(
            compensation(book, "BG", money(10_000, "BGN"), day("2025-06-02")),
            Ok(money(8_000, "BGN"))
        );
        assert_eq!(
            compensation(book, "BG", money(10_000, "EUR"), day("2026-06-02")),
            Ok(money(4_090, "EUR"))
        );
        // The BNR's rate of the due date, Tuesday 11 November 2025: 5.0845 lei per euro; 40 × 5.0845 =
        // 203.38 → RON 203.38.
        assert_eq!(
            compensation(book, "RO", money(10_000, "RON"), day("2025-11-11")),
            Ok(money(20_338, "RON"))
        );
        // Due Sunday 5 October 2025: the BNR published nothing that day, so its rate is Friday 3 October's,
        // 5.0889; 40 × 5.0889 = 203.556 → RON 203.56.
        assert_eq!(
            compensation(book, "RO", money(10_000, "RON"), day("2025-10-05")),
            Ok(money(20_356, "RON"))
        );
        // Without the day's own rate in the table, nothing is guessed: not even the rate of a day before.
        assert!(matches!(
            compensation(book, "RO", money(10_000, "RON"), day("2025-11-12")),
            Err(InterestError::FxUnknown { .. })
        ));
        assert!(matches!(
            compensation(book, "US", money(10_000, "USD"), day("2025-06-02")),
            Err(InterestError::NoStatute(_))
        ));
    }

    #[test]
    fn poland_scales_it_by_the_invoice_and_needs_the_nbp_rate() {
        let book = RateBook::seed();
        assert_eq!(euros(book, "PL", money(500_000, "PLN")), Ok(Decimal::from(40)));
        assert_eq!(euros(book, "PL", money(500_001, "PLN")), Ok(Decimal::from(70)));
        assert_eq!(euros(book, "PL", money(4_999_999, "PLN")), Ok(Decimal::from(70)));
        assert_eq!(euros(book, "PL", money(5_000_000, "PLN")), Ok(Decimal::from(100)));
        // Due 20 November 2025: the NBP's mid rate of Friday 31 October, 4.2543 złoty per euro. PLN 20,000
        // is below PLN 50,000: 70 € × 4.2543 = 297.801 → PLN 297.80.
        assert_eq!(
            compensation(book, "PL", money(2_000_000, "PLN"), day("2025-11-20")),
            Ok(money(29_780, "PLN"))
        );
        // Due 2 November 2025 (a Sunday): the month before is still October.
        assert_eq!(
            compensation(book, "PL", money(500_000, "PLN"), day("2025-11-02")),
            Ok(money(17_017, "PLN"))
        );
        // Due in December: November's last business day's rate is not in the table.
        assert!(matches!(
            compensation(book, "PL", money(500_000, "PLN"), day("2025-12-01")),
            Err(InterestError::FxUnknown { .. })
        ));
    }
}
