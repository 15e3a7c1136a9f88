//! Reasons for a refusal said in a reader's language: numbers, amounts and dates in their way.

use std::fmt;

use fluent_bundle::{FluentArgs, FluentValue};

use crate::messages::locale::{format_date, format_decimal, Language};
use crate::messages::render::wording_or_id;
use crate::policy::refusal::{Arg, Reason};

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
                crate::messages::render::wording(Language::En, id, &none)
                    .is_err_and(|e| e.to_string().contains("no such message"))
            })
            .collect();
        assert!(missing.is_empty(), "reasons without words: {missing:?}");
    }
}
