use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

use super::{Dunning, Listed};
use crate::calendar::Calendar;
use crate::ledger::Invoice;
use crate::model::{Creditor, Debtor};
use crate::planner::{compose, plan_invoice, sort_due, statement_lines, Context, DebtorDecision, InvoicePlan};
use crate::planner::{DueStep, Reachability};
use crate::policy::{Offset, SendingWindow, Step, Tone};
use crate::testing::{creditor, day, debtor, invoice_due, utc};

fn ee() -> Calendar {
    Calendar::new(chrono_tz::Europe::Tallinn, SendingWindow::default()).with_country(Some("EE"))
}

/// What one morning's run did for the debtor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Happened {
    Sent {
        tone: Tone,
        steps: Vec<String>,
        written: bool,
    },
    Held {
        step: String,
        reason: &'static str,
    },
    Call {
        steps: Vec<String>,
    },
}

/// Runs the scheduler's pure decisions for one debtor every morning at 08:00 UTC from `from` to `to`,
/// recording what is sent, held and called, as the scheduler records it, in the debtor's own calendar.
pub(super) fn simulate(
    c: &Creditor,
    mut d: Debtor,
    invoices: &mut [Invoice],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(String, Happened)> {
    let cal = crate::calendar::calendar_for(c, Some(&d));
    let mut out = Vec::new();
    let mut now = from;
    while now <= to {
        let open: BTreeSet<&str> = invoices
            .iter()
            .filter(|i| i.is_open())
            .map(|i| i.invoice_id.as_str())
            .collect();
        d.history.dunning = d.history.dunning.current(&open);
        let ctx = Context {
            creditor: c,
            debtor: Some(&d),
            calendar: &cal,
        };
        let plans: Vec<(usize, InvoicePlan)> = invoices
            .iter()
            .enumerate()
            .map(|(i, inv)| (i, plan_invoice(inv, &ctx, now)))
            .collect();
        let sorted = sort_due(&plans, Some(&d), &c.policy, &cal.rules);
        let stamp = now.date_naive().to_string();
        let mark = |inv: &mut Invoice, due: &DueStep| {
            inv.progress.steps_done.extend(due.skipped.iter().cloned());
            inv.progress.steps_done.push(due.key.clone());
        };
        for (i, due, reason) in &sorted.held {
            out.push((
                stamp.clone(),
                Happened::Held {
                    step: format!("{}/{}", invoices[*i].invoice_id.as_str(), due.step.id),
                    reason,
                },
            ));
            mark(&mut invoices[*i], due);
        }
        if !sorted.calls.is_empty() {
            let steps = sorted.calls.iter().map(|(_, due)| due.step.id.clone()).collect();
            out.push((stamp.clone(), Happened::Call { steps }));
            for (i, due) in &sorted.calls {
                mark(&mut invoices[*i], due);
            }
        }
        if let DebtorDecision::Send(s) = compose(
            &sorted.plans,
            Some(&d),
            Reachability::of(Some(&d), &[]),
            &c.policy,
            &cal,
            now,
        ) {
            let lines = statement_lines(invoices, &sorted.plans, &cal, now);
            let listed: Vec<Listed<'_>> = lines
                .iter()
                .map(|(i, l)| Listed {
                    invoice_id: invoices[*i].invoice_id.as_str(),
                    amount_due_minor: l.amount_due.minor,
                    overdue: l.days_overdue > 0,
                })
                .collect();
            let dunning = d.history.dunning.after(s.tone, s.written, &listed);
            out.push((
                stamp,
                Happened::Sent {
                    tone: s.tone,
                    steps: s
                        .due
                        .iter()
                        .map(|(i, due)| format!("{}/{}", invoices[*i].invoice_id.as_str(), due.step.id))
                        .collect(),
                    written: s.written,
                },
            ));
            for (i, due) in &s.due {
                mark(&mut invoices[*i], due);
                if due.step.offset.days() > 0 {
                    invoices[*i].progress.first_overdue_at.get_or_insert(now);
                }
            }
            d.history = d.history.with_message(now);
            d.history.dunning = dunning;
        }
        now += Duration::days(1);
    }
    out
}

pub(super) fn sent(log: &[(String, Happened)]) -> Vec<(String, Tone, Vec<String>)> {
    log.iter()
        .filter_map(|(day, h)| match h {
            Happened::Sent { tone, steps, .. } => Some((day.clone(), *tone, steps.clone())),
            _ => None,
        })
        .collect()
}

/// Two invoices of one debtor under the default steps: INV-a €1,250 due Tuesday 1 December and INV-b €320
/// due Wednesday 9 December, neither paid.
fn two_invoices() -> Vec<Invoice> {
    vec![
        invoice_due("a", day(2026, 12, 1), 125_000),
        invoice_due("b", day(2026, 12, 9), 32_000),
    ]
}

#[test]
fn a_debtor_with_two_invoices_gets_two_written_reminders_and_one_final_notice() {
    let c = creditor();
    let mut invoices = two_invoices();
    let log = simulate(
        &c,
        debtor(),
        &mut invoices,
        utc("2026-11-27T08:00:00Z"),
        utc("2027-01-15T08:00:00Z"),
    );
    let s = sent(&log);
    let days_tones: Vec<(&str, Tone)> = s.iter().map(|(d, t, _)| (d.as_str(), *t)).collect();
    // Mon 30 Nov: a's note three days before (Sat 28 → Mon). Wed 2 Dec: a's first written reminder.
    // Mon 7 Dec: b's note (Sun 6 → Mon). Thu 10 Dec: a's firm reminder with b's first (+1 business day
    // of 9 Dec), one message, the second written one. Then b's firm step (Fri 18 Dec) would be a third:
    // held. Mon 21 Dec: a's final notice, stating b's €320 too; b's own final notice (Thu 31 Dec, past
    // the Christmas holidays of 24-26 December) is not repeated.
    assert_eq!(
        days_tones,
        [
            ("2026-11-30", Tone::Friendly),
            ("2026-12-02", Tone::Friendly),
            ("2026-12-07", Tone::Friendly),
            ("2026-12-10", Tone::Firm),
            ("2026-12-21", Tone::FinalNotice),
        ],
        "{log:#?}"
    );
    let written = log
        .iter()
        .filter(|(_, h)| matches!(h, Happened::Sent { written: true, .. }))
        .count();
    assert_eq!(written, 2);
    let held: Vec<(&str, &str)> = log
        .iter()
        .filter_map(|(day, h)| match h {
            Happened::Held { step, .. } => Some((day.as_str(), step.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(held, [("2026-12-18", "b/after-7"), ("2026-12-31", "b/after-14")]);
}

#[test]
fn the_cap_is_the_creditors_to_set() {
    let mut c = creditor();
    c.policy.max_written = 3;
    let mut invoices = two_invoices();
    let log = simulate(
        &c,
        debtor(),
        &mut invoices,
        utc("2026-11-27T08:00:00Z"),
        utc("2027-01-15T08:00:00Z"),
    );
    let written = log
        .iter()
        .filter(|(_, h)| matches!(h, Happened::Sent { written: true, .. }))
        .count();
    assert_eq!(written, 3, "b's firm reminder of 18 December goes out: {log:#?}");
    let finals = sent(&log).iter().filter(|(_, t, _)| *t == Tone::FinalNotice).count();
    assert_eq!(finals, 1);
}

#[test]
fn the_cap_holds_per_invoice_too() {
    let c = creditor();
    let d = Dunning {
        written: 0,
        per_invoice: [("a".to_string(), 2)].into(),
        ..Dunning::default()
    };
    let mut inv = two_invoices().remove(0);
    inv.progress.steps_done = vec!["2026-12-01/before-3".into(), "2026-12-01/after-1".into()];
    let due = match plan_invoice(&inv, &ctx_of(&c), utc("2026-12-10T08:00:00Z")) {
        InvoicePlan::Due(due) => due,
        other => panic!("{other:?}"),
    };
    assert_eq!(due.step.id, "after-7");
    assert!(d.holds(&due, 2).is_some());
    assert_eq!(d.holds(&due, 3), None);
}

fn ctx_of(c: &Creditor) -> Context<'_> {
    static CAL: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    Context {
        creditor: c,
        debtor: None,
        calendar: CAL.get_or_init(ee),
    }
}

#[test]
fn a_final_notice_is_repeated_only_for_a_higher_amount() {
    let c = creditor();
    let mut inv = two_invoices().remove(1);
    inv.progress.steps_done = ["before-3", "after-1", "after-7"]
        .map(|s| format!("2026-12-09/{s}"))
        .to_vec();
    let due = match plan_invoice(&inv, &ctx_of(&c), utc("2026-12-31T08:00:00Z")) {
        InvoicePlan::Due(due) => due,
        other => panic!("{other:?}"),
    };
    assert_eq!(due.step.tone, Tone::FinalNotice);
    let stated = |minor| Dunning {
        final_notice: [("b".to_string(), minor)].into(),
        ..Dunning::default()
    };
    assert_eq!(
        stated(32_000).holds(&due, 2),
        Some("a final notice already stated this amount")
    );
    assert_eq!(
        stated(40_000).holds(&due, 2),
        Some("a final notice already stated this amount")
    );
    assert_eq!(stated(20_000).holds(&due, 2), None, "the debt grew since");
    assert_eq!(Dunning::default().holds(&due, 2), None);
}

#[test]
fn a_new_invoice_joins_at_the_debtors_level_but_a_final_notice_comes_only_from_its_step() {
    let firm = Dunning {
        level: Some(Tone::Firm),
        ..Dunning::default()
    };
    assert_eq!(firm.tone([(Tone::Friendly, true)].into_iter()), Tone::Firm);
    assert_eq!(
        firm.tone([(Tone::Friendly, false)].into_iter()),
        Tone::Friendly,
        "a note before the due date stays friendly"
    );
    let after_final = Dunning {
        level: Some(Tone::FinalNotice),
        ..Dunning::default()
    };
    assert_eq!(after_final.tone([(Tone::Friendly, true)].into_iter()), Tone::Firm);
    assert_eq!(
        after_final.tone([(Tone::FinalNotice, true)].into_iter()),
        Tone::FinalNotice
    );
}

#[test]
fn the_run_ends_when_its_invoices_are_paid_and_the_next_overdue_invoice_starts_afresh() {
    let run = Dunning {
        level: Some(Tone::FinalNotice),
        written: 2,
        per_invoice: [("a".to_string(), 2), ("b".to_string(), 1)].into(),
        final_notice: [("a".to_string(), 125_000)].into(),
    };
    let open_b: BTreeSet<&str> = ["b", "c"].into();
    let still = run.current(&open_b);
    assert_eq!(still.written, 2, "b is still open: the run goes on");
    assert_eq!(still.per_invoice.keys().collect::<Vec<_>>(), ["b"]);
    assert!(still.final_notice.is_empty());
    let only_c: BTreeSet<&str> = ["c"].into();
    assert_eq!(run.current(&only_c), Dunning::default());
}

#[test]
fn a_message_moves_the_run_on() {
    let lines = [
        Listed {
            invoice_id: "a",
            amount_due_minor: 125_000,
            overdue: true,
        },
        Listed {
            invoice_id: "b",
            amount_due_minor: 32_000,
            overdue: false,
        },
    ];
    let first = Dunning::default().after(Tone::Friendly, true, &lines);
    assert_eq!((first.level, first.written), (Some(Tone::Friendly), 1));
    assert_eq!(
        first.per_invoice,
        [("a".to_string(), 1)].into(),
        "b was not overdue yet"
    );
    let last = first.after(Tone::FinalNotice, true, &lines);
    assert_eq!(
        (last.level, last.written),
        (Some(Tone::FinalNotice), 1),
        "a final notice is no written reminder"
    );
    assert_eq!(last.final_notice, [("a".to_string(), 125_000)].into());
    let note = Dunning::default().after(Tone::Friendly, false, &lines[1..]);
    assert_eq!(note, Dunning::default(), "a note before the due date starts no run");
}

#[test]
fn a_call_step_makes_a_task_not_a_message() {
    let mut c = creditor();
    c.policy.steps.insert(
        3,
        Step {
            id: "call-10".into(),
            offset: Offset::BusinessDays(10),
            tone: Tone::Firm,
            channels: vec![],
            written: false,
            call: true,
            suspend_after_days: None,
            wording: Default::default(),
            name: None,
        },
    );
    crate::policy::validate(&c.policy).unwrap();
    let mut invoices = vec![invoice_due("a", day(2026, 12, 1), 125_000)];
    let log = simulate(
        &c,
        debtor(),
        &mut invoices,
        utc("2026-11-27T08:00:00Z"),
        utc("2026-12-31T08:00:00Z"),
    );
    // 1 December + 10 business days (8 December is no holiday in Estonia) is Tuesday 15 December.
    assert!(
        log.contains(&(
            "2026-12-15".to_string(),
            Happened::Call {
                steps: vec!["call-10".into()]
            }
        )),
        "{log:#?}"
    );
    assert!(
        !sent(&log).iter().any(|(d, _, _)| d == "2026-12-15"),
        "no message that day: {log:#?}"
    );
    assert_eq!(
        sent(&log).last().map(|(d, t, _)| (d.as_str(), *t)),
        Some(("2026-12-21", Tone::FinalNotice))
    );
}
