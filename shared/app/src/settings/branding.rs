//! The creditor's branding and their own templates.

use serde::Serialize;

use duly_adapters::store::Store;
use duly_core::model::ids::CreditorId;
use duly_core::settings::{check_template, validate_branding};

use super::{change_creditor, creditor, SettingsError};

/// The branding as the API shows it: with whether SES may send from its domain.
#[derive(Debug, Serialize)]
pub struct BrandingView {
    #[serde(flatten)]
    pub branding: duly_core::model::Branding,
    pub from_domain_verified: bool,
}

pub async fn branding(
    store: &Store,
    outbound: &duly_adapters::outbound::Outbound,
    id: &CreditorId,
) -> Result<BrandingView, SettingsError> {
    let c = creditor(store, id).await?;
    let domain = c
        .branding
        .from_address
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .to_string();
    let verified = outbound.domain_verified(&domain).await.unwrap_or(false);
    Ok(BrandingView {
        branding: c.branding,
        from_domain_verified: verified,
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
