//! Signed webhook deliveries as Lambda Function URL events (the payload format 2.0 that API Gateway HTTP
//! APIs also use), the same shape `events/` holds and `cargo lambda invoke --data-file` sends.

use serde_json::{json, Value};

use duly_core::webhooks::signature::SigningSecret;

/// The signing secret of the demo connection. It signs the deliveries in `events/` and nothing else.
pub const DEMO_SECRET: &str = "whsec_ZHVseS1kZW1vLXNpZ25pbmcta2V5LTAxMjM0NTY3ODk=";
pub const DEMO_CONNECTION: &str = "conn-demo-standard";

/// A Function URL event for any method, path, headers and body.
pub fn function_url_event(method: &str, path: &str, headers: &[(&str, String)], body: &str, timestamp: i64) -> Value {
    let mut header_map = serde_json::Map::new();
    header_map.insert("content-type".into(), json!("application/json"));
    header_map.insert("host".into(), json!("abcdefghijklmnop.lambda-url.eu-west-1.on.aws"));
    header_map.insert("user-agent".into(), json!("Standard-Webhooks-Sender/1.0"));
    for (name, value) in headers {
        header_map.insert(name.to_ascii_lowercase(), json!(value));
    }
    json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": header_map,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefghijklmnop",
            "domainName": "abcdefghijklmnop.lambda-url.eu-west-1.on.aws",
            "domainPrefix": "abcdefghijklmnop",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.10",
                "userAgent": "Standard-Webhooks-Sender/1.0"
            },
            "requestId": format!("req-{timestamp}"),
            "routeKey": "$default",
            "stage": "$default",
            "time": "01/Jan/2026:00:00:00 +0000",
            "timeEpoch": timestamp * 1000
        },
        "body": body,
        "isBase64Encoded": false
    })
}

/// A delivery to `/webhooks/standard/{connection}` signed with `secret` at `timestamp`.
pub fn signed_delivery(connection: &str, secret: &str, webhook_id: &str, timestamp: i64, body: &str) -> Value {
    let signature = SigningSecret::parse(secret)
        .expect("a valid Standard Webhooks secret")
        .sign(webhook_id, timestamp, body.as_bytes());
    function_url_event(
        "POST",
        &format!("/webhooks/standard/{connection}"),
        &[
            ("webhook-id", webhook_id.to_string()),
            ("webhook-timestamp", timestamp.to_string()),
            ("webhook-signature", format!("v1,{signature}")),
        ],
        body,
        timestamp,
    )
}

/// The request the Lambda runtime would hand the ingest function for this event.
pub fn to_request(event: &Value) -> lambda_http::Request {
    lambda_http::request::from_str(&event.to_string()).expect("a valid Function URL event")
}

/// When a delivery was signed.
pub fn signed_at(event: &Value) -> i64 {
    event["headers"]["webhook-timestamp"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("a signed delivery has webhook-timestamp")
}

/// The demo's Stripe connection and its endpoint secret (a test value that signs nothing else).
pub const DEMO_STRIPE_CONNECTION: &str = "conn-demo-stripe";
pub const DEMO_STRIPE_SECRET: &str = "whsec_duly_demo_stripe_endpoint_secret";

/// A Stripe delivery to `/webhooks/stripe/{connection}` signed at `timestamp`.
pub fn stripe_delivery(connection: &str, secret: &str, timestamp: i64, body: &str) -> Value {
    let signature = duly_core::platforms::stripe::sign(secret, timestamp, body.as_bytes());
    function_url_event(
        "POST",
        &format!("/webhooks/stripe/{connection}"),
        &[("stripe-signature", format!("t={timestamp},v1={signature}"))],
        body,
        timestamp,
    )
}

/// When a delivery was signed, for either signature scheme.
pub fn signed_time(event: &Value) -> i64 {
    if let Some(t) = event["headers"]["webhook-timestamp"].as_str() {
        return t.parse().expect("a unix timestamp");
    }
    let stripe = event["headers"]["stripe-signature"]
        .as_str()
        .expect("a signed delivery");
    stripe
        .split(',')
        .find_map(|p| p.strip_prefix("t="))
        .and_then(|t| t.parse().ok())
        .expect("a t= entry")
}

/// The local stack's Xero webhook key (it looks like base64 and is used as typed) and QuickBooks verifier token.
pub const TEST_XERO_KEY: &str = "kV3x9QmF2t+Lr8w/ZpD4nB6yHc1sJ0eG5uTq7aXoP2iMdW==";
pub const TEST_QUICKBOOKS_TOKEN: &str = "verifier-3f1c9e7a-duly-test";

/// A delivery to `/webhooks/{xero|quickbooks}` with `header` set to `signature`.
pub fn app_level_delivery(platform: &str, header: &str, signature: &str, body: &str, timestamp: i64) -> Value {
    function_url_event(
        "POST",
        &format!("/webhooks/{platform}"),
        &[(header, signature.to_string())],
        body,
        timestamp,
    )
}
