//! The planner under the debtor's country's rules: each pack's rules hold messages back for the debtors
//! they are for, and only for them, and the plan names the rule.

use chrono::Duration;

use super::tests::{sent, simulate};
use crate::calendar::calendar_for;
use crate::ledger::Invoice;
use crate::locale::Language;
use crate::model::{Creditor, Debtor};
use crate::planner::{explain, Context};
use crate::policy::Tone;
use crate::testing::{creditor, day, debtor, invoice_due, utc};

/// A creditor whose "Retail" group are consumers, and a debtor in `country`, in that group or not.
fn parties(country: &str, zone: chrono_tz::Tz, consumer: bool) -> (Creditor, Debtor) {
    let mut c = creditor();
    c.groups.insert(
        "Retail".into(),
        serde_json::from_value(serde_json::json!({"enabled": true})).unwrap(),
    );
    c.late_charges.consumer_groups.insert("Retail".into(), None);
    let mut d = debtor();
    d.country = Some(country.into());
    d.time_zone = Some(zone);
    if consumer {
        d.controls.group = Some("Retail".into());
    }
    (c, d)
}

/// Sends of one invoice due Tuesday 1 December 2026, every morning to mid-January.
fn run(c: &Creditor, d: &Debtor, invoices: &mut [Invoice]) -> Vec<(String, Tone, Vec<String>)> {
    sent(&simulate(
        c,
        d.clone(),
        invoices,
        utc("2026-11-25T08:00:00Z"),
        utc("2027-01-20T08:00:00Z"),
    ))
}

fn final_notice_day(log: &[(String, Tone, Vec<String>)]) -> &str {
    log.iter()
        .find(|(_, tone, _)| *tone == Tone::FinalNotice)
        .map(|(day, ..)| day.as_str())
        .expect("a final notice went out")
}

#[test]
fn latvia_holds_a_consumers_final_notice_21_days_after_the_first_reminder_and_names_the_law() {
    let (c, business) = parties("LV", chrono_tz::Europe::Riga, false);
    let log = run(&c, &business, &mut [invoice_due("a", day(2026, 12, 1), 50_000)]);
    // The default schedule: the first overdue reminder Wed 2 Dec, the final notice 14 business days after
    // the due date, Mon 21 Dec.
    assert_eq!(final_notice_day(&log), "2026-12-21", "{log:#?}");

    let (c, consumer) = parties("LV", chrono_tz::Europe::Riga, true);
    let mut invoices = [invoice_due("a", day(2026, 12, 1), 50_000)];
    let log = run(&c, &consumer, &mut invoices);
    let first_overdue = invoices[0]
        .progress
        .first_overdue_at
        .expect("an overdue reminder went out");
    assert_eq!(first_overdue.date_naive(), day(2026, 12, 2));
    // 21 days after Wed 2 Dec is Wed 23 Dec, a business day in Latvia.
    assert_eq!(final_notice_day(&log), "2026-12-23", "{log:#?}");

    // The plan, read on 10 December, says why.
    let fresh = invoice_due("a", day(2026, 12, 1), 50_000);
    let mut seen = fresh.clone();
    seen.progress.first_overdue_at = Some(first_overdue);
    seen.progress.steps_done = ["before-3", "after-1", "after-7"]
        .map(|s| format!("2026-12-01/{s}"))
        .to_vec();
    let calendar = calendar_for(&c, Some(&consumer));
    let ctx = Context {
        creditor: &c,
        debtor: Some(&consumer),
        calendar: &calendar,
    };
    let plan = explain(&seen, &ctx, utc("2026-12-10T08:00:00Z"), Language::En);
    let next = plan.planned.first().expect("the final notice is planned");
    assert_eq!((next.tone, next.at), (Tone::FinalNotice, utc("2026-12-23T07:00:00Z")));
    assert!(
        next.rule
            .contains("held by a rule of Latvia (law): a consumer has 21 days from the first notice to object"),
        "{}",
        next.rule
    );
    let latvian = explain(&seen, &ctx, utc("2026-12-10T08:00:00Z"), Language::Lv);
    assert!(
        latvian.planned[0].rule.contains("Latvija (likums)"),
        "{}",
        latvian.planned[0].rule
    );
}

