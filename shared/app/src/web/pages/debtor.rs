//! One customer: what they owe and what happens next (and why, or what holds it), their open invoices with
//! what can be done to each, one history of everything that happened with them, newest first, and where
//! and how they are written to.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::calendar::names::{country_name, offered_countries, zone_name};
use duly_core::calendar::place::whereabouts;
use duly_core::locale::Language;
use duly_core::locale::{format_date, format_money};
use duly_core::model::ids::DebtorId;
use duly_core::model::phone::PhoneKind;
use duly_core::model::Debtor;
use duly_core::web::Session;

use super::{checked, creditor, local_time, not_found};
use crate::settings::{
    erase_debtor, hand_off, set_debtor_group, set_debtor_place, set_debtor_reminders, SettingsError,
};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Events shown in the history, newest first.
const SHOWN: usize = 60;

/// Open invoices whose part payments and credit notes the history reads.
const SETTLED_READ: usize = 25;

/// One line of the customer's history.
struct Event {
    at: chrono::DateTime<chrono::Utc>,
    kind: &'static str,
    text: String,
    detail: Option<String>,
    /// A message's words as the customer got them.
    copy: Option<String>,
}

/// What is kept about the customer, read for their history.
struct Kept<'a> {
    messages: Vec<duly_adapters::store::MessageSummary>,
    answers: Vec<duly_adapters::store::RecordedAnswer>,
    paid: &'a [duly_core::model::PaidLate],
    notes: Vec<duly_adapters::store::Note>,
    /// Part payments and credit notes, by their invoice.
    settled: Vec<(
        duly_core::model::ids::InvoiceId,
        duly_adapters::store::RecordedSettlement,
    )>,
}

