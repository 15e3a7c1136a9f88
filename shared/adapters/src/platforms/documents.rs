//! The invoice as each platform prints it: Xero's and QuickBooks' PDF renditions, Stripe's `invoice_pdf`.
//! (Merit's comes through its signed API, see `merit`.)

use std::time::Duration;

use super::{ApiError, PlatformApi};

impl PlatformApi {
    /// A GET answered with a PDF.
    async fn get_pdf(&self, bearer: Option<&str>, url: &str, headers: &[(&str, &str)]) -> Result<Vec<u8>, ApiError> {
        let mut request = self
            .http()
            .get(url)
            .header("accept", "application/pdf")
            .timeout(Duration::from_secs(20));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        super::body_of(request).await
    }

    /// Xero: `GET /api.xro/2.0/Invoices/{id}` with `Accept: application/pdf`.
    pub async fn xero_invoice_pdf(&self, token: &str, tenant: &str, id: &str) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/api.xro/2.0/Invoices/{id}", self.api_base);
        self.get_pdf(Some(token), &url, &[("xero-tenant-id", tenant)]).await
    }

    /// QuickBooks: `GET /v3/company/{realm}/invoice/{id}/pdf`.
    pub async fn quickbooks_invoice_pdf(&self, token: &str, realm: &str, id: &str) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}/v3/company/{realm}/invoice/{id}/pdf", self.api_base);
        self.get_pdf(Some(token), &url, &[]).await
    }

    /// Stripe: the invoice's `invoice_pdf`, a link Stripe serves to whoever has it; taken only from Stripe's
    /// own answer and only over HTTPS (or from where this API is, for a local Stripe).
    pub async fn stripe_invoice_pdf(&self, key: &str, id: &str) -> Result<Vec<u8>, ApiError> {
        let body = self.stripe_list(key, &format!("invoices/{id}"), &[]).await?;
        let invoice: serde_json::Value = serde_json::from_slice(&body).map_err(|_| ApiError::Rejected(502))?;
        let url = invoice["invoice_pdf"].as_str().ok_or(ApiError::Rejected(404))?;
        if !(url.starts_with("https://") || url.starts_with(&format!("{}/", self.api_base))) {
            return Err(ApiError::Rejected(502));
        }
        self.get_pdf(None, url, &[]).await
    }
}
