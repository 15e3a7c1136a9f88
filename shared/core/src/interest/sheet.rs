//! The computation sheet of one invoice's charges: every stretch with its balance, rate and source, days
//! and exact interest, the rounded total and the compensation; as CSV for a spreadsheet and as a printable
//! page.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::allocation::{law, Settled};
use super::Interest;
use crate::calendar::names::country_name;
use crate::locale::{format_date, format_decimal, Language};
use crate::locale::{labels, wording_or_id};
use crate::model::money::Money;
use crate::model::printable::{csv_row, page};
use fluent_bundle::FluentArgs;

/// What the sheet shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sheet {
    pub invoice: String,
    pub country: String,
    pub currency: String,
    /// The due date interest runs from (moved where the law says).
    pub due: NaiveDate,
    pub as_of: NaiveDate,
    pub rows: Vec<SheetRow>,
    pub interest_exact: String,
    pub interest: String,
    pub compensation: Option<String>,
    pub capped: bool,
    /// How each payment was applied, in the law's order.
    pub applied: Vec<SheetApplied>,
    /// Where the debtor's law sets that order: the statute as it is cited at home, and its address.
    pub law: Option<(&'static str, &'static str)>,
    /// The platform moved the balance without itemising a payment: that part lowered the principal alone.
    pub balance_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetApplied {
    pub on: NaiveDate,
    /// "payment", "credit note" or "balance change".
    pub kind: &'static str,
    pub amount: String,
    pub to_costs: String,
    pub to_interest: String,
    pub to_principal: String,
    pub principal_after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRow {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub balance: String,
    pub rate: String,
    pub reference: String,
    pub margin: String,
    /// In the currency, to the cent's hundredth.
    pub interest: String,
    pub source: String,
}

fn amount(minor: Decimal, m: &Money) -> Decimal {
    minor / Decimal::from(10i64.pow(m.currency.minor_digits()))
}

impl Sheet {
    pub fn new(
        invoice: &str,
        country: &str,
        as_of: NaiveDate,
        interest: &Interest,
        compensation: Option<Money>,
    ) -> Sheet {
        let m = &interest.total;
        Sheet {
            invoice: invoice.to_string(),
            country: country.to_string(),
            currency: m.currency.code().to_string(),
            due: interest.due,
            as_of,
            rows: interest
                .stretches
                .iter()
                .map(|s| SheetRow {
                    from: s.from,
                    to: s.to,
                    days: s.days,
                    balance: amount(Decimal::from(s.balance), m).to_string(),
                    rate: s.rate.normalize().to_string(),
                    reference: s.reference.map(|r| r.normalize().to_string()).unwrap_or_default(),
                    margin: s.margin.map(|r| r.normalize().to_string()).unwrap_or_default(),
                    interest: amount(s.interest, m).round_dp(4).to_string(),
                    source: s.source.to_string(),
                })
                .collect(),
            interest_exact: amount(interest.exact, m).round_dp(6).to_string(),
            interest: m.to_decimal().to_string(),
            compensation: compensation.map(|c| c.to_decimal().to_string()),
            capped: interest.capped,
            applied: interest
                .allocations
                .iter()
                .map(|a| {
                    let minor = |v: i64| amount(Decimal::from(v), m).to_string();
                    let (kind, amount) = match a.settled {
                        Settled::Paid { amount, .. } => ("payment", amount),
                        Settled::Credited { amount, .. } => ("credit note", amount),
                        Settled::Adjusted { amount, .. } => ("balance change", amount),
                    };
                    SheetApplied {
                        on: a.settled.on(),
                        kind,
                        amount: minor(amount),
                        to_costs: minor(a.to_costs),
                        to_interest: minor(a.to_interest),
                        to_principal: minor(a.to_principal),
                        principal_after: minor(a.principal_after),
                    }
                })
                .collect(),
            law: law(country),
            balance_only: interest
                .allocations
                .iter()
                .any(|a| matches!(a.settled, Settled::Adjusted { .. })),
        }
    }

    /// One row per stretch, then the total and the compensation, labelled in `lang` with amounts as plain
    /// decimals and dates as ISO days for a spreadsheet to read. Fields with a comma or quote are quoted.
    pub fn csv(&self, lang: Language) -> String {
        let none = FluentArgs::new();
        let say = |id: &str| wording_or_id(lang, &format!("sheet-{id}"), &none);
        let header = [
            "csv-invoice",
            "from",
            "to",
            "days",
            "balance",
            "csv-currency",
            "rate",
            "reference",
            "margin",
            "interest",
            "source",
        ]
        .map(say);
        let mut out = csv_row(&header.each_ref().map(String::as_str));
        for r in &self.rows {
            // The sources by their addresses, which read the same in every language.
            let sources = links(&r.source)
                .iter()
                .filter_map(|l| l["href"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
                .join(" ");
            let (from, to, days) = (r.from.to_string(), r.to.to_string(), r.days.to_string());
            out.push_str(&csv_row(&[
                &self.invoice,
                &from,
                &to,
                &days,
                &r.balance,
                &self.currency,
                &r.rate,
                &r.reference,
                &r.margin,
                &r.interest,
                &sources,
            ]));
        }
        let total = say(if self.capped { "csv-total-capped" } else { "csv-total" });
        for a in &self.applied {
            let on = a.on.to_string();
            let mut args = FluentArgs::new();
            args.set("kind", say(&format!("kind-{}", a.kind.replace(' ', "-"))));
            args.set("amount", a.amount.clone());
            args.set("costs", a.to_costs.clone());
            args.set("interest", a.to_interest.clone());
            args.set("principal", a.to_principal.clone());
            args.set("left", a.principal_after.clone());
            let what = wording_or_id(lang, "sheet-csv-applied", &args);
            out.push_str(&csv_row(&[
                &self.invoice,
                &on,
                &on,
                "",
                &a.principal_after,
                &self.currency,
                "",
                "",
                "",
                "",
                &what,
            ]));
        }
        let as_of = self.as_of.to_string();
        out.push_str(&csv_row(&[
            &self.invoice,
            "",
            &as_of,
            "",
            "",
            &self.currency,
            "",
            "",
            "",
            &self.interest,
            &total,
        ]));
        if let Some(c) = &self.compensation {
            out.push_str(&csv_row(&[
                &self.invoice,
                "",
                "",
                "",
                "",
                &self.currency,
                "",
                "",
                "",
                c,
                &say("csv-compensation"),
            ]));
        }
        out
    }

    /// A page to print or save as PDF, in `lang`: its words from the language files, its dates and
    /// figures as the language writes them, its sources as links.
    pub fn html(&self, lang: Language) -> String {
        let none = FluentArgs::new();
        let say = |id: &str, args: &FluentArgs<'_>| wording_or_id(lang, &format!("sheet-{id}"), args);
        let labels = labels(
            lang,
            "sheet",
            &[
                "by-period",
                "from",
                "to",
                "days",
                "balance",
                "rate",
                "reference",
                "margin",
                "interest",
                "source",
                "applied",
                "applied-intro",
                "balance-only",
                "day",
                "what",
                "amount",
                "to-costs",
                "to-interest",
                "to-principal",
                "principal-left",
            ],
        );
        let date = |d: NaiveDate| format_date(lang, d);
        let figure = |plain: &str| format_decimal(lang, plain);
        let mut args = FluentArgs::new();
        args.set("invoice", self.invoice.clone());
        let title = say("title", &args);
        args.set("country", country_name(lang, &self.country));
        args.set("due", date(self.due));
        args.set("as_of", date(self.as_of));
        args.set("currency", self.currency.clone());
        let intro = say("intro", &args);
        let mut total = FluentArgs::new();
        total.set("interest", figure(&self.interest));
        total.set("currency", self.currency.clone());
        total.set("exact", figure(&self.interest_exact));
        let exact = if self.capped {
            say("exact-capped", &total)
        } else {
            say("exact", &total)
        };
        let compensation = self.compensation.as_deref().map(|c| {
            let mut args = FluentArgs::new();
            args.set("amount", figure(c));
            args.set("currency", self.currency.clone());
            say("compensation", &args)
        });
        // The statute by name, its address as a link (a bare address would not wrap on a phone).
        let law = self.law.map(|(statute, url)| {
            let mut args = FluentArgs::new();
            args.set("law", statute);
            (say("law", &args), links(url))
        });
        let view = serde_json::json!({
            "lang": lang.code(),
            "title": title,
            "intro": intro,
            "t": labels,
            "rows": self.rows.iter().map(|r| serde_json::json!({
                "from": date(r.from),
                "to": date(r.to),
                "days": r.days,
                "balance": figure(&r.balance),
                "rate": figure(&r.rate),
                "reference": figure(&r.reference),
                "margin": figure(&r.margin),
                "interest": figure(&r.interest),
                "links": links(&r.source),
            })).collect::<Vec<_>>(),
            "applied": self.applied.iter().map(|a| serde_json::json!({
                "on": date(a.on),
                "kind": say(&format!("kind-{}", a.kind.replace(' ', "-")), &none),
                "amount": figure(&a.amount),
                "to_costs": figure(&a.to_costs),
                "to_interest": figure(&a.to_interest),
                "to_principal": figure(&a.to_principal),
                "principal_after": figure(&a.principal_after),
            })).collect::<Vec<_>>(),
            "law": law.as_ref().map(|(words, _)| words),
            "law_links": law.as_ref().map(|(_, links)| links),
            "balance_only": self.balance_only,
            "total": say("total", &total),
            "exact": exact,
            "compensation": compensation,
        });
        page("sheet", include_str!("../../templates/interest_sheet.html.j2"), &view)
    }
}

/// The addresses a source names, each with its host to show: the rest of a source is notes in English
/// for whoever maintains the table.
pub fn links(source: &str) -> Vec<serde_json::Value> {
    source
        .split(|c: char| c.is_whitespace() || c == ';' || c == '(' || c == ')')
        .filter(|w| w.starts_with("https://"))
        .map(|w| w.trim_end_matches([',', '.']))
        .filter_map(|href| {
            let host = url::Url::parse(href)
                .ok()?
                .host_str()?
                .trim_start_matches("www.")
                .to_string();
            Some(serde_json::json!({"href": href, "host": host}))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interest::rates::RateBook;
    use crate::interest::{late_interest, BalanceChange};
    use crate::model::money::Currency;

    #[test]
    fn the_sheet_lists_each_stretch_with_its_source_and_the_total() {
        let eur = Currency::parse("EUR").unwrap();
        let interest = late_interest(
            RateBook::seed(),
            "EE",
            Money {
                minor: 100_000,
                currency: eur,
            },
            "2025-06-20".parse().unwrap(),
            &[BalanceChange {
                on: "2025-07-05".parse().unwrap(),
                balance: 60_000,
            }],
            "2025-07-10".parse().unwrap(),
            None,
        )
        .unwrap();
        let sheet = Sheet::new(
            "INV-1",
            "EE",
            "2025-07-10".parse().unwrap(),
            &interest,
            Some(Money {
                minor: 4_000,
                currency: eur,
            }),
        );
        let csv = sheet.csv(Language::En);
        let lines: Vec<&str> = csv.lines().collect();
        // 21–30 June on €1,000 at 11.15 %: 3.0548; 1–5 July at 10.15 %: 1.3904; 6–10 July on €600: 0.8342.
        assert!(
            lines[1].starts_with(
                "INV-1,2025-06-21,2025-06-30,10,1000,EUR,11.15,3.15,8,3.0548,https://www.riigiteataja.ee/"
            ),
            "{csv}"
        );
        assert!(
            lines[2].starts_with("INV-1,2025-07-01,2025-07-05,5,1000,EUR,10.15,2.15,8,1.3904,"),
            "{csv}"
        );
        assert!(
            lines[3].starts_with("INV-1,2025-07-06,2025-07-10,5,600,EUR,10.15,2.15,8,0.8342,"),
            "{csv}"
        );
        // The balance fell by €400 without an itemised payment: it lowered the principal alone.
        assert!(lines[4].starts_with("INV-1,2025-07-05,2025-07-05,,600,EUR,"), "{csv}");
        assert!(lines[4].contains("balance change of 400: 0 to costs, 0 to interest, 400 to principal"));
        assert_eq!(lines[5], "INV-1,,2025-07-10,,,EUR,,,,5.28,total interest");
        assert_eq!(
            lines[6],
            "INV-1,,,,,EUR,,,,40.00,fixed compensation (Directive 2011/7/EU art. 6)"
        );
        assert_eq!(
            lines[0],
            "Invoice,From,To,Days,Balance,Currency,Rate %,Reference %,Margin pp,Interest,Source"
        );
        // In the reader's language, the words change and the figures stay as a spreadsheet reads them.
        let et = sheet.csv(Language::Et);
        let et: Vec<&str> = et.lines().collect();
        assert!(
            et[0].starts_with("Arve,") && et[5].ends_with(",5.28,viivis kokku"),
            "{et:?}"
        );
        assert!(et[4].contains("jäägi muutus 400: 0 kuludeks"), "{et:?}");
        let html = sheet.html(Language::Et);
        assert!(
            html.contains("<td>21.06.2025</td><td>30.06.2025</td><td class=\"num\">10</td>")
                && html.contains("Viivis: 5,28 EUR")
                && html.contains(">riigiteataja.ee</a>"),
            "{html}"
        );
        assert!(html.contains("Seadus: Võlaõigusseadus § 88"), "{html}");
        let en = sheet.html(Language::En);
        assert!(
            en.contains("<td>21 June 2025</td>") && en.contains("Interest: 5.28 EUR"),
            "{en}"
        );
    }
}
