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

/// Whether `creditor`'s mail may go out from `from_address`: its domain belongs to this creditor (who
/// verified it through Duly) and SES has verified it. Anyone else's mail goes from Duly's address in their
/// name, since SES verifies domains for Duly's whole account.
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

pub async fn branding(store: &Store, outbound: &Outbound, id: &CreditorId) -> Result<BrandingView, SettingsError> {
    let c = creditor(store, id).await?;
    let verified = own_domain(store, outbound, id, &c.branding.from_address).await;
    Ok(BrandingView {
        branding: c.branding,
        from_domain_verified: verified,
    })
}

/// A sending domain a creditor verifies through Duly, with the DNS records that prove it.
#[derive(Debug, Serialize)]
pub struct DomainView {
    pub domain: String,
    pub verified: bool,
    /// CNAME records to publish: `name` → `value`.
    pub dkim_records: Vec<(String, String)>,
}

/// Claims a sending domain for the creditor and starts SES's verification of it. A domain another creditor
/// claimed first is refused: only one creditor's mail may carry it.
pub async fn claim_domain(
    store: &Store,
    outbound: &Outbound,
    id: &CreditorId,
    domain: &str,
) -> Result<DomainView, SettingsError> {
    let domain = domain.to_ascii_lowercase();
    check_domain(&domain)?;
    if !store.claim_domain(&domain, id).await? {
        return Err(SettingsError::Taken("this domain belongs to another Duly account"));
    }
    let tokens = outbound
        .start_domain_verification(&domain)
        .await
        .map_err(|e| SettingsError::Store(duly_adapters::store::StoreError::Unavailable(e.to_string())))?;
    Ok(DomainView {
        verified: outbound.domain_verified(&domain).await.unwrap_or(false),
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
) -> Result<(), SettingsError> {
    validate_branding(&branding)?;
    change_creditor(store, id, |c| {
        c.branding = branding.clone();
        Ok(())
    })
    .await?;
    Ok(())
}

/// Saves (or with `None` removes) the creditor's own template for one language, after checking it renders.
pub async fn put_template(
    store: &Store,
    id: &CreditorId,
    language: duly_core::messages::locale::Language,
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
