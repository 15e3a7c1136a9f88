//! Customers: everyone who owes the creditor as a worklist: what is overdue, the oldest due date, where each
//! stands and what goes out next; found, filtered, sorted and paged; downloaded as CSV; paused, resumed or
//! moved to a group several at a time.

use chrono::{DateTime, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::calendar::calendar_for;
use duly_core::locale::{format_amounts, format_date, Language};
use duly_core::model::ids::DebtorId;
use duly_core::model::printable::csv_row;
use duly_core::planner::{explain, Context};
use duly_core::web::worklist::{page, rows, select, Filter, Sort, Status};
use duly_core::web::{form_field, Session};

use super::{checked, creditor, local_time};
use crate::settings::{set_debtor_group, set_debtor_reminders, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Customers changed by one bulk action at most: two pages' worth.
const MAX_BULK: usize = 100;

pub(super) fn status_words(lang: Language, statuses: &[Status]) -> Vec<serde_json::Value> {
    statuses
        .iter()
        .map(|s| json!({"code": s.code(), "text": say(lang, &format!("web-status-{}", s.code()), &FluentArgs::new())}))
        .collect()
}

/// `GET /app/debtors?q=&status=&group=&overdue=&sort=&page=`.
pub async fn customers(
    web: Web<'_>,
    session: &Session,
    filter: &Filter,
    done: Option<usize>,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let (open, debtors) = web.store.open_invoices_with_debtors(&c.creditor_id).await?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    let shown = page(select(rows(&c, &open, &debtors, today), filter, today), filter);
    let none = FluentArgs::new();
    let rows: Vec<_> = shown
        .rows
        .iter()
        .map(|r| {
            let debtor = debtors.iter().find(|d| d.debtor_id == r.debtor_id);
            let calendar = calendar_for(&c, debtor);
            let ctx = Context {
                creditor: &c,
                debtor,
                calendar: &calendar,
            };
            // What goes out next to them: the earliest planned message of any of their invoices.
            let next = open
                .iter()
                .filter(|i| i.open_for_debtor() == Some(&r.debtor_id))
                .filter_map(|i| explain(i, &ctx, now, lang).planned.into_iter().next())
                .min_by_key(|a| a.at)
                .map(|a| {
                    format!(
                        "{} · {}",
                        local_time(lang, c.time_zone, a.at),
                        crate::web::view::tone_text(lang, a.tone)
                    )
                });
            json!({
                "id": r.debtor_id.as_str(),
                "name": r.name,
                "email": r.email,
                "overdue": (!r.overdue.is_empty()).then(|| format_amounts(lang, &r.overdue)),
                "owed": format_amounts(lang, &r.owed),
                "oldest": format_date(lang, r.oldest_due),
                "late": r.oldest_due < today,
                "statuses": status_words(lang, &r.statuses),
                "group": r.group.as_deref().map(|g| c.groups.get(g).map_or(g, |group| group.title(g))),
                "next": next,
            })
        })
        .collect();
    let mut args = FluentArgs::new();
    args.set("page", shown.page);
    args.set("pages", shown.pages);
    args.set("matched", shown.matched);
    let sorts: Vec<_> = Sort::ALL
        .iter()
        .map(|s| {
            json!({
                "code": s.code(),
                "label": say(lang, &format!("web-sort-{}", s.code()), &none),
                "href": format!("/app/debtors?{}", filter.query_with(&[("sort", s.code())])),
                "current": *s == filter.sort,
            })
        })
        .collect();
    let page_href = |n: usize| format!("/app/debtors?{}", filter.query_with(&[("page", &n.to_string())]));
    let done = done.map(|count| {
        let mut args = FluentArgs::new();
        args.set("count", count);
        say(lang, "web-bulk-done", &args)
    });
    let html = render(
        "customers",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-customers-title", &none),
            "nav": "customers",
            "query": filter.text,
            "status": filter.status.map(|s| s.code()),
            "statuses": status_words(lang, &Status::ALL),
            "group": filter.group,
            "groups": c.groups.iter().map(|(id, g)| json!({"id": id, "name": g.title(id)})).collect::<Vec<_>>(),
            "overdue_only": filter.overdue_only,
            "sort": filter.sort.code(),
            "sorts": sorts,
            "rows": rows,
            "summary": say(lang, "web-customers-page", &args),
            "prev": (shown.page > 1).then(|| page_href(shown.page - 1)),
            "next": (shown.page < shown.pages).then(|| page_href(shown.page + 1)),
            "csv": format!("/app/debtors.csv?{}", filter.query_with(&[])),
            "back": filter.query_with(&[("page", &shown.page.to_string())]),
            "done": done,
        }),
    );
    Ok(Reply::page(200, html))
}

