//! The collection hand-off bundle: one debtor's whole record, ready for an agency or a lawyer, as JSON,
//! CSV and a printable page. Each message carries its delivery and the audit entry that proves it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use fluent_bundle::FluentArgs;

use crate::audit::{events, Entry};
use crate::calendar::names::country_name;
use crate::locale::answers::answer_words;
use crate::locale::{format_date, format_date_time, format_money, Language};
use crate::locale::{labels, wording_or_id};
use crate::model::money::Currency;
use crate::model::printable::{csv_row, page};

pub mod proof;
pub mod sent;

/// The content hash a debtor's answer is chained with: the action, its invoices and what they wrote.
pub fn answer_sha256(action: &str, invoices: &[String], detail: &str) -> String {
    crate::audit::content_sha256(&[action, &invoices.join(" "), detail])
}

/// Why a handed-off debtor's reminders are off.
pub const HANDED_OFF: &str = "handed to collection";

/// Why reminders to a customer are off, as a reader sees it: the creditor's own note as they wrote it, or
/// the hand-off that Duly itself noted, in `lang`.
pub fn pause_reason_words(lang: Language, reason: Option<&str>) -> String {
    match reason {
        Some(HANDED_OFF) => wording_or_id(lang, "web-debtor-handed-off", &FluentArgs::new()),
        Some(note) => note.to_string(),
        None => String::new(),
    }
}

/// What a bundle's JSON says it is; a verifier refuses anything else.
pub const FORMAT: &str = "duly-handoff-bundle/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub debtor_id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceLine {
    pub number: String,
    pub currency: String,
    pub total: String,
    pub amount_due: String,
    pub due_date: NaiveDate,
    /// Statutory (or agreed) interest to the bundle's day, where the creditor charges it.
    pub interest: Option<String>,
    pub compensation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageLine {
    pub sent_at: String,
    pub subject: String,
    /// `sent`, `partly_sent`, `failed`…
    pub status: String,
    /// What the provider said last (`delivery`, `bounce`, `complaint`), if anything.
    pub delivery: String,
    pub channels: Vec<String>,
    pub provider_ids: Vec<String>,
    pub content_sha256: String,
    /// The audit entry recording the send, and its chain hash.
    pub audit_seq: Option<u64>,
    pub audit_hash: Option<String>,
    /// The message as it was sent, while the creditor keeps it.
    pub sent: Option<sent::Sent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerLine {
    pub at: String,
    pub action: String,
    pub invoices: Vec<String>,
    pub detail: String,
    /// The audit entry that recorded it, for answers given since answers were chained.
    pub audit_seq: Option<u64>,
}

/// What the bundle tells: its every byte is hashed into the hand-off's own audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub creditor: String,
    pub made_at: DateTime<Utc>,
    pub made_by: String,
    /// The creditor's language, in which the printable page is made unless the reader asks for another.
    pub language: String,
    pub contact: Contact,
    pub invoices: Vec<InvoiceLine>,
    pub messages: Vec<MessageLine>,
    pub answers: Vec<AnswerLine>,
}

/// One place of the creditor's audit chain: the debtor's own entry whole, anyone else's by its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub seq: u64,
    pub previous: String,
    pub hash: String,
    /// The rule it was chained by.
    pub version: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<Entry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

impl crate::audit::Chained for Link {
    fn seq(&self) -> u64 {
        self.seq
    }
    fn previous(&self) -> &str {
        &self.previous
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn computed_hash(&self, previous: &str) -> Option<String> {
        use crate::audit::{chain_hash_by, link_hash, CHAINED_BY_DIGEST, CHAINED_BY_JSON};
        match (&self.entry, &self.digest, self.version) {
            (Some(entry), None, version @ (CHAINED_BY_DIGEST | CHAINED_BY_JSON)) => {
                Some(chain_hash_by(version, previous, entry))
            }
            (None, Some(digest), CHAINED_BY_DIGEST) => Some(link_hash(previous, digest)),
            _ => None,
        }
    }
}

/// The stretch of the chain from the debtor's first entry to the hand-off's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chain {
    pub head: String,
    pub links: Vec<Link>,
}

