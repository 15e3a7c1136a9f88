//! Sending: e-mail through SES v2, SMS through SNS.

use aws_sdk_sesv2::error::ProvideErrorMetadata;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use aws_sdk_sns::types::MessageAttributeValue;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// A provider refused or failed a send. `Display` shows only the channel and the provider's error code,
/// because provider messages can quote addresses and numbers (SES's sandbox errors list the recipients):
/// the code goes to logs, the detail only to the message record.
#[derive(Debug, thiserror::Error)]
#[error("{channel} not sent: {code}")]
pub struct OutboundError {
    pub channel: &'static str,
    pub code: String,
    pub detail: String,
    /// Throttling, a timeout or a provider outage: the same send may work later.
    pub retryable: bool,
}

type HttpResponse = aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// Whether a provider error is worth trying again later (and must not be recorded as a refusal).
fn transient<E: ProvideErrorMetadata>(err: &aws_smithy_runtime_api::client::result::SdkError<E, HttpResponse>) -> bool {
    use aws_smithy_runtime_api::client::result::SdkError;
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => true,
        SdkError::ServiceError(service) => {
            crate::retryable::transient(service.err().code(), Some(service.raw().status().as_u16()))
        }
        _ => false,
    }
}

impl OutboundError {
    fn email(code: Option<&str>, detail: impl ToString) -> Self {
        OutboundError {
            channel: "email",
            code: code.unwrap_or("Unknown").to_string(),
            detail: detail.to_string(),
            retryable: false,
        }
    }

    fn sms(code: Option<&str>, detail: impl ToString) -> Self {
        OutboundError {
            channel: "sms",
            code: code.unwrap_or("Unknown").to_string(),
            detail: detail.to_string(),
            retryable: false,
        }
    }

    fn from_email_sdk<E>(e: aws_smithy_runtime_api::client::result::SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        OutboundError {
            retryable: transient(&e),
            ..Self::email(e.code(), aws_sdk_sesv2::error::DisplayErrorContext(&e))
        }
    }

    fn from_sms_sdk<E>(e: aws_smithy_runtime_api::client::result::SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        OutboundError {
            retryable: transient(&e),
            ..Self::sms(e.code(), aws_sdk_sns::error::DisplayErrorContext(&e))
        }
    }
}

/// One e-mail in the creditor's name.
#[derive(Debug, Clone)]
pub struct Email<'a> {
    pub sender_name: &'a str,
    pub from_address: &'a str,
    pub reply_to: &'a str,
    pub to: &'a str,
    pub cc: &'a [String],
    pub subject: &'a str,
    pub html: &'a str,
    pub text: &'a str,
    /// Extra headers, e.g. `List-Unsubscribe` for optional reminders.
    pub headers: &'a [(String, String)],
    /// Through the configuration set that records opens, when there is one.
    pub track_opens: bool,
    /// Files to attach (the invoice as the platform prints it).
    pub attachments: &'a [Attachment],
}

/// A file an e-mail carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// `"Name" <address>`, or an RFC 2047 encoded word when the name is not plain ASCII.
pub fn mailbox(name: &str, address: &str) -> String {
    let plain = name.chars().all(|c| c.is_ascii() && !c.is_ascii_control());
    if plain {
        let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\" <{address}>")
    } else {
        format!("=?UTF-8?B?{}?= <{address}>", STANDARD.encode(name.as_bytes()))
    }
}

/// Turns for sending, one per `gap` at most, shared by every clone of an [`Outbound`]: a process's share of
/// the account's sending rate, so that a big morning is paced rather than throttled.
#[derive(Debug, Clone, Default)]
pub struct Pace {
    gap: Option<std::time::Duration>,
    next: std::sync::Arc<std::sync::Mutex<Option<std::time::Instant>>>,
}

impl Pace {
    pub fn every(gap: Option<std::time::Duration>) -> Pace {
        Pace {
            gap: gap.filter(|g| !g.is_zero()),
            next: Default::default(),
        }
    }

