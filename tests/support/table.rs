//! Creates tables from the `LedgerTable` resource of `infra/template.yaml`, so local tables cannot drift
//! from the deployed one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, StreamSpecification, StreamViewType, TimeToLiveSpecification,
};
use serde::Deserialize;

const TEMPLATE: &str = include_str!("../../infra/template.yaml");

#[derive(Deserialize)]
struct Template {
    #[serde(rename = "Resources")]
    resources: HashMap<String, Resource>,
}

#[derive(Deserialize)]
struct Resource {
    #[serde(rename = "Properties", default)]
    properties: serde_yaml_ng::Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TableProperties {
    attribute_definitions: Vec<AttributeDef>,
    key_schema: Vec<KeyDef>,
    #[serde(default)]
    global_secondary_indexes: Vec<IndexDef>,
    time_to_live_specification: Option<TtlDef>,
    billing_mode: String,
    stream_specification: Option<StreamDef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StreamDef {
    stream_view_type: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AttributeDef {
    attribute_name: String,
    attribute_type: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct KeyDef {
    attribute_name: String,
    key_type: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IndexDef {
    index_name: String,
    key_schema: Vec<KeyDef>,
    projection: ProjectionDef,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ProjectionDef {
    projection_type: String,
    #[serde(default)]
    non_key_attributes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TtlDef {
    attribute_name: String,
    enabled: bool,
}

fn ledger_table() -> TableProperties {
    let template: Template = serde_yaml_ng::from_str(TEMPLATE).expect("infra/template.yaml parses");
    let table = template
        .resources
        .get("LedgerTable")
        .expect("the template defines LedgerTable");
    serde_yaml_ng::from_value(table.properties.clone()).expect("LedgerTable has the properties Duly needs")
}

fn keys(defs: &[KeyDef]) -> Vec<KeySchemaElement> {
    defs.iter()
        .map(|k| {
            KeySchemaElement::builder()
                .attribute_name(&k.attribute_name)
                .key_type(KeyType::from(k.key_type.as_str()))
                .build()
                .expect("key schema element")
        })
        .collect()
}

/// A table name no other test in this process (or an earlier run) uses.
pub fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}-{}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Whether a local table gets the template's stream.
///
/// Only the tests that read the stream ask for it: the local endpoint's state API, which tests read SES and
/// SNS outboxes from, can fail to serialise a stream whose records change while it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    AsTemplate,
    Off,
}

/// Creates a table with the template's definition and returns its name.
pub async fn create_ledger_table(client: &aws_sdk_dynamodb::Client, name: &str, stream: Stream) {
    let props = ledger_table();
    let mut request = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::from(props.billing_mode.as_str()))
        .set_key_schema(Some(keys(&props.key_schema)));
    if stream == Stream::AsTemplate {
        let stream = props
            .stream_specification
            .as_ref()
            .expect("the template gives LedgerTable a stream");
        request = request.stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::from(stream.stream_view_type.as_str()))
                .build()
                .expect("stream specification"),
        );
    }
    for a in &props.attribute_definitions {
        request = request.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(&a.attribute_name)
                .attribute_type(ScalarAttributeType::from(a.attribute_type.as_str()))
                .build()
                .expect("attribute definition"),
        );
    }
    for index in &props.global_secondary_indexes {
        let projection = Projection::builder()
            .projection_type(ProjectionType::from(index.projection.projection_type.as_str()))
            .set_non_key_attributes(
                (!index.projection.non_key_attributes.is_empty()).then(|| index.projection.non_key_attributes.clone()),
            )
            .build();
        request = request.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(&index.index_name)
                .set_key_schema(Some(keys(&index.key_schema)))
                .projection(projection)
                .build()
                .expect("index definition"),
        );
    }
    request
        .send()
        .await
        .expect("create the ledger table on the local endpoint");
    if let Some(ttl) = props.time_to_live_specification {
        client
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(ttl.attribute_name)
                    .enabled(ttl.enabled)
                    .build()
                    .expect("ttl"),
            )
            .send()
            .await
            .expect("enable TTL");
    }
}
