//! The creditor's default policy, their customer groups, and how they hear from Duly.

use chrono::{DateTime, Utc};

use duly_adapters::store::Store;
use duly_core::model::ids::CreditorId;
use duly_core::notices::Notifications;
use duly_core::policy::{validate, CustomerGroup, Policy};
use duly_core::settings::{check_group, check_group_name, check_place, same_group_title};

use super::{change_creditor, replan::replan, Replanned, SettingsError};

pub async fn put_policy(
    store: &Store,
    id: &CreditorId,
    policy: Policy,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    validate(&policy)?;
    let c = change_creditor(store, id, |c| {
        c.policy = policy.clone();
        c.setup.schedule_saved_at.get_or_insert(now);
        Ok(())
    })
    .await?;
    let open = store.open_invoices_of_creditor(id).await?;
    Ok(Replanned {
        replanned: replan(store, &c, open, now).await?,
    })
}

pub async fn put_group(
    store: &Store,
    id: &CreditorId,
    name: &str,
    group: Option<CustomerGroup>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    check_group_name(name)?;
    let mut group = group;
    if let Some(g) = &mut group {
        check_group(g)?;
        g.place = check_place(&g.place, "place")?;
    }
    let c = change_creditor(store, id, |c| {
        match &group {
            Some(g) => {
                // Two groups may not read alike: the creditor could not tell them apart.
                let taken = c
                    .groups
                    .iter()
                    .find(|(other, o)| *other != name && same_group_title(o.title(other), g.title(name)));
                if let Some((other, o)) = taken {
                    return Err(SettingsError::Invalid(
                        duly_core::policy::PolicyError::new("name", "invalid-group-title-taken")
                            .with("name", o.title(other).to_string()),
                    ));
                }
                c.groups.insert(name.to_string(), g.clone());
            }
            None => {
                if c.groups.remove(name).is_none() {
                    return Err(SettingsError::NotFound("group"));
                }
            }
        }
        Ok(())
    })
    .await?;
    let open = store.open_invoices_of_creditor(id).await?;
    Ok(Replanned {
        replanned: replan(store, &c, open, now).await?,
    })
}

/// How the creditor hears from Duly: each event as it happens, or a daily digest at a local hour.
pub async fn put_notifications(
    store: &Store,
    id: &CreditorId,
    notifications: Notifications,
) -> Result<Notifications, SettingsError> {
    notifications.check()?;
    let c = change_creditor(store, id, |c| {
        c.notifications = notifications;
        Ok(())
    })
    .await?;
    Ok(c.notifications)
}

/// Late-payment interest and compensation: which parts are on, under which country's law, and which
/// customer groups are consumers.
pub async fn put_late_charges(
    store: &Store,
    id: &CreditorId,
    charges: duly_core::interest::LateCharges,
    offered: &duly_core::interest::Offered,
) -> Result<duly_core::interest::LateCharges, SettingsError> {
    let c = change_creditor(store, id, |c| {
        charges.check(&c.country, offered)?;
        c.late_charges = charges.clone();
        Ok(())
    })
    .await?;
    Ok(c.late_charges)
}

/// What debtors may ask for in instalments.
pub async fn put_payment_plans(
    store: &Store,
    id: &CreditorId,
    limits: duly_core::plans::PlanLimits,
) -> Result<duly_core::plans::PlanLimits, SettingsError> {
    limits.check()?;
    let c = change_creditor(store, id, |c| {
        c.payment_plans = limits;
        Ok(())
    })
    .await?;
    Ok(c.payment_plans)
}
