//! Today: what stops reminders going out and how to fix it, the money per currency (owed, overdue,
//! collected this month, DSO), what waits in To do, what goes out in the next seven days and why, what was
//! sent lately and what reminders brought in, the latest answers, and the latest notices.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::calendar::calendar_for;
use duly_core::locale::{format_amounts, format_money};
use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_core::model::{Creditor, Debtor};
use duly_core::planner::{explain, Context};
use duly_core::web::blockers::{blockers, Standing};
use duly_core::web::collected::{paid_after_reminders, Reminded};
use duly_core::web::money::headlines;
use duly_core::web::Session;

use super::{creditor, local_time};
use crate::web::view::{render, rule_text, say};
use crate::web::{Reply, Web, WebError};

/// Invoices looked at for the week ahead; a creditor with more sees the earliest due first.
const MAX_INVOICES: usize = 200;
/// Lines shown of answers and notices.
const LATEST: usize = 5;
/// Messages shown of those sent lately, and invoices of those paid after a reminder.
const LATEST_SENT: usize = 10;
/// Reminders read for what they brought in: the last thirty days', up to this many.
const RECENT_MESSAGES: i32 = 500;
const PAID_WINDOW_DAYS: i64 = 30;

/// The channels of a message in the creditor's words: "E-mail + SMS".
pub(super) fn channel_names(lang: duly_core::locale::Language, channels: &[duly_core::policy::Channel]) -> String {
    channels
        .iter()
        .map(|ch| {
            say(
                lang,
                &format!("report-channel-{}", format!("{ch:?}").to_lowercase()),
                &FluentArgs::new(),
            )
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Where the creditor stands: what of it stops reminders going out.
async fn standing(web: Web<'_>, c: &Creditor, now: DateTime<Utc>) -> Result<Standing, WebError> {
    let linked = web.store.linked(&c.creditor_id).await?;
    let catch_ups = web.store.catch_ups(&c.creditor_id).await?;
    // Connections made before the creditor's list was kept are known by their catch-up only.
    let connected = c.disconnected.is_none() && (linked.iter().any(|l| l.active) || !catch_ups.is_empty());
    let platform_behind =
        duly_core::platforms::freshness::stale_because(&web.store.sync_states(&c.creditor_id).await?, now).is_some();
    // Duly's own address carries mail when the creditor's domain is not verified; only without it does
    // the creditor's domain decide (a call to SES).
    let can_send_email = web.notifier.is_some()
        || crate::settings::own_domain(web.store, web.outbound, &c.creditor_id, &c.branding.from_address).await;
    let cap_reached = match c.billing.monthly_cap {
        Some(cap) => {
            let month = duly_core::model::billing_month(now);
            web.store.usage(&c.creditor_id, &month).await?.counts().cost(web.prices) >= cap
        }
        None => false,
    };
    let today = now.with_timezone(&c.time_zone).date_naive();
    let country = c.late_charges.law_country(&c.country);
    let rates_missing = c.late_charges.interest
        && web
            .store
            .rate_book(&[])
            .await?
            .known_until(country)
            .is_none_or(|until| until < today);
    Ok(Standing {
        reminders_on: c.policy.enabled,
        connected,
        platform_behind,
        can_send_email,
        cap_reached,
        rates_missing,
    })
}

pub async fn today(web: Web<'_>, session: &Session, now: DateTime<Utc>) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let mut open = web.store.open_invoices_of_creditor(&c.creditor_id).await?;
    let none = FluentArgs::new();
    let figures = crate::settings::month_figures(web.store, &c, &open, now).await?;
    let money: Vec<_> = headlines(&figures)
        .iter()
        .map(|h| {
            json!({
                "currency": h.currency.code(),
                "outstanding": format_money(lang, &h.outstanding),
                "overdue": format_money(lang, &h.overdue),
                "overdue_any": !h.overdue.is_zero(),
                "collected": format_money(lang, &h.collected),
                "dso": h.dso_days.as_deref().map(|d| duly_core::locale::format_decimal(lang, d)),
            })
        })
        .collect();
    let mut counts = FluentArgs::new();
    counts.set("count", figures.paid_after_reminder);
    counts.set("payments", figures.payments);
    let after_reminder = (figures.payments > 0).then(|| say(lang, "web-today-after-reminder", &counts));
    let standing = standing(web, &c, now).await?;
    let warnings: Vec<_> = blockers(&standing)
        .into_iter()
        .map(|b| {
            json!({
                "code": b.code(),
                "text": say(lang, &format!("web-blocked-{}", b.code()), &none),
                "fix": say(lang, &format!("web-blocked-{}-fix", b.code()), &none),
                "href": b.fixed_at(),
                "stops": b.stops_everything(),
            })
        })
        .collect();
    let mut waiting = FluentArgs::new();
    waiting.set("count", web.todo);
    open.sort_by_key(|i| i.doc.as_ref().map(|d| d.due_date));
    let mut debtors: HashMap<DebtorId, Option<Debtor>> = HashMap::new();
    let open = &open[..open.len().min(MAX_INVOICES)];
    let ids = open.iter().filter_map(|i| i.doc.as_ref().map(|d| d.debtor_id.clone()));
    load_debtors(web, &c.creditor_id, &mut debtors, ids).await?;
    let mut planned = Vec::new();
    for invoice in open {
        let Some(doc) = invoice.doc.as_ref() else { continue };
        let debtor = debtors.get(&doc.debtor_id).and_then(Option::as_ref);
        let calendar = calendar_for(&c, debtor);
        let ctx = Context {
            creditor: &c,
            debtor,
            calendar: &calendar,
        };
        for action in explain(invoice, &ctx, now, lang)
            .planned
            .into_iter()
            .filter(|a| a.at < now + Duration::days(7))
        {
            planned.push((
                action.at,
                json!({
                    "when": local_time(lang, c.time_zone, action.at),
                    "debtor": debtor.map_or_else(|| doc.debtor_id.to_string(), |d| d.name.clone()),
                    "debtor_id": doc.debtor_id.as_str(),
                    "invoice": doc.number,
                    "step": action.step_name.unwrap_or_else(|| crate::web::view::tone_text(lang, action.tone)),
                    "channels": channel_names(lang, &action.channels),
                    "why": rule_text(lang, &action.rule_parts),
                }),
            ));
        }
    }
    planned.sort_by_key(|(at, _)| *at);
    // One query for the reminders of the last thirty days (the latest ten are listed), one batch read for
    // the invoices they named: which are paid since, and what reminders brought in.
    let recent = web.store.recent_messages(&c.creditor_id, RECENT_MESSAGES).await?;
    let since = now - Duration::days(PAID_WINDOW_DAYS);
    let reminded: Vec<Reminded> = recent
        .iter()
        .filter_map(|m| {
            Some(Reminded {
                at: duly_adapters::store::parse_ts(&m.claimed_at).ok()?,
                invoices: m.invoices.clone(),
            })
        })
        .filter(|r| r.at >= since)
        .collect();
    let named: Vec<InvoiceId> = reminded
        .iter()
        .flat_map(|r| r.invoices.iter())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|i| InvoiceId::parse(i.clone()).ok())
        .collect();
    let named = web.store.get_invoices(&c.creditor_id, &named).await?;
    let (collected, collected_totals) = paid_after_reminders(&reminded, &named, since);
    let paid: HashSet<String> = named
        .iter()
        .filter(|i| i.voided_at.is_none() && !i.is_open() && i.balance.is_some_and(|b| b.amount_due.minor == 0))
        .map(|i| i.invoice_id.to_string())
        .collect();
    // The first-run checklist, until the creditor is live: reminders on and something sent.
    let checklist = (!c.policy.enabled || recent.is_empty()).then(|| {
        [
            ("connect", standing.connected, "/app/connections"),
            ("brand", c.setup.branded_at.is_some(), "/app/branding"),
            ("schedule", c.setup.schedule_saved_at.is_some(), "/app/schedule"),
            ("preview", c.setup.preview_sent_at.is_some(), "/app/preview"),
            ("switch-on", c.policy.enabled, "/app/schedule"),
        ]
        .into_iter()
        .map(|(step, done, href)| json!({"step": step, "text": say(lang, &format!("web-setup-{step}"), &none), "done": done, "href": href}))
        .collect::<Vec<_>>()
    });
    let shown = &recent[..recent.len().min(LATEST_SENT)];
    let answers = web.store.latest_answers(&c.creditor_id, LATEST as i32).await?;
    let wanted = shown
        .iter()
        .map(|m| m.debtor_id.clone())
        .chain(answers.iter().map(|a| a.debtor_id.clone()))
        .filter_map(|id| DebtorId::parse(id).ok())
        .chain(collected.iter().take(LATEST_SENT).map(|p| p.debtor_id.clone()));
    load_debtors(web, &c.creditor_id, &mut debtors, wanted).await?;
    let name_of = |id: &str| {
        DebtorId::parse(id.to_string())
            .ok()
            .and_then(|id| debtors.get(&id).cloned().flatten())
            .map_or_else(|| id.to_string(), |d| d.name)
    };
    let sent: Vec<_> = shown
        .iter()
        .map(|m| {
            let at = duly_adapters::store::parse_ts(&m.claimed_at)
                .map(|t| local_time(lang, c.time_zone, t))
                .unwrap_or_default();
            json!({
                "when": at,
                "debtor": name_of(&m.debtor_id),
                "debtor_id": m.debtor_id,
                "summary": m.summary,
                "state": m.status,
                "status": say(lang, &format!("web-status-{}", m.status), &FluentArgs::new()),
                "paid": m.invoices.iter().any(|i| paid.contains(i)),
            })
        })
        .collect();
    let collected_rows: Vec<_> = collected
        .iter()
        .take(LATEST_SENT)
        .map(|p| {
            json!({
                "debtor": name_of(p.debtor_id.as_str()),
                "debtor_id": p.debtor_id.as_str(),
                "invoice": p.number,
                "amount": format_money(lang, &p.amount),
                "reminded": local_time(lang, c.time_zone, p.reminded_at),
                "paid": local_time(lang, c.time_zone, p.paid_at),
            })
        })
        .collect();
    let latest_answers: Vec<_> = answers
        .iter()
        .map(|a| {
            json!({
                "debtor": name_of(&a.debtor_id),
                "debtor_id": a.debtor_id,
                "what": say(lang, &format!("web-answer-{}", a.action), &FluentArgs::new()),
                "invoices": a.invoices.join(", "),
                "detail": super::answer_words(lang, &a.action, &a.detail),
            })
        })
        .collect();
    let notices: Vec<_> = web
        .store
        .latest_notices(&c.creditor_id, LATEST as i32)
        .await?
        .iter()
        .filter_map(|n| n.notice.subject(lang).ok())
        .collect();
    let calls = web.store.open_calls(&c.creditor_id).await?.len();
    let mut count = FluentArgs::new();
    count.set("count", calls);
    let title = say(lang, "web-today-title", &FluentArgs::new());
    let html = render(
        "today",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": title,
            "nav": "today",
            "planned": planned.into_iter().map(|(_, row)| row).collect::<Vec<_>>(),
            "answers": latest_answers,
            "notices": notices,
            "sent": sent,
            "collected": collected_rows,
            "collected_count": collected.len(),
            "collected_total": format_amounts(lang, &collected_totals),
            "no_address": session.email.is_empty(),
            "money": money,
            "after_reminder": after_reminder,
            "warnings": warnings,
            "checklist": checklist,
            "waiting": (web.todo > 0).then(|| say(lang, "web-today-waiting", &waiting)),
            "calls": (calls > 0).then(|| say(lang, "web-today-calls", &count)),
        }),
    );
    Ok(Reply::page(200, html))
}

/// Reads the debtors of `ids` not read yet, in one batch; a debtor that does not exist is remembered as
/// such.
async fn load_debtors(
    web: Web<'_>,
    creditor: &duly_core::model::ids::CreditorId,
    debtors: &mut HashMap<DebtorId, Option<Debtor>>,
    ids: impl Iterator<Item = DebtorId>,
) -> Result<(), WebError> {
    let wanted: Vec<DebtorId> = ids
        .filter(|id| !debtors.contains_key(id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for id in &wanted {
        debtors.insert(id.clone(), None);
    }
    for d in web.store.get_debtors(creditor, &wanted).await? {
        debtors.insert(d.debtor_id.clone(), Some(d));
    }
    Ok(())
}
