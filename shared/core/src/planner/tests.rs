use chrono::NaiveTime;
use proptest::prelude::*;

use super::*;
use crate::locale::Language;
use crate::model::money::Currency;
use crate::model::{Dispute, Override, Promise};
use crate::policy::{CustomerGroup, Offset, SendingWindow};
use crate::testing::{creditor, day, debtor, invoice_due, utc};
use chrono::Days;

fn ee() -> Calendar {
    Calendar::new(chrono_tz::Europe::Tallinn, SendingWindow::default()).with_country(Some("EE"))
}

/// Due Tuesday 1 December 2026.
fn invoice() -> Invoice {
    invoice_due("1", day(2026, 12, 1), 10_000)
}

fn plan(inv: &Invoice, c: &Creditor, d: Option<&Debtor>, now: &str) -> InvoicePlan {
    let cal = ee();
    plan_invoice(
        inv,
        &Context {
            creditor: c,
            debtor: d,
            calendar: &cal,
        },
        utc(now),
    )
}

#[test]
fn the_default_schedule_lands_on_business_mornings() {
    let policy = Policy::default();
    let times: Vec<String> = schedule(day(2026, 12, 1), &policy.steps, &ee())
        .iter()
        .map(|s| format!("{} {}", s.step.id, s.at.to_rfc3339()))
        .collect();
    assert_eq!(
        times,
        [
            // Saturday 28 Nov moves to Monday 30 Nov; 09:00 in Tallinn is 07:00 UTC in winter.
            "before-3 2026-11-30T07:00:00+00:00",
            "after-1 2026-12-02T07:00:00+00:00",
            "after-7 2026-12-10T07:00:00+00:00",
            "after-14 2026-12-21T07:00:00+00:00",
        ]
    );
}

#[test]
fn business_days_skip_public_holidays() {
    // Due Monday 21 December: 24-26 December are Estonian holidays, so +3 business days is the 29th.
    let times: Vec<String> = schedule(day(2026, 12, 21), &Policy::default().steps, &ee())
        .iter()
        .map(|s| s.at.date_naive().to_string())
        .collect();
    assert_eq!(times, ["2026-12-18", "2026-12-22", "2027-01-04", "2027-01-13"]);
}

#[test]
fn a_step_on_a_holiday_moves_to_the_next_business_day() {
    // Due Monday 21 December: +3 business days is Thursday 24 December, Christmas Eve in Estonia,
    // which the business-day count already skips; a calendar step on the 24th moves to Monday 28th.
    let cal = ee();
    assert_eq!(
        cal.step_day(day(2026, 12, 21), Offset::CalendarDays(3)),
        day(2026, 12, 28)
    );
    assert_eq!(
        cal.step_day(day(2026, 12, 21), Offset::BusinessDays(3)),
        day(2026, 12, 28)
    );
}

#[test]
fn waits_for_the_first_step_then_sends_it() {
    let c = creditor();
    let d = debtor();
    assert_eq!(
        plan(&invoice(), &c, Some(&d), "2026-11-20T10:00:00Z"),
        InvoicePlan::Waiting {
            until: utc("2026-11-30T07:00:00Z"),
            step_id: "before-3".into()
        }
    );
    let InvoicePlan::Due(due) = plan(&invoice(), &c, Some(&d), "2026-11-30T08:00:00Z") else {
        panic!("expected a due step")
    };
    assert_eq!(due.key, "2026-12-01/before-3");
    assert_eq!(due.next_after, Some(utc("2026-12-02T07:00:00Z")));
}

#[test]
fn a_late_run_sends_only_the_latest_due_step() {
    let c = creditor();
    let InvoicePlan::Due(due) = plan(&invoice(), &c, None, "2026-12-10T09:00:00Z") else {
        panic!()
    };
    assert_eq!(due.key, "2026-12-01/after-7");
    assert_eq!(due.skipped, ["2026-12-01/before-3", "2026-12-01/after-1"]);
}

