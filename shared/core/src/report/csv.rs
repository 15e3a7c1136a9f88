//! The report as a spreadsheet: one row per figure, labelled in the reader's language, with amounts as
//! plain decimals and dates as ISO days, so that any spreadsheet reads them as numbers and dates.

use super::page::{bucket_id, say, say_with};
use super::{Report, BUCKETS};
use crate::model::money::{Currency, Money};
use crate::model::printable::csv_row;

impl Report {
    /// Section, what, currency, value and detail per row; text a spreadsheet would run is neutralised.
    pub fn csv(&self) -> String {
        let lang = self.language;
        let mut out = csv_row(
            &["section", "item", "currency", "value", "detail"]
                .map(|h| say(lang, &format!("report-csv-{h}")))
                .each_ref()
                .map(String::as_str),
        );
        let mut row = |section: &str, item: &str, currency: &str, value: &str, detail: &str| {
            out.push_str(&csv_row(&[section, item, currency, value, detail]));
        };
        let sent = say(lang, "report-sent");
        for s in &self.sent {
            let channel = say(lang, &format!("report-channel-{}", s.channel));
            row(
                &sent,
                &self.step_named(lang, &s.step),
                "",
                &s.count.to_string(),
                &channel,
            );
        }
        let figures = say(lang, "report-payments-answers");
        row(
            &figures,
            &say(lang, "report-payments"),
            "",
            &self.payments.to_string(),
            "",
        );
        row(
            &figures,
            &say(lang, "report-paid-after"),
            "",
            &self.paid_after_reminder.to_string(),
            "",
        );
        for (id, amounts) in [
            ("report-paid-in", &self.paid),
            ("report-brought-in", &self.paid_after_reminder_amounts),
        ] {
            for (currency, amount) in amounts {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("currency", currency.clone());
                row(&figures, &say_with(lang, id, &args), currency, amount, "");
            }
        }
        for (action, n) in &self.answers {
            row(
                &figures,
                &say(lang, &format!("web-answer-{action}")),
                "",
                &n.to_string(),
                "",
            );
        }
        for (id, n) in [
            ("report-promises-kept", self.promises_kept),
            ("report-promises-broken", self.promises_broken),
            ("report-disputes-open", self.disputes_open),
            ("report-disputes-resolved", self.disputes_resolved),
            ("report-bounced", self.bounced),
        ] {
            row(&figures, &say(lang, id), "", &n.to_string(), "");
        }
        let risky = say(lang, "report-risky");
        for f in &self.unlikely_to_pay {
            let name = if f.name.is_empty() { &f.debtor_id } else { &f.name };
            let reasons: Vec<String> = f
                .score
                .factors
                .iter()
                .map(|r| format!("{}: {}", r.points, r.reason))
                .collect();
            row(&risky, name, "", &f.score.points.to_string(), &reasons.join("; "));
        }
        let ageing = say(lang, "report-ageing");
        for a in &self.ageing {
            let Ok(currency) = Currency::parse(&a.currency) else {
                continue;
            };
            for (bucket, minor) in BUCKETS.iter().zip(a.buckets) {
                let label = say(lang, &bucket_id(bucket, ""));
                let amount = Money { minor, currency }.to_decimal().to_string();
                row(&ageing, &label, &a.currency, &amount, "");
            }
        }
        let dso = say(lang, "report-dso");
        for d in &self.dso {
            for p in &d.points {
                let span = format!("{}/{}", p.from, p.to);
                let detail = format!(
                    "{}: {}; {}: {}",
                    say(lang, "report-receivable"),
                    p.receivable,
                    say(lang, "report-invoiced"),
                    p.invoiced
                );
                row(&dso, &span, &d.currency, p.days.as_deref().unwrap_or(""), &detail);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::report::{report, Counters, Period};
    use crate::testing::{creditor, day, invoice_due};

    #[test]
    fn every_figure_is_a_row_with_plain_numbers_and_words_in_the_readers_language() {
        let open = [invoice_due("1", day(2026, 11, 1), 12_345)];
        let counters = Counters {
            period: BTreeMap::from([("sent:after-7:email".to_string(), 2), ("paid:EUR".to_string(), 5_000)]),
            per_period: BTreeMap::new(),
        };
        let mut c = creditor();
        c.language = "et".into();
        let r = report(
            &c,
            Period::Month,
            day(2026, 12, 2),
            &counters,
            &open,
            day(2026, 12, 2),
            Vec::new(),
        );
        let csv = r.csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "Jaotis,Mis,Valuuta,Väärtus,Selgitus");
        assert!(csv.contains(",EUR,50.00,"), "paid as a plain decimal: {csv}");
        assert!(csv.contains(",EUR,123.45,"), "owed 1–30 days late: {csv}");
        assert!(!csv.contains("after-7") && !csv.contains("report-"), "{csv}");
        assert!(lines.iter().skip(1).all(|l| l.split(',').count() >= 5), "{csv}");
    }
}
