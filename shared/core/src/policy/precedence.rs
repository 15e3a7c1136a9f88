//! Which setting applies to an invoice: invoice, then debtor, then customer group, then the creditor's
//! default. Every answer says where it came from, so the API can show it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Creditor, Debtor, InvoiceControls, Override};
use crate::policy::{CustomerGroup, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Invoice,
    Debtor,
    Group,
    Creditor,
}

/// Whether reminders go out, and which level decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Switch {
    pub on: bool,
    pub decided_by: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The local day the deciding override stops applying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

/// The debtor's customer group, as its id and the group: the one set by hand, else the first whose id,
/// name or platform names match one of the contact's platform groups (alike in any script's case).
pub fn group_of<'a>(creditor: &'a Creditor, debtor: Option<&Debtor>) -> Option<(&'a str, &'a CustomerGroup)> {
    let debtor = debtor?;
    if let Some(name) = &debtor.controls.group {
        return creditor.groups.get_key_value(name).map(|(k, g)| (k.as_str(), g));
    }
    let matches = |candidate: &str| {
        debtor
            .platform_groups
            .iter()
            .any(|p| crate::policy::same_group_title(p, candidate))
    };
    creditor
        .groups
        .iter()
        .find(|(id, g)| matches(id) || matches(g.title(id)) || g.platform_groups.iter().any(|p| matches(p)))
        .map(|(k, g)| (k.as_str(), g))
}

fn from_override(o: &Override, level: Level) -> Switch {
    Switch {
        on: o.on,
        decided_by: level,
        reason: o.reason.clone(),
        until: o.until,
    }
}

pub fn reminders_switch(
    creditor: &Creditor,
    group: Option<(&str, &CustomerGroup)>,
    debtor: Option<&Debtor>,
    invoice: &InvoiceControls,
    today: NaiveDate,
) -> Switch {
    // A revoked connection overrides every level: reminders about a ledger Duly can no longer see would
    // risk asking for money that was already paid.
    if let Some(d) = &creditor.disconnected {
        return Switch {
            on: false,
            decided_by: Level::Creditor,
            reason: Some(format!(
                "the {} connection was revoked on {}; reminders resume when it is connected again",
                d.platform,
                d.at.date_naive()
            )),
            until: None,
        };
    }
    if let Some(o) = invoice.reminders.as_ref().filter(|o| o.applies_on(today)) {
        return from_override(o, Level::Invoice);
    }
    if let Some(o) = debtor
        .and_then(|d| d.controls.reminders.as_ref())
        .filter(|o| o.applies_on(today))
    {
        return from_override(o, Level::Debtor);
    }
    if let Some((name, g)) = group {
        return Switch {
            on: g.enabled,
            decided_by: Level::Group,
            reason: Some(format!("customer group {name:?}")),
            until: None,
        };
    }
    Switch {
        on: creditor.policy.enabled,
        decided_by: Level::Creditor,
        reason: None,
        until: None,
    }
}

/// The steps that apply: the group's own, else the creditor's.
pub fn steps<'a>(creditor: &'a Creditor, group: Option<(&str, &'a CustomerGroup)>) -> (&'a [Step], Level) {
    match group.and_then(|(_, g)| g.steps.as_deref()) {
        Some(steps) => (steps, Level::Group),
        None => (&creditor.policy.steps, Level::Creditor),
    }
}
