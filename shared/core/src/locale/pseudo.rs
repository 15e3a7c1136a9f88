//! The pseudo-locale, built only for tests (`pseudo-locale` feature): English wording with every letter
//! of the language file accented and each message bracketed, `⟦Ýóúř íñvóíćé⟧`. A page, message or file
//! rendered in it shows any word that did not come from the language files: Duly's own English left in
//! code or a template, a raw code, an unformatted date.

use std::borrow::Cow;

pub const OPEN: char = '⟦';
pub const CLOSE: char = '⟧';

/// The language file's own text, accented; what a message fills in (names, amounts, links) is not.
pub(crate) fn accent(text: &str) -> Cow<'_, str> {
    const PLAIN: &str = "aeiouyAEIOUYcnrsz";
    const MARKED: &str = "áéíóúýÁÉÍÓÚÝćñřšž";
    if !text.chars().any(|c| PLAIN.contains(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match PLAIN.find(c) {
                Some(i) => MARKED.chars().nth(PLAIN[..i].chars().count()).unwrap_or(c),
                None => c,
            })
            .collect(),
    )
}

pub(crate) fn bracket(text: String) -> String {
    format!("{OPEN}{text}{CLOSE}")
}

/// The words of `visible` that stand outside every bracket and are not among `data` (names, numbers,
/// addresses, brand names the test put there): what a reader of another language would see in English or
/// as a code.
pub fn leaks(visible: &str, data: &[&str]) -> Vec<String> {
    let mut outside = String::new();
    let mut depth = 0usize;
    for c in visible.chars() {
        match c {
            OPEN => depth += 1,
            CLOSE => depth = depth.saturating_sub(1),
            c if depth == 0 => outside.push(c),
            _ => outside.push(' '),
        }
    }
    // Data is taken out whole first: a name of several words, then addresses, links and the `{name}`
    // placeholders a creditor types.
    let mut rest: String = outside
        .split_whitespace()
        .filter(|chunk| !is_address(chunk))
        .collect::<Vec<_>>()
        .join(" ");
    let mut data: Vec<&str> = data.iter().copied().filter(|d| !d.is_empty()).collect();
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    for d in data {
        rest = rest.replace(d, " ");
    }
    let mut found: Vec<String> = rest
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
        .map(|w| w.trim_matches('-'))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| !is_data_like(w))
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// A link, an e-mail address, a host name shown for a link, or a `{placeholder}`: data in any language.
fn is_address(chunk: &str) -> bool {
    let placeholder = chunk.starts_with('{') && chunk.ends_with('}');
    chunk.contains("://") || chunk.contains('@') || placeholder || is_host(chunk.trim_end_matches([',', '.', ')']))
}

/// A host name shown for a link: `riigiteataja.ee`.
fn is_host(chunk: &str) -> bool {
    chunk.contains('.')
        && chunk
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase()))
        && chunk
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

/// Words any language shows as they are (currency codes, IBAN and BIC, SHA-256), and identifiers: a
/// hash or its prefix, a provider's message id.
fn is_data_like(word: &str) -> bool {
    let hex = word.len() >= 12 && word.chars().all(|c| c.is_ascii_hexdigit());
    let provider_id = word.len() >= 40 && word.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    hex || provider_id
        || matches!(
            word,
            "EUR"
                | "GBP"
                | "USD"
                | "PLN"
                | "BGN"
                | "RON"
                | "CSV"
                | "SMS"
                | "IBAN"
                | "BIC"
                | "API"
                | "DSO"
                | "PDF"
                | "SHA-256"
                | "UTC"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_stands_outside_the_brackets_and_is_not_data_is_a_leak() {
        assert_eq!(accent("Pay now"), "Páý ñów");
        let page = "⟦Ówéd⟧ Tamm & Sons OÜ · 1 250,00 € · due after-7 ⟦ýóú⟧ Invoice";
        assert_eq!(leaks(page, &["Tamm & Sons OÜ"]), ["Invoice", "after-7", "due"]);
        assert!(leaks("⟦á ⟦nested⟧ b⟧ EUR 12", &[]).is_empty());
    }
}
