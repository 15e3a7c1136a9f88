//! A creditor made from a platform sign-up.

use crate::model::ids::CreditorId;
use crate::model::{Branding, Creditor};

/// A creditor made from a marketplace sign-up: named after the organisation, with reminders off until they
/// set their sender address and switch them on.
pub fn new_creditor(id: CreditorId, name: &str) -> Creditor {
    let policy = crate::policy::Policy {
        enabled: false,
        ..Default::default()
    };
    Creditor {
        creditor_id: id,
        branding: Branding {
            trading_name: name.to_string(),
            sender_name: name.to_string(),
            from_address: String::new(),
            reply_to: String::new(),
            logo_url: None,
            brand_colour: "#1f2937".to_string(),
            signature: None,
            legal_footer: None,
            sms_sender_id: None,
            registry_code: None,
            vat_number: None,
            address: None,
            bank_account: None,
        },
        country: "GB".to_string(),
        time_zone: chrono_tz::Europe::London,
        language: "en".to_string(),
        policy,
        groups: Default::default(),
        templates: Default::default(),
        disconnected: None,
        rev: 0,
    }
}
