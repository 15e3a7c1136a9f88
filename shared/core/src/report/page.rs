//! The report as a page to read, print or mail, in the creditor's language: labels from the shipped
//! wording, amounts and dates in their locale.

use fluent_bundle::FluentArgs;
use serde::Serialize;

use super::{Period, Report, BUCKETS};
use crate::locale::{format_date, format_decimal, format_money, format_whole, Language};
use crate::model::money::{Currency, Money};
use crate::policy::step_words::step_label;

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

/// The report as its page shows it, every word and number in the reader's language: the page's body
/// template renders it, standalone (to mail or print) or inside the app.
#[derive(Serialize)]
pub struct ReportView {
    lang: &'static str,
    title: String,
    pub subtitle: String,
    labels: std::collections::BTreeMap<&'static str, String>,
    sent: Vec<[String; 3]>,
    figures: Vec<Row>,
    unlikely_to_pay: Vec<Flagged>,
    ageing: Vec<Table>,
    dso: Vec<Table>,
}

pub(super) fn say(lang: Language, id: &str) -> String {
    say_with(lang, id, &FluentArgs::new())
}

pub(super) use crate::locale::wording_or_id as say_with;

/// The message id of an ageing bucket's name, long (`""`) or short (`"-short"`).
pub(super) fn bucket_id(bucket: &str, form: &str) -> String {
    format!("report-bucket-{}{form}", bucket.replace('+', "-plus"))
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

/// The report's sections without a page around them, for the app to show inside its own.
pub const REPORT_BODY: &str = include_str!("../../templates/report_body.html.j2");

impl Report {
    /// The page, standalone: to mail or to print.
    pub fn html(&self) -> String {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.add_template("report_body", REPORT_BODY)
            .expect("a shipped page template parses");
        env.add_template("report", include_str!("../../templates/report.html.j2"))
            .expect("a shipped page template parses");
        env.get_template("report")
            .and_then(|t| t.render(minijinja::value::Serde(self.view())))
            .expect("a shipped page template renders; its tests prove it")
    }

    /// A sent line's step by when it went and its tone (or the creditor's name for it); a step no schedule
    /// has any more by the days its id was made from.
    pub(super) fn step_named(&self, lang: Language, id: &str) -> String {
        match self.steps.iter().find(|s| s.id == id) {
            Some(step) => step_label(lang, step),
            None => crate::policy::step_words::former_step_words(lang, id),
        }
    }

    /// What the page shows, in the report's language.
    pub fn view(&self) -> ReportView {
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
                [self.step_named(lang, &s.step), channel, s.count.to_string()]
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
        for (id, amounts) in [
            ("report-paid-in", &self.paid),
            ("report-brought-in", &self.paid_after_reminder_amounts),
        ] {
            for (currency, amount) in amounts {
                let mut args = FluentArgs::new();
                args.set("currency", currency.clone());
                figures.push(Row {
                    label: say_with(lang, id, &args),
                    value: money(lang, currency, amount),
                });
            }
        }
        for (action, n) in &self.answers {
            // An answer's name reads inside a sentence elsewhere ("answered: promises to pay"); a row
            // of its own starts with a capital.
            let mut label = say(lang, &format!("web-answer-{action}"));
            if let Some(first) = label.chars().next() {
                label = first.to_uppercase().chain(label.chars().skip(1)).collect();
            }
            figures.push(Row {
                label,
                value: n.to_string(),
            });
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
        let buckets: Vec<String> = BUCKETS.iter().map(|b| say(lang, &bucket_id(b, ""))).collect();
        // Under each bar: a short name and the amount in whole units, in the reader's language.
        let short: [String; 5] = BUCKETS.map(|b| say(lang, &bucket_id(b, "-short")));
        let ageing = self
            .ageing
            .iter()
            .map(|a| Table {
                currency: a.currency.clone(),
                chart: super::chart::Chart {
                    label: format!("{} {}", say(lang, "report-ageing"), a.currency),
                    ..super::bar_chart(
                        a,
                        &short,
                        &a.buckets.map(|minor| match Currency::parse(&a.currency) {
                            Ok(currency) => {
                                let whole = Money { minor, currency }.to_decimal().round();
                                format_whole(lang, i64::try_from(whole.mantissa()).unwrap_or(i64::MAX))
                            }
                            Err(_) => minor.to_string(),
                        }),
                    )
                },
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
                chart: super::chart::Chart {
                    label: format!("{} {}", say(lang, "report-dso"), d.currency),
                    ..chart.clone()
                },
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
        ReportView {
            lang: lang.code(),
            title: self.creditor.clone(),
            subtitle,
            labels,
            sent,
            figures,
            unlikely_to_pay,
            ageing,
            dso,
        }
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
        // The chart's words too: a short name and whole euros under each bar.
        assert!(
            html.contains(">Tähtajas</text>") && html.contains(">123</text>"),
            "{html}"
        );
        // The week of 30 November: €123.45 owed at its end (nothing added since), €123.45 invoiced, 7 days.
        assert!(html.contains("<td class=\"num\">7,0</td>"), "{html}");
    }
}
