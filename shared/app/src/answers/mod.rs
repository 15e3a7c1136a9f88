//! Debtors answering a message: "already paid", "I will pay on…", "I dispute this", or unsubscribing from
//! pre-due notes. Each answer pauses or defers the plan through the same controls the creditor's settings
//! API uses, is recorded for the creditor, and is sent to the creditor's reply-to address.

use chrono::{DateTime, Days, NaiveDate, Utc};
use fluent_bundle::FluentArgs;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use duly_adapters::outbound::Outbound;
use duly_adapters::store::{Store, StoreError};
use duly_core::locale::wording;
use duly_core::locale::{format_date, Language};
use duly_core::messages::links::{link_id, Action, Answer, LinkError, Links};
use duly_core::model::ids::InvoiceId;
use duly_core::model::{Dispute, Override, Promise};

use crate::notify::{tell, Notifier};
use crate::settings::{change_debtor, change_invoice, SettingsError};
use duly_core::notices::{Notice, NoticeKind};

pub mod statement;

/// How long "already paid" pauses reminders while the payment travels.
pub const PAID_PAUSE_DAYS: u64 = 7;
/// How a recorded answer's detail begins, before the debtor's own reason or date: the app reads these back.
pub use duly_core::locale::answers::{DISPUTES_IT, PROMISES_BY};
/// How far ahead a debtor may promise to pay.
pub use duly_core::model::DEBTOR_PROMISE_MAX_DAYS as PROMISE_MAX_DAYS;
/// How often one link may be answered in a day: enough to correct a promise's date, too few to flood the
/// creditor's inbox.
pub const ANSWERS_PER_LINK_PER_DAY: u32 = 3;

/// An HTML page for the debtor, with its status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub status: u16,
    pub html: String,
}

#[derive(Serialize)]
struct PageView {
    lang: &'static str,
    creditor: String,
    colour: String,
    title: String,
    text: String,
    form: bool,
    ask_date: bool,
    ask_reason: bool,
    date_label: String,
    reason_label: String,
    button: String,
    min_date: String,
    max_date: String,
    /// The creditor's settlement offers still open on these invoices.
    offers: Vec<String>,
    /// On the "I will pay on…" page, where the creditor allows plans: how many instalments one may ask for.
    instalment_choices: Vec<u8>,
    plan_label: String,
    plan_button: String,
}

fn page(status: u16, view: &PageView) -> Page {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("answer", include_str!("../../templates/answer.html.j2"))
        .expect("the shipped page template parses");
    let html = env
        .get_template("answer")
        .and_then(|t| t.render(minijinja::value::Serde(view)))
        .expect("the shipped page template renders; the answers tests prove it");
    Page { status, html }
}

fn say(lang: Language, id: &str, args: &FluentArgs<'_>) -> String {
    wording(lang, id, args).unwrap_or_else(|e| {
        tracing::error!(error = %e, "missing answer wording");
        id.to_string()
    })
}

/// A plain page for a link that does not work, in `lang`: the link's own language where it can be read,
/// else the one the reader's browser asks for.
fn problem(lang: Language, error: &LinkError) -> Page {
    let (id, status) = match error {
        LinkError::Invalid => ("answer-invalid", 404),
        LinkError::Expired => ("answer-expired", 410),
    };
    notice(lang, status, id)
}

/// A pay link that has expired or never was, in the language the reader's browser asks for.
pub fn pay_link_gone(lang: Language) -> Page {
    notice(lang, 404, "answer-pay-link-gone")
}

/// A form too large to read.
pub fn form_too_large(lang: Language) -> Page {
    notice(lang, 413, "answer-too-large")
}

