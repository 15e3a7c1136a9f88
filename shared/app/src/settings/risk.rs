//! Who is unlikely to pay: each debtor's score from their open invoices, read through the by-creditor
//! index (never a scan), and the creditor's threshold.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use duly_adapters::store::Store;
use duly_core::ledger::Invoice;
use duly_core::model::ids::{CreditorId, DebtorId};
use duly_core::risk::{score, RiskSettings, Score};

use super::{change_creditor, SettingsError};

pub use duly_core::risk::Flagged as AtRisk;

/// One debtor's score today.
pub async fn debtor_score(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    now: DateTime<Utc>,
) -> Result<Score, SettingsError> {
    let c = store
        .get_creditor(id)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))?;
    let d = store
        .get_debtor(id, debtor)
        .await?
        .ok_or(SettingsError::NotFound("debtor"))?;
    let open = store.open_invoices_of(id, debtor).await?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    Ok(score(&c, &d, &open, today, c.risk.threshold))
}

/// Every debtor at or above the creditor's threshold, highest first.
pub async fn at_risk(store: &Store, id: &CreditorId, now: DateTime<Utc>) -> Result<Vec<AtRisk>, SettingsError> {
    let c = store
        .get_creditor(id)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    let mut by_debtor: BTreeMap<DebtorId, Vec<Invoice>> = BTreeMap::new();
    for invoice in store.open_invoices_of_creditor(id).await? {
        if let Some(doc) = &invoice.doc {
            by_debtor.entry(doc.debtor_id.clone()).or_default().push(invoice);
        }
    }
    let ids: Vec<DebtorId> = by_debtor.keys().cloned().collect();
    let mut listed: Vec<AtRisk> = store
        .get_debtors(id, &ids)
        .await?
        .into_iter()
        .filter_map(|d| {
            let open = by_debtor.get(&d.debtor_id)?;
            let s = score(&c, &d, open, today, c.risk.threshold);
            (s.points >= c.risk.threshold).then(|| AtRisk {
                debtor_id: d.debtor_id.to_string(),
                name: d.name.clone(),
                score: s,
            })
        })
        .collect();
    listed.sort_by(|a, b| b.score.points.cmp(&a.score.points).then(a.debtor_id.cmp(&b.debtor_id)));
    Ok(listed)
}

pub async fn put_risk(store: &Store, id: &CreditorId, settings: RiskSettings) -> Result<RiskSettings, SettingsError> {
    settings.check()?;
    let c = change_creditor(store, id, |c| {
        c.risk = settings.clone();
        Ok(())
    })
    .await?;
    Ok(c.risk)
}
