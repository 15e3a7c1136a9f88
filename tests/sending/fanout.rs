//! The tick fanned out over a work queue: the dispatcher puts due debtors on SQS in batches of one
//! creditor, workers take the batches, and what a worker that dies mid-batch leaves is finished once.
//! The queue is the local endpoint's SQS; the workers are the scheduler's `handle_work`, handed what SQS
//! gives, as Lambda's event source mapping would.

use serde_json::json;

use duly_local::faults::{Fault, FaultProxy, Service};
use duly_local::fixtures::facts;
use duly_local::moto::sent_emails;
use duly_local::work_queue::LocalQueue;
use duly_local::{at, Local};

const T: &str = "2026-11-16T09:00:00Z";

/// `n` customers of the demo creditor, each owing one invoice due Tuesday 1 December: their pre-due
/// e-mails are due Monday 30 November at 09:00 in Tallinn.
async fn customers(local: &Local, n: usize) -> Vec<String> {
    let mut emails = Vec::new();
    for i in 0..n {
        let email = format!("ap{i}-{}@fanout.example", local.store.table());
        let contact = facts::contact(&format!("cus-{i}"), &email, None, T);
        assert_eq!(local.deliver(&format!("c{i}"), &contact, at(T)).await.0, 200);
        let invoice = facts::invoice(
            &format!("10{i}"),
            &format!("cus-{i}"),
            "100.00",
            "100.00",
            "2026-12-01",
            "open",
            T,
        );
        assert_eq!(local.deliver(&format!("i{i}"), &invoice, at(T)).await.0, 200);
        emails.push(email);
    }
    emails
}

async fn mails_to(emails: &[String]) -> Vec<usize> {
    let sent = sent_emails().await;
    emails
        .iter()
        .map(|e| sent.iter().filter(|m| m.destinations.to.contains(e)).count())
        .collect()
}

/// Workers take every message, as Lambda does; every batch must come back done.
async fn drain(local: &Local, queue: &LocalQueue, now: chrono::DateTime<chrono::Utc>) -> usize {
    let mut batches = 0;
    loop {
        let (event, receipts) = queue.receive().await;
        if receipts.is_empty() {
            return batches;
        }
        let answer = duly_scheduler::handle_work(&local.scheduler, &event, now).await.answer;
        assert_eq!(answer["batchItemFailures"], json!([]), "{answer}");
        queue.delete(&receipts).await;
        batches += receipts.len();
    }
}

