//! Xero's accounting API (`/api.xro/2.0`) and identity API (`/connections`).

use chrono::{DateTime, Utc};

use super::{ApiError, PlatformApi};

/// Ids per `GET /Invoices?IDs=` request, well under Xero's URL limits.
pub const INVOICES_PER_REQUEST: usize = 40;

/// Xero returns at most this many invoices per page.
pub const XERO_PAGE_SIZE: usize = 100;

impl PlatformApi {
    /// Xero `GET /connections`: the tenants a token reaches.
    pub async fn xero_connections(&self, token: &str) -> Result<Vec<u8>, ApiError> {
        self.get_with(token, format!("{}/connections", self.api_base), &[], &[])
            .await
    }

    /// Xero `GET /Organisation`: the organisation's name, country, currency, time zone and legal details.
    pub async fn xero_organisation(&self, token: &str, tenant: &str) -> Result<Vec<u8>, ApiError> {
        self.get(token, tenant, "Organisation").await
    }

    /// Xero `GET /Invoices/{id}/OnlineInvoice`: the page where the customer sees and pays the invoice.
    pub async fn xero_online_invoice(&self, token: &str, tenant: &str, invoice: &str) -> Result<Vec<u8>, ApiError> {
        // Ids are Xero's GUIDs, checked by the caller; nothing else reaches the path.
        self.get(token, tenant, &format!("Invoices/{invoice}/OnlineInvoice"))
            .await
    }

    async fn get(&self, token: &str, tenant: &str, path: &str) -> Result<Vec<u8>, ApiError> {
        self.get_url(token, format!("{}/api.xro/2.0/{path}", self.api_base), Some(tenant))
            .await
    }

    /// Xero `GET /Invoices?where=Type=="ACCREC"&page=n`: sales invoices changed since `modified_since`
    /// (`If-Modified-Since`), or, without it, every unpaid one. Pages hold up to [`XERO_PAGE_SIZE`].
    pub async fn xero_invoice_page(
        &self,
        token: &str,
        tenant: &str,
        page: u32,
        modified_since: Option<DateTime<Utc>>,
    ) -> Result<Vec<u8>, ApiError> {
        let mut query = vec![("where", r#"Type=="ACCREC""#.to_string()), ("page", page.to_string())];
        let mut headers = vec![("xero-tenant-id", tenant.to_string())];
        match modified_since {
            Some(since) => headers.push(("if-modified-since", since.format("%Y-%m-%dT%H:%M:%S").to_string())),
            None => query.push(("Statuses", "AUTHORISED".to_string())),
        }
        let url = format!("{}/api.xro/2.0/Invoices", self.api_base);
        self.get_with(token, url, &query, &headers).await
    }

    /// `GET /Invoices?IDs=a,b,…`: the raw response, for `duly_core::platforms::xero::invoices_from_response`.
    pub async fn invoices(&self, token: &str, tenant: &str, ids: &[String]) -> Result<Vec<u8>, ApiError> {
        self.get(token, tenant, &format!("Invoices?IDs={}", ids.join(",")))
            .await
    }

    /// Xero `GET /Contacts?IDs=a,b,…`.
    pub async fn contacts(&self, token: &str, tenant: &str, ids: &[String]) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/api.xro/2.0/Contacts", self.api_base);
        let headers = [("xero-tenant-id", tenant.to_string())];
        self.get_with(token, url, &[("IDs", ids.join(","))], &headers).await
    }

    /// `GET /Contacts/{id}`: the raw response, for `duly_core::platforms::xero::contacts_from_response`.
    pub async fn contact(&self, token: &str, tenant: &str, id: &str) -> Result<Vec<u8>, ApiError> {
        self.get(token, tenant, &format!("Contacts/{id}")).await
    }
}
