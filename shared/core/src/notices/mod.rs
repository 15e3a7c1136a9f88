//! What the creditor is told about, in their own language, and when: each event as it happens, or one
//! digest a day at the local hour they chose.
//!
//! A notice is an event key (so the same event is told once however often it is seen), a kind that names
//! its wording, and the wording's arguments, already formatted for the creditor. Notices are kept as
//! plain data so a digest can be written later, from what was recorded.

mod digest;
pub mod settings;

pub use digest::{compose_digest, next_digest_at, MAX_DIGEST_NOTICES};
pub use settings::{Delivery, Notifications, Period};

use std::collections::BTreeMap;

use fluent_bundle::FluentArgs;
use serde::{Deserialize, Serialize};

use crate::locale::Language;
use crate::locale::{wording, WordingError};

/// Longest argument kept in a notice (a debtor's dispute reason, say): notices are e-mailed and stored.
const MAX_ARG_CHARS: usize = 500;

/// Longest event key: keys are part of a DynamoDB sort key.
const MAX_EVENT_CHARS: usize = 300;

/// What happened, which decides the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    AnswerPaid,
    AnswerPromise,
    AnswerDispute,
    AnswerUnsubscribe,
    /// The platform took Duly's access away.
    Revoked,
    /// Duly has not been able to catch up with the platform for a while.
    SyncFailing,
    /// An address bounced for good: no more e-mail to it.
    Bounced,
    /// The debtor marked a message as spam: no more e-mail to them.
    Complained,
    /// A reminder failed on every channel.
    DeadMessage,
    /// The creditor's own template failed on a real message.
    DeadTemplate,
    /// A platform resource could not be fetched.
    DeadSync,
    /// A settlement offer was met: the creditor books the write-off on the platform.
    Settled,
    /// The debtor asked to pay in instalments.
    AnswerPlan,
    /// An instalment was missed: the plan is broken and reminders are back to normal.
    PlanBroken,
    /// The month's spend reached the creditor's cap: reminders wait until it is raised or the month turns.
    SpendCapReached,
    /// The weekly or monthly report.
    Report,
    /// Last month's priced usage statement.
    UsageStatement,
    /// A call step fell due: the creditor is asked to phone the debtor.
    CallTask,
}

impl NoticeKind {
    /// The wording of the e-mail's subject. A notice whose headline names a debtor, an invoice or a template
    /// (text a tenant or a debtor wrote) has a subject of its own that names none: notices go to an address
    /// the creditor sets, and a subject from Duly's address must not carry anyone else's words.
    fn mail_subject(self) -> &'static str {
        match self {
            NoticeKind::AnswerPaid
            | NoticeKind::AnswerPromise
            | NoticeKind::AnswerDispute
            | NoticeKind::AnswerUnsubscribe
            | NoticeKind::AnswerPlan => "notify-answer-mail-subject",
            NoticeKind::Bounced => "notify-bounced-mail-subject",
            NoticeKind::Complained => "notify-complained-mail-subject",
            NoticeKind::DeadMessage => "notify-dead-message-mail-subject",
            NoticeKind::DeadTemplate => "notify-dead-template-mail-subject",
            NoticeKind::Settled => "notify-settled-mail-subject",
            NoticeKind::PlanBroken => "notify-plan-broken-mail-subject",
            NoticeKind::CallTask => "notify-call-mail-subject",
            other => other.wording().0,
        }
    }

    /// The wording of the headline (the app's lists and the digest's lines), and of the body's paragraphs.
    fn wording(self) -> (&'static str, &'static [&'static str]) {
        const ANSWER: &str = "notify-answer-subject";
        const FOOTER: &str = "notify-answer-footer";
        match self {
            NoticeKind::AnswerPaid => (ANSWER, &["notify-answer-paid", FOOTER]),
            NoticeKind::AnswerPromise => (ANSWER, &["notify-answer-promise", FOOTER]),
            NoticeKind::AnswerDispute => (ANSWER, &["notify-answer-dispute", FOOTER]),
            NoticeKind::AnswerUnsubscribe => (ANSWER, &["notify-answer-unsubscribe", FOOTER]),
            NoticeKind::Revoked => ("notify-revoked-subject", &["notify-revoked-body"]),
            NoticeKind::SyncFailing => ("notify-sync-failing-subject", &["notify-sync-failing-body"]),
            NoticeKind::Bounced => ("notify-bounced-subject", &["notify-bounced-body"]),
            NoticeKind::Complained => ("notify-complained-subject", &["notify-complained-body"]),
            NoticeKind::DeadMessage => ("notify-dead-message-subject", &["notify-dead-message-body"]),
            NoticeKind::DeadTemplate => ("notify-dead-template-subject", &["notify-dead-template-body"]),
            NoticeKind::DeadSync => ("notify-dead-sync-subject", &["notify-dead-sync-body"]),
            NoticeKind::Settled => ("notify-settled-subject", &["notify-settled-body"]),
            NoticeKind::AnswerPlan => (ANSWER, &["notify-answer-plan", FOOTER]),
            NoticeKind::PlanBroken => ("notify-plan-broken-subject", &["notify-plan-broken-body"]),
            NoticeKind::SpendCapReached => ("notify-spend-cap-subject", &["notify-spend-cap-body"]),
            NoticeKind::Report => ("notify-report-subject", &["notify-report-body"]),
            NoticeKind::UsageStatement => ("notify-usage-subject", &["notify-usage-body"]),
            NoticeKind::CallTask => ("notify-call-subject", &["notify-call-body"]),
        }
    }
}