#[tokio::test]
async fn a_tick_fans_due_debtors_out_to_workers_in_batches_and_waits_while_the_queue_is_busy() {
    let mut local = Local::new("fanout").await;
    let queue = local.fan_out(&duly_local::aws_config()).await;
    let emails = customers(&local, 30).await;
    // The first tick plans the new invoices; the workers have nothing to send yet.
    let planned = duly_scheduler::handle(&local.scheduler, at("2026-11-16T10:00:00Z"))
        .await
        .unwrap();
    assert_eq!(planned.dispatched.as_ref().map(|d| d.debtors), Some(30), "{planned:?}");
    drain(&local, &queue, at("2026-11-16T10:00:00Z")).await;

    let tick = at("2026-11-30T07:15:00Z");
    let summary = duly_scheduler::handle(&local.scheduler, tick).await.unwrap();
    let dispatched = summary.dispatched.clone().expect("a dispatching tick");
    assert_eq!(
        (dispatched.batches, dispatched.debtors),
        (2, 30),
        "25 and 5: {summary:?}"
    );
    assert_eq!(summary.sent, 0, "the tick itself sends nothing");
    // Due at 09:00 in Tallinn (07:00 UTC), read at 07:15: the oldest had waited a quarter of an hour. The
    // tick's metric line says so, and what it dispatched.
    assert_eq!(summary.lag_seconds, 900);
    let metrics: serde_json::Value =
        serde_json::from_str(&duly_scheduler::metric_line(&summary, "scheduler", tick)).unwrap();
    assert_eq!(
        (
            metrics["Dispatched"].as_i64(),
            metrics["LagSeconds"].as_i64(),
            metrics["Sent"].as_i64()
        ),
        (Some(30), Some(900), Some(0))
    );
    // While the queue holds the creditor's work, the next tick puts nothing more of theirs on it.
    let busy = duly_scheduler::handle(&local.scheduler, tick).await.unwrap();
    assert_eq!(
        busy.dispatched.as_ref().map(|d| (d.creditors_busy, d.batches)),
        Some((1, 0)),
        "{busy:?}"
    );
    local.counter.reset();
    assert_eq!(drain(&local, &queue, tick).await, dispatched.batches);
    assert_eq!(mails_to(&emails).await, vec![1; 30], "each customer once");
    // A worker reads its batch's debtors in one request and all their invoices in another.
    assert_eq!(
        local.counter.count_of("BatchGetItem"),
        2 * dispatched.batches,
        "two a batch"
    );
    // Nothing is due any more: the next tick has nothing to hand out.
    let after = duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:30:00Z"))
        .await
        .unwrap();
    assert_eq!(after.dispatched.map(|d| d.debtors), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_killed_mid_batch_leaves_nothing_lost_and_nothing_sent_twice() {
    let proxy = FaultProxy::start().await;
    let mut local = Local::through("fanout-crash", &proxy).await;
    let queue = local.fan_out(&proxy.aws_config()).await;
    let emails = customers(&local, 6).await;
    duly_scheduler::handle(&local.scheduler, at("2026-11-16T10:00:00Z"))
        .await
        .unwrap();
    drain(&local, &queue, at("2026-11-16T10:00:00Z")).await;

    let tick = at("2026-11-30T07:15:00Z");
    duly_scheduler::handle(&local.scheduler, tick).await.unwrap();
    // The worker claims the first customer's message and dies while SES has it: the process is gone.
    let (event, _) = queue.receive().await;
    proxy.inject(Service::SesSendEmail, Fault::HoldBefore);
    tokio::select! {
        worked = duly_scheduler::handle_work(&local.scheduler, &event, tick) => panic!("the worker should have hung: {}", worked.answer),
        () = proxy.held() => {}
    }
    proxy.heal();
    assert_eq!(mails_to(&emails).await.iter().sum::<usize>(), 0);
    // SQS hands the batch to another worker once its visibility ends: the other five go out; the claimed
    // one waits for its lease.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    drain(&local, &queue, tick + chrono::Duration::minutes(1)).await;
    assert_eq!(mails_to(&emails).await.iter().sum::<usize>(), 5);
    // The tick after the lease finishes the claimed message itself.
    let later = duly_scheduler::handle(&local.scheduler, tick + chrono::Duration::minutes(11))
        .await
        .unwrap();
    assert_eq!(later.recovered, 1, "{later:?}");
    assert_eq!(mails_to(&emails).await, vec![1; 6], "each customer once");
}

#[tokio::test(flavor = "multi_thread")]
async fn workers_under_a_throttling_ses_lose_nothing_and_send_nothing_twice() {
    let proxy = FaultProxy::start().await;
    let mut local = Local::through("fanout-throttled", &proxy).await;
    let queue = local.fan_out(&proxy.aws_config()).await;
    let emails = customers(&local, 12).await;
    local.tick(Some(&queue), at("2026-11-16T10:00:00Z")).await.unwrap();
    // SES refuses some calls as over its sending rate: the SDK's own retries absorb them.
    proxy.inject(Service::SesSendEmail, Fault::Throttle { every: 2 });
    let first = local.tick(Some(&queue), at("2026-11-30T07:15:00Z")).await.unwrap();
    assert!(proxy.injected() >= 1, "SES throttled: {} {first:?}", proxy.injected());
    // The next morning SES refuses everything for a while: each message waits and is tried again later.
    proxy.inject(Service::SesSendEmail, Fault::Throttle { every: 1 });
    let refused = local.tick(Some(&queue), at("2026-12-02T07:15:00Z")).await.unwrap();
    proxy.heal();
    assert_eq!(first.sent, 12, "{first:?}");
    assert_eq!(refused.deferred, 12, "{refused:?}");
    assert_eq!(mails_to(&emails).await, vec![1; 12], "the second morning's wait");
    // SES takes mail again; the ticks after the back-off send what waited.
    for t in ["2026-12-02T08:15:00Z", "2026-12-02T10:15:00Z"] {
        local.tick(Some(&queue), at(t)).await.unwrap();
    }
    assert_eq!(mails_to(&emails).await, vec![2; 12], "each reminder once");
}

/// Every alarm in the template tells the alarm topic, and the alarms on Duly's own metrics watch figures
/// the scheduler and workers write.
#[test]
fn the_alarms_watch_metrics_that_are_written_and_tell_the_topic() {
    let template: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(include_str!("../../infra/template.yaml")).expect("infra/template.yaml parses");
    let summary: duly_scheduler::Summary = duly_scheduler::Summary {
        examined: 0,
        sent: 0,
        rescheduled: 0,
        retired: 0,
        skipped_steps: 0,
        contended: 0,
        errors: 0,
        recovered: 0,
        deferred: 0,
        postponed: 0,
        digests: 0,
        over_cap: 0,
        reminders: Vec::new(),
        lag_seconds: 0,
        dead_letters: 0,
        dispatched: None,
    };
    // Each function's metric line, as CloudWatch reads it: the metric under the dimension `Function`.
    let lines: Vec<serde_json::Value> = [
        duly_scheduler::metric_line(&summary, "scheduler", at(T)),
        duly_scheduler::metric_line(&summary, "worker", at(T)),
        duly_rates::metric_line(&Default::default(), at(T)),
    ]
    .iter()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect();
    let mut alarms = 0;
    for (name, resource) in template["Resources"].as_mapping().unwrap() {
        if resource["Type"].as_str() != Some("AWS::CloudWatch::Alarm") {
            continue;
        }
        alarms += 1;
        let props = &resource["Properties"];
        let topic = serde_yaml_ng::to_string(&props["AlarmActions"]).unwrap();
        assert!(topic.contains("AlarmTopic"), "{name:?} tells nobody");
        if props["Namespace"].as_str() == Some("Duly") {
            let metric = props["MetricName"].as_str().unwrap();
            // An alarm without the dimension watches a metric no line writes: it would never go off.
            let function = props["Dimensions"]
                .as_sequence()
                .and_then(|d| d.iter().find(|d| d["Name"].as_str() == Some("Function")))
                .and_then(|d| d["Value"].as_str())
                .unwrap_or_else(|| {
                    panic!("{name:?} watches {metric} without the Function dimension it is written under")
                });
            assert!(
                lines
                    .iter()
                    .any(|l| l["Function"].as_str() == Some(function) && l.get(metric).is_some()),
                "{name:?} watches {metric} of {function}, which writes no such figure"
            );
        }
    }
    assert!(alarms >= 10, "{alarms} alarms");
}

/// Nothing can stop silently: every function's errors are watched, and so is every queue that failures
/// land in (the streams' failure queues, the work queue's dead letters, and the dead letters of every
/// schedule and rule, each a queue of the template's own so an alarm can watch it).
#[test]
fn every_function_and_every_failure_queue_is_watched() {
    let template: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(include_str!("../../infra/template.yaml")).expect("infra/template.yaml parses");
    let resources = template["Resources"].as_mapping().unwrap();
    let watching = |metric: &str| -> Vec<String> {
        resources
            .values()
            .filter(|r| r["Type"].as_str() == Some("AWS::CloudWatch::Alarm"))
            .filter(|r| r["Properties"]["MetricName"].as_str() == Some(metric))
            .map(|r| serde_yaml_ng::to_string(&r["Properties"]["Dimensions"]).unwrap())
            .collect()
    };
    let errors = watching("Errors");
    let backlog = watching("ApproximateNumberOfMessagesVisible");
    let mut queues: Vec<String> = Vec::new();
    let mut functions = 0;
    for (name, resource) in resources {
        let name = name.as_str().unwrap();
        match resource["Type"].as_str() {
            Some("AWS::Serverless::Function") => {
                functions += 1;
                assert!(
                    errors.iter().any(|d| d.contains(&format!("!Ref {name}\n"))),
                    "{name}'s errors are watched by no alarm"
                );
                let events = resource["Properties"]["Events"].as_mapping().into_iter().flatten();
                for (event, e) in events {
                    let dlq = &e["Properties"]["DeadLetterConfig"];
                    if dlq.is_mapping() {
                        // A queue of the template's own (watched below), not one SAM makes unnamed.
                        let arn = serde_yaml_ng::to_string(&dlq["Arn"]).unwrap();
                        assert!(
                            arn.starts_with("!GetAtt ") && arn.trim_end().ends_with(".Arn"),
                            "{name}'s {event:?} keeps dead letters in a queue no alarm can name"
                        );
                    }
                }
            }
            Some("AWS::SQS::Queue") if name != "WorkQueue" => queues.push(name.to_string()),
            _ => {}
        }
    }
    assert!(functions >= 11, "{functions} functions");
    assert!(queues.len() >= 8, "{queues:?}");
    for queue in &queues {
        assert!(
            backlog
                .iter()
                .any(|d| d.contains(&format!("!GetAtt {queue}.QueueName\n"))),
            "{queue} fills with no alarm going off"
        );
    }
}

const SMALL_SECRET: &str = "whsec_c21hbGwtY3JlZGl0b3ItY29ubmVjdGlvbi0wMDA=";

/// Delivers `body` to the small creditor's Standard Webhooks connection at `t`.
async fn to_small_creditor(local: &Local, id: &str, body: &str, t: &str) {
    let delivery = duly_local::webhook_event::signed_delivery("conn-small", SMALL_SECRET, id, at(t).timestamp(), body);
    assert_eq!(local.send_event(&delivery, at(t)).await.0, 200);
}

/// A second creditor, `small`, with one customer owing one invoice due Tuesday 1 December; the customer's
/// address.
async fn small_creditor(local: &Local) -> String {
    local
        .store
        .put_creditor(&duly_local::fixtures::creditor("small"))
        .await
        .unwrap();
    local.add_connection("conn-small", "small", SMALL_SECRET).await;
    let email = format!("ap-{}@small.example", local.store.table());
    to_small_creditor(local, "s1", &facts::contact("cus-s", &email, None, T), T).await;
    let invoice = facts::invoice("2001", "cus-s", "50.00", "50.00", "2026-12-01", "open", T);
    to_small_creditor(local, "s2", &invoice, T).await;
    email
}

/// One creditor with many due customers does not fill a tick: each creditor has a bounded share of what a
/// tick reads and dispatches, so a small creditor beside a big one is dispatched on the first tick, and
/// the big one's rest stays due for the next.
#[tokio::test]
async fn a_big_creditor_takes_a_bounded_share_of_a_tick_and_a_small_one_is_dispatched_at_once() {
    let mut local = Local::new("fanout-share").await;
    let queue = local.fan_out(&duly_local::aws_config()).await;
    local.scheduler.budget.max_dispatched_per_creditor = 5;
    customers(&local, 12).await;
    small_creditor(&local).await;

    let now = at("2026-11-16T10:00:00Z");
    let first = duly_scheduler::handle(&local.scheduler, now).await.unwrap();
    assert_eq!(
        first.dispatched.as_ref().map(|d| d.debtors),
        Some(6),
        "five of the big creditor's twelve and the small one's: {first:?}"
    );
    drain(&local, &queue, now).await;
    let small = duly_core::model::ids::CreditorId::parse("small").unwrap();
    let mut left = (0, 0);
    for shard in 0..duly_adapters::store::DUE_SHARDS {
        for entry in local.store.due_invoices(shard, now).await.unwrap() {
            match entry.creditor_id == small {
                true => left.1 += 1,
                false => left.0 += 1,
            }
        }
    }
    assert_eq!(
        left,
        (7, 0),
        "the big creditor's rest waits; the small one was dispatched"
    );
    let second = duly_scheduler::handle(&local.scheduler, now).await.unwrap();
    assert_eq!(second.dispatched.as_ref().map(|d| d.debtors), Some(5), "{second:?}");
}

/// A creditor with 10,000 due customers and a spent monthly cap, beside a small creditor: the small one's
/// reminder is on the queue after the first tick, behind one batch of the big one at most, and goes out
/// when its batch is worked; while the big creditor's batches are on the queue the small creditor's new
/// work is still dispatched.
#[tokio::test]
async fn ten_thousand_capped_customers_of_one_creditor_hold_back_no_one_else() {
    let mut local = Local::new("fanout-capped").await;
    let queue = local.fan_out(&duly_local::aws_config()).await;
    let (status, _) = local
        .api("PUT", "/v1/billing", Some(json!({"monthly_cap": "0.01"})), None, at(T))
        .await;
    assert_eq!(status, 200, "a cap below one message");
    duly_local::measure::fill(&local, 10_000, 0, None).await;
    let small = duly_core::model::ids::CreditorId::parse("small").unwrap();
    let email = small_creditor(&local).await;
    // The small creditor's new invoice is planned (the big one's are due on 20 November).
    let planned = at("2026-11-16T10:00:00Z");
    duly_scheduler::handle(&local.scheduler, planned).await.unwrap();
    drain(&local, &queue, planned).await;

    let tick = at("2026-11-30T07:15:00Z");
    let first = duly_scheduler::handle(&local.scheduler, tick).await.unwrap();
    let dispatched = first.dispatched.clone().expect("a dispatching tick");
    assert_eq!(dispatched.debtors, 10_001, "everyone's share fits: {dispatched:?}");
    let mut batches = Vec::new();
    loop {
        let (event, receipts) = queue.receive().await;
        if receipts.is_empty() {
            break;
        }
        for record in event["Records"].as_array().unwrap() {
            let batch: duly_app::scheduler::Batch = serde_json::from_str(record["body"].as_str().unwrap()).unwrap();
            batches.push((batch, record.clone()));
        }
        queue.delete(&receipts).await;
    }
    assert_eq!(batches.len(), dispatched.batches);
    let position = batches
        .iter()
        .position(|(b, _)| b.creditor == small)
        .expect("the small creditor's batch is on the queue after the first tick");
    // Every creditor's first batch goes before anyone's second: behind one batch of the big creditor at most.
    assert!(position <= 1, "and among the first: at {position}");
    let work = |record: &serde_json::Value| json!({ "Records": [record] });
    let worked = duly_scheduler::handle_work(&local.scheduler, &work(&batches[position].1), tick).await;
    assert_eq!(worked.batches[0].sent, 1, "{:?}", worked.batches[0]);
    assert_eq!(mails_to(std::slice::from_ref(&email)).await, vec![1]);
    // The big creditor's batches are still on the queue: nothing more of theirs is dispatched, and a new
    // invoice of the small creditor is. (What the workers do with capped customers, holding them until
    // the month turns, is the billing tests' part.)
    let later = "2026-11-30T07:30:00Z";
    to_small_creditor(
        &local,
        "s3",
        &facts::invoice("2002", "cus-s", "70.00", "70.00", "2026-12-14", "open", later),
        later,
    )
    .await;
    let second = duly_scheduler::handle(&local.scheduler, at(later)).await.unwrap();
    assert_eq!(
        second.dispatched.as_ref().map(|d| (d.creditors_busy, d.debtors)),
        Some((1, 1)),
        "{second:?}"
    );
}
