//! What a template sees: the message's words in the debtor's language, amounts and dates in their locale,
//! links escaped for attributes, and the branding.

use fluent_bundle::{FluentArgs, FluentValue};
use serde::Serialize;

use super::{is_optional, wording, AnswerLinks, Kind, MessageInput, ReminderLine, RenderError, MAX_LISTED_LINES};
use crate::locale::{format_amounts, format_date, format_money, Language};
use crate::model::money::{per_currency, Money};
use crate::policy::Tone;
#[derive(Serialize)]
struct BrandView<'a> {
    trading_name: &'a str,
    logo_url: Option<&'a str>,
    colour: &'a str,
    /// Text on the brand colour (the header, the pay button), and links on white, both readable.
    text_on_colour: &'static str,
    link_colour: &'a str,
    reply_to: &'a str,
    signature: &'a str,
    legal_footer: Option<String>,
    bank: Option<String>,
}

#[derive(Serialize)]
struct LineView {
    number: String,
    due_date: String,
    amount_due: String,
    overdue_text: Option<String>,
    pay_url: Option<String>,
    settlement_text: Option<String>,
}

#[derive(Serialize)]
struct Labels {
    invoice: String,
    due_date: String,
    amount_due: String,
    total: String,
    pay_now: String,
    questions: String,
    answer_intro: String,
    answer_paid: String,
    answer_promise: String,
    answer_dispute: String,
    unsubscribe: String,
    see_all: String,
}

/// The invoices a long statement does not list.
#[derive(Serialize)]
struct MoreView {
    /// "125 more open invoices, €1,250.00 in total"
    text: String,
    /// The debtor's statement page, when the message has one.
    url: Option<String>,
}

/// Everything templates can use; documented in the README for creditors writing their own.
#[derive(Serialize)]
pub(super) struct View<'a> {
    lang: &'static str,
    pub(super) subject: String,
    greeting: String,
    body: Vec<String>,
    closing: String,
    sign_off: String,
    labels: Labels,
    brand: BrandView<'a>,
    invoices: Vec<LineView>,
    more: Option<MoreView>,
    totals: Vec<String>,
    pay_url: Option<String>,
    links: Option<AnswerLinks>,
    sms_text: String,
    sms_link: Option<&'a str>,
    charges: Option<ChargesView>,
}

/// Late-payment charges, listed apart from the amount due.
#[derive(Serialize)]
struct ChargesView {
    title: String,
    rows: Vec<ChargeRow>,
    /// How part payments were applied, a sentence each.
    applied: Vec<String>,
    note: String,
}

#[derive(Serialize)]
struct ChargeRow {
    number: String,
    label: String,
    amount: String,
}

fn charges_view(lang: Language, charges: &crate::interest::charges::Charges) -> Result<ChargesView, RenderError> {
    let w = |id: &str, args: &FluentArgs<'_>| wording(lang, id, args);
    let none = FluentArgs::new();
    let mut rows = Vec::new();
    let mut applied = Vec::new();
    for line in &charges.lines {
        let currency = line.interest.or(line.compensation).map(|m| m.currency);
        for a in &line.allocations {
            let (crate::interest::allocation::Settled::Paid { on, amount }, Some(currency)) = (a.settled, currency)
            else {
                continue;
            };
            let money = |minor: i64| format_money(lang, &Money { minor, currency });
            let mut args = FluentArgs::new();
            args.set("number", line.number.clone());
            args.set("amount", money(amount));
            args.set("date", format_date(lang, on));
            args.set("costs", money(a.to_costs));
            args.set("interest", money(a.to_interest));
            args.set("principal", money(a.to_principal));
            applied.push(w("charges-applied", &args)?);
        }
        for (id, amount) in [
            ("charges-interest", line.interest),
            ("charges-compensation", line.compensation),
        ] {
            if let Some(amount) = amount {
                rows.push(ChargeRow {
                    number: line.number.clone(),
                    label: w(id, &none)?,
                    amount: format_money(lang, &amount),
                });
            }
        }
    }
    let mut a = FluentArgs::new();
    a.set("date", format_date(lang, charges.as_of));
    let title = w("charges-title", &a)?;
    let mut a = FluentArgs::new();
    a.set("country", charges.country.clone());
    Ok(ChargesView {
        title,
        rows,
        applied,
        note: w("charges-note", &a)?,
    })
}

