//! The creditor's branding and their own templates.

use serde::Serialize;

use duly_adapters::outbound::Outbound;
use duly_adapters::store::Store;
use duly_core::model::ids::CreditorId;
use duly_core::settings::{check_domain, check_template, validate_branding};

use super::{change_creditor, creditor, SettingsError};

/// The branding as the API shows it: with whether mail may carry its from-address's domain.
#[derive(Debug, Serialize)]
pub struct BrandingView {
    #[serde(flatten)]
    pub branding: duly_core::model::Branding,
    pub from_domain_verified: bool,
}

/// The domain mail from `address` carries, as SES and the ownership records name it.
pub fn sending_domain(address: &str) -> String {
    address.rsplit_once('@').map_or("", |(_, d)| d).to_ascii_lowercase()
}

/// Whether `creditor`'s mail may go out from `from_address`: its domain is this creditor's by a claim they
/// proved in DNS, and SES has verified it. Anyone else's mail goes from Duly's address in their name, since
/// SES verifies domains for Duly's whole account.
pub async fn own_domain(store: &Store, outbound: &Outbound, creditor: &CreditorId, from_address: &str) -> bool {
    let domain = sending_domain(from_address);
    match store.domain_owner(&domain).await {
        Ok(Some(owner)) if &owner == creditor => {}
        Ok(_) => return false,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the sending domain's owner; using Duly's address");
            return false;
        }
    }
    match outbound.domain_verified(&domain).await {
        Ok(verified) => verified,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the sending domain's state; using Duly's address");
            false
        }
    }
}

/// What claiming a sending domain needs: DNS to read the proof from, and the domains nobody may claim.
#[derive(Debug, Clone)]
pub struct SendingDomains {
    pub dns: duly_adapters::dns::DnsTxt,
    /// Duly's own sending domains (the fallback address's): reserved with their subdomains.
    pub reserved: Vec<String>,
}

impl SendingDomains {
    /// DNS from `DULY_DNS_JSON_URL` (a public resolver by default); the fallback address's domain reserved.
    pub fn new(dns_url: Option<&str>, fallback_from: Option<&str>) -> SendingDomains {
        SendingDomains {
            dns: duly_adapters::dns::DnsTxt::new(dns_url.unwrap_or(duly_adapters::dns::DEFAULT_URL)),
            reserved: fallback_from
                .map(sending_domain)
                .filter(|d| !d.is_empty())
                .into_iter()
                .collect(),
        }
    }
}

pub async fn branding(store: &Store, outbound: &Outbound, id: &CreditorId) -> Result<BrandingView, SettingsError> {
    let c = creditor(store, id).await?;
    let verified = own_domain(store, outbound, id, &c.branding.from_address).await;
    Ok(BrandingView {
        branding: c.branding,
        from_domain_verified: verified,
    })
}

/// A sending domain a creditor claims through Duly, with the DNS records that prove it.
#[derive(Debug, Serialize)]
pub struct DomainView {
    pub domain: String,
    /// The creditor proved the claim in DNS.
    pub proven: bool,
    /// Proven, and SES has verified the domain's DKIM: mail goes out from it.
    pub verified: bool,
    /// The TXT record to publish while the claim is not proven: `name` → `value`.
    pub txt_record: Option<(String, String)>,
    /// When an unproven claim lapses.
    pub claim_until: Option<chrono::DateTime<chrono::Utc>>,
    /// Once proven, the CNAME records to publish for SES's DKIM: `name` → `value`.
    pub dkim_records: Vec<(String, String)>,
}

fn claim_refused(id: &'static str) -> SettingsError {
    SettingsError::Invalid(duly_core::policy::PolicyError::new("domain", id))
}

