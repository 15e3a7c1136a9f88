//! The plain data Duly keeps about creditors, their connections and their customers.

pub mod dunning;
pub mod ids;
pub mod money;
pub mod phone;
pub mod place;
pub mod printable;
pub mod tokens;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::locale::Language;
use crate::model::ids::{ConnectionId, CreditorId, DebtorId, InvoiceId};
use crate::model::money::Money;
use crate::policy::{Channel, CustomerGroup, Policy};
pub use place::Place;

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// For debtors who pay by bank transfer rather than through the pay link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<BankAccount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    pub iban: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
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
    /// Named customer groups, each with its own switch and optionally its own steps.
    #[serde(default)]
    pub groups: BTreeMap<String, CustomerGroup>,
    /// The creditor's own templates, keyed `{language}/{email.html|email.txt|sms}`; validated when saved.
    #[serde(default)]
    pub templates: BTreeMap<String, String>,
    /// Set when a platform connection was revoked: the ledger can no longer be trusted, so no reminders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnected: Option<Disconnection>,
    /// How the creditor hears from Duly: each event as it happens, or a daily digest.
    #[serde(default)]
    pub notifications: crate::notices::settings::Notifications,
    /// Late-payment interest and compensation: off until switched on.
    #[serde(default, skip_serializing_if = "crate::model::is_default")]
    pub late_charges: crate::interest::settings::LateCharges,
    /// What debtors may ask for in instalments: nothing until the creditor allows it.
    #[serde(default, skip_serializing_if = "crate::model::is_default")]
    pub payment_plans: crate::plans::PlanLimits,
    /// What the creditor set about paying for Duly: a cap on a month's spend.
    #[serde(default, skip_serializing_if = "crate::model::is_default")]
    pub billing: crate::billing::settings::BillingSettings,
    /// From how many points a debtor is listed as unlikely to pay.
    #[serde(default, skip_serializing_if = "crate::model::is_default")]
    pub risk: crate::risk::settings::RiskSettings,
    /// How long what was sent is kept, for a hand-off's proof.
    #[serde(default, skip_serializing_if = "crate::model::is_default")]
    pub records: crate::audit::settings::Records,
    /// How far the creditor got through setting Duly up, for the first-run checklist.
    #[serde(default, skip_serializing_if = "crate::model::is_default")]
    pub setup: Setup,
    /// Moves on with every change: a change is written only over the revision it read, so the settings
    /// API, connecting and syncing never overwrite each other's changes.
    #[serde(default)]
    pub rev: u64,
}

/// The first-run steps the creditor took, and when: the branding saved, the schedule saved, a preview sent
/// to themselves. (Connecting and switching reminders on are read from the connections and the policy.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branded_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_saved_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disconnection {
    pub platform: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    StandardWebhooks,
    Stripe,
    Xero,
    QuickBooks,
    /// Merit Aktiva: no webhooks; polled.
    Merit,
}

impl Platform {
    /// How creditors know the accounting platform a segment names (`xero` → Xero); `None` for others.
    pub fn name_of_segment(segment: &str) -> Option<&'static str> {
        match segment {
            "xero" => Some("Xero"),
            "quickbooks" => Some("QuickBooks Online"),
            "stripe" => Some("Stripe"),
            "standard" => Some("Standard Webhooks"),
            "merit" => Some("Merit Aktiva"),
            _ => None,
        }
    }

    /// The platform's segment in the webhook URL: `/webhooks/{segment}/{connection_id}`.
    pub fn path_segment(self) -> &'static str {
        match self {
            Platform::StandardWebhooks => "standard",
            Platform::Stripe => "stripe",
            Platform::Xero => "xero",
            Platform::QuickBooks => "quickbooks",
            Platform::Merit => "merit",
        }
    }
}

/// One platform linked to one creditor. The webhook URL names the connection, never the creditor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub connection_id: ConnectionId,
    pub creditor_id: CreditorId,
    pub platform: Platform,
    /// The current webhook signing secrets (two while one is being rotated), sealed by the adapters'
    /// `vault`; only the ingest function can open them. `None` for platforms that sign with the app's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_secrets: Option<Sealed>,
    pub active: bool,
    /// The credentials Duly reads the platform with (OAuth tokens, a Stripe key), sealed by
    /// the adapters' `vault`; only the connect and sync functions can open them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Sealed>,
    /// The platform's tenant (Xero organisation, QuickBooks realm, Stripe account) this connection reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The company's own currency, for QuickBooks invoices that name none (multi-currency off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_currency: Option<crate::model::money::Currency>,
    /// Disconnected by the creditor, with the sealed credentials kept only until the sync function (which
    /// alone may open them) has revoked Duly's access at the platform.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoke_pending: bool,
}

