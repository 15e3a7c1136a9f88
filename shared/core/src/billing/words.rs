//! A usage statement in the creditor's language: the same labels and unit prices on the web app's Usage
//! page and in the monthly statement mailed to them.

use fluent_bundle::FluentArgs;

use super::{euros, Decimal, Meter, Statement};
use crate::locale::wording;
use crate::locale::{format_money, Language};

/// A meter's label: `web-{label}` in the wording.
pub fn label(meter: Meter) -> &'static str {
    match meter {
        Meter::Emails => "usage-emails",
        Meter::SmsSegments => "usage-segments",
        Meter::DebtorsReminded => "usage-debtors",
        Meter::WebhooksReceived => "usage-webhooks",
    }
}

/// A unit price as written in `lang`: as many decimals as it has, `0,001 €` or `€0.001`.
pub fn unit_price(lang: Language, price: Decimal) -> String {
    let figure = crate::locale::format_decimal(lang, &price.normalize().to_string());
    match lang {
        Language::En => format!("€{figure}"),
        _ => format!("{figure}\u{a0}€"),
    }
}

/// The statement's lines on one line each, `label: quantity × unit price = amount`, joined by `; `.
pub fn lines(lang: Language, statement: &Statement) -> String {
    line_words(lang, &statement.lines)
}

/// `lines` as [`lines`] writes them.
pub fn line_words(lang: Language, lines: &[super::Line]) -> String {
    lines
        .iter()
        .map(|l| {
            let id = format!("web-{}", label(l.meter));
            let name = wording(lang, &id, &FluentArgs::new()).unwrap_or(id);
            format!(
                "{name}: {} × {} = {}",
                l.quantity,
                unit_price(lang, l.unit_price),
                format_money(lang, &euros(l.amount))
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::{statement, Counts, PriceList};

    #[test]
    fn each_line_says_what_it_counts_at_what_price_in_the_creditor_s_language() {
        let counts = Counts {
            emails: 13,
            sms_segments: 7,
            debtors_reminded: 5,
            webhooks_received: 40,
        };
        let s = statement("2026-12", &counts, &PriceList::default(), None);
        let et = lines(Language::Et, &s);
        assert!(et.starts_with("E-kirjad: 13 × "), "{et}");
        assert!(et.contains("; SMS-i osad: 7 × "), "{et}");
        let en = lines(Language::En, &s);
        assert!(en.contains(" × €0.0"), "{en}");
    }
}
