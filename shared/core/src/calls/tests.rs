use super::*;
use crate::model::money::{Currency, Money};

fn line(number: &str, minor: i64, due: NaiveDate) -> ReminderLine {
    ReminderLine {
        number: number.into(),
        amount_due: Money {
            minor,
            currency: Currency::parse("EUR").unwrap(),
        },
        due_date: due,
        days_overdue: 10,
        pay_url: None,
        settlement: None,
    }
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

#[test]
fn the_script_names_the_creditor_the_invoices_and_the_due_date_in_every_language() {
    let lines = [line("INV-1001", 125_000, day(1)), line("INV-1005", 32_000, day(9))];
    for lang in Language::ALL {
        let said = script(lang, "Nordwind Tools OÜ", "Tamm & Sons OÜ", &lines).unwrap();
        assert_eq!(said.len(), 4, "{lang:?}");
        assert!(said[0].contains("Nordwind Tools OÜ"), "{lang:?}: {}", said[0]);
        assert!(said[1].contains(&format_date(lang, day(1))), "{lang:?}: {}", said[1]);
    }
    let said = script(Language::Et, "Nordwind Tools OÜ", "Tamm & Sons OÜ", &lines).unwrap();
    assert_eq!(
        said[0],
        "Tere, helistan ettevõttest Nordwind Tools OÜ seoses: 2 tasumata arvet, kokku 1570,00\u{a0}€."
    );
    let one = script(Language::En, "Nordwind", "Tamm", &lines[..1]).unwrap();
    assert!(one[0].contains("invoice INV-1001 (€1,250.00)"), "{}", one[0]);
}

#[test]
fn an_outcome_is_read_with_its_bounds() {
    let today = day(14);
    assert_eq!(Outcome::parse("reached", None, None, today), Ok(Outcome::Reached));
    assert_eq!(Outcome::parse("no_answer", None, None, today), Ok(Outcome::NoAnswer));
    assert_eq!(
        Outcome::parse("promised", Some("2026-12-22"), None, today),
        Ok(Outcome::Promised(day(22)))
    );
    assert_eq!(
        Outcome::parse("promised", Some("2026-12-13"), None, today)
            .unwrap_err()
            .field,
        "date"
    );
    assert_eq!(
        Outcome::parse("promised", Some("2027-03-15"), None, today)
            .unwrap_err()
            .field,
        "date"
    );
    assert_eq!(Outcome::parse("promised", None, None, today).unwrap_err().field, "date");
    assert_eq!(
        Outcome::parse("disputed", None, Some("  "), today).unwrap_err().field,
        "reason"
    );
    assert_eq!(
        Outcome::parse("disputed", None, Some("a\u{7}b"), today)
            .unwrap_err()
            .field,
        "reason"
    );
    assert_eq!(
        Outcome::parse("disputed", None, Some(" wrong price "), today),
        Ok(Outcome::Disputed("wrong price".into()))
    );
    assert_eq!(
        Outcome::parse("shouted", None, None, today).unwrap_err().field,
        "outcome"
    );
}

#[test]
fn a_promise_or_a_dispute_on_the_phone_changes_the_invoice_as_the_debtor_answering_would() {
    let now: DateTime<Utc> = "2026-12-14T10:00:00Z".parse().unwrap();
    let mut controls = InvoiceControls::default();
    assert!(!Outcome::Reached.apply(&mut controls, now));
    assert!(!Outcome::NoAnswer.apply(&mut controls, now));
    assert_eq!(controls, InvoiceControls::default());
    assert!(Outcome::Promised(day(22)).apply(&mut controls, now));
    assert_eq!(controls.promise, Some(Promise { date: day(22), at: now }));
    assert!(Outcome::Disputed("wrong price".into()).apply(&mut controls, now));
    assert_eq!(
        controls.dispute.as_ref().map(|d| d.reason.as_str()),
        Some("wrong price")
    );
}

#[test]
fn a_task_is_named_by_its_day_and_debtor() {
    let task = CallTask {
        debtor_id: DebtorId::parse("cus-tamm".to_string()).unwrap(),
        day: day(15),
        invoices: vec![],
        steps: vec![],
        created_at: "2026-12-15T07:00:00Z".parse().unwrap(),
    };
    assert_eq!(task.id(), "2026-12-15.cus-tamm");
    assert_eq!(CallTask::parse_id(&task.id()), Some((day(15), task.debtor_id.clone())));
    assert_eq!(CallTask::parse_id("yesterday.cus-tamm"), None);
}
