use std::collections::HashMap;

use super::*;
use crate::country_rules::Applied;
use crate::model::money::Currency;
use crate::model::BankAccount;
use crate::testing::{creditor, day, debtor, invoice_due};

fn eur(minor: i64) -> Money {
    Money {
        minor,
        currency: Currency::parse("EUR").unwrap(),
    }
}

fn letter(
    country: &str,
    consumer: bool,
    lang: Language,
    charges: &HashMap<InvoiceId, (Option<Money>, Option<Money>)>,
) -> Letter {
    let mut c = creditor();
    c.branding.bank_account = Some(BankAccount {
        iban: "EE382200221020145685".into(),
        bic: Some("HABAEE2X".into()),
    });
    c.branding.registry_code = Some("12345678".into());
    c.branding.address = Some("Pärnu mnt 10\n10148 Tallinn".into());
    let mut d = debtor();
    d.name = "Anna Bērziņa".into();
    d.country = Some(country.into());
    let mut second = invoice_due("b", day(2026, 11, 20), 4_000);
    if let Some(doc) = second.doc.as_mut() {
        doc.pay_url = Some("https://pay.example/b".into());
    }
    let invoices = vec![invoice_due("a", day(2026, 11, 24), 18_000), second];
    let rules = Applied::for_debtor(Some(country), consumer);
    formal_letter(&LetterInput {
        creditor: &c,
        debtor: &d,
        invoices: &invoices,
        charges,
        lang,
        today: day(2026, 12, 16),
        rules: &rules,
    })
    .unwrap()
}

fn text(l: &Letter) -> String {
    [l.before_table.clone(), l.after_table.clone()].concat().join("\n")
}

#[test]
fn a_latvian_demand_gives_21_days_and_says_how_to_object() {
    let l = letter("LV", true, Language::Lv, &HashMap::new());
    assert_eq!(l.title, "Oficiāls brīdinājums par samaksu");
    let words = text(&l);
    assert!(
        words.contains("Lūdzam samaksāt 220,00\u{a0}€ līdz 06.01.2027."),
        "{words}"
    );
    assert!(
        words.contains("rakstiski ar pamatojumu paziņot līdz 06.01.2027"),
        "{words}"
    );
    assert!(words.contains("https://pay.example/b"), "{words}");
    assert!(words.contains("EE382200221020145685"), "{words}");
    // Oldest due date first.
    assert_eq!(
        l.lines.iter().map(|l| l.number.as_str()).collect::<Vec<_>>(),
        ["INV-b", "INV-a"]
    );
    assert_eq!(
        l.letterhead[..3],
        ["Acme".to_string(), "Pärnu mnt 10".into(), "10148 Tallinn".into()]
    );
    assert_eq!(file_name(&l, day(2026, 12, 16)), "demand-INV-b-2026-12-16.pdf");
}

#[test]
fn a_german_demand_gives_ten_days_and_no_objection_paragraph() {
    let l = letter("DE", false, Language::De, &HashMap::new());
    assert_eq!(l.title, "Förmliche Zahlungsaufforderung");
    let words = text(&l);
    assert!(words.contains("bis zum 26.12.2026"), "{words}");
    assert!(!words.contains("schriftlich mit Begründung"), "{words}");
    assert!(!l.states.contains(&DemandItem::Objection));
}

#[test]
fn without_a_pack_a_demand_gives_14_days_and_lists_the_charges_in_its_total() {
    let a = InvoiceId::parse("a").unwrap();
    let charges = HashMap::from([(a, (Some(eur(1_043)), Some(eur(4_000))))]);
    let l = letter("EE", false, Language::En, &charges);
    assert!(l.charged);
    let words = text(&l);
    assert!(words.contains("Please pay €270.43 by 30 December 2026."), "{words}");
    assert!(words.contains("The amount due is €220.00."), "{words}");
    assert!(words.contains("€270.43 is owed in all"), "{words}");
    let inv_a = l.lines.iter().find(|l| l.number == "INV-a").unwrap();
    assert_eq!(
        (inv_a.interest.as_str(), inv_a.compensation.as_str()),
        ("€10.43", "€40.00")
    );
    assert_eq!(l.total.1, "€270.43");
}
