//! Worked examples, computed by hand in the comments (interest = balance × rate × days / basis, in cents,
//! each stretch exact, the total rounded half-up once), and properties of the engine.

use proptest::prelude::*;

use super::*;
use crate::model::money::Currency;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn money(minor: i64, currency: &str) -> Money {
    Money {
        minor,
        currency: Currency::parse(currency).unwrap(),
    }
}

/// The total in minor units, and each stretch as (first day, days, rate).
fn interest(
    country: &str,
    minor: i64,
    currency: &str,
    due: &str,
    paid: &[(&str, i64)],
    until: &str,
) -> (i64, Vec<(String, i64, String)>) {
    let changes: Vec<BalanceChange> = paid
        .iter()
        .map(|(on, balance)| BalanceChange {
            on: day(on),
            balance: *balance,
        })
        .collect();
    let i = late_interest(
        RateBook::seed(),
        country,
        money(minor, currency),
        day(due),
        &changes,
        day(until),
        None,
    )
    .unwrap();
    let stretches = i
        .stretches
        .iter()
        .map(|s| (s.from.to_string(), s.days, s.rate.to_string()))
        .collect();
    (i.total.minor, stretches)
}

#[test]
fn estonia_within_one_period_across_a_half_year_and_after_a_part_payment() {
    // €1,000.00 due Mon 10 March 2025, on 9 April: 11–31 March (21 days) + 1–9 April (9) = 30 days at the
    // ECB's 3.15 % + 8 = 11.15 %: 100 000 × 0.1115 × 30 / 365 = 916.438… → €9.16.
    assert_eq!(interest("EE", 100_000, "EUR", "2025-03-10", &[], "2025-04-09").0, 916);
    // Due 20 June 2025, on 10 July: 21–30 June, 10 days at 11.15 % = 305.479…; 1–10 July, 10 days at
    // 2.15 % + 8 = 10.15 % = 278.082…; together 583.561… → €5.84 (each half-year exact, rounded once).
    let (total, stretches) = interest("EE", 100_000, "EUR", "2025-06-20", &[], "2025-07-10");
    assert_eq!(total, 584);
    assert_eq!(
        stretches,
        [
            ("2025-06-21".into(), 10, "11.15".into()),
            ("2025-07-01".into(), 10, "10.15".into())
        ]
    );
    // Due 1 September 2025, €400 paid on 11 September: 2–11 September on €1,000 (10 days) = 278.082…;
    // from 12 September on €600, to the 30th (19 days) = 60 000 × 0.1015 × 19 / 365 = 317.013…;
    // 595.095… → €5.95.
    assert_eq!(
        interest(
            "EE",
            100_000,
            "EUR",
            "2025-09-01",
            &[("2025-09-11", 60_000)],
            "2025-09-30"
        )
        .0,
        595
    );
}

#[test]
fn latvia_as_estonia_and_never_more_than_the_principal() {
    // €1,000.00 due 10 March 2025, on 9 April: 11–31 March (21) + 1–9 April (9) = 30 days at 3.15 % + 8 =
    // 11.15 %: 100 000 × 0.1115 × 30 / 365 = 916.438… → €9.16.
    assert_eq!(interest("LV", 100_000, "EUR", "2025-03-10", &[], "2025-04-09").0, 916);
    // Due 20 June 2025, on 10 July: 21–30 June (10 days) at 11.15 % = 305.479…; 1–10 July (10 days) at
    // 2.15 % + 8 = 10.15 % = 278.082…; 583.561… → €5.84.
    assert_eq!(interest("LV", 100_000, "EUR", "2025-06-20", &[], "2025-07-10").0, 584);
    // Due 1 September 2025, €400 paid on 11 September: 2–11 September (10 days) on €1,000 at 10.15 % =
    // 278.082…; 12–30 September (19 days) on €600 = 60 000 × 0.1015 × 19 / 365 = 317.013…; 595.095… → €5.95.
    assert_eq!(
        interest(
            "LV",
            100_000,
            "EUR",
            "2025-09-01",
            &[("2025-09-11", 60_000)],
            "2025-09-30"
        )
        .0,
        595
    );
    // €100.00 at an agreed 100 % from 1 January 2025 to 1 March 2026: 424 days would make
    // 10 000 × 1 × 424 / 365 = 11 616.4… cents, more than the €100 owed: it stops at €100.00.
    let capped = late_interest(
        RateBook::seed(),
        "LV",
        money(10_000, "EUR"),
        day("2025-01-01"),
        &[],
        day("2026-03-01"),
        Some(ContractRate(Decimal::from(100))),
    )
    .unwrap();
    assert_eq!((capped.total.minor, capped.capped), (10_000, true));
}

