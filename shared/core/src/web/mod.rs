//! The creditor's web app: who is signed in and for how long, which form may change anything, and which
//! address may ask for a sign-in link.

pub mod branding;
pub mod collected;
pub mod customers;
pub mod grant;
pub mod oidc;
pub mod schedule;
pub mod session;

pub use session::{
    cookie_value, normalise_email, pre_session, pre_session_fingerprint, same_browser, Session, PRE_SESSION_COOKIE,
    SESSION_COOKIE, SESSION_HOURS, SIGN_IN_LINK_MINUTES,
};

/// A posted form's field, as sent; empty when the form lacks it.
pub fn form_field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}
