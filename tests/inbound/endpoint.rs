//! The local endpoint the whole suite runs on cancels a transaction whole, as DynamoDB does: the local
//! server saves only the items a transaction names and puts them back, rather than copying whole tables,
//! so what it puts back is checked here.

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use duly_local::Local;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

fn put(table: &str, pk: &str, condition: Option<&str>) -> TransactWriteItem {
    let mut p = Put::builder()
        .table_name(table)
        .item("pk", s(pk))
        .item("sk", s("ITEM"))
        .item("v", s("new"));
    if let Some(c) = condition {
        p = p.condition_expression(c);
    }
    TransactWriteItem::builder().put(p.build().unwrap()).build()
}

async fn item(local: &Local, pk: &str) -> Option<String> {
    let out = local
        .store
        .client()
        .get_item()
        .table_name(local.store.table())
        .key("pk", s(pk))
        .key("sk", s("ITEM"))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    out.item().and_then(|i| i.get("v")).and_then(|v| v.as_s().ok()).cloned()
}

#[tokio::test]
async fn a_cancelled_transaction_writes_nothing_not_even_to_the_stream() {
    let local = Local::with_stream("endpoint-tx").await;
    let (client, table) = (local.store.client(), local.store.table());
    client
        .put_item()
        .table_name(table)
        .item("pk", s("T#kept"))
        .item("sk", s("ITEM"))
        .item("v", s("old"))
        .send()
        .await
        .unwrap();
    let stream_before = duly_local::stream::records(client, table).await["Records"]
        .as_array()
        .unwrap()
        .len();

    let update = Update::builder()
        .table_name(table)
        .key("pk", s("T#kept"))
        .key("sk", s("ITEM"))
        .update_expression("SET v = :new")
        .expression_attribute_values(":new", s("changed"))
        .build()
        .unwrap();
    let cancelled = client
        .transact_write_items()
        .transact_items(TransactWriteItem::builder().update(update).build())
        .transact_items(put(table, "T#added", None))
        .transact_items(put(table, "T#refused", Some("attribute_exists(pk)")))
        .send()
        .await;
    assert!(cancelled.is_err(), "the third item's condition fails");
    assert_eq!(item(&local, "T#kept").await.as_deref(), Some("old"));
    assert_eq!(item(&local, "T#added").await, None);
    assert_eq!(item(&local, "T#refused").await, None);
    let stream_after = duly_local::stream::records(client, table).await["Records"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(stream_after, stream_before, "no stream record of a cancelled write");

    // One that holds writes every item.
    client
        .transact_write_items()
        .transact_items(put(table, "T#added", None))
        .transact_items(put(table, "T#kept", Some("attribute_exists(pk)")))
        .send()
        .await
        .unwrap();
    assert_eq!(item(&local, "T#added").await.as_deref(), Some("new"));
    assert_eq!(item(&local, "T#kept").await.as_deref(), Some("new"));
}
