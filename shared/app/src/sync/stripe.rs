//! Fetching from Stripe: open invoices on the first catch-up, invoice events after that.

use chrono::{DateTime, Duration, Utc};

use duly_adapters::platforms::ApiError;
use duly_core::model::ids::WebhookId;
use duly_core::platforms::stripe;
use duly_core::webhooks::canonical::Fact;

use super::session::Session;
use super::{unreadable, MAX_PAGES};

/// Stripe: the invoice events since the last catch-up (Stripe keeps 30 days of them), keyed by event id
/// exactly as their webhooks were, so an event that did arrive is not applied again. The first catch-up
/// imports every open invoice as it is now.
pub(super) async fn changes(
    session: &mut Session<'_>,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<(WebhookId, Fact)>, ApiError> {
    let api = session.api;
    let recent = since.filter(|s| session.now - *s < Duration::days(30));
    let mut facts = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MAX_PAGES {
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
        if let Some(after) = &after {
            query.push(("starting_after", after.clone()));
        }
        let body = session
            .call(|key| {
                let query = query.clone();
                async move { api.stripe_list(&key, path, &query).await }
            })
            .await?;
        let page = stripe::list_page(&body).map_err(unreadable)?;
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
        if !page.has_more {
            break;
        }
        after = page.last_id;
    }
    Ok(facts)
}
