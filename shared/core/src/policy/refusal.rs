//! Why a value a creditor or a debtor submitted was refused, kept as a message id of the shipped wording
//! and what it names, so the page or the API says it in its reader's language (rendered by
//! [`say`]).

use std::fmt;

use chrono::NaiveDate;
use fluent_bundle::{FluentArgs, FluentValue};
use rust_decimal::Decimal;

use crate::locale::{format_date, format_decimal, wording_or_id, Language};

/// A value a reason names, written in the reader's way when said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Number(i64),
    Decimal(Decimal),
    Date(NaiveDate),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_string())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Number(v)
    }
}

impl From<u32> for Arg {
    fn from(v: u32) -> Self {
        Arg::Number(i64::from(v))
    }
}

impl From<usize> for Arg {
    fn from(v: usize) -> Self {
        Arg::Number(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<Decimal> for Arg {
    fn from(v: Decimal) -> Self {
        Arg::Decimal(v)
    }
}

impl From<NaiveDate> for Arg {
    fn from(v: NaiveDate) -> Self {
        Arg::Date(v)
    }
}

/// A reason: the message id (`invalid-…`, or a page's own) and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Reason {
    pub fn new(id: &'static str) -> Self {
        Reason { id, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

/// A submitted value refused: which field, and why (said in English by `Display`, in any language by
/// [`say`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct PolicyError {
    pub field: String,
    pub reason: Reason,
}

impl PolicyError {
    pub fn new(field: impl Into<String>, id: &'static str) -> Self {
        PolicyError {
            field: field.into(),
            reason: Reason::new(id),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.reason = self.reason.with(name, value);
        self
    }
}

/// `reason` in `lang`.
pub fn say(lang: Language, reason: &Reason) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in &reason.args {
        let value: FluentValue<'_> = match value {
            Arg::Text(t) => t.clone().into(),
            Arg::Number(n) => (*n).into(),
            Arg::Decimal(d) => format_decimal(lang, &d.to_string()).into(),
            Arg::Date(d) => format_date(lang, *d).into(),
        };
        args.set(*name, value);
    }
    wording_or_id(lang, reason.id, &args)
}

/// In English, for logs, tests and callers that name no language.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&say(Language::En, self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    #[test]
    fn a_reason_is_said_in_each_language_with_its_values_written_there() {
        let cap = Reason::new("invalid-rate-cap")
            .with("country", "PL")
            .with("rate", Decimal::new(1850, 2))
            .with("since", NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(
            say(Language::En, &cap),
            "the law of PL caps agreed late interest at 18.50 per cent a year (since 1 January 2026)"
        );
        let polish = say(Language::Pl, &cap);
        assert!(polish.contains("18,50") && polish.contains("1.01.2026"), "{polish}");
        for lang in Language::ALL {
            let said = say(lang, &cap);
            assert!(!said.starts_with("invalid-"), "{lang:?}: {said}");
        }
    }

    fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }

    /// A reason whose id has no wording would reach the reader as the bare id.
    #[test]
    fn every_reason_the_code_gives_has_its_words() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut texts = Vec::new();
        sources(&root.join("shared"), &mut texts);
        sources(&root.join("functions"), &mut texts);
        let mut ids = std::collections::BTreeSet::new();
        for text in &texts {
            for (at, _) in text.match_indices("\"invalid-") {
                let id: String = text[at + 1..].chars().take_while(|c| *c != '"').collect();
                if id != "invalid-" {
                    ids.insert(id);
                }
            }
        }
        assert!(ids.len() > 50, "{ids:?}");
        let none = FluentArgs::new();
        let missing: Vec<&String> = ids
            .iter()
            .filter(|id| {
                crate::locale::wording(Language::En, id, &none)
                    .is_err_and(|e| e.to_string().contains("no such message"))
            })
            .collect();
        assert!(missing.is_empty(), "reasons without words: {missing:?}");
    }
}
