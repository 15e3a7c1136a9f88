//! Polling Merit: one step of a poll per page (see `duly_core::platforms::merit::polling`), applied through
//! the same facts as every platform's.

use chrono::{DateTime, NaiveDate, Utc};

use duly_adapters::platforms::{ApiError, MeritKeys};
use duly_adapters::vault::Credentials;
use duly_core::ledger::Invoice;
use duly_core::model::ids::{InvoiceId, WebhookId};
use duly_core::platforms::merit::compare::{compare, missing, Read};
use duly_core::platforms::merit::polling::{next_step, period, sweep_from, Step};
use duly_core::platforms::merit::records::{
    customers, customers_request, guid_of, invoice_details, invoice_list, invoice_request, invoices_request, Found,
    MeritInvoice,
};
use duly_core::webhooks::canonical::{Fact, InvoiceFact, Void};

use super::session::Session;
use super::{observed_fact_id, unavailable, unreadable, CatchUpPage};

/// Invoices one page reads in full (each one request); the rest are read when the page is read again.
/// Merit allows 60 requests a minute.
const IN_FULL_PER_PAGE: usize = 10;

/// One signed call with the connection's keys. A refused signature means the creditor deleted or renewed
/// the key in Merit: there is nothing to renew, so the connection is revoked.
pub(super) async fn call(session: &Session<'_>, endpoint: &str, body: &str) -> Result<Vec<u8>, ApiError> {
    let Credentials::Merit {
        api_id,
        api_key,
        region,
    } = &session.credentials
    else {
        return Err(ApiError::Rejected(400));
    };
    let keys = MeritKeys {
        api_id,
        api_key,
        region: *region,
    };
    match session.api.merit_call(keys, endpoint, body).await {
        Err(ApiError::Unauthorized) => Err(ApiError::Revoked),
        other => other,
    }
}

fn keyed(fact: Fact) -> Result<(WebhookId, Fact), ApiError> {
    Ok((observed_fact_id(&fact)?, fact))
}

/// One step of a poll. `position` is the stored cursor; `None` starts a poll.
pub(super) async fn changes_page(
    session: &mut Session<'_>,
    since: Option<DateTime<Utc>>,
    position: Option<&str>,
) -> Result<CatchUpPage, ApiError> {
    let zone = session.zone().await?;
    let today = session.now.with_timezone(&zone).date_naive();
    let since_day = since.map(|s| s.with_timezone(&zone).date_naive());
    let step = position.and_then(Step::from_cursor).unwrap_or(Step::Customers);
    let home = session.home_currency();
    let observed = session.now;
    let mut facts = Vec::new();
    let mut again = false;
    match step {
        Step::Customers => {
            let body = call(session, "v1/getcustomers", &customers_request(since_day)).await?;
            for contact in customers(&body, observed).map_err(unreadable)? {
                facts.push(keyed(Fact::ContactUpdated(contact))?);
            }
        }
        Step::Changed(start) | Step::Open(start) => {
            let (from, to) = period(start, today);
            let changed = matches!(step, Step::Changed(_));
            let body = call(session, "v2/getinvoices", &invoices_request(from, to, changed)).await?;
            let listed = invoice_list(&body, observed, home).map_err(unreadable)?;
            let creditor = session.connection.creditor_id.clone();
            let ids: Vec<InvoiceId> = listed.iter().map(|l| l.snapshot.invoice_id.clone()).collect();
            let held = session.store.get_invoices(&creditor, &ids).await.map_err(unavailable)?;
            let mut in_full: Vec<InvoiceId> = Vec::new();
            for invoice in listed.iter() {
                let stored = held.iter().find(|h| h.invoice_id == invoice.snapshot.invoice_id);
                match compare(stored, invoice) {
                    Read::Nothing => {}
                    Read::Apply => facts.push(keyed(Fact::Invoice(InvoiceFact::Upserted(invoice.snapshot.clone())))?),
                    Read::InFull => in_full.push(invoice.snapshot.invoice_id.clone()),
                }
            }
            if !changed {
                let open = session
                    .store
                    .open_invoices_of_creditor(&creditor)
                    .await
                    .map_err(unavailable)?;
                let first_period = sweep_of(&open, since, today) == start;
                in_full.extend(missing(&open, &listed, (from, to), first_period).into_iter().cloned());
            }
            again = in_full.len() > IN_FULL_PER_PAGE;
            for id in in_full.iter().take(IN_FULL_PER_PAGE) {
                facts.extend(read_in_full(session, id, &listed).await?);
            }
        }
    }
    // Where the sweep starts is read (all of the creditor's open invoices) only when the poll moves on to it.
    let next = match next_step(step, since_day, today, today) {
        Some(Step::Open(_)) if !matches!(step, Step::Open(_)) => {
            Some(Step::Open(sweep_start(session, since, today).await?))
        }
        other => other,
    }
    .map(Step::cursor);
    Ok(CatchUpPage {
        facts,
        resume: match again {
            true => step.cursor(),
            false => next.clone().unwrap_or_default(),
        },
        next,
        again,
    })
}

/// The oldest date of the open Merit invoices Duly holds.
fn oldest_open(open: &[Invoice]) -> Option<NaiveDate> {
    open.iter()
        .filter(|i| guid_of(&i.invoice_id).is_some())
        .filter_map(|i| i.doc.as_ref().and_then(|d| d.issue_date))
        .min()
}

fn sweep_of(open: &[Invoice], since: Option<DateTime<Utc>>, today: NaiveDate) -> NaiveDate {
    sweep_from(oldest_open(open), since.is_none(), today)
}

/// Where this poll's sweep of open invoices starts (see `sweep_from`).
async fn sweep_start(
    session: &Session<'_>,
    since: Option<DateTime<Utc>>,
    today: NaiveDate,
) -> Result<NaiveDate, ApiError> {
    let open = session
        .store
        .open_invoices_of_creditor(&session.connection.creditor_id)
        .await
        .map_err(unavailable)?;
    Ok(sweep_of(&open, since, today))
}

/// One invoice read in full: gone (deleted in Merit) closes it; otherwise its header and each payment.
async fn read_in_full(
    session: &Session<'_>,
    id: &InvoiceId,
    listed: &[MeritInvoice],
) -> Result<Vec<(WebhookId, Fact)>, ApiError> {
    let Some(guid) = guid_of(id) else {
        return Ok(Vec::new());
    };
    let body = call(session, "v2/getinvoice", &invoice_request(guid)).await?;
    let found = invoice_details(&body, session.now, session.home_currency()).map_err(unreadable)?;
    let mut facts = Vec::new();
    match found {
        // Listed a moment ago but gone now: the next poll sees which it is.
        Found::Gone if listed.iter().any(|l| &l.snapshot.invoice_id == id) => {}
        Found::Gone => {
            tracing::info!("an invoice deleted in Merit is closed");
            facts.push(keyed(Fact::Invoice(InvoiceFact::Voided(Void {
                invoice_id: id.clone(),
                voided_at: session.now,
            })))?);
        }
        Found::Invoice(invoice, settlements) => {
            facts.push(keyed(Fact::Invoice(InvoiceFact::Upserted(invoice.snapshot)))?);
            for settlement in settlements {
                facts.push(keyed(Fact::Invoice(InvoiceFact::Settled(settlement)))?);
            }
        }
    }
    Ok(facts)
}
