//! How long what was sent is kept.

use duly_adapters::store::Store;
use duly_core::audit::settings::Records;
use duly_core::model::ids::CreditorId;

use super::{change_creditor, SettingsError};

pub async fn put_records(store: &Store, id: &CreditorId, settings: Records) -> Result<Records, SettingsError> {
    settings.check()?;
    let c = change_creditor(store, id, |c| {
        c.records = settings.clone();
        Ok(())
    })
    .await?;
    Ok(c.records)
}
