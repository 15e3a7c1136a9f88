//! Money as integer minor units of an ISO 4217 currency. No floating point anywhere.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency {0:?}: use an ISO 4217 code such as EUR")]
    UnknownCurrency(String),
    #[error("{0:?} is not a decimal amount such as \"1234.50\"")]
    NotDecimal(String),
    #[error("amount {amount} has more decimals than {currency} allows ({minor_digits})")]
    TooPrecise {
        amount: String,
        currency: Currency,
        minor_digits: u32,
    },
    #[error("amount must not be negative")]
    Negative,
    #[error("amount is too large")]
    TooLarge,
}

/// The largest amount Duly accepts, in minor units: beyond any real invoice and far from `i64` overflow
/// even when summed over thousands of invoices.
const MAX_MINOR: i64 = 1_000_000_000_000_000;

/// An ISO 4217 currency Duly knows the minor unit of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: [u8; 3],
    minor_digits: u8,
}

/// Currencies of the markets Duly serves and their usual neighbours, with their ISO 4217 minor units.
const CURRENCIES: &[(&str, u8)] = &[
    ("EUR", 2),
    ("USD", 2),
    ("GBP", 2),
    ("PLN", 2),
    ("BGN", 2),
    ("RON", 2),
    ("CZK", 2),
    ("HUF", 2),
    ("SEK", 2),
    ("NOK", 2),
    ("DKK", 2),
    ("CHF", 2),
    ("ISK", 0),
    ("UAH", 2),
    ("RSD", 2),
    ("TRY", 2),
    ("CAD", 2),
    ("AUD", 2),
    ("NZD", 2),
    ("JPY", 0),
    ("KWD", 3),
    ("BHD", 3),
];

impl Currency {
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let upper = code.to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == upper)
            .map(|(c, digits)| {
                let b = c.as_bytes();
                Currency {
                    code: [b[0], b[1], b[2]],
                    minor_digits: *digits,
                }
            })
            .ok_or_else(|| MoneyError::UnknownCurrency(code.to_string()))
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).expect("currency codes are ASCII")
    }

    pub fn minor_digits(&self) -> u32 {
        u32::from(self.minor_digits)
    }

    /// Parses a decimal string such as `"1234.5"` into minor units, refusing anything that would be rounded.
    pub fn parse_amount(&self, raw: &str) -> Result<Money, MoneyError> {
        let value = Decimal::from_str_exact(raw.trim()).map_err(|_| MoneyError::NotDecimal(raw.to_string()))?;
        self.amount_from_decimal(value, raw)
    }

    fn amount_from_decimal(&self, value: Decimal, raw: &str) -> Result<Money, MoneyError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(MoneyError::Negative);
        }
        let normalized = value.normalize();
        if normalized.scale() > self.minor_digits() {
            return Err(MoneyError::TooPrecise {
                amount: raw.to_string(),
                currency: *self,
                minor_digits: self.minor_digits(),
            });
        }
        let minor = normalized
            .checked_mul(Decimal::from(10_i64.pow(self.minor_digits())))
            .ok_or(MoneyError::TooLarge)?;
        let minor = i64::try_from(minor.trunc()).map_err(|_| MoneyError::TooLarge)?;
        if minor > MAX_MINOR {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money { minor, currency: *self })
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, MoneyError> {
        Currency::parse(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Self, MoneyError> {
        Currency::parse(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A non-negative amount of one currency, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// Sums per currency, in the order currencies first appear: a statement's total, one line per currency.
pub fn per_currency<'a>(amounts: impl IntoIterator<Item = &'a Money>) -> Vec<Money> {
    let mut out: Vec<Money> = Vec::new();
    for amount in amounts {
        match out.iter_mut().find(|m| m.currency == amount.currency) {
            Some(m) => m.minor = m.minor.saturating_add(amount.minor),
            None => out.push(*amount),
        }
    }
    out
}

impl Money {
    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }

    /// The amount as an exact decimal in major units, for formatting.
    pub fn to_decimal(&self) -> Decimal {
        Decimal::new(self.minor, self.currency.minor_digits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn parses_exact_amounts() {
        assert_eq!(eur().parse_amount("1234.56").unwrap().minor, 123_456);
        assert_eq!(eur().parse_amount("1234.5").unwrap().minor, 123_450);
        assert_eq!(eur().parse_amount("7").unwrap().minor, 700);
        assert_eq!(eur().parse_amount("0.10").unwrap().minor, 10);
        assert_eq!(Currency::parse("jpy").unwrap().parse_amount("500").unwrap().minor, 500);
        assert_eq!(
            Currency::parse("KWD").unwrap().parse_amount("1.234").unwrap().minor,
            1234
        );
    }

    #[test]
    fn refuses_rounding_negative_and_garbage() {
        assert!(matches!(
            eur().parse_amount("1.005"),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert!(matches!(
            Currency::parse("JPY").unwrap().parse_amount("1.5"),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert_eq!(eur().parse_amount("-1.00"), Err(MoneyError::Negative));
        assert!(matches!(eur().parse_amount("1e3"), Err(MoneyError::NotDecimal(_))));
        assert!(matches!(eur().parse_amount("NaN"), Err(MoneyError::NotDecimal(_))));
        assert_eq!(eur().parse_amount("99999999999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn refuses_unknown_currencies() {
        assert!(matches!(Currency::parse("XYZ"), Err(MoneyError::UnknownCurrency(_))));
        assert!(Currency::parse("EU").is_err());
    }

    #[test]
    fn round_trips_through_decimal() {
        let m = eur().parse_amount("1234.56").unwrap();
        assert_eq!(m.to_decimal().to_string(), "1234.56");
    }
}