/// A value a notice names, written as each reader's language writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NoticeValue {
    Day {
        day: chrono::NaiveDate,
    },
    Money {
        money: crate::model::money::Money,
    },
    /// `yyyy-mm`.
    Month {
        month: String,
    },
    /// A usage statement's lines.
    Usage {
        lines: Vec<crate::billing::Line>,
    },
}

impl NoticeValue {
    fn written(&self, lang: Language) -> String {
        use crate::locale::{format_date, format_money, format_month};
        match self {
            NoticeValue::Day { day } => format_date(lang, *day),
            NoticeValue::Money { money } => format_money(lang, money),
            NoticeValue::Month { month } => {
                let mut parts = month.splitn(2, '-').map(str::parse::<i64>);
                match (parts.next(), parts.next()) {
                    (Some(Ok(year)), Some(Ok(m))) => format_month(
                        lang,
                        i32::try_from(year).unwrap_or_default(),
                        u32::try_from(m).unwrap_or_default(),
                    ),
                    _ => month.clone(),
                }
            }
            NoticeValue::Usage { lines } => crate::billing::words::line_words(lang, lines),
        }
    }
}

/// One event to tell the creditor about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Names the event, e.g. `revoked:xero:2026-11-20`: the same key is told once.
    pub event: String,
    pub kind: NoticeKind,
    /// The wording's arguments that read the same in every language (names, numbers, codes).
    #[serde(default)]
    pub args: BTreeMap<String, String>,
    /// Arguments each reader gets in their own way (days, amounts, months), formatted when read: a notice
    /// is mailed in the creditor's language and listed in the app in each member's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, NoticeValue>,
    /// The web app's page where the creditor acts on it (`/app/answers`), linked from the e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

/// Whether a notice's event key, or the key of the item that stores it (which ends in the event), names
/// the debtor as one of its `:`- or `#`-separated parts: what erasure removes and an export includes.
pub fn event_names_debtor(key: &str, debtor: &str) -> bool {
    key.split([':', '#']).any(|part| part == debtor)
}

