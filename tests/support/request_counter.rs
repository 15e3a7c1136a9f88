//! Counts DynamoDB requests by operation through an SDK interceptor: every attempt that goes on the wire,
//! retries included. A counter made with [`RequestCounter::with_capacity`] also asks DynamoDB for the
//! capacity each request consumed (`ReturnConsumedCapacity: INDEXES`, added to the request body before
//! signing) and adds up what the responses report, table and indexes together.

use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::config::interceptors::{
    BeforeTransmitInterceptorContextMut, BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{Storable, StoreReplace};

/// The operation of the attempt under way, kept for the response: by then the request has gone.
#[derive(Debug, Clone)]
struct Operation(String);

impl Storable for Operation {
    type Storer = StoreReplace<Self>;
}

/// Operations that take `ReturnConsumedCapacity`; table management calls refuse it.
const DATA_OPERATIONS: [&str; 10] = [
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
];

/// Read and write capacity units as DynamoDB reports them (halves for eventually consistent reads).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Capacity {
    pub read: f64,
    pub write: f64,
}

impl std::ops::AddAssign for Capacity {
    fn add_assign(&mut self, other: Capacity) {
        self.read += other.read;
        self.write += other.write;
    }
}

#[derive(Debug, Default)]
struct Tally {
    operations: Vec<String>,
    capacity: Capacity,
    /// Requests whose response reported no capacity (errors such as a failed condition report none).
    unreported: usize,
}

#[derive(Debug, Clone, Default)]
pub struct RequestCounter {
    tally: Arc<Mutex<Tally>>,
    ask_capacity: bool,
    /// While set, requests pass untouched and uncounted: reading each again costs CPU a measurement of the
    /// functions' own must not include.
    paused: Arc<std::sync::atomic::AtomicBool>,
}

impl RequestCounter {
    /// A counter that also adds up consumed capacity.
    pub fn with_capacity() -> RequestCounter {
        RequestCounter {
            ask_capacity: true,
            ..RequestCounter::default()
        }
    }

    /// Operation names (`TransactWriteItems`, `GetItem`, …) since the last reset.
    pub fn operations(&self) -> Vec<String> {
        self.tally.lock().unwrap().operations.clone()
    }

    /// Capacity reported since the last reset, and how many requests reported none.
    pub fn capacity(&self) -> (Capacity, usize) {
        let tally = self.tally.lock().unwrap();
        (tally.capacity, tally.unreported)
    }

    /// Stops counting (and asking for capacity) until [`RequestCounter::resume`].
    pub fn pause(&self) {
        self.paused.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn resume(&self) {
        self.paused.store(false, std::sync::atomic::Ordering::Relaxed);
    }

    fn is_paused(&self) -> bool {
        self.paused.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn reset(&self) {
        *self.tally.lock().unwrap() = Tally::default();
    }

    pub fn count(&self) -> usize {
        self.tally.lock().unwrap().operations.len()
    }

    /// Requests of one operation (`BatchGetItem`…) since the last reset.
    pub fn count_of(&self, operation: &str) -> usize {
        self.tally
            .lock()
            .unwrap()
            .operations
            .iter()
            .filter(|o| *o == operation)
            .count()
    }
}

/// DynamoDB's JSON protocol names the operation in X-Amz-Target: "DynamoDB_20120810.GetItem".
fn operation(headers: &aws_smithy_runtime_api::http::Headers) -> String {
    let target = headers.get("x-amz-target").unwrap_or("unknown");
    target.rsplit('.').next().unwrap_or(target).to_string()
}

/// The units of one `ConsumedCapacity` entry: the table's and every index's, split into reads and writes
/// where the endpoint says which; a bare `CapacityUnits` counts as reads or writes by the operation.
fn units(entry: &serde_json::Value, operation: &str) -> Capacity {
    let number = |v: &serde_json::Value, key: &str| v.get(key).and_then(serde_json::Value::as_f64);
    let split = |v: &serde_json::Value| match (number(v, "ReadCapacityUnits"), number(v, "WriteCapacityUnits")) {
        (None, None) => {
            let total = number(v, "CapacityUnits").unwrap_or(0.0);
            if is_write(operation) {
                Capacity {
                    read: 0.0,
                    write: total,
                }
            } else {
                Capacity {
                    read: total,
                    write: 0.0,
                }
            }
        }
        (read, write) => Capacity {
            read: read.unwrap_or(0.0),
            write: write.unwrap_or(0.0),
        },
    };
    let Some(table) = entry.get("Table") else {
        return split(entry);
    };
    let mut total = split(table);
    for indexes in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        if let Some(map) = entry.get(indexes).and_then(serde_json::Value::as_object) {
            for index in map.values() {
                total += split(index);
            }
        }
    }
    total
}

fn is_write(operation: &str) -> bool {
    matches!(
        operation,
        "PutItem" | "UpdateItem" | "DeleteItem" | "BatchWriteItem" | "TransactWriteItems"
    )
}

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "RequestCounter"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if self.is_paused() || !self.ask_capacity || !DATA_OPERATIONS.contains(&operation(request.headers()).as_str()) {
            return Ok(());
        }
        let Some(bytes) = request.body().bytes() else {
            return Ok(());
        };
        let mut body: serde_json::Value = serde_json::from_slice(bytes)?;
        if let Some(fields) = body.as_object_mut() {
            fields
                .entry("ReturnConsumedCapacity")
                .or_insert_with(|| "INDEXES".into());
        }
        let bytes = serde_json::to_vec(&body)?;
        request.headers_mut().insert("content-length", bytes.len().to_string());
        *request.body_mut() = SdkBody::from(bytes);
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if self.is_paused() {
            return Ok(());
        }
        let operation = operation(context.request().headers());
        cfg.interceptor_state().store_put(Operation(operation.clone()));
        self.tally.lock().unwrap().operations.push(operation);
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if self.is_paused() || !self.ask_capacity {
            return Ok(());
        }
        let operation = cfg.load::<Operation>().map(|o| o.0.clone()).unwrap_or_default();
        if !DATA_OPERATIONS.contains(&operation.as_str()) {
            return Ok(());
        }
        let Some(response) = context.response() else {
            return Ok(());
        };
        let reported = response
            .body()
            .bytes()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok())
            .and_then(|body| body.get("ConsumedCapacity").cloned());
        let mut tally = self.tally.lock().unwrap();
        match reported {
            Some(serde_json::Value::Array(entries)) if !entries.is_empty() => {
                for entry in &entries {
                    tally.capacity += units(entry, &operation);
                }
            }
            Some(entry @ serde_json::Value::Object(_)) => tally.capacity += units(&entry, &operation),
            _ => tally.unreported += 1,
        }
        Ok(())
    }
}

/// A DynamoDB client for the local endpoint whose requests are counted.
pub fn counted_client(counter: &RequestCounter) -> aws_sdk_dynamodb::Client {
    counted_client_with(counter, &crate::aws_config())
}

/// A counted DynamoDB client with its own SDK configuration (another endpoint, say).
pub fn counted_client_with(counter: &RequestCounter, sdk: &aws_config::SdkConfig) -> aws_sdk_dynamodb::Client {
    let config = crate::dynamodb_config(sdk).interceptor(counter.clone());
    aws_sdk_dynamodb::Client::from_conf(config.build())
}
