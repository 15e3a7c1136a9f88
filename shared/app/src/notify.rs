//! Telling the creditor what needs them, by e-mail in their own language from Duly's address, once per
//! event however often the event is seen.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;

use duly_adapters::outbound::{Email, Outbound};
use duly_adapters::store::{Store, StoreError};
use duly_core::messages::locale::Language;
use duly_core::messages::render::wording;
use duly_core::model::Creditor;

/// Where notifications are sent from: Duly's own address.
#[derive(Debug, Clone, Copy)]
pub struct Notifier<'a> {
    pub outbound: &'a Outbound,
    pub from: &'a str,
}

/// Tells the creditor about `event` (a key naming it, e.g. `revoked:xero:2026-11-20`) unless they were
/// told already, with the wording `{kind}-subject` and `{kind}-body`. `true` when a message went out. A
/// send that fails is logged and not tried again: the same state shows in the settings API.
pub async fn tell_once(
    store: &Store,
    notifier: Notifier<'_>,
    creditor: &Creditor,
    event: &str,
    kind: &str,
    args: &FluentArgs<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    if creditor.branding.reply_to.is_empty() || !store.first_notice(&creditor.creditor_id, event, now).await? {
        return Ok(false);
    }
    let lang = Language::parse(&creditor.language)
        .or_else(|| Language::of_country(&creditor.country))
        .unwrap_or(Language::En);
    let say = |id: String| wording(lang, &id, args);
    let (subject, text) = match (say(format!("{kind}-subject")), say(format!("{kind}-body"))) {
        (Ok(subject), Ok(text)) => (subject, text),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "notification wording is missing");
            return Ok(false);
        }
    };
    let html = format!("<p>{}</p>", minijinja::HtmlEscape(&text));
    let email = Email {
        sender_name: "Duly",
        from_address: notifier.from,
        reply_to: notifier.from,
        to: &creditor.branding.reply_to,
        cc: &[],
        subject: &subject,
        html: &html,
        text: &text,
        headers: &[],
    };
    match notifier.outbound.send_email(&email).await {
        Ok(_) => Ok(true),
        Err(e) => {
            tracing::warn!(error = %e, "could not tell the creditor");
            Ok(false)
        }
    }
}
