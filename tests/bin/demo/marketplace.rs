//! The demo's second creditor, who arrives from Xero's app marketplace rather than being set up by hand:
//! Duly reads the organisation, imports the open invoices with their pay links, and reminds a customer in
//! Poland in Polish at Warsaw's hours, with Xero's online invoice behind the pay button.

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use duly_core::model::ids::{CreditorId, DebtorId};
use duly_local::marketplace::{sign_up_through_xero, stack, token_on_page, Stack};
use duly_local::platforms::{xero, Shared};
use duly_local::Local;

pub struct Marketplace {
    stack: Stack,
    xero: Shared,
    pub creditor: Option<CreditorId>,
}

fn tick() -> serde_json::Value {
    json!({"version": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler", "detail": {}})
}

impl Marketplace {
    /// Xero's local server, and the connect and sync functions pointed at it.
    pub async fn start(local: &Local) -> Marketplace {
        let xero: Shared = Default::default();
        let base = xero::serve(xero.clone()).await;
        Marketplace {
            stack: stack(local, &base, "http://127.0.0.1:9", "http://127.0.0.1:9"),
            xero,
            creditor: None,
        }
    }

    /// The creditor clicks "Connect" in Xero's app store, consents, and finishes their settings.
    pub async fn sign_up(&mut self, local: &Local, when: DateTime<Utc>, log: &mut Vec<String>) -> anyhow::Result<()> {
        let stamp = when.format("%a %d %b %H:%M");
        let page = sign_up_through_xero(&self.stack, &self.xero, when).await;
        let token = token_on_page(&page.body).context("the sign-up page shows the new creditor's token")?;
        let (_, settings) = local.api("GET", "/v1/settings", None, Some(&token), when).await;
        let creditor = CreditorId::parse(settings["creditor_id"].as_str().context("creditor id")?)?;
        log.push(format!(
            "  {stamp}  a creditor signs up from Xero's app store: {} ({}, {}, writes in {})",
            settings["branding"]["trading_name"].as_str().unwrap_or("?"),
            settings["country"].as_str().unwrap_or("?"),
            settings["time_zone"].as_str().unwrap_or("?"),
            settings["language"].as_str().unwrap_or("?"),
        ));
        let imported = duly_sync::handle(&self.stack.sync, &tick(), when + Duration::minutes(1)).await?;
        log.push(format!("                      first catch-up: {imported}"));
        let debtor = local
            .store
            .get_debtor(&creditor, &DebtorId::parse(xero::CONTACT)?)
            .await?
            .context("the imported contact")?;
        log.push(format!(
            "                      customer {} in {}, {}; in copy: {}",
            debtor.name,
            debtor.country.as_deref().unwrap_or("?"),
            debtor.time_zone.map(|z| z.name().to_string()).unwrap_or_default(),
            debtor.cc.join(", ")
        ));

        let (_, mut branding) = local.api("GET", "/v1/branding", None, Some(&token), when).await;
        branding
            .as_object_mut()
            .context("branding")?
            .remove("from_domain_verified");
        branding["reply_to"] = json!("ar@nordwind-tools.example");
        branding["from_address"] = json!("ar@nordwind-tools.example");
        let (status, _) = local
            .api("PUT", "/v1/branding", Some(branding), Some(&token), when)
            .await;
        let mut policy = settings["policy"].clone();
        policy["enabled"] = json!(true);
        let (switched, _) = local.api("PUT", "/v1/policy", Some(policy), Some(&token), when).await;
        if (status, switched) != (200, 200) {
            bail!("the marketplace creditor's settings were refused: {status}, {switched}");
        }
        log.push("                      sets where answers go and switches reminders on".into());
        self.creditor = Some(creditor);
        Ok(())
    }

    /// The connection's morning catch-up, which keeps its balances fresh enough to remind on.
    pub async fn catch_up(&self, when: DateTime<Utc>) -> anyhow::Result<()> {
        if self.creditor.is_some() {
            duly_sync::handle(&self.stack.sync, &tick(), when).await?;
        }
        Ok(())
    }
}
