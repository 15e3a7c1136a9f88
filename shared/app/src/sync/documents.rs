//! Fetching the invoice itself (the platform's PDF) for the reminders that attach it. The scheduler holds
//! no platform credentials (the key policy gives them to the connect and sync functions alone), so the sync
//! function fetches each open invoice's document once per version of the invoice, while it has the
//! connection open, and keeps it beside the invoice for every reminder and retry that attaches it.

use duly_adapters::platforms::ApiError;
use duly_adapters::store::{Document, MAX_DOCUMENT_BYTES};
use duly_core::model::ids::WebhookId;
use duly_core::model::Platform;
use duly_core::policy::AttachInvoice;
use duly_core::webhooks::canonical::{DocumentStatus, Fact, InvoiceFact, InvoiceSnapshot};

use super::session::Session;
use super::{merit, unavailable};

/// Documents one run fetches per connection, within the platforms' rate limits; the rest wait for the
/// invoice's next sync.
pub const DOCUMENTS_PER_RUN: usize = 20;

/// The file's name in the debtor's mail: the invoice's number, in letters any mail program keeps.
fn file_name(number: &str) -> String {
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    match safe.trim_matches('-') {
        "" => "invoice.pdf".to_string(),
        name => format!("{name}.pdf"),
    }
}

async fn fetch(session: &mut Session<'_>, tenant: &str, invoice: &InvoiceSnapshot) -> Result<Vec<u8>, ApiError> {
    let id = invoice.invoice_id.to_string();
    let api = session.api;
    let tenant = tenant.to_string();
    match session.connection.platform {
        Platform::Xero => {
            session
                .call(|token| {
                    let (tenant, id) = (tenant.clone(), id.clone());
                    async move { api.xero_invoice_pdf(&token, &tenant, &id).await }
                })
                .await
        }
        Platform::QuickBooks => {
            session
                .call(|token| {
                    let (tenant, id) = (tenant.clone(), id.clone());
                    async move { api.quickbooks_invoice_pdf(&token, &tenant, &id).await }
                })
                .await
        }
        Platform::Stripe => {
            session
                .call(|key| {
                    let id = id.clone();
                    async move { api.stripe_invoice_pdf(&key, &id).await }
                })
                .await
        }
        Platform::Merit => {
            let guid =
                duly_core::platforms::merit::records::guid_of(&invoice.invoice_id).ok_or(ApiError::Rejected(404))?;
            let body = merit::call(
                session,
                "v2/getsalesinvpdf",
                &duly_core::platforms::merit::records::invoice_pdf_request(guid),
            )
            .await?;
            duly_core::platforms::merit::records::invoice_pdf(&body).map_err(|_| ApiError::Rejected(502))
        }
        // A Standard Webhooks sender has no API to ask.
        Platform::StandardWebhooks => Err(ApiError::Rejected(404)),
    }
}

/// Fetches the documents of the open invoices among `facts` that a reminder may attach and Duly does not
/// hold at their version. What a platform cannot give is left out (the reminder goes without it); a
/// platform that is throttling or down ends the fetching for this run without failing the sync.
pub(super) async fn fetch_documents(
    session: &mut Session<'_>,
    tenant: &str,
    facts: &[(WebhookId, Fact)],
) -> Result<usize, ApiError> {
    let open: Vec<&InvoiceSnapshot> = facts
        .iter()
        .filter_map(|(_, f)| match f {
            Fact::Invoice(InvoiceFact::Upserted(s)) if s.status == DocumentStatus::Open => Some(s),
            _ => None,
        })
        .collect();
    if open.is_empty() {
        return Ok(0);
    }
    let store = session.store;
    let creditor_id = session.connection.creditor_id.clone();
    let creditor = match session.creditor().await {
        Ok(c) => c,
        Err(ApiError::Rejected(410)) => return Ok(0),
        Err(other) => return Err(other),
    };
    let wanted = creditor.policy.attach_invoice != AttachInvoice::Never
        || creditor
            .groups
            .values()
            .any(|g| g.attach_invoice.is_some_and(|a| a != AttachInvoice::Never));
    if !wanted {
        return Ok(0);
    }
    let mut fetched = 0;
    for invoice in open.into_iter().take(DOCUMENTS_PER_RUN) {
        let held = store
            .get_document(&creditor_id, &invoice.invoice_id)
            .await
            .map_err(unavailable)?;
        if held.is_some_and(|d| d.version >= invoice.updated_at) {
            continue;
        }
        let content = match fetch(session, tenant, invoice).await {
            Ok(bytes) if bytes.starts_with(b"%PDF") => bytes,
            Ok(_) | Err(ApiError::Rejected(_)) => {
                tracing::info!("the platform gave no document for an invoice; its reminders go without one");
                continue;
            }
            Err(ApiError::Revoked) => return Err(ApiError::Revoked),
            Err(other) => {
                tracing::warn!(error = %other, "documents wait for a later run");
                break;
            }
        };
        let document = Document {
            file_name: file_name(&invoice.number),
            version: invoice.updated_at,
            content: (content.len() <= MAX_DOCUMENT_BYTES).then_some(content),
        };
        store
            .put_document(&creditor_id, &invoice.invoice_id, &document)
            .await
            .map_err(unavailable)?;
        fetched += 1;
    }
    Ok(fetched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documents_file_is_named_by_its_invoice_number() {
        assert_eq!(file_name("ARV-1121"), "ARV-1121.pdf");
        assert_eq!(file_name("INV/2026/07"), "INV-2026-07.pdf");
        assert_eq!(file_name("Фактура 12"), "Фактура-12.pdf");
        assert_eq!(file_name("///"), "invoice.pdf");
    }
}
