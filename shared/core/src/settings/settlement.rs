//! A settlement offer as the creditor makes it: less than what is owed, by a date not long from now.

use chrono::{DateTime, NaiveDate, Utc};

use super::invalid;
use crate::ledger::Invoice;
use crate::model::Settlement;
use crate::policy::PolicyError;

/// Furthest a settlement's date may be.
pub const MAX_SETTLEMENT_DAYS: i64 = 366;

/// The offer to settle `invoice` for `amount` (a decimal in the invoice's currency) in total by `pay_by`,
/// the creditor's local date; `today` is that date now.
pub fn settlement_offer(
    invoice: &Invoice,
    amount: &str,
    pay_by: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Settlement, PolicyError> {
    let (Some(doc), Some(balance)) = (invoice.doc.as_ref(), invoice.balance.as_ref()) else {
        return Err(invalid("invoice", "invalid-invoice-unknown"));
    };
    if !invoice.is_open() {
        return Err(invalid("invoice", "invalid-nothing-owed"));
    }
    let amount = doc
        .total
        .currency
        .parse_amount(amount)
        .map_err(|_| invalid("amount", "invalid-amount"))?;
    let paid = doc.total.minor - balance.amount_due.minor;
    if amount.minor <= paid || amount.minor >= doc.total.minor {
        return Err(invalid("amount", "invalid-settlement-amount"));
    }
    if pay_by < today || (pay_by - today).num_days() > MAX_SETTLEMENT_DAYS {
        return Err(invalid("pay_by", "invalid-date-ahead").with("days", MAX_SETTLEMENT_DAYS));
    }
    Ok(Settlement {
        amount,
        pay_by,
        offered_at: now,
        settled_at: None,
    })
}