#[test]
fn lithuania_counts_a_leap_february_by_its_days_over_365() {
    // €2,500.00 due 15 February 2024, on 15 March: 16–29 February (14 days) + 1–15 March (15) = 29 days at
    // 4.50 % + 8 = 12.50 %: 250 000 × 0.125 × 29 / 365 = 2 482.876… → €24.83.
    assert_eq!(interest("LT", 250_000, "EUR", "2024-02-15", &[], "2024-03-15").0, 2_483);
    // Due 28 June 2024, on 5 July: 29–30 June at 12.50 % (2 days) = 171.232…; 1–5 July at
    // 4.25 % + 8 = 12.25 % (5 days) = 419.520…; 590.753… → €5.91.
    assert_eq!(interest("LT", 250_000, "EUR", "2024-06-28", &[], "2024-07-05").0, 591);
    // €1,000 of €2,500 paid on 29 February 2024: 16–29 February (14 days) on €2,500 = 1 198.630…;
    // 1–15 March (15 days) on €1,500 = 150 000 × 0.125 × 15 / 365 = 770.547…; 1 969.178… → €19.69.
    assert_eq!(
        interest(
            "LT",
            250_000,
            "EUR",
            "2024-02-15",
            &[("2024-02-29", 150_000)],
            "2024-03-15"
        )
        .0,
        1_969
    );
    // €1,000.00 has been paid off on 30 June 2024 entirely: 29–30 June only, 100 000 × 0.125 × 2 / 365
    // = 68.493… → €0.68; nothing after.
    assert_eq!(
        interest("LT", 100_000, "EUR", "2024-06-28", &[("2024-06-30", 0)], "2024-07-05").0,
        68
    );
}

#[test]
fn finland_uses_the_ecb_rate_rounded_up_to_half_a_point() {
    // €1,000.00 due 10 March 2025, on 9 April: 30 days at 3.50 % (3.15 rounded up) + 8 = 11.50 %:
    // 100 000 × 0.115 × 30 / 365 = 945.205… → €9.45.
    assert_eq!(interest("FI", 100_000, "EUR", "2025-03-10", &[], "2025-04-09").0, 945);
    // Due 20 June 2025, on 10 July: 10 days at 11.50 % = 315.068…, 10 days at 2.50 % + 8 = 10.50 % =
    // 287.671…; 602.739… → €6.03.
    assert_eq!(interest("FI", 100_000, "EUR", "2025-06-20", &[], "2025-07-10").0, 603);
    // €500 of €1,000 paid on 20 March 2025: 11–20 March (10 days) on €1,000 at 11.50 % = 315.068…;
    // 21 March–9 April (20 days) on €500 = 50 000 × 0.115 × 20 / 365 = 315.068…; 630.136… → €6.30.
    assert_eq!(
        interest(
            "FI",
            100_000,
            "EUR",
            "2025-03-10",
            &[("2025-03-20", 50_000)],
            "2025-04-09"
        )
        .0,
        630
    );
}

#[test]
fn germany_moves_a_due_date_on_a_holiday_to_the_next_business_day() {
    // Due Thursday 1 May 2025, Labour Day: it moves to Friday 2 May, and interest runs from 3 May. To 31 May
    // that is 29 days at the Basiszinssatz 2.27 % + 9 = 11.27 %: 100 000 × 0.1127 × 29 / 365 = 895.424…
    // → €8.95.
    let (total, stretches) = interest("DE", 100_000, "EUR", "2025-05-01", &[], "2025-05-31");
    assert_eq!((total, stretches[0].0.as_str()), (895, "2025-05-03"));
    // Estonia (1 May is a holiday there too) does not move it: interest runs from 2 May, 30 days.
    assert_eq!(
        interest("EE", 100_000, "EUR", "2025-05-01", &[], "2025-05-31").1[0].1,
        30
    );
    // Due Wednesday 25 June 2025, on 4 July: 26–30 June (5 days) at 11.27 % = 154.383…; 1–4 July (4 days)
    // at 1.27 % + 9 = 10.27 % = 112.548…; 266.931… → €2.67.
    assert_eq!(interest("DE", 100_000, "EUR", "2025-06-25", &[], "2025-07-04").0, 267);
    // €600 paid on Friday 27 June: 26–27 June on €1,000 at 11.27 % (2 days) = 61.753…; 28–30 June on €400
    // (3 days) = 37.052…; 1–4 July on €400 at 10.27 % (4 days) = 45.019…; 143.824… → €1.44.
    assert_eq!(
        interest(
            "DE",
            100_000,
            "EUR",
            "2025-06-25",
            &[("2025-06-27", 40_000)],
            "2025-07-04"
        )
        .0,
        144
    );
}

