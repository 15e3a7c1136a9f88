//! Which creditor a sending domain belongs to. SES verifies domains for Duly's whole account, so the
//! verification alone does not say whose mail may carry the domain: the creditor who verified it through
//! Duly does, and nobody else.

use duly_core::model::ids::CreditorId;

use super::invoice_item::attr;
use super::{keys, s, sdk_error, Store, StoreError};

impl Store {
    /// Records `creditor` as the domain's owner. `false`: another creditor owns it.
    pub async fn claim_domain(&self, domain: &str, creditor: &CreditorId) -> Result<bool, StoreError> {
        let result = self
            .client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(keys::domain(domain)))
            .item(attr::SK, s(keys::DOMAIN_SK))
            .item(attr::CREDITOR_ID, s(creditor.as_str()))
            .condition_expression("attribute_not_exists(#pk) OR #creditor = :creditor")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#creditor", attr::CREDITOR_ID)
            .expression_attribute_values(":creditor", s(creditor.as_str()))
            .send()
            .await;
        super::condition_held(result)
    }

    /// The creditor who owns a sending domain, if anyone does.
    pub async fn domain_owner(&self, domain: &str) -> Result<Option<CreditorId>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::domain(domain)))
            .key(attr::SK, s(keys::DOMAIN_SK))
            .send()
            .await
            .map_err(sdk_error)?;
        match out.item().and_then(|item| item.get(attr::CREDITOR_ID)) {
            Some(aws_sdk_dynamodb::types::AttributeValue::S(id)) => CreditorId::parse(id.clone())
                .map(Some)
                .map_err(|e| StoreError::Corrupt(e.to_string())),
            _ => Ok(None),
        }
    }
}