#[test]
fn stop_conditions_hold_the_plan() {
    let c = creditor();
    let d = debtor();
    let now = "2026-12-02T08:00:00Z";

    let mut disputed = invoice();
    disputed.controls.dispute = Some(Dispute {
        reason: "goods damaged".into(),
        at: utc(now),
    });
    assert!(matches!(
        plan(&disputed, &c, Some(&d), now),
        InvoicePlan::Hold(Hold::Disputed { .. })
    ));

    let mut promised = invoice();
    promised.controls.promise = Some(Promise {
        date: day(2026, 12, 5),
        at: utc(now),
    });
    let p = plan(&promised, &c, Some(&d), now);
    assert_eq!(
        p,
        InvoicePlan::Hold(Hold::Promised {
            date: day(2026, 12, 5),
            resume_on: day(2026, 12, 8)
        })
    );
    assert_eq!(p.next_look(&ee(), utc(now)), Some(utc("2026-12-08T07:00:00Z")));
    // After the grace days, reminders resume.
    assert!(matches!(
        plan(&promised, &c, Some(&d), "2026-12-08T08:00:00Z"),
        InvoicePlan::Due(_)
    ));

    let mut paid = invoice();
    paid.balance.as_mut().unwrap().amount_due.minor = 0;
    assert_eq!(plan(&paid, &c, Some(&d), now), InvoicePlan::Hold(Hold::NotOpen));

    let mut small = creditor();
    small
        .policy
        .minimum_amounts
        .insert(Currency::parse("EUR").unwrap(), 20_000);
    assert!(matches!(
        plan(&invoice(), &small, Some(&d), now),
        InvoicePlan::Hold(Hold::BelowMinimum { .. })
    ));
}

#[test]
fn precedence_is_invoice_then_debtor_then_group_then_creditor() {
    let now = "2026-12-02T08:00:00Z";
    let mut c = creditor();
    c.policy.enabled = false;
    let mut d = debtor();
    let inv = invoice();
    let decided = |p: InvoicePlan| match p {
        InvoicePlan::Hold(Hold::SwitchedOff(s)) => (false, s.decided_by),
        InvoicePlan::Due(_) => (true, Level::Creditor),
        other => panic!("{other:?}"),
    };
    assert_eq!(decided(plan(&inv, &c, Some(&d), now)), (false, Level::Creditor));

    // A group switched on wins over the creditor's switch; the contact's platform group maps to it.
    c.groups.insert(
        "wholesale".into(),
        CustomerGroup {
            name: String::new(),
            enabled: true,
            steps: None,
            platform_groups: vec!["Wholesale customers".into()],
            place: Default::default(),
            statement: None,
            attach_invoice: None,
        },
    );
    d.platform_groups = vec!["wholesale CUSTOMERS".into()];
    assert!(matches!(plan(&inv, &c, Some(&d), now), InvoicePlan::Due(_)));

    // A debtor pause wins over the group, until its date.
    d.controls.reminders = Some(Override {
        on: false,
        until: Some(day(2026, 12, 9)),
        reason: Some("call first".into()),
        set_at: utc(now),
    });
    assert_eq!(decided(plan(&inv, &c, Some(&d), now)), (false, Level::Debtor));
    assert!(matches!(
        plan(&inv, &c, Some(&d), "2026-12-09T08:00:00Z"),
        InvoicePlan::Due(_)
    ));

    // An invoice switched on wins over the debtor pause.
    let mut forced = inv.clone();
    forced.controls.reminders = Some(Override {
        on: true,
        until: None,
        reason: None,
        set_at: utc(now),
    });
    assert!(matches!(plan(&forced, &c, Some(&d), now), InvoicePlan::Due(_)));
}

#[test]
fn a_groups_own_steps_replace_the_creditors() {
    let mut c = creditor();
    let mut steps = Policy::default().steps;
    steps.retain(|s| s.id == "after-7");
    c.groups.insert(
        "vip".into(),
        CustomerGroup {
            name: String::new(),
            enabled: true,
            steps: Some(steps),
            platform_groups: vec![],
            place: Default::default(),
            statement: None,
            attach_invoice: None,
        },
    );
    let mut d = debtor();
    d.controls.group = Some("vip".into());
    let p = plan(&invoice(), &c, Some(&d), "2026-11-30T08:00:00Z");
    assert_eq!(
        p,
        InvoicePlan::Waiting {
            until: utc("2026-12-10T07:00:00Z"),
            step_id: "after-7".into()
        }
    );
}

