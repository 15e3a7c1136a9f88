//! Small text forms shared across the core: hex, a cookie among a request's cookies, and whether a string
//! is plausibly an e-mail address.

use std::fmt::Write;

/// The longest address SMTP carries.
pub const MAX_EMAIL: usize = 254;

/// Lower-case hex of `bytes`, written into one string.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A cookie's value among a request's cookies (`a=1; b=2`).
pub fn cookie_value<'a>(cookies: &'a str, name: &str) -> Option<&'a str> {
    cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// Whether `address` (already trimmed) may be an e-mail address: one `@` with something before it, a
/// dotted domain after it, and nothing that would break a header or a list of addresses. SES is the real
/// judge; this keeps out what is plainly something else.
pub fn plausible_email(address: &str) -> bool {
    address.len() <= MAX_EMAIL
        && address.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        })
        && !address.contains(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_cookies_and_addresses() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(cookie_value("a=1; __Host-duly=xyz; b=2", "__Host-duly"), Some("xyz"));
        assert_eq!(cookie_value("a=1", "b"), None);
        for good in ["anna@tamm.ee", "jüri@näide.ee", "a.b+c@x.example"] {
            assert!(plausible_email(good), "{good}");
        }
        for bad in [
            "",
            "anna",
            "@x.ee",
            "a@x",
            "a@.x.ee",
            "a@x.ee.",
            "a@b@x.ee",
            "a b@x.ee",
            "a@x.ee, b@y.ee",
            "anna@tamm.ee,",
            "<a@x.ee>",
        ] {
            assert!(!plausible_email(bad), "{bad}");
        }
        assert!(!plausible_email(&format!("{}@x.ee", "a".repeat(250))));
    }
}
