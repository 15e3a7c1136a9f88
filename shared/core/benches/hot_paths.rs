//! The hot paths, measured with criterion (`cargo bench -p duly`): what one webhook costs per platform
//! (verify, parse, and decide its ledger write), what one reminder costs per language (plan, compose,
//! render e-mail and SMS), and a statement for a debtor with 50 open invoices.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use http::{HeaderMap, HeaderValue};

use duly_core::calendar::Calendar;
use duly_core::ledger::{blind_write, merge, Invoice};
use duly_core::locale::Language;
use duly_core::messages::links::Links;
use duly_core::messages::render::{render, Kind, MessageInput, ReminderLine};
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::money::{Currency, Money};
use duly_core::model::{Branding, Creditor, Debtor};
use duly_core::planner::{compose, plan_invoice, statement_lines, Context, DebtorDecision, Reachability};
use duly_core::platforms::{quickbooks, stripe, xero};
use duly_core::policy::{Policy, SendingWindow};
use duly_core::webhooks::canonical::{parse_fact, DocumentStatus, Fact, InvoiceFact, InvoiceSnapshot};
use duly_core::webhooks::signature::{verify, SigningSecret};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn header(pairs: &[(&'static str, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

fn ledger_writes(fact: &Fact, now: DateTime<Utc>) -> usize {
    match fact {
        Fact::Invoice(f) => std::hint::black_box(blind_write(f, now)).expect.len(),
        Fact::ContactUpdated(_) => 0,
    }
}

fn webhooks(c: &mut Criterion) {
    let now = at("2026-11-16T09:00:00Z");
    let mut group = c.benchmark_group("webhook");

    let secret = SigningSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let body = br#"{"type":"invoice.upserted","data":{"invoice_id":"inv-1001","number":"INV-1001","debtor_id":"cus-tamm","currency":"EUR","total":"1250.00","amount_due":"1250.00","issue_date":"2026-11-16","due_date":"2026-12-01","status":"open","pay_url":"https://pay.example/i/1001","updated_at":"2026-11-16T09:00:00Z"}}"#;
    let headers = header(&[
        ("webhook-id", "msg_1".into()),
        ("webhook-timestamp", now.timestamp().to_string()),
        (
            "webhook-signature",
            format!("v1,{}", secret.sign("msg_1", now.timestamp(), body)),
        ),
    ]);
    group.bench_function("standard_webhooks", |b| {
        b.iter(|| {
            verify(std::slice::from_ref(&secret), &headers, body, now).unwrap();
            ledger_writes(&parse_fact(body).unwrap(), now)
        })
    });

    let stripe_secret = "whsec_duly_demo_stripe_endpoint_secret".to_string();
    let stripe_body = br#"{"id":"evt_1","type":"invoice.paid","created":1795000000,"data":{"object":{"object":"invoice","id":"in_1","status":"paid","number":"NW-1","currency":"eur","amount_due":50000,"amount_paid":50000,"amount_remaining":0,"customer":"cus_T","customer_email":"ap@tamm.example","customer_name":"Tamm","due_date":1796083200,"hosted_invoice_url":"https://invoice.stripe.com/i/x"}}}"#;
    let stripe_headers = header(&[(
        "stripe-signature",
        format!(
            "t={},v1={}",
            now.timestamp(),
            stripe::sign(&stripe_secret, now.timestamp(), stripe_body)
        ),
    )]);
    group.bench_function("stripe", |b| {
        b.iter(|| {
            stripe::verify(std::slice::from_ref(&stripe_secret), &stripe_headers, stripe_body, now).unwrap();
            let delivery = stripe::parse(stripe_body).unwrap();
            delivery.facts.iter().map(|f| ledger_writes(f, now)).sum::<usize>()
        })
    });

    let key = "kV3x9QmF2t+Lr8w/ZpD4nB6yHc1sJ0eG5uTq7aXoP2iMdW==".to_string();
    let notice = br#"{"events":[{"resourceUrl":"x","resourceId":"243216c5-369e-4056-ac67-05388f86dc81","eventDateUtc":"2026-11-16T09:00:00Z","eventType":"UPDATE","eventCategory":"INVOICE","tenantId":"t","tenantType":"ORGANISATION"}],"firstEventSequence":1,"lastEventSequence":1,"entropy":"x"}"#;
    let xero_headers = header(&[("x-xero-signature", xero::sign(&key, notice))]);
    let fetched = br#"{"Invoices":[{"Type":"ACCREC","InvoiceID":"243216c5-369e-4056-ac67-05388f86dc81","InvoiceNumber":"INV-0031","Contact":{"ContactID":"bd2270c3","Name":"Tamm"},"Date":"/Date(1795046400000+0000)/","DueDate":"/Date(1796083200000+0000)/","Status":"AUTHORISED","CurrencyCode":"EUR","Total":1250.00,"AmountDue":1250.00,"UpdatedDateUTC":"/Date(1795046500000+0000)/"}]}"#;
    group.bench_function("xero_notice_and_fetched_invoice", |b| {
        b.iter(|| {
            xero::verify(std::slice::from_ref(&key), &xero_headers, notice).unwrap();
            xero::parse(notice).unwrap();
            let snapshots = xero::invoices_from_response(fetched).unwrap();
            snapshots
                .into_iter()
                .map(|s| ledger_writes(&Fact::Invoice(InvoiceFact::Upserted(s)), now))
                .sum::<usize>()
        })
    });

    let qb_notice = br#"[{"specversion":"1.0","id":"ce-1","source":"intuit","type":"qbo.invoice.updated.v1","time":"2026-11-16T09:00:00Z","intuitentityid":"130","intuitaccountid":"9130","data":{}}]"#;
    let qb_headers = header(&[("intuit-signature", quickbooks::sign(&key, qb_notice))]);
    let qb_invoice = br#"{"Invoice":{"Id":"130","DocNumber":"1037","TxnDate":"2026-11-16","DueDate":"2026-12-01","TotalAmt":362.07,"Balance":362.07,"CustomerRef":{"value":"24"},"CurrencyRef":{"value":"EUR"},"MetaData":{"LastUpdatedTime":"2026-11-16T05:19:00-08:00"}}}"#;
    let eur = Currency::parse("EUR").unwrap();
    group.bench_function("quickbooks_notice_and_fetched_invoice", |b| {
        b.iter(|| {
            quickbooks::verify(std::slice::from_ref(&key), &qb_headers, qb_notice).unwrap();
            quickbooks::parse(qb_notice).unwrap();
            let snapshot = quickbooks::invoice_from_response(qb_invoice, eur).unwrap();
            ledger_writes(&Fact::Invoice(InvoiceFact::Upserted(snapshot)), now)
        })
    });
    group.finish();
}

fn creditor() -> Creditor {
    Creditor {
        creditor_id: CreditorId::parse("nordwind").unwrap(),
        branding: Branding {
            trading_name: "Nordwind Tools OÜ".into(),
            sender_name: "Nordwind Tools accounts".into(),
            from_address: "accounts@nordwind.example".into(),
            reply_to: "ar@nordwind.example".into(),
            logo_url: Some("https://nordwind.example/logo.png".into()),
            brand_colour: "#0b7285".into(),
            signature: Some("Mari Maasikas".into()),
            legal_footer: None,
            sms_sender_id: Some("Nordwind".into()),
            registry_code: Some("12345678".into()),
            vat_number: None,
            address: None,
            bank_account: None,
        },
        country: "EE".into(),
        time_zone: chrono_tz::Europe::Tallinn,
        language: "et".into(),
        policy: Policy::default(),
        groups: Default::default(),
        templates: Default::default(),
        disconnected: None,
        notifications: Default::default(),
        late_charges: Default::default(),
        payment_plans: Default::default(),
        billing: Default::default(),
        risk: Default::default(),
        records: Default::default(),
        setup: Default::default(),
        rev: 0,
    }
}

fn debtor(language: Language) -> Debtor {
    Debtor {
        creditor_id: CreditorId::parse("nordwind").unwrap(),
        debtor_id: DebtorId::parse("cus-1").unwrap(),
        name: "Tamm & Sons OÜ".into(),
        email: Some("ap@tamm.example".into()),
        phone: Some("+37255512345".into()),
        phone_kind: Default::default(),
        phone_refused: None,
        language: Some(language.code().to_string()),
        country: Some("EE".into()),
        time_zone: Some(chrono_tz::Europe::Tallinn),
        updated_at: at("2026-11-01T00:00:00Z"),
        platform_groups: vec![],
        cc: Vec::new(),
        controls: Default::default(),
        history: Default::default(),
        paid_late: Vec::new(),
    }
}

fn invoice(n: usize, due: NaiveDate) -> Invoice {
    let eur = Currency::parse("EUR").unwrap();
    let money = |minor| Money { minor, currency: eur };
    let fact = InvoiceFact::Upserted(InvoiceSnapshot {
        invoice_id: InvoiceId::parse(format!("inv-{n}")).unwrap(),
        number: format!("INV-{n:04}"),
        debtor_id: DebtorId::parse("cus-1").unwrap(),
        total: money(125_000 + n as i64),
        amount_due: money(125_000 + n as i64),
        issue_date: None,
        due_date: due,
        status: DocumentStatus::Open,
        pay_url: Some(format!("https://pay.nordwind.example/i/{n}")),
        bill_to: Vec::new(),
        updated_at: at("2026-11-01T00:00:00Z"),
    });
    merge(
        None,
        &CreditorId::parse("nordwind").unwrap(),
        &fact,
        at("2026-11-01T00:00:00Z"),
    )
    .unwrap()
    .unwrap()
}

/// Plans every invoice, composes the debtor's message and renders it: the scheduler's pure work for one
/// debtor. Returns the message's size, so that nothing is optimised away.
fn plan_and_render(
    creditor: &Creditor,
    debtor: &Debtor,
    invoices: &[Invoice],
    links: &Links,
    now: DateTime<Utc>,
) -> usize {
    let calendar = Calendar::new(chrono_tz::Europe::Tallinn, SendingWindow::default()).with_country(Some("EE"));
    let ctx = Context {
        creditor,
        debtor: Some(debtor),
        calendar: &calendar,
    };
    let plans: Vec<(usize, _)> = invoices
        .iter()
        .enumerate()
        .map(|(i, inv)| (i, plan_invoice(inv, &ctx, now)))
        .collect();
    let DebtorDecision::Send(statement) = compose(
        &plans,
        Some(debtor),
        Reachability::of(Some(debtor), &[]),
        &creditor.policy,
        &calendar,
        now,
    ) else {
        panic!("a message is due");
    };
    // The lines exactly as the scheduler lists them.
    let lines: Vec<ReminderLine> = statement_lines(invoices, &plans, &calendar, now)
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    let language = duly_core::calendar::place::whereabouts(creditor, Some(debtor)).language;
    let ids: Vec<InvoiceId> = invoices.iter().map(|i| i.invoice_id.clone()).collect();
    let answer_links = links.for_message(&debtor.creditor_id, &debtor.debtor_id, &ids, language, now);
    let message = render(&MessageInput {
        branding: &creditor.branding,
        debtor_name: &debtor.name,
        kind: Kind::Reminder(statement.tone),
        language,
        lines: &lines,
        suspend_on: statement.suspend_on,
        links: Some(&answer_links),
        sms_link: Some("https://d.example/p/AbCdEfGhIj"),
        overrides: &BTreeMap::new(),
        charges: None,
        paid_since: &[],
        opening: None,
    })
    .unwrap();
    message.html.len() + message.text.len() + message.sms.len()
}

fn reminders(c: &mut Criterion) {
    let creditor = creditor();
    let links = Links::new(b"bench-link-secret", "https://answers.duly.example");
    // Wednesday 2 December 2026, 09:15 Tallinn: the first overdue reminder (e-mail and SMS) is due.
    let now = at("2026-12-02T07:15:00Z");
    let due = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let one = vec![invoice(1, due)];
    let mut group = c.benchmark_group("reminder");
    for language in Language::ALL {
        let debtor = debtor(language);
        group.bench_function(language.code(), |b| {
            b.iter(|| plan_and_render(&creditor, &debtor, &one, &links, now))
        });
    }
    group.finish();

    let fifty: Vec<Invoice> = (0..50)
        .map(|n| invoice(n, due - chrono::Duration::days(n as i64 % 20)))
        .collect();
    let debtor = debtor(Language::En);
    c.bench_function("statement_of_50_invoices", |b| {
        b.iter(|| plan_and_render(&creditor, &debtor, &fifty, &links, now))
    });
}

criterion_group!(benches, webhooks, reminders);
criterion_main!(benches);