#[test]
fn one_message_covers_every_due_invoice_of_a_debtor() {
    let c = creditor();
    let d = debtor();
    let cal = ee();
    let ctx = Context {
        creditor: &c,
        debtor: Some(&d),
        calendar: &cal,
    };
    let now = utc("2026-12-10T08:00:00Z");
    let a = invoice_due("a", day(2026, 12, 1), 5_000);
    let b = invoice_due("b", day(2026, 12, 8), 7_000);
    let plans = [("a", plan_invoice(&a, &ctx, now)), ("b", plan_invoice(&b, &ctx, now))];
    let DebtorDecision::Send(statement) =
        compose(&plans, Some(&d), Reachability::of(Some(&d), &[]), &c.policy, &cal, now)
    else {
        panic!()
    };
    assert_eq!(statement.due.len(), 2);
    assert_eq!(statement.tone, Tone::Firm, "the firmest due step sets the tone");
    assert_eq!(statement.channels, [Channel::Email, Channel::Sms]);
}

#[test]
fn throttles_and_window_defer_with_a_reason() {
    let c = creditor();
    let cal = ee();
    let now = utc("2026-12-02T08:00:00Z");
    let mut d = debtor();
    let ctx_plan = |d: &Debtor, at| {
        let ctx = Context {
            creditor: &c,
            debtor: Some(d),
            calendar: &cal,
        };
        [((), plan_invoice(&invoice(), &ctx, at))]
    };

    d.history = d.history.with_message(utc("2026-12-01T15:00:00Z"));
    let DebtorDecision::Defer { until, reason } = compose(
        &ctx_plan(&d, now),
        Some(&d),
        Reachability::of(Some(&d), &[]),
        &c.policy,
        &cal,
        now,
    ) else {
        panic!()
    };
    assert_eq!(until, utc("2026-12-02T11:00:00Z"), "20 hours after the last message");
    assert_eq!(reason, Deferral::Gap);

    let mut capped = debtor();
    for t in ["2026-11-26T08:00:00Z", "2026-11-27T08:00:00Z", "2026-11-30T08:00:00Z"] {
        capped.history = capped.history.with_message(utc(t));
    }
    let DebtorDecision::Defer { until, reason } = compose(
        &ctx_plan(&capped, now),
        Some(&capped),
        Reachability::of(Some(&capped), &[]),
        &c.policy,
        &cal,
        now,
    ) else {
        panic!()
    };
    assert_eq!(
        until,
        utc("2026-12-03T08:00:00Z"),
        "a week after the oldest of the three"
    );
    assert_eq!(reason, Deferral::WeeklyCap);

    let evening = utc("2026-12-02T16:30:00Z");
    let DebtorDecision::Defer { until, reason } = compose(
        &ctx_plan(&d, evening),
        Some(&debtor()),
        Reachability::of(Some(&debtor()), &[]),
        &c.policy,
        &cal,
        evening,
    ) else {
        panic!()
    };
    assert_eq!((until, reason), (utc("2026-12-03T07:00:00Z"), Deferral::Hours));

    // Christmas Eve is a public holiday in Estonia: the message waits for the 28th, and says why.
    let eve = utc("2026-12-24T09:00:00Z");
    let DebtorDecision::Defer { until, reason } = compose(
        &ctx_plan(&d, eve),
        Some(&debtor()),
        Reachability::of(Some(&debtor()), &[]),
        &c.policy,
        &cal,
        eve,
    ) else {
        panic!()
    };
    assert_eq!(until, utc("2026-12-28T07:00:00Z"));
    let Deferral::Closed(crate::calendar::Closed::Holiday(holiday)) = reason else {
        panic!("{reason:?}")
    };
    assert_eq!(
        crate::planner::words::deferral_words(crate::locale::Language::Et, reason),
        "hiljem, pärast: jõululaupäev, EE"
    );
    assert_eq!(holiday.english(), "Christmas Eve");
}

#[test]
fn opted_out_and_bounced_channels_are_not_used() {
    let c = creditor();
    let cal = ee();
    let now = utc("2026-12-02T08:00:00Z");
    let mut d = debtor();
    d.controls.opted_out.insert(Channel::Sms);
    let ctx = Context {
        creditor: &c,
        debtor: Some(&d),
        calendar: &cal,
    };
    let plans = [((), plan_invoice(&invoice(), &ctx, now))];
    let DebtorDecision::Send(s) = compose(&plans, Some(&d), Reachability::of(Some(&d), &[]), &c.policy, &cal, now)
    else {
        panic!()
    };
    assert_eq!(s.channels, [Channel::Email]);
    d.controls.email_refused = Some(crate::model::RefusedAddress {
        address: "AP@tamm.example".into(),
        why: "bounce".into(),
        at: now,
    });
    assert!(matches!(
        compose(&plans, Some(&d), Reachability::of(Some(&d), &[]), &c.policy, &cal, now),
        DebtorDecision::Unreachable(_)
    ));
    // A new address from the platform is usable at once.
    d.email = Some("accounts@tamm.example".into());
    assert!(matches!(
        compose(&plans, Some(&d), Reachability::of(Some(&d), &[]), &c.policy, &cal, now),
        DebtorDecision::Send(_)
    ));
}

