//! The collection hand-off bundle: one debtor's whole record, ready for an agency or a lawyer, as JSON,
//! CSV and a printable page. Each message carries its delivery and the audit entry that proves it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::model::printable::{csv_row, page};

/// Why a handed-off debtor's reminders are off.
pub const HANDED_OFF: &str = "handed to collection";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub debtor_id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerLine {
    pub at: String,
    pub action: String,
    pub invoices: Vec<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bundle {
    pub creditor: String,
    pub made_at: DateTime<Utc>,
    pub made_by: String,
    pub contact: Contact,
    pub invoices: Vec<InvoiceLine>,
    pub messages: Vec<MessageLine>,
    pub answers: Vec<AnswerLine>,
    /// The audit chain's head when the bundle was made: later entries cannot have changed these.
    pub audit_head: String,
}

impl Bundle {
    /// One row per invoice, message and answer: `record,at,reference,detail,amount,currency,status,proof`.
    pub fn csv(&self) -> String {
        let mut out = String::from("record,at,reference,detail,amount,currency,status,proof\n");
        for i in &self.invoices {
            let due = i.due_date.to_string();
            let detail = match (&i.interest, &i.compensation) {
                (Some(interest), Some(c)) => format!("total {}; interest {interest}; compensation {c}", i.total),
                (Some(interest), None) => format!("total {}; interest {interest}", i.total),
                _ => format!("total {}", i.total),
            };
            out.push_str(&csv_row(&[
                "invoice",
                &due,
                &i.number,
                &detail,
                &i.amount_due,
                &i.currency,
                "open",
                "",
            ]));
        }
        for m in &self.messages {
            let proof = match (&m.audit_seq, &m.audit_hash) {
                (Some(seq), Some(hash)) => format!("audit #{seq} {hash}; content {}", m.content_sha256),
                _ => String::new(),
            };
            let status = match m.delivery.as_str() {
                "" => m.status.clone(),
                delivery => format!("{} ({delivery})", m.status),
            };
            out.push_str(&csv_row(&[
                "message",
                &m.sent_at,
                &m.provider_ids.join(" "),
                &m.subject,
                "",
                "",
                &status,
                &proof,
            ]));
        }
        for a in &self.answers {
            out.push_str(&csv_row(&[
                "answer",
                &a.at,
                &a.invoices.join(" "),
                &a.detail,
                "",
                "",
                &a.action,
                "",
            ]));
        }
        out
    }

    /// A page to print or save as PDF.
    pub fn html(&self) -> String {
        page("handoff", include_str!("../../templates/handoff.html.j2"), self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Bundle {
        Bundle {
            creditor: "Nordwind Tools OÜ".into(),
            made_at: "2026-12-02T09:00:00Z".parse().unwrap(),
            made_by: "Mari Maasikas".into(),
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
            }],
            answers: vec![],
            audit_head: "abc123".into(),
        }
    }

    #[test]
    fn the_csv_has_a_row_per_invoice_and_message_with_its_proof() {
        let csv = bundle().csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[1],
            "invoice,2026-12-01,INV-1001,total 1250.00; interest 2.75; compensation 40.00,1250.00,EUR,open,"
        );
        assert_eq!(
            lines[2],
            "message,2026-11-30T07:15:00Z,ses-1,Payment due <soon>,,,sent (delivery),audit #1 abc123; content c0ffee"
        );
    }

    #[test]
    fn the_page_escapes_what_the_debtor_and_platform_wrote() {
        let html = bundle().html();
        assert!(
            html.contains("Tamm &amp; Sons, OÜ") && html.contains("Payment due &lt;soon&gt;"),
            "{html}"
        );
        assert!(html.contains("abc123") && html.contains("Mari Maasikas"), "{html}");
    }
}
