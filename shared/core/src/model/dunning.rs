//! Where a debtor stands in the run of reminders, as stored; [`crate::planner::cadence`] decides with it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::policy::Tone;

/// Where one debtor stands in the run of reminders about their overdue invoices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dunning {
    /// The firmest overdue tone sent in this run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Tone>,
    /// Written overdue reminders sent in this run (final notices aside).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub written: u32,
    /// Per invoice id: the written reminders that listed it as overdue.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub per_invoice: BTreeMap<String, u32>,
    /// Per invoice id: the amount due (minor units) the latest final notice stated.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub final_notice: BTreeMap<String, i64>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}
