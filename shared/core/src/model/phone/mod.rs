//! A customer's phone number as the platform gave it, read once by libphonenumber's rules (the
//! `phonenumber` crate) with the customer's country as the region for numbers written without a country
//! code: `+44 (0)20 7946 0000`, `020 7946 0000` for a British customer and Xero's country 44, area 020,
//! number 7946 0000 are all `+442079460000`. Only a number that can take a text is texted; a landline is
//! kept for calls; a number that is not one is refused with the reason, which the customer's page shows.

use phonenumber::metadata::DATABASE;
use phonenumber::{country, Mode, Type};
use serde::{Deserialize, Serialize};

/// What the number is for: texts go only to a mobile (or a number, as in the US, that may be one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhoneKind {
    /// Numbers stored before kinds were told apart were texted; they stay so until the platform says
    /// otherwise.
    #[default]
    Mobile,
    /// A fixed line, VoIP, toll-free or other number that cannot be relied on to take a text.
    Landline,
}

impl PhoneKind {
    pub fn texts(self) -> bool {
        self == PhoneKind::Mobile
    }

    pub fn code(self) -> &'static str {
        match self {
            PhoneKind::Mobile => "mobile",
            PhoneKind::Landline => "landline",
        }
    }
}

/// Why a number was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "kebab-case")]
pub enum PhoneProblem {
    #[error("is not a phone number")]
    NotANumber,
    #[error("has no country code, and the customer's country is not known: write it as +44 20 7946 0000")]
    NoCountry,
    #[error("is not a number that exists in its country")]
    NotValid,
}

impl PhoneProblem {
    /// The id of its wording: `phone-problem-{code}`.
    pub fn code(self) -> &'static str {
        match self {
            PhoneProblem::NotANumber => "not-a-number",
            PhoneProblem::NoCountry => "no-country",
            PhoneProblem::NotValid => "not-valid",
        }
    }
}

/// A number the platform gave that Duly could not use, as given (cut to [`MAX_GIVEN`] characters) and
/// why; personal data, erased with the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedPhone {
    pub given: String,
    pub problem: PhoneProblem,
}

/// A contact's number as Duly keeps it: the one to use, what it is, and what was refused when none could be
/// used.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactPhone {
    /// E.164, e.g. `+37255512345`.
    pub number: Option<String>,
    pub kind: PhoneKind,
    pub refused: Option<RefusedPhone>,
}

impl ContactPhone {
    /// A number already known to be a mobile in E.164; for tests and Duly's own fixtures.
    pub fn mobile(e164: &str) -> ContactPhone {
        ContactPhone {
            number: Some(e164.to_string()),
            kind: PhoneKind::Mobile,
            refused: None,
        }
    }
}

/// The longest text read as a number; longer text is refused unread, and kept only this long.
pub const MAX_GIVEN: usize = 40;

/// One number, as written, in a customer's country (an ISO 3166 code; `None` where it is not known): its
/// E.164 form and kind, or why it is not a number.
pub fn read(raw: &str, country_code: Option<&str>) -> Result<(String, PhoneKind), PhoneProblem> {
    let raw = raw.trim();
    if raw.chars().count() > MAX_GIVEN || raw.chars().any(|c| c.is_control()) {
        return Err(PhoneProblem::NotANumber);
    }
    let region = country_code.and_then(|c| c.trim().to_ascii_uppercase().parse::<country::Id>().ok());
    let number = phonenumber::parse(region, raw).map_err(|e| match e {
        phonenumber::ParseError::InvalidCountryCode if region.is_none() => PhoneProblem::NoCountry,
        _ => PhoneProblem::NotANumber,
    })?;
    if !phonenumber::is_valid(&number) {
        return Err(PhoneProblem::NotValid);
    }
    let kind = match number.number_type(&DATABASE) {
        Type::Mobile | Type::FixedLineOrMobile => PhoneKind::Mobile,
        _ => PhoneKind::Landline,
    };
    Ok((number.format().mode(Mode::E164).to_string(), kind))
}

/// Of a contact's numbers, in the platform's order of preference, the first that can take a text; else the
/// first that is a number at all, kept for calls; else, when every one was refused, the first refusal.
pub fn best<'a>(given: impl IntoIterator<Item = &'a str>, country_code: Option<&str>) -> ContactPhone {
    let mut landline = None;
    let mut refused = None;
    for raw in given.into_iter().map(str::trim).filter(|g| !g.is_empty()) {
        match read(raw, country_code) {
            Ok((number, PhoneKind::Mobile)) => return ContactPhone::mobile(&number),
            Ok((number, PhoneKind::Landline)) => {
                landline.get_or_insert(number);
            }
            Err(problem) => {
                refused.get_or_insert(RefusedPhone {
                    given: raw.chars().take(MAX_GIVEN).collect(),
                    problem,
                });
            }
        }
    }
    match landline {
        Some(number) => ContactPhone {
            number: Some(number),
            kind: PhoneKind::Landline,
            refused: None,
        },
        None => ContactPhone {
            number: None,
            kind: PhoneKind::Mobile,
            refused,
        },
    }
}

#[cfg(test)]
mod tests;
