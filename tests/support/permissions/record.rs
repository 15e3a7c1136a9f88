//! Records what each function's code asks of AWS while the suite runs: every DynamoDB item's leading key
//! with the IAM action that reaches it, and every SES, SNS, KMS and SQS action. The emulators enforce no
//! IAM, so this record, checked against the roles in `infra/template.yaml`, is what shows a role lacking
//! what its code uses (or holding what it never uses) before a deployment does.
//!
//! Recording is on when `DULY_PERMISSION_LOG` names a folder: each test process appends the uses it has
//! not written yet to a file of its own there, one JSON object a line.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Mutex, OnceLock};

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const LOG_VARIABLE: &str = "DULY_PERMISSION_LOG";

/// One thing a function did: `dynamodb:PutItem` on the table for a key starting `C#`, `ses:SendEmail`…
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Use {
    /// The function as the template names it: `WebFunction`, `SchedulerFunction`…
    pub function: String,
    /// The IAM action: `dynamodb:GetItem`, `ses:SendEmail`, `kms:Decrypt`.
    pub action: String,
    /// `table`, `index/{name}`, or empty for services other than DynamoDB.
    pub resource: String,
    /// The partition key up to and including its first `#` (`C#`, `TOKEN#`), for table items.
    pub leading_key: Option<String>,
}

/// The interceptor to add to a function's SDK clients.
#[derive(Debug, Clone)]
pub struct Recorder {
    function: &'static str,
}

impl Recorder {
    pub fn new(function: &'static str) -> Recorder {
        Recorder { function }
    }
}

fn written() -> &'static Mutex<BTreeSet<Use>> {
    static WRITTEN: OnceLock<Mutex<BTreeSet<Use>>> = OnceLock::new();
    WRITTEN.get_or_init(Mutex::default)
}

fn write(uses: Vec<Use>) {
    let Some(folder) = std::env::var_os(LOG_VARIABLE) else {
        return;
    };
    let mut seen = written().lock().unwrap();
    let new: Vec<Use> = uses.into_iter().filter(|u| seen.insert(u.clone())).collect();
    if new.is_empty() {
        return;
    }
    let folder = std::path::PathBuf::from(folder);
    std::fs::create_dir_all(&folder).expect("the permission log folder can be made");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(folder.join(format!("{}.jsonl", std::process::id())))
        .expect("the permission log can be written");
    for u in new {
        writeln!(file, "{}", serde_json::to_string(&u).expect("a use serialises")).expect("log written");
    }
}

/// The service's signing name and the operation, from the request: DynamoDB, KMS and SQS name the
/// operation in `X-Amz-Target`; SES v2 is REST, SNS is a query protocol with `Action=` in the body.
fn service_and_operation(request: &aws_smithy_runtime_api::http::Request) -> Option<(&'static str, String)> {
    let headers = request.headers();
    if let Some(target) = headers.get("x-amz-target") {
        let operation = target.rsplit('.').next().unwrap_or(target);
        // IAM authorises SQS's batch calls with the single call's action.
        let operation = match operation {
            "SendMessageBatch" => "SendMessage",
            "DeleteMessageBatch" => "DeleteMessage",
            "ChangeMessageVisibilityBatch" => "ChangeMessageVisibility",
            other => other,
        }
        .to_string();
        let service = match target {
            t if t.starts_with("DynamoDB") => "dynamodb",
            t if t.starts_with("TrentService") => "kms",
            t if t.starts_with("AmazonSQS") => "sqs",
            _ => return None,
        };
        return Some((service, operation));
    }
    let uri = request.uri();
    if uri.contains("/v2/email/") {
        let operation = match (request.method(), uri) {
            ("POST", u) if u.contains("/v2/email/outbound-emails") => "SendEmail",
            ("GET", u) if u.contains("/v2/email/identities/") => "GetEmailIdentity",
            ("POST", u) if u.contains("/v2/email/identities") => "CreateEmailIdentity",
            ("DELETE", u) if u.contains("/v2/email/identities/") => "DeleteEmailIdentity",
            (method, u) => return Some(("ses", format!("{method} {u}"))),
        };
        return Some(("ses", operation.to_string()));
    }
    let body = request.body().bytes().unwrap_or_default();
    let action = form_urlencoded::parse(body)
        .find(|(k, _)| k == "Action")
        .map(|(_, v)| v.into_owned())?;
    Some(("sns", action))
}

