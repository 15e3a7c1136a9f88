//! What the web app lets a signed-in member do at the connect function, which alone reaches connections
//! and their secrets: a one-time grant, minted by the app for the session's creditor and one purpose,
//! carried to the connect function in the browser's address, and used up there.

use crate::model::ids::ConnectionId;
use crate::model::Platform;

/// How long a grant may wait to be used: the browser follows it at once.
pub const GRANT_MINUTES: i64 = 10;

/// What a grant lets its bearer do, for its creditor only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// Connect (or connect again) a platform: Xero and QuickBooks by consent, Stripe by keys, Standard
    /// Webhooks by a new signing secret.
    Connect(Platform),
    /// Disconnect one of the creditor's connections, revoking Duly's access at the platform.
    Disconnect(ConnectionId),
}

impl Grant {
    /// As stored and as the app's forms carry it: `connect:xero`, `disconnect:conn-xero-…`.
    pub fn encode(&self) -> String {
        match self {
            Grant::Connect(p) => format!("connect:{}", p.path_segment()),
            Grant::Disconnect(c) => format!("disconnect:{c}"),
        }
    }

    pub fn parse(raw: &str) -> Option<Grant> {
        match raw.split_once(':')? {
            ("connect", segment) => {
                let platform = [
                    Platform::Xero,
                    Platform::QuickBooks,
                    Platform::Stripe,
                    Platform::Merit,
                    Platform::StandardWebhooks,
                ]
                .into_iter()
                .find(|p| p.path_segment() == segment)?;
                Some(Grant::Connect(platform))
            }
            ("disconnect", id) => ConnectionId::parse(id.to_string()).ok().map(Grant::Disconnect),
            _ => None,
        }
    }

    /// The connect function's page that takes this grant.
    pub fn path(&self) -> String {
        match self {
            Grant::Connect(p) => format!("/connect/{}", p.path_segment()),
            Grant::Disconnect(_) => "/connect/disconnect".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grant_reads_back_as_it_was_written_and_nothing_else_does() {
        for grant in [
            Grant::Connect(Platform::Xero),
            Grant::Connect(Platform::StandardWebhooks),
            Grant::Disconnect(ConnectionId::parse("conn-xero-abc".to_string()).unwrap()),
        ] {
            assert_eq!(Grant::parse(&grant.encode()), Some(grant));
        }
        for raw in ["connect:sage", "drop:all", "disconnect:", "disconnect:a/b", ""] {
            assert_eq!(Grant::parse(raw), None, "{raw}");
        }
        assert_eq!(Grant::Connect(Platform::QuickBooks).path(), "/connect/quickbooks");
    }
}
