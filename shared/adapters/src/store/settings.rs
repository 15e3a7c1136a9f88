//! Creditors, connections and debtors: plain records, mapped with serde_dynamo.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::de::DeserializeOwned;
use serde::Serialize;

use duly_core::model::ids::{ConnectionId, CreditorId, DebtorId};
use duly_core::model::{Connection, Creditor, Debtor};

use super::invoice_item::attr;
use super::{keys, s, sdk_error, Store, StoreError};

fn to_item<T: Serialize>(value: &T, pk: String, sk: &str) -> Result<HashMap<String, AttributeValue>, StoreError> {
    let mut item: HashMap<String, AttributeValue> =
        serde_dynamo::to_item(value).map_err(|e| StoreError::Rejected(e.to_string()))?;
    item.insert(attr::PK.into(), s(pk));
    item.insert(attr::SK.into(), s(sk));
    Ok(item)
}

/// Attempts at a read-modify-write of one record while others change it: this many simultaneous changes
/// all get through.
pub const CHANGE_ATTEMPTS: usize = 64;

impl Store {
    async fn get_record<T: DeserializeOwned>(
        &self,
        pk: String,
        sk: &str,
        consistent: bool,
    ) -> Result<Option<T>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(pk))
            .key(attr::SK, s(sk))
            .consistent_read(consistent)
            .send()
            .await
            .map_err(sdk_error)?;
        out.item()
            .map(|item| serde_dynamo::from_item(item.clone()).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    }

    pub(super) async fn put_record(&self, item: HashMap<String, AttributeValue>) -> Result<(), StoreError> {
        self.client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// Writes a creditor whatever is stored: for a new creditor. Changes go through [`Store::update_creditor`].
    pub async fn put_creditor(&self, creditor: &Creditor) -> Result<(), StoreError> {
        self.put_record(to_item(
            creditor,
            keys::creditor(&creditor.creditor_id),
            keys::PROFILE_SK,
        )?)
        .await
    }

    pub async fn get_creditor(&self, id: &CreditorId) -> Result<Option<Creditor>, StoreError> {
        self.get_record(keys::creditor(id), keys::PROFILE_SK, false).await
    }

    /// The creditor's settings as last written, to change them.
    pub async fn get_creditor_consistent(&self, id: &CreditorId) -> Result<Option<Creditor>, StoreError> {
        self.get_record(keys::creditor(id), keys::PROFILE_SK, true).await
    }

    /// Reads the creditor consistently, lets `change` edit the settings, and writes them over the revision
    /// read; again while other changes land in between (each lost race means one did). `Ok(None)`: no such
    /// creditor. An error from `change` ends it with nothing written.
    pub async fn change_creditor<E: From<StoreError>>(
        &self,
        id: &CreditorId,
        change: impl Fn(&mut Creditor) -> Result<(), E>,
    ) -> Result<Option<Creditor>, E> {
        for _ in 0..CHANGE_ATTEMPTS {
            let Some(mut creditor) = self.get_creditor_consistent(id).await? else {
                return Ok(None);
            };
            change(&mut creditor)?;
            if self.update_creditor(&creditor).await? {
                creditor.rev += 1;
                return Ok(Some(creditor));
            }
        }
        Err(StoreError::Contended.into())
    }

    /// Writes a changed creditor over the revision it was read at, moving the revision on. `false`: someone
    /// else changed the settings since (or the creditor is gone); read again and decide again.
    pub async fn update_creditor(&self, creditor: &Creditor) -> Result<bool, StoreError> {
        let next = Creditor {
            rev: creditor.rev + 1,
            ..creditor.clone()
        };
        let item = to_item(&next, keys::creditor(&creditor.creditor_id), keys::PROFILE_SK)?;
        // Settings written before revisions existed carry none: they count as revision 0.
        let unchanged = if creditor.rev == 0 {
            "attribute_exists(#pk) AND (attribute_not_exists(#rev) OR #rev = :rev)"
        } else {
            "attribute_exists(#pk) AND #rev = :rev"
        };
        let result = self
            .client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .condition_expression(unchanged)
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_values(":rev", super::n(creditor.rev))
            .send()
            .await;
        super::condition_held(result)
    }

    pub async fn put_connection(&self, connection: &Connection) -> Result<(), StoreError> {
        self.put_record(to_item(
            connection,
            keys::connection(&connection.connection_id),
            keys::CONNECTION_SK,
        )?)
        .await
    }

    pub async fn get_connection(&self, id: &ConnectionId) -> Result<Option<Connection>, StoreError> {
        self.get_record(keys::connection(id), keys::CONNECTION_SK, false).await
    }

    pub async fn get_debtor(&self, creditor: &CreditorId, debtor: &DebtorId) -> Result<Option<Debtor>, StoreError> {
        self.get_record(keys::debtor(creditor, debtor), keys::DEBTOR_SK, true)
            .await
    }
}

