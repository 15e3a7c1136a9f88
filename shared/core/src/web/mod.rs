//! The creditor's web app: who is signed in and for how long, which form may change anything, and which
//! address may ask for a sign-in link.

pub mod blockers;
pub mod branding;
pub mod collected;
pub mod grant;
pub mod money;
pub mod notes;
pub mod oidc;
pub mod refused;
pub mod roles;
pub mod schedule;
pub mod session;

pub mod todo;
pub mod worklist;

pub use roles::Role;
pub use session::{
    cookie_value, normalise_email, pre_session, pre_session_fingerprint, same_browser, Session, PRE_SESSION_COOKIE,
    SESSION_COOKIE, SESSION_HOURS, SIGN_IN_LINK_MINUTES,
};

/// A posted form's field, as sent; empty when the form lacks it.
pub fn form_field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// The origin (scheme, host and port) of an `http` or `https` URL, as a browser sends it in `Origin` and
/// as a Content-Security-Policy source; `None` for anything else.
pub fn origin_of(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw).ok()?;
    matches!(url.scheme(), "https" | "http").then(|| url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn an_origin_is_scheme_host_and_port_only() {
        assert_eq!(
            origin_of("https://App.example/app/?x=1").as_deref(),
            Some("https://app.example")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/c").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("https://a.example:443/").as_deref(),
            Some("https://a.example")
        );
        assert_eq!(origin_of("https://a.example; script-src *"), None);
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert_eq!(origin_of("not a url"), None);
    }
}
