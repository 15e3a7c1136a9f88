//! Handing a debtor to collection: the bundle an agency or a lawyer needs, made from what Duly recorded;
//! making it stops Duly's reminders to that debtor and is itself recorded in the audit trail.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use duly_adapters::store::{Store, StoreError};
use duly_core::audit::events::{self, is_answer};
use duly_core::audit::Stored;
use duly_core::handoff::proof::body_sha256;
use duly_core::handoff::{AnswerLine, Body, Bundle, Chain, Contact, InvoiceLine, MessageLine, FORMAT, HANDED_OFF};
use duly_core::ledger::Invoice;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::money::Money;
use duly_core::model::Override;
use duly_core::model::{Creditor, Debtor};
use duly_core::policy::PolicyError;

use super::personal_data::{audit_after, debtor_answers, latest_audit};
use super::{change_debtor, SettingsError};
use duly_core::interest::charges::{charges, Overdue};
use duly_core::policy::precedence::group_of;

/// Makes the bundle of `debtor` as `made_by` (the creditor's staff member asking), stops their reminders
/// and records the hand-off in the audit trail.
pub async fn hand_off(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    made_by: &str,
    now: DateTime<Utc>,
) -> Result<Bundle, SettingsError> {
    let made_by = made_by.trim();
    if made_by.is_empty() || made_by.chars().count() > 200 {
        return Err(SettingsError::Invalid(
            PolicyError::new("requested_by", "invalid-requested-by").with("max", 200_i64),
        ));
    }
    let c = store
        .get_creditor(id)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))?;
    let d = store
        .get_debtor(id, debtor)
        .await?
        .ok_or(SettingsError::NotFound("debtor"))?;
    change_debtor(store, id, debtor, now, |_, d| {
        d.controls.reminders = Some(Override {
            on: false,
            until: None,
            reason: Some(HANDED_OFF.into()),
            set_at: now,
        });
        Ok(())
    })
    .await?;

    let today = now.with_timezone(&c.time_zone).date_naive();
    let open = store.open_invoices_of(id, debtor).await?;
    let charged = charges_today(store, &c, &d, &open, today).await?;
    let mut invoices = Vec::new();
    for invoice in &open {
        let (Some(doc), Some(balance)) = (&invoice.doc, &invoice.balance) else {
            continue;
        };
        let (interest, compensation) = charged.get(&invoice.invoice_id).copied().unwrap_or_default();
        let amount = |m: Option<Money>| m.map(|m| m.to_decimal().to_string());
        invoices.push(InvoiceLine {
            number: doc.number.clone(),
            currency: doc.total.currency.code().to_string(),
            total: doc.total.to_decimal().to_string(),
            amount_due: balance.amount_due.to_decimal().to_string(),
            due_date: doc.due_date,
            interest: amount(interest),
            compensation: amount(compensation),
        });
    }
    // The creditor's latest entries, read once: the debtor's among them prove the messages and answers,
    // and with what is appended after them they are the bundle's chain.
    let mut recent = latest_audit(store, id).await?;
    let audit: Vec<&Stored> = recent.iter().filter(|s| s.entry.debtor_id == debtor.as_str()).collect();
    let mut kept = store.kept_messages(id, debtor).await?;
    let messages = store
        .message_summaries(id, debtor)
        .await?
        .into_iter()
        .map(|m| {
            let sent = audit
                .iter()
                .find(|s| s.entry.event == "message.sent" && s.entry.message == m.claimed_at);
            let copy = kept
                .iter()
                .position(|k| k.claimed_at == m.claimed_at)
                .map(|at| kept.swap_remove(at).sent);
            MessageLine {
                channels: sent.map(|s| s.entry.channels.clone()).unwrap_or_default(),
                provider_ids: sent.map(|s| s.entry.provider_ids.clone()).unwrap_or_default(),
                content_sha256: sent.map(|s| s.entry.content_sha256.clone()).unwrap_or_default(),
                audit_seq: sent.map(|s| s.entry.seq),
                audit_hash: sent.map(|s| s.hash.clone()),
                sent_at: m.claimed_at,
                subject: m.subject,
                status: m.status,
                delivery: m.delivery,
                sent: copy,
            }
        })
        .collect();
    let answers = debtor_answers(store, id, debtor)
        .await?
        .into_iter()
        .map(|a| AnswerLine {
            audit_seq: audit
                .iter()
                .find(|s| s.entry.message == a.at && is_answer(&s.entry.event))
                .map(|s| s.entry.seq),
            at: a.at,
            action: a.action,
            invoices: a.invoices,
            detail: a.detail,
        })
        .collect();
    let body = Body {
        creditor: c.branding.trading_name.clone(),
        made_at: now,
        made_by: made_by.to_string(),
        language: c.language.clone(),
        contact: Contact {
            debtor_id: d.debtor_id.to_string(),
            name: d.name,
            email: d.email,
            phone: d.phone,
            country: d.country,
            language: d.language,
        },
        invoices,
        messages,
        answers,
    };
    // The hand-off's own entry carries the hash of everything the bundle tells, and closes its chain.
    crate::audit::append_proof(
        store,
        id,
        debtor,
        events::HANDED_OFF,
        format!("by {made_by}"),
        body_sha256(&body),
        now,
    )
    .await?;
    let read_to = recent.last().map_or(0, |s| s.entry.seq);
    recent.extend(audit_after(store, id, read_to).await?);
    let chain = chain_to_hand_off(&recent, debtor);
    Ok(Bundle {
        format: FORMAT.into(),
        body,
        chain,
    })
}

/// Interest and compensation to `today` of each of `open` (one debtor's), exactly as reminders show them:
/// interest left out where the rate table stops.
pub(crate) async fn charges_today(
    store: &Store,
    c: &Creditor,
    d: &Debtor,
    open: &[Invoice],
    today: NaiveDate,
) -> Result<HashMap<InvoiceId, (Option<Money>, Option<Money>)>, StoreError> {
    let mut out = HashMap::new();
    if !c.late_charges.interest && !c.late_charges.compensation {
        return Ok(out);
    }
    let group = group_of(c, Some(d)).map(|(name, _)| name);
    // Only what is past due can carry charges: an invoice not yet due costs no read.
    let open: Vec<&Invoice> = open
        .iter()
        .filter(|i| i.doc.as_ref().is_some_and(|doc| doc.due_date < today))
        .collect();
    let currencies: Vec<&str> = open
        .iter()
        .filter_map(|i| i.doc.as_ref().map(|d| d.total.currency.code()))
        .collect();
    let book = store.rate_book(&currencies).await?;
    for invoice in open {
        let history = store.balance_history(&c.creditor_id, &invoice.invoice_id).await?;
        let line = Overdue::of(invoice, history)
            .and_then(|o| charges(&book, &c.late_charges, &c.country, group, &[o], today))
            .and_then(|ch| ch.lines.into_iter().next());
        if let Some(line) = line {
            out.insert(invoice.invoice_id.clone(), (line.interest, line.compensation));
        }
    }
    Ok(out)
}

/// The chain from the debtor's first entry among `entries` to the hand-off just appended.
fn chain_to_hand_off(entries: &[Stored], debtor: &DebtorId) -> Chain {
    let last = entries
        .iter()
        .rposition(|s| s.entry.debtor_id == debtor.as_str() && s.entry.event == events::HANDED_OFF)
        .map_or(0, |at| at + 1);
    Chain::of(&entries[..last], debtor.as_str())
}
