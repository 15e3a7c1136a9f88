//! A branded demo creditor and its connection, shared by the tests and the demo.

use duly_adapters::store::Store;
use duly_adapters::vault::Vault;
use duly_core::model::ids::{ConnectionId, CreditorId};
use duly_core::model::{BankAccount, Branding, Connection, Creditor, Platform};
use duly_core::policy::Policy;

use crate::webhook_event::DEMO_SECRET;

pub const DEMO_DOMAIN: &str = "nordwind.example";
/// Duly's own sender, used while a creditor's domain is not verified.
pub const FALLBACK_FROM: &str = "reminders@duly.test";

/// The demo creditor's id.
pub fn nordwind() -> CreditorId {
    CreditorId::parse("nordwind").expect("valid creditor id")
}

pub fn creditor(id: &str) -> Creditor {
    Creditor {
        creditor_id: CreditorId::parse(id).expect("valid creditor id"),
        branding: Branding {
            trading_name: "Nordwind Tools OÜ".into(),
            sender_name: "Nordwind Tools accounts".into(),
            from_address: format!("accounts@{DEMO_DOMAIN}"),
            reply_to: format!("ar@{DEMO_DOMAIN}"),
            logo_url: Some("https://nordwind.example/brand/logo.png".into()),
            brand_colour: "#0b7285".into(),
            signature: Some("Mari Maasikas\nAccounts receivable, Nordwind Tools".into()),
            legal_footer: None,
            sms_sender_id: Some("Nordwind".into()),
            registry_code: Some("12345678".into()),
            vat_number: Some("EE101234567".into()),
            address: Some("Pärnu mnt 10, 10148 Tallinn".into()),
            bank_account: Some(BankAccount {
                iban: "EE382200221020145685".into(),
                bic: Some("HABAEE2X".into()),
            }),
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

/// A Standard Webhooks connection without secrets; [`with_secret`] seals one onto it.
/// An SES event as EventBridge delivers it (the sample in `events/ses-bounce.json`), about the message
/// `message_id` sent to `to`.
pub fn ses_event(message_id: &str, event_type: &str, bounce_type: &str, to: &str) -> serde_json::Value {
    let raw = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../events/ses-bounce.json")).unwrap();
    let mut event: serde_json::Value = serde_json::from_str(&raw).unwrap();
    event["detail"]["mail"]["messageId"] = message_id.into();
    event["detail"]["mail"]["destination"] = serde_json::json!([to]);
    event["detail"]["eventType"] = event_type.into();
    event["detail"]["bounce"]["bounceType"] = bounce_type.into();
    event["detail"]["bounce"]["bouncedRecipients"] = serde_json::json!([{ "emailAddress": to }]);
    if event_type == "Complaint" {
        event["detail"]["complaint"] = serde_json::json!({ "complainedRecipients": [{ "emailAddress": to }] });
    }
    event
}

pub fn connection(id: &str, creditor: &str) -> Connection {
    Connection {
        connection_id: ConnectionId::parse(id).expect("valid connection id"),
        creditor_id: CreditorId::parse(creditor).expect("valid creditor id"),
        platform: Platform::StandardWebhooks,
        signing_secrets: None,
        active: true,
        credentials: None,
        tenant: None,
        home_currency: None,
        revoke_pending: false,
    }
}

/// `connection` with `secret` sealed as its signing secret, as the deployed connections hold it.
pub async fn with_secret(vault: &Vault, mut connection: Connection, secret: &str) -> Connection {
    connection.signing_secrets = Some(
        vault
            .seal_signing_secrets(
                &connection.connection_id,
                &connection.creditor_id,
                &[secret.to_string()],
            )
            .await
            .expect("seal the signing secret"),
    );
    connection
}

/// Stores the demo creditor with the demo connection and registers its sending domain. Returns the creditor
/// and a fresh API token for it.
pub async fn seed_demo_creditor(
    store: &Store,
    vault: &Vault,
    creditor_id: &str,
    connection_id: &str,
) -> (Creditor, String) {
    let c = creditor(creditor_id);
    store.put_creditor(&c).await.expect("store the creditor");
    store
        .put_connection(&with_secret(vault, connection(connection_id, creditor_id), DEMO_SECRET).await)
        .await
        .expect("store the connection");
    let mut claim = duly_core::settings::domains::Claim::new(DEMO_DOMAIN, c.creditor_id.clone(), chrono::Utc::now());
    claim.state = duly_core::settings::domains::ClaimState::Proven;
    assert!(
        store
            .put_claim(&claim, chrono::Utc::now())
            .await
            .expect("store the claim"),
        "the demo creditor has proven its sending domain"
    );
    crate::moto::verify_sender_domain(DEMO_DOMAIN).await;
    crate::moto::verify_sender_domain("duly.test").await;
    let mut stripe = with_secret(
        vault,
        connection(crate::webhook_event::DEMO_STRIPE_CONNECTION, creditor_id),
        crate::webhook_event::DEMO_STRIPE_SECRET,
    )
    .await;
    stripe.platform = duly_core::model::Platform::Stripe;
    store
        .put_connection(&stripe)
        .await
        .expect("store the Stripe connection");
    // The Stripe connection is listed under the creditor as its connect flow lists it, so the app shows the
    // creditor connected; the Standard Webhooks one stays unlisted, as one made before the list was kept,
    // which leaves the creditor free to connect a sender of its own in the tests that do.
    for (id, platform) in [(
        crate::webhook_event::DEMO_STRIPE_CONNECTION,
        duly_core::model::Platform::Stripe,
    )] {
        store
            .put_linked(
                &c.creditor_id,
                &duly_adapters::store::LinkedConnection {
                    connection: duly_core::model::ids::ConnectionId::parse(id).expect("a connection id"),
                    platform: platform.path_segment().into(),
                    name: None,
                    active: true,
                    changed_at: chrono::Utc::now(),
                },
            )
            .await
            .expect("list the connection");
    }
    let token = duly_core::model::tokens::issue();
    store
        .put_token(&c.creditor_id, &token, "demo")
        .await
        .expect("store the token");
    (c, token)
}

/// Canonical JSON bodies for tests and sample events.
pub mod facts {
    use serde_json::json;

    pub fn contact(debtor: &str, email: &str, phone: Option<&str>, updated_at: &str) -> String {
        contact_in_groups(debtor, email, phone, &[], updated_at)
    }

    pub fn contact_in_groups(
        debtor: &str,
        email: &str,
        phone: Option<&str>,
        groups: &[&str],
        updated_at: &str,
    ) -> String {
        contact_named(debtor, "Tamm & Sons OÜ", email, phone, groups, updated_at)
    }

    pub fn contact_named(
        debtor: &str,
        name: &str,
        email: &str,
        phone: Option<&str>,
        groups: &[&str],
        updated_at: &str,
    ) -> String {
        json!({"type": "contact.updated", "data": {
            "debtor_id": debtor, "name": name, "email": email, "phone": phone,
            "language": "en", "country": "EE", "time_zone": "Europe/Tallinn", "groups": groups,
            "updated_at": updated_at
        }})
        .to_string()
    }

    pub fn invoice(
        id: &str,
        debtor: &str,
        total: &str,
        due: &str,
        due_date: &str,
        status: &str,
        updated_at: &str,
    ) -> String {
        json!({"type": "invoice.upserted", "data": {
            "invoice_id": id, "number": format!("INV-{id}"), "debtor_id": debtor, "currency": "EUR",
            "total": total, "amount_due": due, "issue_date": "2026-11-01", "due_date": due_date,
            "status": status, "pay_url": format!("https://pay.nordwind.example/i/{id}"), "updated_at": updated_at
        }})
        .to_string()
    }

    pub fn payment(id: &str, invoice: &str, amount: &str, due_after: &str, paid_at: &str) -> String {
        json!({"type": "payment.applied", "data": {
            "payment_id": id, "invoice_id": invoice, "currency": "EUR", "amount": amount,
            "paid_at": paid_at, "invoice_amount_due": due_after
        }})
        .to_string()
    }

    pub fn credit_note(id: &str, invoice: &str, amount: &str, due_after: &str, issued_at: &str) -> String {
        json!({"type": "credit_note.applied", "data": {
            "credit_note_id": id, "invoice_id": invoice, "currency": "EUR", "amount": amount,
            "issued_at": issued_at, "invoice_amount_due": due_after
        }})
        .to_string()
    }

    pub fn void(invoice: &str, voided_at: &str) -> String {
        json!({"type": "invoice.voided", "data": {"invoice_id": invoice, "voided_at": voided_at}}).to_string()
    }
}
