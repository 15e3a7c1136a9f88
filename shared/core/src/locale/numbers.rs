//! Money and figures as CLDR writes them: ICU4X's decimal formatter gives the digits, the grouping (with
//! CLDR's minimum grouping digits, so Estonian and Polish write `1234,56` but `12 345,67`) and the minus
//! sign; where the currency symbol goes and which symbol is used is CLDR's currency pattern for the
//! language, kept here because ICU4X's currency formatter is not yet stable.

use std::str::FromStr;
use std::sync::OnceLock;

use fixed_decimal::Decimal;
use icu_decimal::DecimalFormatter;

use super::Language;
use crate::model::money::Money;

fn formatter(lang: Language) -> &'static DecimalFormatter {
    static FORMATTERS: OnceLock<Vec<DecimalFormatter>> = OnceLock::new();
    let all = FORMATTERS.get_or_init(|| {
        Language::every()
            .map(|l| {
                DecimalFormatter::try_new(l.cldr_locale().into(), Default::default())
                    .expect("ICU4X's compiled data has every language Duly writes in")
            })
            .collect()
    });
    &all[lang.index()]
}

/// `plain` is a decimal as Rust writes it (`-1234.5`); anything else is returned as it came, since a
/// figure is never worth losing a page over.
fn cldr(lang: Language, plain: &str) -> String {
    match Decimal::from_str(plain) {
        Ok(d) => formatter(lang).format(&d).to_string(),
        Err(_) => plain.to_string(),
    }
}

/// The symbol CLDR gives a currency in a language; the code where CLDR has no local symbol, so that a
/// reader never mistakes one dollar or krona for another.
fn symbol(lang: Language, code: &str) -> String {
    match (code, lang) {
        ("EUR", _) => "€".into(),
        ("GBP", Language::En) => "£".into(),
        ("USD", Language::En) => "$".into(),
        ("PLN", Language::Pl) => "zł".into(),
        ("BGN", Language::Bg) => "лв.".into(),
        ("RON", Language::Ro) => "lei".into(),
        (code, _) => code.to_string(),
    }
}

/// CLDR's currency pattern: `¤#,##0.00` in English, `#,##0.00 ¤` in every other language Duly writes.
fn symbol_first(lang: Language) -> bool {
    lang == Language::En
}

/// `€1,234.56` in English, `1234,56 €` in Estonian (CLDR groups only from five digits there),
/// `1.234,56 €` in Romanian; no-break spaces throughout.
pub fn format_money(lang: Language, m: &Money) -> String {
    let digits = m.currency.minor_digits() as usize;
    let value = m.to_decimal();
    let sym = symbol(lang, m.currency.code());
    if !symbol_first(lang) {
        return format!("{}\u{a0}{sym}", cldr(lang, &format!("{value:.digits$}")));
    }
    let number = cldr(lang, &format!("{:.digits$}", value.abs()));
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    let one_sign = sym.chars().count() == 1 && sym.chars().all(|c| !c.is_ascii_alphabetic());
    let gap = if one_sign { "" } else { "\u{a0}" };
    format!("{sign}{sym}{gap}{number}")
}

/// Several amounts, one per currency, as one phrase: `€1,250.00 + 300.00 zł`.
pub fn format_amounts(lang: Language, amounts: &[Money]) -> String {
    amounts
        .iter()
        .map(|m| format_money(lang, m))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A decimal figure as Rust writes it (`"33.2"`, `"-1234"`) the way `lang` writes numbers.
pub fn format_decimal(lang: Language, plain: &str) -> String {
    cldr(lang, plain)
}

/// A whole number as `lang` writes it; for a chart's short labels.
pub fn format_whole(lang: Language, n: i64) -> String {
    formatter(lang).format(&Decimal::from(n)).to_string()
}