#[test]
fn poland_adds_ten_points_to_the_nbp_rate_and_moves_a_weekend_due_date() {
    // PLN 10,000.00 due Monday 20 January 2025, on 19 February: 21–31 January (11) + 1–19 February (19) = 30
    // days at 5.75 % + 10 = 15.75 %: 1 000 000 × 0.1575 × 30 / 365 = 12 945.205… → PLN 129.45.
    assert_eq!(
        interest("PL", 1_000_000, "PLN", "2025-01-20", &[], "2025-02-19").0,
        12_945
    );
    // Due Friday 20 June 2025, on 10 July: 21–30 June (10 days) at 15.75 % = 4 315.068…; 1–10 July (10 days)
    // at 5.25 % + 10 = 15.25 % = 4 178.082…; 8 493.150… → PLN 84.93.
    assert_eq!(
        interest("PL", 1_000_000, "PLN", "2025-06-20", &[], "2025-07-10").0,
        8_493
    );
    // Due Saturday 28 June 2025: it moves to Monday 30 June; 1–10 July is 10 days at the rate of 1 July,
    // 5.25 % + 10 = 15.25 %: 1 000 000 × 0.1525 × 10 / 365 = 4 178.082… → PLN 41.78.
    let (total, stretches) = interest("PL", 1_000_000, "PLN", "2025-06-28", &[], "2025-07-10");
    assert_eq!((total, stretches.len()), (4_178, 1));
    // Into 2026, when the NBP rate of 1 January was 4.00 %: PLN 10,000.00 due Monday 15 December 2025, on 14
    // January 2026: 16–31 December (16 days) at 15.25 % = 1 000 000 × 0.1525 × 16 / 365 = 6 684.931…; 1–14
    // January (14 days) at 4.00 % + 10 = 14 % = 5 369.863…; 12 054.794… → PLN 120.55.
    assert_eq!(
        interest("PL", 1_000_000, "PLN", "2025-12-15", &[], "2026-01-14").0,
        12_055
    );
    // PLN 10,000.00 due 20 January 2025, PLN 6,000 paid on 31 January: 21–31 January (11 days) on the whole
    // = 4 746.575…; 1–19 February (19 days) on PLN 4,000 = 400 000 × 0.1575 × 19 / 365 = 3 279.452…;
    // 8 026.027… → PLN 80.26.
    assert_eq!(
        interest(
            "PL",
            1_000_000,
            "PLN",
            "2025-01-20",
            &[("2025-01-31", 400_000)],
            "2025-02-19"
        )
        .0,
        8_026
    );
}