/// A page that only says one thing from the language files, with its status code.
pub fn notice(lang: Language, status: u16, id: &str) -> Page {
    let text = say(lang, id, &FluentArgs::new());
    page(
        status,
        &PageView {
            lang: lang.code(),
            creditor: String::new(),
            colour: "#52606d".into(),
            title: text.clone(),
            text: String::new(),
            form: false,
            ask_date: false,
            ask_reason: false,
            date_label: String::new(),
            reason_label: String::new(),
            button: String::new(),
            min_date: String::new(),
            max_date: String::new(),
            offers: Vec::new(),
            instalment_choices: Vec::new(),
            plan_label: String::new(),
            plan_button: String::new(),
        },
    )
}

struct Subject {
    creditor_name: String,
    colour: String,
    time_zone: chrono_tz::Tz,
    numbers: Vec<String>,
    /// The creditor's own language, for telling them about the answer.
    creditor_language: Language,
    /// The debtor's name as the platform knows it, for the creditor.
    debtor_name: Option<String>,
    /// Whom to tell about the answer, and how.
    creditor: duly_core::model::Creditor,
    /// Settlement offers on these invoices: number, amount, date.
    settlements: Vec<(String, duly_core::model::money::Money, NaiveDate)>,
    /// What the creditor and the debtor decided about these invoices so far.
    controls: Vec<duly_core::model::InvoiceControls>,
}

/// What the debtor answered, for telling the creditor in their language.
enum Told {
    Paid { until: NaiveDate },
    Promise { date: NaiveDate },
    Dispute { reason: String },
    Unsubscribe,
    Plan { instalments: u8 },
}

async fn subject(store: &Store, answer: &Answer) -> Result<Option<Subject>, StoreError> {
    let Some(creditor) = store.get_creditor(&answer.creditor).await? else {
        return Ok(None);
    };
    let invoices = store.get_invoices(&answer.creditor, &answer.invoices).await?;
    let numbers = invoices
        .iter()
        .filter_map(|i| i.doc.as_ref().map(|d| d.number.clone()))
        .collect();
    let debtor = store.get_debtor(&answer.creditor, &answer.debtor).await?;
    // An erased debtor's links answer nothing: what they would write is personal data Duly was asked to
    // forget, and their reminders are off anyway.
    if debtor.as_ref().is_some_and(crate::settings::is_erased) {
        return Ok(None);
    }
    let debtor_name = debtor.map(|d| d.name).filter(|n| !n.trim().is_empty());
    let creditor_language = Language::of_creditor(&creditor);
    let settlements = invoices
        .iter()
        .filter(|i| i.is_open())
        .filter_map(|i| {
            let s = i.controls.settlement.as_ref().filter(|s| s.settled_at.is_none())?;
            Some((i.doc.as_ref()?.number.clone(), s.amount, s.pay_by))
        })
        .collect();
    Ok(Some(Subject {
        controls: invoices.iter().map(|i| i.controls.clone()).collect(),
        settlements,
        creditor_name: creditor.branding.trading_name.clone(),
        colour: creditor.branding.brand_colour.clone(),
        time_zone: creditor.time_zone,
        numbers,
        creditor_language,
        debtor_name,
        creditor,
    }))
}

fn form_view(answer: &Answer, s: &Subject, now: DateTime<Utc>, note: Option<String>) -> PageView {
    let lang = answer.language;
    let mut args = FluentArgs::new();
    args.set("creditor", s.creditor_name.clone());
    args.set("what", s.numbers.join(", "));
    let today = now.with_timezone(&s.time_zone).date_naive();
    let key = answer.action.as_str();
    let none = FluentArgs::new();
    let ask = say(lang, &format!("answer-ask-{key}"), &args);
    PageView {
        lang: lang.code(),
        creditor: s.creditor_name.clone(),
        colour: s.colour.clone(),
        title: say(lang, &format!("answer-title-{key}"), &none),
        text: note.map(|n| format!("{n} {ask}")).unwrap_or(ask),
        form: true,
        ask_date: answer.action == Action::Promise,
        ask_reason: answer.action == Action::Dispute,
        date_label: say(lang, "answer-date", &none),
        reason_label: say(lang, "answer-reason", &none),
        button: say(lang, "answer-send", &none),
        min_date: today.to_string(),
        max_date: (today + Days::new(PROMISE_MAX_DAYS)).to_string(),
        instalment_choices: match answer.action {
            Action::Promise => (2..=s.creditor.payment_plans.max_instalments).collect(),
            _ => Vec::new(),
        },
        plan_label: say(lang, "answer-plan-label", &none),
        plan_button: say(lang, "answer-plan-send", &none),
        offers: s
            .settlements
            .iter()
            .filter(|(_, _, by)| *by >= today)
            .map(|(number, amount, by)| {
                let mut a = FluentArgs::new();
                a.set("amount", duly_core::locale::format_money(lang, amount));
                a.set("date", duly_core::locale::format_date(lang, *by));
                format!("{number}: {}", say(lang, "settlement-offer", &a))
            })
            .collect(),
    }
}

