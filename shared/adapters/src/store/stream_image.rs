//! Items as a DynamoDB stream record carries them (`NewImage`, `OldImage`: DynamoDB JSON), read back into
//! the records the store writes.

use std::collections::HashMap;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use serde_json::Value;

use duly_core::ledger::Invoice;

/// How deep a stream image's maps and lists may nest before it is refused; the table's items nest a
/// few levels at most.
const MAX_DEPTH: usize = 16;

fn attribute(value: &Value, depth: usize) -> Option<AttributeValue> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (kind, inner) = value.as_object()?.iter().next()?;
    let strings =
        |v: &Value| -> Option<Vec<String>> { v.as_array()?.iter().map(|s| s.as_str().map(str::to_string)).collect() };
    Some(match kind.as_str() {
        "S" => AttributeValue::S(inner.as_str()?.to_string()),
        "N" => AttributeValue::N(inner.as_str()?.to_string()),
        "BOOL" => AttributeValue::Bool(inner.as_bool()?),
        "NULL" => AttributeValue::Null(true),
        "B" => AttributeValue::B(Blob::new(
            base64::engine::general_purpose::STANDARD.decode(inner.as_str()?).ok()?,
        )),
        "SS" => AttributeValue::Ss(strings(inner)?),
        "NS" => AttributeValue::Ns(strings(inner)?),
        "L" => AttributeValue::L(
            inner
                .as_array()?
                .iter()
                .map(|v| attribute(v, depth + 1))
                .collect::<Option<_>>()?,
        ),
        "M" => AttributeValue::M(image(inner, depth + 1)?),
        _ => return None,
    })
}

fn image(value: &Value, depth: usize) -> Option<HashMap<String, AttributeValue>> {
    value
        .as_object()?
        .iter()
        .map(|(name, v)| Some((name.clone(), attribute(v, depth)?)))
        .collect()
}

/// An invoice item's image as the invoice it records; `None` when the image is absent or not an invoice.
pub fn invoice_from_image(value: &Value) -> Option<Invoice> {
    super::invoice_from_item(&image(value, 0)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_kind_of_attribute_reads_back() {
        let item = image(
            &json!({
                "s": {"S": "x"}, "n": {"N": "12"}, "b": {"BOOL": true}, "z": {"NULL": true},
                "l": {"L": [{"S": "a"}, {"M": {"k": {"N": "1"}}}]}, "ss": {"SS": ["a", "b"]},
                "bin": {"B": "aGk="}
            }),
            0,
        )
        .unwrap();
        assert_eq!(item["n"], AttributeValue::N("12".into()));
        assert_eq!(item["bin"], AttributeValue::B(Blob::new("hi")));
        assert!(matches!(&item["l"], AttributeValue::L(l) if l.len() == 2));
    }

    #[test]
    fn an_unknown_kind_or_a_deep_nest_is_refused() {
        assert!(image(&json!({"x": {"Q": "1"}}), 0).is_none());
        let mut deep = json!({"S": "bottom"});
        for _ in 0..40 {
            deep = json!({"L": [deep]});
        }
        assert!(image(&json!({ "x": deep }), 0).is_none());
        assert!(invoice_from_image(&json!({"pk": {"S": "C#a#I#1"}})).is_none());
    }
}
