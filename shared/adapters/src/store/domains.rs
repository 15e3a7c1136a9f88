//! Which creditor a sending domain belongs to. SES verifies domains for Duly's whole account, so the
//! verification alone does not say whose mail may carry the domain: a claim does, once its claimant has
//! proven it in DNS (see `duly_core::settings::domains`).
//!
//! Each claim is three items: `DOMAIN#{domain}` (looked up when mail is sent), `DOMAINTREE#{registrable}`
//! with the domain as sort key (so a claim can be compared with its parents and subdomains), and
//! `C#{creditor}` / `DOMAINCLAIM#{domain}` (the creditor's own claims, to bound the pending ones).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use chrono::{DateTime, Utc};

use duly_core::model::ids::CreditorId;
use duly_core::settings::domains::{registrable, Claim, ClaimState};

use super::invoice_item::attr;
use super::{keys, n, parse_ts, s, sdk_error, ts, Store, StoreError};

fn tree_key(domain: &str) -> String {
    format!("DOMAINTREE#{}", registrable(domain).unwrap_or(domain))
}

fn claim_sk(domain: &str) -> String {
    format!("DOMAINCLAIM#{domain}")
}

/// A stored claim. An item written before claims had to be proven has no state: it holds nothing, and
/// its creditor proves it like anyone else.
fn claim_of(domain: &str, item: &HashMap<String, AttributeValue>) -> Result<Claim, StoreError> {
    let text = |k: &str| item.get(k).and_then(|v| v.as_s().ok()).cloned();
    let creditor = CreditorId::parse(text(attr::CREDITOR_ID).unwrap_or_default())
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let state = match text("state").as_deref() {
        Some("proven") => ClaimState::Proven,
        _ => ClaimState::Pending,
    };
    let until = match text("until") {
        Some(t) => parse_ts(&t)?,
        None => DateTime::<Utc>::UNIX_EPOCH,
    };
    Ok(Claim {
        domain: domain.to_string(),
        creditor,
        state,
        token: text("token").unwrap_or_default(),
        until,
    })
}

fn state_name(state: ClaimState) -> &'static str {
    match state {
        ClaimState::Pending => "pending",
        ClaimState::Proven => "proven",
    }
}

impl Store {
    /// The claim on exactly `domain`, if there is one (lapsed or not).
    pub async fn domain_claim(&self, domain: &str) -> Result<Option<Claim>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(keys::domain(domain)))
            .key(attr::SK, s(keys::DOMAIN_SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        out.item().map(|item| claim_of(domain, item)).transpose()
    }

    /// Every claim under the registrable domain of `domain`: its parents, subdomains and itself.
    pub async fn claims_near(&self, domain: &str) -> Result<Vec<Claim>, StoreError> {
        self.query_partition(tree_key(domain), None, true)
            .await?
            .iter()
            .filter_map(|item| {
                let d = item.get(attr::SK).and_then(|v| v.as_s().ok())?.clone();
                Some(claim_of(&d, item))
            })
            .collect()
    }

    /// How many of the creditor's claims are pending and not lapsed at `now`.
    pub async fn pending_claims(&self, creditor: &CreditorId, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let items = self
            .query_partition(keys::creditor(creditor), Some("DOMAINCLAIM#"), true)
            .await?;
        let mut pending = 0;
        for item in &items {
            let d = item
                .get(attr::SK)
                .and_then(|v| v.as_s().ok())
                .map(|sk| sk.trim_start_matches("DOMAINCLAIM#").to_string())
                .unwrap_or_default();
            let c = claim_of(&d, item)?;
            if c.state == ClaimState::Pending && c.holds(now) {
                pending += 1;
            }
        }
        Ok(pending)
    }

    /// Writes `claim`, unless another creditor's claim on the same domain holds at `now` (`false`). A
    /// pending claim's items lapse by themselves some days after it does.
    pub async fn put_claim(&self, claim: &Claim, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let expires = match claim.state {
            ClaimState::Pending => Some(n((claim.until + chrono::Duration::days(1)).timestamp())),
            ClaimState::Proven => None,
        };
        let put = |pk: String, sk: String| {
            let mut item = HashMap::from([
                (attr::PK.to_string(), s(pk)),
                (attr::SK.to_string(), s(sk)),
                (attr::CREDITOR_ID.to_string(), s(claim.creditor.as_str())),
                ("state".to_string(), s(state_name(claim.state))),
                ("token".to_string(), s(&claim.token)),
                ("until".to_string(), s(ts(claim.until))),
            ]);
            if let Some(expires) = &expires {
                item.insert("expires_at".to_string(), expires.clone());
            }
            item
        };
        let lookup = Put::builder()
            .table_name(self.table())
            .set_item(Some(put(keys::domain(&claim.domain), keys::DOMAIN_SK.to_string())))
            .condition_expression(
                "attribute_not_exists(#pk) OR #creditor = :creditor OR attribute_not_exists(#state) \
                 OR (#state = :pending AND #until < :now)",
            )
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#creditor", attr::CREDITOR_ID)
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#until", "until")
            .expression_attribute_values(":creditor", s(claim.creditor.as_str()))
            .expression_attribute_values(":pending", s("pending"))
            .expression_attribute_values(":now", s(ts(now)))
            .build()
            .expect("table and item are set");
        let tree = Put::builder()
            .table_name(self.table())
            .set_item(Some(put(tree_key(&claim.domain), claim.domain.clone())))
            .build()
            .expect("table and item are set");
        let own = Put::builder()
            .table_name(self.table())
            .set_item(Some(put(keys::creditor(&claim.creditor), claim_sk(&claim.domain))))
            .build()
            .expect("table and item are set");
        self.transact_unless_first_fails(vec![
            TransactWriteItem::builder().put(lookup).build(),
            TransactWriteItem::builder().put(tree).build(),
            TransactWriteItem::builder().put(own).build(),
        ])
        .await
    }

    /// The creditor whose proven claim `domain` is, if any.
    pub async fn domain_owner(&self, domain: &str) -> Result<Option<CreditorId>, StoreError> {
        Ok(self
            .domain_claim(domain)
            .await?
            .filter(|c| c.state == ClaimState::Proven)
            .map(|c| c.creditor))
    }
}