/// `GET /a/{token}`: the question, never the change.
/// `reader` is the language the browser asks for, for a link too broken to name its own.
pub async fn show(
    store: &Store,
    links: &Links,
    token: &str,
    reader: Language,
    now: DateTime<Utc>,
) -> Result<Page, StoreError> {
    let answer = match links.verify(token, now) {
        Ok(a) => a,
        Err(e) => return Ok(problem(reader, &e)),
    };
    if answer.action == Action::Statement {
        return Ok(statement::show(store, links, token, &answer, now)
            .await?
            .unwrap_or_else(|| problem(answer.language, &LinkError::Invalid)));
    }
    let Some(s) = subject(store, &answer).await? else {
        return Ok(problem(answer.language, &LinkError::Invalid));
    };
    Ok(page(200, &form_view(&answer, &s, now, None)))
}

/// `GET /a/{token}/invoice/{id}` of a debtor's page link: the invoice's document, or a page saying why not.
pub async fn invoice_document(
    store: &Store,
    links: &Links,
    token: &str,
    invoice: &str,
    reader: Language,
    now: DateTime<Utc>,
) -> Result<Result<statement::File, Page>, StoreError> {
    match links.verify(token, now) {
        Ok(answer) if answer.action == Action::Statement => {
            statement::document(store, token, &answer, invoice, now).await
        }
        Ok(answer) => Ok(Err(problem(answer.language, &LinkError::Invalid))),
        Err(e) => Ok(Err(problem(reader, &e))),
    }
}

/// What a debtor submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub date: Option<String>,
    pub reason: Option<String>,
    /// On the "I will pay on…" page: instalments asked for instead of a date.
    pub instalments: Option<String>,
}

/// Why a promise or a plan request may not be made now, in the debtor's language: a promise that has not
/// fallen due stands until it does (or the creditor clears it), and a declined plan is not asked for again
/// for some days. Without these a debtor could hold reminders back for ever.
fn deferral_refused(answer: &Answer, s: &Subject, submission: &Submission, now: DateTime<Utc>) -> Option<String> {
    if answer.action != Action::Promise {
        return None;
    }
    let lang = answer.language;
    let today = now.with_timezone(&s.time_zone).date_naive();
    let mut args = FluentArgs::new();
    args.set("creditor", s.creditor_name.clone());
    if submission.instalments.is_some() {
        let until = s
            .controls
            .iter()
            .filter_map(|c| c.plan_request_refused_until(now))
            .max()?;
        args.set(
            "date",
            format_date(lang, until.with_timezone(&s.time_zone).date_naive()),
        );
        return Some(say(lang, "answer-plan-declined", &args));
    }
    let standing = s
        .controls
        .iter()
        .filter_map(|c| c.standing_promise(today))
        .map(|p| p.date)
        .max()?;
    args.set("date", format_date(lang, standing));
    Some(say(lang, "answer-promise-stands", &args))
}

