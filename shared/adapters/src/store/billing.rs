//! What billing keeps in the table: webhooks counted into the usage counters, the month's roster of
//! creditors with usage (so the hourly export queries one partition instead of scanning), what was
//! reported to the billing system and what is pending, and each creditor's customer there.

use std::collections::HashMap;
use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};

use duly_core::billing::export::Pending;
use duly_core::billing::{Counts, Meter};
use duly_core::model::ids::CreditorId;

use super::invoice_item::attr;
use super::{keys, n, s, sdk_error, Store, StoreError};

/// Creditors one roster transaction puts.
const COUNTS_PER_TRANSACTION: usize = 25;
/// DynamoDB's limit on the items of one `TransactWriteItems`.
const MAX_TRANSACTION_ITEMS: usize = 100;
const BILLING_SK: &str = "BILLING";

fn roster_pk(month: &str) -> String {
    format!("BILLING#{month}")
}

fn reported_attr(meter: Meter) -> String {
    format!("reported_{}", meter.name())
}

/// The usage item's counter of a meter.
fn counter_attr(meter: Meter) -> &'static str {
    match meter {
        Meter::Emails => "emails",
        Meter::SmsSegments => "sms_segments",
        Meter::DebtorsReminded => "debtors",
        Meter::WebhooksReceived => "webhooks",
    }
}

fn number(item: &HashMap<String, AttributeValue>, name: &str) -> i64 {
    match item.get(name) {
        Some(AttributeValue::N(v)) => v.parse().unwrap_or(0),
        _ => 0,
    }
}

fn roster_put(table: &str, month: &str, creditor: &CreditorId) -> TransactWriteItem {
    TransactWriteItem::builder()
        .put(
            Put::builder()
                .table_name(table)
                .item(attr::PK, s(roster_pk(month)))
                .item(attr::SK, s(creditor.as_str()))
                .build()
                .expect("table and item are set"),
        )
        .build()
}

