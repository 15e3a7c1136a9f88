//! What a debtor's recorded answer says in their own words: the detail of an answer is kept as Duly's
//! summary (`disputes it: …`, `promises to pay by …`), from which a page shows only the debtor's reason or
//! the date, in the reader's language.

use chrono::NaiveDate;

use crate::locale::{format_date, Language};

pub const DISPUTES_IT: &str = "disputes it: ";
pub const PROMISES_BY: &str = "promises to pay by ";

/// A dispute's reason as the debtor wrote it, a promise's date as `lang` writes dates; nothing for the
/// rest, whose detail is Duly's own summary.
pub fn answer_words(lang: Language, action: &str, detail: &str) -> Option<String> {
    match action {
        "dispute" => detail.strip_prefix(DISPUTES_IT).map(str::to_string),
        "promise" => detail
            .strip_prefix(PROMISES_BY)
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .map(|d| format_date(lang, d)),
        _ => None,
    }
}
