//! The report as a page to read, print or mail, in the creditor's language: labels from the shipped
//! wording, amounts and dates in their locale.

use fluent_bundle::FluentArgs;
use serde::Serialize;

use super::{Period, Report, BUCKETS};
use crate::messages::locale::{format_date, format_decimal, format_money, Language};
use crate::messages::render::wording;
use crate::model::money::{Currency, Money};
use crate::model::printable::page;

#[derive(Serialize)]
struct Row {
    label: String,
    value: String,
}

#[derive(Serialize)]
struct Table {
    currency: String,
    chart: super::chart::Chart,
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct Flagged {
    name: String,
    points: u32,
    reasons: Vec<String>,
    suggestion: String,
}

#[derive(Serialize)]
struct View {
    lang: &'static str,
    title: String,
    subtitle: String,
    labels: std::collections::BTreeMap<&'static str, String>,
    sent: Vec<[String; 3]>,
    figures: Vec<Row>,
    unlikely_to_pay: Vec<Flagged>,
    ageing: Vec<Table>,
    dso: Vec<Table>,
}

fn say(lang: Language, id: &str) -> String {
    say_with(lang, id, &FluentArgs::new())
}

/// Shipped wording exists in every language (a test compares their message ids); the id stands in
/// should one ever be missing, so a page is never lost over a label.
fn say_with(lang: Language, id: &str, args: &FluentArgs<'_>) -> String {
    wording(lang, id, args).unwrap_or_else(|_| id.to_string())
}

fn money(lang: Language, currency: &str, raw: &str) -> String {
    Currency::parse(currency)
        .and_then(|c| c.parse_amount(raw))
        .map(|m| format_money(lang, &m))
        .unwrap_or_else(|_| format!("{raw} {currency}"))
}

const LABELS: [&str; 17] = [
    "report-sent",
    "report-step",
    "report-channel",
    "report-count",
    "report-payments-answers",
    "report-risky",
    "report-customer",
    "report-points",
    "report-why",
    "report-next",
    "report-nobody",
    "report-ageing",
    "report-dso",
    "report-dso-explained",
    "report-dso-period",
    "report-invoiced",
    "report-dso-days",
];

impl Report {
    /// The page, in the creditor's language.
    pub fn html(&self) -> String {
        let lang = self.language;
        let mut args = FluentArgs::new();
        args.set("from", format_date(lang, self.from));
        args.set("to", format_date(lang, self.to));
        let subtitle = say_with(
            lang,
            match self.period {
                Period::Week => "report-week",
                Period::Month => "report-month",
            },
            &args,
        );
        let labels = LABELS
            .into_iter()
            .map(|id| (id.strip_prefix("report-").unwrap_or(id), say(lang, id)))
            .collect();
        let sent = self
            .sent
            .iter()
            .map(|s| {
                let channel = say(lang, &format!("report-channel-{}", s.channel));
                [s.step.clone(), channel, s.count.to_string()]
            })
            .collect();
        let row = |id: &str, value: String| Row {
            label: say(lang, id),
            value,
        };
        let mut figures = vec![
            row("report-payments", self.payments.to_string()),
            row("report-paid-after", self.paid_after_reminder.to_string()),
        ];
        for (currency, amount) in &self.paid {
            let mut args = FluentArgs::new();
            args.set("currency", currency.clone());
            figures.push(Row {
                label: say_with(lang, "report-paid-in", &args),
                value: money(lang, currency, amount),
            });
        }
        for (action, n) in &self.answers {
            figures.push(row(&format!("web-answer-{action}"), n.to_string()));
        }
        figures.extend([
            row("report-promises-kept", self.promises_kept.to_string()),
            row("report-promises-broken", self.promises_broken.to_string()),
            row("report-disputes-open", self.disputes_open.to_string()),
            row("report-disputes-resolved", self.disputes_resolved.to_string()),
            row("report-bounced", self.bounced.to_string()),
        ]);
        let unlikely_to_pay = self
            .unlikely_to_pay
            .iter()
            .map(|f| Flagged {
                name: if f.name.is_empty() {
                    f.debtor_id.clone()
                } else {
                    f.name.clone()
                },
                points: f.score.points,
                reasons: f
                    .score
                    .factors
                    .iter()
                    .map(|r| format!("{}: {}", r.points, r.reason))
                    .collect(),
                suggestion: f.score.suggestion.clone(),
            })
            .collect();
        let buckets: Vec<String> = BUCKETS
            .iter()
            .map(|b| say(lang, &format!("report-bucket-{}", b.replace('+', "-plus"))))
            .collect();
        let ageing = self
            .ageing
            .iter()
            .zip(&self.charts)
            .map(|(a, chart)| Table {
                currency: a.currency.clone(),
                chart: chart.clone(),
                head: buckets.clone(),
                rows: vec![a
                    .buckets
                    .iter()
                    .map(|minor| match Currency::parse(&a.currency) {
                        Ok(currency) => format_money(
                            lang,
                            &Money {
                                minor: *minor,
                                currency,
                            },
                        ),
                        Err(_) => minor.to_string(),
                    })
                    .collect()],
            })
            .collect();
        let dso = self
            .dso
            .iter()
            .zip(&self.dso_charts)
            .map(|(d, chart)| Table {
                currency: d.currency.clone(),
                chart: chart.clone(),
                head: vec![
                    say(lang, "report-dso-period"),
                    say(lang, "report-receivable"),
                    say(lang, "report-invoiced"),
                    say(lang, "report-dso-days"),
                ],
                rows: d
                    .points
                    .iter()
                    .map(|p| {
                        vec![
                            format!("{} – {}", format_date(lang, p.from), format_date(lang, p.to)),
                            money(lang, &d.currency, &p.receivable),
                            money(lang, &d.currency, &p.invoiced),
                            p.days
                                .as_deref()
                                .map_or_else(|| "–".into(), |d| format_decimal(lang, d)),
                        ]
                    })
                    .collect(),
            })
            .collect();
        let view = View {
            lang: lang.code(),
            title: self.creditor.clone(),
            subtitle,
            labels,
            sent,
            figures,
            unlikely_to_pay,
            ageing,
            dso,
        };
        page("report", include_str!("../../templates/report.html.j2"), &view)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::report::{report, Counters, SentLine};
    use crate::testing::{creditor, day, invoice_due};

    #[test]
    fn the_page_is_in_the_creditor_s_language_with_every_label_worded() {
        let open = [invoice_due("1", day(2026, 11, 1), 12_345)];
        let counters = Counters {
            period: BTreeMap::from([
                ("sent:after-7:email".to_string(), 2),
                ("sent:after-7:sms".to_string(), 1),
                ("answer:paid".to_string(), 1),
                ("paid:EUR".to_string(), 5_000),
            ]),
            per_period: BTreeMap::from([(
                day(2026, 11, 30),
                BTreeMap::from([("invoiced:EUR".to_string(), 12_345)]),
            )]),
        };
        for lang in Language::ALL {
            let mut c = creditor();
            c.language = lang.code().to_string();
            let r = report(
                &c,
                Period::Week,
                day(2026, 12, 2),
                &counters,
                &open,
                day(2026, 12, 2),
                Vec::new(),
            );
            assert_eq!(
                r.sent[0],
                SentLine {
                    step: "after-7".into(),
                    channel: "email".into(),
                    count: 2
                }
            );
            let html = r.html();
            assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())), "{html}");
            for raw in ["report-", "web-answer-", "risk-"] {
                assert!(!html.contains(raw), "{lang:?} shows an id {raw}…: {html}");
            }
            assert!(html.contains(&say(lang, "report-bucket-31-60")), "{html}");
        }
        let mut c = creditor();
        c.language = "et".into();
        let html = report(
            &c,
            Period::Week,
            day(2026, 12, 2),
            &counters,
            &open,
            day(2026, 12, 2),
            Vec::new(),
        )
        .html();
        assert!(html.contains("Nädala aruanne, 30.11.2026 kuni 06.12.2026"), "{html}");
        assert!(html.contains("Lahendatud vaidlused"), "{html}");
        // The week of 30 November: €123.45 owed at its end (nothing added since), €123.45 invoiced, 7 days.
        assert!(html.contains("<td>7,0</td>"), "{html}");
    }
}
