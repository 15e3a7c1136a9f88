//! The customers page as a worklist: every customer who owes, with what is overdue, their oldest due date,
//! their status and group; found by name, address, id or invoice number, filtered by status, group or
//! overdue, sorted, and cut into pages.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::ledger::Invoice;
use crate::model::ids::DebtorId;
use crate::model::money::{per_currency, Money};
use crate::model::{Creditor, Debtor};
use crate::web::todo::SAYS_PAID;

/// Longest search text taken; anything after it is ignored.
pub const MAX_QUERY: usize = 100;
/// Rows on a page.
pub const PAGE_ROWS: usize = 50;
/// Highest page asked for that is taken as asked; past the last page shows the last.
const MAX_PAGE: usize = 10_0000;

/// What a customer's row says about where they stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    HandedOff,
    Paused,
    Disputed,
    Promised,
    Bounced,
    AtRisk,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::HandedOff,
        Status::Paused,
        Status::Disputed,
        Status::Promised,
        Status::Bounced,
        Status::AtRisk,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::HandedOff => "handed-off",
            Status::Paused => "paused",
            Status::Disputed => "disputed",
            Status::Promised => "promised",
            Status::Bounced => "bounced",
            Status::AtRisk => "at-risk",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The order of the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// The most overdue first (amounts compared as numbers across currencies), then the oldest due.
    #[default]
    Overdue,
    /// The oldest due date first.
    Oldest,
    /// The most owed first.
    Owed,
    Name,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Overdue, Sort::Oldest, Sort::Owed, Sort::Name];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Overdue => "overdue",
            Sort::Oldest => "oldest",
            Sort::Owed => "owed",
            Sort::Name => "name",
        }
    }

    pub fn parse(code: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What the creditor asked the list for, as the page's address carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub text: String,
    pub status: Option<Status>,
    pub group: Option<String>,
    pub overdue_only: bool,
    pub sort: Sort,
    /// From 1.
    pub page: usize,
}

impl Filter {
    /// From the query's parameters (`q`, `status`, `group`, `overdue`, `sort`, `page`); anything unknown is
    /// left out rather than refused, as a hand-edited address deserves.
    pub fn from_query(get: impl Fn(&str) -> String) -> Filter {
        let group = get("group").trim().chars().take(MAX_QUERY).collect::<String>();
        Filter {
            text: get("q").trim().chars().take(MAX_QUERY).collect(),
            status: Status::parse(&get("status")),
            group: (!group.is_empty()).then_some(group),
            overdue_only: get("overdue") == "1",
            sort: Sort::parse(&get("sort")).unwrap_or_default(),
            page: get("page").parse::<usize>().unwrap_or(1).clamp(1, MAX_PAGE),
        }
    }

    /// The query string for this filter with `changes` applied (`page` back to 1 unless given).
    pub fn query_with(&self, changes: &[(&str, &str)]) -> String {
        let mut params: BTreeMap<&str, String> = BTreeMap::new();
        if !self.text.is_empty() {
            params.insert("q", self.text.clone());
        }
        if let Some(s) = self.status {
            params.insert("status", s.code().into());
        }
        if let Some(g) = &self.group {
            params.insert("group", g.clone());
        }
        if self.overdue_only {
            params.insert("overdue", "1".into());
        }
        if self.sort != Sort::default() {
            params.insert("sort", self.sort.code().into());
        }
        for (k, v) in changes {
            match v.is_empty() {
                true => params.remove(k),
                false => params.insert(k, v.to_string()),
            };
        }
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.iter())
            .finish()
    }
}

/// One customer who owes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub debtor_id: DebtorId,
    pub name: String,
    pub email: Option<String>,
    pub invoices: usize,
    /// One amount per currency.
    pub owed: Vec<Money>,
    pub overdue: Vec<Money>,
    pub oldest_due: NaiveDate,
    pub statuses: Vec<Status>,
    pub group: Option<String>,
    /// What a search matches besides the name: the id and the invoice numbers, lower-cased.
    search: String,
}

impl Row {
    fn overdue_key(&self) -> i64 {
        self.overdue.iter().map(|m| m.minor).max().unwrap_or(0)
    }

    fn owed_key(&self) -> i64 {
        self.owed.iter().map(|m| m.minor).max().unwrap_or(0)
    }
}

