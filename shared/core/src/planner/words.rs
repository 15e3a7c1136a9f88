//! A plan in a reader's language: why an invoice is held and by what rule a message goes, for the app's
//! pages and the API's plan alike (the API follows `Accept-Language`, else the creditor's language).

use fluent_bundle::FluentArgs;

use super::{Deferral, Hold, RuleParts};
use crate::calendar::names::country_name;
use crate::calendar::Closed;
use crate::country_rules::{Binding, Contact, Kind, Rule, RulePack, Source};
use crate::locale::wording_or_id;
use crate::locale::{format_date, format_money, Language};
use crate::policy::precedence::Level;
use crate::policy::step_words::offset_words;

fn say(lang: Language, id: &str, args: &FluentArgs<'_>) -> String {
    wording_or_id(lang, id, args)
}

/// Why nothing (more) goes out for an invoice held so, in `lang`.
pub fn hold_words(hold: &Hold, lang: Language) -> String {
    let none = FluentArgs::new();
    let mut args = FluentArgs::new();
    match hold {
        Hold::NotOpen => say(lang, "plan-hold-not-open", &none),
        Hold::Disputed { reason } => {
            args.set("reason", reason.clone());
            say(lang, "plan-hold-disputed", &args)
        }
        Hold::Promised { date, resume_on } => {
            args.set("date", format_date(lang, *date));
            args.set("resume", format_date(lang, *resume_on));
            say(lang, "plan-hold-promised", &args)
        }
        Hold::SwitchedOff(s) => {
            let id = match s.decided_by {
                Level::Invoice => "plan-hold-off-invoice",
                Level::Debtor => "plan-hold-off-debtor",
                Level::Group => "plan-hold-off-group",
                Level::Creditor => "plan-hold-off-creditor",
            };
            let mut words = say(lang, id, &none);
            if let Some(until) = s.until {
                args.set("date", format_date(lang, until));
                words = format!("{words} {}", say(lang, "plan-hold-off-until", &args));
            }
            // The creditor's own note, as they wrote it.
            if s.reason.is_some() {
                let why = crate::handoff::pause_reason_words(lang, s.reason.as_deref());
                words = format!("{words} ({why})");
            }
            words
        }
        Hold::BelowMinimum { minimum } => {
            args.set("amount", format_money(lang, minimum));
            say(lang, "plan-hold-below-minimum", &args)
        }
        Hold::Finished => say(lang, "plan-hold-finished", &none),
        Hold::PlanRequested => say(lang, "plan-hold-plan-requested", &none),
        Hold::InstalmentMissed { due } => {
            args.set("date", format_date(lang, *due));
            say(lang, "plan-hold-instalment-missed", &args)
        }
        Hold::Settled { paid, .. } => {
            args.set("amount", format_money(lang, paid));
            say(lang, "plan-hold-settled", &args)
        }
    }
}

/// The rule behind a planned message, in `lang`: how far from the due date, whose schedule, and whether
/// a holiday or the sending limits moved it.
pub fn rule_text(lang: Language, rule: &RuleParts) -> String {
    let offset = offset_words(lang, rule.days, rule.business_days);
    let none = FluentArgs::new();
    let source = say(
        lang,
        if rule.group_steps {
            "web-rule-group"
        } else {
            "web-rule-default"
        },
        &none,
    );
    let mut text = format!("{offset} ({source})");
    if let Some((from, why)) = rule.moved_from {
        let mut args = FluentArgs::new();
        args.set("date", format_date(lang, from));
        args.set("why", closed_words(lang, why));
        text.push_str(&format!("; {}", say(lang, "web-rule-moved", &args)));
    }
    if let Some(binding) = rule.held_by {
        text.push_str(&format!("; {}", country_held_words(lang, binding)));
    }
    if let Some(deferral) = rule.deferred {
        text.push_str(&format!("; {}", deferral_words(lang, deferral)));
    }
    text
}

/// Why a day is closed, in `lang`: "the weekend", "jõululaupäev, EE".
pub fn closed_words(lang: Language, closed: Closed) -> String {
    match closed {
        Closed::Weekend => say(lang, "web-rule-closed-weekend", &FluentArgs::new()),
        Closed::Holiday(holiday) => {
            let mut args = FluentArgs::new();
            args.set("name", holiday.name(lang));
            args.set("country", holiday.country());
            say(lang, "web-rule-closed-holiday", &args)
        }
    }
}