#[test]
fn bulgaria_counts_360_days_a_year_on_the_bnb_rate_then_the_ecb_rate_since_the_euro() {
    // €1,000.00 due 2 February 2026, on 4 March: 3–28 February (26) + 1–4 March (4) = 30 days at
    // 2.15 % + 8 = 10.15 %, over 360: 100 000 × 0.1015 × 30 / 360 = 845.833… → €8.46.
    assert_eq!(interest("BG", 100_000, "EUR", "2026-02-02", &[], "2026-03-04").0, 846);
    // €400 paid on 12 February 2026: 3–12 February (10 days) on €1,000 = 100 000 × 0.1015 × 10 / 360 =
    // 281.944…; 13 February–4 March (20 days) on €600 = 338.333…; 620.277… → €6.20.
    assert_eq!(
        interest(
            "BG",
            100_000,
            "EUR",
            "2026-02-02",
            &[("2026-02-12", 60_000)],
            "2026-03-04"
        )
        .0,
        620
    );
    // Before the euro: the BNB base rate of 1 July 2025, 1.91 % + 10 = 11.91 %. BGN 1,000.00 due 3 November
    // 2025, on 1 December: 4–30 November (27) + 1 December (1) = 28 days: 100 000 × 0.1191 × 28 / 360 =
    // 926.333… → BGN 9.26.
    assert_eq!(interest("BG", 100_000, "BGN", "2025-11-03", &[], "2025-12-01").0, 926);
    // Across the euro's first day: €1,000.00 due 15 December 2025, on 14 January 2026: 16–31 December (16
    // days) at 11.91 % = 100 000 × 0.1191 × 16 / 360 = 529.333…; 1–14 January (14 days) at 10.15 % =
    // 394.722…; 924.055… → €9.24.
    let (total, stretches) = interest("BG", 100_000, "EUR", "2025-12-15", &[], "2026-01-14");
    assert_eq!(total, 924);
    assert_eq!(
        stretches,
        [
            ("2025-12-16".to_string(), 16, "11.91".to_string()),
            ("2026-01-01".to_string(), 14, "10.15".to_string())
        ]
    );
    // Before 2025 the table holds no Bulgarian rate, so nothing is guessed.
    assert!(matches!(
        late_interest(
            RateBook::seed(),
            "BG",
            money(100_000, "BGN"),
            day("2024-11-04"),
            &[],
            day("2024-12-02"),
            None
        ),
        Err(InterestError::RateUnknown { country: "BG", .. })
    ));
    // Half a cent rounds up: 36 cents at 100 % for 5 days over 360 = 0.5.
    let half = late_interest(
        RateBook::seed(),
        "BG",
        money(36, "EUR"),
        day("2026-01-01"),
        &[],
        day("2026-01-06"),
        Some(ContractRate(Decimal::from(100))),
    )
    .unwrap();
    assert_eq!(
        (half.exact.normalize().to_string(), half.total.minor),
        ("0.5".into(), 1)
    );
}

#[test]
fn romania_starts_a_period_at_every_nbr_change() {
    // RON 5,000.00 due 31 July 2024, on 15 August: 1–7 August (7 days) at 6.75 % + 8 = 14.75 % =
    // 1 414.383…; from 8 August (the NBR's cut to 6.50 %) 8 days at 14.50 % = 1 589.041…; 3 003.424… →
    // RON 30.03.
    let (total, stretches) = interest("RO", 500_000, "RON", "2024-07-31", &[], "2024-08-15");
    assert_eq!(total, 3_003);
    assert_eq!(stretches[1], ("2024-08-08".into(), 8, "14.50".into()));
    // RON 5,000.00 due 10 January 2025, on 9 February: 11–31 January (21) + 1–9 February (9) = 30 days at
    // 14.50 %: 500 000 × 0.145 × 30 / 365 = 5 958.904… → RON 59.59.
    assert_eq!(interest("RO", 500_000, "RON", "2025-01-10", &[], "2025-02-09").0, 5_959);
    // RON 2,000 paid on 20 January: 11–20 January (10 days) on RON 5,000 = 1 986.301…; 21 January–9 February
    // (20 days) on RON 3,000 = 300 000 × 0.145 × 20 / 365 = 2 383.561…; 4 369.863… → RON 43.70.
    assert_eq!(
        interest(
            "RO",
            500_000,
            "RON",
            "2025-01-10",
            &[("2025-01-20", 300_000)],
            "2025-02-09"
        )
        .0,
        4_370
    );
}

#[test]
fn days_the_table_does_not_know_are_refused_not_guessed() {
    let unknown = late_interest(
        RateBook::seed(),
        "EE",
        money(100_000, "EUR"),
        day("2026-06-01"),
        &[],
        day("2026-07-15"),
        None,
    );
    assert_eq!(
        unknown,
        Err(InterestError::RateUnknown {
            country: "EE",
            day: day("2026-07-01")
        })
    );
    assert!(matches!(
        late_interest(
            RateBook::seed(),
            "US",
            money(1, "USD"),
            day("2026-01-01"),
            &[],
            day("2026-02-01"),
            None
        ),
        Err(InterestError::NoStatute(_))
    ));
    // Not yet overdue: nothing.
    assert_eq!(interest("EE", 100_000, "EUR", "2025-03-10", &[], "2025-03-10").0, 0);
}

