//! The invoice as the platform prints it (its PDF), kept beside the invoice once fetched: what a reminder
//! attaches, and what its retries attach again without asking the platform twice.

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

use duly_core::model::ids::{CreditorId, InvoiceId};

use super::invoice_item::attr;
use super::{keys, parse_ts, s, sdk_error, ts, Store, StoreError};

const DOCUMENT_SK: &str = "DOCUMENT";

/// The most an attached invoice may weigh: a DynamoDB item holds 400 KB, and an invoice is rarely a tenth
/// of this. A larger one is not attached; the reminder's link to the invoice stands in for it.
pub const MAX_DOCUMENT_BYTES: usize = 300 * 1024;

/// An invoice's document as fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub file_name: String,
    /// The invoice's version (its platform time) the document was fetched for.
    pub version: DateTime<Utc>,
    /// `None` when the platform's file was over [`MAX_DOCUMENT_BYTES`].
    pub content: Option<Vec<u8>>,
}

impl Store {
    /// Keeps `document` for the invoice; a file over the limit is kept as its name only.
    pub async fn put_document(
        &self,
        creditor: &CreditorId,
        invoice: &InvoiceId,
        document: &Document,
    ) -> Result<(), StoreError> {
        let mut item = HashMap::from([
            (attr::PK.to_string(), s(keys::invoice(creditor, invoice))),
            (attr::SK.to_string(), s(DOCUMENT_SK)),
            (attr::CREDITOR_ID.to_string(), s(creditor.as_str())),
            ("file_name".to_string(), s(&document.file_name)),
            ("version".to_string(), s(ts(document.version))),
        ]);
        let content = document.content.as_ref().filter(|c| c.len() <= MAX_DOCUMENT_BYTES);
        if let Some(content) = content {
            item.insert("content".to_string(), AttributeValue::B(Blob::new(content.clone())));
        }
        self.put_record(item).await?;
        if content.is_none() {
            return Ok(());
        }
        // The invoice says it has a document, so a page can offer it without reading the document's item
        // (up to 300 KB) to find out. After the document: at worst a kept document is not offered.
        // The revision moves, so a read-then-write of the invoice meanwhile is made again, keeping this.
        let marked = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::invoice(creditor, invoice)))
            .key(attr::SK, s(keys::INVOICE_SK))
            .update_expression("SET #kept = :yes ADD #rev :one")
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#kept", attr::DOCUMENT_KEPT)
            .expression_attribute_names("#rev", attr::REV)
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .expression_attribute_values(":one", super::n(1))
            .send()
            .await;
        // An invoice gone meanwhile has nothing to offer it on.
        super::condition_held(marked).map(|_| ())
    }

    pub async fn get_document(
        &self,
        creditor: &CreditorId,
        invoice: &InvoiceId,
    ) -> Result<Option<Document>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::invoice(creditor, invoice)))
            .key(attr::SK, s(DOCUMENT_SK))
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else { return Ok(None) };
        let text = |k: &str| match item.get(k) {
            Some(AttributeValue::S(v)) => Ok(v.clone()),
            _ => Err(StoreError::Corrupt(format!("a document without its {k}"))),
        };
        Ok(Some(Document {
            file_name: text("file_name")?,
            version: parse_ts(&text("version")?)?,
            content: match item.get("content") {
                Some(AttributeValue::B(b)) => Some(b.as_ref().to_vec()),
                _ => None,
            },
        }))
    }

    /// Forgets an invoice's document: it names the debtor, so an erasure takes it.
    pub async fn delete_document(&self, creditor: &CreditorId, invoice: &InvoiceId) -> Result<(), StoreError> {
        self.client()
            .delete_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::invoice(creditor, invoice)))
            .key(attr::SK, s(DOCUMENT_SK))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }
}