impl Store {
    /// Writes a debtor's controls (group, switch, opt-outs, bounce) over the revision `read` came with,
    /// moving the revision on. `false`: the debtor is gone, or their controls changed since `read` was
    /// read; read again and decide again.
    pub async fn set_debtor_controls(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        read: &duly_core::model::DebtorControls,
        controls: &duly_core::model::DebtorControls,
    ) -> Result<bool, StoreError> {
        let next = duly_core::model::DebtorControls {
            rev: read.rev + 1,
            ..controls.clone()
        };
        let value = serde_dynamo::to_attribute_value(&next).map_err(|e| StoreError::Rejected(e.to_string()))?;
        // Controls written before revisions existed carry none: they count as revision 0.
        let unchanged = if read.rev == 0 {
            "(attribute_not_exists(#controls.#rev) OR #controls.#rev = :rev)"
        } else {
            "#controls.#rev = :rev"
        };
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::debtor(creditor, debtor)))
            .key(attr::SK, s(keys::DEBTOR_SK))
            .update_expression("SET #controls = :controls")
            .condition_expression(format!("attribute_exists(#pk) AND {unchanged}"))
            .expression_attribute_names("#controls", "controls")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_values(":controls", value)
            .expression_attribute_values(":rev", super::n(read.rev))
            .send()
            .await;
        super::condition_held(result)
    }
}

impl Store {
    /// Stores a token's fingerprint for a creditor, and lists it under the creditor.
    pub async fn put_token(&self, creditor: &CreditorId, token: &str, label: &str) -> Result<(), StoreError> {
        let fingerprint = duly_core::model::tokens::fingerprint(token);
        let label: String = label.chars().filter(|c| !c.is_control()).take(64).collect();
        let lookup = aws_sdk_dynamodb::types::Put::builder()
            .table_name(self.table())
            .item(attr::PK, s(keys::token(&fingerprint)))
            .item(attr::SK, s(keys::TOKEN_SK))
            .item("creditor_id", s(creditor.as_str()))
            .item("label", s(&label))
            .build()
            .expect("table and item are set");
        let listed = aws_sdk_dynamodb::types::Put::builder()
            .table_name(self.table())
            .item(attr::PK, s(keys::creditor(creditor)))
            .item(attr::SK, s(format!("TOKEN#{fingerprint}")))
            .item("fingerprint", s(&fingerprint))
            .item("label", s(&label))
            .build()
            .expect("table and item are set");
        self.client()
            .transact_write_items()
            .transact_items(
                aws_sdk_dynamodb::types::TransactWriteItem::builder()
                    .put(lookup)
                    .build(),
            )
            .transact_items(
                aws_sdk_dynamodb::types::TransactWriteItem::builder()
                    .put(listed)
                    .build(),
            )
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// The creditor's API tokens, as `(fingerprint, label)`: the tokens themselves are never kept.
    pub async fn tokens(&self, creditor: &CreditorId) -> Result<Vec<(String, String)>, StoreError> {
        self.query_partition(keys::creditor(creditor), Some("TOKEN#"), true)
            .await?
            .iter()
            .map(|item| {
                Ok((
                    super::required_s(item, "fingerprint", "token listing")?,
                    super::required_s(item, "label", "token listing")?,
                ))
            })
            .collect()
    }

    /// Revokes the creditor's token with this fingerprint; `false` when it is not theirs.
    pub async fn revoke_token(&self, creditor: &CreditorId, fingerprint: &str) -> Result<bool, StoreError> {
        use aws_sdk_dynamodb::types::{Delete, TransactWriteItem};
        let lookup = Delete::builder()
            .table_name(self.table())
            .key(attr::PK, s(keys::token(fingerprint)))
            .key(attr::SK, s(keys::TOKEN_SK))
            .condition_expression("creditor_id = :creditor")
            .expression_attribute_values(":creditor", s(creditor.as_str()))
            .build()
            .expect("table and key are set");
        let listed = Delete::builder()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(format!("TOKEN#{fingerprint}")))
            .build()
            .expect("table and key are set");
        self.transact_unless_first_fails(vec![
            TransactWriteItem::builder().delete(lookup).build(),
            TransactWriteItem::builder().delete(listed).build(),
        ])
        .await
    }

