//! Fetching from QuickBooks Online: invoices, customers and payments that notices name, and the daily
//! catch-up through change data capture.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

use duly_adapters::platforms::{ApiError, QUICKBOOKS_CDC_DAYS};
use duly_adapters::store::SyncJob;
use duly_core::model::ids::{DebtorId, InvoiceId, WebhookId};
use duly_core::platforms::quickbooks::{self, Listed, CUSTOMER_TYPE_PREFIX};
use duly_core::webhooks::canonical::{Contact, Fact, InvoiceFact, Void};

use super::session::Session;
use super::{notice_fact_id, observed_fact_id, per_record, settlement_fact_id, unreadable, CatchUpPage};

pub(super) async fn notices(session: &mut Session<'_>, jobs: &[&SyncJob]) -> Result<Vec<(WebhookId, Fact)>, ApiError> {
    let Some(first) = jobs.first() else {
        return Ok(Vec::new());
    };
    let (api, realm) = (session.api, first.tenant.clone());
    let home = session.home_currency();
    let fetch = |entity: &'static str, id: String| {
        let realm = realm.clone();
        move |token: String| {
            let (realm, id) = (realm.clone(), id.clone());
            async move { api.quickbooks(&token, &realm, entity, &id).await }
        }
    };
    // Invoices to fetch, each with the job that named it (a payment names the invoices it pays).
    let mut invoices: Vec<(String, &SyncJob)> = Vec::new();
    // The payments fetched, to itemise once their invoices' balances are known.
    let mut payments: Vec<Vec<u8>> = Vec::new();
    let mut facts = Vec::new();
    for job in jobs {
        match job.entity.as_str() {
            // A deleted invoice no longer answers and a voided one is owed by nobody: the notice itself
            // closes it, at once, rather than a fetch that finds nothing to read.
            "invoice" if matches!(job.operation.as_str(), "delete" | "void") => {
                let voided_at = DateTime::parse_from_rfc3339(&job.noticed_at)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(unreadable)?;
                let invoice_id = InvoiceId::parse(job.resource_id.clone()).map_err(unreadable)?;
                facts.push((
                    notice_fact_id(job)?,
                    Fact::Invoice(InvoiceFact::Voided(Void { invoice_id, voided_at })),
                ));
            }
            "invoice" => invoices.push((job.resource_id.clone(), job)),
            // A credit memo lowers invoices only through the payments that apply it: those of its customer
            // that link it are itemised as credits, and their invoices fetched for their new balances.
            "credit_note" => {
                let fetched = session
                    .call(fetch("creditmemo", job.resource_id.clone()))
                    .await
                    .and_then(|body| quickbooks::credit_memo_customer(&body).map_err(unreadable));
                let Some(customer) = per_record(fetched, "credit memo")? else {
                    continue;
                };
                let query = format!(
                    "select * from Payment where CustomerRef = '{customer}' ORDERBY MetaData.LastUpdatedTime DESC \
                     MAXRESULTS {APPLYING_PAYMENTS}"
                );
                let listed = session
                    .call(|token| {
                        let (realm, query) = (realm.clone(), query.clone());
                        async move { api.quickbooks_query(&token, &realm, &query).await }
                    })
                    .await
                    .and_then(|body| quickbooks::query_entities(&body, "Payment").map_err(unreadable));
                for payment in per_record(listed, "payments")?.unwrap_or_default() {
                    let Listed::Present(body) = payment else { continue };
                    if quickbooks::applies_credit_memo(&body, &job.resource_id).map_err(unreadable)? {
                        let paid = quickbooks::invoices_paid_by(&body).map_err(unreadable)?;
                        invoices.extend(paid.into_iter().map(|id| (id, *job)));
                        payments.push(body);
                    }
                }
            }
            // A refund or a journal entry can change what a customer owes without naming an invoice: their
            // customers' open invoices are read again, so the balances QuickBooks now gives are Duly's.
            kind @ ("refundreceipt" | "journalentry") => {
                let (entity, name) = match kind {
                    "refundreceipt" => ("refundreceipt", "RefundReceipt"),
                    _ => ("journalentry", "JournalEntry"),
                };
                let fetched = session
                    .call(fetch(entity, job.resource_id.clone()))
                    .await
                    .and_then(|body| quickbooks::customers_touched(&body, name).map_err(unreadable));
                for customer in per_record(fetched, name)?.unwrap_or_default() {
                    let debtor = DebtorId::parse(customer).map_err(unreadable)?;
                    let open = session
                        .store
                        .open_invoice_ids_of(&session.connection.creditor_id, &debtor)
                        .await
                        .map_err(super::unavailable)?;
                    invoices.extend(
                        open.into_iter()
                            .take(REREAD_PER_CUSTOMER)
                            .map(|id| (id.to_string(), *job)),
                    );
                }
            }
            "payment" => {
                let fetched = session
                    .call(fetch("payment", job.resource_id.clone()))
                    .await
                    .and_then(|body| {
                        let paid = quickbooks::invoices_paid_by(&body).map_err(unreadable)?;
                        Ok((paid, body))
                    });
                if let Some((paid, body)) = per_record(fetched, "payment")? {
                    invoices.extend(paid.into_iter().map(|id| (id, *job)));
                    payments.push(body);
                }
            }
            _ => {}
        }
    }
    invoices.sort_by(|a, b| a.0.cmp(&b.0));
    invoices.dedup_by(|a, b| a.0 == b.0);
    for (id, job) in invoices {
        let fetched = session
            .call(fetch("invoice", id))
            .await
            .and_then(|body| quickbooks::invoice_from_response(&body, home).map_err(unreadable));
        if let Some(snapshot) = per_record(fetched, "invoice")? {
            // Each payment line on its own, before the invoice's new balance: interest applies it in the
            // law's order.
            for body in &payments {
                for s in quickbooks::payment_settlements(body, &snapshot).map_err(unreadable)? {
                    facts.push((settlement_fact_id(&s)?, Fact::Invoice(InvoiceFact::Settled(s))));
                }
            }
            facts.push((notice_fact_id(job)?, Fact::Invoice(InvoiceFact::Upserted(snapshot))));
        }
    }
    for job in jobs.iter().filter(|j| j.entity == "contact") {
        let fetched = session
            .call(fetch("customer", job.resource_id.clone()))
            .await
            .and_then(|body| quickbooks::customer_from_response(&body).map_err(unreadable));
        if let Some(contact) = per_record(fetched, "customer")? {
            let contact = named_types(session, &realm, contact).await?;
            facts.push((notice_fact_id(job)?, Fact::ContactUpdated(contact)));
        }
    }
    Ok(facts)
}