fn ee_day() -> impl Strategy<Value = NaiveDate> {
    (0i64..880).prop_map(|d| day("2024-01-01") + chrono::Duration::days(d))
}

fn total(principal: i64, due: NaiveDate, changes: &[BalanceChange], until: NaiveDate) -> Interest {
    late_interest(
        RateBook::seed(),
        "EE",
        money(principal, "EUR"),
        due,
        changes,
        until,
        None,
    )
    .unwrap()
}

proptest! {
    #[test]
    fn interest_grows_with_time_is_never_negative_and_is_zero_on_nothing(
        principal in 0i64..10_000_000, due in ee_day(), a in 0i64..300, b in 0i64..300,
        paid in proptest::collection::vec((0i64..300, 0i64..10_000_000), 0..4),
    ) {
        let until = |d: i64| (due + chrono::Duration::days(d)).min(day("2026-06-30"));
        let changes: Vec<BalanceChange> = paid
            .iter()
            .map(|(d, b)| BalanceChange { on: due + chrono::Duration::days(*d), balance: (*b).min(principal) })
            .collect();
        let (early, late) = (until(a.min(b)), until(a.max(b)));
        let first = total(principal, due, &changes, early);
        let second = total(principal, due, &changes, late);
        prop_assert!(first.exact <= second.exact && first.total.minor <= second.total.minor);
        prop_assert!(first.exact >= Decimal::ZERO);
        prop_assert_eq!(total(0, due, &[], late).total.minor, 0);
    }

    #[test]
    fn splitting_the_days_at_any_day_changes_nothing(
        principal in 0i64..10_000_000, due in ee_day(), split in 1i64..300, length in 1i64..300,
    ) {
        let until = (due + chrono::Duration::days(length)).min(day("2026-06-30"));
        let whole = total(principal, due, &[], until);
        // A "change" that keeps the balance splits the stretch there; the exact sum is the same.
        let at = due + chrono::Duration::days(split);
        let split = total(principal, due, &[BalanceChange { on: at, balance: principal }], until);
        prop_assert_eq!(whole.exact, split.exact);
    }
}

/// A creditor of each of the eight countries, charges switched on, previews an overdue invoice: the
/// interest of the worked examples above, and the 40 € where the invoice's currency has a rate.
#[test]
fn previews_show_the_charges_for_creditors_in_each_of_the_eight_countries() {
    use crate::locale::wording;
    use crate::locale::{format_money, Language};
    use crate::messages::preview::{preview, PreviewInput, PreviewLine};
    use crate::platforms::onboarding::{new_creditor, Organisation};

    let cases = [
        ("EE", "EUR", "1000.00", "2025-03-10", "2025-04-09", 916, true),
        ("LV", "EUR", "1000.00", "2025-03-10", "2025-04-09", 916, true),
        ("LT", "EUR", "2500.00", "2024-02-15", "2024-03-15", 2_483, true),
        ("FI", "EUR", "1000.00", "2025-03-10", "2025-04-09", 945, true),
        ("DE", "EUR", "1000.00", "2025-05-01", "2025-05-31", 895, true),
        ("PL", "PLN", "10000.00", "2025-01-20", "2025-02-19", 12_945, false),
        ("BG", "EUR", "1000.00", "2026-02-02", "2026-03-04", 846, true),
        ("RO", "RON", "5000.00", "2024-07-31", "2024-08-15", 3_003, false),
    ];
    for (country, currency, amount, due, today, interest, compensated) in cases {
        let organisation = Organisation {
            name: "Nordwind".into(),
            legal_name: None,
            country: Some(country.into()),
            time_zone: None,
            currency: None,
            registration_number: None,
            tax_number: None,
            address: None,
            email: None,
        };
        let mut creditor = new_creditor(crate::model::ids::CreditorId::parse("c").unwrap(), &organisation);
        creditor.late_charges = LateCharges {
            interest: true,
            compensation: true,
            ..LateCharges::default()
        };
        let lang = Language::of_creditor(&creditor);
        let input = PreviewInput {
            language: lang,
            step: None,
            tone: Some("firm".into()),
            debtor_name: None,
            invoices: Some(vec![PreviewLine {
                number: "INV-9".into(),
                amount_due: amount.into(),
                currency: currency.into(),
                due_date: day(due),
            }]),
        };
        let now = day(today).and_hms_opt(10, 0, 0).unwrap().and_utc();
        let shown = preview(RateBook::seed(), &creditor, &input, now).unwrap();
        let line = |id: &str, minor: i64| {
            format!(
                "- INV-9, {}: {}",
                wording(lang, id, &fluent_bundle::FluentArgs::new()).unwrap(),
                format_money(lang, &money(minor, currency))
            )
        };
        assert!(
            shown.text.contains(&line("charges-interest", interest)),
            "{country}: {}",
            shown.text
        );
        // Bulgaria's 80 leva read in euros: 80 / 1.95583 = 40.9033… → €40.90.
        let forty = match (country, currency) {
            ("BG", "EUR") => 4_090,
            (_, "EUR") => 4_000,
            _ => 0,
        };
        assert_eq!(
            shown.text.contains(&line("charges-compensation", forty)),
            compensated,
            "{country}: {}",
            shown.text
        );
    }
}

