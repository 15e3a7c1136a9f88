//! The demo's third creditor keeps its books in Merit Aktiva, which sends no webhooks: the creditor pastes
//! Merit's API id and key, Duly polls the company every morning before the scheduler's run (every ten
//! minutes in business hours when deployed), reminds a customer in Estonian, and stops when the payment is
//! booked in Merit.

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use duly_core::model::ids::{CreditorId, InvoiceId};
use duly_core::platforms::merit::duly_id;
use duly_local::marketplace::{call, stack, Stack};
use duly_local::platforms::merit::{self, Company, Data, API_ID, API_KEY};
use duly_local::{at, Local};

pub const NUMBER: &str = "ARV-2044";
const CUSTOMER: &str = "0c6a7e12-3b4d-4f5e-8a9b-1c2d3e4f5a6b";
const INVOICE: &str = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a";

pub struct MeritCreditor {
    stack: Stack,
    merit: Data,
    pub creditor: CreditorId,
    pub connected: bool,
    paid: bool,
}

fn tick() -> serde_json::Value {
    json!({"version": "0", "detail-type": "Scheduled Event", "source": "aws.scheduler", "detail": {}})
}

/// When the customer pays, as the bank import books it in Merit.
pub fn pays_at() -> DateTime<Utc> {
    at("2026-12-08T10:30:00Z")
}

impl MeritCreditor {
    /// Kask Ehitus OÜ, a Duly account already, with its Merit company served locally: one customer in Tartu
    /// and an invoice of €2,480.00 due Monday 30 November.
    pub async fn start(local: &Local) -> anyhow::Result<MeritCreditor> {
        let mut company = Company::default();
        company.customer(
            json!({"CustomerId": CUSTOMER, "Name": "Tartu Puit OÜ", "Email": "raamatupidamine@tartupuit.example",
                "PhoneNo": "5345 6789", "CountryCode": "EE", "SalesInvLang": "ET", "CustomerGroupName": "Ehitus"}),
            "2026-09-01",
        );
        company.invoice(INVOICE, NUMBER, CUSTOMER, "2480.00", "2026-11-16", "2026-11-30");
        let merit: Data = std::sync::Arc::new(std::sync::Mutex::new(company));
        let base = merit::serve(merit.clone()).await;
        let mut creditor = duly_local::fixtures::creditor("kask-ehitus");
        creditor.branding.trading_name = "Kask Ehitus OÜ".into();
        creditor.branding.sender_name = "Kask Ehitus arved".into();
        creditor.branding.from_address = "arved@kask-ehitus.example".into();
        creditor.branding.reply_to = "arved@kask-ehitus.example".into();
        creditor.branding.logo_url = None;
        creditor.branding.signature = Some("Kask Ehitus OÜ, arved".into());
        creditor.policy.enabled = true;
        local.store.put_creditor(&creditor).await?;
        Ok(MeritCreditor {
            stack: stack(local, "http://127.0.0.1:9", "http://127.0.0.1:9", "http://127.0.0.1:9").with_merit(&base),
            merit,
            creditor: creditor.creditor_id,
            connected: false,
            paid: false,
        })
    }

    /// The creditor pastes Merit's API id and key; the first poll imports what is open.
    pub async fn connect(&mut self, local: &Local, when: DateTime<Utc>, log: &mut Vec<String>) -> anyhow::Result<()> {
        let token = duly_core::model::tokens::issue();
        local.store.put_token(&self.creditor, &token, "demo").await?;
        let body = json!({"api_id": API_ID, "api_key": API_KEY, "region": "ee"}).to_string();
        let answer = call(&self.stack, "POST", "/connect/merit", Some(&token), &body, when).await;
        if answer.status != 201 {
            bail!("Merit was not connected: {} {}", answer.status, answer.body);
        }
        let imported = duly_sync::handle(&self.stack.sync, &tick(), when).await?;
        let stamp = when.format("%a %d %b %H:%M");
        log.push(format!(
            "  {stamp}  Kask Ehitus OÜ connects Merit Aktiva with its API id and key; the first poll: {imported}"
        ));
        self.connected = true;
        Ok(())
    }

    /// The poll just before the scheduler's run, and the payment booked in Merit on its day.
    pub async fn poll(&mut self, when: DateTime<Utc>, log: &mut Vec<String>) -> anyhow::Result<()> {
        if !self.connected {
            return Ok(());
        }
        if !self.paid && pays_at() < when {
            self.merit.lock().map_err(|_| anyhow::anyhow!("Merit"))?.pay(
                INVOICE,
                "2480.00",
                &pays_at().date_naive().to_string(),
            );
            self.paid = true;
            let polled = duly_sync::handle(&self.stack.sync, &tick(), when).await?;
            log.push(format!(
                "  {}  Tartu Puit pays {NUMBER} (€2,480.00), booked in Merit; the next poll: {polled}",
                pays_at().format("%a %d %b %H:%M")
            ));
            return Ok(());
        }
        duly_sync::handle(&self.stack.sync, &tick(), when).await?;
        Ok(())
    }

    /// What the demo promises of this creditor.
    pub async fn check(
        &self,
        local: &Local,
        reminded: &[DateTime<Utc>],
        output: &std::path::Path,
    ) -> anyhow::Result<String> {
        let invoice = local
            .store
            .get_invoice(&self.creditor, &InvoiceId::parse(duly_id(INVOICE))?)
            .await?
            .context("the Merit invoice")?;
        if invoice.is_open() {
            bail!("{NUMBER} is still open after its payment was booked in Merit");
        }
        let Some(last) = reminded.last() else {
            bail!("the Merit creditor's customer was not reminded");
        };
        if *last > pays_at() {
            bail!("{NUMBER} was reminded after it was paid");
        }
        let asked = self.merit.lock().map_err(|_| anyhow::anyhow!("Merit"))?.calls.len();
        // The invoice as Merit printed it, as the first reminder carried it.
        let document = local
            .store
            .get_document(&self.creditor, &InvoiceId::parse(duly_id(INVOICE))?)
            .await?
            .context("the invoice's document, fetched from Merit")?;
        let path = output.join("merit").join(&document.file_name);
        std::fs::write(&path, document.content.context("within the size limit")?)?;
        Ok(format!(
            "{NUMBER} came from Merit Aktiva, which has no webhooks: polled before every morning's run ({asked} signed \
             requests to Merit), reminded {} times in Estonian (the first with the invoice Merit prints attached, kept \
             as {}), and not again once the payment of {} was booked in Merit.",
            reminded.len(),
            path.display(),
            pays_at().format("%a %d %b")
        ))
    }
}

/// A Merit poll's worth of time before a scheduler run: fresh, as a deployed poll every ten minutes keeps it.
pub fn before(tick: DateTime<Utc>) -> DateTime<Utc> {
    tick - Duration::minutes(5)
}
