//! Stripe Billing: a customer per creditor, and meter events (`POST /v1/billing/meter_events`) whose
//! `identifier` Stripe keeps unique for at least a day, refusing a second event with the same one.

use std::time::Duration;

use super::{MeterEvent, MeteringError, Recorded, UsageSink};

pub struct StripeMeters {
    http: reqwest::Client,
    api_base: String,
    secret_key: String,
}

impl StripeMeters {
    pub fn new(api_base: &str, secret_key: &str) -> Self {
        StripeMeters {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("an HTTP client with default TLS roots"),
            api_base: api_base.trim_end_matches('/').to_string(),
            secret_key: secret_key.to_string(),
        }
    }

    async fn post(
        &self,
        path: &str,
        form: &[(&str, String)],
        idempotency_key: Option<&str>,
    ) -> Result<(u16, serde_json::Value), MeteringError> {
        let mut request = self
            .http
            .post(format!("{}{path}", self.api_base))
            .bearer_auth(&self.secret_key)
            .form(form);
        if let Some(key) = idempotency_key {
            request = request.header("idempotency-key", key);
        }
        let response = request
            .send()
            .await
            .map_err(|e| MeteringError::Unavailable(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(serde_json::Value::Null);
        if status >= 500 || status == 429 {
            return Err(MeteringError::Unavailable(format!("status {status}")));
        }
        Ok((status, body))
    }
}

fn refused(status: u16, body: &serde_json::Value) -> MeteringError {
    MeteringError::Refused {
        status,
        message: body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(300)
            .collect(),
    }
}

impl UsageSink for StripeMeters {
    async fn customer_for(&self, creditor: &str) -> Result<String, MeteringError> {
        // The idempotency key makes a retried creation return the customer made the first time.
        let (status, body) = self
            .post(
                "/v1/customers",
                &[("metadata[duly_creditor]", creditor.to_string())],
                Some(&format!("duly-customer-{creditor}")),
            )
            .await?;
        match body["id"].as_str() {
            Some(id) if status < 300 => Ok(id.to_string()),
            _ => Err(refused(status, &body)),
        }
    }

    async fn record(&self, event: &MeterEvent<'_>) -> Result<Recorded, MeteringError> {
        let (status, body) = self
            .post(
                "/v1/billing/meter_events",
                &[
                    ("event_name", event.event_name.to_string()),
                    ("payload[stripe_customer_id]", event.customer.to_string()),
                    ("payload[value]", event.value.to_string()),
                    ("identifier", event.identifier.to_string()),
                    ("timestamp", event.timestamp.to_string()),
                ],
                None,
            )
            .await?;
        if status < 300 {
            return Ok(Recorded::New);
        }
        let message = body["error"]["message"].as_str().unwrap_or("");
        if status == 400 && message.starts_with("An event already exists with identifier") {
            return Ok(Recorded::Duplicate);
        }
        Err(refused(status, &body))
    }
}
