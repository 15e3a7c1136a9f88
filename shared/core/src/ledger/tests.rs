use chrono::{Duration, TimeZone};
use proptest::prelude::*;

use super::*;
use crate::model::ids::SettlementId;
use crate::webhooks::canonical::{InvoiceSnapshot, Settlement, SettlementKind, Void};

fn eur() -> Currency {
    Currency::parse("EUR").unwrap()
}

fn cid() -> CreditorId {
    CreditorId::parse("acme").unwrap()
}

fn iid() -> InvoiceId {
    InvoiceId::parse("inv-1").unwrap()
}

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn money(minor: i64) -> Money {
    Money { minor, currency: eur() }
}

fn snapshot(at: i64, due: i64, status: DocumentStatus) -> InvoiceFact {
    InvoiceFact::Upserted(InvoiceSnapshot {
        invoice_id: iid(),
        number: format!("INV-{at}"),
        debtor_id: DebtorId::parse("cus-1").unwrap(),
        total: money(10_000),
        amount_due: money(due),
        issue_date: None,
        due_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        status,
        pay_url: None,
        bill_to: Vec::new(),
        updated_at: t(at),
    })
}

fn payment(id: &str, at: i64, due_after: i64) -> InvoiceFact {
    InvoiceFact::Settled(Settlement {
        kind: SettlementKind::Payment,
        settlement_id: SettlementId::parse(id).unwrap(),
        invoice_id: iid(),
        amount: money(1_000),
        at: t(at),
        invoice_amount_due: money(due_after),
    })
}

fn void(at: i64) -> InvoiceFact {
    InvoiceFact::Voided(Void {
        invoice_id: iid(),
        voided_at: t(at),
    })
}

fn fold(facts: &[InvoiceFact]) -> Option<Invoice> {
    let mut state: Option<Invoice> = None;
    for f in facts {
        if let Some(next) = merge(state.as_ref(), &cid(), f, t(10_000)).unwrap() {
            state = Some(next);
        }
    }
    state
}

#[test]
fn a_new_open_invoice_is_due_for_planning_now() {
    let inv = merge(None, &cid(), &snapshot(0, 10_000, DocumentStatus::Open), t(5))
        .unwrap()
        .unwrap();
    assert!(inv.is_open());
    assert_eq!(inv.next_action_at, Some(t(5)));
    assert_eq!(inv.rev, 1);
}

#[test]
fn an_older_snapshot_never_overwrites_a_newer_one() {
    let newer = fold(&[snapshot(10, 4_000, DocumentStatus::Open)]).unwrap();
    let stale = merge(Some(&newer), &cid(), &snapshot(5, 10_000, DocumentStatus::Open), t(20)).unwrap();
    assert_eq!(stale, None);
}

#[test]
fn replaying_a_fact_changes_nothing() {
    let f = payment("p1", 10, 0);
    let once = fold(&[snapshot(0, 10_000, DocumentStatus::Open), f.clone()]).unwrap();
    assert_eq!(merge(Some(&once), &cid(), &f, t(99)).unwrap(), None);
}

#[test]
fn a_payment_before_its_invoice_is_applied_when_the_invoice_arrives() {
    let stub = fold(&[payment("p1", 10, 0)]).unwrap();
    assert!(stub.doc.is_none());
    assert!(!stub.is_open());
    assert_eq!(stub.next_action_at, None);
    let inv = merge(Some(&stub), &cid(), &snapshot(5, 10_000, DocumentStatus::Open), t(20))
        .unwrap()
        .unwrap();
    assert!(inv.doc.is_some(), "the invoice document is kept");
    assert_eq!(
        inv.balance.unwrap().amount_due.minor,
        0,
        "the newer payment still counts"
    );
    assert!(!inv.is_open());
    assert_eq!(inv.next_action_at, None);
}

#[test]
fn a_full_payment_closes_and_a_void_is_final() {
    let paid = fold(&[snapshot(0, 10_000, DocumentStatus::Open), payment("p1", 10, 0)]).unwrap();
    assert!(!paid.is_open());
    let voided = fold(&[
        snapshot(0, 10_000, DocumentStatus::Open),
        void(10),
        snapshot(20, 10_000, DocumentStatus::Open),
    ])
    .unwrap();
    assert!(!voided.is_open());
    assert_eq!(voided.voided_at, Some(t(10)));
}

#[test]
fn a_draft_is_never_open() {
    assert!(!fold(&[snapshot(0, 10_000, DocumentStatus::Draft)]).unwrap().is_open());
}

#[test]
fn currencies_never_mix() {
    let inv = fold(&[snapshot(0, 10_000, DocumentStatus::Open)]).unwrap();
    let usd = Currency::parse("USD").unwrap();
    let f = InvoiceFact::Settled(Settlement {
        kind: SettlementKind::Payment,
        settlement_id: SettlementId::parse("p").unwrap(),
        invoice_id: iid(),
        amount: Money {
            minor: 1,
            currency: usd,
        },
        at: t(50),
        invoice_amount_due: Money {
            minor: 0,
            currency: usd,
        },
    });
    assert_eq!(
        merge(Some(&inv), &cid(), &f, t(60)),
        Err(LedgerError::CurrencyMismatch {
            stored: eur(),
            offered: usd
        })
    );
    assert!(!Expect::CurrencyIs(usd).holds(Some(&inv)));
}

