//! Checking a hand-off bundle with nothing but the bundle: every hash it carries is computed again.
//!
//! - The chain: each link names the hash of the one before and hashes to what it says, from the debtor's
//!   first entry to the hand-off itself. The debtor's own entries are there whole; anyone else's only by
//!   the digest it was chained with.
//! - Each message as sent hashes to the content hash its entry recorded when it went out, and each answer
//!   to the hash its entry recorded when it was given.
//! - The bundle's whole body (contact, invoices, messages, answers) hashes to what the hand-off's entry
//!   recorded, so a byte changed anywhere shows, and the entry that no longer holds is named.
//!
//! What this cannot show is that the head is Duly's: compare it with the one the creditor's audit trail
//! shows (or one they kept).

use serde::Serialize;

use super::{answer_sha256, Body, Bundle, FORMAT};
use crate::audit::events::HANDED_OFF;
use crate::audit::{Entry, CHAINED_BY_DIGEST};

/// The content hash a hand-off's entry carries: the SHA-256 of the body's canonical JSON.
pub fn body_sha256(body: &Body) -> String {
    crate::audit::canonical_sha256(body)
}

/// A bundle that holds: what was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// Links followed, the debtor's own among them.
    pub links: usize,
    pub own_entries: usize,
    /// Messages whose content was checked against their entries.
    pub messages: usize,
    /// Answers whose words were checked against their entries.
    pub answers: usize,
    /// Messages listed without their content (kept no longer, or sent before messages were kept).
    pub messages_not_kept: usize,
    pub head: String,
}

/// Where a bundle stops holding: the entry (when one is to blame) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}{reason}", .seq.map(|s| format!("entry {s}: ")).unwrap_or_default())]
pub struct Broken {
    pub seq: Option<u64>,
    pub reason: String,
}

fn broken(seq: impl Into<Option<u64>>, reason: impl Into<String>) -> Broken {
    Broken {
        seq: seq.into(),
        reason: reason.into(),
    }
}

/// Checks a bundle as read from its JSON: its format, then every hash.
pub fn verify_json(json: &[u8]) -> Result<Verified, Broken> {
    let bundle: Bundle = serde_json::from_slice(json)
        .map_err(|e| broken(None, format!("not a hand-off bundle as Duly writes them: {e}")))?;
    verify(&bundle)
}

/// Checks every hash of `bundle`.
pub fn verify(bundle: &Bundle) -> Result<Verified, Broken> {
    if bundle.format != FORMAT {
        return Err(broken(None, format!("its format is not {FORMAT}")));
    }
    let links = &bundle.chain.links;
    let Some(first) = links.first() else {
        return Err(broken(None, "its chain is empty"));
    };
    let debtor = &bundle.body.contact.debtor_id;
    let (head, _) = crate::audit::verify(links, &first.previous, first.seq).map_err(|b| broken(b.seq, b.reason))?;
    let mut own: Vec<(u64, &Entry)> = Vec::new();
    for link in links {
        let Some(entry) = &link.entry else { continue };
        if entry.seq != link.seq {
            return Err(broken(link.seq, "its entry names another place in the chain"));
        }
        if &entry.debtor_id == debtor {
            own.push((link.seq, entry));
        } else if link.version == CHAINED_BY_DIGEST {
            // Someone else's entry is carried by its digest alone; whole, it would be out of place.
            return Err(broken(link.seq, "it is another customer's entry"));
        }
    }
    if head != bundle.chain.head {
        return Err(broken(None, "the chain does not end at the head it names"));
    }
    let messages = check_messages(&bundle.body, &own)?;
    let answers = check_answers(&bundle.body, &own)?;
    let (last_seq, last) = *own
        .last()
        .ok_or_else(|| broken(None, "none of the chain's entries is this customer's"))?;
    if last.event != HANDED_OFF || last_seq != links[links.len() - 1].seq {
        return Err(broken(last_seq, "the chain does not end with the hand-off"));
    }
    if last.content_sha256 != body_sha256(&bundle.body) {
        return Err(broken(
            last_seq,
            "the bundle's contents (contact, invoices, messages, answers) are not what the hand-off recorded",
        ));
    }
    Ok(Verified {
        links: links.len(),
        own_entries: own.len(),
        messages: messages.0,
        answers,
        messages_not_kept: messages.1,
        head: bundle.chain.head.clone(),
    })
}

