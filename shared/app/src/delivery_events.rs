//! What SES reports back through the configuration set (via EventBridge): deliveries, bounces and
//! complaints. A hard bounce or a complaint stops e-mail to that address; every event updates the message
//! record the creditor sees; the creditor is told about a refused address once, naming the debtor.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use duly_adapters::store::{AuditAppend, Store};
use duly_core::audit::{Entry, Personal};
use duly_core::model::ids::{CreditorId, DebtorId};
use duly_core::model::RefusedAddress;
use duly_core::notices::{Notice, NoticeKind};

use crate::notify::{tell, Notifier};

use crate::settings::{change_debtor, SettingsError};

/// The `detail` of an SES event on EventBridge.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesEvent {
    pub event_type: String,
    pub mail: SesMail,
    #[serde(default)]
    pub bounce: Option<SesBounce>,
    #[serde(default)]
    pub complaint: Option<SesComplaint>,
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
    /// The addresses that bounced: of a message to the debtor and two CCs, perhaps only one of the CCs.
    #[serde(default)]
    pub bounced_recipients: Vec<SesRecipient>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesComplaint {
    #[serde(default)]
    pub complained_recipients: Vec<SesRecipient>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SesRecipient {
    pub email_address: String,
}

impl SesEvent {
    /// The recipients a bounce or complaint names: only those are refused, never the whole message's.
    pub fn named_recipients(&self) -> Vec<String> {
        let named = match (&self.bounce, &self.complaint) {
            (Some(b), _) if self.event_type == "Bounce" => &b.bounced_recipients,
            (_, Some(c)) if self.event_type == "Complaint" => &c.complained_recipients,
            _ => return Vec::new(),
        };
        named
            .iter()
            .take(50)
            .map(|r| r.email_address.trim().to_string())
            .filter(|a| !a.is_empty() && a.len() <= 254)
            .collect()
    }
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

pub async fn handle(
    store: &Store,
    notify: Option<Notifier<'_>>,
    event: &SesEvent,
    now: DateTime<Utc>,
) -> Result<Outcome, SettingsError> {
    let Some((creditor, debtor, message_sk)) = store.ses_message(&event.mail.message_id).await? else {
        return Ok(Outcome::Unknown);
    };
    let status = match (
        event.event_type.as_str(),
        event.bounce.as_ref().map(|b| b.bounce_type.as_str()),
    ) {
        ("Delivery", _) => "delivery",
        ("Bounce", Some("Permanent")) => "bounce",
        ("Bounce", _) => "bounce-transient",
        ("Complaint", _) => "complaint",
        // Only e-mails of creditors who record opens go through the configuration set that reports them.
        ("Open", _) => "open",
        _ => return Ok(Outcome::Unknown),
    };
    let erased = crate::settings::debtor_erased(store, &creditor, &debtor).await?;
    // The audit trail takes every event once, however often SES reports it.
    let recipients = match erased {
        true => Vec::new(),
        false => event.mail.destination.iter().take(50).cloned().collect(),
    };
    let append = delivery_entry(
        &debtor,
        &message_sk,
        "email",
        status,
        &event.mail.message_id,
        recipients,
        now,
    );
    store.append_audit(&creditor, &append).await?;
    if status == "open" {
        store.set_message_opened(&creditor, &debtor, &message_sk, now).await?;
        return Ok(Outcome::Recorded);
    }
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
    let named = event.named_recipients();
    let refused = refused.filter(|_| !named.is_empty() && !erased);
    if let Some(why) = refused {
        change_debtor(store, &creditor, &debtor, now, |_, d| {
            for address in &named {
                d.controls.refuse(RefusedAddress {
                    address: address.clone(),
                    why: why.into(),
                    at: now,
                });
            }
            Ok(())
        })
        .await?;
        tell_refused(store, notify, &creditor, &debtor, why, &event.mail.message_id, now).await?;
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

/// One notice per refused message: SES may report the same bounce more than once.
async fn tell_refused(
    store: &Store,
    notify: Option<Notifier<'_>>,
    creditor: &CreditorId,
    debtor: &DebtorId,
    why: &str,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<(), SettingsError> {
    let Some(c) = store.get_creditor(creditor).await? else {
        return Ok(());
    };
    let name = store
        .get_debtor(creditor, debtor)
        .await?
        .map(|d| d.name)
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| debtor.to_string());
    let kind = match why {
        "complaint" => NoticeKind::Complained,
        _ => NoticeKind::Bounced,
    };
    let notice = Notice::new(format!("{why}:{message_id}"), kind)
        .with("debtor", name)
        .at_page(&format!("/app/debtors/{debtor}"));
    tell(store, notify, &c, &notice, now).await?;
    Ok(())
}

/// The audit entry of what a provider said of one channel of a message; appended once per provider
/// message id and status, however often the provider reports it.
fn delivery_entry(
    debtor: &DebtorId,
    message_sk: &str,
    channel: &str,
    status: &str,
    provider_id: &str,
    recipients: Vec<String>,
    now: DateTime<Utc>,
) -> AuditAppend {
    let provider = if channel == "sms" { "sns" } else { "ses" };
    AuditAppend {
        entry: Entry {
            seq: 0,
            at: now,
            debtor_id: debtor.to_string(),
            event: "message.delivery".into(),
            message: message_sk.trim_start_matches("MSG#").to_string(),
            channels: vec![channel.into()],
            detail: status.into(),
            content_sha256: String::new(),
            provider_ids: vec![provider_id.to_string()],
            personal_digest: String::new(),
        },
        personal: Personal { recipients },
        once_key: Some(format!("{provider}:{provider_id}:{status}")),
    }
}

/// One SMS's delivery as SNS logs it (delivery status logging, through a CloudWatch Logs subscription).
#[derive(Debug, Clone, Deserialize)]
pub struct SmsStatus {
    pub notification: SmsNotification,
    /// `SUCCESS` or `FAILURE`.
    pub status: String,
    #[serde(default)]
    pub delivery: SmsDelivery,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsNotification {
    pub message_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SmsDelivery {
    #[serde(default)]
    pub destination: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("not a CloudWatch Logs subscription batch: {0}")]
pub struct NotLogs(String);

/// The SMS statuses in a CloudWatch Logs subscription's `awslogs.data` (base64 of gzip of JSON). Lines
/// that are not SMS statuses are left out.
pub fn sms_statuses(data: &str) -> Result<Vec<SmsStatus>, NotLogs> {
    use base64::Engine;
    use std::io::Read;
    let zipped = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| NotLogs(e.to_string()))?;
    // A batch is at most a megabyte unzipped; reading stops there rather than trusting the header.
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(zipped.as_slice())
        .take(4 << 20)
        .read_to_end(&mut json)
        .map_err(|e| NotLogs(e.to_string()))?;
    let batch: serde_json::Value = serde_json::from_slice(&json).map_err(|e| NotLogs(e.to_string()))?;
    Ok(batch["logEvents"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|e| e["message"].as_str())
        .filter_map(|m| serde_json::from_str(m).ok())
        .collect())
}

/// Records what SNS said of one SMS: on the message, and once in the audit trail.
pub async fn handle_sms(store: &Store, status: &SmsStatus, now: DateTime<Utc>) -> Result<Outcome, SettingsError> {
    let id = &status.notification.message_id;
    let Some((creditor, debtor, message_sk)) = store.sns_message(id).await? else {
        return Ok(Outcome::Unknown);
    };
    let delivered = match status.status.as_str() {
        "SUCCESS" => "sms-delivered",
        _ => "sms-failed",
    };
    let recipients = match crate::settings::debtor_erased(store, &creditor, &debtor).await? {
        true => Vec::new(),
        false => status.delivery.destination.iter().cloned().collect(),
    };
    let append = delivery_entry(&debtor, &message_sk, "sms", delivered, id, recipients, now);
    store.append_audit(&creditor, &append).await?;
    store
        .set_sms_delivery(&creditor, &debtor, &message_sk, delivered, now)
        .await?;
    Ok(Outcome::Recorded)
}
