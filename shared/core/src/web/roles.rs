//! Who may do what in the web app: an owner runs the account (who signs in, API tokens, the spend cap,
//! the platform connections), a member works the receivables, a viewer only looks.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Member,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Member, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// The role a member's record holds. One recorded before roles existed has none: everyone could do
    /// everything then, and taking that away unasked would lock an account's only member out of its
    /// settings. One that cannot be read gets the least.
    pub fn recorded(raw: Option<&str>) -> Role {
        match raw {
            None => Role::Owner,
            Some(raw) => Role::parse(raw).unwrap_or(Role::Viewer),
        }
    }
}

/// Why a form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A viewer posted a form that changes something.
    ViewersOnlyLook,
    /// A member posted a form only an owner may.
    OwnersOnly,
    /// The change would leave the account with no owner.
    LastOwner,
}

impl Refusal {
    /// The message id that says so, in the member's language.
    pub fn message_id(self) -> &'static str {
        match self {
            Refusal::ViewersOnlyLook => "web-refused-viewer",
            Refusal::OwnersOnly => "web-refused-owners-only",
            Refusal::LastOwner => "web-refused-last-owner",
        }
    }
}

/// Whether `role` may post the form at `path`, the request path's segments (`["app", "team"]`).
/// Signing out and one's own settings are every member's; the account's running is an owner's.
pub fn may_post(role: Role, path: &[&str]) -> Result<(), Refusal> {
    match (role, path) {
        (_, ["app", "sign-out" | "sign-out-everywhere" | "me"]) => Ok(()),
        (Role::Viewer, _) => Err(Refusal::ViewersOnlyLook),
        (Role::Member, ["app", "team" | "tokens" | "usage" | "connections", ..]) => Err(Refusal::OwnersOnly),
        _ => Ok(()),
    }
}

/// Whether `email` may become `to` (`None`: removed) given everyone's roles now: the account keeps an
/// owner.
pub fn may_change(members: &[(String, Role)], email: &str, to: Option<Role>) -> Result<(), Refusal> {
    let owners_after = members
        .iter()
        .filter(|(who, role)| match who == email {
            true => to == Some(Role::Owner),
            false => *role == Role::Owner,
        })
        .count();
    match owners_after {
        0 => Err(Refusal::LastOwner),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewer_posts_nothing_but_signing_out_and_their_own_settings() {
        for path in [
            &["app", "debtors", "bulk"][..],
            &["app", "invoices", "i1", "pause"],
            &["app", "schedule"],
            &["app", "team"],
            &["app", "preview", "send"],
        ] {
            assert_eq!(may_post(Role::Viewer, path), Err(Refusal::ViewersOnlyLook), "{path:?}");
        }
        for path in [
            &["app", "sign-out"][..],
            &["app", "sign-out-everywhere"],
            &["app", "me"],
        ] {
            assert_eq!(may_post(Role::Viewer, path), Ok(()), "{path:?}");
        }
    }

    #[test]
    fn a_member_works_the_receivables_but_does_not_run_the_account() {
        for path in [
            &["app", "debtors", "bulk"][..],
            &["app", "invoices", "i1", "dispute"],
            &["app", "schedule"],
            &["app", "debtors", "d1", "notes"],
        ] {
            assert_eq!(may_post(Role::Member, path), Ok(()), "{path:?}");
        }
        for path in [
            &["app", "team"][..],
            &["app", "team", "remove"],
            &["app", "team", "role"],
            &["app", "tokens"],
            &["app", "usage"],
            &["app", "connections"],
        ] {
            assert_eq!(may_post(Role::Member, path), Err(Refusal::OwnersOnly), "{path:?}");
            assert_eq!(may_post(Role::Owner, path), Ok(()), "{path:?}");
        }
    }

    #[test]
    fn the_account_keeps_an_owner() {
        let members = vec![
            ("a@x.example".to_string(), Role::Owner),
            ("b@x.example".to_string(), Role::Member),
        ];
        assert_eq!(
            may_change(&members, "a@x.example", Some(Role::Member)),
            Err(Refusal::LastOwner)
        );
        assert_eq!(may_change(&members, "a@x.example", None), Err(Refusal::LastOwner));
        assert_eq!(may_change(&members, "b@x.example", Some(Role::Owner)), Ok(()));
        assert_eq!(may_change(&members, "b@x.example", None), Ok(()));
        let two = vec![
            ("a@x.example".to_string(), Role::Owner),
            ("b@x.example".to_string(), Role::Owner),
        ];
        assert_eq!(may_change(&two, "a@x.example", Some(Role::Viewer)), Ok(()));
    }

    #[test]
    fn members_recorded_before_roles_keep_what_they_could_do() {
        assert_eq!(Role::recorded(None), Role::Owner);
        assert_eq!(Role::recorded(Some("viewer")), Role::Viewer);
        assert_eq!(Role::recorded(Some("nonsense")), Role::Viewer);
    }
}