impl Store {
    /// Adds webhook deliveries to creditors' usage for their months (putting them on those months'
    /// rosters) and the report's counters, keyed by creditor and the counter item's sort key. Each transaction first records that `batch` (and its part)
    /// was counted, so the same stream batch handed over again counts nothing; the record expires after
    /// two days, longer than a stream keeps a batch. Returns how many counters moved.
    pub async fn count_usage(
        &self,
        webhooks: &BTreeMap<(CreditorId, String), i64>,
        counters: &BTreeMap<(CreditorId, String), BTreeMap<String, i64>>,
        batch: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<usize, StoreError> {
        // Each unit is written whole in one transaction: a month's webhook count with its roster entry, or
        // one counter item (a day's, a week's, a month's) of the creditor's report.
        let mut units: Vec<Vec<TransactWriteItem>> = Vec::new();
        for ((creditor, month), count) in webhooks {
            let update = Update::builder()
                .table_name(self.table())
                .key(attr::PK, s(keys::creditor(creditor)))
                .key(attr::SK, s(keys::usage_sk(month)))
                .update_expression("ADD webhooks :n")
                .expression_attribute_values(":n", n(*count))
                .build()
                .expect("table, key and update expression are set");
            units.push(vec![
                TransactWriteItem::builder().update(update).build(),
                roster_put(self.table(), month, creditor),
            ]);
        }
        for ((creditor, item), counts) in counters {
            let mut update = Update::builder()
                .table_name(self.table())
                .key(attr::PK, s(keys::creditor(creditor)))
                .key(attr::SK, s(item));
            let mut adds = Vec::new();
            for (i, (key, count)) in counts.iter().enumerate() {
                update = update
                    .expression_attribute_names(format!("#c{i}"), key)
                    .expression_attribute_values(format!(":c{i}"), n(*count));
                adds.push(format!("#c{i} :c{i}"));
            }
            if adds.is_empty() {
                continue;
            }
            let update = update
                .update_expression(format!("ADD {}", adds.join(", ")))
                .build()
                .expect("table, key and update expression are set");
            units.push(vec![TransactWriteItem::builder().update(update).build()]);
        }
        let mut counted = 0;
        let mut part = 0;
        let mut units = units.into_iter().peekable();
        while units.peek().is_some() {
            let marker = Put::builder()
                .table_name(self.table())
                .item(attr::PK, s(format!("BILLINGBATCH#{batch}#{part}")))
                .item(attr::SK, s("BATCH"))
                .item("expires_at", n((now + chrono::Duration::days(2)).timestamp()))
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", attr::PK)
                .build()
                .expect("table and item are set");
            let mut items = vec![TransactWriteItem::builder().put(marker).build()];
            let mut in_part = 0;
            while let Some(unit) = units.next_if(|u| items.len() + u.len() <= MAX_TRANSACTION_ITEMS) {
                items.extend(unit);
                in_part += 1;
            }
            if self.transact_unless_first_fails(items).await? {
                counted += in_part;
            }
            part += 1;
        }
        Ok(counted)
    }

    /// The report's day counters of `from` to `to` (at most 62 days), summed.
    pub async fn day_counts(
        &self,
        creditor: &CreditorId,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<BTreeMap<String, i64>, StoreError> {
        let mut items = Vec::new();
        let mut day = from;
        while day <= to && items.len() < 62 {
            items.push(duly_core::report::keys::day_item(day));
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        let mut sums: BTreeMap<String, i64> = BTreeMap::new();
        for counters in self.counters(creditor, &items).await?.into_values() {
            for (name, n) in counters {
                *sums.entry(name).or_default() += n;
            }
        }
        Ok(sums)
    }

    /// A creditor's counter items named by their sort keys (at most 400), each as its counters; an item
    /// never written is left out.
    pub async fn counters(
        &self,
        creditor: &CreditorId,
        items: &[String],
    ) -> Result<BTreeMap<String, BTreeMap<String, i64>>, StoreError> {
        let keys_wanted: Vec<_> = items
            .iter()
            .take(400)
            .map(|sk| {
                HashMap::from([
                    (attr::PK.to_string(), s(keys::creditor(creditor))),
                    (attr::SK.to_string(), s(sk)),
                ])
            })
            .collect();
        let mut found: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for chunk in keys_wanted.chunks(100) {
            let mut pending = Some(
                aws_sdk_dynamodb::types::KeysAndAttributes::builder()
                    .set_keys(Some(chunk.to_vec()))
                    .consistent_read(true)
                    .build()
                    .expect("keys are set"),
            );
            // Unprocessed keys are asked for again, a bounded number of times.
            for _ in 0..5 {
                let Some(request) = pending.take() else { break };
                let out = self
                    .client()
                    .batch_get_item()
                    .request_items(self.table(), request)
                    .send()
                    .await
                    .map_err(sdk_error)?;
                for item in out.responses().and_then(|r| r.get(self.table())).into_iter().flatten() {
                    let Some(AttributeValue::S(sk)) = item.get(attr::SK) else {
                        continue;
                    };
                    let counters = found.entry(sk.clone()).or_default();
                    for (name, value) in item {
                        if let (false, AttributeValue::N(v)) = (name == attr::PK || name == attr::SK, value) {
                            counters.insert(name.clone(), v.parse::<i64>().unwrap_or(0));
                        }
                    }
                }
                pending = out
                    .unprocessed_keys()
                    .and_then(|u| u.get(self.table()))
                    .filter(|k| !k.keys().is_empty())
                    .cloned();
            }
        }
        Ok(found)
    }

    /// Puts creditors on a month's roster.
    pub async fn put_on_roster(&self, month: &str, creditors: &BTreeSet<CreditorId>) -> Result<(), StoreError> {
        let all: Vec<_> = creditors.iter().collect();
        for chunk in all.chunks(COUNTS_PER_TRANSACTION) {
            let items = chunk.iter().map(|c| roster_put(self.table(), month, c)).collect();
            self.client()
                .transact_write_items()
                .set_transact_items(Some(items))
                .send()
                .await
                .map_err(sdk_error)?;
        }
        Ok(())
    }

    /// The creditors with usage in `month`.
    pub async fn roster(&self, month: &str) -> Result<Vec<CreditorId>, StoreError> {
        Ok(self
            .query_partition(roster_pk(month), None, false)
            .await?
            .iter()
            .filter_map(|item| item.get(attr::SK).and_then(|v| v.as_s().ok()))
            .filter_map(|id| CreditorId::parse(id.clone()).ok())
            .collect())
    }

    /// A creditor's counts for `month`, what of them was reported, and what is pending.
    pub async fn export_state(
        &self,
        creditor: &CreditorId,
        month: &str,
    ) -> Result<(Counts, Counts, Option<Pending>), StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(keys::usage_sk(month)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        let item = out.item().cloned().unwrap_or_default();
        let counts_of = |name: &dyn Fn(Meter) -> String| Counts {
            emails: number(&item, &name(Meter::Emails)),
            sms_segments: number(&item, &name(Meter::SmsSegments)),
            debtors_reminded: number(&item, &name(Meter::DebtorsReminded)),
            webhooks_received: number(&item, &name(Meter::WebhooksReceived)),
        };
        let counts = counts_of(&|m| counter_attr(m).to_string());
        let reported = counts_of(&reported_attr);
        let pending = match item.get("pending") {
            Some(AttributeValue::S(json)) => {
                Some(serde_json::from_str(json).map_err(|_| StoreError::Corrupt("pending usage".into()))?)
            }
            _ => None,
        };
        Ok((counts, reported, pending))
    }

    /// Writes down `pending` before it is sent; `false` when something is pending already.
    pub async fn set_pending(&self, creditor: &CreditorId, month: &str, pending: &Pending) -> Result<bool, StoreError> {
        let json = serde_json::to_string(pending).map_err(|e| StoreError::Rejected(e.to_string()))?;
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(keys::usage_sk(month)))
            .update_expression("SET pending = :p, pending_hour = :h")
            .condition_expression("attribute_not_exists(pending)")
            .expression_attribute_values(":p", s(json))
            .expression_attribute_values(":h", s(&pending.hour))
            .send()
            .await;
        super::condition_held(result)
    }

    /// Adds what was pending to what was reported, once it was sent; `false` when it was finished before.
    pub async fn finish_pending(
        &self,
        creditor: &CreditorId,
        month: &str,
        pending: &Pending,
    ) -> Result<bool, StoreError> {
        let mut names = HashMap::new();
        let mut values = HashMap::from([(":h".to_string(), s(&pending.hour))]);
        let mut adds = Vec::new();
        for (i, (meter, amount)) in pending.amounts.iter().enumerate() {
            names.insert(format!("#r{i}"), reported_attr(*meter));
            values.insert(format!(":a{i}"), n(*amount));
            adds.push(format!("#r{i} :a{i}"));
        }
        let mut expression = "REMOVE pending, pending_hour".to_string();
        if !adds.is_empty() {
            expression.push_str(&format!(" ADD {}", adds.join(", ")));
        }
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(keys::usage_sk(month)))
            .update_expression(expression)
            .condition_expression("pending_hour = :h")
            .set_expression_attribute_names((!names.is_empty()).then_some(names))
            .set_expression_attribute_values(Some(values))
            .send()
            .await;
        super::condition_held(result)
    }

    /// The creditor's customer id at the billing system, once made.
    pub async fn billing_customer(&self, creditor: &CreditorId) -> Result<Option<String>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(BILLING_SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(out
            .item()
            .and_then(|i| i.get("customer"))
            .and_then(|v| v.as_s().ok())
            .cloned())
    }

    pub async fn put_billing_customer(&self, creditor: &CreditorId, customer: &str) -> Result<(), StoreError> {
        self.client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(keys::creditor(creditor)))
            .item(attr::SK, s(BILLING_SK))
            .item("customer", s(customer))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }
}