    /// The creditor a token belongs to.
    pub async fn creditor_of_token(&self, token: &str) -> Result<Option<CreditorId>, StoreError> {
        #[derive(serde::Deserialize)]
        struct TokenRecord {
            creditor_id: CreditorId,
        }
        let record: Option<TokenRecord> = self
            .get_record(
                keys::token(&duly_core::model::tokens::fingerprint(token)),
                keys::TOKEN_SK,
                false,
            )
            .await?;
        Ok(record.map(|r| r.creditor_id))
    }
}

impl Store {
    /// Counts one use of an answer link: at most `per_day` in any day (from the first use of a window).
    /// `Some(first use)` when this use is taken, `None` when the link was used too often today.
    pub async fn use_link(
        &self,
        creditor: &CreditorId,
        link: &str,
        now: chrono::DateTime<chrono::Utc>,
        per_day: u32,
        expires: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, StoreError> {
        use aws_sdk_dynamodb::types::ReturnValue;
        let key = |r: aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder| {
            r.table_name(self.table())
                .key(attr::PK, s(keys::creditor(creditor)))
                .key(attr::SK, s(format!("LINKUSE#{link}")))
                .expression_attribute_names("#count", "uses")
                .return_values(ReturnValue::AllNew)
        };
        let first_use = |out: &aws_sdk_dynamodb::operation::update_item::UpdateItemOutput| match out
            .attributes()
            .and_then(|a| a.get("first_at"))
        {
            Some(AttributeValue::S(t)) => super::parse_ts(t),
            _ => Ok(now),
        };
        // A new day's window: the first use, or the first after a day has passed.
        let opened = key(self.client().update_item())
            .update_expression(
                "SET #window = :now, #count = :one, first_at = if_not_exists(first_at, :now), expires_at = :expires",
            )
            .condition_expression("attribute_not_exists(#pk) OR #window < :day_ago")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#window", "window_start")
            .expression_attribute_values(":now", s(super::ts(now)))
            .expression_attribute_values(":one", super::n(1))
            .expression_attribute_values(":expires", super::n(expires.timestamp()))
            .expression_attribute_values(":day_ago", s(super::ts(now - chrono::Duration::days(1))))
            .send()
            .await;
        if let Some(out) = super::unless_condition_failed(opened)? {
            return first_use(&out).map(Some);
        }
        let counted = key(self.client().update_item())
            .update_expression("ADD #count :one")
            .condition_expression("#count < :limit")
            .expression_attribute_values(":one", super::n(1))
            .expression_attribute_values(":limit", super::n(per_day))
            .send()
            .await;
        match super::unless_condition_failed(counted)? {
            Some(out) => first_use(&out).map(Some),
            None => Ok(None),
        }
    }
}

impl Store {
    /// Keeps a debtor's answer under the creditor, for their records and reports.
    pub async fn record_answer(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        action: &str,
        invoices: &[duly_core::model::ids::InvoiceId],
        detail: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let item = HashMap::from([
            (attr::PK.to_string(), s(keys::creditor(creditor))),
            (attr::SK.to_string(), s(format!("ANSWER#{}#{debtor}", super::ts(at)))),
            ("debtor_id".to_string(), s(debtor.as_str())),
            ("action".to_string(), s(action)),
            (
                "invoices".to_string(),
                AttributeValue::L(invoices.iter().map(|i| s(i.as_str())).collect()),
            ),
            ("detail".to_string(), s(detail)),
            ("at".to_string(), s(super::ts(at))),
        ]);
        self.put_record(item).await
    }

