//! Telling the creditor what needs them, by e-mail in their own language from Duly's address, once per
//! event however often the event is seen.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;

use duly_adapters::outbound::{Email, Outbound, OutboundError};
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

impl Notifier<'_> {
    /// One plain message from Duly to a creditor; blank lines in `text` separate paragraphs.
    pub async fn send(&self, to: &str, subject: &str, text: &str) -> Result<String, OutboundError> {
        let html = format!(
            "<p>{}</p>",
            minijinja::HtmlEscape(text).to_string().replace("\n\n", "</p><p>")
        );
        self.outbound
            .send_email(&Email {
                sender_name: "Duly",
                from_address: self.from,
                reply_to: self.from,
                to,
                cc: &[],
                subject,
                html: &html,
                text,
                headers: &[],
            })
            .await
    }
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
    let lang = Language::of_creditor(creditor);
    let say = |id: String| wording(lang, &id, args);
    let (subject, text) = match (say(format!("{kind}-subject")), say(format!("{kind}-body"))) {
        (Ok(subject), Ok(text)) => (subject, text),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "notification wording is missing");
            return Ok(false);
        }
    };
    match notifier.send(&creditor.branding.reply_to, &subject, &text).await {
        Ok(_) => Ok(true),
        Err(e) => {
            tracing::warn!(error = %e, "could not tell the creditor");
            Ok(false)
        }
    }
}
