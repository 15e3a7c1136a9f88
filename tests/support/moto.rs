//! What the local endpoint's SES and SNS received, read from moto's own state API.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct SentEmail {
    pub id: String,
    pub source: String,
    pub subject: String,
    /// moto keeps the HTML part.
    pub body: String,
    pub destinations: Destinations,
    /// The files it carried (the local endpoint keeps their names and sizes).
    #[serde(default)]
    pub attachments: Vec<SentAttachment>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SentAttachment {
    pub file_name: String,
    pub content_type: String,
    pub size: usize,
    /// It begins as a PDF does.
    pub pdf: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Destinations {
    #[serde(rename = "ToAddresses", default)]
    pub to: Vec<String>,
    #[serde(rename = "CcAddresses", default)]
    pub cc: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SentSms {
    pub message: String,
    pub message_id: String,
    pub phone_number: String,
}

#[derive(Deserialize)]
struct State {
    ses: SesState,
    sns: SnsState,
}

#[derive(Deserialize)]
struct SesState {
    #[serde(rename = "Message", default)]
    message: Vec<SentEmail>,
}

#[derive(Deserialize)]
struct SnsState {
    #[serde(rename = "SMS", default)]
    sms: Vec<SentSms>,
}

async fn state() -> State {
    let url = format!("{}/moto-api/data.json", crate::endpoint());
    reqwest::get(url)
        .await
        .expect("moto answers")
        .json()
        .await
        .expect("moto's state is JSON")
}

/// Every e-mail SES accepted since the endpoint started.
pub async fn sent_emails() -> Vec<SentEmail> {
    state().await.ses.message
}

/// Every SMS SNS accepted since the endpoint started.
pub async fn sent_sms() -> Vec<SentSms> {
    state().await.sns.sms
}

/// Registers a sending domain with SES, as a deployment verifies the creditor's domain.
pub async fn verify_sender_domain(domain: &str) {
    let ses = aws_sdk_sesv2::Client::new(&crate::aws_config());
    let exists = ses.get_email_identity().email_identity(domain).send().await.is_ok();
    if !exists {
        // Parallel tests may race to create it; the loser's "already exists" is fine.
        let _ = ses.create_email_identity().email_identity(domain).send().await;
    }
}
