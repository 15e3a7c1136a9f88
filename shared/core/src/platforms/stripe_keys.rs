//! What a creditor may hand Duly to read their Stripe account.

/// Why a key or secret was refused. The reasons never repeat what was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyRefusal {
    #[error(
        "api_key is a full secret key (sk_…), which can move money and change the account: create a restricted key (rk_…) with read access to invoices and events"
    )]
    FullSecretKey,
    #[error("api_key must be a Stripe restricted key (rk_live_… or rk_test_…)")]
    NotAKey,
    #[error("webhook_secret must be the endpoint's signing secret (whsec_…)")]
    NotASigningSecret,
}

/// A restricted key (`rk_live_`, `rk_test_`) and a webhook signing secret (`whsec_`), by their shape.
/// Full secret keys are refused: Duly only reads, and a leaked read-only key cannot move money.
pub fn check_keys(api_key: &str, webhook_secret: &str) -> Result<(), KeyRefusal> {
    let shaped = |prefixes: &[&str]| {
        prefixes.iter().any(|p| api_key.starts_with(p))
            && api_key.len() <= 255
            && api_key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    if shaped(&["sk_live_", "sk_test_"]) {
        return Err(KeyRefusal::FullSecretKey);
    }
    if !shaped(&["rk_live_", "rk_test_"]) {
        return Err(KeyRefusal::NotAKey);
    }
    let secret_ok = webhook_secret.starts_with("whsec_") && webhook_secret.len() > 10 && webhook_secret.len() <= 255;
    if !secret_ok {
        return Err(KeyRefusal::NotASigningSecret);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_restricted_keys_and_signing_secrets_are_taken() {
        let secret = "whsec_endpointsecret";
        assert_eq!(check_keys("rk_live_51Abc", secret), Ok(()));
        assert_eq!(check_keys("rk_test_51Abc", secret), Ok(()));
        assert_eq!(check_keys("sk_live_51Abc", secret), Err(KeyRefusal::FullSecretKey));
        assert_eq!(check_keys("sk_test_51Abc", secret), Err(KeyRefusal::FullSecretKey));
        assert_eq!(check_keys("pk_live_51Abc", secret), Err(KeyRefusal::NotAKey));
        assert_eq!(check_keys("rk_live_51 Abc", secret), Err(KeyRefusal::NotAKey));
        assert_eq!(
            check_keys("rk_live_51Abc", "whsec_"),
            Err(KeyRefusal::NotASigningSecret)
        );
        assert!(!KeyRefusal::FullSecretKey.to_string().contains("51Abc"));
    }
}
