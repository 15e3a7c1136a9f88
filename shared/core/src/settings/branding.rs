//! The creditor's branding profile: names, addresses, colour, logo, sender id, footer and bank account.

use super::invalid;
use crate::model::Branding;
use crate::policy::PolicyError;

fn valid_email(address: &str) -> bool {
    address.len() <= 254
        && address.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !address.contains(|c: char| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
}

/// Checks a branding profile a creditor submits.
pub fn validate_branding(b: &Branding) -> Result<(), PolicyError> {
    let text = |field: &str, value: &str, max: usize| {
        if value.trim().is_empty() || value.chars().count() > max || value.chars().any(|c| c.is_control() && c != '\n')
        {
            Err(invalid(field, "invalid-text").with("max", max))
        } else {
            Ok(())
        }
    };
    // A name is one line: it reaches mail headers (the sender's name) and Duly's own mail, where a line
    // break could start a second, made-up paragraph or header.
    let name = |field: &str, value: &str, max: usize| {
        if value.trim().is_empty() || value.chars().count() > max || value.chars().any(char::is_control) {
            Err(invalid(field, "invalid-line").with("max", max))
        } else {
            Ok(())
        }
    };
    name("trading_name", &b.trading_name, 100)?;
    name("sender_name", &b.sender_name, 100)?;
    for (field, address) in [("from_address", &b.from_address), ("reply_to", &b.reply_to)] {
        if !valid_email(address) {
            return Err(invalid(field, "invalid-email"));
        }
    }
    let colour_ok = b.brand_colour.len() == 7
        && b.brand_colour.starts_with('#')
        && b.brand_colour[1..].bytes().all(|c| c.is_ascii_hexdigit());
    if !colour_ok {
        return Err(invalid("brand_colour", "invalid-colour"));
    }
    if b.logo_url
        .as_ref()
        .is_some_and(|u| !crate::webhooks::canonical::safe_https_url(u))
    {
        return Err(invalid("logo_url", "invalid-https-url"));
    }
    if b.sms_sender_id
        .as_deref()
        .is_some_and(|id| !crate::messages::sms::valid_sender_id(id))
    {
        return Err(invalid("sms_sender_id", "invalid-sms-sender"));
    }
    for (field, value) in [
        ("signature", &b.signature),
        ("legal_footer", &b.legal_footer),
        ("address", &b.address),
    ] {
        if let Some(v) = value {
            text(field, v, 500)?;
        }
    }
    if let Some(account) = &b.bank_account {
        let iban: String = account.iban.chars().filter(|c| !c.is_whitespace()).collect();
        if !(15..=34).contains(&iban.len()) || !iban.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return Err(invalid("bank_account.iban", "invalid-iban"));
        }
    }
    Ok(())
}

/// A sending domain as a creditor names it: lower-case labels of letters, digits and hyphens, at least two.
pub fn check_domain(domain: &str) -> Result<(), PolicyError> {
    let labels: Vec<&str> = domain.split('.').collect();
    let ok = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(invalid("domain", "invalid-domain"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_line_without_control_characters() {
        let mut b = crate::testing::creditor().branding;
        validate_branding(&b).unwrap();
        for name in ["Nordwind\nYour Duly session expired", "Nordwind\r", "Nord\u{7}wind"] {
            b.trading_name = name.into();
            assert_eq!(validate_branding(&b).unwrap_err().field, "trading_name", "{name:?}");
        }
        b.trading_name = "Nordwind Tools OÜ".into();
        b.sender_name = "Accounts\nteam".into();
        assert_eq!(validate_branding(&b).unwrap_err().field, "sender_name");
    }
}