#[test]
fn whoever_the_invoice_went_to_makes_a_debtor_without_an_address_reachable() {
    let mut d = debtor();
    d.email = None;
    d.phone = None;
    assert!(!Reachability::of(Some(&d), &[]).email);
    let billed = vec!["billing@tamm.example".to_string()];
    assert!(Reachability::of(Some(&d), &[&billed]).email);
    d.controls.refuse(crate::model::RefusedAddress {
        address: "billing@tamm.example".into(),
        why: "bounce".into(),
        at: utc("2026-12-02T08:00:00Z"),
    });
    assert!(!Reachability::of(Some(&d), &[&billed]).email, "unless it bounced");
}

#[test]
fn explains_the_next_three_actions_and_why_nothing_is_sent() {
    let c = creditor();
    let d = debtor();
    let cal = ee();
    let ctx = Context {
        creditor: &c,
        debtor: Some(&d),
        calendar: &cal,
    };
    let e = explain(&invoice(), &ctx, utc("2026-11-20T10:00:00Z"), Language::En);
    let planned: Vec<(String, String)> = e
        .planned
        .iter()
        .map(|p| (p.step_id.clone(), p.at.to_rfc3339()))
        .collect();
    assert_eq!(
        planned,
        [
            ("before-3".into(), "2026-11-30T07:00:00+00:00".into()),
            ("after-1".into(), "2026-12-02T07:00:00+00:00".into()),
            ("after-7".into(), "2026-12-10T07:00:00+00:00".into()),
        ]
    );
    assert!(
        e.planned[0]
            .rule
            .contains("moved from 28 November 2026 (the weekend) to the next business day"),
        "{}",
        e.planned[0].rule
    );
    assert_eq!(e.reminders.decided_by, Level::Creditor);
    assert_eq!(e.next_look, Some(utc("2026-11-30T07:00:00Z")));
    assert_eq!(e.nothing_because, None);

    let mut disputed = invoice();
    disputed.controls.dispute = Some(Dispute {
        reason: "wrong quantity".into(),
        at: utc("2026-11-20T10:00:00Z"),
    });
    let e = explain(&disputed, &ctx, utc("2026-11-20T10:00:00Z"), Language::En);
    assert!(e.planned.is_empty());
    assert_eq!(e.next_look, None);
    assert!(e.nothing_because.unwrap().contains("wrong quantity"));
}

fn arb_offset() -> impl Strategy<Value = Offset> {
    prop_oneof![
        (-10i32..30).prop_map(Offset::CalendarDays),
        (-5i32..25).prop_map(Offset::BusinessDays)
    ]
}

fn arb_policy() -> impl Strategy<Value = Policy> {
    (
        proptest::collection::vec((arb_offset(), any::<bool>()), 1..6),
        8u32..12,
        13u32..20,
        0u32..72,
        1u32..5,
    )
        .prop_map(|(offsets, start, end, gap, cap)| {
            let steps = offsets
                .into_iter()
                .enumerate()
                .map(|(i, (offset, sms))| Step {
                    id: format!("s{i}"),
                    offset,
                    tone: if offset.days() > 0 { Tone::Firm } else { Tone::Friendly },
                    channels: if sms {
                        vec![Channel::Email, Channel::Sms]
                    } else {
                        vec![Channel::Email]
                    },
                    written: false,
                    call: false,
                    suspend_after_days: None,
                    wording: Default::default(),
                    name: None,
                })
                .collect();
            Policy {
                steps,
                window: SendingWindow {
                    start: NaiveTime::from_hms_opt(start, 0, 0).unwrap(),
                    end: NaiveTime::from_hms_opt(end, 0, 0).unwrap(),
                },
                min_gap_hours: gap,
                max_per_week: cap,
                ..Policy::default()
            }
        })
}

