//! The formal letter: a final notice as a pre-litigation demand on the creditor's letterhead, worded as
//! the debtor's country expects a demand to be (its rule pack's `demand`: what it states, and the days it
//! gives to pay), with the open invoices, their interest and compensation to the day, and how to pay.
//! This is the letter as plain text in the debtor's language; `duly-letter` lays it out as a PDF.

use std::collections::HashMap;

use chrono::NaiveDate;
use fluent_bundle::FluentArgs;
use serde::Serialize;

use crate::calendar::bounds;
use crate::calendar::names::country_name;
use crate::country_rules::{Applied, DemandItem};
use crate::ledger::Invoice;
use crate::locale::{format_amounts, format_date, format_money, Language};
use crate::messages::render::{wording, RenderError};
use crate::model::ids::InvoiceId;
use crate::model::money::{per_currency, Money};
use crate::model::{Creditor, Debtor};
use crate::webhooks::canonical::safe_https_url;

/// The most invoices one letter lists; a debtor with more gets a letter about the oldest.
pub const MAX_LETTER_LINES: usize = 200;
/// What a demand states, and the days to pay, where the debtor's country has no pack.
const DEFAULT_STATES: [DemandItem; 6] = [
    DemandItem::Amount,
    DemandItem::Invoices,
    DemandItem::Interest,
    DemandItem::Deadline,
    DemandItem::HowToPay,
    DemandItem::NextStep,
];
const DEFAULT_PAY_WITHIN_DAYS: u32 = 14;
/// Pay links listed under "how to pay": the rest are on the debtor's page.
const MAX_PAY_LINKS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterLine {
    pub number: String,
    pub due_date: String,
    pub amount_due: String,
    pub interest: String,
    pub compensation: String,
}

/// A formal letter, every word in the debtor's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    pub lang: &'static str,
    /// `#rrggbb`, for the letterhead's rule.
    pub brand_colour: String,
    /// The creditor: name first, then address, registry and VAT numbers, e-mail.
    pub letterhead: Vec<String>,
    /// The debtor: name, e-mail, country.
    pub recipient: Vec<String>,
    pub date: String,
    pub title: String,
    pub greeting: String,
    pub before_table: Vec<String>,
    /// Invoice, due date, amount due, interest, compensation.
    pub columns: [String; 5],
    /// Whether any line carries interest or compensation (else those columns are left out).
    pub charged: bool,
    pub lines: Vec<LetterLine>,
    /// The total's label and one sum per currency, charges included.
    pub total: (String, String),
    pub after_table: Vec<String>,
    pub closing: String,
    pub signature: Vec<String>,
    pub footer: Option<String>,
    /// "Page {page} of {pages}", with the two placeholders left for the layout to fill.
    pub page_label: String,
    /// The letter's items as the country's pack lists them, for checking what it states.
    pub states: Vec<DemandItem>,
}

pub struct LetterInput<'a> {
    pub creditor: &'a Creditor,
    pub debtor: &'a Debtor,
    pub invoices: &'a [Invoice],
    /// Interest and compensation to `today`, per invoice, where the creditor charges them.
    pub charges: &'a HashMap<InvoiceId, (Option<Money>, Option<Money>)>,
    pub lang: Language,
    /// The creditor's today: the letter's date, from which its deadline counts.
    pub today: NaiveDate,
    /// The debtor's country's rules (see [`crate::calendar::calendar_for`]).
    pub rules: &'a Applied,
}

/// A file name for the letter: `demand-INV-1008-2026-12-16.pdf`, of the oldest invoice it lists.
pub fn file_name(letter: &Letter, today: NaiveDate) -> String {
    let number: String = letter
        .lines
        .first()
        .map(|l| l.number.as_str())
        .unwrap_or("account")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .take(40)
        .collect();
    format!("demand-{number}-{today}.pdf")
}