/// `GET /app/debtors.csv?…`: every customer the filter selects, in its order, for a spreadsheet.
pub async fn customers_csv(
    web: Web<'_>,
    session: &Session,
    filter: &Filter,
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let (open, debtors) = web.store.open_invoices_with_debtors(&c.creditor_id).await?;
    let today = now.with_timezone(&c.time_zone).date_naive();
    let selected = select(rows(&c, &open, &debtors, today), filter, today);
    let none = FluentArgs::new();
    let head: Vec<String> = [
        "col-customer",
        "col-email",
        "col-overdue",
        "col-owed",
        "col-oldest",
        "col-status",
        "col-group",
    ]
    .iter()
    .map(|id| say(lang, &format!("web-{id}"), &none))
    .collect();
    let mut out = csv_row(&head.iter().map(String::as_str).collect::<Vec<_>>());
    let amounts = |r: &[duly_core::model::money::Money]| {
        r.iter()
            .map(|m| format!("{} {}", m.to_decimal(), m.currency.code()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    for r in &selected {
        let statuses: Vec<String> = status_words(lang, &r.statuses)
            .iter()
            .filter_map(|s| s["text"].as_str().map(str::to_string))
            .collect();
        out.push_str(&csv_row(&[
            &r.name,
            r.email.as_deref().unwrap_or(""),
            &amounts(&r.overdue),
            &amounts(&r.owed),
            &r.oldest_due.to_string(),
            &statuses.join("; "),
            r.group
                .as_deref()
                .map_or("", |g| c.groups.get(g).map_or(g, |group| group.title(g))),
        ]));
    }
    Ok(Reply::download("customers.csv", out))
}

/// `POST /app/debtors/bulk`: the selected customers (`debtor`, repeated) paused, resumed, or moved to a
/// group (`action`: `pause`, `resume`, `group:{name}`, `no-group`), through the same rules as one at a
/// time; back to the same page of the list.
pub async fn bulk(
    web: Web<'_>,
    session: &Session,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, form_field(fields, "csrf")) {
        return Ok(refused);
    }
    let chosen: Vec<DebtorId> = fields
        .iter()
        .filter(|(k, _)| k == "debtor")
        .filter_map(|(_, v)| DebtorId::parse(v.clone()).ok())
        .take(MAX_BULK)
        .collect();
    let action = form_field(fields, "action");
    let mut done = 0;
    for debtor in &chosen {
        let changed = match action {
            "pause" => {
                let off = duly_core::settings::OverrideInput {
                    on: false,
                    until: None,
                    reason: None,
                };
                set_debtor_reminders(web.store, &c.creditor_id, debtor, Some(off), now).await
            }
            "resume" => set_debtor_reminders(web.store, &c.creditor_id, debtor, None, now).await,
            "no-group" => set_debtor_group(web.store, &c.creditor_id, debtor, None, now).await,
            other => match other.strip_prefix("group:") {
                Some(name) => set_debtor_group(web.store, &c.creditor_id, debtor, Some(name.to_string()), now).await,
                None => return Ok(super::not_found(lang)),
            },
        };
        match changed {
            Ok(_) => done += 1,
            // Another creditor's customer, or one gone since the page was shown: left out, never told apart.
            Err(SettingsError::NotFound(_)) => {}
            Err(SettingsError::Invalid(e)) => {
                return Ok(Reply::page(
                    422,
                    crate::web::view::in_app::problem_text(
                        lang,
                        422,
                        &duly_core::web::refused::refusal_words(lang, &e),
                    ),
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let back = form_field(fields, "back");
    let back: String = form_urlencoded::parse(back.as_bytes())
        .filter(|(k, _)| matches!(&**k, "q" | "status" | "group" | "overdue" | "sort" | "page"))
        .fold(form_urlencoded::Serializer::new(String::new()), |mut s, (k, v)| {
            s.append_pair(&k, &v);
            s
        })
        .append_pair("done", &done.to_string())
        .finish();
    Ok(Reply::see_other(format!("/app/debtors?{back}")))
}
