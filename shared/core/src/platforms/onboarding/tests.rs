use super::*;

const XERO: &str = r#"{"Id":"1","Status":"OK","Organisations":[{"Name":"Nordwind Tools","LegalName":"Nordwind Tools OÜ",
    "CountryCode":"EE","BaseCurrency":"EUR","Timezone":"FLESTANDARDTIME","RegistrationNumber":"12345678",
    "TaxNumber":"EE101234567","Addresses":[{"AddressType":"STREET","AddressLine1":"Ladu 2","City":"Tallinn"},
    {"AddressType":"POBOX","AddressLine1":"Tööstuse 1","City":"Tallinn","PostalCode":"10111","Country":"Estonia"}]}]}"#;

#[test]
fn a_xero_organisation_sets_up_country_zone_language_and_legal_details() {
    let org = xero_organisation(XERO.as_bytes()).unwrap();
    assert_eq!(org.country.as_deref(), Some("EE"));
    assert_eq!(
        org.time_zone,
        Some(chrono_tz::Europe::Tallinn),
        "FLE's clock, Estonia's name"
    );
    assert_eq!(org.currency.map(|c| c.code().to_string()).as_deref(), Some("EUR"));
    assert_eq!(org.address.as_deref(), Some("Tööstuse 1, 10111, Tallinn, Estonia"));
    let c = new_creditor(CreditorId::parse("xero-t1").unwrap(), &org);
    assert_eq!((c.country.as_str(), c.language.as_str()), ("EE", "et"));
    assert_eq!(c.time_zone, chrono_tz::Europe::Tallinn);
    assert_eq!(c.branding.trading_name, "Nordwind Tools");
    assert_eq!(
        c.branding.legal_footer.as_deref(),
        Some("Nordwind Tools OÜ · Registrikood 12345678 · KMKR EE101234567 · Tööstuse 1, 10111, Tallinn, Estonia")
    );
    assert!(
        !c.policy.enabled,
        "reminders stay off until the creditor switches them on"
    );
}

#[test]
fn a_zone_on_another_clock_than_the_countrys_is_kept() {
    let pacific = XERO
        .replace(r#""CountryCode":"EE""#, r#""CountryCode":"US""#)
        .replace("FLESTANDARDTIME", "PACIFICSTANDARDTIME");
    let org = xero_organisation(pacific.as_bytes()).unwrap();
    assert_eq!(org.time_zone, Some(chrono_tz::America::Los_Angeles));
    let unknown = XERO.replace("FLESTANDARDTIME", "NOSUCHTIME");
    assert_eq!(
        xero_organisation(unknown.as_bytes()).unwrap().time_zone,
        Some(chrono_tz::Europe::Tallinn),
        "the country's zone when Xero's name is unknown"
    );
}

#[test]
fn a_quickbooks_company_brings_its_home_currency_and_address() {
    let info = br#"{"CompanyInfo":{"CompanyName":"Red Rock Diner","LegalName":"Red Rock Diner Inc.","Country":"US",
        "CompanyAddr":{"Line1":"123 Main St","City":"Mountain View","CountrySubDivisionCode":"CA","PostalCode":"94042","Country":"US"},
        "Email":{"Address":"accounts@redrock.example"}},"time":"2026-11-20T01:00:00-08:00"}"#;
    let prefs = br#"{"Preferences":{"CurrencyPrefs":{"MultiCurrencyEnabled":false,"HomeCurrency":{"value":"USD"}}}}"#;
    let org = quickbooks_company(info, prefs).unwrap();
    assert_eq!(org.currency.map(|c| c.code().to_string()).as_deref(), Some("USD"));
    assert_eq!(org.time_zone, Some(chrono_tz::America::Los_Angeles));
    let c = new_creditor(CreditorId::parse("quickbooks-1").unwrap(), &org);
    assert_eq!((c.country.as_str(), c.language.as_str()), ("US", "en"));
    assert_eq!(c.branding.reply_to, "accounts@redrock.example");
    assert!(quickbooks_company(b"{}", prefs).is_err());
}

#[test]
fn a_stripe_account_and_an_organisation_that_says_nothing() {
    let account = br#"{"id":"acct_1","object":"account","country":"PL","default_currency":"pln",
        "business_profile":{"name":"Kowalski Sp. z o.o.","support_email":"biuro@kowalski.example"},
        "settings":{"dashboard":{"display_name":"Kowalski","timezone":"Europe/Warsaw"}}}"#;
    let org = stripe_account(account).unwrap();
    assert_eq!(
        (
            org.country.as_deref(),
            org.time_zone,
            org.currency.map(|c| c.code().to_string()).as_deref()
        ),
        (Some("PL"), Some(chrono_tz::Europe::Warsaw), Some("PLN"))
    );
    assert_eq!(new_creditor(CreditorId::parse("s1").unwrap(), &org).language, "pl");
    let bare = new_creditor(CreditorId::parse("s2").unwrap(), &stripe_account(b"{}").unwrap());
    assert_eq!(
        (bare.country.as_str(), bare.language.as_str(), bare.time_zone),
        ("GB", "en", chrono_tz::Europe::London)
    );
}

#[test]
fn an_organisation_without_a_name_is_called_so_in_its_countrys_language() {
    let body = br#"{"Organisations":[{"OrganisationID":"o1","CountryCode":"EE","Addresses":[]}]}"#;
    assert_eq!(xero_organisation(body).unwrap().name, "Teie organisatsioon");
    let body = br#"{"Organisations":[{"OrganisationID":"o1","CountryCode":"SE","Addresses":[]}]}"#;
    assert_eq!(xero_organisation(body).unwrap().name, "Your organisation");
}
