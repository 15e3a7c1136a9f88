//! The words and markup of a reminder, rendered with minijinja from templates shipped in the binary.
//!
//! Templates are sandboxed and strict: a missing variable is an error, never an empty string, and the HTML
//! template escapes everything it prints.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::model::Branding;
use crate::money::Money;
use crate::policy::Tone;

#[derive(Debug, thiserror::Error)]
#[error("template {template} failed: {source}")]
pub struct RenderError {
    template: &'static str,
    #[source]
    source: minijinja::Error,
}

/// One message, ready for SES and SNS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedReminder {
    pub subject: String,
    pub html: String,
    pub text: String,
    pub sms: String,
}

/// An invoice line as a reminder shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderLine {
    pub number: String,
    pub amount_due: Money,
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    pub pay_url: Option<String>,
}

/// Everything a reminder says. With several lines it is an account statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderInput<'a> {
    pub branding: &'a Branding,
    pub debtor_name: &'a str,
    pub tone: Tone,
    pub lines: &'a [ReminderLine],
    /// For a suspension warning: the day service would stop.
    pub suspend_on: Option<NaiveDate>,
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_filter("url", url_attribute);
        env.set_auto_escape_callback(|name| {
            if name.contains(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        for (name, source) in [
            ("email.html.j2", include_str!("../templates/email.html.j2")),
            ("email.txt.j2", include_str!("../templates/email.txt.j2")),
            ("sms.txt.j2", include_str!("../templates/sms.txt.j2")),
        ] {
            env.add_template(name, source)
                .expect("shipped templates parse; the render tests prove it");
        }
        env
    })
}

/// A URL for an `href` or `src` attribute. The default HTML escaping also encodes `/`, which is valid but
/// leaves links unreadable in the source some mail clients show; this escapes only what HTML needs.
fn url_attribute(url: String) -> minijinja::Value {
    let escaped = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    minijinja::Value::from_safe_string(escaped)
}

/// `€1,234.56`, `£5.00`, `1,234.56 PLN`: English conventions.
pub fn format_money_en(m: &Money) -> String {
    let digits = m.currency.minor_digits() as usize;
    let value = m.to_decimal();
    let plain = format!("{:.*}", digits, value);
    let (int_part, frac_part) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut grouped = String::new();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let number = if frac_part.is_empty() {
        grouped
    } else {
        format!("{grouped}.{frac_part}")
    };
    match m.currency.code() {
        "EUR" => format!("€{number}"),
        "GBP" => format!("£{number}"),
        "USD" => format!("${number}"),
        code => format!("{number} {code}"),
    }
}

fn format_date_en(d: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

fn days_en(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

#[derive(Serialize)]
struct BrandView<'a> {
    trading_name: &'a str,
    logo_url: Option<&'a str>,
    colour: &'a str,
    reply_to: &'a str,
    signature: &'a str,
    legal_footer: Option<&'a str>,
}

#[derive(Serialize)]
struct LineView {
    number: String,
    due_date: String,
    amount_due: String,
    overdue_text: Option<String>,
}

#[derive(Serialize)]
struct Labels {
    invoice: &'static str,
    due_date: &'static str,
    amount_due: &'static str,
    total: &'static str,
    pay_now: &'static str,
    questions: &'static str,
}

#[derive(Serialize)]
struct View<'a> {
    lang: &'static str,
    subject: String,
    greeting: String,
    body: Vec<String>,
    closing: &'static str,
    sign_off: &'static str,
    sms_line: String,
    labels: Labels,
    brand: BrandView<'a>,
    invoices: Vec<LineView>,
    totals: Vec<String>,
    pay_url: Option<String>,
}

/// Sums per currency, in the order currencies first appear.
fn totals(lines: &[ReminderLine]) -> Vec<Money> {
    let mut out: Vec<Money> = Vec::new();
    for line in lines {
        match out.iter_mut().find(|m| m.currency == line.amount_due.currency) {
            Some(m) => m.minor += line.amount_due.minor,
            None => out.push(line.amount_due),
        }
    }
    out
}

