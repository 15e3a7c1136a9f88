//! The plain data Duly keeps about creditors, their connections and their customers.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::ids::{ConnectionId, CreditorId, DebtorId, InvoiceId};
use crate::money::Money;
use crate::policy::Policy;

/// How a creditor's messages look and whom they come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    pub trading_name: String,
    pub sender_name: String,
    /// An address on the creditor's own domain, verified as an SES identity.
    pub from_address: String,
    pub reply_to: String,
    pub logo_url: Option<String>,
    /// `#rrggbb`
    pub brand_colour: String,
    pub signature: Option<String>,
    pub legal_footer: Option<String>,
    /// The alphanumeric SMS sender id, where the debtor's country allows one.
    pub sms_sender_id: Option<String>,
}

/// A creditor's settings: who they are, how they sound, and when reminders go out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creditor {
    pub creditor_id: CreditorId,
    pub branding: Branding,
    /// ISO 3166-1 alpha-2 country of the creditor; the default for debtors with none.
    pub country: String,
    pub time_zone: Tz,
    pub language: String,
    pub policy: Policy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    StandardWebhooks,
}

/// One platform linked to one creditor. The webhook URL names the connection, never the creditor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub connection_id: ConnectionId,
    pub creditor_id: CreditorId,
    pub platform: Platform,
    /// Current signing secrets; two while one is being rotated.
    pub signing_secrets: Vec<String>,
    pub active: bool,
}

/// A customer of the creditor, as the platform last described them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debtor {
    pub creditor_id: CreditorId,
    pub debtor_id: DebtorId,
    pub name: String,
    pub email: Option<String>,
    /// E.164, e.g. `+37255512345`.
    pub phone: Option<String>,
    pub language: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<Tz>,
    pub updated_at: DateTime<Utc>,
}

/// One open invoice as it appears in a reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub amount_due: Money,
    pub total: Money,
    pub due_date: NaiveDate,
    pub pay_url: Option<String>,
}