/// Credentials encrypted by KMS under their connection's encryption context, base64.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sealed(pub String);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealed(..)")
    }
}

/// OAuth 2.0 tokens of one connection. Stored only sealed; they never reach a log.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for OAuthTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthTokens")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
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
    /// Whether `phone` takes texts; a landline is kept for calls only.
    #[serde(default)]
    pub phone_kind: phone::PhoneKind,
    /// The number the platform gave when none could be used, and why; shown on the customer's page.
    #[serde(default)]
    pub phone_refused: Option<phone::RefusedPhone>,
    pub language: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<Tz>,
    pub updated_at: DateTime<Utc>,
    /// The contact's groups on the platform, mapped to the creditor's customer groups.
    #[serde(default)]
    pub platform_groups: Vec<String>,
    /// Further people the platform copies on invoices; copied on e-mail reminders.
    #[serde(default)]
    pub cc: Vec<String>,
    /// What the creditor (or the debtor's own answers) decided; never overwritten by platform updates.
    #[serde(default)]
    pub controls: DebtorControls,
    /// Recent messages to this debtor, for the minimum gap and the weekly cap.
    #[serde(default)]
    pub history: MessageHistory,
    /// How late their latest invoices were paid, oldest first (see `risk::history`).
    #[serde(default)]
    pub paid_late: Vec<PaidLate>,
}

/// How many days after its due date an invoice of the debtor's was paid (negative: before it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidLate {
    pub invoice_id: String,
    /// The platform's day of the payment that closed it.
    pub paid_on: chrono::NaiveDate,
    pub days: i64,
}

/// Switches reminders on or off at one level (an invoice or a debtor), optionally until a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub on: bool,
    /// The first local day the override no longer applies; `None`: until changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub set_at: DateTime<Utc>,
}

