//! The creditor's web app: sign-in by e-mailed link, sessions, and pages that show and change the same
//! settings as the JSON API, through the same flows.
//!
//! Every page is read for the session's creditor only; every form carries the session's CSRF token; a page
//! or form of another creditor's invoice or debtor answers 404, as one that does not exist.

pub mod invitation;
pub mod pages;
pub mod sign_in;
pub mod sign_in_with;
mod view;

pub use view::stylesheet;

use duly_core::locale::Language;

/// The page for a status without a page of its own (403, 404, 503).
pub fn problem_page(lang: Language, status: u16) -> String {
    let id = match status {
        403 => "web-csrf",
        404 => "web-not-found",
        _ => "web-unavailable",
    };
    view::problem(lang, status, id)
}

use chrono::{DateTime, Utc};

use duly_adapters::store::{Store, StoreError};
use duly_core::web::{cookie_value, Session, SESSION_COOKIE};

use crate::notify::Notifier;
use crate::settings::SettingsError;

/// What the web function needs: the table, Duly's sender for sign-in links, and its own address.
#[derive(Debug, Clone, Copy)]
pub struct Web<'a> {
    pub store: &'a Store,
    /// SES: sign-in links and notices go through `notifier`; this reads and starts domain verification.
    pub outbound: &'a duly_adapters::outbound::Outbound,
    pub notifier: Option<Notifier<'a>>,
    /// The app's own base URL (`https://…`), for links in e-mails.
    pub app_url: &'a str,
    /// The platforms people may sign in with.
    pub identities: &'a sign_in_with::Identities,
    /// The connect function's base URL, where the Connections page sends the browser with a grant.
    pub connect_url: Option<&'a str>,
    /// The countries whose statutory interest creditors may switch on.
    pub interest_countries: &'a duly_core::interest::Offered,
    /// What each metered unit costs, for the usage statements.
    pub prices: &'a duly_core::billing::PriceList,
    /// DNS for sending-domain claims, and the domains nobody may claim.
    pub domains: &'a crate::settings::SendingDomains,
    /// What waits for the signed-in creditor in To do, counted once per page shown ([`pages::todo_count`]).
    pub todo: usize,
}

impl Web<'_> {
    fn chrome<'s>(&self, session: &'s Session) -> view::Chrome<'s> {
        view::Chrome {
            csrf: &session.csrf,
            todo: self.todo,
            viewer: session.role == duly_core::web::Role::Viewer,
        }
    }
}

/// What the browser gets back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub html: Option<String>,
    /// Where a `303 See Other` goes.
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    /// An e-mail's own HTML (a preview), which carries its styles inline and may show https images.
    pub email: bool,
    /// A file to save rather than a page. Boxed: most replies are pages, and a reply is often an `Err`.
    pub download: Option<Box<Download>>,
}

/// A file to save: named `name`, its body the reply's text (CSV) or, for a PDF, `pdf`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub name: String,
    pub pdf: Option<Vec<u8>>,
}

impl Reply {
    pub fn page(status: u16, html: String) -> Reply {
        Reply {
            status,
            html: Some(html),
            location: None,
            set_cookie: None,
            email: false,
            download: None,
        }
    }

    /// `body` as a CSV file named `name`.
    pub fn download(name: &str, body: String) -> Reply {
        Reply {
            download: Some(Box::new(Download {
                name: name.to_string(),
                pdf: None,
            })),
            ..Reply::page(200, body)
        }
    }

    /// `bytes`, a PDF, as a file named `name`.
    pub fn pdf(name: &str, bytes: Vec<u8>) -> Reply {
        Reply {
            html: None,
            download: Some(Box::new(Download {
                name: name.to_string(),
                pdf: Some(bytes),
            })),
            ..Reply::page(200, String::new())
        }
    }

    pub fn email(html: String) -> Reply {
        Reply {
            email: true,
            ..Reply::page(200, html)
        }
    }

    pub fn see_other(location: impl Into<String>) -> Reply {
        Reply {
            status: 303,
            html: None,
            location: Some(location.into()),
            set_cookie: None,
            email: false,
            download: None,
        }
    }

    pub fn with_cookie(mut self, cookie: String) -> Reply {
        self.set_cookie = Some(cookie);
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Settings(#[from] SettingsError),
}

/// The live session a request's cookies name, if any.
pub async fn signed_in(
    store: &Store,
    cookies: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, Session)>, StoreError> {
    let Some(token) = cookie_value(cookies, SESSION_COOKIE).filter(|t| Session::well_formed(t)) else {
        return Ok(None);
    };
    let key = Session::key(token);
    let Some(mut session) = store.session(&key, now).await? else {
        return Ok(None);
    };
    // Every session is a member's: one removed since signing in is out at once, and a changed role or
    // language holds from the next request. A session that names nobody is the first visit of a creditor
    // just signed up on a platform, before anyone added an address; it ends as soon as the creditor has a
    // member.
    match session.email.is_empty() {
        true if store.members(&session.creditor_id).await?.is_empty() => session.role = duly_core::web::Role::Owner,
        true => return Ok(None),
        false => match store.membership(&session.email).await? {
            Some(m) if m.creditor_id == session.creditor_id => {
                session.role = m.role;
                session.language = m.language;
            }
            _ => return Ok(None),
        },
    }
    Ok(Some((key, session)))
}
