//! A creditor made from a platform sign-up, set up from what the platform says about the organisation:
//! its country, time zone, language, currency, legal details and name.

use std::str::FromStr;

use chrono::{NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;
use fluent_bundle::FluentArgs;
use serde::Deserialize;

use crate::calendar::zones::{country_code, country_time_zone, xero_time_zone};
use crate::locale::wording;
use crate::locale::Language;
use crate::model::ids::CreditorId;
use crate::model::money::Currency;
use crate::model::{Branding, Creditor};
use crate::webhooks::canonical::FactError;

/// What a platform says about the organisation that connects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    pub legal_name: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub time_zone: Option<Tz>,
    /// The currency its books are kept in.
    pub currency: Option<Currency>,
    pub registration_number: Option<String>,
    pub tax_number: Option<String>,
    /// One line: street, postcode and city, country.
    pub address: Option<String>,
    pub email: Option<String>,
}

fn text(value: Option<String>, max: usize) -> Option<String> {
    value
        .map(|v| {
            v.trim()
                .chars()
                .filter(|c| !c.is_control())
                .take(max)
                .collect::<String>()
        })
        .filter(|v| !v.is_empty())
}

fn malformed(e: serde_json::Error) -> FactError {
    FactError::Malformed(e.to_string())
}

/// The country's own zone when it keeps the same clock as the platform's zone (Xero calls Tallinn,
/// Helsinki and Kyiv one zone), so its name is the country's; otherwise the platform's zone.
fn zone_in(country: Option<&str>, region: Option<&str>, platform: Option<Tz>) -> Option<Tz> {
    let own = country.and_then(|c| country_time_zone(c, region));
    let same_clock = |a: Tz, b: Tz| {
        [(2026, 1, 15), (2026, 7, 15)].iter().all(|&(y, m, d)| {
            let noon = NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|day| day.and_hms_opt(12, 0, 0))
                .expect("a fixed valid date");
            a.offset_from_utc_datetime(&noon).fix() == b.offset_from_utc_datetime(&noon).fix()
        })
    };
    match (own, platform) {
        (Some(own), Some(platform)) if same_clock(own, platform) => Some(own),
        (_, Some(platform)) => Some(platform),
        (own, None) => own,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroOrganisations {
    organisations: Vec<XeroOrganisation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroOrganisation {
    name: Option<String>,
    legal_name: Option<String>,
    country_code: Option<String>,
    base_currency: Option<String>,
    timezone: Option<String>,
    registration_number: Option<String>,
    tax_number: Option<String>,
    #[serde(default)]
    addresses: Vec<XeroAddress>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct XeroAddress {
    address_type: Option<String>,
    address_line1: Option<String>,
    city: Option<String>,
    region: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
}

fn one_line(parts: &[Option<&str>]) -> Option<String> {
    let joined = parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    text(Some(joined), 200)
}

/// Xero `GET /Organisation`.
pub fn xero_organisation(body: &[u8]) -> Result<Organisation, FactError> {
    let r: XeroOrganisations = serde_json::from_slice(body).map_err(malformed)?;
    let o = r
        .organisations
        .into_iter()
        .next()
        .ok_or_else(|| FactError::Malformed("no organisation".into()))?;
    let country = o.country_code.as_deref().and_then(country_code);
    let address = o
        .addresses
        .iter()
        .find(|a| a.address_type.as_deref() == Some("POBOX"))
        .or(o.addresses.first());
    let region = address.and_then(|a| a.region.as_deref());
    Ok(Organisation {
        // A platform that names no organisation: a placeholder in its country's language, until the
        // creditor sets their trading name.
        name: text(o.name, 200).unwrap_or_else(|| {
            let lang = country
                .as_deref()
                .and_then(Language::of_country)
                .unwrap_or(Language::En);
            crate::locale::wording_or_id(lang, "organisation-unnamed", &fluent_bundle::FluentArgs::new())
        }),
        legal_name: text(o.legal_name, 200),
        time_zone: zone_in(
            country.as_deref(),
            region,
            o.timezone.as_deref().and_then(xero_time_zone),
        ),
        country,
        currency: o.base_currency.as_deref().and_then(|c| Currency::parse(c).ok()),
        registration_number: text(o.registration_number, 64),
        tax_number: text(o.tax_number, 64),
        address: address.and_then(|a| {
            one_line(&[
                a.address_line1.as_deref(),
                a.postal_code.as_deref(),
                a.city.as_deref(),
                a.country.as_deref(),
            ])
        }),
        email: None,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CompanyInfoResponse {
    company_info: CompanyInfo,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CompanyInfo {
    company_name: Option<String>,
    legal_name: Option<String>,
    country: Option<String>,
    company_addr: Option<QboAddress>,
    legal_addr: Option<QboAddress>,
    email: Option<QboEmail>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QboAddress {
    line1: Option<String>,
    city: Option<String>,
    country_sub_division_code: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QboEmail {
    address: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PreferencesResponse {
    preferences: Preferences,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Preferences {
    currency_prefs: Option<CurrencyPrefs>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CurrencyPrefs {
    home_currency: Option<Reference>,
}

#[derive(Deserialize)]
struct Reference {
    value: Option<String>,
}

/// QuickBooks `CompanyInfo` and `Preferences` (for the home currency).
pub fn quickbooks_company(company_info: &[u8], preferences: &[u8]) -> Result<Organisation, FactError> {
    let c = serde_json::from_slice::<CompanyInfoResponse>(company_info)
        .map_err(malformed)?
        .company_info;
    let home = serde_json::from_slice::<PreferencesResponse>(preferences)
        .map_err(malformed)?
        .preferences
        .currency_prefs
        .and_then(|p| p.home_currency)
        .and_then(|r| r.value);
    let address = c.legal_addr.as_ref().or(c.company_addr.as_ref());
    let country = c
        .country
        .as_deref()
        .or(address.and_then(|a| a.country.as_deref()))
        .and_then(country_code);
    let region = address.and_then(|a| a.country_sub_division_code.as_deref());
    Ok(Organisation {
        name: text(c.company_name, 200).unwrap_or_else(|| "Your company".into()),
        legal_name: text(c.legal_name, 200),
        time_zone: zone_in(country.as_deref(), region, None),
        country,
        currency: home.as_deref().and_then(|c| Currency::parse(c).ok()),
        registration_number: None,
        tax_number: None,
        address: address.and_then(|a| {
            one_line(&[
                a.line1.as_deref(),
                a.postal_code.as_deref(),
                a.city.as_deref(),
                a.country.as_deref(),
            ])
        }),
        email: c
            .email
            .and_then(|e| e.address)
            .filter(|e| e.contains('@') && e.len() <= 254),
    })
}

#[derive(Deserialize)]
struct StripeAccount {
    country: Option<String>,
    default_currency: Option<String>,
    business_profile: Option<BusinessProfile>,
    settings: Option<StripeSettings>,
}

#[derive(Deserialize)]
struct BusinessProfile {
    name: Option<String>,
    support_email: Option<String>,
}

#[derive(Deserialize)]
struct StripeSettings {
    dashboard: Option<Dashboard>,
}

#[derive(Deserialize)]
struct Dashboard {
    display_name: Option<String>,
    timezone: Option<String>,
}

/// Stripe `GET /v1/account`.
pub fn stripe_account(body: &[u8]) -> Result<Organisation, FactError> {
    let a: StripeAccount = serde_json::from_slice(body).map_err(malformed)?;
    let dashboard = a.settings.and_then(|s| s.dashboard);
    let profile = a.business_profile;
    let country = a.country.as_deref().and_then(country_code);
    let platform_zone = dashboard
        .as_ref()
        .and_then(|d| d.timezone.as_deref())
        .and_then(|z| Tz::from_str(z).ok());
    Ok(Organisation {
        name: text(profile.as_ref().and_then(|p| p.name.clone()), 200)
            .or_else(|| text(dashboard.as_ref().and_then(|d| d.display_name.clone()), 200))
            .unwrap_or_else(|| "Your business".into()),
        legal_name: None,
        time_zone: zone_in(country.as_deref(), None, platform_zone),
        country,
        currency: a.default_currency.as_deref().and_then(|c| Currency::parse(c).ok()),
        registration_number: None,
        tax_number: None,
        address: None,
        email: profile
            .and_then(|p| p.support_email)
            .filter(|e| e.contains('@') && e.len() <= 254),
    })
}

/// A creditor made from a marketplace sign-up: in the organisation's country, time zone and language,
/// under its name and legal details, with reminders off until they set their sender address and switch
/// them on. What the platform does not say falls back to the United Kingdom and English.
pub fn new_creditor(id: CreditorId, org: &Organisation) -> Creditor {
    let policy = crate::policy::Policy {
        enabled: false,
        ..Default::default()
    };
    let country = org.country.clone().unwrap_or_else(|| "GB".to_string());
    let language = Language::of_country(&country).unwrap_or(Language::En);
    let time_zone = org
        .time_zone
        .or_else(|| country_time_zone(&country, None))
        .unwrap_or(chrono_tz::Europe::London);
    // The footer names the legal entity when it is not the name customers know.
    let legal_footer = org.legal_name.as_ref().filter(|l| **l != org.name).map(|legal| {
        let label = |id: &str| wording(language, id, &FluentArgs::new()).unwrap_or_default();
        let mut parts = vec![legal.clone()];
        if let Some(reg) = &org.registration_number {
            parts.push(format!("{} {reg}", label("label-registry")));
        }
        if let Some(vat) = &org.tax_number {
            parts.push(format!("{} {vat}", label("label-vat")));
        }
        parts.extend(org.address.clone());
        parts.join(" · ")
    });
    Creditor {
        creditor_id: id,
        branding: Branding {
            trading_name: org.name.clone(),
            sender_name: org.name.clone(),
            from_address: String::new(),
            reply_to: org.email.clone().unwrap_or_default(),
            logo_url: None,
            brand_colour: "#1f2937".to_string(),
            signature: None,
            legal_footer,
            sms_sender_id: None,
            registry_code: org.registration_number.clone(),
            vat_number: org.tax_number.clone(),
            address: org.address.clone(),
            bank_account: None,
        },
        country,
        time_zone,
        language: language.code().to_string(),
        policy,
        groups: Default::default(),
        templates: Default::default(),
        disconnected: None,
        notifications: Default::default(),
        late_charges: Default::default(),
        payment_plans: Default::default(),
        billing: Default::default(),
        risk: Default::default(),
        records: Default::default(),
        setup: Default::default(),
        rev: 0,
    }
}

#[cfg(test)]
mod tests;