impl Chain {
    /// The links from the first of `debtor`'s entries among `entries` (oldest first, consecutive) to the
    /// last of them.
    pub fn of(entries: &[crate::audit::Stored], debtor: &str) -> Chain {
        let first = entries
            .iter()
            .position(|s| s.entry.debtor_id == debtor)
            .unwrap_or(entries.len());
        let links: Vec<Link> = entries[first..]
            .iter()
            .map(|s| {
                let own = s.entry.debtor_id == debtor || s.version != crate::audit::CHAINED_BY_DIGEST;
                Link {
                    seq: s.entry.seq,
                    previous: s.previous.clone(),
                    hash: s.hash.clone(),
                    version: s.version,
                    entry: own.then(|| s.entry.clone()),
                    digest: (!own).then(|| crate::audit::entry_digest(&s.entry)),
                }
            })
            .collect();
        Chain {
            head: links.last().map(|l| l.hash.clone()).unwrap_or_default(),
            links,
        }
    }

    /// The debtor's own entries.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.links.iter().filter_map(|l| l.entry.as_ref())
    }
}

/// A debtor's record as handed to collection, with the proof of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub body: Body,
    pub chain: Chain,
}

/// A message's status and delivery by name, in `lang`.
fn status_words(lang: Language, m: &MessageLine) -> String {
    let none = FluentArgs::new();
    let word = |id: &str| wording_or_id(lang, id, &none);
    let status = match m.status.as_str() {
        s @ ("sent" | "partly_sent" | "failed" | "claimed" | "abandoned") => word(&format!("web-status-{s}")),
        other => other.to_string(),
    };
    match m.delivery.as_str() {
        "" => status,
        d @ ("delivery" | "bounce" | "complaint" | "sms-delivered" | "sms-failed") => {
            format!("{status} ({})", word(&format!("web-delivery-{d}")))
        }
        other => format!("{status} ({other})"),
    }
}

/// What an audit entry records, by name, in `lang`; an event not named here keeps its code.
pub fn event_words(lang: Language, event: &str) -> String {
    let none = FluentArgs::new();
    let key = match event {
        events::ANSWERED => "handoff-event-answered",
        events::DEBTOR_CONTROLS => "handoff-event-debtor-controls",
        events::INVOICE_CONTROLS => "handoff-event-invoice-controls",
        events::HANDED_OFF => "handoff-event-handed-off",
        events::DISPUTE_RESOLVED => "handoff-event-dispute-resolved",
        e if e.starts_with(events::CALL) => "handoff-event-call",
        other => return other.to_string(),
    };
    wording_or_id(lang, key, &none)
}

/// What an entry of the trail says, in `lang`: the switches a change named, the invoice it was about, who
/// asked for a hand-off, what an answer was; never a field's code.
pub fn detail_words(lang: Language, event: &str, detail: &str) -> String {
    let none = FluentArgs::new();
    let fields = |list: &str| {
        let mut words: Vec<String> = list
            .split(", ")
            .filter(|f| !f.is_empty())
            // A field the language files name has its words; any other is one of "other settings".
            .map(|f| {
                crate::locale::wording(lang, &format!("handoff-field-{}", f.replace('_', "-")), &none)
                    .unwrap_or_else(|_| wording_or_id(lang, "handoff-field-other", &none))
            })
            .collect();
        words.dedup();
        words.join(", ")
    };
    match event {
        events::DEBTOR_CONTROLS => fields(detail),
        events::INVOICE_CONTROLS => match detail.strip_prefix("invoice ").and_then(|d| d.split_once(": ")) {
            Some((invoice, list)) => format!("{invoice}: {}", fields(list)),
            None => String::new(),
        },
        events::HANDED_OFF => detail.strip_prefix("by ").unwrap_or_default().to_string(),
        events::DISPUTE_RESOLVED => detail.strip_prefix("invoice ").unwrap_or_default().to_string(),
        e if events::is_answer(e) => match detail.split_once(' ') {
            Some((action, invoices)) => format!("{}: {invoices}", action_words(lang, action)),
            None => action_words(lang, detail),
        },
        _ => String::new(),
    }
}

/// A debtor's answer by name, in `lang`.
fn action_words(lang: Language, action: &str) -> String {
    let none = FluentArgs::new();
    match action {
        "paid" | "promise" | "dispute" | "unsubscribe" | "call" => {
            wording_or_id(lang, &format!("web-answer-{action}"), &none)
        }
        "plan" => wording_or_id(lang, "answer-plan-send", &none),
        other => other.to_string(),
    }
}

