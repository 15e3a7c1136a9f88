//! Erasing a debtor's personal data on the creditor's request: their name, addresses and numbers, what
//! messages said (subjects, provider errors that quote an address, an outbox not yet sent, the messages
//! kept as they were sent), what they
//! wrote in answers, and the personal parts of their audit entries. Amounts, usage counters and the audit
//! chain stay as they are.

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};

use duly_core::model::ids::{CreditorId, DebtorId};

use super::invoice_item::attr;
use super::{keys, s, sdk_error, ts, Store, StoreError};

/// How much one erasure removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    pub messages: usize,
    /// Messages kept as they were sent, deleted.
    pub kept_messages: usize,
    pub answers: usize,
    pub audit_parts: usize,
    pub invoices: usize,
    pub notices: usize,
    pub notes: usize,
}

impl Store {
    async fn remove_attributes(&self, pk: &str, sk: &str, names: &[&str]) -> Result<(), StoreError> {
        let mut update = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(pk))
            .key(attr::SK, s(sk))
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", attr::PK);
        let mut removed = Vec::new();
        for (i, name) in names.iter().enumerate() {
            update = update.expression_attribute_names(format!("#r{i}"), *name);
            removed.push(format!("#r{i}"));
        }
        let result = update
            .update_expression(format!("REMOVE {}", removed.join(", ")))
            .send()
            .await;
        super::condition_held(result).map(|_| ())
    }

    /// Erases the debtor's personal data and marks the debtor erased, so that a contact the platform sends
    /// again is not stored until the creditor lifts the erasure.
    pub async fn erase_debtor(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        now: DateTime<Utc>,
    ) -> Result<Erased, StoreError> {
        let debtor_pk = keys::debtor(creditor, debtor);
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(&debtor_pk))
            .key(attr::SK, s(keys::DEBTOR_SK))
            .update_expression("SET #name = :blank, erased_at = :now REMOVE email, phone, phone_refused, cc")
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#name", "name")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_values(":blank", s(""))
            .expression_attribute_values(":now", s(ts(now)))
            .send()
            .await;
        if !super::condition_held(result)? {
            return Err(StoreError::Rejected("no such debtor".into()));
        }
        let mut erased = Erased::default();
        for item in self.query_partition(debtor_pk.clone(), Some("MSG#"), true).await? {
            if let Some(sk) = item.get(attr::SK).and_then(|v| v.as_s().ok()) {
                self.remove_attributes(
                    &debtor_pk,
                    sk,
                    &["subject", "failures", "outbox", "sent_text", "sent_sms"],
                )
                .await?;
                erased.messages += 1;
            }
        }
        // The messages as sent and the personal parts of the audit entries go whole.
        for prefix in ["KEPT#", "AUDITP#"] {
            for item in self.query_partition(debtor_pk.clone(), Some(prefix), true).await? {
                let Some(sk) = item.get(attr::SK).and_then(|v| v.as_s().ok()) else {
                    continue;
                };
                self.client()
                    .delete_item()
                    .table_name(self.table())
                    .key(attr::PK, s(&debtor_pk))
                    .key(attr::SK, s(sk))
                    .send()
                    .await
                    .map_err(sdk_error)?;
                match prefix {
                    "KEPT#" => erased.kept_messages += 1,
                    _ => erased.audit_parts += 1,
                }
            }
        }
        erased.notes = self.delete_notes(creditor, debtor).await?;
        // Under the creditor: what the debtor answered, the list of recent messages, dead letters.
        let creditor_pk = keys::creditor(creditor);
        let mine = |item: &std::collections::HashMap<String, AttributeValue>| {
            item.get(attr::DEBTOR_ID)
                .and_then(|v| v.as_s().ok())
                .map(String::as_str)
                == Some(debtor.as_str())
        };
        for (prefix, fields) in [
            ("ANSWER#", &["detail"][..]),
            ("SENT#", &["summary"][..]),
            ("DEAD#MSG#", &["failures"][..]),
        ] {
            for item in self.query_partition(creditor_pk.clone(), Some(prefix), true).await? {
                let Some(sk) = item.get(attr::SK).and_then(|v| v.as_s().ok()) else {
                    continue;
                };
                if !mine(&item) && !sk.ends_with(&format!("#{debtor}")) {
                    continue;
                }
                self.remove_attributes(&creditor_pk, sk, fields).await?;
                if prefix == "ANSWER#" {
                    erased.answers += 1;
                }
            }
        }
        Ok(erased)
    }

    /// Removes the addresses an invoice was sent to (`bill_to`), for an erasure of its debtor.
    pub async fn erase_bill_to(
        &self,
        creditor: &CreditorId,
        invoice: &duly_core::model::ids::InvoiceId,
    ) -> Result<(), StoreError> {
        self.remove_attributes(&keys::invoice(creditor, invoice), keys::INVOICE_SK, &[attr::BILL_TO])
            .await?;
        // The platform's printed invoice names the debtor too.
        self.delete_document(creditor, invoice).await
    }

    /// Deletes the creditor's notices about the debtor: those whose event names the debtor's id, or whose
    /// words hold any of `words` (the debtor's name and addresses as they were); how many.
    pub async fn erase_notices_about(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        words: &[String],
    ) -> Result<usize, StoreError> {
        let creditor_pk = keys::creditor(creditor);
        let words: Vec<&String> = words.iter().filter(|w| w.trim().len() >= 3).collect();
        let mut erased = 0;
        for prefix in ["NOTICE#", "NOTICEAT#", "NOTICEQ#"] {
            for item in self.query_partition(creditor_pk.clone(), Some(prefix), true).await? {
                let Some(sk) = item.get(attr::SK).and_then(|v| v.as_s().ok()) else {
                    continue;
                };
                let text = item
                    .get("notice")
                    .and_then(|v| v.as_s().ok())
                    .cloned()
                    .unwrap_or_default();
                let names_debtor = duly_core::notices::event_names_debtor(sk, debtor.as_str())
                    || words.iter().any(|w| text.contains(w.as_str()));
                if !names_debtor {
                    continue;
                }
                self.client()
                    .delete_item()
                    .table_name(self.table())
                    .key(attr::PK, s(&creditor_pk))
                    .key(attr::SK, s(sk))
                    .send()
                    .await
                    .map_err(sdk_error)?;
                erased += 1;
            }
        }
        Ok(erased)
    }

    /// Lifts an erasure: the platform's next contact is stored again.
    pub async fn lift_erasure(&self, creditor: &CreditorId, debtor: &DebtorId) -> Result<bool, StoreError> {
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::debtor(creditor, debtor)))
            .key(attr::SK, s(keys::DEBTOR_SK))
            .update_expression("REMOVE erased_at")
            .condition_expression("attribute_exists(erased_at)")
            .send()
            .await;
        super::condition_held(result)
    }

    /// The recipients of the debtor's audit entries, by sequence number, while they are kept.
    pub async fn audit_recipients(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
    ) -> Result<Vec<(u64, Vec<String>)>, StoreError> {
        Ok(self
            .query_partition(keys::debtor(creditor, debtor), Some("AUDITP#"), true)
            .await?
            .iter()
            .filter_map(|item| {
                let seq = item.get(attr::SK)?.as_s().ok()?.strip_prefix("AUDITP#")?.parse().ok()?;
                let recipients = match item.get("recipients") {
                    Some(AttributeValue::L(list)) => list.iter().filter_map(|v| v.as_s().ok().cloned()).collect(),
                    _ => Vec::new(),
                };
                Some((seq, recipients))
            })
            .collect())
    }
}
