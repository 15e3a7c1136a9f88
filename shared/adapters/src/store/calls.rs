//! Call tasks: a `CALL#{day}#{debtor}` item in the creditor's partition while the call is to be made. The
//! outcome deletes it (once, however often it is posted) and is kept with the debtors' answers.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use chrono::NaiveDate;

use duly_core::calls::CallTask;
use duly_core::model::ids::{CreditorId, DebtorId};

use super::invoice_item::attr;
use super::{condition_held, keys, s, unless_condition_failed, Store, StoreError};

const PREFIX: &str = "CALL#";

/// Open tasks a page lists at most, newest first.
pub const MAX_OPEN_CALLS: i32 = 200;

fn sk(day: NaiveDate, debtor: &DebtorId) -> String {
    format!("{PREFIX}{day}#{debtor}")
}

fn task_from(item: &HashMap<String, AttributeValue>) -> Result<CallTask, StoreError> {
    let raw = item
        .get("task")
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| StoreError::Corrupt("a call task without its task".into()))?;
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Store {
    /// Records a call to make; `false` when the debtor already has one for that day.
    pub async fn put_call(&self, creditor: &CreditorId, task: &CallTask) -> Result<bool, StoreError> {
        let json = serde_json::to_string(task).map_err(|e| StoreError::Rejected(e.to_string()))?;
        let result = self
            .client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(keys::creditor(creditor)))
            .item(attr::SK, s(sk(task.day, &task.debtor_id)))
            .item("task", s(json))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", attr::PK)
            .send()
            .await;
        condition_held(result)
    }

    /// The calls to make, newest first.
    pub async fn open_calls(&self, creditor: &CreditorId) -> Result<Vec<CallTask>, StoreError> {
        self.query_latest(keys::creditor(creditor), PREFIX, MAX_OPEN_CALLS)
            .await?
            .iter()
            .map(task_from)
            .collect()
    }

    /// Takes a call off the list: the task as it was, or `None` when it was not (or no longer) there.
    pub async fn close_call(
        &self,
        creditor: &CreditorId,
        day: NaiveDate,
        debtor: &DebtorId,
    ) -> Result<Option<CallTask>, StoreError> {
        let result = self
            .client()
            .delete_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(sk(day, debtor)))
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", attr::PK)
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match unless_condition_failed(result)? {
            Some(out) => out.attributes().map(task_from).transpose(),
            None => Ok(None),
        }
    }
}
