//! Country rule packs: what a debtor's country expects of reminders, kept as data with a source per rule
//! (`data/country_rules.json`), and applied on top of the creditor's own schedule, the stricter winning.
//!
//! A pack may cap the written reminders before a formal demand, space the messages to a consumer further
//! apart, give a consumer days to object to the first notice before a formal demand may follow, narrow the
//! hours a channel may be used, and say what a formal demand there states. A country without a pack adds
//! nothing; a rule for consumers applies to debtors in the creditor's consumer groups.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::policy::{Channel, SendingWindow};

#[cfg(test)]
mod tests;

const DATA: &str = include_str!("../../data/country_rules.json");

/// How binding a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Law,
    /// What creditors there usually keep to.
    Practice,
    /// Proposed in parliament; kept as good practice.
    Bill,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub kind: Kind,
    /// The source's own name, as it is published: shown to creditors as it is, in its own language.
    pub title: String,
    pub url: String,
    /// What it says, in English, for whoever keeps the packs; never shown.
    pub note: String,
}

/// A number a rule sets, and the source it comes from (a key of the pack's sources).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub value: u32,
    pub source: String,
}

/// A way of reaching the debtor a rule may restrict; calls are the creditor's own, on the Calls page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Contact {
    Email,
    Sms,
    Call,
}

/// The local hours in which `channels` may reach a debtor on a business day.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub channels: Vec<Contact>,
    /// Only for consumers.
    #[serde(default)]
    pub consumers: bool,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerRules {
    /// No two messages to a consumer closer than this many hours.
    #[serde(default)]
    pub min_gap_hours: Option<Limit>,
    /// Days a consumer has, from the first overdue reminder, to object before a formal demand may follow.
    #[serde(default)]
    pub days_to_object: Option<Limit>,
}

/// What a formal demand (a final notice, a formal letter) states in the country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandItem {
    /// The amount owed, in total.
    Amount,
    /// Each invoice: its number, date and amount.
    Invoices,
    /// Interest and compensation, to the day.
    Interest,
    /// The day by which to pay.
    Deadline,
    /// The account and reference.
    HowToPay,
    /// How and until when the debtor may object.
    Objection,
    /// What the creditor will do if the demand is not met.
    NextStep,
}

impl DemandItem {
    /// The item's name in the data and in the wording's ids (`demand-item-{code}`).
    pub fn code(self) -> &'static str {
        match self {
            DemandItem::Amount => "amount",
            DemandItem::Invoices => "invoices",
            DemandItem::Interest => "interest",
            DemandItem::Deadline => "deadline",
            DemandItem::HowToPay => "how_to_pay",
            DemandItem::Objection => "objection",
            DemandItem::NextStep => "next_step",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    pub states: Vec<DemandItem>,
    /// The time to pay a demand gives there.
    pub pay_within_days: u32,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulePack {
    pub sources: BTreeMap<String, Source>,
    /// At most this many written reminders before the formal demand.
    #[serde(default)]
    pub written_before_demand: Option<Limit>,
    #[serde(default)]
    pub consumers: ConsumerRules,
    #[serde(default)]
    pub hours: Vec<Hours>,
    #[serde(default)]
    pub demand: Option<Demand>,
}

impl RulePack {
    pub fn source(&self, key: &str) -> Option<&Source> {
        self.sources.get(key)
    }
}

#[derive(Deserialize)]
struct File {
    #[serde(rename = "_about")]
    _about: String,
    #[serde(flatten)]
    packs: BTreeMap<String, RulePack>,
}

fn packs() -> &'static BTreeMap<String, RulePack> {
    static PACKS: OnceLock<BTreeMap<String, RulePack>> = OnceLock::new();
    // The file is compiled in; a test reads it, so a mistake in it fails the build's tests, not a send.
    PACKS.get_or_init(|| serde_json::from_str::<File>(DATA).map(|f| f.packs).unwrap_or_default())
}

/// The pack of a country (ISO 3166-1 alpha-2), if it has one.
pub fn pack(country: &str) -> Option<&'static RulePack> {
    packs().get(country)
}

