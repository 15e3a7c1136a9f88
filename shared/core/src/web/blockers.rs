//! What stops reminders going out, as the Today page warns of it, each with the page that fixes it.

use serde::Serialize;

/// Where the creditor stands, as read for the Today page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    /// The schedule's main switch.
    pub reminders_on: bool,
    /// Any accounting platform connected and not revoked.
    pub connected: bool,
    /// The freshness gate holds everything back: the platform's data is not current.
    pub platform_behind: bool,
    /// An address to send e-mail from: the creditor's verified domain, or Duly's own.
    pub can_send_email: bool,
    pub cap_reached: bool,
    /// Statutory interest is on, but the rate table stops before today.
    pub rates_missing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Blocker {
    RemindersOff,
    NotConnected,
    PlatformBehind,
    NoSender,
    CapReached,
    RatesMissing,
}

impl Blocker {
    pub fn code(self) -> &'static str {
        match self {
            Blocker::RemindersOff => "reminders-off",
            Blocker::NotConnected => "not-connected",
            Blocker::PlatformBehind => "platform-behind",
            Blocker::NoSender => "no-sender",
            Blocker::CapReached => "cap-reached",
            Blocker::RatesMissing => "rates-missing",
        }
    }

    /// The page where it is fixed.
    pub fn fixed_at(self) -> &'static str {
        match self {
            Blocker::RemindersOff => "/app/schedule",
            Blocker::NotConnected | Blocker::PlatformBehind => "/app/connections",
            Blocker::NoSender => "/app/branding",
            Blocker::CapReached => "/app/usage",
            Blocker::RatesMissing => "/app/charges",
        }
    }

    /// Whether nothing at all goes out while it holds, rather than a part (interest left out).
    pub fn stops_everything(self) -> bool {
        self != Blocker::RatesMissing
    }
}

/// What stands in the way, the most fundamental first.
pub fn blockers(s: &Standing) -> Vec<Blocker> {
    [
        (!s.reminders_on, Blocker::RemindersOff),
        (!s.connected, Blocker::NotConnected),
        (s.connected && s.platform_behind, Blocker::PlatformBehind),
        (!s.can_send_email, Blocker::NoSender),
        (s.cap_reached, Blocker::CapReached),
        (s.rates_missing, Blocker::RatesMissing),
    ]
    .into_iter()
    .filter_map(|(holds, b)| holds.then_some(b))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready() -> Standing {
        Standing {
            reminders_on: true,
            connected: true,
            platform_behind: false,
            can_send_email: true,
            cap_reached: false,
            rates_missing: false,
        }
    }

    #[test]
    fn a_ready_creditor_is_warned_of_nothing() {
        assert!(blockers(&ready()).is_empty());
    }

    #[test]
    fn each_obstacle_is_named_with_its_fix_and_a_platform_not_connected_is_not_also_behind() {
        let s = Standing {
            connected: false,
            platform_behind: true,
            cap_reached: true,
            ..ready()
        };
        assert_eq!(blockers(&s), vec![Blocker::NotConnected, Blocker::CapReached]);
        assert_eq!(Blocker::CapReached.fixed_at(), "/app/usage");
        let s = Standing {
            rates_missing: true,
            can_send_email: false,
            ..ready()
        };
        assert_eq!(blockers(&s), vec![Blocker::NoSender, Blocker::RatesMissing]);
        assert!(!Blocker::RatesMissing.stops_everything());
    }
}