impl Bundle {
    /// One row per invoice, message and answer (record, at, reference, detail, amount, currency, status,
    /// proof), labelled in `lang` with amounts as plain decimals and times as RFC 3339 for a spreadsheet.
    pub fn csv(&self, lang: Language) -> String {
        let none = FluentArgs::new();
        let word = |id: &str| wording_or_id(lang, id, &none);
        let header = [
            "record",
            "at",
            "reference",
            "detail",
            "amount",
            "currency",
            "status",
            "proof",
        ]
        .map(|h| word(&format!("handoff-csv-{h}")));
        let mut out = csv_row(&header.each_ref().map(String::as_str));
        let (invoice, open) = (word("handoff-invoice"), word("handoff-csv-open"));
        for i in &self.body.invoices {
            let due = i.due_date.to_string();
            let mut detail = vec![format!("{} {}", word("handoff-total"), i.total)];
            if let Some(interest) = &i.interest {
                detail.push(format!("{} {interest}", word("handoff-interest")));
            }
            if let Some(c) = &i.compensation {
                detail.push(format!("{} {c}", word("handoff-compensation")));
            }
            out.push_str(&csv_row(&[
                &invoice,
                &due,
                &i.number,
                &detail.join("; "),
                &i.amount_due,
                &i.currency,
                &open,
                "",
            ]));
        }
        let message = word("handoff-csv-message");
        for m in &self.body.messages {
            let proof = match (&m.audit_seq, &m.audit_hash) {
                (Some(seq), Some(hash)) => {
                    let mut args = FluentArgs::new();
                    args.set("seq", *seq);
                    format!(
                        "{} {hash}; {} {}",
                        wording_or_id(lang, "handoff-audit-entry", &args),
                        word("handoff-content"),
                        m.content_sha256
                    )
                }
                _ => String::new(),
            };
            out.push_str(&csv_row(&[
                &message,
                &m.sent_at,
                &m.provider_ids.join(" "),
                &m.subject,
                "",
                "",
                &status_words(lang, m),
                &proof,
            ]));
        }
        let answer = word("handoff-answer");
        for a in &self.body.answers {
            out.push_str(&csv_row(&[
                &answer,
                &a.at,
                &a.invoices.join(" "),
                &a.detail,
                "",
                "",
                &action_words(lang, &a.action),
                "",
            ]));
        }
        out
    }