#[test]
fn blind_writes_state_what_they_assume() {
    let w = blind_write(&payment("p1", 10, 500), t(11));
    assert!(
        w.expect.contains(&Expect::Open),
        "a partial payment only blindly applies to an open invoice"
    );
    let w = blind_write(&payment("p1", 10, 0), t(11));
    assert!(
        !w.expect.contains(&Expect::Open),
        "a full payment closes whatever is stored"
    );
    assert_eq!(w.patch.index, IndexPatch::Remove);
}

fn arb_status() -> impl Strategy<Value = DocumentStatus> {
    prop_oneof![
        Just(DocumentStatus::Open),
        Just(DocumentStatus::Open),
        Just(DocumentStatus::Draft),
        Just(DocumentStatus::Paid),
        Just(DocumentStatus::Void),
    ]
}

/// A fact at a minute in 0..60; snapshots get distinct minutes from the caller where order matters.
fn arb_fact() -> impl Strategy<Value = InvoiceFact> {
    prop_oneof![
        (0i64..60, 0i64..=10_000, arb_status()).prop_map(|(at, due, status)| {
            let due = if status == DocumentStatus::Paid { 0 } else { due };
            snapshot(at, due, status)
        }),
        (0i64..60, prop_oneof![Just(0i64), 1i64..10_000]).prop_map(|(at, due)| payment(&format!("p{at}"), at, due)),
        (0i64..60).prop_map(void),
    ]
}

proptest! {
    #[test]
    fn a_blind_write_agrees_with_merge_whenever_its_assumptions_hold(
        history in proptest::collection::vec(arb_fact(), 0..6),
        fact in arb_fact(),
    ) {
        let current = fold(&history);
        let write = blind_write(&fact, t(500));
        if write.expect.iter().all(|e| e.holds(current.as_ref())) {
            let by_merge = merge(current.as_ref(), &cid(), &fact, t(500)).unwrap();
            let by_patch = write.patch.apply(current.as_ref(), &cid(), &iid());
            prop_assert_eq!(by_merge, Some(by_patch));
        }
    }

    #[test]
    fn facts_give_the_same_ledger_in_any_order(
        facts in proptest::collection::vec(arb_fact(), 1..8),
        seed in any::<u64>(),
    ) {
        // Distinct snapshot times: two different documents stamped with the same instant have no order.
        let mut facts = facts;
        for (i, f) in facts.iter_mut().enumerate() {
            if let InvoiceFact::Upserted(s) = f {
                s.updated_at = t(1_000 + i as i64);
            }
        }
        let mut shuffled = facts.clone();
        let mut rng = seed;
        for i in (1..shuffled.len()).rev() {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (rng >> 33) as usize % (i + 1));
        }
        let a = fold(&facts).unwrap();
        let b = fold(&shuffled).unwrap();
        prop_assert_eq!(&a.doc, &b.doc);
        prop_assert_eq!(a.balance, b.balance);
        prop_assert_eq!(a.voided_at, b.voided_at);
        prop_assert_eq!(a.is_open(), b.is_open());
    }
}

#[test]
fn a_pay_link_once_known_stays_until_the_platform_gives_another() {
    let with_link = |at: i64, url: Option<&str>| {
        let InvoiceFact::Upserted(mut s) = snapshot(at, 10_000, DocumentStatus::Open) else {
            unreachable!()
        };
        s.pay_url = url.map(str::to_string);
        InvoiceFact::Upserted(s)
    };
    let first = merge(None, &cid(), &with_link(1, Some("https://in.xero.com/a")), t(1))
        .unwrap()
        .unwrap();
    let unlinked = merge(None, &cid(), &with_link(1, None), t(1)).unwrap().unwrap();
    let linked = merge(
        Some(&unlinked),
        &cid(),
        &with_link(1, Some("https://in.xero.com/a")),
        t(1),
    )
    .unwrap()
    .expect("the same version with its link is a change");
    assert_eq!(linked.doc.unwrap().pay_url.as_deref(), Some("https://in.xero.com/a"));
    assert_eq!(merge(Some(&first), &cid(), &with_link(1, None), t(1)).unwrap(), None);
    let later = merge(Some(&first), &cid(), &with_link(2, None), t(2)).unwrap().unwrap();
    assert_eq!(later.doc.unwrap().pay_url.as_deref(), Some("https://in.xero.com/a"));
    let moved = merge(Some(&first), &cid(), &with_link(3, Some("https://in.xero.com/b")), t(3))
        .unwrap()
        .unwrap();
    assert_eq!(moved.doc.unwrap().pay_url.as_deref(), Some("https://in.xero.com/b"));
}
