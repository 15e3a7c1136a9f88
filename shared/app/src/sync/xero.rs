//! Fetching from Xero: the invoices and contacts that notices name, and the daily catch-up.

use chrono::{DateTime, Utc};

use duly_adapters::platforms::{ApiError, INVOICES_PER_REQUEST, XERO_PAGE_SIZE};
use duly_adapters::store::SyncJob;
use duly_core::model::ids::InvoiceId;
use duly_core::model::ids::WebhookId;
use duly_core::platforms::xero::{
    contacts_from_response, invoices_from_response, online_invoice_url, settlements_from_response,
};
use duly_core::webhooks::canonical::{DocumentStatus, Fact, InvoiceFact, InvoiceSnapshot};

use super::session::Session;
use super::{notice_fact_id, observed_fact_id, per_record, settlement_fact_id, unreadable, CatchUpPage};

pub(super) async fn notices(session: &mut Session<'_>, jobs: &[&SyncJob]) -> Result<Vec<(WebhookId, Fact)>, ApiError> {
    let Some(first) = jobs.first() else {
        return Ok(Vec::new());
    };
    let (api, tenant) = (session.api, first.tenant.clone());
    let mut facts = Vec::new();
    let invoice_jobs: Vec<&&SyncJob> = jobs.iter().filter(|j| j.entity == "invoice").collect();
    for batch in invoice_jobs.chunks(INVOICES_PER_REQUEST) {
        let ids: Vec<String> = batch.iter().map(|j| j.resource_id.clone()).collect();
        let fetched = session
            .call(|token| {
                let (ids, tenant) = (ids.clone(), tenant.clone());
                async move { api.invoices(&token, &tenant, &ids).await }
            })
            .await
            .and_then(|body| {
                let snapshots = invoices_from_response(&body).map_err(unreadable)?;
                Ok((snapshots, settlements_from_response(&body).map_err(unreadable)?))
            });
        let Some((mut snapshots, settled)) = per_record(fetched, "invoice")? else {
            continue;
        };
        // Each payment and credit note on its own, before the invoice's new balance: interest applies
        // each in the law's order.
        for s in settled {
            facts.push((settlement_fact_id(&s)?, Fact::Invoice(InvoiceFact::Settled(s))));
        }
        // A link not fetched now is fetched when the daily catch-up reads the invoice again.
        with_pay_links(session, &tenant, &mut snapshots).await?;
        for snapshot in snapshots {
            if let Some(job) = batch.iter().find(|j| j.resource_id == snapshot.invoice_id.as_str()) {
                facts.push((notice_fact_id(job)?, Fact::Invoice(InvoiceFact::Upserted(snapshot))));
            }
        }
    }
    for job in jobs.iter().filter(|j| j.entity == "contact") {
        let fetched = session
            .call(|token| {
                let (id, tenant) = (job.resource_id.clone(), tenant.clone());
                async move { api.contact(&token, &tenant, &id).await }
            })
            .await
            .and_then(|body| contacts_from_response(&body).map_err(unreadable));
        let Some(contacts) = per_record(fetched, "contact")? else {
            continue;
        };
        for contact in contacts {
            facts.push((notice_fact_id(job)?, Fact::ContactUpdated(contact)));
        }
    }
    Ok(facts)
}

/// Xero: one page of sales invoices modified since the last catch-up (every unpaid one on the first),
/// with their contacts. `position` is the page number, from 1.
pub(super) async fn changes_page(
    session: &mut Session<'_>,
    tenant: &str,
    since: Option<DateTime<Utc>>,
    position: Option<&str>,
) -> Result<CatchUpPage, ApiError> {
    let api = session.api;
    let page: u32 = match position {
        Some(p) => p.parse().map_err(unreadable)?,
        None => 1,
    };
    let body = session
        .call(|token| {
            let tenant = tenant.to_string();
            async move { api.xero_invoice_page(&token, &tenant, page, since).await }
        })
        .await?;
    let mut snapshots = invoices_from_response(&body).map_err(unreadable)?;
    let settled = settlements_from_response(&body).map_err(unreadable)?;
    let full = snapshots.len() >= XERO_PAGE_SIZE;
    let all_linked = with_pay_links(session, tenant, &mut snapshots).await?;
    let mut contact_ids: Vec<String> = snapshots.iter().map(|s| s.debtor_id.to_string()).collect();
    contact_ids.sort();
    contact_ids.dedup();
    let mut facts = Vec::new();
    for batch in contact_ids.chunks(INVOICES_PER_REQUEST) {
        let body = session
            .call(|token| {
                let (ids, tenant) = (batch.to_vec(), tenant.to_string());
                async move { api.contacts(&token, &tenant, &ids).await }
            })
            .await?;
        for contact in contacts_from_response(&body).map_err(unreadable)? {
            facts.push(Fact::ContactUpdated(contact));
        }
    }
    facts.extend(settled.into_iter().map(|s| Fact::Invoice(InvoiceFact::Settled(s))));
    facts.extend(snapshots.into_iter().map(|s| Fact::Invoice(InvoiceFact::Upserted(s))));
    Ok(CatchUpPage {
        facts: facts
            .into_iter()
            .map(|f| Ok((observed_fact_id(&f)?, f)))
            .collect::<Result<_, ApiError>>()?,
        // Resuming re-reads this page: invoices that changed meanwhile move the rest back.
        next: full.then(|| (page + 1).to_string()),
        resume: page.to_string(),
        again: !all_linked,
    })
}

/// Xero's invoices carry no pay link: it is read from `GET /Invoices/{id}/OnlineInvoice`, once per open
/// invoice that has none stored yet (the ledger keeps it from then on), within the run's allowance. A link
/// Xero will not give (a 404, an answer Duly cannot read) is left out; the invoice is reminded without one.
/// `false` when the allowance or Xero's rate limit left links to fetch on a later run.
async fn with_pay_links(
    session: &mut Session<'_>,
    tenant: &str,
    snapshots: &mut [InvoiceSnapshot],
) -> Result<bool, ApiError> {
    let mut all = true;
    let api = session.api;
    for snapshot in snapshots.iter_mut() {
        let wants =
            snapshot.pay_url.is_none() && snapshot.status == DocumentStatus::Open && snapshot.amount_due.minor > 0;
        if !wants || has_pay_link(session, &snapshot.invoice_id).await? {
            continue;
        }
        if session.pay_links_left == 0 {
            all = false;
            continue;
        }
        session.pay_links_left -= 1;
        let id = snapshot.invoice_id.to_string();
        let fetched = session
            .call(|token| {
                let (id, tenant) = (id.clone(), tenant.to_string());
                async move { api.xero_online_invoice(&token, &tenant, &id).await }
            })
            .await
            .and_then(|body| online_invoice_url(&body).map_err(unreadable));
        if let Err(ApiError::RateLimited(_)) = fetched {
            // The invoices themselves are read already: they land now, their links later.
            session.pay_links_left = 0;
            all = false;
            continue;
        }
        snapshot.pay_url = per_record(fetched, "online invoice")?.flatten();
    }
    Ok(all)
}

async fn has_pay_link(session: &Session<'_>, invoice: &InvoiceId) -> Result<bool, ApiError> {
    let stored = session
        .store
        .get_invoice(&session.connection.creditor_id, invoice)
        .await
        .map_err(super::unavailable)?;
    Ok(stored.and_then(|i| i.doc).is_some_and(|d| d.pay_url.is_some()))
}