    /// A page to print or save as PDF, in the reader's language: its words from the language files, dates
    /// and amounts as the language writes them, statuses and answers by name rather than code.
    pub fn html(&self, lang: Language) -> String {
        let none = FluentArgs::new();
        let word = |id: &str| wording_or_id(lang, id, &none);
        let labels = labels(
            lang,
            "handoff",
            &[
                "heading",
                "chain-head",
                "debtor",
                "id",
                "name",
                "email",
                "phone",
                "country",
                "language",
                "open",
                "invoice",
                "due",
                "total",
                "due-now",
                "interest",
                "compensation",
                "messages",
                "sent",
                "subject",
                "channels",
                "status",
                "proof",
                "provider",
                "content",
                "answers",
                "when",
                "answer",
                "invoices",
                "wrote",
                "as-sent",
                "actions",
                "entry",
                "what",
                "detail",
                "verify",
            ],
        );
        let money = |currency: &str, amount: &str| {
            Currency::parse(currency)
                .ok()
                .and_then(|c| c.parse_amount(amount).ok())
                .map(|m| format_money(lang, &m))
                .unwrap_or_else(|| format!("{amount} {currency}"))
        };
        let moment = |raw: &str| {
            raw.parse::<DateTime<Utc>>()
                .map(|t| format!("{} UTC", format_date_time(lang, chrono_tz::UTC, t)))
                .unwrap_or_else(|_| raw.to_string())
        };
        let c = &self.body.contact;
        let mut args = FluentArgs::new();
        args.set(
            "debtor",
            if c.name.is_empty() {
                c.debtor_id.clone()
            } else {
                c.name.clone()
            },
        );
        let title = wording_or_id(lang, "handoff-title", &args);
        let mut args = FluentArgs::new();
        args.set("creditor", self.body.creditor.clone());
        args.set("by", self.body.made_by.clone());
        args.set("at", moment(&self.body.made_at.to_rfc3339()));
        let prepared = wording_or_id(lang, "handoff-prepared", &args);
        let channel = |ch: &str| match ch {
            "email" | "sms" => word(&format!("report-channel-{ch}")),
            other => other.to_string(),
        };
        let status = |m: &MessageLine| status_words(lang, m);
        let action = |a: &str| action_words(lang, a);
        let view = serde_json::json!({
            "lang": lang.code(),
            "title": title,
            "prepared": prepared,
            "t": labels,
            "audit_head": self.chain.head,
            "contact": {
                "debtor_id": c.debtor_id,
                "name": c.name,
                "email": c.email.clone().unwrap_or_default(),
                "phone": c.phone.clone().unwrap_or_default(),
                "country": c.country.as_deref().map(|code| country_name(lang, code)).unwrap_or_default(),
                "language": c.language.as_deref().and_then(Language::parse)
                    .map(|l| word(&format!("web-language-{}", l.code()))).unwrap_or_default(),
            },
            "invoices": self.body.invoices.iter().map(|i| serde_json::json!({
                "number": i.number,
                "due_date": format_date(lang, i.due_date),
                "total": money(&i.currency, &i.total),
                "amount_due": money(&i.currency, &i.amount_due),
                "interest": i.interest.as_deref().map(|a| money(&i.currency, a)).unwrap_or_default(),
                "compensation": i.compensation.as_deref().map(|a| money(&i.currency, a)).unwrap_or_default(),
            })).collect::<Vec<_>>(),
            "messages": self.body.messages.iter().map(|m| serde_json::json!({
                "sent_at": moment(&m.sent_at),
                "subject": m.subject,
                "channels": m.channels.iter().map(|ch| channel(ch)).collect::<Vec<_>>().join(", "),
                "status": status(m),
                "audit": m.audit_seq.map(|seq| {
                    let mut args = FluentArgs::new();
                    args.set("seq", seq);
                    wording_or_id(lang, "handoff-audit-entry", &args)
                }),
                "audit_hash": m.audit_hash,
                "provider_ids": m.provider_ids.join(", "),
                "content_sha256": m.content_sha256,
                "text": m.sent.as_ref().map(|s| {
                    let mut words: Vec<&str> = Vec::new();
                    if let Some(e) = &s.email { words.push(&e.text) }
                    if let Some(sms) = &s.sms { words.push(sms) }
                    words.join("\n\n")
                }),
                "html": m.sent.as_ref().and_then(|s| s.email.as_ref()).map(|e| e.html.clone()),
            })).collect::<Vec<_>>(),
            "actions": self.chain.entries()
                .filter(|e| !matches!(e.event.as_str(), "message.sent" | "message.delivery"))
                .map(|e| serde_json::json!({
                    "seq": e.seq,
                    "at": moment(&e.at.to_rfc3339()),
                    "event": event_words(lang, &e.event),
                    "detail": detail_words(lang, &e.event, &e.detail),
                })).collect::<Vec<_>>(),
            "links": self.chain.links.len(),
            "answers": self.body.answers.iter().map(|a| serde_json::json!({
                "at": moment(&a.at),
                "action": action(&a.action),
                "invoices": a.invoices.join(", "),
                "said": answer_words(lang, &a.action, &a.detail).unwrap_or_default(),
            })).collect::<Vec<_>>(),
        });
        page("handoff", include_str!("../../templates/handoff.html.j2"), &view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Bundle {
        Bundle {
            format: FORMAT.into(),
            body: Body {
                creditor: "Nordwind Tools OÜ".into(),
                made_at: "2026-12-02T09:00:00Z".parse().unwrap(),
                made_by: "Mari Maasikas".into(),
                language: "et".into(),
                contact: Contact {
                    debtor_id: "cus-1".into(),
                    name: "Tamm & Sons, OÜ".into(),
                    email: Some("ap@tamm.example".into()),
                    phone: None,
                    country: Some("EE".into()),
                    language: Some("et".into()),
                },
                invoices: vec![InvoiceLine {
                    number: "INV-1001".into(),
                    currency: "EUR".into(),
                    total: "1250.00".into(),
                    amount_due: "1250.00".into(),
                    due_date: "2026-12-01".parse().unwrap(),
                    interest: Some("2.75".into()),
                    compensation: Some("40.00".into()),
                }],
                messages: vec![MessageLine {
                    sent_at: "2026-11-30T07:15:00Z".into(),
                    subject: "Payment due <soon>".into(),
                    status: "sent".into(),
                    delivery: "delivery".into(),
                    channels: vec!["email".into()],
                    provider_ids: vec!["ses-1".into()],
                    content_sha256: "c0ffee".into(),
                    audit_seq: Some(1),
                    audit_hash: Some("abc123".into()),
                    sent: Some(sent::Sent {
                        email: Some(sent::SentEmail {
                            subject: "Payment due <soon>".into(),
                            html: "<p>Dear <b>Tamm</b></p>".into(),
                            text: "Dear Tamm,\nINV-1001 is due.".into(),
                        }),
                        sms: None,
                    }),
                }],
                answers: vec![],
            },
            chain: Chain {
                head: "abc123".into(),
                links: vec![],
            },
        }
    }

    #[test]
    fn the_csv_has_a_row_per_invoice_and_message_with_its_proof() {
        let csv = bundle().csv(Language::En);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[1],
            "Invoice,2026-12-01,INV-1001,Total 1250.00; Interest 2.75; Compensation 40.00,1250.00,EUR,open,"
        );
        assert_eq!(
            lines[2],
            "Message,2026-11-30T07:15:00Z,ses-1,Payment due <soon>,,,sent (delivered),audit entry 1 abc123; content hash c0ffee"
        );
        // In Polish: its words, the same figures and proof.
        let polish = bundle().csv(Language::Pl);
        let polish: Vec<&str> = polish.lines().collect();
        assert!(
            polish[1].starts_with("Faktura,2026-12-01,INV-1001,") && polish[1].ends_with(",1250.00,EUR,otwarta,"),
            "{polish:?}"
        );
        assert_eq!(
            polish[2],
            "Wiadomość,2026-11-30T07:15:00Z,ses-1,Payment due <soon>,,,wysłano (dostarczono),wpis audytu 1 abc123; skrót treści c0ffee"
        );
    }

    #[test]
    fn the_page_escapes_what_the_debtor_and_platform_wrote() {
        let html = bundle().html(Language::En);
        assert!(
            html.contains("Tamm &amp; Sons, OÜ") && html.contains("Payment due &lt;soon&gt;"),
            "{html}"
        );
        assert!(html.contains("abc123") && html.contains("Mari Maasikas"), "{html}");
        // The message as sent: its text, and its HTML only inside a sandboxed frame, escaped.
        assert!(html.contains("Dear Tamm,\nINV-1001 is due."), "{html}");
        assert!(
            html.contains(r#"<iframe sandbox="" title="Payment due &lt;soon&gt;" srcdoc="&lt;p&gt;Dear &lt;b&gt;Tamm&lt;&#x2f;b&gt;&lt;&#x2f;p&gt;">"#),
            "{html}"
        );
        assert!(!html.contains("<b>Tamm</b>"), "{html}");
    }

    #[test]
    fn the_page_is_in_the_readers_language_with_its_dates_amounts_and_words() {
        let html = bundle().html(Language::Et);
        assert!(
            html.contains("<html lang=\"et\">") && html.contains("<h1>Üleandmine inkassole</h1>"),
            "{html}"
        );
        assert!(
            html.contains("<td>01.12.2026</td>") && html.contains("1250,00\u{a0}€"),
            "{html}"
        );
        assert!(
            html.contains("30.11.2026 07:15 UTC") && html.contains("saadetud (kohale toimetatud)"),
            "{html}"
        );
        assert!(
            html.contains("<td>Eesti</td>") && html.contains("<td>eesti</td>"),
            "{html}"
        );
    }

    #[test]
    fn the_hand_off_is_named_in_the_readers_language_and_a_creditors_note_as_written() {
        assert_eq!(
            pause_reason_words(Language::De, Some(HANDED_OFF)),
            "An das Inkasso übergeben."
        );
        assert_eq!(pause_reason_words(Language::De, Some("Urlaub")), "Urlaub");
        for lang in Language::ALL {
            assert_ne!(pause_reason_words(lang, Some(HANDED_OFF)), HANDED_OFF, "{lang:?}");
        }
    }

    #[test]
    fn what_was_done_is_said_in_words_and_never_as_a_fields_code() {
        let lang = Language::De;
        assert_eq!(
            detail_words(lang, "debtor.controls", "reminders"),
            "Erinnerungen an oder aus"
        );
        assert_eq!(
            detail_words(lang, "invoice.controls", "invoice 1001: plan, plan_request"),
            "1001: Ratenplan, Ratenzahlung erbeten"
        );
        assert_eq!(
            detail_words(lang, "debtor.controls", "earlier_refused"),
            "andere Einstellungen"
        );
        assert_eq!(
            detail_words(lang, events::HANDED_OFF, "by Mari Maasikas"),
            "Mari Maasikas"
        );
        for lang in Language::ALL {
            let said = detail_words(lang, "invoice.controls", "invoice 1001: promise");
            assert!(
                said != "1001: promise" && !said.contains("handoff-"),
                "{lang:?}: {said}"
            );
        }
    }
}
