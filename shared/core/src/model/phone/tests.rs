use proptest::prelude::*;

use super::*;

fn ok(raw: &str, country: Option<&str>) -> (String, PhoneKind) {
    read(raw, country).unwrap_or_else(|e| panic!("{raw} in {country:?}: {e}"))
}

#[test]
fn numbers_of_six_countries_as_people_write_them_become_e164_with_their_kind() {
    use PhoneKind::{Landline, Mobile};
    let cases = [
        ("+44 (0)20 7946 0000", Some("GB"), "+442079460000", Landline),
        ("020 7946 0000", Some("GB"), "+442079460000", Landline),
        ("07911 123456", Some("gb"), "+447911123456", Mobile),
        ("+49 (0)151 2345 6789", None, "+4915123456789", Mobile),
        ("0151 23456789", Some("DE"), "+4915123456789", Mobile),
        ("030 123456", Some("DE"), "+4930123456", Landline),
        ("(201) 555-0123", Some("US"), "+12015550123", Mobile),
        ("+1 415 555 2671", Some("EE"), "+14155552671", Mobile),
        ("512 345 678", Some("PL"), "+48512345678", Mobile),
        ("22 123 45 67", Some("PL"), "+48221234567", Landline),
        ("21234567", Some("LV"), "+37121234567", Mobile),
        ("67123456", Some("LV"), "+37167123456", Landline),
        ("5551 2345", Some("EE"), "+37255512345", Mobile),
        ("+372 5551 2345", None, "+37255512345", Mobile),
        ("6123456", Some("EE"), "+3726123456", Landline),
    ];
    for (raw, country, e164, kind) in cases {
        assert_eq!(ok(raw, country), (e164.to_string(), kind), "{raw} in {country:?}");
    }
}

#[test]
fn what_is_not_a_number_is_refused_with_the_reason() {
    assert_eq!(read("call the office", Some("GB")), Err(PhoneProblem::NotANumber));
    assert_eq!(read("5551 2345", None), Err(PhoneProblem::NoCountry));
    assert_eq!(read("(555) 555-5555", Some("US")), Err(PhoneProblem::NotValid));
    assert_eq!(read("123", Some("GB")), Err(PhoneProblem::NotValid));
    assert_eq!(
        read(&"1".repeat(MAX_GIVEN + 1), Some("GB")),
        Err(PhoneProblem::NotANumber)
    );
    assert_eq!(read("+372 5551\n2345", None), Err(PhoneProblem::NotANumber));
}

#[test]
fn a_mobile_is_preferred_then_a_landline_then_the_first_refusal_is_kept() {
    let both = best(["020 7946 0000", "07911 123456"], Some("GB"));
    assert_eq!(both, ContactPhone::mobile("+447911123456"));
    let landline = best(["nope", "020 7946 0000"], Some("GB"));
    assert_eq!(
        (landline.number.as_deref(), landline.kind, landline.refused),
        (Some("+442079460000"), PhoneKind::Landline, None)
    );
    let none = best(["ask for Mari", "  ", "123"], Some("EE"));
    assert_eq!(none.number, None);
    assert_eq!(
        none.refused,
        Some(RefusedPhone {
            given: "ask for Mari".into(),
            problem: PhoneProblem::NotANumber
        })
    );
    assert_eq!(best([], Some("EE")), ContactPhone::default());
}

proptest! {
    // Platforms pass free text through: whatever it is, reading it answers and never panics.
    #[test]
    fn any_text_is_read_or_refused(raw in "[0-9+() .\\-/a-zA-Z#*]{0,45}", country in "(GB|DE|US|EE|LV|PL|XX)?") {
        let country = (!country.is_empty()).then_some(country.as_str());
        if let Ok((e164, _)) = read(&raw, country) {
            prop_assert!(e164.starts_with('+') && e164.len() <= 16);
        }
    }
}