/// Claims a sending domain for the creditor, or looks again at a claim they hold. A new claim is pending
/// until the claimant publishes its token in DNS: an SES identity that exists already proves nothing. Duly's
/// own domains, public suffixes, and the domains (parents and subdomains too) of claims others hold are
/// refused; a creditor holds at most a few unproven claims. Once proven, SES's verification starts and its
/// DKIM records are shown.
pub async fn claim_domain(
    store: &Store,
    outbound: &Outbound,
    domains: &SendingDomains,
    id: &CreditorId,
    domain: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<DomainView, SettingsError> {
    use duly_core::settings::domains::{refusal, txt_name, Claim, ClaimState, Refusal, MAX_PENDING_CLAIMS};

    let domain = domain.to_ascii_lowercase();
    check_domain(&domain)?;
    let existing = store.domain_claim(&domain).await?;
    let mut near = store.claims_near(&domain).await?;
    near.extend(existing.clone());
    match refusal(&domain, id, &domains.reserved, &near, now) {
        Some(Refusal::Reserved) => return Err(claim_refused("invalid-domain-reserved")),
        Some(Refusal::PublicSuffix) => return Err(claim_refused("invalid-domain-suffix")),
        Some(Refusal::Taken) => return Err(SettingsError::Taken("this domain belongs to another Duly account")),
        None => {}
    }
    let mut claim = match existing {
        Some(c) if &c.creditor == id && c.holds(now) => c,
        _ => {
            if store.pending_claims(id, now).await? >= MAX_PENDING_CLAIMS {
                return Err(SettingsError::Invalid(
                    duly_core::policy::PolicyError::new("domain", "invalid-domain-claims")
                        .with("max", MAX_PENDING_CLAIMS),
                ));
            }
            let c = Claim::new(&domain, id.clone(), now);
            if !store.put_claim(&c, now).await? {
                return Err(SettingsError::Taken("this domain belongs to another Duly account"));
            }
            c
        }
    };
    if claim.state == ClaimState::Pending {
        let published = domains.dns.txt(&txt_name(&domain)).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the claim's TXT record could not be read");
            Vec::new()
        });
        if claim.proven_by(&published) {
            claim.state = ClaimState::Proven;
            if !store.put_claim(&claim, now).await? {
                return Err(SettingsError::Taken("this domain belongs to another Duly account"));
            }
        }
    }
    if claim.state == ClaimState::Pending {
        return Ok(DomainView {
            proven: false,
            verified: false,
            txt_record: Some(claim.txt_record()),
            claim_until: Some(claim.until),
            dkim_records: Vec::new(),
            domain,
        });
    }
    let unavailable = |e: duly_adapters::outbound::OutboundError| {
        SettingsError::Store(duly_adapters::store::StoreError::Unavailable(e.to_string()))
    };
    let tokens = outbound.start_domain_verification(&domain).await.map_err(unavailable)?;
    Ok(DomainView {
        proven: true,
        verified: outbound.domain_verified(&domain).await.unwrap_or(false),
        txt_record: None,
        claim_until: None,
        dkim_records: tokens
            .iter()
            .map(|t| (format!("{t}._domainkey.{domain}"), format!("{t}.dkim.amazonses.com")))
            .collect(),
        domain,
    })
}

pub async fn put_branding(
    store: &Store,
    id: &CreditorId,
    branding: duly_core::model::Branding,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), SettingsError> {
    validate_branding(&branding)?;
    change_creditor(store, id, |c| {
        c.branding = branding.clone();
        c.setup.branded_at.get_or_insert(now);
        Ok(())
    })
    .await?;
    Ok(())
}

/// Saves (or with `None` removes) the creditor's own template for one language, after checking it renders.
pub async fn put_template(
    store: &Store,
    id: &CreditorId,
    language: duly_core::locale::Language,
    name: &str,
    source: Option<String>,
) -> Result<(), SettingsError> {
    let key = format!("{}/{name}", language.code());
    if let Some(source) = &source {
        // Checked once, against the branding as it is now, before the write that may be retried.
        let c = creditor(store, id).await?;
        check_template(&c.branding, language, name, source)?;
    }
    change_creditor(store, id, |c| {
        match &source {
            Some(source) => {
                c.templates.insert(key.clone(), source.clone());
            }
            None => {
                if c.templates.remove(&key).is_none() {
                    return Err(SettingsError::NotFound("template"));
                }
            }
        }
        Ok(())
    })
    .await?;
    Ok(())
}