fn arb_place() -> impl Strategy<Value = (chrono_tz::Tz, &'static str)> {
    prop_oneof![
        Just((chrono_tz::Europe::Tallinn, "EE")),
        Just((chrono_tz::Europe::Riga, "LV")),
        Just((chrono_tz::Europe::Vilnius, "LT")),
        Just((chrono_tz::Europe::Warsaw, "PL")),
        Just((chrono_tz::Europe::Sofia, "BG")),
        Just((chrono_tz::Europe::Bucharest, "RO")),
        Just((chrono_tz::Europe::Helsinki, "FI")),
        Just((chrono_tz::Europe::Berlin, "DE")),
        Just((chrono_tz::Europe::London, "GB")),
        Just((chrono_tz::Europe::Dublin, "IE")),
        Just((chrono_tz::America::New_York, "US")),
    ]
}

/// Runs the planner as the scheduler does, every 15 minutes over `days`, for one debtor's invoices, and
/// returns the instants messages went out.
fn simulate(
    c: &Creditor,
    d: &mut Debtor,
    invoices: &mut [Invoice],
    cal: &Calendar,
    from: DateTime<Utc>,
    days: i64,
) -> Vec<DateTime<Utc>> {
    let mut sent = Vec::new();
    let mut t = from;
    let end = from + Duration::days(days);
    while t < end {
        let ctx = Context {
            creditor: c,
            debtor: Some(d),
            calendar: cal,
        };
        let plans: Vec<(usize, InvoicePlan)> = invoices
            .iter()
            .enumerate()
            .map(|(i, inv)| (i, plan_invoice(inv, &ctx, t)))
            .collect();
        if let DebtorDecision::Send(s) = compose(&plans, Some(d), Reachability::of(Some(d), &[]), &c.policy, cal, t) {
            for (i, due) in &s.due {
                invoices[*i].progress.steps_done.extend(due.skipped.iter().cloned());
                invoices[*i].progress.steps_done.push(due.key.clone());
            }
            d.history = d.history.with_message(t);
            sent.push(t);
        }
        t += Duration::minutes(15);
    }
    sent
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_message_goes_out_off_hours_on_a_weekend_or_on_a_holiday(
        policy in arb_policy(),
        (tz, country) in arb_place(),
        due_offset in 0i64..400,
        dues in proptest::collection::vec(0i64..40, 1..4),
    ) {
        let mut c = creditor();
        c.policy = policy;
        let mut d = debtor();
        d.time_zone = Some(tz);
        let cal = Calendar::new(tz, c.policy.window).with_country(Some(country));
        let base = day(2026, 1, 5) + Days::new(due_offset as u64);
        let mut invoices: Vec<Invoice> = dues
            .iter()
            .enumerate()
            .map(|(i, extra)| invoice_due(&format!("i{i}"), base + Days::new(*extra as u64), 10_000))
            .collect();
        let start = cal.opening(base - Days::new(15)) - Duration::hours(3);
        let sent = simulate(&c, &mut d, &mut invoices, &cal, start, 90);
        for t in &sent {
            let local = t.with_timezone(&tz);
            prop_assert!(cal.is_open(*t), "{local} is outside the window");
            prop_assert!(cal.is_business_day(local.date_naive()), "{local} is not a business day");
            prop_assert!(crate::calendar::holidays::holiday(country, local.date_naive()).is_none());
            prop_assert!(local.time() >= crate::policy::earliest_send() && local.time() < crate::policy::latest_send());
        }
    }

    #[test]
    fn messages_to_a_debtor_respect_the_gap_and_the_weekly_cap(
        policy in arb_policy(),
        dues in proptest::collection::vec(0i64..30, 1..6),
    ) {
        let mut c = creditor();
        c.policy = policy;
        let mut d = debtor();
        let cal = Calendar::new(chrono_tz::Europe::Tallinn, c.policy.window).with_country(Some("EE"));
        let base = day(2026, 11, 2);
        let mut invoices: Vec<Invoice> = dues
            .iter()
            .enumerate()
            .map(|(i, extra)| invoice_due(&format!("i{i}"), base + Days::new(*extra as u64), 10_000))
            .collect();
        let sent = simulate(&c, &mut d, &mut invoices, &cal, utc("2026-10-15T00:00:00Z"), 100);
        let gap = Duration::hours(i64::from(c.policy.min_gap_hours));
        for pair in sent.windows(2) {
            prop_assert!(pair[1] - pair[0] >= gap, "{} then {}", pair[0], pair[1]);
        }
        for (i, t) in sent.iter().enumerate() {
            let in_week = sent[..=i].iter().filter(|s| *t - **s < Duration::days(7)).count();
            prop_assert!(in_week <= c.policy.max_per_week as usize, "{in_week} messages in the week up to {t}");
        }
    }

    #[test]
    fn every_planned_action_is_inside_the_window_on_a_business_day(
        policy in arb_policy(),
        (tz, country) in arb_place(),
        due_offset in 0i64..300,
        now_offset in -20i64..40,
    ) {
        let mut c = creditor();
        c.policy = policy;
        let mut d = debtor();
        d.time_zone = Some(tz);
        let cal = Calendar::new(tz, c.policy.window).with_country(Some(country));
        let due = day(2026, 1, 5) + Days::new(due_offset as u64);
        let now = cal.opening(due) + Duration::hours(now_offset * 7);
        let e = explain(&invoice_due("x", due, 10_000), &Context { creditor: &c, debtor: Some(&d), calendar: &cal }, now, Language::En);
        for p in &e.planned {
            prop_assert!(cal.is_open(p.at), "{} planned outside the window", p.at);
            prop_assert!(p.at >= now);
        }
        prop_assert!(e.planned.windows(2).all(|w| w[1].at - w[0].at >= Duration::hours(i64::from(c.policy.min_gap_hours))));
    }
}

