//! The letter in each of Duly's languages, rendered to PDF and read back: every line the layout prints is
//! in the text a PDF reader extracts, so the fonts carry every letter of every language.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;

use duly_core::country_rules::Applied;
use duly_core::ledger::{merge, Invoice};
use duly_core::locale::Language;
use duly_core::messages::letter::{formal_letter, LetterInput};
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::money::{Currency, Money};
use duly_core::model::{Creditor, Debtor};
use duly_core::policy::Policy;
use duly_core::webhooks::canonical::{DocumentStatus, InvoiceFact, InvoiceSnapshot};
use duly_letter::layout::{lay_out, Mark};

fn creditor() -> Creditor {
    serde_json::from_value(json!({
        "creditor_id": "nordwind",
        "branding": {
            "trading_name": "Nordwind Tools OÜ", "sender_name": "Nordwind", "from_address": "ar@nordwind.example",
            "reply_to": "ar@nordwind.example", "logo_url": null, "brand_colour": "#0b7285",
            "signature": "Mari Maasikas\nNordwind Tools", "legal_footer": "Nordwind Tools OÜ, Pärnu mnt 10, Tallinn",
            "sms_sender_id": null, "registry_code": "12345678", "vat_number": "EE101234567",
            "address": "Pärnu mnt 10, 10148 Tallinn",
            "bank_account": {"iban": "EE382200221020145685", "bic": "HABAEE2X"}
        },
        "country": "EE", "time_zone": "Europe/Tallinn", "language": "et",
        "policy": serde_json::to_value(Policy::default()).unwrap(),
    }))
    .expect("a creditor reads from JSON")
}

/// A debtor whose name and country are of the language's own script and place.
fn debtor(lang: Language) -> Debtor {
    let (name, country) = match lang {
        Language::Bg => ("Иван Петров ЕООД", "BG"),
        Language::Ru => ("ООО «Северный ветер»", "LV"),
        Language::De => ("Müller & Söhne GmbH", "DE"),
        Language::Pl => ("Zażółć Gęślą Sp. z o.o.", "PL"),
        Language::Ro => ("Țesătoria Ștefănescu SRL", "RO"),
        Language::Lt => ("UAB „Žąsų ūkis“", "LT"),
        Language::Lv => ("Anna Bērziņa", "LV"),
        Language::Fi => ("Äänekosken Työkalu Oy", "FI"),
        Language::Et => ("Õunapuu & Pärn OÜ", "EE"),
        _ => ("Oak & Birch Ltd", "GB"),
    };
    serde_json::from_value(json!({
        "creditor_id": "nordwind", "debtor_id": "cus-1", "name": name, "email": "ap@debtor.example",
        "phone": null, "language": lang.code(), "country": country, "time_zone": null,
        "updated_at": "2026-11-01T00:00:00Z"
    }))
    .expect("a debtor reads from JSON")
}

fn invoice(number: &str, due: NaiveDate, minor: i64) -> Invoice {
    let eur = Currency::parse("EUR").unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let fact = InvoiceFact::Upserted(InvoiceSnapshot {
        invoice_id: InvoiceId::parse(number).unwrap(),
        number: number.into(),
        debtor_id: DebtorId::parse("cus-1").unwrap(),
        total: Money { minor, currency: eur },
        amount_due: Money { minor, currency: eur },
        issue_date: None,
        due_date: due,
        status: DocumentStatus::Open,
        pay_url: Some(format!("https://pay.nordwind.example/i/{number}")),
        bill_to: Vec::new(),
        updated_at: at,
    });
    merge(None, &CreditorId::parse("nordwind").unwrap(), &fact, at)
        .unwrap()
        .unwrap()
}

/// Runs of whitespace as one space: a PDF reader's spacing is its own.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_letter_in_every_language_reads_back_line_by_line() {
    let c = creditor();
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let invoices = vec![
        invoice("INV-1008", day(24), 18_000),
        invoice("INV-1011", day(27), 42_050),
    ];
    let eur = |minor| {
        Some(Money {
            minor,
            currency: Currency::parse("EUR").unwrap(),
        })
    };
    let charges = HashMap::from([(InvoiceId::parse("INV-1008").unwrap(), (eur(104), eur(4_000)))]);
    for lang in Language::ALL {
        let d = debtor(lang);
        let rules = Applied::for_debtor(d.country.as_deref(), false);
        let letter = formal_letter(&LetterInput {
            creditor: &c,
            debtor: &d,
            invoices: &invoices,
            charges: &charges,
            lang,
            today: NaiveDate::from_ymd_opt(2026, 12, 16).unwrap(),
            rules: &rules,
        })
        .unwrap_or_else(|e| panic!("{lang:?}: {e}"));
        let bytes = duly_letter::pdf(&letter).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
        let read = squeeze(&pdf_extract::extract_text_from_mem(&bytes).unwrap());
        let printed: Vec<String> = lay_out(&letter)
            .into_iter()
            .flatten()
            .filter_map(|m| match m {
                Mark::Text { text, .. } => Some(text),
                Mark::Rule { .. } => None,
            })
            .collect();
        assert!(printed.len() > 20, "{lang:?}: {printed:?}");
        for line in &printed {
            assert!(
                read.contains(&squeeze(line)),
                "{lang:?}: \"{line}\" is not in the PDF's text:\n{read}"
            );
        }
        for must in [
            letter.title.as_str(),
            d.name.as_str(),
            "INV-1008",
            "INV-1011",
            "EE382200221020145685",
        ] {
            assert!(read.contains(must), "{lang:?}: {must}");
        }
    }
}