/// Everything that happened with the customer that Duly keeps: messages and what became of them,
/// answers (calls recorded among them), the payments that closed their invoices and the members' notes;
/// newest first, at most [`SHOWN`].
fn history(
    lang: duly_core::locale::Language,
    tz: chrono_tz::Tz,
    number_of: &dyn Fn(&str) -> String,
    kept: Kept<'_>,
) -> Vec<Event> {
    let Kept {
        messages,
        answers,
        paid,
        notes,
        settled,
    } = kept;
    let none = FluentArgs::new();
    let ts = |s: &str| duly_adapters::store::parse_ts(s).ok();
    let mut events = Vec::new();
    for m in messages {
        let Some(at) = ts(&m.claimed_at) else { continue };
        let mut outcome = vec![say(lang, &format!("web-status-{}", m.status), &none)];
        for code in [&m.delivery, &m.sms_delivery] {
            if !code.is_empty() {
                outcome.push(say(lang, &format!("web-delivery-{code}"), &none));
            }
        }
        if let Some(opened) = ts(&m.opened_at) {
            outcome.push(format!(
                "{} {}",
                say(lang, "web-debtor-opened", &none),
                local_time(lang, tz, opened)
            ));
        }
        let failed = matches!(m.status.as_str(), "failed" | "abandoned") || m.delivery == "bounce";
        let copy = [m.text, m.sms]
            .into_iter()
            .filter(|words| !words.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n———\n\n");
        events.push(Event {
            at,
            kind: if failed { "failed" } else { "sent" },
            text: m.subject,
            detail: Some(outcome.join(" · ")),
            copy: (!copy.is_empty()).then_some(copy),
        });
    }
    for a in answers {
        let Some(at) = ts(&a.at) else { continue };
        let mut args = FluentArgs::new();
        args.set("what", say(lang, &format!("web-answer-{}", a.action), &none));
        let named: Vec<String> = a.invoices.iter().map(|id| number_of(id)).collect();
        args.set("invoices", named.join(", "));
        events.push(Event {
            at,
            kind: "answer",
            text: say(lang, "web-timeline-answer", &args),
            detail: super::answer_words(lang, &a.action, &a.detail),
            copy: None,
        });
    }
    for p in paid {
        let mut args = FluentArgs::new();
        args.set("invoice", number_of(&p.invoice_id));
        args.set("days", p.days.unsigned_abs());
        let id = match p.days.cmp(&0) {
            std::cmp::Ordering::Greater => "web-timeline-paid-late",
            std::cmp::Ordering::Equal => "web-timeline-paid-on-time",
            std::cmp::Ordering::Less => "web-timeline-paid-early",
        };
        events.push(Event {
            at: p.paid_on.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc(),
            kind: "paid",
            text: say(lang, id, &args),
            detail: None,
            copy: None,
        });
    }
    for (invoice, st) in settled {
        let mut args = FluentArgs::new();
        args.set("invoice", number_of(invoice.as_str()));
        args.set("amount", format_money(lang, &st.amount));
        events.push(Event {
            at: st.at,
            kind: if st.credit_note { "credit" } else { "paid" },
            text: say(
                lang,
                if st.credit_note {
                    "web-timeline-credit"
                } else {
                    "web-timeline-part-payment"
                },
                &args,
            ),
            detail: None,
            copy: None,
        });
    }
    for n in notes {
        let mut args = FluentArgs::new();
        args.set("author", n.author);
        events.push(Event {
            at: n.at,
            kind: "note",
            text: n.text,
            detail: Some(say(lang, "web-timeline-note", &args)),
            copy: None,
        });
    }
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    events.truncate(SHOWN);
    events
}

pub async fn debtor(
    web: Web<'_>,
    session: &Session,
    id: &str,
    saved: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    page(web, session, id, None, saved, 200, now).await
}

/// The creditor's customer `id`, or the page saying there is none.
async fn customer(
    web: Web<'_>,
    c: &duly_core::model::Creditor,
    lang: Language,
    id: &str,
) -> Result<Result<duly_core::model::Debtor, Reply>, WebError> {
    let Ok(id) = DebtorId::parse(id.to_string()) else {
        return Ok(Err(not_found(lang)));
    };
    Ok(web
        .store
        .get_debtor(&c.creditor_id, &id)
        .await?
        .ok_or_else(|| not_found(lang)))
}

/// `GET /app/debtors/{id}/letter.pdf`: the customer's formal letter as it stands today, for posting.
pub async fn letter(
    web: Web<'_>,
    session: &Session,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let d = match customer(web, &c, lang, id).await? {
        Ok(d) if !crate::settings::is_erased(&d) => d,
        Ok(_) => return Ok(not_found(lang)),
        Err(missing) => return Ok(missing),
    };
    match crate::letter::debtor_letter(web.store, &c, &d, now).await {
        Ok(Some(file)) => Ok(Reply::pdf(&file.file_name, file.bytes)),
        Ok(None) => Ok(not_found(lang)),
        Err(crate::letter::LetterFailure::Store(e)) => Err(e.into()),
        Err(e) => {
            tracing::error!(error = %e, "a formal letter did not render");
            Ok(not_found(lang))
        }
    }
}

async fn debtor_with(
    web: Web<'_>,
    session: &Session,
    id: &str,
    note: Option<String>,
    status: u16,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    page(web, session, id, note, false, status, now).await
}

async fn page(
    web: Web<'_>,
    session: &Session,
    id: &str,
    note: Option<String>,
    saved: bool,
    status: u16,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let d = match customer(web, &c, lang, id).await? {
        Ok(d) => d,
        Err(missing) => return Ok(missing),
    };
    let id = d.debtor_id.clone();
    let place = whereabouts(&c, Some(&d));
    let invoices = web.store.open_invoices_of(&c.creditor_id, &id).await?;
    // The reasons are the score's own words, in English, as the API gives them.
    let today = now.with_timezone(&c.time_zone).date_naive();
    let score = duly_core::risk::score(&c, &d, &invoices, today, c.risk.threshold);
    let open: Vec<_> = invoices
        .iter()
        .filter_map(|i| {
            let doc = i.doc.as_ref()?;
            let due = i.balance.as_ref()?.amount_due;
            let money_plain = |minor: i64| {
                duly_core::model::money::Money {
                    minor,
                    currency: due.currency,
                }
                .to_decimal()
                .to_string()
            };
            let money = |minor| {
                format_money(
                    lang,
                    &duly_core::model::money::Money {
                        minor,
                        currency: due.currency,
                    },
                )
            };
            // An agreed plan's instalments, and a settlement offer still open.
            let plan: Vec<String> = i
                .controls
                .plan
                .iter()
                .filter(|p| p.broken_at.is_none())
                .flat_map(|p| p.instalments.iter())
                .map(|inst| format!("{} {}", format_date(lang, inst.due), money(inst.amount)))
                .collect();
            // The plan as an editor shows it, one instalment a line: the agreed one, else the request as asked.
            let editable: Vec<duly_core::plans::Instalment> = match (&i.controls.plan, i.controls.plan_request) {
                (Some(p), _) if p.broken_at.is_none() => p.instalments.clone(),
                (_, Some(asked)) => duly_core::plans::split(
                    due,
                    asked.instalments,
                    duly_core::calendar::bounds::shift(asked.at.date_naive(), i64::from(c.payment_plans.days_between)),
                    c.payment_plans.days_between,
                ),
                _ => Vec::new(),
            };
            let plan_lines = editable
                .iter()
                .map(|inst| format!("{} {}", inst.due, money_plain(inst.amount)))
                .collect::<Vec<_>>()
                .join("\n");
            let settlement = i
                .controls
                .settlement
                .as_ref()
                .map(|s| format!("{} → {}", money(s.amount.minor), format_date(lang, s.pay_by)));
            let needs = duly_core::web::todo::needs_on(&i.controls, today);
            let held = i
                .controls
                .reminders
                .as_ref()
                .is_some_and(|o| !o.on && o.applies_on(today));
            Some(json!({
                "id": i.invoice_id.as_str(),
                "number": doc.number,
                "due_date": format_date(lang, doc.due_date),
                "late": doc.due_date < today,
                "amount": format_money(lang, &due),
                "needs": needs.iter().map(|n| super::todo::need_text(lang, *n, &i.controls)).collect::<Vec<_>>(),
                "held": held,
                "disputed": i.controls.dispute.is_some(),
                "promised": i.controls.standing_promise(today).map(|p| format_date(lang, p.date)),
                "plan": plan,
                "plan_lines": plan_lines,
                "settlement": settlement,
            }))
        })
        .collect();
    let messages = web.store.message_summaries(&c.creditor_id, &id).await?;
    // Invoices by the number the creditor knows them by, where the invoice is still open.
    let number_of = |id: &str| -> String {
        invoices
            .iter()
            .find(|i| i.invoice_id.as_str() == id)
            .and_then(|i| i.doc.as_ref())
            .map_or_else(|| id.to_string(), |d| d.number.clone())
    };
    let answers = crate::settings::debtor_answers(web.store, &c.creditor_id, &id).await?;
    let notes = web.store.notes_of(&c.creditor_id, &id).await?;
    // Part payments and credit notes on the open invoices (a payment that closed one is in `paid_late`),
    // read a few invoices at a time, for the invoices a page shows at most.
    let open_ids: Vec<_> = invoices
        .iter()
        .filter(|i| i.is_open())
        .take(SETTLED_READ)
        .map(|i| i.invoice_id.clone())
        .collect();
    let settled = web.store.settlements_of_each(&c.creditor_id, &open_ids).await?;
    let kept = Kept {
        messages,
        answers,
        paid: &d.paid_late,
        notes,
        settled,
    };
    let events: Vec<_> = history(lang, c.time_zone, &number_of, kept)
    .into_iter()
    .map(|e| json!({"when": local_time(lang, c.time_zone, e.at), "kind": e.kind, "text": e.text, "detail": e.detail, "copy": e.copy}))
    .collect();
    // Where they stand: what they owe and is overdue, their statuses, and what goes out next (or why not).
    let row = duly_core::web::worklist::rows(&c, &invoices, std::slice::from_ref(&d), today)
        .into_iter()
        .next();
    let calendar = duly_core::calendar::calendar_for(&c, Some(&d));
    let ctx = duly_core::planner::Context {
        creditor: &c,
        debtor: Some(&d),
        calendar: &calendar,
    };
    let explained: Vec<_> = invoices
        .iter()
        .filter(|i| i.is_open())
        .map(|i| duly_core::planner::explain(i, &ctx, now, lang))
        .collect();
    let none = FluentArgs::new();
    let next = explained
        .iter()
        .filter_map(|e| e.planned.first())
        .min_by_key(|a| a.at)
        .map(|a| super::decide::next_message(lang, c.time_zone, a));
    let standing = row.map(|r| {
        let mut args = FluentArgs::new();
        args.set("amount", duly_core::locale::format_amounts(lang, &r.owed));
        let mut late = FluentArgs::new();
        late.set("amount", duly_core::locale::format_amounts(lang, &r.overdue));
        json!({
            "owes": say(lang, "web-debtor-owes", &args),
            "overdue": (!r.overdue.is_empty()).then(|| say(lang, "web-debtor-overdue", &late)),
            "statuses": super::customers::status_words(lang, &r.statuses),
        })
    });
    let refused: Vec<String> = d
        .controls
        .email_refused
        .iter()
        .map(|r| r.address.clone())
        .chain(d.controls.earlier_refused.iter().cloned())
        .collect();
    let mut args = FluentArgs::new();
    args.set("addresses", refused.join(", "));
    let phone = phone_words(lang, &d);
    let language_rule = {
        let mut args = FluentArgs::new();
        args.set("language", crate::web::view::language_name(lang, place.language));
        args.set("country", country_name(lang, &place.country));
        say(
            lang,
            &format!("web-language-rule-{}", place.language_rule.code()),
            &args,
        )
    };
    let paused = d.controls.reminders.as_ref().filter(|o| !o.on).map(|o| {
        let mut args = FluentArgs::new();
        args.set(
            "reason",
            duly_core::handoff::pause_reason_words(lang, o.reason.as_deref()),
        );
        match o.until {
            Some(until) => {
                args.set("until", format_date(lang, until));
                say(lang, "web-debtor-paused", &args)
            }
            None => say(lang, "web-debtor-paused-open", &args),
        }
    });
    let languages = crate::web::view::language_choices(lang);
    // The countries Duly knows by name, by name; one set on the customer that is not among them, too.
    let mut countries: Vec<(String, String)> = offered_countries()
        .into_iter()
        .map(|code| (code.to_string(), country_name(lang, code)))
        .collect();
    if let Some(own) = d.controls.place.country.as_deref() {
        if !countries.iter().any(|(code, _)| code == own) {
            countries.push((own.to_string(), country_name(lang, own)));
        }
    }
    countries.sort_by(|a, b| a.1.cmp(&b.1));
    let countries: Vec<_> = countries
        .into_iter()
        .map(|(code, name)| json!({"code": code, "name": name}))
        .collect();
    // The zones of the countries offered, to pick from while typing.
    let zones: std::collections::BTreeMap<&str, String> = offered_countries()
        .into_iter()
        .filter_map(|code| duly_core::calendar::zones::country_time_zone(code, None))
        .chain([place.time_zone])
        .map(|z| (z.name(), zone_name(z)))
        .collect();
    let zones: Vec<_> = zones
        .into_iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    let html = render(
        "debtor",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": d.name,
            "nav": "customers",
            "place": format!(
                "{} · {} · {}",
                crate::web::view::language_name(lang, place.language),
                country_name(lang, &place.country),
                zone_name(place.time_zone)
            ),
            "countries": countries,
            "zones": zones,
            "zone_placeholder": place.time_zone.name(),
            "email": d.email,
            "phone": phone,
            "language_rule": language_rule,
            "refused": (!refused.is_empty()).then(|| say(lang, "web-debtor-refused", &args)),
            "open": open,
            "events": events,
            "standing": standing,
            "next": next,
            "nothing_next": next.is_none().then(|| say(lang, "web-debtor-nothing-next", &none)),
            "saved": saved.then(|| say(lang, "web-saved", &none)),
            "debtor_id": id.as_str(),
            "paused": paused,
            "note": note,
            "score": score,
            "languages": languages,
            "groups": c.groups.iter().map(|(id, g)| json!({"id": id, "name": g.title(id)})).collect::<Vec<_>>(),
            "group": d.controls.group,
            "chosen": {
                "language": d.controls.place.language,
                "country": d.controls.place.country,
                "time_zone": d.controls.place.time_zone.map(|z| z.name()),
            },
        }),
    );
    Ok(Reply::page(status, html))
}

