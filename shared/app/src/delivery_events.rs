//! What SES reports back through the configuration set (via EventBridge): deliveries, bounces and
//! complaints. A hard bounce or a complaint stops e-mail to that address; every event updates the message
//! record the creditor sees.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use duly_adapters::store::Store;
use duly_core::model::RefusedAddress;

use crate::settings::{change_debtor, SettingsError};

/// The `detail` of an SES event on EventBridge.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesEvent {
    pub event_type: String,
    pub mail: SesMail,
    #[serde(default)]
    pub bounce: Option<SesBounce>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesMail {
    pub message_id: String,
    #[serde(default)]
    pub destination: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesBounce {
    pub bounce_type: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The message record now says so.
    Recorded,
    /// The address will not be used again.
    AddressRefused,
    /// A temporary bounce: SES retries by itself.
    Transient,
    /// Not a message Duly knows (older than the lookup's 30 days, or not Duly's).
    Unknown,
}

pub async fn handle(store: &Store, event: &SesEvent, now: DateTime<Utc>) -> Result<Outcome, SettingsError> {
    let Some((creditor, debtor, message_sk)) = store.ses_message(&event.mail.message_id).await? else {
        return Ok(Outcome::Unknown);
    };
    let refused = match (
        event.event_type.as_str(),
        event.bounce.as_ref().map(|b| b.bounce_type.as_str()),
    ) {
        ("Delivery", _) => None,
        ("Bounce", Some("Permanent")) => Some("bounce"),
        ("Bounce", _) => return Ok(Outcome::Transient),
        ("Complaint", _) => Some("complaint"),
        _ => return Ok(Outcome::Unknown),
    };
    if let Some(why) = refused {
        let address = event.mail.destination.first().cloned().unwrap_or_default();
        change_debtor(store, &creditor, &debtor, now, |_, d| {
            d.controls.email_refused = Some(RefusedAddress {
                address: address.clone(),
                why: why.into(),
                at: now,
            });
            Ok(())
        })
        .await?;
    }
    let outcome = if refused.is_some() {
        Outcome::AddressRefused
    } else {
        Outcome::Recorded
    };
    store
        .set_message_delivery(
            &creditor,
            &debtor,
            &message_sk,
            &event.event_type.to_ascii_lowercase(),
            now,
        )
        .await?;
    Ok(outcome)
}
