//! Records the core's tests share: a creditor, a debtor and invoices, built the way the ledger builds them.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::ledger::{merge, Invoice};
use crate::model::ids::{CreditorId, DebtorId, InvoiceId};
use crate::model::money::{Currency, Money};
use crate::model::{Branding, Creditor, Debtor};
use crate::policy::Policy;
use crate::webhooks::canonical::{DocumentStatus, InvoiceFact, InvoiceSnapshot};

pub(crate) fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn creditor() -> Creditor {
    Creditor {
        creditor_id: CreditorId::parse("acme").unwrap(),
        branding: Branding {
            trading_name: "Acme".into(),
            sender_name: "Acme".into(),
            from_address: "ar@acme.example".into(),
            reply_to: "ar@acme.example".into(),
            logo_url: None,
            brand_colour: "#123456".into(),
            signature: None,
            legal_footer: None,
            sms_sender_id: None,
            registry_code: None,
            vat_number: None,
            address: None,
            bank_account: None,
        },
        country: "EE".into(),
        time_zone: chrono_tz::Europe::Tallinn,
        language: "en".into(),
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

pub(crate) fn debtor() -> Debtor {
    Debtor {
        creditor_id: CreditorId::parse("acme").unwrap(),
        debtor_id: DebtorId::parse("cus-1").unwrap(),
        name: "Tamm".into(),
        email: Some("ap@tamm.example".into()),
        phone: Some("+37255512345".into()),
        phone_kind: Default::default(),
        phone_refused: None,
        language: None,
        country: Some("EE".into()),
        time_zone: Some(chrono_tz::Europe::Tallinn),
        updated_at: utc("2026-11-01T00:00:00Z"),
        platform_groups: vec![],
        cc: Vec::new(),
        controls: Default::default(),
        history: Default::default(),
        paid_late: Vec::new(),
    }
}

pub(crate) fn invoice_due(id: &str, due: NaiveDate, amount_minor: i64) -> Invoice {
    let eur = Currency::parse("EUR").unwrap();
    let fact = InvoiceFact::Upserted(InvoiceSnapshot {
        invoice_id: InvoiceId::parse(id).unwrap(),
        number: format!("INV-{id}"),
        debtor_id: DebtorId::parse("cus-1").unwrap(),
        total: Money {
            minor: amount_minor,
            currency: eur,
        },
        amount_due: Money {
            minor: amount_minor,
            currency: eur,
        },
        issue_date: None,
        due_date: due,
        status: DocumentStatus::Open,
        pay_url: None,
        bill_to: Vec::new(),
        updated_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    });
    merge(
        None,
        &CreditorId::parse("acme").unwrap(),
        &fact,
        utc("2026-01-01T00:00:00Z"),
    )
    .unwrap()
    .unwrap()
}
