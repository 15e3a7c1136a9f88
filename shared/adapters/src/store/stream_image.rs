//! Items as a DynamoDB stream record carries them (`NewImage`, `OldImage`, decoded by `aws_lambda_events`
//! with `serde_dynamo`), read back into the records the store writes.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use duly_core::ledger::Invoice;

/// An invoice item's image as the invoice it records; `None` when the image is empty (an insert has no
/// old image, a removal no new one) or not an invoice.
pub fn invoice_from_image(image: &serde_dynamo::Item) -> Option<Invoice> {
    if image.is_empty() {
        return None;
    }
    let item: HashMap<String, AttributeValue> = image.clone().into();
    super::invoice_from_item(&item).ok()
}

/// A string attribute of an image.
pub fn text<'a>(image: &'a serde_dynamo::Item, name: &str) -> Option<&'a str> {
    match image.get(name)? {
        serde_dynamo::AttributeValue::S(s) => Some(s),
        _ => None,
    }
}

/// A number attribute of an image, as DynamoDB writes it.
pub fn number<'a>(image: &'a serde_dynamo::Item, name: &str) -> Option<&'a str> {
    match image.get(name)? {
        serde_dynamo::AttributeValue::N(n) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(value: serde_json::Value) -> serde_dynamo::Item {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn an_image_reads_back_as_the_invoice_it_records_and_nothing_else_does() {
        let not_an_invoice = item(serde_json::json!({"pk": {"S": "C#a#I#1"}, "n": {"N": "12"}}));
        assert!(invoice_from_image(&not_an_invoice).is_none());
        assert!(invoice_from_image(&serde_dynamo::Item::from(HashMap::<String, AttributeValue>::new())).is_none());
        assert_eq!(text(&not_an_invoice, "pk"), Some("C#a#I#1"));
        assert_eq!(number(&not_an_invoice, "n"), Some("12"));
        assert_eq!(text(&not_an_invoice, "n"), None);
    }
}