/// Why a message went later than its moment, in `lang`.
pub fn deferral_words(lang: Language, deferral: Deferral) -> String {
    let none = FluentArgs::new();
    match deferral {
        Deferral::Gap => say(lang, "web-rule-later-gap", &none),
        Deferral::WeeklyCap => say(lang, "web-rule-later-cap", &none),
        Deferral::Hours => say(lang, "web-rule-later-hours", &none),
        Deferral::PlatformStale => say(lang, "web-rule-later-stale", &none),
        Deferral::Country(binding) => country_held_words(lang, binding),
        Deferral::Closed(closed) => {
            let mut args = FluentArgs::new();
            args.set("why", closed_words(lang, closed));
            say(lang, "web-rule-later-closed", &args)
        }
    }
}

/// A country's rule, in `lang`: "a consumer has 21 days from the first notice to object before a formal
/// demand".
pub fn country_rule_words(lang: Language, rule: Rule) -> String {
    let mut args = FluentArgs::new();
    let id = match rule {
        Rule::WrittenBeforeDemand(n) => {
            args.set("count", n);
            "country-rule-written"
        }
        Rule::ConsumerGap(hours) => {
            args.set("hours", hours);
            "country-rule-gap"
        }
        Rule::DaysToObject(days) => {
            args.set("days", days);
            "country-rule-object"
        }
    };
    say(lang, id, &args)
}

/// Every rule of a country's pack in `lang`, each with its source: what the Schedule page lists.
pub fn pack_words(lang: Language, pack: &'static RulePack) -> Vec<(String, Option<&'static Source>)> {
    let none = FluentArgs::new();
    let mut rules: Vec<(String, &str)> = Vec::new();
    if let Some(l) = &pack.written_before_demand {
        rules.push((country_rule_words(lang, Rule::WrittenBeforeDemand(l.value)), &l.source));
    }
    if let Some(l) = &pack.consumers.min_gap_hours {
        rules.push((country_rule_words(lang, Rule::ConsumerGap(l.value)), &l.source));
    }
    if let Some(l) = &pack.consumers.days_to_object {
        rules.push((country_rule_words(lang, Rule::DaysToObject(l.value)), &l.source));
    }
    for hours in &pack.hours {
        let channels: Vec<String> = hours
            .channels
            .iter()
            .map(|c| {
                let id = match c {
                    Contact::Email => "country-rule-contact-email",
                    Contact::Sms => "country-rule-contact-sms",
                    Contact::Call => "country-rule-contact-call",
                };
                say(lang, id, &none)
            })
            .collect();
        let mut args = FluentArgs::new();
        args.set("channels", channels.join(", "));
        args.set("start", hours.start.format("%H:%M").to_string());
        args.set("end", hours.end.format("%H:%M").to_string());
        rules.push((say(lang, "country-rule-hours", &args), &hours.source));
    }
    if let Some(demand) = &pack.demand {
        let items: Vec<String> = demand
            .states
            .iter()
            .map(|item| say(lang, &format!("demand-item-{}", item.code()), &none))
            .collect();
        let mut args = FluentArgs::new();
        args.set("items", items.join(", "));
        args.set("days", demand.pay_within_days);
        rules.push((say(lang, "country-rule-demand", &args), &demand.source));
    }
    rules
        .into_iter()
        .map(|(text, source)| (text, pack.source(source)))
        .collect()
}

/// How binding a rule is, in `lang`.
pub fn kind_words(lang: Language, kind: Kind) -> String {
    let id = match kind {
        Kind::Law => "country-rule-kind-law",
        Kind::Practice => "country-rule-kind-practice",
        Kind::Bill => "country-rule-kind-bill",
    };
    say(lang, id, &FluentArgs::new())
}

/// Why a message waits for a country's rule, in `lang`: "held by a rule of Latvia (law): …".
pub fn country_held_words(lang: Language, binding: Binding) -> String {
    let mut args = FluentArgs::new();
    args.set("country", country_name(lang, binding.country));
    args.set("kind", kind_words(lang, binding.kind));
    args.set("rule", country_rule_words(lang, binding.rule));
    say(lang, "plan-country-held", &args)
}