/// Every customer among `open` (a creditor's open invoices) with what they owe and where they stand.
pub fn rows(creditor: &Creditor, open: &[Invoice], debtors: &[Debtor], today: NaiveDate) -> Vec<Row> {
    let by_id: BTreeMap<&DebtorId, &Debtor> = debtors.iter().map(|d| (&d.debtor_id, d)).collect();
    let mut owed: BTreeMap<&DebtorId, Vec<&Invoice>> = BTreeMap::new();
    for invoice in open.iter().filter(|i| i.is_open()) {
        if let Some(doc) = &invoice.doc {
            owed.entry(&doc.debtor_id).or_default().push(invoice);
        }
    }
    owed.into_iter()
        .map(|(id, invoices)| {
            let debtor = by_id.get(id).copied();
            let docs = || invoices.iter().filter_map(|i| i.doc.as_ref().map(|d| (*i, d)));
            let amounts = |late: bool| {
                per_currency(
                    docs()
                        .filter(|(_, d)| !late || d.due_date < today)
                        .filter_map(|(i, _)| i.balance.as_ref().map(|b| &b.amount_due)),
                )
            };
            let mut search = id.as_str().to_lowercase();
            for (_, d) in docs() {
                search.push(' ');
                search.push_str(&d.number.to_lowercase());
            }
            Row {
                debtor_id: id.clone(),
                name: debtor.map_or_else(|| id.to_string(), |d| d.name.clone()),
                email: debtor.and_then(|d| d.email.clone()),
                invoices: invoices.len(),
                owed: amounts(false),
                overdue: amounts(true),
                oldest_due: docs().map(|(_, d)| d.due_date).min().unwrap_or(today),
                statuses: statuses(creditor, debtor, &invoices, today),
                group: crate::policy::precedence::group_of(creditor, debtor).map(|(name, _)| name.to_string()),
                search,
            }
        })
        .collect()
}

fn statuses(creditor: &Creditor, debtor: Option<&Debtor>, invoices: &[&Invoice], today: NaiveDate) -> Vec<Status> {
    let mut out = Vec::new();
    let pause = debtor
        .and_then(|d| d.controls.reminders.as_ref())
        .filter(|o| !o.on && o.applies_on(today));
    match pause {
        Some(o) if o.reason.as_deref() == Some(crate::handoff::HANDED_OFF) => out.push(Status::HandedOff),
        Some(_) => out.push(Status::Paused),
        None if invoices.iter().any(|i| {
            i.controls
                .reminders
                .as_ref()
                .is_some_and(|o| !o.on && o.applies_on(today) && o.reason.as_deref() != Some(SAYS_PAID))
        }) =>
        {
            out.push(Status::Paused)
        }
        None => {}
    }
    if invoices.iter().any(|i| i.controls.dispute.is_some()) {
        out.push(Status::Disputed);
    }
    if invoices.iter().any(|i| i.controls.standing_promise(today).is_some()) {
        out.push(Status::Promised);
    }
    if debtor.is_some_and(|d| d.controls.email_refused.is_some()) {
        out.push(Status::Bounced);
    }
    if let Some(d) = debtor {
        let owned: Vec<Invoice> = invoices.iter().map(|i| (*i).clone()).collect();
        let threshold = creditor.risk.threshold;
        if crate::risk::score(creditor, d, &owned, today, threshold).points >= threshold {
            out.push(Status::AtRisk);
        }
    }
    out
}

/// The rows `filter` asks for, sorted, and how many matched.
pub fn select(mut rows: Vec<Row>, filter: &Filter, today: NaiveDate) -> Vec<Row> {
    let needle = filter.text.to_lowercase();
    rows.retain(|r| {
        (needle.is_empty()
            || r.name.to_lowercase().contains(&needle)
            || r.search.contains(&needle)
            || r.email.as_deref().is_some_and(|e| e.to_lowercase().contains(&needle)))
            && filter.status.is_none_or(|s| r.statuses.contains(&s))
            && filter.group.as_deref().is_none_or(|g| r.group.as_deref() == Some(g))
            && (!filter.overdue_only || r.oldest_due < today)
    });
    match filter.sort {
        Sort::Overdue => rows.sort_by(|a, b| {
            b.overdue_key()
                .cmp(&a.overdue_key())
                .then(a.oldest_due.cmp(&b.oldest_due))
                .then(a.name.cmp(&b.name))
        }),
        Sort::Oldest => rows.sort_by(|a, b| a.oldest_due.cmp(&b.oldest_due).then(a.name.cmp(&b.name))),
        Sort::Owed => rows.sort_by(|a, b| b.owed_key().cmp(&a.owed_key()).then(a.name.cmp(&b.name))),
        Sort::Name => rows.sort_by_cached_key(|a| a.name.to_lowercase()),
    }
    rows
}

/// One page of the selected rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub rows: Vec<Row>,
    pub matched: usize,
    /// From 1; the last page when more was asked for.
    pub page: usize,
    pub pages: usize,
}

