//! Reads a table's DynamoDB stream from the local endpoint and hands it over as the event Lambda's event
//! source mapping would deliver: `{"Records": [...]}`.
//!
//! The stream API is called over plain HTTP: the SDK's stream client would be one more crate to build
//! for the sake of four calls, and the local endpoint does not check signatures.

use serde_json::{json, Value};

async fn call(target: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(crate::endpoint())
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", format!("DynamoDBStreams_20120810.{target}"))
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20261123/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(body.to_string())
        .send()
        .await
        .expect("the local stream endpoint answers");
    assert!(response.status().is_success(), "{target}: {}", response.status());
    response.json().await.expect("a JSON answer")
}

/// Every record of the table's stream so far, oldest first, as a Lambda event.
pub async fn records(dynamodb: &aws_sdk_dynamodb::Client, table: &str) -> Value {
    records_after(dynamodb, table, None).await
}

/// The records of the table's stream after the one with sequence number `after` (all of them when it is
/// `None`), oldest first, as a Lambda event. The local endpoint keeps one shard per table, so a sequence
/// number places a reader in the stream as a shard iterator would.
async fn records_after(dynamodb: &aws_sdk_dynamodb::Client, table: &str, after: Option<&str>) -> Value {
    let described = dynamodb
        .describe_table()
        .table_name(table)
        .send()
        .await
        .expect("describe the table");
    let arn = described
        .table()
        .and_then(|t| t.latest_stream_arn())
        .expect("the table has a stream, as the template says")
        .to_string();
    let stream = call("DescribeStream", json!({"StreamArn": arn})).await;
    let mut records = Vec::new();
    for shard in stream["StreamDescription"]["Shards"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let position = match after {
            Some(sequence) => json!({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": sequence}),
            None => json!({"ShardIteratorType": "TRIM_HORIZON"}),
        };
        let mut request = json!({"StreamArn": arn, "ShardId": shard["ShardId"]});
        request
            .as_object_mut()
            .expect("an object")
            .extend(position.as_object().expect("an object").clone());
        let iterator = call("GetShardIterator", request).await;
        // A page holds at most a thousand records: read on until a page comes back empty.
        let mut next = iterator["ShardIterator"].clone();
        for _ in 0..10_000 {
            let page = call("GetRecords", json!({"ShardIterator": next})).await;
            let got = page["Records"].as_array().cloned().unwrap_or_default();
            if got.is_empty() || page["NextShardIterator"].is_null() {
                records.extend(got);
                break;
            }
            records.extend(got);
            next = page["NextShardIterator"].clone();
        }
    }
    for record in &mut records {
        record["eventSourceARN"] = json!(arn);
    }
    json!({ "Records": records })
}

/// The filter of the sync function's stream trigger, as the template declares it.
pub fn notice_filter() -> Value {
    let template: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(include_str!("../../infra/template.yaml")).expect("infra/template.yaml parses");
    let pattern = template["Resources"]["SyncFunction"]["Properties"]["Events"]["Notices"]["Properties"]
        ["FilterCriteria"]["Filters"][0]["Pattern"]
        .as_str()
        .expect("the sync function's stream trigger has a filter pattern");
    serde_json::from_str(pattern).expect("the filter pattern is JSON")
}

/// The filters of the billing function's stream trigger, as the template declares them: a record passes
/// when any one of them matches.
pub fn billing_filters() -> Vec<Value> {
    let template: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(include_str!("../../infra/template.yaml")).expect("infra/template.yaml parses");
    template["Resources"]["BillingFunction"]["Properties"]["Events"]["Usage"]["Properties"]["FilterCriteria"]["Filters"]
        .as_sequence()
        .expect("the billing function's stream trigger has filters")
        .iter()
        .map(|f| serde_json::from_str(f["Pattern"].as_str().expect("a pattern")).expect("the pattern is JSON"))
        .collect()
}

/// The records of a batch that pass any of `filters`.
pub fn filtered_by_any(batch: &Value, filters: &[Value]) -> Value {
    let kept: Vec<Value> = batch["Records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|record| filters.iter().any(|f| matches(f, Some(record))))
        .cloned()
        .collect();
    json!({ "Records": kept })
}

/// Whether `value` matches one of a pattern's alternatives (the subset of Lambda event filtering the
/// template uses: exact values, `exists`, `anything-but` and `prefix`).
fn alternative_matches(alternative: &Value, value: Option<&Value>) -> bool {
    match (alternative, value) {
        (Value::Object(rule), Some(value)) if rule.contains_key("prefix") => rule["prefix"]
            .as_str()
            .is_some_and(|p| value.as_str().is_some_and(|v| v.starts_with(p))),
        (Value::Object(rule), value) if rule.contains_key("exists") => {
            rule["exists"].as_bool() == Some(value.is_some())
        }
        (Value::Object(rule), Some(value)) if rule.contains_key("anything-but") => {
            !rule["anything-but"].as_array().is_some_and(|a| a.contains(value))
        }
        (expected, Some(value)) => expected == value,
        _ => false,
    }
}

fn matches(pattern: &Value, record: Option<&Value>) -> bool {
    match pattern {
        Value::Object(fields) => fields
            .iter()
            .all(|(key, sub)| matches(sub, record.and_then(|r| r.get(key)))),
        Value::Array(alternatives) => alternatives.iter().any(|a| alternative_matches(a, record)),
        _ => false,
    }
}

/// The records of a batch that pass `filter`, as the event source mapping would deliver them.
pub fn filtered(batch: &Value, filter: &Value) -> Value {
    let kept: Vec<Value> = batch["Records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|record| matches(filter, Some(record)))
        .cloned()
        .collect();
    json!({ "Records": kept })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_filter_passes_new_notices_only() {
        let filter = notice_filter();
        let record = |event: &str, image: Value| json!({"eventName": event, "dynamodb": {"NewImage": image}});
        let notice = json!({"sync_due": {"S": "2026"}, "attempts": {"N": "0"}, "entity": {"S": "invoice"}});
        let batch = json!({"Records": [
            record("INSERT", notice.clone()),
            record("REMOVE", notice.clone()),
            record("MODIFY", json!({"sync_due": {"S": "2026"}, "attempts": {"N": "1"}, "entity": {"S": "invoice"}})),
            record("INSERT", json!({"sync_due": {"S": "2026"}, "attempts": {"N": "0"}, "entity": {"S": "reconcile"}})),
            record("INSERT", json!({"pk": {"S": "C#nordwind#I#1"}})),
        ]});
        assert_eq!(filtered(&batch, &filter)["Records"], json!([record("INSERT", notice)]));
    }
}

/// Hands a table's stream over in order, each record once, as Lambda's event source mapping does: every
/// call returns what the stream gained since the last, through the billing function's filters. It reads on
/// from the last record it handed over, so a long run does not read its whole stream again at every call.
#[derive(Debug, Default)]
pub struct BillingFeed {
    last: Option<String>,
}

impl BillingFeed {
    pub async fn next(&mut self, dynamodb: &aws_sdk_dynamodb::Client, table: &str) -> Value {
        let fresh = records_after(dynamodb, table, self.last.as_deref()).await;
        if let Some(last) = fresh["Records"]
            .as_array()
            .and_then(|records| records.last())
            .and_then(|record| record["dynamodb"]["SequenceNumber"].as_str())
        {
            self.last = Some(last.to_string());
        }
        filtered_by_any(&fresh, &billing_filters())
    }
}