impl Notice {
    pub fn new(event: impl Into<String>, kind: NoticeKind) -> Notice {
        let event: String = event.into();
        Notice {
            event: event
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_EVENT_CHARS)
                .collect(),
            kind,
            args: BTreeMap::new(),
            values: BTreeMap::new(),
            page: None,
        }
    }

    /// The app page to act on it: a path under `/app/` of safe characters only.
    pub fn at_page(mut self, path: &str) -> Notice {
        let safe = path.starts_with("/app/")
            && path.len() <= MAX_EVENT_CHARS
            && path
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/-_.~%".contains(&b));
        self.page = safe.then(|| path.to_string());
        self
    }

    /// Adds an argument, cut to a bounded length.
    pub fn with(mut self, name: &str, value: impl AsRef<str>) -> Notice {
        let value = value.as_ref();
        let mut kept: String = value.chars().take(MAX_ARG_CHARS).collect();
        if kept.len() < value.len() {
            kept.push('…');
        }
        self.args.insert(name.to_string(), kept);
        self
    }

    /// Adds an argument each reader gets written their way.
    pub fn with_value(mut self, name: &str, value: NoticeValue) -> Notice {
        self.values.insert(name.to_string(), value);
        self
    }

    fn fluent_args(&self, lang: Language) -> FluentArgs<'_> {
        let mut args = FluentArgs::new();
        for (k, v) in &self.args {
            args.set(k.as_str(), v.as_str());
        }
        for (k, v) in &self.values {
            args.set(k.as_str(), v.written(lang));
        }
        args
    }

    /// The notice's headline in `lang`, as the app lists it and a digest names it.
    pub fn subject(&self, lang: Language) -> Result<String, WordingError> {
        wording(lang, self.kind.wording().0, &self.fluent_args(lang))
    }

    /// The subject of the e-mail that tells this one notice.
    pub fn mail_subject(&self, lang: Language) -> Result<String, WordingError> {
        wording(lang, self.kind.mail_subject(), &self.fluent_args(lang))
    }

    /// The notice's paragraphs in `lang`, separated by blank lines; with the app's base URL, a last one
    /// links the page to act on it.
    pub fn body(&self, lang: Language, app_url: Option<&str>) -> Result<String, WordingError> {
        let args = self.fluent_args(lang);
        let mut paragraphs = self
            .kind
            .wording()
            .1
            .iter()
            .map(|id| wording(lang, id, &args))
            .collect::<Result<Vec<_>, _>>()?;
        if let (Some(base), Some(page)) = (app_url, &self.page) {
            let mut link = FluentArgs::new();
            link.set("link", format!("{}{page}", base.trim_end_matches('/')));
            paragraphs.push(wording(lang, "notify-open", &link)?);
        }
        Ok(paragraphs.join("\n\n"))
    }
}

/// One e-mail to the creditor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    pub subject: String,
    /// Paragraphs separated by blank lines.
    pub text: String,
}