impl Override {
    pub fn applies_on(&self, today: NaiveDate) -> bool {
        self.until.is_none_or(|until| today < until)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtorControls {
    /// The customer group set by hand; wins over the platform's contact groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminders: Option<Override>,
    /// Channels the debtor asked not to be contacted on.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub opted_out: BTreeSet<Channel>,
    /// The address SES reported a hard bounce or a complaint for. A different address from the platform
    /// is usable again without anyone clearing this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_refused: Option<RefusedAddress>,
    /// Addresses refused before the latest one, newest first (at most [`MAX_REFUSED`]): a reminder can
    /// go to several people, and each that bounced stays refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_refused: Vec<String>,
    /// Refused addresses of a debtor whose personal data was erased, kept only as digests salted with
    /// `refused_salt`: the address cannot be read back, yet mail to it stays refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused_digests: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub refused_salt: String,
    /// The debtor unsubscribed from friendly notes before the due date; overdue reminders still go out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub declined_pre_due: bool,
    /// Language, country and time zone set by hand; each wins over the platform's contact and the group.
    #[serde(default, skip_serializing_if = "Place::is_empty")]
    pub place: Place,
    /// Moves on with every change: a change is written only over the revision it read, so two changes
    /// from different places (the API, an answer, a bounce, an SMS STOP) never overwrite each other.
    #[serde(default)]
    pub rev: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedAddress {
    pub address: String,
    /// `bounce` or `complaint`.
    pub why: String,
    pub at: DateTime<Utc>,
}

fn refused_digest(salt: &str, address: &str) -> String {
    crate::model::tokens::fingerprint(&format!("refused:{salt}:{}", address.to_ascii_lowercase()))
}

/// Refused addresses kept per debtor besides the latest.
pub const MAX_REFUSED: usize = 8;

impl DebtorControls {
    /// Whether SES reported a hard bounce or a complaint for `address`.
    pub fn refuses(&self, address: &str) -> bool {
        self.email_refused
            .iter()
            .map(|r| r.address.as_str())
            .chain(self.earlier_refused.iter().map(String::as_str))
            .any(|a| a.eq_ignore_ascii_case(address))
            || (!self.refused_digests.is_empty()
                && self
                    .refused_digests
                    .contains(&refused_digest(&self.refused_salt, address)))
    }

    /// Replaces the refused addresses by salted digests, for an erasure: `salt` is a new random string.
    pub fn erase_refused(&mut self, salt: String) {
        if self.refused_salt.is_empty() {
            self.refused_salt = salt;
        }
        let addresses: Vec<String> = self
            .email_refused
            .take()
            .map(|r| r.address)
            .into_iter()
            .chain(std::mem::take(&mut self.earlier_refused))
            .collect();
        for address in addresses {
            let digest = refused_digest(&self.refused_salt, &address);
            if !self.refused_digests.contains(&digest) {
                self.refused_digests.push(digest);
            }
        }
    }

    /// Records a refused address; the one refused before it stays refused.
    pub fn refuse(&mut self, refused: RefusedAddress) {
        if let Some(previous) = self.email_refused.take() {
            if !previous.address.eq_ignore_ascii_case(&refused.address) {
                self.earlier_refused.insert(0, previous.address);
            }
        }
        self.earlier_refused
            .retain(|a| !a.eq_ignore_ascii_case(&refused.address));
        self.earlier_refused.truncate(MAX_REFUSED);
        self.email_refused = Some(refused);
    }
}

/// When messages went to a debtor lately. `rev` serialises concurrent sends to one debtor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageHistory {
    #[serde(default)]
    pub recent: Vec<DateTime<Utc>>,
    #[serde(default)]
    pub rev: u64,
    /// The month (UTC, `yyyy-mm`) of the last message: the first message of a month counts the debtor as
    /// reminded that month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_month: Option<String>,
    /// Where the debtor stands in the run of reminders about their overdue invoices.
    #[serde(default, skip_serializing_if = "is_default")]
    pub dunning: dunning::Dunning,
    /// When the debtor was last thanked for paying: at most once a week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thanked_at: Option<DateTime<Utc>>,
    /// The debtor's local day their last monthly statement went out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_on: Option<NaiveDate>,
}

/// A time's billing month, `yyyy-mm` in UTC.
pub fn billing_month(at: DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

impl MessageHistory {
    /// Whether a message at `at` is the debtor's first of its month.
    pub fn first_in_month(&self, at: DateTime<Utc>) -> bool {
        self.last_month.as_deref() != Some(billing_month(at).as_str())
    }

    pub fn last(&self) -> Option<DateTime<Utc>> {
        self.recent.iter().max().copied()
    }

    /// The history after a message at `at`, keeping only what the weekly cap can still need.
    pub fn with_message(&self, at: DateTime<Utc>) -> MessageHistory {
        let mut recent: Vec<DateTime<Utc>> = self
            .recent
            .iter()
            .copied()
            .filter(|t| at - *t < Duration::days(7))
            .collect();
        recent.push(at);
        recent.sort();
        MessageHistory {
            recent,
            rev: self.rev + 1,
            last_month: Some(billing_month(at)),
            dunning: self.dunning.clone(),
            thanked_at: self.thanked_at,
            statement_on: self.statement_on,
        }
    }
}

/// The debtor disputes the invoice: nothing is sent for it until the creditor resolves the dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// How far ahead a debtor may promise to pay, on their answer page or on the phone.
pub const DEBTOR_PROMISE_MAX_DAYS: u64 = 90;

/// The debtor promised to pay by `date`: reminders wait until the date plus the policy's grace days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    pub date: NaiveDate,
    pub at: DateTime<Utc>,
}

/// What the creditor or the debtor decided about one invoice; platform facts never change it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceControls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminders: Option<Override>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute: Option<Dispute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promise: Option<Promise>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<Settlement>,
    /// The debtor asked to pay in instalments; the creditor has not decided yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_request: Option<crate::plans::PlanRequest>,
    /// An agreed payment plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::plans::PaymentPlan>,
    /// When the creditor last declined the debtor's request for a plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_declined_at: Option<DateTime<Utc>>,
    /// When the creditor last resolved a dispute or ended a promise on the invoice: the policy's
    /// `final_notice_grace_days` count from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_ended_at: Option<DateTime<Utc>>,
}

/// How long after the creditor declined a plan the debtor may ask again: re-filing at once would hold
/// reminders back for as long as the debtor keeps asking.
pub const PLAN_REQUEST_AFTER_DECLINE_DAYS: i64 = 30;

impl InvoiceControls {
    /// A promise that has not fallen due on `today`. The debtor cannot move it (promising again before each
    /// date would hold reminders for ever); the creditor can change or clear it.
    pub fn standing_promise(&self, today: NaiveDate) -> Option<&Promise> {
        self.promise.as_ref().filter(|p| p.date >= today)
    }