/// `POST /a/{token}`: records the answer, changes the plan, tells the creditor, and thanks the debtor.
pub async fn submit(
    store: &Store,
    links: &Links,
    notify: Option<(&Outbound, &str, Option<&str>)>,
    token: &str,
    submission: &Submission,
    reader: Language,
    now: DateTime<Utc>,
) -> Result<Page, SettingsError> {
    let answer = match links.verify(token, now) {
        Ok(a) => a,
        Err(e) => return Ok(problem(reader, &e)),
    };
    // A statement is only read; there is nothing to answer on it.
    if answer.action == Action::Statement {
        return Ok(problem(answer.language, &LinkError::Invalid));
    }
    let Some(s) = subject(store, &answer).await? else {
        return Ok(problem(answer.language, &LinkError::Invalid));
    };
    let lang = answer.language;
    let today = now.with_timezone(&s.time_zone).date_naive();
    let mut done_args = FluentArgs::new();
    done_args.set("creditor", s.creditor_name.clone());
    if let Some(refusal) = deferral_refused(&answer, &s, submission, now) {
        return Ok(page(409, &form_view(&answer, &s, now, Some(refusal))));
    }
    let expires = DateTime::from_timestamp(answer.expires, 0).unwrap_or(now);
    let Some(first_use) = store
        .use_link(
            &answer.creditor,
            &link_id(token),
            now,
            ANSWERS_PER_LINK_PER_DAY,
            expires,
        )
        .await?
    else {
        // Used too often today: thanked as before, but nothing changes and the creditor is not told again.
        if let Some(date) = submission.date.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()) {
            done_args.set("date", format_date(lang, date));
        }
        return Ok(done_page(&answer, &s, now, &done_args));
    };
    let detail: String;
    let told: Told;
    match answer.action {
        Action::Paid => {
            // From the link's first use: saying it again does not stretch the pause.
            let first_day = first_use.with_timezone(&s.time_zone).date_naive();
            let until = first_day + Days::new(PAID_PAUSE_DAYS);
            for invoice in &answer.invoices {
                apply_to_invoice(store, &answer, invoice, now, |c| {
                    c.reminders = Some(Override {
                        on: false,
                        until: Some(until),
                        reason: Some(duly_core::web::todo::SAYS_PAID.into()),
                        set_at: now,
                    })
                })
                .await?;
            }
            detail = format!("says it is paid; reminders pause until {until}");
            told = Told::Paid { until };
        }
        Action::Promise if submission.instalments.is_some() => {
            let most = s.creditor.payment_plans.max_instalments;
            let count = submission
                .instalments
                .as_deref()
                .and_then(|n| n.trim().parse::<u8>().ok());
            let Some(count) = count.filter(|n| *n >= 2 && *n <= most) else {
                return Ok(page(422, &form_view(&answer, &s, now, None)));
            };
            for invoice in &answer.invoices {
                apply_to_invoice(store, &answer, invoice, now, |c| {
                    if c.plan.is_none() {
                        c.plan_request = Some(duly_core::plans::PlanRequest {
                            instalments: count,
                            at: now,
                        });
                    }
                })
                .await?;
            }
            done_args.set("count", count);
            detail = format!("asks to pay in {count} instalments");
            told = Told::Plan { instalments: count };
        }
        Action::Promise => {
            let date = submission.date.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
            let Some(date) = date.filter(|d| *d >= today && *d <= today + Days::new(PROMISE_MAX_DAYS)) else {
                let note = say(lang, "answer-bad-date", &FluentArgs::new());
                return Ok(page(422, &form_view(&answer, &s, now, Some(note))));
            };
            for invoice in &answer.invoices {
                apply_to_invoice(store, &answer, invoice, now, |c| {
                    c.promise = Some(Promise { date, at: now })
                })
                .await?;
            }
            done_args.set("date", format_date(lang, date));
            detail = format!("{PROMISES_BY}{date}");
            told = Told::Promise { date };
        }
        Action::Dispute => {
            let reason: String = submission
                .reason
                .as_deref()
                .unwrap_or("")
                .trim()
                .chars()
                .take(1000)
                .collect();
            if reason.is_empty() || reason.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
                return Ok(page(422, &form_view(&answer, &s, now, None)));
            }
            for invoice in &answer.invoices {
                apply_to_invoice(store, &answer, invoice, now, |c| {
                    c.dispute = Some(Dispute {
                        reason: reason.clone(),
                        at: now,
                    })
                })
                .await?;
            }
            detail = format!("{DISPUTES_IT}{reason}");
            told = Told::Dispute { reason };
        }
        Action::Unsubscribe => {
            change_debtor(store, &answer.creditor, &answer.debtor, now, |_, d| {
                d.controls.declined_pre_due = true;
                Ok(())
            })
            .await?;
            detail = "unsubscribed from notes before the due date".into();
            told = Told::Unsubscribe;
        }
        Action::Statement => return Ok(problem(lang, &LinkError::Invalid)),
    }
    crate::audit::record_answer(
        store,
        &answer.creditor,
        &answer.debtor,
        duly_core::audit::events::ANSWERED,
        answer.action.as_str(),
        &answer.invoices,
        &detail,
        now,
    )
    .await?;
    let notifier = notify.map(|(outbound, from, app_url)| Notifier {
        outbound,
        from,
        app_url,
    });
    tell_creditor(store, notifier, &s, &answer, &told, now).await?;
    let key = match told {
        Told::Plan { .. } => "plan",
        _ => answer.action.as_str(),
    };
    Ok(done_page_saying(&answer, &s, now, key, &done_args))
}