#[test]
fn poland_owes_an_agreed_rate_only_up_to_its_ceiling() {
    let agreed = |rate: i64, until: &str| {
        late_interest(
            RateBook::seed(),
            "PL",
            money(1_000_000, "PLN"),
            day("2025-10-31"),
            &[],
            day(until),
            Some(ContractRate(Decimal::from(rate))),
        )
    };
    // PLN 10,000.00 due Friday 31 October 2025 at an agreed 25 %, on 10 November: the ceiling is twice the
    // NBP rate + 5.5 pp: 1–5 November (5 days) at 2 × (4.50 + 5.5) = 20 %: 1 000 000 × 0.20 × 5 / 365 =
    // 2 739.726…; 6–10 November (5 days) at 2 × (4.25 + 5.5) = 19.50 %: 2 671.232…; 5 410.958… → PLN 54.11.
    let capped = agreed(25, "2025-11-10").unwrap();
    assert_eq!(capped.total.minor, 5_411);
    assert_eq!(
        capped
            .stretches
            .iter()
            .map(|s| (s.days, s.rate.to_string()))
            .collect::<Vec<_>>(),
        [(5, "20.00".to_string()), (5, "19.50".to_string())]
    );
    assert!(capped.stretches[0].source.contains("481"));
    // An agreed 15 % is under the ceiling throughout: 1 000 000 × 0.15 × 10 / 365 = 4 109.589… → PLN 41.10.
    assert_eq!(agreed(15, "2025-11-10").unwrap().total.minor, 4_110);
    // After the last day the ceiling is known to have held, nothing is guessed.
    assert!(matches!(
        agreed(15, "2026-09-01"),
        Err(InterestError::RateUnknown { country: "PL", .. })
    ));
    // Elsewhere without a ceiling in the table, the agreed rate is owed as agreed.
    let estonia = late_interest(
        RateBook::seed(),
        "EE",
        money(1_000_000, "EUR"),
        day("2025-10-31"),
        &[],
        day("2025-11-10"),
        Some(ContractRate(Decimal::from(25))),
    )
    .unwrap();
    // 1 000 000 × 0.25 × 10 / 365 = 6 849.315… → €68.49.
    assert_eq!(estonia.total.minor, 6_849);
}

