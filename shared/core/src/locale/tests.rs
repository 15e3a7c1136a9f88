use chrono::NaiveDate;

use super::*;
use crate::model::money::{Currency, Money};

fn money(code: &str, amount: &str) -> Money {
    let currency = Currency::parse(code).unwrap();
    match amount.strip_prefix('-') {
        Some(positive) => {
            let m = currency.parse_amount(positive).unwrap();
            Money {
                minor: -m.minor,
                currency,
            }
        }
        None => currency.parse_amount(amount).unwrap(),
    }
}

const NB: char = '\u{a0}';

/// Each language's money at four magnitudes and below zero, as CLDR writes it: a four-digit amount is
/// grouped only where CLDR's minimum grouping digits is 1 (English, Russian, Lithuanian, Romanian).
#[test]
fn money_follows_cldr_in_every_language_at_every_magnitude() {
    let amounts = ["999.99", "1234.56", "12345.67", "1234567.89", "-1234.5"];
    let expected: [(Language, [&str; 5]); 10] = [
        (
            Language::En,
            ["€999.99", "€1,234.56", "€12,345.67", "€1,234,567.89", "-€1,234.50"],
        ),
        (
            Language::Et,
            ["999,99 €", "1234,56 €", "12 345,67 €", "1 234 567,89 €", "−1234,50 €"],
        ),
        (
            Language::Ru,
            ["999,99 €", "1 234,56 €", "12 345,67 €", "1 234 567,89 €", "-1 234,50 €"],
        ),
        (
            Language::Lv,
            ["999,99 €", "1234,56 €", "12 345,67 €", "1 234 567,89 €", "-1234,50 €"],
        ),
        (
            Language::Lt,
            ["999,99 €", "1 234,56 €", "12 345,67 €", "1 234 567,89 €", "−1 234,50 €"],
        ),
        (
            Language::Pl,
            ["999,99 €", "1234,56 €", "12 345,67 €", "1 234 567,89 €", "-1234,50 €"],
        ),
        (
            Language::Bg,
            ["999,99 €", "1234,56 €", "12 345,67 €", "1 234 567,89 €", "-1234,50 €"],
        ),
        (
            Language::Ro,
            ["999,99 €", "1.234,56 €", "12.345,67 €", "1.234.567,89 €", "-1.234,50 €"],
        ),
        (
            Language::De,
            ["999,99 €", "1.234,56 €", "12.345,67 €", "1.234.567,89 €", "-1.234,50 €"],
        ),
        (
            Language::Fi,
            ["999,99 €", "1 234,56 €", "12 345,67 €", "1 234 567,89 €", "−1 234,50 €"],
        ),
    ];
    for (lang, want) in expected {
        let got: Vec<String> = amounts.iter().map(|a| format_money(lang, &money("EUR", a))).collect();
        let want: Vec<String> = want.iter().map(|w| w.replace(' ', &NB.to_string())).collect();
        assert_eq!(got, want, "{lang:?}");
    }
}

#[test]
fn the_local_currency_has_its_local_symbol_and_others_their_code() {
    assert_eq!(format_money(Language::Pl, &money("PLN", "99.5")), "99,50\u{a0}zł");
    assert_eq!(format_money(Language::Bg, &money("BGN", "10")), "10,00\u{a0}лв.");
    assert_eq!(format_money(Language::Ro, &money("RON", "1500")), "1.500,00\u{a0}lei");
    assert_eq!(format_money(Language::En, &money("GBP", "1500")), "£1,500.00");
    assert_eq!(format_money(Language::En, &money("PLN", "1000")), "PLN\u{a0}1,000.00");
    assert_eq!(format_money(Language::Lt, &money("JPY", "1500")), "1\u{a0}500\u{a0}JPY");
    assert_eq!(format_money(Language::En, &money("KWD", "1.234")), "KWD\u{a0}1.234");
    assert_eq!(format_money(Language::Et, &money("EUR", "0")), "0,00\u{a0}€");
}

#[test]
fn figures_and_whole_numbers_are_grouped_as_the_language_groups() {
    assert_eq!(format_decimal(Language::Et, "33.2"), "33,2");
    assert_eq!(format_decimal(Language::En, "12500.5"), "12,500.5");
    assert_eq!(format_decimal(Language::Pl, "not a number"), "not a number");
    assert_eq!(format_whole(Language::Et, 1250), "1250");
    assert_eq!(format_whole(Language::Ru, 1250), "1\u{a0}250");
    assert_eq!(format_whole(Language::Ro, -12500), "-12.500");
}

#[test]
fn dates_follow_cldr_in_every_language() {
    let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let all: Vec<String> = Language::ALL.iter().map(|l| format_date(*l, d)).collect();
    assert_eq!(
        all,
        [
            "1 December 2026",
            "01.12.2026",
            "01.12.2026",
            "01.12.2026.",
            "2026-12-01",
            "01.12.2026",
            "1.12.2026\u{202f}г.",
            "01.12.2026",
            "01.12.2026",
            "1.12.2026"
        ]
    );
}

#[test]
fn reads_language_tags_and_countries() {
    assert_eq!(Language::parse("ru-EE"), Some(Language::Ru));
    assert_eq!(Language::parse("xx"), None);
    assert_eq!(Language::of_country("lv"), Some(Language::Lv));
    assert_eq!(Language::of_country("SE"), None);
    assert_eq!(Language::of_country("AT"), Some(Language::De));
    assert_eq!(Language::parse("fi-FI"), Some(Language::Fi));
    assert_eq!(
        Language::from_accept_language("sv-SE, de-AT;q=0.8, en;q=0.5"),
        Some(Language::De)
    );
    assert_eq!(Language::from_accept_language("sv, fr"), None);
}