/// The partition key's prefix: what `dynamodb:LeadingKeys` patterns such as `C#*` are written against.
fn prefix(pk: &str) -> String {
    match pk.find('#') {
        Some(i) => pk[..=i].to_string(),
        None => pk.to_string(),
    }
}

fn pk_of(item: &Value) -> Option<String> {
    item.get("pk")
        .and_then(|v| v.get("S"))
        .and_then(Value::as_str)
        .map(prefix)
}

/// The table key's value a `Query` names, read from `#pk = :pk` through the expression's names and values.
fn queried_pk(body: &Value) -> Option<String> {
    let expression = body.get("KeyConditionExpression")?.as_str()?;
    let first = expression.split(" AND ").next()?;
    let (name, value) = first.split_once(" = ")?;
    let name = name.trim();
    let attribute = match name.starts_with('#') {
        true => body.get("ExpressionAttributeNames")?.get(name)?.as_str()?,
        false => name,
    };
    if attribute != "pk" {
        return None;
    }
    let value = body.get("ExpressionAttributeValues")?.get(value.trim())?;
    value.get("S").and_then(Value::as_str).map(prefix)
}

/// The DynamoDB uses of one request: one per item it reaches, with the action IAM checks for that item
/// (a transaction's parts are checked as their own actions).
pub fn dynamodb_uses(function: &str, operation: &str, body: &Value) -> Vec<Use> {
    let on_table = |action: &str, key: Option<String>| Use {
        function: function.to_string(),
        action: format!("dynamodb:{action}"),
        resource: "table".into(),
        leading_key: key,
    };
    match operation {
        "GetItem" | "UpdateItem" | "DeleteItem" => vec![on_table(operation, body.get("Key").and_then(pk_of))],
        "PutItem" => vec![on_table(operation, body.get("Item").and_then(pk_of))],
        "Query" => match body.get("IndexName").and_then(Value::as_str) {
            Some(index) => vec![Use {
                function: function.to_string(),
                action: "dynamodb:Query".into(),
                resource: format!("index/{index}"),
                leading_key: None,
            }],
            None => vec![on_table("Query", queried_pk(body))],
        },
        "BatchGetItem" | "BatchWriteItem" => body
            .get("RequestItems")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|tables| tables.values())
            .flat_map(|request| {
                let keys: Vec<Value> = match request.get("Keys").and_then(Value::as_array) {
                    Some(keys) => keys.clone(),
                    None => request
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|w| {
                            w.get("PutRequest")
                                .and_then(|p| p.get("Item"))
                                .or_else(|| w.get("DeleteRequest").and_then(|d| d.get("Key")))
                                .cloned()
                        })
                        .collect(),
                };
                keys
            })
            .map(|key| on_table(operation, pk_of(&key)))
            .collect(),
        "TransactWriteItems" | "TransactGetItems" => body
            .get("TransactItems")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|part| {
                let (kind, inner) = part.as_object()?.iter().next()?;
                let action = match kind.as_str() {
                    "Put" => "PutItem",
                    "Update" => "UpdateItem",
                    "Delete" => "DeleteItem",
                    "ConditionCheck" => "ConditionCheckItem",
                    "Get" => "GetItem",
                    _ => return None,
                };
                let key = inner.get("Item").or_else(|| inner.get("Key")).and_then(pk_of);
                Some(on_table(action, key))
            })
            .collect(),
        other => vec![on_table(other, None)],
    }
}

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "PermissionRecorder"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if std::env::var_os(LOG_VARIABLE).is_none() {
            return Ok(());
        }
        let request = context.request();
        let Some((service, operation)) = service_and_operation(request) else {
            return Ok(());
        };
        let uses = match service {
            "dynamodb" => {
                let body: Value =
                    serde_json::from_slice(request.body().bytes().unwrap_or_default()).unwrap_or(Value::Null);
                dynamodb_uses(self.function, &operation, &body)
            }
            _ => vec![Use {
                function: self.function.to_string(),
                action: format!("{service}:{operation}"),
                resource: String::new(),
                leading_key: None,
            }],
        };
        write(uses);
        Ok(())
    }
}
