//! The branding form: the creditor's profile read back from the posted fields. Empty optional fields are
//! `None`; the rules are [`crate::settings::validate_branding`]'s when it is saved.

use crate::model::{BankAccount, Branding};

fn get<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    super::form_field(fields, name).trim()
}

fn optional(fields: &[(String, String)], name: &str) -> Option<String> {
    Some(get(fields, name)).filter(|v| !v.is_empty()).map(str::to_string)
}

pub fn branding_from_form(fields: &[(String, String)]) -> Branding {
    Branding {
        trading_name: get(fields, "trading_name").to_string(),
        sender_name: get(fields, "sender_name").to_string(),
        from_address: get(fields, "from_address").to_string(),
        reply_to: get(fields, "reply_to").to_string(),
        logo_url: optional(fields, "logo_url"),
        brand_colour: get(fields, "brand_colour").to_string(),
        signature: optional(fields, "signature"),
        legal_footer: optional(fields, "legal_footer"),
        sms_sender_id: optional(fields, "sms_sender_id"),
        registry_code: optional(fields, "registry_code"),
        vat_number: optional(fields, "vat_number"),
        address: optional(fields, "address"),
        bank_account: optional(fields, "iban").map(|iban| BankAccount {
            iban,
            bic: optional(fields, "bic"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_gives_back_the_profile_and_empty_fields_are_absent() {
        let fields: Vec<(String, String)> = [
            ("trading_name", "Nordwind Tools OÜ"),
            ("sender_name", "Nordwind accounts"),
            ("from_address", "ar@nordwind.example"),
            ("reply_to", "ar@nordwind.example"),
            ("brand_colour", "#0b3d91"),
            ("logo_url", " "),
            ("iban", "EE382200221020145685"),
            ("bic", ""),
            ("signature", "Mari\nAccounts"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let b = branding_from_form(&fields);
        assert_eq!(b.trading_name, "Nordwind Tools OÜ");
        assert_eq!(b.logo_url, None);
        assert_eq!(b.signature.as_deref(), Some("Mari\nAccounts"));
        assert_eq!(
            b.bank_account,
            Some(BankAccount {
                iban: "EE382200221020145685".into(),
                bic: None
            })
        );
        assert_eq!(b.vat_number, None);
    }
}