/// Due 1 December with every step before the final notice done: the state of an invoice whose customer
/// disputed it after the firm reminder.
fn reminded_up_to_the_final_notice() -> Invoice {
    let mut inv = invoice();
    inv.progress.steps_done = ["before-3", "after-1", "after-7"]
        .iter()
        .map(|s| format!("2026-12-01/{s}"))
        .collect();
    inv
}

#[test]
fn no_final_notice_sooner_than_the_grace_period_after_a_dispute_or_promise_ends() {
    let c = creditor();
    let d = debtor();
    // The final notice's own date has passed: without a dispute behind it, it goes at once.
    let resolved = "2026-12-22T10:00:00Z";
    let InvoicePlan::Due(due) = plan(&reminded_up_to_the_final_notice(), &c, Some(&d), resolved) else {
        panic!("the final notice is due")
    };
    assert_eq!(due.step.tone, Tone::FinalNotice);
    // Resolved that morning: it waits five business days (24–26 December are holidays in Estonia).
    let mut inv = reminded_up_to_the_final_notice();
    inv.controls.hold_ended_at = Some(utc(resolved));
    assert_eq!(
        plan(&inv, &c, Some(&d), resolved),
        InvoicePlan::Waiting {
            until: utc("2026-12-31T07:00:00Z"),
            step_id: "after-14".into()
        }
    );
    assert!(matches!(
        plan(&inv, &c, Some(&d), "2026-12-31T07:00:00Z"),
        InvoicePlan::Due(DueStep { ref step, .. }) if step.tone == Tone::FinalNotice
    ));
    // An earlier step not yet sent still goes now: the customer hears a reminder before the final notice.
    let mut early = invoice();
    early.controls.hold_ended_at = Some(utc(resolved));
    let InvoicePlan::Due(due) = plan(&early, &c, Some(&d), resolved) else {
        panic!("the firm reminder is due")
    };
    assert_eq!((due.step.id.as_str(), due.step.tone), ("after-7", Tone::Firm));

    // A promise of 15 December runs out on the 18th (three days' grace); five business days more.
    let mut promised = reminded_up_to_the_final_notice();
    promised.controls.promise = Some(Promise {
        date: day(2026, 12, 15),
        at: utc("2026-12-10T10:00:00Z"),
    });
    assert_eq!(
        plan(&promised, &c, Some(&d), "2026-12-21T10:00:00Z"),
        InvoicePlan::Waiting {
            until: utc("2026-12-29T07:00:00Z"),
            step_id: "after-14".into()
        }
    );
    // The creditor's own grace: none at all lets the final notice go on its date.
    let mut none = creditor();
    none.policy.final_notice_grace_days = 0;
    assert!(matches!(
        plan(&inv, &none, Some(&d), resolved),
        InvoicePlan::Due(DueStep { ref step, .. }) if step.tone == Tone::FinalNotice
    ));
}