    /// The latest `limit` answers, newest first.
    pub async fn latest_answers(&self, creditor: &CreditorId, limit: i32) -> Result<Vec<RecordedAnswer>, StoreError> {
        self.query_latest(keys::creditor(creditor), "ANSWER#", limit)
            .await?
            .into_iter()
            .map(|item| serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }

    /// The answers debtors gave, oldest first.
    pub async fn answers(&self, creditor: &CreditorId) -> Result<Vec<RecordedAnswer>, StoreError> {
        self.query_partition(keys::creditor(creditor), Some("ANSWER#"), false)
            .await?
            .into_iter()
            .map(|item| serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }
}

impl Store {
    /// Whose message an SES message id was, and the key of its record.
    pub async fn ses_message(&self, id: &str) -> Result<Option<MessageOwner>, StoreError> {
        self.message_owner(keys::ses_message(id)).await
    }

    /// Whose SMS an SNS message id was.
    pub async fn sns_message(&self, id: &str) -> Result<Option<MessageOwner>, StoreError> {
        self.message_owner(keys::sns_message(id)).await
    }

    async fn message_owner(&self, pk: String) -> Result<Option<MessageOwner>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(pk))
            .key(attr::SK, s(keys::SES_MESSAGE_SK))
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else { return Ok(None) };
        let get = |k: &str| super::required_s(item, k, "SES lookup");
        let corrupt = |e: duly_core::model::ids::IdError| StoreError::Corrupt(e.to_string());
        Ok(Some((
            CreditorId::parse(get("creditor_id")?).map_err(corrupt)?,
            DebtorId::parse(get("debtor_id")?).map_err(corrupt)?,
            get("message_sk")?,
        )))
    }

    /// Notes the latest delivery event on a message record.
    pub async fn set_message_delivery(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        message_sk: &str,
        event: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        self.note_delivery(creditor, debtor, message_sk, "delivery", event, at)
            .await
    }

    /// Replaces a debtor's record of late payments, if it is still `read`. `false`: it changed since (read
    /// again and decide again), or the debtor is not stored.
    pub async fn set_paid_late(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        read: &[duly_core::model::PaidLate],
        record: &[duly_core::model::PaidLate],
    ) -> Result<bool, StoreError> {
        let list = |l: &[duly_core::model::PaidLate]| {
            serde_dynamo::to_attribute_value(l).map_err(|e| StoreError::Rejected(e.to_string()))
        };
        let written = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::debtor(creditor, debtor)))
            .key(attr::SK, s(keys::DEBTOR_SK))
            .update_expression("SET paid_late = :new")
            .condition_expression(if read.is_empty() {
                "attribute_exists(#pk) AND (attribute_not_exists(paid_late) OR paid_late = :old)"
            } else {
                "attribute_exists(#pk) AND paid_late = :old"
            })
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_values(":new", list(record)?)
            .expression_attribute_values(":old", list(read)?)
            .send()
            .await;
        match written {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(sdk_error(e)),
        }
    }

    /// Notes that a message's e-mail was opened, the first time SES says so.
    pub async fn set_message_opened(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        message_sk: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        let first = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::debtor(creditor, debtor)))
            .key(attr::SK, s(message_sk))
            .update_expression("SET opened_at = :at")
            .condition_expression("attribute_exists(#pk) AND attribute_not_exists(opened_at)")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_values(":at", s(super::ts(at)))
            .send()
            .await;
        match first {
            Ok(_) => Ok(()),
            // Opened before (every look at the image is an event), or a message no longer kept.
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(())
            }
            Err(e) => Err(sdk_error(e)),
        }
    }

    /// Notes what SNS said of a message's SMS (`sms-delivered`, `sms-failed`).
    pub async fn set_sms_delivery(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        message_sk: &str,
        status: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        self.note_delivery(creditor, debtor, message_sk, "sms_delivery", status, at)
            .await
    }

    async fn note_delivery(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        message_sk: &str,
        field: &str,
        event: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        self.client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::debtor(creditor, debtor)))
            .key(attr::SK, s(message_sk))
            .update_expression("SET #field = :event, #at = :at")
            .expression_attribute_names("#field", field)
            .expression_attribute_names("#at", format!("{field}_at"))
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_values(":event", s(event))
            .expression_attribute_values(":at", s(super::ts(at)))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }
}

/// One recorded answer, as the creditor's API lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordedAnswer {
    pub debtor_id: String,
    pub action: String,
    pub invoices: Vec<String>,
    pub detail: String,
    pub at: String,
}

/// Where an SES message belongs.
pub type MessageOwner = (CreditorId, DebtorId, String);