/// In every one of the eight countries a part payment goes to the costs, then to the interest accrued by its
/// day, then to the principal, and interest runs on the principal really left. Each case: an invoice due
/// Monday 1 September 2025, the fixed compensation claimed as costs, a part payment on 11 September,
/// interest to 30 September; 2–11 September is 10 days, 12–30 September 19.
#[test]
fn a_part_payment_goes_to_costs_then_interest_then_principal_in_each_country() {
    use allocation::{law, Settled};
    // (country, currency, principal, costs, payment, interest accrued by the 11th, principal left, total)
    let cases = [
        // 10.15 % (ECB 2.15 + 8): 100 000 × 0.1015 × 10 / 365 = 278.08 → 278 by the 11th. €400 pays €40 costs,
        // €2.78 interest, €357.22 principal: €642.78 left; 64 278 × 0.1015 × 19 / 365 = 339.62; 617.70 → €6.18
        // (€5.95 were the payment all principal).
        ("EE", "EUR", 100_000, 4_000, 40_000, 278, 64_278, 618),
        ("LV", "EUR", 100_000, 4_000, 40_000, 278, 64_278, 618),
        ("LT", "EUR", 100_000, 4_000, 40_000, 278, 64_278, 618),
        // 10.50 % (ECB 2.15 rounded up to 2.50 + 8): 287.67 → 288; €642.88 left; 351.38; 639.05 → €6.39.
        ("FI", "EUR", 100_000, 4_000, 40_000, 288, 64_288, 639),
        // 10.27 % (Basiszinssatz 1.27 + 9): 281.37 → 281; €642.81 left; 343.65; 625.02 → €6.25.
        ("DE", "EUR", 100_000, 4_000, 40_000, 281, 64_281, 625),
        // 15.25 % (NBP 5.25 + 10) on PLN 10,000, costs 40 € at 4.2543 = PLN 170.17: 1 000 000 × 0.1525 × 10 / 365
        // = 4 178.08 → 4 178; PLN 4,000 pays 170.17 + 41.78 + 3,788.05: PLN 6,211.95 left; 4 931.27;
        // 9 109.35 → PLN 91.09.
        ("PL", "PLN", 1_000_000, 17_017, 400_000, 4_178, 621_195, 9_109),
        // 11.91 % (BNB 1.91 + 10) on a 360-day year, BGN 1,000, the Commerce Act's BGN 80 costs:
        // 100 000 × 0.1191 × 10 / 360 = 330.83 → 331; BGN 400 pays 80 + 3.31 + 316.69: BGN 683.31 left;
        // 68 331 × 0.1191 × 19 / 360 = 429.52; 760.35 → BGN 7.60.
        ("BG", "BGN", 100_000, 8_000, 40_000, 331, 68_331, 760),
        // 14.50 % (NBR 6.50 + 8) on RON 5,000, costs 40 € at 5.0845 = RON 203.38: 1 986.30 → 1 986; RON 2,000
        // pays 203.38 + 19.86 + 1,776.76: RON 3,223.24 left; 2 432.88; 4 419.19 → RON 44.19.
        ("RO", "RON", 500_000, 20_338, 200_000, 1_986, 322_324, 4_419),
    ];
    for (country, currency, principal, costs, paid, to_interest, left, total) in cases {
        let i = applied_interest(
            RateBook::seed(),
            country,
            money(principal, currency),
            day("2025-09-01"),
            costs,
            &[Settled::Paid {
                on: day("2025-09-11"),
                amount: paid,
            }],
            day("2025-09-30"),
            None,
        )
        .unwrap();
        let a = i.allocations[0];
        assert_eq!(
            (a.to_costs, a.to_interest, a.to_principal, a.principal_after),
            (costs, to_interest, paid - costs - to_interest, left),
            "{country}"
        );
        assert_eq!(
            (i.total.minor, i.principal_left, i.interest_paid(), i.costs_paid()),
            (total, left, to_interest, costs),
            "{country}"
        );
        assert!(
            law(country).is_some_and(|(statute, url)| !statute.is_empty() && url.starts_with("https://")),
            "{country} cites its law"
        );
    }
    // A credit note takes back part of the invoice: it lowers the principal and pays no interest or costs.
    let credited = applied_interest(
        RateBook::seed(),
        "EE",
        money(100_000, "EUR"),
        day("2025-09-01"),
        4_000,
        &[Settled::Credited {
            on: day("2025-09-11"),
            amount: 40_000,
        }],
        day("2025-09-30"),
        None,
    )
    .unwrap();
    assert_eq!(
        (credited.principal_left, credited.costs_paid(), credited.total.minor),
        (60_000, 0, 595)
    );
    // Paid before it was late: nothing was owed on top, all of it is principal.
    let early = applied_interest(
        RateBook::seed(),
        "EE",
        money(100_000, "EUR"),
        day("2025-09-01"),
        4_000,
        &[Settled::Paid {
            on: day("2025-08-30"),
            amount: 40_000,
        }],
        day("2025-09-30"),
        None,
    )
    .unwrap();
    assert_eq!(
        (early.principal_left, early.costs_paid(), early.interest_paid()),
        (60_000, 0, 0)
    );
}
