//! A step's own opening words, for creditors who want to say it their way without writing HTML: plain
//! text with a few placeholders, checked when saved, filled in when the message is written.

use std::collections::BTreeMap;

use super::refusal::Reason;
use crate::locale::Language;

/// What a creditor's words may name, each in braces: `{name}`.
pub const PLACEHOLDERS: [&str; 5] = ["name", "creditor", "what", "due", "days"];

/// Longest opening kept, in characters.
pub const MAX_WORDING_CHARS: usize = 600;

/// Why words were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLong,
    NotPlain,
    Unbalanced,
    /// A name in braces that is not one of [`PLACEHOLDERS`].
    Unknown(String),
}

impl Refusal {
    /// The reason, with what it names, for the page or the API to say in its reader's language.
    pub fn reason(&self) -> Reason {
        let id = match self {
            Refusal::Empty => "web-words-empty",
            Refusal::TooLong => "web-words-too-long",
            Refusal::NotPlain => "web-words-not-plain",
            Refusal::Unbalanced => "web-words-unbalanced",
            Refusal::Unknown(_) => "web-words-unknown",
        };
        let reason = Reason::new(id)
            .with("max", MAX_WORDING_CHARS)
            .with("placeholders", PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", "));
        match self {
            Refusal::Unknown(name) => reason.with("name", format!("{{{name}}}")),
            _ => reason,
        }
    }
}

/// Whether words may be kept.
pub fn check(text: &str) -> Result<(), Refusal> {
    if text.trim().is_empty() {
        return Err(Refusal::Empty);
    }
    if text.chars().count() > MAX_WORDING_CHARS {
        return Err(Refusal::TooLong);
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Refusal::NotPlain);
    }
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(Refusal::Unbalanced);
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(Refusal::Unbalanced);
        };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(Refusal::Unknown(name.chars().take(40).collect()));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// Every language's words checked; the field names the language that is wrong.
pub fn check_all(wording: &BTreeMap<String, String>) -> Result<(), (String, Reason)> {
    for (code, text) in wording {
        if Language::parse(code).map(Language::code) != Some(code.as_str()) {
            return Err((code.clone(), Reason::new("invalid-language-unknown")));
        }
        check(text).map_err(|refusal| (code.clone(), refusal.reason()))?;
    }
    Ok(())
}

/// The words with each placeholder replaced by its value, in one pass: a value that itself holds braces
/// (a customer named "{days} Ltd") is written as it is.
pub fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            values
                .iter()
                .find(|(name, _)| *name == &after[..close])
                .map(|(_, v)| (close, v))
        });
        match value {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_name_only_the_placeholders_there_are() {
        assert_eq!(check("Hi {name}, {what} was due on {due}."), Ok(()));
        assert_eq!(check("Hi {nmae}"), Err(Refusal::Unknown("nmae".into())));
        assert!(Refusal::Unknown("nmae".into())
            .reason()
            .to_string()
            .contains("{nmae} is not a placeholder"));
        assert!(check("Hi {name").is_err());
        assert!(check("Hi name}").is_err());
        assert!(check("{{ branding.iban }}").is_err(), "no template code");
        assert!(check(" \n").is_err());
        assert!(check(&"a".repeat(MAX_WORDING_CHARS + 1)).is_err());
        assert!(check("tab\there").is_err());
    }

    #[test]
    fn a_language_duly_does_not_write_in_is_refused_by_its_code() {
        let ok = BTreeMap::from([("et".to_string(), "Tere {name}".to_string())]);
        assert_eq!(check_all(&ok), Ok(()));
        let odd = BTreeMap::from([("EN-gb".to_string(), "Hi".to_string())]);
        assert_eq!(check_all(&odd).unwrap_err().0, "EN-gb");
    }

    #[test]
    fn placeholders_are_filled_and_values_are_not_read_again() {
        let filled = fill(
            "Hi {name}, {what} is {days} days late.",
            &[
                ("name", "{days} Ltd".into()),
                ("what", "invoice 7".into()),
                ("days", "5".into()),
            ],
        );
        assert_eq!(filled, "Hi {days} Ltd, invoice 7 is 5 days late.");
    }
}