/// The e-mail telling the creditor about one notice; `app_url` is the web app's base URL, if known.
pub fn compose(lang: Language, notice: &Notice, app_url: Option<&str>) -> Result<Told, WordingError> {
    Ok(Told {
        subject: notice.mail_subject(lang)?,
        text: notice.body(lang, app_url)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn every_kind() -> Vec<Notice> {
        use NoticeKind::*;
        [
            AnswerPaid,
            AnswerPromise,
            AnswerDispute,
            AnswerUnsubscribe,
            Revoked,
            SyncFailing,
            Bounced,
            Complained,
            DeadMessage,
            DeadTemplate,
            DeadSync,
            Settled,
            AnswerPlan,
            PlanBroken,
            SpendCapReached,
            Report,
            UsageStatement,
            CallTask,
        ]
        .into_iter()
        .map(|kind| {
            Notice::new(format!("{kind:?}"), kind)
                .with("debtor", "Kowalski Sp. z o.o.")
                .with("invoices", "INV-7")
                .with("date", "12.12.2026")
                .with("reason", "not delivered")
                .with("platform", "Xero")
                .with("hours", "6")
                .with("language", "pl")
                .with("template", "email.html")
                .with("entity", "invoice")
                .with("resource", "0b1c")
                .with("cap", "250,00 €")
                .with("month", "2026-12")
                .with("from", "30.11.2026")
                .with("to", "06.12.2026")
                .with("sent", "12")
                .with("payments", "3")
                .with("after", "2")
                .with("risky", "1")
                .with("invoice", "INV-7")
                .with("paid", "800,00 €")
                .with("rest", "200,00 €")
                .with("count", "3")
                .with("total", "0,94 €")
                .with("lines", "E-kirjad: 13 × 0,05 € = 0,65 €")
                .with("phone", "+48501234567")
                .with("creditor", "Nordwind Tools OÜ")
                .with("window", "09:00–17:00")
        })
        .collect()
    }

    #[test]
    fn every_kind_has_wording_in_every_language() {
        for lang in Language::ALL {
            for notice in every_kind() {
                let told = compose(lang, &notice, None).unwrap_or_else(|e| panic!("{lang:?} {:?}: {e}", notice.kind));
                assert!(!told.subject.is_empty() && !told.text.is_empty());
            }
        }
    }

    /// Notices go to an address the creditor sets: a subject carrying a name, a number or a reason someone
    /// else wrote would let anyone put their words in a subject from Duly's address.
    #[test]
    fn no_subject_in_any_language_carries_text_a_tenant_or_debtor_wrote() {
        for lang in Language::ALL {
            for notice in every_kind() {
                let told = compose(lang, &notice, None).unwrap();
                for field in ["debtor", "invoices", "invoice", "reason", "template", "creditor"] {
                    let written = &notice.args[field];
                    assert!(
                        !told.subject.contains(written.as_str()),
                        "{lang:?} {:?}: {}",
                        notice.kind,
                        told.subject
                    );
                }
            }
        }
    }

    #[test]
    fn an_answer_names_the_debtor_in_the_text_never_in_the_subject() {
        let notice = Notice::new("answer:d1:1", NoticeKind::AnswerPromise)
            .with("debtor", "Kowalski Sp. z o.o.")
            .with("invoices", "INV-7")
            .with("date", "12.12.2026");
        let told = compose(Language::Pl, &notice, None).unwrap();
        // A debtor's name is text someone else wrote: the body carries it, the subject never.
        assert!(!told.subject.contains("Kowalski"), "{}", told.subject);
        assert!(
            told.text.contains("Kowalski Sp. z o.o.") && told.text.contains("12.12.2026") && told.text.contains("\n\n"),
            "{}",
            told.text
        );
    }

    #[test]
    fn a_notice_links_the_page_to_act_on_only_where_the_app_is_known() {
        let notice = Notice::new("answer:d1:1", NoticeKind::AnswerUnsubscribe)
            .with("debtor", "Tamm")
            .with("invoices", "INV-7")
            .at_page("/app/answers");
        let linked = compose(Language::Et, &notice, Some("https://app.duly.example/")).unwrap();
        assert!(
            linked.text.ends_with("Ava Dulys: https://app.duly.example/app/answers"),
            "{}",
            linked.text
        );
        assert!(!compose(Language::Et, &notice, None).unwrap().text.contains("https://"));
        for unsafe_page in ["https://evil.example/", "/app/x\"><script>", "/elsewhere"] {
            assert_eq!(
                Notice::new("e", NoticeKind::Revoked).at_page(unsafe_page).page,
                None,
                "{unsafe_page}"
            );
        }
    }

    #[test]
    fn arguments_and_event_keys_are_bounded() {
        let notice = Notice::new(format!("dead:{}\u{0}", "x".repeat(1000)), NoticeKind::AnswerDispute)
            .with("reason", "y".repeat(5000));
        assert_eq!(notice.event.chars().count(), MAX_EVENT_CHARS);
        assert!(!notice.event.contains('\u{0}'));
        assert_eq!(notice.args["reason"].chars().count(), MAX_ARG_CHARS + 1);
    }

    #[test]
    fn the_digest_hour_is_an_hour_of_the_day() {
        let mut n = Notifications::default();
        assert_eq!((n.delivery, n.digest_hour), (Delivery::Each, 8));
        n.digest_hour = 24;
        assert!(n.check().is_err());
        let parsed: Notifications = serde_json::from_str(r#"{"delivery":"daily"}"#).unwrap();
        assert_eq!((parsed.delivery, parsed.digest_hour), (Delivery::Daily, 8));
    }

    #[test]
    fn days_amounts_months_and_usage_are_written_as_each_reader_s_language_writes_them() {
        use crate::billing::{statement, Counts, PriceList};
        let counts = Counts {
            emails: 6,
            ..Counts::default()
        };
        let usage = statement("2026-11", &counts, &PriceList::default(), None);
        let notice = Notice::new("usage:2026-11", NoticeKind::UsageStatement)
            .with_value(
                "month",
                NoticeValue::Month {
                    month: "2026-11".into(),
                },
            )
            .with_value(
                "total",
                NoticeValue::Money {
                    money: crate::billing::euros(usage.total),
                },
            )
            .with_value(
                "lines",
                NoticeValue::Usage {
                    lines: usage.lines.clone(),
                },
            );
        let german = format!(
            "{} {}",
            notice.subject(Language::De).unwrap(),
            notice.body(Language::De, None).unwrap()
        );
        let estonian = format!(
            "{} {}",
            notice.subject(Language::Et).unwrap(),
            notice.body(Language::Et, None).unwrap()
        );
        assert!(
            german.contains("November 2026") && german.contains("E-Mails: 6 × 0,01"),
            "{german}"
        );
        assert!(
            estonian.contains("november 2026") && estonian.contains("E-kirjad: 6 × 0,01"),
            "{estonian}"
        );
        assert!(!german.contains("2026-11") && !german.contains("E-kirjad"), "{german}");
        // Stored and read back, the values keep their type.
        let stored: Notice = serde_json::from_str(&serde_json::to_string(&notice).unwrap()).unwrap();
        assert_eq!(stored, notice);
    }
}
