//! The creditor's monthly spend cap: what this month has cost so far, and whether the next message fits.

use duly_adapters::store::StoreError;
use duly_core::billing::{euros, within_cap, Decimal};
use duly_core::model::{billing_month, Creditor};
use duly_core::notices::{Notice, NoticeKind, NoticeValue};

use super::Run;

/// Euros in millionths, as the reservation counter keeps them.
fn micros(euros: Decimal) -> i64 {
    (euros * Decimal::from(1_000_000))
        .ceil()
        .to_string()
        .parse::<i64>()
        .unwrap_or(i64::MAX)
}

impl Run<'_> {
    /// Whether a message costing `cost` fits under the creditor's cap, and if it does, the cost reserved.
    /// The month's spend is read once a run and added to as the run sends; the reservation is one
    /// conditional write against the cap, so that workers sending for the same creditor at once cannot each
    /// spend what is left. A message that does not fit is counted and the creditor told, once a month for
    /// each cap they set.
    pub(super) async fn within_cap(&mut self, creditor: &Creditor, cost: Decimal) -> Result<bool, StoreError> {
        let Some(cap) = creditor.billing.monthly_cap else {
            return Ok(true);
        };
        let month = billing_month(self.now);
        let spent = match self.spent.get(&creditor.creditor_id) {
            Some(spent) => *spent,
            None => {
                let usage = self.store.usage(&creditor.creditor_id, &month).await?;
                let counts = usage.counts();
                let spent = counts.cost(self.sending.prices);
                self.spent.insert(creditor.creditor_id.clone(), spent);
                spent
            }
        };
        if within_cap(Some(cap), spent, cost)
            && self
                .store
                .reserve_spend(
                    &creditor.creditor_id,
                    &month,
                    micros(spent),
                    micros(cost),
                    micros(cap),
                    self.now,
                )
                .await?
        {
            return Ok(true);
        }
        self.report.over_cap += 1;
        let notice = Notice::new(format!("spend-cap:{month}:{cap}"), NoticeKind::SpendCapReached)
            .with_value("cap", NoticeValue::Money { money: euros(cap) })
            .with_value("month", NoticeValue::Month { month: month.clone() })
            .at_page("/app/usage");
        self.notify(&creditor.creditor_id, &notice).await;
        Ok(false)
    }

    /// Gives back what [`Run::within_cap`] reserved for a message that was not sent after all.
    pub(super) async fn release_spend(&mut self, creditor: &Creditor, cost: Decimal) -> Result<(), StoreError> {
        if creditor.billing.monthly_cap.is_none() {
            return Ok(());
        }
        self.store
            .release_spend(&creditor.creditor_id, &billing_month(self.now), micros(cost))
            .await
    }
}