/// Every send entry's content against the message as kept; returns (checked, not kept).
fn check_messages(body: &Body, own: &[(u64, &Entry)]) -> Result<(usize, usize), Broken> {
    let mut checked = 0;
    for (seq, entry) in own.iter().filter(|(_, e)| e.event == "message.sent") {
        let Some(message) = body.messages.iter().find(|m| m.sent_at == entry.message) else {
            return Err(broken(*seq, "the message it records is not in the bundle"));
        };
        let Some(sent) = &message.sent else { continue };
        if sent.content_sha256(&entry.channels).as_deref() != Some(entry.content_sha256.as_str()) {
            return Err(broken(
                *seq,
                format!("the message of {} is not what was sent", message.sent_at),
            ));
        }
        checked += 1;
    }
    for message in body.messages.iter().filter(|m| m.sent.is_some()) {
        let recorded = own
            .iter()
            .any(|(_, e)| e.event == "message.sent" && e.message == message.sent_at);
        if !recorded {
            return Err(broken(
                message.audit_seq,
                format!("the message of {} has no entry in the chain", message.sent_at),
            ));
        }
    }
    let not_kept = body.messages.iter().filter(|m| m.sent.is_none()).count();
    Ok((checked, not_kept))
}

/// Every answer's entry against the answer's words.
fn check_answers(body: &Body, own: &[(u64, &Entry)]) -> Result<usize, Broken> {
    let mut checked = 0;
    for answer in &body.answers {
        let Some(seq) = answer.audit_seq else { continue };
        let Some((_, entry)) = own.iter().find(|(s, _)| *s == seq) else {
            return Err(broken(seq, format!("the answer of {} is not in the chain", answer.at)));
        };
        if entry.message != answer.at
            || entry.content_sha256 != answer_sha256(&answer.action, &answer.invoices, &answer.detail)
        {
            return Err(broken(
                seq,
                format!("the answer of {} is not what was recorded", answer.at),
            ));
        }
        checked += 1;
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::super::sent::{Sent, SentEmail};
    use super::super::{AnswerLine, Chain, Contact, InvoiceLine, MessageLine};
    use super::*;
    use crate::audit::events::{ANSWERED, DEBTOR_CONTROLS};
    use crate::audit::{chained, content_sha256};

    fn entry(seq: u64, debtor: &str, event: &str, message: &str, content: String) -> Entry {
        Entry {
            seq,
            at: "2026-12-01T07:00:00Z".parse().unwrap(),
            debtor_id: debtor.into(),
            event: event.into(),
            message: message.into(),
            channels: if event == "message.sent" {
                vec!["email".into()]
            } else {
                vec![]
            },
            detail: format!("detail {seq}"),
            content_sha256: content,
            provider_ids: vec![],
            personal_digest: String::new(),
        }
    }

    /// Two other customers' entries around cus-1's message, answer and hand-off.
    fn bundle() -> Bundle {
        let sent = Sent {
            email: Some(SentEmail {
                subject: "Meeldetuletus: arve INV-1001".into(),
                html: "<p>Tere, <b>Tamm</b>!</p>".into(),
                text: "Tere, Tamm!\nArve INV-1001 (1250,00 €) ootab tasumist.".into(),
            }),
            sms: None,
        };
        let claimed = "2026-11-30T07:15:00.000000Z";
        let answered = "2026-12-03T10:00:00.000000Z";
        let answer = AnswerLine {
            at: answered.into(),
            action: "promise".into(),
            invoices: vec!["INV-1001".into()],
            detail: "will pay on 2026-12-18".into(),
            audit_seq: Some(4),
        };
        let mut body = Body {
            creditor: "Nordwind Tools OÜ".into(),
            made_at: "2026-12-11T09:00:00Z".parse().unwrap(),
            made_by: "Mari Maasikas".into(),
            language: "et".into(),
            contact: Contact {
                debtor_id: "cus-1".into(),
                name: "Tamm & Sons OÜ".into(),
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
                interest: None,
                compensation: Some("40.00".into()),
            }],
            messages: vec![MessageLine {
                sent_at: claimed.into(),
                subject: "Meeldetuletus: arve INV-1001".into(),
                status: "sent".into(),
                delivery: "delivery".into(),
                channels: vec!["email".into()],
                provider_ids: vec!["ses-1".into()],
                content_sha256: String::new(),
                audit_seq: Some(2),
                audit_hash: None,
                sent: Some(sent.clone()),
            }],
            answers: vec![answer.clone()],
        };
        let content = sent.content_sha256(&["email".to_string()]).unwrap();
        let said = answer_sha256(&answer.action, &answer.invoices, &answer.detail);
        let mut entries = vec![
            entry(1, "cus-9", "message.sent", "x", content_sha256(&["other"])),
            entry(2, "cus-1", "message.sent", claimed, content),
            entry(3, "cus-9", ANSWERED, "y", content_sha256(&["other"])),
            entry(4, "cus-1", ANSWERED, answered, said),
            entry(5, "cus-1", DEBTOR_CONTROLS, "", String::new()),
        ];
        body.messages[0].content_sha256 = entries[1].content_sha256.clone();
        entries.push(entry(6, "cus-1", HANDED_OFF, "", body_sha256(&body)));
        let stored = chained(entries);
        Bundle {
            format: FORMAT.into(),
            body,
            chain: Chain::of(&stored, "cus-1"),
        }
    }

    #[test]
    fn a_bundle_verifies_and_carries_no_one_elses_entry() {
        let b = bundle();
        let verified = verify(&b).unwrap();
        assert_eq!(
            (
                verified.links,
                verified.own_entries,
                verified.messages,
                verified.answers
            ),
            (5, 4, 1, 1)
        );
        // The chain starts at the debtor's first entry; the other customer's entry in it is a digest.
        assert_eq!(b.chain.links[0].seq, 2);
        assert!(b.chain.links[1].entry.is_none() && b.chain.links[1].digest.is_some());
        let json = serde_json::to_vec(&b).unwrap();
        assert!(!String::from_utf8_lossy(&json).contains("cus-9"));
        assert_eq!(verify_json(&json).unwrap(), verified);
    }

    #[test]
    fn one_byte_changed_anywhere_fails_naming_the_entry_where_it_still_reads_as_a_bundle() {
        let b = bundle();
        let json = serde_json::to_vec(&b).unwrap();
        // Only the format and the head stand outside every entry.
        let text = String::from_utf8(json.clone()).unwrap();
        let outside: Vec<std::ops::Range<usize>> = [FORMAT, b.chain.head.as_str()]
            .iter()
            .map(|v| {
                let at = text.find(&format!("\"{v}\"")).unwrap();
                at..at + v.len() + 2
            })
            .collect();
        let mut named = 0;
        for i in 0..json.len() {
            let mut changed = json.clone();
            changed[i] ^= 0x01;
            let context =
                String::from_utf8_lossy(&changed[i.saturating_sub(40)..(i + 40).min(json.len())]).into_owned();
            let refused = verify_json(&changed).expect_err(&format!("byte {i} changed and still verified: {context}"));
            let reads = serde_json::from_slice::<Bundle>(&changed).is_ok();
            if reads && !outside.iter().any(|r| r.contains(&i)) {
                assert!(refused.seq.is_some(), "byte {i}: {refused} names no entry: {context}");
                named += 1;
            }
        }
        assert!(named > json.len() / 2, "{named} of {} bytes", json.len());
    }

    #[test]
    fn the_entry_that_no_longer_holds_is_named() {
        let mut b = bundle();
        b.body.messages[0].sent.as_mut().unwrap().email.as_mut().unwrap().html = "<p>Tere!</p>".into();
        assert_eq!(verify(&b).unwrap_err().seq, Some(2));

        let mut b = bundle();
        b.body.answers[0].detail = "will pay on 2027-01-18".into();
        assert_eq!(verify(&b).unwrap_err().seq, Some(4));

        let mut b = bundle();
        b.body.invoices[0].amount_due = "250.00".into();
        let refused = verify(&b).unwrap_err();
        assert_eq!(refused.seq, Some(6));
        assert!(
            refused.to_string().starts_with("entry 6: the bundle's contents"),
            "{refused}"
        );

        let mut b = bundle();
        b.chain.links[2].entry.as_mut().unwrap().detail = "promise INV-1002".into();
        assert_eq!(verify(&b).unwrap_err().seq, Some(4));

        // Leaving the debtor's own entry out, or hiding it as a digest, breaks the chain or the proof.
        let mut b = bundle();
        b.chain.links.remove(2);
        assert_eq!(verify(&b).unwrap_err().seq, Some(4));
        let mut b = bundle();
        b.body.messages.clear();
        assert_eq!(verify(&b).unwrap_err().seq, Some(2));
    }
}
