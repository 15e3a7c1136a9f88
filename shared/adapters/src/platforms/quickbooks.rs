//! QuickBooks Online's accounting API (`/v3/company/{realm}`).

use chrono::{DateTime, Utc};

use super::{ApiError, PlatformApi};

/// How far back QuickBooks' change data capture reaches.
pub const QUICKBOOKS_CDC_DAYS: i64 = 30;

impl PlatformApi {
    /// QuickBooks `GET /v3/company/{realm}/query?query=…`.
    pub async fn quickbooks_query(&self, token: &str, realm: &str, query: &str) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v3/company/{realm}/query", self.api_base);
        // `include=invoiceLink` adds each invoice's online pay link, where the company offers online payment.
        let params = [
            ("query", query.to_string()),
            ("minorversion", "75".to_string()),
            ("include", "invoiceLink".to_string()),
        ];
        self.get_with(token, url, &params, &[]).await
    }

    /// QuickBooks change data capture: `GET /v3/company/{realm}/cdc?entities=…&changedSince=…` (at most
    /// [`QUICKBOOKS_CDC_DAYS`] back).
    pub async fn quickbooks_cdc(
        &self,
        token: &str,
        realm: &str,
        entities: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v3/company/{realm}/cdc", self.api_base);
        let params = [
            ("entities", entities.to_string()),
            ("changedSince", since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            ("minorversion", "75".to_string()),
        ];
        self.get_with(token, url, &params, &[]).await
    }

    /// QuickBooks `GET /v3/company/{realm}/{entity}/{id}` (`invoice`, `payment`, `customer`).
    pub async fn quickbooks(&self, token: &str, realm: &str, entity: &str, id: &str) -> Result<Vec<u8>, ApiError> {
        let url = format!(
            "{}/v3/company/{realm}/{entity}/{id}?minorversion=75&include=invoiceLink",
            self.api_base
        );
        self.get_url(token, url, None).await
    }

    /// QuickBooks `GET /v3/company/{realm}/companyinfo/{realm}`: answers only for a token of that company.
    pub async fn quickbooks_company_info(&self, token: &str, realm: &str) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v3/company/{realm}/companyinfo/{realm}", self.api_base);
        self.get_with(token, url, &[], &[]).await
    }

    /// The company's preferences: its home currency among them.
    pub async fn quickbooks_preferences(&self, token: &str, realm: &str) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v3/company/{realm}/preferences", self.api_base);
        self.get_with(token, url, &[], &[]).await
    }
}
