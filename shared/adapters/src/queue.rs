//! The scheduler's work queue on SQS: batches of due debtors from the dispatcher to the workers.

use aws_sdk_sqs::types::SendMessageBatchRequestEntry;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("SQS refused the request: {0}")]
    Sqs(String),
    #[error("SQS did not take {0} of the messages")]
    NotTaken(usize),
}

fn sqs_error<E: std::fmt::Debug>(e: aws_sdk_sqs::error::SdkError<E>) -> QueueError {
    // The service's code and message only: the request, with its bodies, stays out of logs.
    let code = match &e {
        aws_sdk_sqs::error::SdkError::ServiceError(s) => format!("{:?}", s.raw().status()),
        other => other.to_string(),
    };
    QueueError::Sqs(code)
}

/// At most this many bytes of bodies in one `SendMessageBatch` (SQS's limit is 256 KiB).
const MAX_BATCH_BYTES: usize = 240 * 1024;
/// SQS takes at most ten messages a request.
const MAX_BATCH_ENTRIES: usize = 10;

#[derive(Debug, Clone)]
pub struct WorkQueue {
    sqs: aws_sdk_sqs::Client,
    url: String,
}

impl WorkQueue {
    pub fn new(sqs: aws_sdk_sqs::Client, url: impl Into<String>) -> Self {
        WorkQueue { sqs, url: url.into() }
    }

    /// Sends each body as one message, as few requests as SQS's limits allow.
    pub async fn send(&self, bodies: &[String]) -> Result<usize, QueueError> {
        let mut sent = 0;
        let mut start = 0;
        while start < bodies.len() {
            let mut end = start;
            let mut bytes = 0;
            while end < bodies.len() && end - start < MAX_BATCH_ENTRIES {
                let next = bodies[end].len();
                if end > start && bytes + next > MAX_BATCH_BYTES {
                    break;
                }
                bytes += next;
                end += 1;
            }
            let entries = bodies[start..end]
                .iter()
                .enumerate()
                .map(|(i, body)| {
                    SendMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .message_body(body)
                        .build()
                        .expect("id and body are set")
                })
                .collect();
            let out = self
                .sqs
                .send_message_batch()
                .queue_url(&self.url)
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(sqs_error)?;
            if !out.failed().is_empty() {
                return Err(QueueError::NotTaken(out.failed().len()));
            }
            sent += out.successful().len();
            start = end;
        }
        Ok(sent)
    }
}