/// Open invoices of one customer read again after a refund or a journal entry names them.
const REREAD_PER_CUSTOMER: usize = 20;

/// A customer's latest payments read for the ones that apply a credit memo: one is applied as it is
/// made, so it is among the newest.
const APPLYING_PAYMENTS: usize = 100;

/// Invoices per page of the first import.
const QUERY_PAGE: usize = 1000;

/// QuickBooks: change data capture since the last catch-up (it reaches 30 days back, in one answer); the
/// first catch-up, or one after a longer gap, imports every invoice with a balance and its customers, a page
/// at a time. `position` is the page of that import, from 0.
pub(super) async fn changes_page(
    session: &mut Session<'_>,
    realm: &str,
    since: Option<DateTime<Utc>>,
    position: Option<&str>,
) -> Result<CatchUpPage, ApiError> {
    let api = session.api;
    let home = session.home_currency();
    let invoices: Vec<Listed>;
    let mut customers: Vec<Listed> = Vec::new();
    let mut paid: Vec<String> = Vec::new();
    let recent = since.filter(|s| session.now - *s < Duration::days(QUICKBOOKS_CDC_DAYS));
    let mut next = None;
    let mut resume = String::new();
    if let Some(since) = recent {
        let body = session
            .call(|token| {
                let realm = realm.to_string();
                async move {
                    api.quickbooks_cdc(&token, &realm, "Invoice,Customer,Payment", since)
                        .await
                }
            })
            .await?;
        invoices = quickbooks::cdc_entities(&body, "Invoice").map_err(unreadable)?;
        customers = quickbooks::cdc_entities(&body, "Customer").map_err(unreadable)?;
        for payment in quickbooks::cdc_entities(&body, "Payment").map_err(unreadable)? {
            if let Listed::Present(raw) = payment {
                paid.extend(quickbooks::invoices_paid_by(&raw).map_err(unreadable)?);
            }
        }
    } else {
        let page: usize = match position {
            Some(p) => p.parse().map_err(unreadable)?,
            None => 0,
        };
        let query = format!(
            "select * from Invoice where Balance > '0' startposition {} maxresults {QUERY_PAGE}",
            page.saturating_mul(QUERY_PAGE).saturating_add(1)
        );
        let body = session
            .call(|token| {
                let (realm, query) = (realm.to_string(), query.clone());
                async move { api.quickbooks_query(&token, &realm, &query).await }
            })
            .await?;
        invoices = quickbooks::query_entities(&body, "Invoice").map_err(unreadable)?;
        // Resuming re-reads this page: invoices paid meanwhile leave the list and move the rest back.
        next = (invoices.len() >= QUERY_PAGE).then(|| (page + 1).to_string());
        resume = page.to_string();
    }
    let mut facts = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for listed in invoices {
        match listed {
            Listed::Present(raw) => {
                let snapshot = quickbooks::invoice_from_response(&raw, home).map_err(unreadable)?;
                seen.insert(snapshot.invoice_id.to_string());
                facts.push(Fact::Invoice(InvoiceFact::Upserted(snapshot)));
            }
            Listed::Deleted { id, at } => {
                let invoice_id = InvoiceId::parse(id).map_err(unreadable)?;
                seen.insert(invoice_id.to_string());
                facts.push(Fact::Invoice(InvoiceFact::Voided(Void {
                    invoice_id,
                    voided_at: at,
                })));
            }
        }
    }
    // A payment changes its invoices' balances; fetch those the capture did not already include.
    paid.sort();
    paid.dedup();
    for id in paid.into_iter().filter(|id| !seen.contains(id)) {
        let body = session
            .call(|token| {
                let (realm, id) = (realm.to_string(), id.clone());
                async move { api.quickbooks(&token, &realm, "invoice", &id).await }
            })
            .await?;
        let snapshot = quickbooks::invoice_from_response(&body, home).map_err(unreadable)?;
        facts.push(Fact::Invoice(InvoiceFact::Upserted(snapshot)));
    }
    if recent.is_none() {
        let mut ids: Vec<String> = facts
            .iter()
            .filter_map(|f| match f {
                Fact::Invoice(InvoiceFact::Upserted(s)) => Some(s.debtor_id.to_string()),
                _ => None,
            })
            .collect();
        ids.sort();
        ids.dedup();
        for batch in ids.chunks(100) {
            // Ids come from the platform's own responses and are checked identifiers: no quotes inside.
            let list: Vec<String> = batch.iter().map(|id| format!("'{id}'")).collect();
            let query = format!("select * from Customer where Id in ({})", list.join(","));
            let body = session
                .call(|token| {
                    let (realm, query) = (realm.to_string(), query.clone());
                    async move { api.quickbooks_query(&token, &realm, &query).await }
                })
                .await?;
            customers.extend(quickbooks::query_entities(&body, "Customer").map_err(unreadable)?);
        }
    }
    for listed in customers {
        if let Listed::Present(raw) = listed {
            let contact = quickbooks::customer_from_response(&raw).map_err(unreadable)?;
            let contact = named_types(session, realm, contact).await?;
            facts.insert(0, Fact::ContactUpdated(contact));
        }
    }
    Ok(CatchUpPage {
        facts: facts
            .into_iter()
            .map(|f| Ok((observed_fact_id(&f)?, f)))
            .collect::<Result<_, ApiError>>()?,
        next,
        resume,
        again: false,
    })
}

/// A customer's type by its name, read once per run with `select * from CustomerType`: customer types are
/// QuickBooks' customer groups. A type QuickBooks does not name is left out.
async fn named_types(session: &mut Session<'_>, realm: &str, mut contact: Contact) -> Result<Contact, ApiError> {
    if !contact.groups.iter().any(|g| g.starts_with(CUSTOMER_TYPE_PREFIX)) {
        return Ok(contact);
    }
    if session.customer_types.is_none() {
        let api = session.api;
        let body = session
            .call(|token| {
                let realm = realm.to_string();
                async move { api.quickbooks_query(&token, &realm, "select * from CustomerType").await }
            })
            .await;
        let names = per_record(
            body.and_then(|b| quickbooks::customer_type_names(&b).map_err(unreadable)),
            "customer types",
        )?;
        session.customer_types = Some(names.unwrap_or_default());
    }
    let names = session.customer_types.as_ref().expect("read just now");
    contact.groups = contact
        .groups
        .iter()
        .filter_map(|g| match g.strip_prefix(CUSTOMER_TYPE_PREFIX) {
            Some(id) => names.get(id).cloned(),
            None => Some(g.clone()),
        })
        .collect();
    Ok(contact)
}