pub fn formal_letter(input: &LetterInput<'_>) -> Result<Letter, RenderError> {
    let lang = input.lang;
    let say = |id: &str, args: &FluentArgs<'_>| wording(lang, id, args);
    let none = FluentArgs::new();
    let branding = &input.creditor.branding;
    let demand = input.rules.pack().and_then(|p| p.demand.as_ref());
    let states: Vec<DemandItem> = demand.map_or(DEFAULT_STATES.to_vec(), |d| d.states.clone());
    let pay_within = demand.map_or(DEFAULT_PAY_WITHIN_DAYS, |d| d.pay_within_days);
    let deadline = format_date(lang, bounds::shift(input.today, i64::from(pay_within)));
    let has = |item: DemandItem| states.contains(&item);

    let mut open: Vec<(&Invoice, &crate::ledger::InvoiceDoc, Money)> = input
        .invoices
        .iter()
        .filter(|i| i.is_open())
        .filter_map(|i| Some((i, i.doc.as_ref()?, i.balance?.amount_due)))
        .collect();
    open.sort_by(|(_, a, _), (_, b, _)| (a.due_date, &a.number).cmp(&(b.due_date, &b.number)));
    open.truncate(MAX_LETTER_LINES);

    let mut owed: Vec<Money> = Vec::new();
    let mut due_only: Vec<Money> = Vec::new();
    let mut lines = Vec::with_capacity(open.len());
    let mut charged = false;
    for (invoice, doc, amount) in &open {
        let (interest, compensation) = input.charges.get(&invoice.invoice_id).copied().unwrap_or_default();
        let interest = interest.filter(|m| m.minor > 0 && m.currency == amount.currency);
        let compensation = compensation.filter(|m| m.minor > 0 && m.currency == amount.currency);
        charged |= interest.is_some() || compensation.is_some();
        due_only.push(*amount);
        owed.push(*amount);
        owed.extend(interest.iter().chain(compensation.iter()).copied());
        let shown = |m: Option<Money>| m.map(|m| format_money(lang, &m)).unwrap_or_default();
        lines.push(LetterLine {
            number: doc.number.clone(),
            due_date: format_date(lang, doc.due_date),
            amount_due: format_money(lang, amount),
            interest: shown(interest),
            compensation: shown(compensation),
        });
    }
    let total = format_amounts(lang, &per_currency(&owed));
    let amount = format_amounts(lang, &per_currency(&due_only));

    let mut letterhead = vec![branding.trading_name.clone()];
    letterhead.extend(branding.address.iter().flat_map(|a| a.lines().map(str::to_string)));
    let mut numbers = Vec::new();
    if let Some(code) = &branding.registry_code {
        numbers.push(format!("{} {code}", say("label-registry", &none)?));
    }
    if let Some(vat) = &branding.vat_number {
        numbers.push(format!("{} {vat}", say("label-vat", &none)?));
    }
    if !numbers.is_empty() {
        letterhead.push(numbers.join(" · "));
    }
    letterhead.push(branding.reply_to.clone());

    let mut recipient = vec![input.debtor.name.clone()];
    recipient.extend(input.debtor.email.iter().cloned());
    if let Some(country) = &input.debtor.country {
        recipient.push(country_name(lang, country));
    }

    let mut a = FluentArgs::new();
    a.set("creditor", branding.trading_name.clone());
    a.set("name", input.debtor.name.clone());
    a.set("amount", amount.clone());
    a.set("total", total.clone());
    a.set("date", format_date(lang, input.today));
    let mut before_table = vec![say("letter-intro", &a)?];
    if has(DemandItem::Amount) {
        before_table.push(say("letter-amount", &a)?);
    }
    if has(DemandItem::Interest) && charged {
        before_table.push(say("letter-charges", &a)?);
    }

    let mut after_table = Vec::new();
    let mut a = FluentArgs::new();
    a.set("total", total.clone());
    a.set("date", deadline.clone());
    a.set("creditor", branding.trading_name.clone());
    a.set("email", branding.reply_to.clone());
    if has(DemandItem::Deadline) {
        after_table.push(say("letter-deadline", &a)?);
    }
    if has(DemandItem::HowToPay) {
        if let Some(bank) = &branding.bank_account {
            let mut b = FluentArgs::new();
            b.set("iban", bank.iban.clone());
            let mut line = say("bank-transfer", &b)?;
            if let Some(bic) = &bank.bic {
                line.push_str(&format!(" BIC {bic}."));
            }
            after_table.push(line);
        }
        for (_, doc, _) in open.iter().take(MAX_PAY_LINKS) {
            if let Some(url) = doc.pay_url.as_deref().filter(|u| safe_https_url(u)) {
                let mut b = FluentArgs::new();
                b.set("number", doc.number.clone());
                b.set("url", url.to_string());
                after_table.push(say("letter-online", &b)?);
            }
        }
    }
    if has(DemandItem::Objection) {
        after_table.push(say("letter-objection", &a)?);
    }
    if has(DemandItem::NextStep) {
        after_table.push(say("letter-next-step", &a)?);
    }
    after_table.push(say("letter-paid-meanwhile", &none)?);

    let mut greeting_args = FluentArgs::new();
    greeting_args.set("name", input.debtor.name.clone());
    let mut signature: Vec<String> = branding
        .signature
        .as_deref()
        .map(|s| s.lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect())
        .unwrap_or_default();
    if signature.is_empty() {
        signature.push(branding.trading_name.clone());
    }
    let mut page_args = FluentArgs::new();
    page_args.set("page", "{page}");
    page_args.set("pages", "{pages}");
    Ok(Letter {
        lang: lang.code(),
        brand_colour: branding.brand_colour.clone(),
        letterhead,
        recipient,
        date: format_date(lang, input.today),
        title: say("letter-title", &none)?,
        greeting: say("greeting", &greeting_args)?,
        before_table,
        columns: [
            say("label-invoice", &none)?,
            say("label-due-date", &none)?,
            say("label-amount-due", &none)?,
            say("charges-interest", &none)?,
            say("charges-compensation", &none)?,
        ],
        charged,
        lines,
        total: (say("label-total", &none)?, total),
        after_table,
        closing: say("letter-closing", &none)?,
        signature,
        footer: branding.legal_footer.clone().filter(|f| !f.trim().is_empty()),
        page_label: say("letter-page", &page_args)?,
        states,
    })
}

#[cfg(test)]
mod tests;