fn done_page(answer: &Answer, s: &Subject, now: DateTime<Utc>, done_args: &FluentArgs) -> Page {
    done_page_saying(answer, s, now, answer.action.as_str(), done_args)
}

fn done_page_saying(answer: &Answer, s: &Subject, now: DateTime<Utc>, key: &str, done_args: &FluentArgs) -> Page {
    page(
        200,
        &PageView {
            form: false,
            text: say(answer.language, &format!("answer-done-{key}"), done_args),
            instalment_choices: Vec::new(),
            ..form_view(answer, s, now, None)
        },
    )
}

async fn apply_to_invoice(
    store: &Store,
    answer: &Answer,
    invoice: &InvoiceId,
    now: DateTime<Utc>,
    change: impl Fn(&mut duly_core::model::InvoiceControls),
) -> Result<(), SettingsError> {
    match change_invoice(store, &answer.creditor, invoice, now, |_, controls| {
        change(controls);
        Ok(())
    })
    .await
    {
        // An invoice deleted on the platform since the message went out needs no answer.
        Ok(_) | Err(SettingsError::NotFound(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The creditor hears of every answer in their own language, with the debtor named as the platform names
/// them: at once, or in their daily digest. A failed send is logged: the answer is recorded either way.
async fn tell_creditor(
    store: &Store,
    notifier: Option<Notifier<'_>>,
    s: &Subject,
    answer: &Answer,
    told: &Told,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let lang = s.creditor_language;
    let (kind, detail) = match told {
        Told::Paid { until } => (NoticeKind::AnswerPaid, Some(("date", format_date(lang, *until)))),
        Told::Promise { date } => (NoticeKind::AnswerPromise, Some(("date", format_date(lang, *date)))),
        Told::Dispute { reason } => (NoticeKind::AnswerDispute, Some(("reason", reason.clone()))),
        Told::Unsubscribe => (NoticeKind::AnswerUnsubscribe, None),
        Told::Plan { instalments } => (NoticeKind::AnswerPlan, Some(("count", instalments.to_string()))),
    };
    let mut notice = Notice::new(
        format!(
            "answer:{}:{}:{}",
            answer.debtor,
            answer.action.as_str(),
            now.timestamp_micros()
        ),
        kind,
    )
    .with(
        "debtor",
        s.debtor_name.clone().unwrap_or_else(|| answer.debtor.to_string()),
    )
    .with("invoices", s.numbers.join(", "))
    .at_page("/app/answers");
    if let Some((name, value)) = detail {
        notice = notice.with(name, value);
    }
    tell(store, notifier, &s.creditor, &notice, now).await.map(|_| ())
}