    /// Takes the next turn: how long to wait for it from `now`.
    pub fn take(&self, now: std::time::Instant) -> std::time::Duration {
        let Some(gap) = self.gap else {
            return std::time::Duration::ZERO;
        };
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let turn = next.map_or(now, |n| n.max(now));
        *next = Some(turn + gap);
        turn - now
    }

    /// Waits for the next turn.
    pub async fn wait(&self) {
        let wait = self.take(std::time::Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[derive(Debug, Clone)]
pub struct Outbound {
    ses: aws_sdk_sesv2::Client,
    sns: aws_sdk_sns::Client,
    configuration_set: Option<String>,
    opens_configuration_set: Option<String>,
    email_pace: Pace,
    sms_pace: Pace,
}

impl Outbound {
    pub fn new(ses: aws_sdk_sesv2::Client, sns: aws_sdk_sns::Client, configuration_set: Option<String>) -> Self {
        Outbound {
            ses,
            sns,
            configuration_set,
            opens_configuration_set: None,
            email_pace: Pace::default(),
            sms_pace: Pace::default(),
        }
    }

    /// Sends at most one e-mail per `email_gap` and one SMS per `sms_gap` (`None`: as fast as they go).
    /// The gaps are the account's rates divided among the processes that send at once.
    pub fn paced(mut self, email_gap: Option<std::time::Duration>, sms_gap: Option<std::time::Duration>) -> Self {
        self.email_pace = Pace::every(email_gap);
        self.sms_pace = Pace::every(sms_gap);
        self
    }

    /// The configuration set for e-mails that record opens; without one they go as any other.
    pub fn with_opens_configuration_set(mut self, set: Option<String>) -> Self {
        self.opens_configuration_set = set;
        self
    }

    /// The configuration set e-mails go through unless they record opens.
    pub fn configuration_set(&self) -> Option<&str> {
        self.configuration_set.as_deref()
    }

    /// The configuration set an e-mail goes through.
    fn configuration_set_for(&self, email: &Email<'_>) -> Option<String> {
        match (email.track_opens, &self.opens_configuration_set) {
            (true, Some(opens)) => Some(opens.clone()),
            _ => self.configuration_set.clone(),
        }
    }

    /// Returns SES's message id.
    pub async fn send_email(&self, email: &Email<'_>) -> Result<String, OutboundError> {
        self.email_pace.wait().await;
        let utf8 = |data: &str| {
            Content::builder()
                .data(data)
                .charset("UTF-8")
                .build()
                .map_err(|e| OutboundError::email(None, e))
        };
        let mut message = Message::builder()
            .subject(utf8(email.subject)?)
            .body(Body::builder().html(utf8(email.html)?).text(utf8(email.text)?).build());
        for (name, value) in email.headers {
            message = message.headers(
                aws_sdk_sesv2::types::MessageHeader::builder()
                    .name(name)
                    .value(value)
                    .build()
                    .map_err(|e| OutboundError::email(None, e))?,
            );
        }
        for file in email.attachments {
            message = message.attachments(
                aws_sdk_sesv2::types::Attachment::builder()
                    .file_name(&file.file_name)
                    .content_type(&file.content_type)
                    .content_disposition(aws_sdk_sesv2::types::AttachmentContentDisposition::Attachment)
                    .raw_content(aws_sdk_sesv2::primitives::Blob::new(file.content.clone()))
                    .build()
                    .map_err(|e| OutboundError::email(None, e))?,
            );
        }
        let message = message.build();
        let out = self
            .ses
            .send_email()
            .from_email_address(mailbox(email.sender_name, email.from_address))
            .reply_to_addresses(email.reply_to)
            .destination(
                Destination::builder()
                    .to_addresses(email.to)
                    .set_cc_addresses((!email.cc.is_empty()).then(|| email.cc.to_vec()))
                    .build(),
            )
            .content(EmailContent::builder().simple(message).build())
            .set_configuration_set_name(self.configuration_set_for(email))
            .send()
            .await
            .map_err(OutboundError::from_email_sdk)?;
        Ok(out.message_id().unwrap_or_default().to_string())
    }

    /// Whether SES may send from `domain`: its identity exists and is verified.
    pub async fn domain_verified(&self, domain: &str) -> Result<bool, OutboundError> {
        match self.ses.get_email_identity().email_identity(domain).send().await {
            Ok(identity) => Ok(identity.verified_for_sending_status()
                || identity.verification_status() == Some(&aws_sdk_sesv2::types::VerificationStatus::Success)),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found_exception()) => Ok(false),
            Err(e) => Err(OutboundError::from_email_sdk(e)),
        }
    }

    /// Starts SES's verification of a sending domain (or finds the one under way) and returns its DKIM
    /// tokens: the creditor publishes `{token}._domainkey.{domain}` CNAME records to `{token}.dkim.amazonses.com`.
    pub async fn start_domain_verification(&self, domain: &str) -> Result<Vec<String>, OutboundError> {
        match self.ses.get_email_identity().email_identity(domain).send().await {
            Ok(identity) => Ok(identity
                .dkim_attributes()
                .map(|d| d.tokens().to_vec())
                .unwrap_or_default()),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found_exception()) => {
                let created = self
                    .ses
                    .create_email_identity()
                    .email_identity(domain)
                    .send()
                    .await
                    .map_err(OutboundError::from_email_sdk)?;
                Ok(created
                    .dkim_attributes()
                    .map(|d| d.tokens().to_vec())
                    .unwrap_or_default())
            }
            Err(e) => Err(OutboundError::from_email_sdk(e)),
        }
    }

    /// Whether the number replied STOP (SNS keeps the opt-out list).
    pub async fn sms_opted_out(&self, phone: &str) -> Result<bool, OutboundError> {
        let out = self
            .sns
            .check_if_phone_number_is_opted_out()
            .phone_number(phone)
            .send()
            .await
            .map_err(OutboundError::from_sms_sdk)?;
        Ok(out.is_opted_out())
    }

    /// Returns SNS's message id.
    pub async fn send_sms(&self, phone: &str, text: &str, sender_id: Option<&str>) -> Result<String, OutboundError> {
        self.sms_pace.wait().await;
        let string = |v: &str| {
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value(v)
                .build()
                .map_err(|e| OutboundError::sms(None, e))
        };
        let mut request = self
            .sns
            .publish()
            .phone_number(phone)
            .message(text)
            .message_attributes("AWS.SNS.SMS.SMSType", string("Transactional")?);
        if let Some(id) = sender_id {
            request = request.message_attributes("AWS.SNS.SMS.SenderID", string(id)?);
        }
        let out = request.send().await.map_err(OutboundError::from_sms_sdk)?;
        Ok(out.message_id().unwrap_or_default().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paced_sends_take_turns_one_gap_apart_and_shared_by_clones() {
        let gap = std::time::Duration::from_millis(100);
        let pace = Pace::every(Some(gap));
        let shared = pace.clone();
        let t0 = std::time::Instant::now();
        // Four sends at once: the first goes now, each next one a gap later.
        let waits: Vec<u128> = (0..4)
            .map(|i| if i % 2 == 0 { &pace } else { &shared }.take(t0).as_millis())
            .collect();
        assert_eq!(waits, [0, 100, 200, 300]);
        // Much later, the next goes at once: turns do not pile up while nothing is sent.
        assert_eq!(
            pace.take(t0 + std::time::Duration::from_secs(5)),
            std::time::Duration::ZERO
        );
        assert_eq!(Pace::every(None).take(t0), std::time::Duration::ZERO);
    }

    #[test]
    fn mailboxes_quote_or_encode_names() {
        assert_eq!(
            mailbox("Acme Accounts", "ar@acme.example"),
            "\"Acme Accounts\" <ar@acme.example>"
        );
        assert_eq!(mailbox("Say \"hi\"", "a@b.example"), "\"Say \\\"hi\\\"\" <a@b.example>");
        assert_eq!(
            mailbox("Põld OÜ", "a@b.example"),
            "=?UTF-8?B?UMO1bGQgT8Oc?= <a@b.example>"
        );
    }
}