#[test]
fn finland_gives_a_consumer_14_days_before_the_final_notice() {
    // A brisker schedule than the default: the final notice seven business days after the due date.
    let brisk = |c: &mut Creditor| {
        c.policy.steps.retain(|s| s.id != "after-14");
        if let Some(step) = c.policy.steps.iter_mut().find(|s| s.id == "after-7") {
            step.tone = Tone::FinalNotice;
        }
    };
    let (mut c, business) = parties("FI", chrono_tz::Europe::Helsinki, false);
    brisk(&mut c);
    let log = run(&c, &business, &mut [invoice_due("a", day(2026, 12, 1), 50_000)]);
    assert_eq!(final_notice_day(&log), "2026-12-10", "{log:#?}");
    let (mut c, consumer) = parties("FI", chrono_tz::Europe::Helsinki, true);
    brisk(&mut c);
    let log = run(&c, &consumer, &mut [invoice_due("a", day(2026, 12, 1), 50_000)]);
    // 14 days after the first overdue reminder of Wed 2 Dec is Wed 16 Dec.
    assert_eq!(final_notice_day(&log), "2026-12-16", "{log:#?}");
    // Under the default schedule the final notice comes later than the 14 days anyway: nothing moves.
    let (c, consumer) = parties("FI", chrono_tz::Europe::Helsinki, true);
    let log = run(&c, &consumer, &mut [invoice_due("a", day(2026, 12, 1), 50_000)]);
    assert_eq!(final_notice_day(&log), "2026-12-21");
}

#[test]
fn bulgaria_sends_two_written_reminders_even_where_the_creditor_allows_three() {
    let (mut c, business) = parties("BG", chrono_tz::Europe::Sofia, false);
    c.policy.max_written = 3;
    let two = || {
        vec![
            invoice_due("a", day(2026, 12, 1), 125_000),
            invoice_due("b", day(2026, 12, 9), 32_000),
        ]
    };
    let mut invoices = two();
    let log = simulate(
        &c,
        business.clone(),
        &mut invoices,
        utc("2026-11-27T08:00:00Z"),
        utc("2027-01-15T08:00:00Z"),
    );
    let written = |log: &[(String, super::tests::Happened)]| {
        log.iter()
            .filter(|(_, h)| matches!(h, super::tests::Happened::Sent { written: true, .. }))
            .count()
    };
    assert_eq!(written(&log), 2, "{log:#?}");
    let reasons: Vec<&str> = log
        .iter()
        .filter_map(|(_, h)| match h {
            super::tests::Happened::Held { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect();
    assert!(reasons.iter().any(|r| r.contains("country allows")), "{reasons:?}");
    // Elsewhere the creditor's three stand.
    let (mut c, estonian) = parties("EE", chrono_tz::Europe::Tallinn, false);
    c.policy.max_written = 3;
    let mut invoices = two();
    let log = simulate(
        &c,
        estonian,
        &mut invoices,
        utc("2026-11-27T08:00:00Z"),
        utc("2027-01-15T08:00:00Z"),
    );
    assert_eq!(written(&log), 3, "{log:#?}");
}

#[test]
fn bulgaria_spaces_a_consumers_messages_two_days_apart() {
    let closest = |consumer: bool| {
        let (c, d) = parties("BG", chrono_tz::Europe::Sofia, consumer);
        // Due on consecutive days: their steps fall on consecutive mornings.
        let mut invoices = [
            invoice_due("a", day(2026, 12, 1), 50_000),
            invoice_due("b", day(2026, 12, 2), 50_000),
            invoice_due("c", day(2026, 12, 3), 50_000),
        ];
        let log = run(&c, &d, &mut invoices);
        let days: Vec<chrono::NaiveDate> = log.iter().map(|(d, ..)| d.parse().unwrap()).collect();
        days.windows(2).map(|w| w[1] - w[0]).min().unwrap()
    };
    assert_eq!(closest(false), Duration::days(1));
    assert!(closest(true) >= Duration::days(2), "{:?}", closest(true));
}

#[test]
fn germany_and_poland_hold_nothing_back() {
    let days = |country: &str, zone, consumer| {
        let (c, d) = parties(country, zone, consumer);
        let log = run(&c, &d, &mut [invoice_due("a", day(2026, 12, 1), 50_000)]);
        log.into_iter().map(|(d, t, _)| (d, t)).collect::<Vec<_>>()
    };
    for consumer in [false, true] {
        let german = days("DE", chrono_tz::Europe::Berlin, consumer);
        assert_eq!(
            german,
            days("EE", chrono_tz::Europe::Tallinn, false),
            "consumer {consumer}"
        );
        assert_eq!(
            days("PL", chrono_tz::Europe::Warsaw, consumer),
            german,
            "consumer {consumer}"
        );
    }
}