    /// The first moment the debtor may ask for a plan again after the creditor declined one, if that is
    /// still ahead of `now`.
    pub fn plan_request_refused_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let again = self
            .plan_declined_at?
            .checked_add_signed(Duration::days(PLAN_REQUEST_AFTER_DECLINE_DAYS))?;
        (again > now).then_some(again)
    }
}

/// The creditor's one-time offer: the invoice is settled when `amount` in total has been paid by `pay_by`
/// (the creditor's local date); Duly then closes it in its own ledger and the creditor books the
/// write-off of the rest on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub amount: Money,
    pub pay_by: NaiveDate,
    pub offered_at: DateTime<Utc>,
    /// When Duly saw it met and told the creditor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<DateTime<Utc>>,
}

impl Settlement {
    /// Whether what has been paid of `total` (the platform's balance now, reported on `reported` in the
    /// creditor's zone) reaches the offer by its date.
    pub fn met(&self, total: Money, balance: Money, reported: NaiveDate) -> bool {
        total.currency == self.amount.currency
            && balance.currency == total.currency
            && total.minor.saturating_sub(balance.minor) >= self.amount.minor
            && reported <= self.pay_by
    }

    /// Offered and still open to the debtor on `today`.
    pub fn open_on(&self, today: NaiveDate) -> bool {
        self.settled_at.is_none() && today <= self.pay_by
    }
}

impl InvoiceControls {
    pub fn is_empty(&self) -> bool {
        self == &InvoiceControls::default()
    }
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

/// For `skip_serializing_if`: leave settings at their default out of the stored record.
pub fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

// The language lives below the records it is chosen from.
impl Language {
    /// The creditor's own language: the one they set, else their country's, else English.
    pub fn of_creditor(creditor: &Creditor) -> Language {
        Language::parse(&creditor.language)
            .or_else(|| Language::of_country(&creditor.country))
            .unwrap_or(Language::En)
    }
}

#[cfg(test)]
mod controls_tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_promise_stands_until_its_day_and_a_declined_plan_waits_thirty_days() {
        let now: DateTime<Utc> = "2026-12-02T09:00:00Z".parse().unwrap();
        let mut c = InvoiceControls {
            promise: Some(Promise {
                date: day("2026-12-10"),
                at: now,
            }),
            ..InvoiceControls::default()
        };
        assert!(c.standing_promise(day("2026-12-10")).is_some());
        assert!(
            c.standing_promise(day("2026-12-11")).is_none(),
            "fallen due: it may be made again"
        );
        assert_eq!(c.plan_request_refused_until(now), None);
        c.plan_declined_at = Some(now);
        let again: DateTime<Utc> = "2027-01-01T09:00:00Z".parse().unwrap();
        assert_eq!(c.plan_request_refused_until(now), Some(again));
        assert_eq!(c.plan_request_refused_until(again), None);
    }
}

#[cfg(test)]
mod erasure_tests {
    use super::*;

    #[test]
    fn an_erased_debtor_s_refused_addresses_stay_refused_as_digests_only() {
        let now: DateTime<Utc> = "2026-12-02T09:00:00Z".parse().unwrap();
        let mut c = DebtorControls::default();
        c.refuse(RefusedAddress {
            address: "ap@tamm.example".into(),
            why: "bounce".into(),
            at: now,
        });
        c.refuse(RefusedAddress {
            address: "cfo@tamm.example".into(),
            why: "complaint".into(),
            at: now,
        });
        c.erase_refused("salt".into());
        let kept = serde_json::to_string(&c).unwrap();
        assert!(!kept.contains("tamm.example"), "{kept}");
        assert!(c.refuses("AP@tamm.example") && c.refuses("cfo@tamm.example"));
        assert!(!c.refuses("new@tamm.example"));
    }
}