pub fn page(selected: Vec<Row>, filter: &Filter) -> Page {
    let matched = selected.len();
    let pages = matched.div_ceil(PAGE_ROWS).max(1);
    let page = filter.page.min(pages);
    let rows = selected
        .into_iter()
        .skip((page - 1) * PAGE_ROWS)
        .take(PAGE_ROWS)
        .collect();
    Page {
        rows,
        matched,
        page,
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dispute, Override};
    use crate::testing::{creditor, day, debtor, invoice_due, utc};

    fn owing(id: &str, name: &str, due: NaiveDate, minor: i64) -> (Invoice, Debtor) {
        let mut invoice = invoice_due(&format!("{id}-1"), due, minor);
        invoice.doc.as_mut().unwrap().debtor_id = DebtorId::parse(id).unwrap();
        let mut d = debtor();
        d.debtor_id = DebtorId::parse(id).unwrap();
        d.name = name.into();
        d.email = Some(format!("ap@{id}.example"));
        (invoice, d)
    }

    fn book(entries: Vec<(Invoice, Debtor)>) -> (Vec<Invoice>, Vec<Debtor>) {
        entries.into_iter().unzip()
    }

    fn names(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn the_default_order_puts_who_owes_most_overdue_first_and_one_sort_the_oldest() {
        let today = day(2026, 12, 6);
        let (open, debtors) = book(vec![
            owing("a", "Alder", day(2026, 11, 30), 90_000),
            owing("b", "Birch", day(2026, 9, 1), 10_000),
            owing("c", "Cedar", day(2026, 12, 20), 500_000),
        ]);
        let all = rows(&creditor(), &open, &debtors, today);
        let by = |sort| {
            names(&select(
                all.clone(),
                &Filter {
                    sort,
                    ..Filter::default()
                },
                today,
            ))
            .join(" ")
        };
        assert_eq!(
            by(Sort::Overdue),
            "Alder Birch Cedar",
            "not yet due owes nothing overdue"
        );
        assert_eq!(by(Sort::Oldest), "Birch Alder Cedar");
        assert_eq!(by(Sort::Owed), "Cedar Alder Birch");
        let cedar = all.iter().find(|r| r.name == "Cedar").unwrap();
        assert!(cedar.overdue.is_empty() && cedar.owed[0].minor == 500_000);
    }

    #[test]
    fn customers_are_found_by_name_address_invoice_number_status_and_group() {
        let today = day(2026, 12, 6);
        let (mut open, mut debtors) = book(vec![
            owing("a", "Alder OÜ", day(2026, 11, 30), 90_000),
            owing("b", "Birch SIA", day(2026, 12, 30), 10_000),
        ]);
        open[1].controls.dispute = Some(Dispute {
            reason: "broken".into(),
            at: utc("2026-12-01T10:00:00Z"),
        });
        debtors[0].controls.reminders = Some(Override {
            on: false,
            until: None,
            reason: Some(crate::handoff::HANDED_OFF.into()),
            set_at: utc("2026-12-01T10:00:00Z"),
        });
        let mut c = creditor();
        c.groups.insert(
            "wholesale".into(),
            crate::policy::CustomerGroup {
                name: String::new(),
                enabled: true,
                steps: None,
                platform_groups: Vec::new(),
                place: Default::default(),
                statement: None,
                attach_invoice: None,
            },
        );
        debtors[1].controls.group = Some("wholesale".into());
        let all = rows(&c, &open, &debtors, today);
        let find = |f: Filter| names(&select(all.clone(), &f, today)).join(" ");
        let text = |t: &str| Filter {
            text: t.into(),
            ..Filter::default()
        };
        assert_eq!(find(text("birch")), "Birch SIA");
        assert_eq!(find(text("INV-A-1")), "Alder OÜ", "by invoice number");
        assert_eq!(find(text("ap@b.example")), "Birch SIA", "by address");
        let status = |s| Filter {
            status: Some(s),
            ..Filter::default()
        };
        assert_eq!(find(status(Status::Disputed)), "Birch SIA");
        assert_eq!(find(status(Status::HandedOff)), "Alder OÜ");
        assert_eq!(find(status(Status::Paused)), "", "handed off is not a pause");
        assert_eq!(
            find(Filter {
                group: Some("wholesale".into()),
                ..Filter::default()
            }),
            "Birch SIA"
        );
        assert_eq!(
            find(Filter {
                overdue_only: true,
                ..Filter::default()
            }),
            "Alder OÜ"
        );
    }

    #[test]
    fn pages_hold_fifty_rows_and_a_page_past_the_end_shows_the_last() {
        let today = day(2026, 12, 6);
        let (open, debtors) = book(
            (0..120)
                .map(|n| owing(&format!("d{n:03}"), &format!("Debtor {n:03}"), day(2026, 11, 1), 10_000))
                .collect(),
        );
        let all = rows(&creditor(), &open, &debtors, today);
        let at = |page| {
            let f = Filter {
                page,
                sort: Sort::Name,
                ..Filter::default()
            };
            super::page(select(all.clone(), &f, today), &f)
        };
        let first = at(1);
        assert_eq!((first.rows.len(), first.matched, first.pages), (50, 120, 3));
        let last = at(9);
        assert_eq!((last.page, last.rows.len()), (3, 20));
        assert_eq!(last.rows[0].name, "Debtor 100");
    }

    #[test]
    fn a_filter_comes_back_from_its_own_address() {
        let f = Filter {
            text: "Tamm & Sons".into(),
            status: Some(Status::AtRisk),
            group: Some("Оптовики".into()),
            overdue_only: true,
            sort: Sort::Oldest,
            page: 3,
        };
        let query = f.query_with(&[("page", "3")]);
        let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(Filter::from_query(get), f);
        assert!(
            !f.query_with(&[]).contains("page="),
            "a changed filter starts at page 1"
        );
        assert_eq!(Filter::from_query(|_| "nonsense".into()).sort, Sort::Overdue);
    }
}