pub fn render_reminder(input: &ReminderInput<'_>) -> Result<RenderedReminder, RenderError> {
    let first = input.lines.first();
    let number = first.map(|l| l.number.as_str()).unwrap_or_default();
    let overdue = input.lines.iter().map(|l| l.days_overdue).max().unwrap_or(0);
    let sums = totals(input.lines);
    let total_text = sums.iter().map(format_money_en).collect::<Vec<_>>().join(" + ");
    let due_text = first.map(|l| format_date_en(l.due_date)).unwrap_or_default();
    let from = &input.branding.trading_name;

    let count = input.lines.len();
    let several = count > 1;
    let what = if several {
        format!("{count} open invoices totalling {total_text}")
    } else {
        format!("invoice {number} for {total_text}")
    };
    let (subject, body, sms_line) = match (input.tone, overdue) {
        (Tone::Friendly, d) if d <= 0 => (
            if several {
                format!("Your account with {from}: {count} invoices")
            } else {
                format!("Invoice {number} from {from} is due on {due_text}")
            },
            vec![
                if several {
                    format!("This is a friendly note about your account: {what}, the first due on {due_text}.")
                } else {
                    format!("This is a friendly note that {what} is due on {due_text}.")
                },
                "If you have already arranged payment, thank you, and please ignore this message.".to_string(),
            ],
            format!("friendly reminder: {what}, due {due_text}."),
        ),
        (Tone::Friendly, d) => (
            if several {
                format!("Reminder: {count} invoices from {from}")
            } else {
                format!("Reminder: invoice {number} from {from}")
            },
            vec![
                format!(
                    "We have not yet received payment for {what}; the oldest was due on {due_text} ({} ago).",
                    days_en(d)
                ),
                "It may simply have slipped through; we would be grateful if you could arrange payment when you can."
                    .to_string(),
            ],
            format!("{what} is past due. Could you take a look?"),
        ),
        (Tone::Firm, d) => (
            if several {
                format!("Second reminder: {count} invoices are overdue")
            } else {
                format!("Second reminder: invoice {number} is {} overdue", days_en(d))
            },
            vec![
                format!("Payment for {what} is now {} past the due date of {due_text}.", days_en(d)),
                "Please arrange payment, or reply to this e-mail if something is holding it up, so that we can sort it out together."
                    .to_string(),
            ],
            format!("{what} is {} overdue. Please pay or reply to us.", days_en(d)),
        ),
        (Tone::FinalNotice, d) => (
            format!("Final notice: {} from {from}", if several { format!("{count} invoices") } else { format!("invoice {number}") }),
            vec![
                format!("Despite our earlier reminders, {what} remains unpaid {} after the due date.", days_en(d)),
                "Please settle it within 7 days, or contact us if there is a problem with the invoice. We would much rather find a solution with you."
                    .to_string(),
            ],
            format!("final notice for {what}. Please pay within 7 days or contact us."),
        ),
        (Tone::SuspensionWarning, d) => {
            let stop = input.suspend_on.map(format_date_en).unwrap_or_default();
            (
                format!("Your service with {from} will be paused on {stop}"),
                vec![
                    format!("{what} remains unpaid {} after the due date.", days_en(d)),
                    format!(
                        "Unless payment reaches us before {stop}, we will have to pause your service on that day. It resumes as soon as the account is settled."
                    ),
                    "If payment is on its way, or you would like to agree a payment plan, just reply to this e-mail.".to_string(),
                ],
                format!("{what} is unpaid; service pauses on {stop} unless paid. Reply to agree a plan."),
            )
        }
    };

    let view = View {
        lang: "en",
        subject: subject.clone(),
        greeting: format!("Dear {},", input.debtor_name),
        body,
        closing: "Thank you for your business.",
        sign_off: "Kind regards,",
        sms_line,
        labels: Labels {
            invoice: "Invoice",
            due_date: "Due date",
            amount_due: "Amount due",
            total: "Total due",
            pay_now: "Pay now",
            questions: "Questions about this invoice? Write to",
        },
        brand: BrandView {
            trading_name: &input.branding.trading_name,
            logo_url: input.branding.logo_url.as_deref(),
            colour: &input.branding.brand_colour,
            reply_to: &input.branding.reply_to,
            signature: input
                .branding
                .signature
                .as_deref()
                .unwrap_or(&input.branding.trading_name),
            legal_footer: input.branding.legal_footer.as_deref(),
        },
        invoices: input
            .lines
            .iter()
            .map(|l| LineView {
                number: l.number.clone(),
                due_date: format_date_en(l.due_date),
                amount_due: format_money_en(&l.amount_due),
                overdue_text: (l.days_overdue > 0).then(|| format!("{} overdue", days_en(l.days_overdue))),
            })
            .collect(),
        totals: if input.lines.len() > 1 {
            sums.iter().map(format_money_en).collect()
        } else {
            Vec::new()
        },
        pay_url: first.and_then(|l| l.pay_url.clone()),
    };
    let render = |name: &'static str| {
        environment()
            .get_template(name)
            .and_then(|t| t.render(minijinja::value::Serde(&view)))
            .map_err(|source| RenderError { template: name, source })
    };
    Ok(RenderedReminder {
        subject,
        html: render("email.html.j2")?,
        text: render("email.txt.j2")?,
        sms: render("sms.txt.j2")?.trim_end().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn branding() -> Branding {
        Branding {
            trading_name: "Nordwind <Tools> OÜ".into(),
            sender_name: "Nordwind Accounts".into(),
            from_address: "accounts@nordwind.example".into(),
            reply_to: "ar@nordwind.example".into(),
            logo_url: Some("https://nordwind.example/logo.png".into()),
            brand_colour: "#0b7285".into(),
            signature: Some("Mari Maasikas\nAccounts receivable".into()),
            legal_footer: Some("Nordwind Tools OÜ · Reg. 12345678 · VAT EE101234567".into()),
            sms_sender_id: None,
        }
    }

    fn line(overdue: i64) -> ReminderLine {
        ReminderLine {
            number: "INV-1001".into(),
            amount_due: Currency::parse("EUR").unwrap().parse_amount("1250.00").unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            days_overdue: overdue,
            pay_url: Some("https://pay.example/i/1001?a=1&b=2".into()),
        }
    }

    #[test]
    fn formats_english_money() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(
            format_money_en(&eur.parse_amount("1234567.5").unwrap()),
            "€1,234,567.50"
        );
        assert_eq!(format_money_en(&eur.parse_amount("0.05").unwrap()), "€0.05");
        let pln = Currency::parse("PLN").unwrap();
        assert_eq!(format_money_en(&pln.parse_amount("999").unwrap()), "999.00 PLN");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(format_money_en(&jpy.parse_amount("1500").unwrap()), "1,500 JPY");
    }

    #[test]
    fn renders_every_tone_with_branding() {
        let b = branding();
        for (tone, overdue) in [
            (Tone::Friendly, -3),
            (Tone::Friendly, 1),
            (Tone::Firm, 7),
            (Tone::FinalNotice, 14),
            (Tone::SuspensionWarning, 21),
        ] {
            let lines = [line(overdue)];
            let r = render_reminder(&ReminderInput {
                branding: &b,
                debtor_name: "Tamm OÜ",
                tone,
                lines: &lines,
                suspend_on: (tone == Tone::SuspensionWarning).then(|| NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()),
            })
            .unwrap();
            if tone == Tone::SuspensionWarning {
                assert!(r.subject.contains("15 January 2027"), "{}", r.subject);
            } else {
                assert!(r.subject.contains("INV-1001"), "{tone:?}: {}", r.subject);
            }
            assert!(r.html.contains("https://nordwind.example/logo.png"));
            assert!(r.html.contains("#0b7285"));
            assert!(r.html.contains("Pay now"));
            assert!(r.text.contains("€1,250.00"));
            assert!(r.sms.starts_with("Nordwind <Tools> OÜ: "));
            for word in ["court", "legal action", "collection agency", "bailiff"] {
                assert!(!r.text.to_lowercase().contains(word), "{tone:?} threatens: {word}");
            }
        }
    }

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let b = branding();
        let lines = [line(2)];
        let r = render_reminder(&ReminderInput {
            branding: &b,
            debtor_name: "<script>x</script>",
            tone: Tone::Friendly,
            lines: &lines,
            suspend_on: None,
        })
        .unwrap();
        assert!(r.html.contains("Nordwind &lt;Tools&gt; OÜ"));
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("https://pay.example/i/1001?a=1&amp;b=2"));
        assert!(r.text.contains("Dear <script>x</script>,"));
    }

    #[test]
    fn several_invoices_show_a_total_per_currency() {
        let b = branding();
        let mut second = line(5);
        second.number = "INV-1002".into();
        second.amount_due = Currency::parse("EUR").unwrap().parse_amount("50").unwrap();
        let lines = [line(10), second];
        let r = render_reminder(&ReminderInput {
            branding: &b,
            debtor_name: "Tamm",
            tone: Tone::Firm,
            lines: &lines,
            suspend_on: None,
        })
        .unwrap();
        assert!(r.text.contains("Total due: €1,300.00"), "{}", r.text);
        assert_eq!(r.subject, "Second reminder: 2 invoices are overdue");
        assert!(r.html.contains("INV-1002"));
    }
}
