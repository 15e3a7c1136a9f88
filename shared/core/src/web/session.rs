//! Sessions: a random token in a `__Host-` cookie, a server-side record found by the token's SHA-256,
//! a fixed lifetime, and a CSRF token every form must carry back.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::roles::Role;
use crate::locale::Language;
use crate::model::ids::CreditorId;
use crate::model::tokens::fingerprint;

/// The session cookie: `__Host-` keeps it to this exact origin, over HTTPS, for every path.
pub const SESSION_COOKIE: &str = "__Host-duly_session";

/// How long a session lasts from sign-in; signing in again starts a new one.
pub const SESSION_HOURS: i64 = 12;

/// How long a sign-in link works, once.
pub const SIGN_IN_LINK_MINUTES: i64 = 15;

/// A signed-in person, as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub creditor_id: CreditorId,
    pub email: String,
    /// What every state-changing form carries back; random per session.
    pub csrf: String,
    pub valid_until: DateTime<Utc>,
    /// What the member may do, read from their membership on every request (not kept with the session,
    /// so that a change of role holds at once).
    #[serde(default = "least")]
    pub role: Role,
    /// The language the member reads the app in; the creditor's when they chose none.
    #[serde(default)]
    pub language: Option<Language>,
}

fn least() -> Role {
    Role::Viewer
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    crate::text::hex(&bytes)
}

impl Session {
    /// A new session and the token for its cookie; store it under [`Session::key`] of the token.
    pub fn start(creditor_id: CreditorId, email: String, now: DateTime<Utc>) -> (String, Session) {
        let token = random_hex();
        let session = Session {
            creditor_id,
            email,
            csrf: random_hex(),
            valid_until: now + Duration::hours(SESSION_HOURS),
            role: least(),
            language: None,
        };
        (token, session)
    }

    /// What the table stores a session or a sign-in link under: never the token itself.
    pub fn key(token: &str) -> String {
        fingerprint(token)
    }

    pub fn live(&self, now: DateTime<Utc>) -> bool {
        now < self.valid_until
    }

    /// Whether a form's CSRF field is this session's, compared in constant time.
    pub fn csrf_matches(&self, presented: &str) -> bool {
        !presented.is_empty() && bool::from(self.csrf.as_bytes().ct_eq(presented.as_bytes()))
    }

    /// The `Set-Cookie` value that carries `token` until the session ends.
    pub fn cookie(token: &str, now: DateTime<Utc>, valid_until: DateTime<Utc>) -> String {
        let seconds = (valid_until - now).num_seconds().max(0);
        format!("{SESSION_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={seconds}")
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn cleared_cookie() -> String {
        format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
    }

    /// A random token for a sign-in link; stored, like a session, under its [`Session::key`].
    pub fn link_token() -> String {
        random_hex()
    }

    /// Whether a presented session or link token has the shape of one, before any lookup.
    pub fn well_formed(token: &str) -> bool {
        token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
    }
}

/// The cookie the browser that asks for a sign-in link is given. The link's item keeps its fingerprint, so
/// the link opens without a question only in that browser: a link someone else asked for and slipped into
/// a visitor's browser (login CSRF) must be confirmed by the visitor, who is shown whose account it opens.
pub const PRE_SESSION_COOKIE: &str = "__Host-duly_pre";

/// A new pre-session: the token the cookie carries, and its `Set-Cookie` value, for as long as a link lives.
pub fn pre_session() -> (String, String) {
    let token = random_hex();
    let cookie = format!(
        "{PRE_SESSION_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
        crate::web::SIGN_IN_LINK_MINUTES * 60
    );
    (token, cookie)
}

/// What a sign-in link's item keeps of the pre-session token.
pub fn pre_session_fingerprint(token: &str) -> String {
    crate::model::tokens::fingerprint(&format!("duly-pre-session:{token}"))
}

/// Whether the request's cookies hold the pre-session a link was bound to.
pub fn same_browser(cookies: &str, bound_to: Option<&str>) -> bool {
    match (cookie_value(cookies, PRE_SESSION_COOKIE), bound_to) {
        (Some(token), Some(bound)) => bool::from(pre_session_fingerprint(token).as_bytes().ct_eq(bound.as_bytes())),
        _ => false,
    }
}

pub use crate::text::cookie_value;

/// An e-mail address as Duly keys members by (trimmed, lower case), or `None` when it is not one.
pub fn normalise_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_ascii_lowercase();
    crate::text::plausible_email(&email).then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-02T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_session_is_random_lasts_its_hours_and_is_stored_by_fingerprint() {
        let c = CreditorId::parse("nordwind").unwrap();
        let (token, session) = Session::start(c.clone(), "ar@nordwind.example".into(), now());
        let (other, _) = Session::start(c, "ar@nordwind.example".into(), now());
        assert_ne!(token, other);
        assert!(Session::well_formed(&token));
        assert_ne!(Session::key(&token), token);
        assert!(session.live(now() + Duration::hours(SESSION_HOURS) - Duration::seconds(1)));
        assert!(!session.live(now() + Duration::hours(SESSION_HOURS)));
        assert!(!Session::well_formed("abc") && !Session::well_formed(&"g".repeat(64)));
    }

    #[test]
    fn only_the_sessions_own_csrf_token_passes() {
        let (_, session) = Session::start(CreditorId::parse("c1").unwrap(), "a@b.example".into(), now());
        assert!(session.csrf_matches(&session.csrf.clone()));
        assert!(!session.csrf_matches(""));
        assert!(!session.csrf_matches(&session.csrf[1..]));
        let (_, other) = Session::start(CreditorId::parse("c1").unwrap(), "a@b.example".into(), now());
        assert!(!session.csrf_matches(&other.csrf));
    }

    #[test]
    fn the_cookie_is_host_only_secure_and_http_only() {
        let cookie = Session::cookie("t0k", now(), now() + Duration::hours(1));
        assert_eq!(
            cookie,
            "__Host-duly_session=t0k; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600"
        );
        assert!(Session::cleared_cookie().ends_with("Max-Age=0"));
        assert_eq!(
            cookie_value("a=1; __Host-duly_session=t0k", SESSION_COOKIE),
            Some("t0k")
        );
        assert_eq!(cookie_value("duly_session=x", SESSION_COOKIE), None);
    }

    #[test]
    fn addresses_are_trimmed_lower_cased_and_plausible() {
        assert_eq!(
            normalise_email(" AR@Nordwind.Example "),
            Some("ar@nordwind.example".into())
        );
        for bad in [
            "",
            "ar",
            "@x.example",
            "ar@",
            "ar@example",
            "a r@x.example",
            "a@@x.example",
            "a@x.example.",
        ] {
            assert_eq!(normalise_email(bad), None, "{bad:?}");
        }
        assert_eq!(normalise_email(&format!("{}@x.example", "a".repeat(300))), None);
    }

    #[test]
    fn a_link_opens_without_a_question_only_in_the_browser_that_asked_for_it() {
        let (token, cookie) = pre_session();
        assert!(cookie.starts_with("__Host-duly_pre=") && cookie.contains("Secure; HttpOnly"));
        let bound = pre_session_fingerprint(&token);
        assert!(same_browser(
            &format!("a=1; {PRE_SESSION_COOKIE}={token}"),
            Some(&bound)
        ));
        let (other, _) = pre_session();
        assert!(!same_browser(&format!("{PRE_SESSION_COOKIE}={other}"), Some(&bound)));
        assert!(!same_browser("", Some(&bound)));
        assert!(!same_browser(&format!("{PRE_SESSION_COOKIE}={token}"), None));
    }
}
