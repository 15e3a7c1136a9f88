//! Fetching from Stripe: open invoices on the first catch-up, invoice events after that.

use chrono::{DateTime, Duration, Utc};

use duly_adapters::platforms::ApiError;
use duly_core::platforms::stripe;

use super::session::Session;
use super::{unreadable, CatchUpPage};

/// Stripe: one page of the invoice events since the last catch-up (Stripe keeps 30 days of them), keyed by
/// event id exactly as their webhooks were, so an event that did arrive is not applied again. The first
/// catch-up imports every open invoice as it is now. `position` is the id to list after.
pub(super) async fn changes_page(
    session: &mut Session<'_>,
    since: Option<DateTime<Utc>>,
    position: Option<&str>,
) -> Result<CatchUpPage, ApiError> {
    let api = session.api;
    let recent = since.filter(|s| session.now - *s < Duration::days(30));
    let mut query = vec![("limit", "100".to_string())];
    let path = match recent {
        Some(since) => {
            query.push(("type", "invoice.*".to_string()));
            query.push(("created[gte]", since.timestamp().to_string()));
            "events"
        }
        None => {
            query.push(("status", "open".to_string()));
            "invoices"
        }
    };
    if let Some(after) = position {
        query.push(("starting_after", after.to_string()));
    }
    let body = session
        .call(|key| {
            let query = query.clone();
            async move { api.stripe_list(&key, path, &query).await }
        })
        .await?;
    let page = stripe::list_page(&body).map_err(unreadable)?;
    let mut facts = Vec::new();
    for object in &page.objects {
        let delivery = match recent {
            Some(_) => stripe::parse(object.get().as_bytes()),
            None => stripe::observed_invoice(object, session.now),
        }
        .map_err(unreadable)?;
        for (id, fact) in delivery.keyed_facts().map_err(unreadable)? {
            facts.push((id, fact.clone()));
        }
    }
    // Stripe's cursor is an object id: the list continues exactly after it, however the rest changed.
    let next = page.last_id.filter(|_| page.has_more);
    Ok(CatchUpPage {
        facts,
        resume: next.clone().unwrap_or_default(),
        next,
        again: false,
    })
}