/// `POST /app/debtors/{id}/notes`: a note on the customer, in their history from now on.
pub async fn add_note(
    web: Web<'_>,
    session: &Session,
    id: &str,
    text: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let Ok(id) = DebtorId::parse(id.to_string()) else {
        return Ok(not_found(lang));
    };
    if web.store.get_debtor(&c.creditor_id, &id).await?.is_none() {
        return Ok(not_found(lang));
    }
    let text = match duly_core::web::notes::note_text(text) {
        Ok(text) => text,
        Err(refusal) => {
            let why = match refusal {
                duly_core::web::notes::NoteRefusal::Empty => "web-note-empty",
                duly_core::web::notes::NoteRefusal::TooLong => "web-note-too-long",
            };
            let mut args = FluentArgs::new();
            args.set("max", duly_core::web::notes::MAX_NOTE_CHARS);
            return debtor_with(web, session, id.as_str(), Some(say(lang, why, &args)), 422, now).await;
        }
    };
    let note = duly_adapters::store::Note {
        at: now,
        author: session.email.clone(),
        text,
    };
    web.store.put_note(&c.creditor_id, &id, &note).await?;
    Ok(Reply::see_other(format!(
        "/app/debtors/{}?saved=1#history",
        id.as_str()
    )))
}

/// What the debtor page's forms send.
#[derive(Debug, Clone, Default)]
pub struct DebtorForm {
    pub csrf: String,
    /// `pause`, `resume`, `place`, `group`, `handoff` or `erase`.
    pub action: String,
    /// For `group`: the group's id, or empty for none set here.
    pub group: String,
    /// `yes` when the member ticked that an erasure cannot be undone.
    pub confirm: String,
    pub until: String,
    pub reason: String,
    pub language: String,
    pub country: String,
    pub time_zone: String,
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// `POST /app/debtors/{id}`: pause or resume the debtor's reminders, or set where they are written to.
pub async fn change_debtor(
    web: Web<'_>,
    session: &Session,
    id: &str,
    form: &DebtorForm,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, &form.csrf) {
        return Ok(refused);
    }
    let Ok(debtor_id) = DebtorId::parse(id.to_string()) else {
        return Ok(not_found(lang));
    };
    let result = match form.action.as_str() {
        "pause" => {
            let until = match optional(&form.until).map(|u| u.parse::<chrono::NaiveDate>()) {
                Some(Ok(d)) => Some(d),
                Some(Err(_)) => {
                    return debtor_with(
                        web,
                        session,
                        id,
                        Some(say(lang, "web-bad-date", &FluentArgs::new())),
                        422,
                        now,
                    )
                    .await
                }
                None => None,
            };
            let input = duly_core::settings::OverrideInput {
                on: false,
                until,
                reason: optional(&form.reason),
            };
            set_debtor_reminders(web.store, &c.creditor_id, &debtor_id, Some(input), now)
                .await
                .map(|_| ())
        }
        "resume" => set_debtor_reminders(web.store, &c.creditor_id, &debtor_id, None, now)
            .await
            .map(|_| ()),
        "place" => {
            let time_zone = match optional(&form.time_zone).map(|z| z.parse::<chrono_tz::Tz>()) {
                Some(Ok(z)) => Some(z),
                Some(Err(_)) => {
                    return debtor_with(
                        web,
                        session,
                        id,
                        Some(say(lang, "web-bad-zone", &FluentArgs::new())),
                        422,
                        now,
                    )
                    .await
                }
                None => None,
            };
            let place = duly_core::model::Place {
                language: optional(&form.language),
                country: optional(&form.country).map(|c| c.to_ascii_uppercase()),
                time_zone,
            };
            set_debtor_place(web.store, &c.creditor_id, &debtor_id, place, now)
                .await
                .map(|_| ())
        }
        "group" => set_debtor_group(web.store, &c.creditor_id, &debtor_id, optional(&form.group), now)
            .await
            .map(|_| ()),
        // The bundle itself is the answer: a page to print or save, made as the signed-in member.
        "handoff" => {
            return match hand_off(web.store, &c.creditor_id, &debtor_id, &session.email, now).await {
                Ok(bundle) => Ok(Reply::email(bundle.html(lang))),
                Err(SettingsError::NotFound(_)) => Ok(not_found(lang)),
                Err(e) => Err(e.into()),
            }
        }
        "erase" if form.confirm == "yes" => erase_debtor(web.store, &c.creditor_id, &debtor_id, now)
            .await
            .map(|_| ()),
        "erase" => {
            return debtor_with(
                web,
                session,
                id,
                Some(say(lang, "web-debtor-erase-unconfirmed", &FluentArgs::new())),
                422,
                now,
            )
            .await
        }
        _ => return Ok(not_found(lang)),
    };
    match result {
        Ok(()) => Ok(Reply::see_other(format!("/app/debtors/{debtor_id}?saved=1"))),
        Err(SettingsError::NotFound(_)) => Ok(not_found(lang)),
        Err(SettingsError::Invalid(e)) => {
            debtor_with(
                web,
                session,
                id,
                Some(duly_core::web::refused::refusal_words(lang, &e)),
                422,
                now,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The number Duly uses and what for, or the platform's number it could not use and why.
fn phone_words(lang: Language, d: &Debtor) -> Option<String> {
    let mut args = FluentArgs::new();
    if let Some(number) = &d.phone {
        args.set("number", number.clone());
        let id = match d.phone_kind {
            PhoneKind::Mobile => "web-debtor-phone-mobile",
            PhoneKind::Landline => "web-debtor-phone-landline",
        };
        return Some(say(lang, id, &args));
    }
    let refused = d.phone_refused.as_ref()?;
    args.set("given", refused.given.clone());
    args.set(
        "reason",
        say(
            lang,
            &format!("phone-problem-{}", refused.problem.code()),
            &FluentArgs::new(),
        ),
    );
    Some(say(lang, "web-debtor-phone-refused", &args))
}

#[cfg(test)]
mod tests {
    use duly_core::model::phone::{PhoneProblem, RefusedPhone};

    use super::*;

    #[test]
    fn the_page_says_what_the_number_is_for_or_why_the_platforms_number_is_not_used() {
        let mut d: Debtor = serde_json::from_value(serde_json::json!({
            "creditor_id": "acme", "debtor_id": "cus-1", "name": "Tamm", "email": null, "phone": "+37255512345",
            "language": null, "country": "EE", "time_zone": null, "updated_at": "2026-11-01T00:00:00Z"
        }))
        .unwrap();
        assert_eq!(phone_words(Language::Et, &d).as_deref(), Some("+37255512345 (mobiil)"));
        d.phone_kind = PhoneKind::Landline;
        assert!(phone_words(Language::En, &d)
            .unwrap()
            .contains("text messages do not go there"));
        d.phone = None;
        assert_eq!(phone_words(Language::En, &d), None);
        d.phone_refused = Some(RefusedPhone {
            given: "5551 2345".into(),
            problem: PhoneProblem::NoCountry,
        });
        let said = phone_words(Language::Pl, &d).unwrap();
        assert!(said.contains("„5551 2345”") && said.contains("kraj klienta"), "{said}");
    }
}
