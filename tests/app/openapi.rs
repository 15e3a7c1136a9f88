//! The settings API's OpenAPI document (`functions/settings/openapi.yaml`) and its router agree: every
//! operation the document names is routed, and every route the router has is in the document.

use std::collections::BTreeSet;

use duly_local::{at, Local};

fn document() -> serde_yaml_ng::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../functions/settings/openapi.yaml");
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).expect("the document is YAML")
}

/// `METHOD /path/{param}` of every operation in the document.
fn documented() -> BTreeSet<String> {
    let doc = document();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_mapping().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_some() {
                out.insert(format!("{} {}", method.to_uppercase(), path.as_str().unwrap()));
            }
        }
    }
    out
}

/// The same, read from the router's match arms: `(Method::PUT, ["v1", "groups", name])`.
fn routed() -> BTreeSet<String> {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../functions/settings/src/lib.rs")).unwrap();
    source
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("(Method::")?;
            let (method, rest) = rest.split_once(", [")?;
            let (segments, _) = rest.split_once("])")?;
            let path: Vec<String> = segments
                .split(", ")
                .map(|s| match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    Some(literal) => literal.to_string(),
                    None => format!("{{{s}}}"),
                })
                .collect();
            Some(format!("{method} /{}", path.join("/")))
        })
        .collect()
}

/// Path parameters are named differently in the two places; compare their shapes.
fn shape(route: &str) -> String {
    route
        .split('/')
        .map(|s| if s.starts_with('{') { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_route_is_documented_and_every_documented_operation_is_routed() {
    let documented: BTreeSet<String> = documented().iter().map(|r| shape(r)).collect();
    let routed: BTreeSet<String> = routed().iter().map(|r| shape(r)).collect();
    assert!(routed.len() >= 20, "the router was read: {routed:?}");
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from openapi.yaml: {undocumented:?}"
    );
    assert!(unrouted.is_empty(), "documented but not routed: {unrouted:?}");
}

#[tokio::test]
async fn every_documented_operation_reaches_a_handler() {
    let local = Local::new("openapi").await;
    for operation in documented() {
        let (method, path) = operation.split_once(' ').unwrap();
        let concrete = path
            .replace("{debtor}", "cus-1")
            .replace("{invoice}", "1001")
            .replace(
                "{name}",
                if path.starts_with("/v1/templates") {
                    "sms"
                } else {
                    "wholesale"
                },
            )
            .replace("{language}", "et")
            .replace("{domain}", "nordwind.example");
        let (status, reply) = local
            .api(
                method,
                &concrete,
                Some(serde_json::json!({})),
                None,
                at("2026-11-20T10:00:00Z"),
            )
            .await;
        assert!(
            !reply["reason"].as_str().unwrap_or("").starts_with("no route"),
            "{operation}: {status} {reply}"
        );
    }
}