fn totals(lines: &[ReminderLine]) -> Vec<Money> {
    per_currency(lines.iter().map(|l| &l.amount_due))
}

pub(super) fn view<'a>(input: &MessageInput<'a>) -> Result<View<'a>, RenderError> {
    let lang = input.language;
    let w = |id: &str, args: &FluentArgs<'_>| wording(lang, id, args);
    let none = FluentArgs::new();
    let sums = totals(input.lines);
    let total_text = format_amounts(lang, &sums);
    // The oldest line decides the dates and days a message speaks of.
    let oldest = input.lines.iter().min_by_key(|l| l.due_date);
    let overdue = input.lines.iter().map(|l| l.days_overdue).max().unwrap_or(0);

    let common = || {
        let mut a = FluentArgs::new();
        a.set("creditor", input.branding.trading_name.clone());
        a.set("name", input.debtor_name.to_string());
        a.set("due", oldest.map(|l| format_date(lang, l.due_date)).unwrap_or_default());
        a.set("days", FluentValue::from(overdue.max(0)));
        a.set(
            "stop",
            input.suspend_on.map(|d| format_date(lang, d)).unwrap_or_default(),
        );
        a
    };
    // The invoice phrase, long for e-mail and compact for SMS.
    let phrase = |prefix: &str| {
        let mut a = FluentArgs::new();
        a.set("amount", total_text.clone());
        if let [only] = input.lines {
            a.set("number", only.number.clone());
            w(&format!("{prefix}what-single"), &a)
        } else {
            a.set("count", FluentValue::from(input.lines.len()));
            w(&format!("{prefix}what-several"), &a)
        }
    };
    let mut args = common();
    args.set("what", phrase("")?);
    let mut sms_args = common();
    sms_args.set("what", phrase("sms-")?);

    let key = match input.kind {
        Kind::Thanks => "thanks",
        Kind::Statement => "statement",
        Kind::Reminder(Tone::Friendly) if overdue <= 0 => "before",
        Kind::Reminder(Tone::Friendly) => "overdue",
        Kind::Reminder(Tone::Firm) => "firm",
        Kind::Reminder(Tone::FinalNotice) => "final",
        Kind::Reminder(Tone::SuspensionWarning) => "suspension",
    };
    let opening = match (input.opening, input.kind) {
        (Some(own), Kind::Reminder(_)) => {
            let a = common();
            let value = |k: &str| match a.get(k) {
                Some(FluentValue::String(s)) => s.to_string(),
                Some(FluentValue::Number(n)) => n.as_string().to_string(),
                _ => String::new(),
            };
            let values = [
                ("name", input.debtor_name.to_string()),
                ("creditor", input.branding.trading_name.clone()),
                ("what", phrase("")?),
                ("due", value("due")),
                ("days", value("days")),
            ];
            crate::policy::wording::fill(own, &values)
        }
        _ => w(&format!("body-{key}"), &args)?,
    };
    let mut body = vec![opening];
    if !input.paid_since.is_empty() {
        let paid: Vec<String> = input
            .paid_since
            .iter()
            .map(|l| format!("{} ({})", l.number, format_money(lang, &l.amount_due)))
            .collect();
        let mut a = common();
        a.set("paid", paid.join(", "));
        body.push(w("body-statement-paid", &a)?);
    }
    body.push(w(&format!("body-{key}-2"), &args)?);
    if key == "suspension" {
        body.push(w("body-suspension-3", &args)?);
    }
    let mut name_args = FluentArgs::new();
    name_args.set("name", input.debtor_name.to_string());
    let reminding = matches!(input.kind, Kind::Reminder(_) | Kind::Statement);

    let b = input.branding;
    let legal_footer = b.legal_footer.clone().or_else(|| {
        let mut parts = vec![b.trading_name.clone()];
        if let Some(code) = &b.registry_code {
            parts.push(format!("{} {code}", w("label-registry", &none).ok()?));
        }
        if let Some(vat) = &b.vat_number {
            parts.push(format!("{} {vat}", w("label-vat", &none).ok()?));
        }
        parts.extend(b.address.clone());
        (parts.len() > 1).then(|| parts.join(" · "))
    });
    let bank = match (&b.bank_account, reminding) {
        (Some(account), true) => {
            let mut a = FluentArgs::new();
            let iban = match &account.bic {
                Some(bic) => format!("{} (BIC {bic})", account.iban),
                None => account.iban.clone(),
            };
            a.set("iban", iban);
            Some(w("bank-transfer", &a)?)
        }
        _ => None,
    };

    Ok(View {
        lang: lang.code(),
        subject: w(&format!("subject-{key}"), &args)?,
        greeting: w("greeting", &name_args)?,
        body,
        closing: w("closing", &none)?,
        sign_off: w("sign-off", &none)?,
        labels: Labels {
            invoice: w("label-invoice", &none)?,
            due_date: w("label-due-date", &none)?,
            amount_due: w("label-amount-due", &none)?,
            total: w("label-total", &none)?,
            pay_now: w("label-pay-now", &none)?,
            questions: w("label-questions", &none)?,
            answer_intro: w("answer-intro", &none)?,
            answer_paid: w("answer-paid", &none)?,
            answer_promise: w("answer-promise", &none)?,
            answer_dispute: w("answer-dispute", &none)?,
            unsubscribe: w("unsubscribe", &none)?,
            see_all: w("label-see-all", &none)?,
        },
        brand: BrandView {
            trading_name: &b.trading_name,
            logo_url: b.logo_url.as_deref(),
            colour: &b.brand_colour,
            text_on_colour: crate::messages::contrast::text_on(&b.brand_colour),
            link_colour: crate::messages::contrast::link_on_white(&b.brand_colour),
            reply_to: &b.reply_to,
            signature: b.signature.as_deref().unwrap_or(&b.trading_name),
            legal_footer,
            bank,
        },
        invoices: if reminding {
            input.lines[..input.lines.len().min(MAX_LISTED_LINES)]
                .iter()
                .map(|l| {
                    let mut a = FluentArgs::new();
                    a.set("days", FluentValue::from(l.days_overdue));
                    Ok(LineView {
                        number: l.number.clone(),
                        due_date: format_date(lang, l.due_date),
                        amount_due: format_money(lang, &l.amount_due),
                        overdue_text: if l.days_overdue > 0 {
                            Some(w("overdue-days", &a)?)
                        } else {
                            None
                        },
                        pay_url: l.pay_url.clone(),
                        settlement_text: match l.settlement {
                            Some((amount, by)) => {
                                let mut a = FluentArgs::new();
                                a.set("amount", format_money(lang, &amount));
                                a.set("date", format_date(lang, by));
                                Some(w("settlement-offer", &a)?)
                            }
                            None => None,
                        },
                    })
                })
                .collect::<Result<_, RenderError>>()?
        } else {
            Vec::new()
        },
        more: match input.lines.get(MAX_LISTED_LINES..) {
            Some(rest) if reminding && !rest.is_empty() => {
                let mut a = FluentArgs::new();
                a.set("count", FluentValue::from(rest.len()));
                a.set("amount", format_amounts(lang, &totals(rest)));
                Some(MoreView {
                    text: w("statement-more", &a)?,
                    url: input.links.and_then(|l| l.statement.clone()),
                })
            }
            _ => None,
        },
        totals: if reminding && input.lines.len() > 1 {
            sums.iter().map(|m| format_money(lang, m)).collect()
        } else {
            Vec::new()
        },
        pay_url: if reminding {
            oldest.and_then(|l| l.pay_url.clone())
        } else {
            None
        },
        // Only a pre-due nudge is optional: overdue reminders about money owed carry no unsubscribe link.
        links: input.links.filter(|_| reminding).map(|l| AnswerLinks {
            unsubscribe: l.unsubscribe.clone().filter(|_| is_optional(input)),
            ..l.clone()
        }),
        // SMS carries no no-break spaces: they are not in the GSM alphabet.
        sms_text: w(&format!("sms-{key}"), &sms_args)?.replace('\u{a0}', " "),
        sms_link: if reminding { input.sms_link } else { None },
        charges: match input.charges {
            Some(c) if reminding => Some(charges_view(lang, c)?),
            _ => None,
        },
    })
}
