//! The scheduler's work queue on the local endpoint's SQS, and workers that take its messages as Lambda's
//! event source mapping hands them over: up to ten at a time, deleting what was handled.

use serde_json::{json, Value};

use duly_adapters::queue::WorkQueue;

pub struct LocalQueue {
    pub sqs: aws_sdk_sqs::Client,
    pub url: String,
}

impl LocalQueue {
    /// A queue named `name` whose messages come back a second after a worker took them and died; and the
    /// scheduler's handle on it, reaching SQS with `sdk`.
    pub async fn create(name: &str, sdk: &aws_config::SdkConfig) -> (LocalQueue, WorkQueue) {
        let sqs = aws_sdk_sqs::Client::new(&crate::aws_config());
        let url = sqs
            .create_queue()
            .queue_name(name)
            .attributes(aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout, "1")
            .send()
            .await
            .expect("the local endpoint makes queues")
            .queue_url()
            .expect("a queue URL")
            .to_string();
        // The dispatcher's client, recorded for the permissions check like the scheduler's other clients.
        let dispatcher = aws_sdk_sqs::config::Builder::from(sdk)
            .interceptor(crate::permissions::record::Recorder::new("SchedulerFunction"))
            .build();
        let queue = WorkQueue::new(aws_sdk_sqs::Client::from_conf(dispatcher), &url);
        (LocalQueue { sqs, url }, queue)
    }

    /// Up to ten messages, as the SQS event Lambda would hand a worker, and their receipts.
    pub async fn receive(&self) -> (Value, Vec<String>) {
        let out = self
            .sqs
            .receive_message()
            .queue_url(&self.url)
            .max_number_of_messages(10)
            .send()
            .await
            .expect("receive");
        let mut records = Vec::new();
        let mut receipts = Vec::new();
        for m in out.messages() {
            records.push(json!({
                "messageId": m.message_id().unwrap_or_default(),
                "body": m.body().unwrap_or_default(),
                "eventSource": "aws:sqs"
            }));
            receipts.push(m.receipt_handle().unwrap_or_default().to_string());
        }
        (json!({ "Records": records }), receipts)
    }

    pub async fn delete(&self, receipts: &[String]) {
        for receipt in receipts {
            self.sqs
                .delete_message()
                .queue_url(&self.url)
                .receipt_handle(receipt)
                .send()
                .await
                .expect("delete");
        }
    }

    /// Workers take every message until the queue is empty; returns how many they handled.
    pub async fn drain(&self, app: &duly_scheduler::App, now: chrono::DateTime<chrono::Utc>) -> usize {
        self.drain_into(app, now, &mut Vec::new()).await
    }

    /// As [`Self::drain`], adding what each batch sent to `sent`.
    pub async fn drain_into(
        &self,
        app: &duly_scheduler::App,
        now: chrono::DateTime<chrono::Utc>,
        sent: &mut Vec<duly_scheduler::Summary>,
    ) -> usize {
        let mut handled = 0;
        loop {
            let (event, receipts) = self.receive().await;
            if receipts.is_empty() {
                return handled;
            }
            for record in event["Records"].as_array().into_iter().flatten() {
                let body = record["body"].as_str().unwrap_or_default();
                sent.extend(duly_scheduler::work_message(app, body, now).await);
            }
            self.delete(&receipts).await;
            handled += receipts.len();
        }
    }
}

impl crate::Local {
    /// Makes the scheduler fan out to a work queue of this table's own.
    pub async fn fan_out(&mut self, sdk: &aws_config::SdkConfig) -> LocalQueue {
        let (local_queue, queue) = LocalQueue::create(&format!("work-{}", self.store.table()), sdk).await;
        self.scheduler.queue = Some(queue);
        local_queue
    }

    /// A tick as deployed: with a work queue, the dispatcher and then workers until the queue is empty,
    /// their sends added to the tick's summary; without one, the tick alone.
    pub async fn tick(
        &self,
        queue: Option<&LocalQueue>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<duly_scheduler::Summary, duly_app::scheduler::SchedulerError> {
        let mut summary = duly_scheduler::handle(&self.scheduler, now).await?;
        if let Some(queue) = queue {
            let mut done = Vec::new();
            queue.drain_into(&self.scheduler, now, &mut done).await;
            for worked in done {
                summary.sent += worked.sent;
                summary.rescheduled += worked.rescheduled;
                summary.retired += worked.retired;
                summary.skipped_steps += worked.skipped_steps;
                summary.contended += worked.contended;
                summary.errors += worked.errors;
                summary.deferred += worked.deferred;
                summary.over_cap += worked.over_cap;
                summary.dead_letters += worked.dead_letters;
                summary.reminders.extend(worked.reminders);
            }
        }
        Ok(summary)
    }
}