/// Every country with a pack, in code order.
pub fn countries() -> impl Iterator<Item = (&'static str, &'static RulePack)> {
    packs().iter().map(|(c, p)| (c.as_str(), p))
}

/// Which of a country's rules holds a message back, with the number it sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// At most this many written reminders before the formal demand.
    WrittenBeforeDemand(u32),
    /// A consumer hears at most once in this many hours.
    ConsumerGap(u32),
    /// A consumer has this many days from the first notice to object before a formal demand.
    DaysToObject(u32),
}

/// A country's rule that decided something, to be named where the decision is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub country: &'static str,
    pub rule: Rule,
    pub kind: Kind,
}

/// The rules that apply to one debtor: their country's pack, read for a consumer or for a business.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// The country and its pack, where it has one.
    pack: Option<(&'static str, &'static RulePack)>,
    pub consumer: bool,
}

impl Applied {
    pub fn for_debtor(country: Option<&str>, consumer: bool) -> Applied {
        Applied {
            pack: country
                .and_then(|c| packs().get_key_value(c))
                .map(|(c, p)| (c.as_str(), p)),
            consumer,
        }
    }

    pub fn pack(&self) -> Option<&'static RulePack> {
        self.pack.map(|(_, p)| p)
    }

    fn binding(&self, limit: &Limit, rule: Rule) -> Option<Binding> {
        let (country, pack) = self.pack?;
        Some(Binding {
            country,
            rule,
            kind: pack.source(&limit.source).map_or(Kind::Law, |s| s.kind),
        })
    }

    /// The written reminders allowed before the final notice: the creditor's number, or the country's
    /// when it is lower (and then the rule that lowered it).
    pub fn max_written(&self, own: u32) -> (u32, Option<Binding>) {
        match self.pack().and_then(|p| p.written_before_demand.as_ref()) {
            Some(limit) if limit.value < own => {
                (limit.value, self.binding(limit, Rule::WrittenBeforeDemand(limit.value)))
            }
            _ => (own, None),
        }
    }

    /// The least hours between two messages: the creditor's, or a consumer rule's when it is longer.
    pub fn min_gap_hours(&self, own: u32) -> (u32, Option<Binding>) {
        let rule = self
            .pack()
            .filter(|_| self.consumer)
            .and_then(|p| p.consumers.min_gap_hours.as_ref());
        match rule {
            Some(limit) if limit.value > own => (limit.value, self.binding(limit, Rule::ConsumerGap(limit.value))),
            _ => (own, None),
        }
    }

    /// The days a consumer has to object to the first notice before a formal demand, where a rule says so,
    /// and that rule.
    pub fn days_to_object(&self) -> Option<(u32, Binding)> {
        let limit = self
            .pack()
            .filter(|_| self.consumer)?
            .consumers
            .days_to_object
            .as_ref()?;
        Some((limit.value, self.binding(limit, Rule::DaysToObject(limit.value))?))
    }

    /// The creditor's window narrowed to the hours the country allows for every one of `channels`.
    pub fn window(&self, own: SendingWindow, channels: &[Channel]) -> SendingWindow {
        let Some(pack) = self.pack() else {
            return own;
        };
        let used = |c: &Contact| {
            channels
                .iter()
                .any(|ch| matches!((ch, c), (Channel::Email, Contact::Email) | (Channel::Sms, Contact::Sms)))
        };
        let mut window = own;
        for hours in pack
            .hours
            .iter()
            .filter(|h| !h.consumers || self.consumer)
            .filter(|h| h.channels.iter().any(used))
        {
            window.start = window.start.max(hours.start);
            window.end = window.end.min(hours.end);
        }
        if window.start < window.end {
            window
        } else {
            own
        }
    }
}
