//! The eight languages Duly writes in, and how each writes money and dates (CLDR conventions: decimal comma
//! and a space or dot between thousands in the Baltic and Eastern European locales, symbols after the
//! amount there and before it in English).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Et,
    Ru,
    Lv,
    Lt,
    Pl,
    Bg,
    Ro,
}

impl Language {
    pub const ALL: [Language; 8] = [
        Language::En,
        Language::Et,
        Language::Ru,
        Language::Lv,
        Language::Lt,
        Language::Pl,
        Language::Bg,
        Language::Ro,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Et => "et",
            Language::Ru => "ru",
            Language::Lv => "lv",
            Language::Lt => "lt",
            Language::Pl => "pl",
            Language::Bg => "bg",
            Language::Ro => "ro",
        }
    }

    /// The language whose code is exactly `code` (`et`, not `ET` or `et-EE`): what Duly's own links and
    /// forms carry.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn parse(code: &str) -> Option<Language> {
        let primary = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Language::from_code(&primary)
    }

    /// The creditor's own language: the one they set, else their country's, else English.
    pub fn of_creditor(creditor: &crate::model::Creditor) -> Language {
        Language::parse(&creditor.language)
            .or_else(|| Language::of_country(&creditor.country))
            .unwrap_or(Language::En)
    }

    /// The language of a country's customers, where Duly speaks it.
    pub fn of_country(country: &str) -> Option<Language> {
        match country.to_ascii_uppercase().as_str() {
            "EE" => Some(Language::Et),
            "LV" => Some(Language::Lv),
            "LT" => Some(Language::Lt),
            "PL" => Some(Language::Pl),
            "BG" => Some(Language::Bg),
            "RO" | "MD" => Some(Language::Ro),
            "GB" | "IE" | "US" | "MT" => Some(Language::En),
            _ => None,
        }
    }
}

struct NumberStyle {
    decimal: char,
    group: char,
    symbol_first: bool,
}

fn style(lang: Language) -> NumberStyle {
    const NBSP: char = '\u{a0}';
    match lang {
        Language::En => NumberStyle {
            decimal: '.',
            group: ',',
            symbol_first: true,
        },
        Language::Ro => NumberStyle {
            decimal: ',',
            group: '.',
            symbol_first: false,
        },
        _ => NumberStyle {
            decimal: ',',
            group: NBSP,
            symbol_first: false,
        },
    }
}

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

/// `€1,234.56` in English, `1 234,56 €` in Estonian (with no-break spaces), `1.234,56 €` in Romanian.
/// Several amounts, one per currency, as one phrase: `€1,250.00 + 300.00 zł`.
pub fn format_amounts(lang: Language, amounts: &[Money]) -> String {
    amounts
        .iter()
        .map(|m| format_money(lang, m))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A decimal figure (`"33.2"`) with the locale's decimal sign.
pub fn format_decimal(lang: Language, plain: &str) -> String {
    plain.replace('.', &style(lang).decimal.to_string())
}

/// Digits grouped in threes with `lang`'s separator: "12 500", "12,500".
fn grouped(lang: Language, digits: &str) -> String {
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(style(lang).group);
        }
        out.push(ch);
    }
    out
}

/// A whole number grouped as `lang` groups digits; for a chart's short labels.
pub fn format_whole(lang: Language, n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", grouped(lang, &n.unsigned_abs().to_string()))
}

pub fn format_money(lang: Language, m: &Money) -> String {
    let s = style(lang);
    let digits = m.currency.minor_digits() as usize;
    let plain = format!("{:.*}", digits, m.to_decimal());
    let (int_part, frac_part) = plain.split_once('.').unwrap_or((&plain, ""));
    let grouped = grouped(lang, int_part);
    let number = if frac_part.is_empty() {
        grouped
    } else {
        format!("{grouped}{}{frac_part}", s.decimal)
    };
    let sym = symbol(lang, m.currency.code());
    let prefix_symbol = sym.chars().count() == 1 && sym.chars().all(|c| !c.is_ascii_alphabetic());
    match (s.symbol_first, prefix_symbol) {
        (true, true) => format!("{sym}{number}"),
        (true, false) => format!("{sym}\u{a0}{number}"),
        (false, _) => format!("{number}\u{a0}{sym}"),
    }
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `1 December 2026` in English; the locale's numeric date elsewhere (`01.12.2026`, `2026-12-01` in
/// Lithuanian, `01.12.2026 г.` in Bulgarian), which reads naturally in any grammatical case.
pub fn format_date(lang: Language, d: NaiveDate) -> String {
    let (day, month, year) = (d.day(), d.month(), d.year());
    match lang {
        Language::En => format!("{day} {} {year}", EN_MONTHS[d.month0() as usize]),
        Language::Lt => format!("{year}-{month:02}-{day:02}"),
        Language::Bg => format!("{day:02}.{month:02}.{year}\u{a0}г."),
        _ => format!("{day:02}.{month:02}.{year}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::money::Currency;

    fn money(code: &str, amount: &str) -> Money {
        Currency::parse(code).unwrap().parse_amount(amount).unwrap()
    }

    #[test]
    fn formats_money_per_locale() {
        let m = money("EUR", "1234.56");
        assert_eq!(format_money(Language::En, &m), "€1,234.56");
        assert_eq!(format_money(Language::Et, &m), "1\u{a0}234,56\u{a0}€");
        assert_eq!(format_money(Language::Ro, &m), "1.234,56\u{a0}€");
        assert_eq!(
            format_money(Language::Ru, &money("EUR", "1234567.8")),
            "1\u{a0}234\u{a0}567,80\u{a0}€"
        );
        assert_eq!(format_money(Language::Pl, &money("PLN", "99.5")), "99,50\u{a0}zł");
        assert_eq!(format_money(Language::Bg, &money("BGN", "10")), "10,00\u{a0}лв.");
        assert_eq!(format_money(Language::En, &money("PLN", "1000")), "PLN\u{a0}1,000.00");
        assert_eq!(format_money(Language::Lt, &money("JPY", "1500")), "1\u{a0}500\u{a0}JPY");
        assert_eq!(format_money(Language::En, &money("KWD", "1.234")), "KWD\u{a0}1.234");
    }

    #[test]
    fn formats_dates_per_locale() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let all: Vec<String> = Language::ALL.iter().map(|l| format_date(*l, d)).collect();
        assert_eq!(
            all,
            [
                "1 December 2026",
                "01.12.2026",
                "01.12.2026",
                "01.12.2026",
                "2026-12-01",
                "01.12.2026",
                "01.12.2026\u{a0}г.",
                "01.12.2026"
            ]
        );
    }

    #[test]
    fn reads_language_tags_and_countries() {
        assert_eq!(Language::parse("ru-EE"), Some(Language::Ru));
        assert_eq!(Language::parse("fi"), None);
        assert_eq!(Language::of_country("lv"), Some(Language::Lv));
        assert_eq!(Language::of_country("DE"), None);
    }
}
