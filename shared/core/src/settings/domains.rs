//! Who may send as a domain. SES verifies identities for Duly's whole account, so an identity that exists
//! (Duly's own, or one verified before ownership was recorded) proves nothing about the creditor who names
//! it. A claim is proven only by DNS: a token made for that claim, published by the claimant in a TXT record
//! at `_duly-claim.{domain}`. Until then, and for everyone else, mail goes from Duly's address.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ids::CreditorId;

/// How long an unproven claim holds the domain for its claimant.
pub const PENDING_CLAIM_HOURS: i64 = 72;
/// Unproven claims one creditor may hold at once: each may become an SES identity, and the account's
/// identity quota is everyone's.
pub const MAX_PENDING_CLAIMS: usize = 3;

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimState {
    /// The token is not seen in DNS yet; the claim lapses at `until`.
    Pending,
    /// The claimant published the token: the domain is theirs.
    Proven,
}

/// A creditor's claim on a sending domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub domain: String,
    pub creditor: CreditorId,
    pub state: ClaimState,
    /// The token the TXT record must carry.
    pub token: String,
    /// When a pending claim lapses.
    pub until: DateTime<Utc>,
}

impl Claim {
    /// A new pending claim with its own random token.
    pub fn new(domain: &str, creditor: CreditorId, now: DateTime<Utc>) -> Claim {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the operating system provides randomness");
        Claim {
            domain: domain.to_string(),
            creditor,
            state: ClaimState::Pending,
            token: crate::text::hex(&bytes),
            until: now + Duration::hours(PENDING_CLAIM_HOURS),
        }
    }

    /// Whether the claim keeps the domain from others at `now`: proven, or pending and not lapsed.
    pub fn holds(&self, now: DateTime<Utc>) -> bool {
        self.state == ClaimState::Proven || self.until > now
    }

    /// The TXT record that proves this claim: its name and its value.
    pub fn txt_record(&self) -> (String, String) {
        (txt_name(&self.domain), format!("duly-claim={}", self.token))
    }

    /// Whether the TXT values found in DNS prove this claim.
    pub fn proven_by(&self, txt_values: &[String]) -> bool {
        let (_, wanted) = self.txt_record();
        txt_values.iter().any(|v| v.trim().trim_matches('"') == wanted)
    }
}

/// Where the claim's TXT record is published.
pub fn txt_name(domain: &str) -> String {
    format!("_duly-claim.{domain}")
}

/// Whether `domain` is `other` or one of its subdomains.
pub fn within(domain: &str, other: &str) -> bool {
    domain == other || domain.ends_with(&format!(".{other}"))
}

/// The registrable domain (`nordwind.co.uk` of `mail.nordwind.co.uk`) by the public suffix list: claims
/// on one registrable domain are compared with each other. `None` for a public suffix itself (`co.uk`),
/// which nobody may claim.
pub fn registrable(domain: &str) -> Option<&str> {
    psl::domain_str(domain).filter(|d| within(domain, d))
}

/// Why a domain cannot be claimed by `claimant`, if it cannot: Duly's own sending domains and their
/// subdomains are reserved, a public suffix is nobody's, and a domain that is another creditor's (or a
/// parent or subdomain of another's) is theirs while their claim holds.
pub fn refusal(
    domain: &str,
    claimant: &CreditorId,
    reserved: &[String],
    others: &[Claim],
    now: DateTime<Utc>,
) -> Option<Refusal> {
    if reserved.iter().any(|r| within(domain, r) || within(r, domain)) {
        return Some(Refusal::Reserved);
    }
    if registrable(domain).is_none() {
        return Some(Refusal::PublicSuffix);
    }
    let taken = others
        .iter()
        .filter(|c| &c.creditor != claimant && c.holds(now))
        .any(|c| within(domain, &c.domain) || within(&c.domain, domain));
    taken.then_some(Refusal::Taken)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Reserved,
    PublicSuffix,
    Taken,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-06T10:00:00Z".parse().unwrap()
    }

    fn claim(domain: &str, by: &str, state: ClaimState, hours_left: i64) -> Claim {
        Claim {
            domain: domain.into(),
            creditor: CreditorId::parse(by).unwrap(),
            state,
            token: "t".into(),
            until: now() + Duration::hours(hours_left),
        }
    }

    #[test]
    fn duly_s_own_domain_public_suffixes_and_others_domains_are_refused() {
        let me = CreditorId::parse("attacker").unwrap();
        let reserved = vec!["duly.example".to_string()];
        let victims = [claim("victim.example", "victim", ClaimState::Proven, -1)];
        let refused = |d: &str| refusal(d, &me, &reserved, &victims, now());
        assert_eq!(refused("duly.example"), Some(Refusal::Reserved));
        assert_eq!(refused("mail.duly.example"), Some(Refusal::Reserved));
        assert_eq!(refused("co.uk"), Some(Refusal::PublicSuffix));
        assert_eq!(refused("victim.example"), Some(Refusal::Taken));
        assert_eq!(refused("mail.victim.example"), Some(Refusal::Taken), "a subdomain");
        assert_eq!(refused("attacker.example"), None);
        assert_eq!(
            refusal(
                "mail.victim.example",
                &CreditorId::parse("victim").unwrap(),
                &reserved,
                &victims,
                now()
            ),
            None,
            "the owner may claim their own subdomains"
        );
    }

    #[test]
    fn a_pending_claim_holds_until_it_lapses_and_a_parent_is_refused_while_it_does() {
        let me = CreditorId::parse("me").unwrap();
        let pending = [claim("shop.nordwind.example", "other", ClaimState::Pending, 5)];
        assert_eq!(
            refusal("nordwind.example", &me, &[], &pending, now()),
            Some(Refusal::Taken)
        );
        let lapsed = [claim("shop.nordwind.example", "other", ClaimState::Pending, -1)];
        assert_eq!(refusal("nordwind.example", &me, &[], &lapsed, now()), None);
    }

    #[test]
    fn only_the_claim_s_own_token_proves_it() {
        let c = Claim::new("nordwind.example", CreditorId::parse("me").unwrap(), now());
        let (name, value) = c.txt_record();
        assert_eq!(name, "_duly-claim.nordwind.example");
        assert!(c.proven_by(&["v=spf1 -all".into(), format!("\"{value}\"")]));
        let other = Claim::new("nordwind.example", CreditorId::parse("me").unwrap(), now());
        assert!(!other.proven_by(&[value]));
        assert_eq!(registrable("mail.nordwind.co.uk"), Some("nordwind.co.uk"));
    }
}
