//! A debtor's switches: their group, their reminders switch, the channels they declined.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use duly_adapters::store::{Store, CHANGE_ATTEMPTS};
use duly_core::model::ids::{CreditorId, DebtorId};
use duly_core::model::{Creditor, Debtor, DebtorControls, Place};
use duly_core::policy::Channel;
use duly_core::settings::{check_place, to_override, OverrideInput};

use super::{creditor, replan::replan, Replanned, SettingsError};

/// Read-modify-write of a debtor's controls over the revision read, tried again when another change
/// landed in between. Returns the controls as read and the debtor as written.
pub(crate) async fn update_controls(
    store: &Store,
    id: &CreditorId,
    debtor_id: &DebtorId,
    change: impl Fn(&mut Debtor) -> Result<(), SettingsError>,
) -> Result<(DebtorControls, Debtor), SettingsError> {
    for _ in 0..CHANGE_ATTEMPTS {
        let mut debtor = store
            .get_debtor(id, debtor_id)
            .await?
            .ok_or(SettingsError::NotFound("debtor"))?;
        let read = debtor.controls.clone();
        change(&mut debtor)?;
        if store
            .set_debtor_controls(id, debtor_id, &read, &debtor.controls)
            .await?
        {
            return Ok((read, debtor));
        }
    }
    Err(SettingsError::Contended)
}

/// Changes a debtor's controls and replans their open invoices.
pub(crate) async fn change_debtor(
    store: &Store,
    id: &CreditorId,
    debtor_id: &DebtorId,
    now: DateTime<Utc>,
    change: impl Fn(&Creditor, &mut Debtor) -> Result<(), SettingsError>,
) -> Result<Replanned, SettingsError> {
    let c = creditor(store, id).await?;
    let (before, after) = update_controls(store, id, debtor_id, |d| change(&c, d)).await?;
    let changed = crate::audit::changed_fields(&before, &after.controls);
    crate::audit::record_controls(
        store,
        id,
        debtor_id,
        duly_core::audit::events::DEBTOR_CONTROLS,
        None,
        changed,
        now,
    )
    .await?;
    let open = store.open_invoices_of(id, debtor_id).await?;
    Ok(Replanned {
        replanned: replan(store, &c, open, now).await?,
    })
}

pub async fn set_debtor_group(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    group: Option<String>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_debtor(store, id, debtor, now, |c, d| {
        if let Some(name) = &group {
            if !c.groups.contains_key(name) {
                return Err(SettingsError::NotFound("group"));
            }
        }
        d.controls.group = group.clone();
        Ok(())
    })
    .await
}

pub async fn set_debtor_reminders(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    input: Option<OverrideInput>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_debtor(store, id, debtor, now, |c, d| {
        d.controls.reminders = input.clone().map(|i| to_override(i, c, now)).transpose()?;
        Ok(())
    })
    .await
}

/// The debtor's language, country and time zone as the creditor sets them; an empty place goes back to
/// what the platform's contact and the group say.
pub async fn set_debtor_place(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    place: Place,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    let place = check_place(&place, "place")?;
    change_debtor(store, id, debtor, now, |_, d| {
        d.controls.place = place.clone();
        Ok(())
    })
    .await
}

pub async fn set_debtor_opt_out(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    channels: BTreeSet<Channel>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_debtor(store, id, debtor, now, |_, d| {
        d.controls.opted_out = channels.clone();
        Ok(())
    })
    .await
}
