//! Rendering the app's pages: one layout, one template per page, the wording in the creditor's language.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fluent_bundle::FluentArgs;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde_json::{json, Value};

use duly_core::locale::wording;
use duly_core::locale::Language;

/// Every label the templates use, as `t.{name}` with `-` read as `_`; each is `web-{name}` in the wording.
const LABELS: &[&str] = &[
    "nav-today",
    "nav-me",
    "me-signed-in-as",
    "me-language",
    "me-language-help",
    "role",
    "role-change",
    "role-explained",
    "role-viewer-note",
    "note-add",
    "debtor-as-sent",
    "words-language",
    "words-text",
    "words-save",
    "words-reset",
    "words-placeholders",
    "words-preview",
    "schedule-words",
    "schedule-whose",
    "schedule-company",
    "schedule-group-own",
    "schedule-group-follows",
    "schedule-group-inherit",
    "schedule-preview-step",
    "debtor-country-other",
    "debtor-place-none",
    "note-save",
    "nav-todo",
    "nav-reports",
    "nav-settings",
    "nav-label",
    "menu",
    "skip",
    "todo-empty",
    "todo-decide",
    "todo-decisions",
    "todo-calls",
    "todo-connections",
    "todo-notices",
    "decide-instalments",
    "reports-months",
    "reports-weeks",
    "reports-period",
    "reports-show",
    "reports-csv",
    "today-money",
    "nav-audit",
    "audit-help",
    "audit-verify",
    "schedule-cadence",
    "schedule-step-remove",
    "schedule-step-name",
    "schedule-add-step",
    "nav-notifications",
    "notifications-how",
    "notifications-each",
    "notifications-daily",
    "notifications-hour",
    "notifications-report",
    "notifications-report-none",
    "notifications-report-week",
    "notifications-report-month",
    "notifications-opens",
    "notifications-threshold",
    "notifications-keep-sent",
    "notifications-keep-sent-help",
    "notifications-threshold-help",
    "setup-title",
    "setup-done",
    "preview-send",
    "invoice-actions",
    "invoice-pause",
    "invoice-resume",
    "invoice-dispute",
    "invoice-dispute-reason",
    "invoice-promise",
    "invoice-promise-date",
    "debtor-history",
    "status-promised",
    "customers-any-status",
    "customers-any-group",
    "customers-overdue-only",
    "customers-sort",
    "customers-select",
    "customers-nothing-planned",
    "customers-with-selected",
    "customers-pages",
    "customers-prev",
    "customers-next",
    "customers-csv",
    "bulk-pause",
    "bulk-resume",
    "bulk-move-to",
    "bulk-no-group",
    "bulk-apply",
    "col-email",
    "col-overdue",
    "col-owed",
    "col-oldest",
    "col-status",
    "col-group",
    "col-next",
    "today-outstanding",
    "today-overdue",
    "today-collected-month",
    "today-dso",
    "sign-in-with-xero",
    "sign-in-with-quickbooks",
    "sign-in-or-email",
    "nav-groups",
    "nav-answers",
    "nav-connections",
    "nav-notices",
    "nav-team",
    "nav-schedule",
    "nav-preview",
    "nav-tokens",
    "nav-branding",
    "nav-templates",
    "nav-customers",
    "nav-charges",
    "nav-calls",
    "group-statement",
    "group-statement-save",
    "calls-empty",
    "calls-phone",
    "calls-hours",
    "calls-invoices",
    "calls-script",
    "calls-outcome",
    "calls-reached",
    "calls-promised",
    "calls-disputed",
    "calls-no-answer",
    "calls-save",
    "calls-no-phone",
    "charges-interest-on",
    "charges-compensation-on",
    "charges-country",
    "charges-plans-max",
    "charges-plans-days",
    "charges-plans-grace",
    "charges-save",
    "charges-consumers",
    "charges-contract-rate",
    "charges-group-off",
    "charges-rates-title",
    "charges-rate-from",
    "charges-rate",
    "charges-rate-fetched",
    "charges-rate-source",
    "charges-rate-seed",
    "charges-feed-title",
    "charges-feed-series",
    "charges-feed-taken",
    "charges-feed-never",
    "charges-feed-failed",
    "charges-group-consumers",
    "debtor-settle-amount",
    "debtor-settle-by",
    "debtor-settle-offer",
    "debtor-risk",
    "debtor-handoff",
    "debtor-letter",
    "debtor-letter-help",
    "debtor-handoff-help",
    "debtor-erase",
    "debtor-erase-confirm",
    "debtor-plan-edit",
    "debtor-interest-sheet",
    "debtor-plan",
    "debtor-settlement",
    "today-collected",
    "today-collected-count",
    "today-collected-none",
    "col-reminded",
    "col-paid",
    "col-amount",
    "customers-search",
    "customers-find",
    "customers-none",
    "connections-reconnect",
    "connections-disconnect",
    "connections-add",
    "connections-standard",
    "templates-name",
    "templates-custom",
    "templates-shipped",
    "templates-save",
    "templates-reset",
    "templates-preview",
    "templates-yours",
    "branding-domain",
    "branding-verified",
    "branding-unverified",
    "branding-verify",
    "branding-records",
    "branding-txt",
    "branding-trading-name",
    "branding-sender-name",
    "branding-from",
    "branding-reply-to",
    "branding-logo",
    "branding-colour",
    "branding-signature",
    "branding-footer",
    "branding-sms-sender",
    "branding-registry",
    "branding-vat",
    "branding-address",
    "nav-usage",
    "tokens-shown-once",
    "tokens-rotate",
    "tokens-revoke",
    "tokens-revoke-help",
    "tokens-none",
    "tokens-label",
    "tokens-create",
    "usage-reminders",
    "usage-emails",
    "usage-segments",
    "usage-debtors",
    "usage-webhooks",
    "usage-unit-price",
    "usage-amount",
    "usage-total",
    "usage-cap",
    "usage-cap-help",
    "usage-save",
    "preview-show",
    "preview-open-email",
    "schedule-error",
    "schedule-enabled",
    "schedule-window-start",
    "schedule-window-end",
    "schedule-gap",
    "schedule-per-week",
    "schedule-grace",
    "schedule-final-grace",
    "schedule-max-written",
    "schedule-thank-you",
    "schedule-formal-letter",
    "schedule-steps",
    "rules-title",
    "rules-intro",
    "rules-source",
    "rules-none",
    "schedule-steps-help",
    "schedule-step-days",
    "schedule-step-unit",
    "schedule-business",
    "schedule-calendar",
    "schedule-step-tone",
    "schedule-step-written",
    "schedule-step-call",
    "schedule-step-suspend",
    "schedule-minimums",
    "schedule-currency",
    "schedule-amount",
    "schedule-save",
    "team-you",
    "team-remove",
    "team-add",
    "team-add-yourself",
    "team-everywhere",
    "team-everywhere-help",
    "sign-out",
    "sign-in-title",
    "sign-in-email",
    "sign-in-send",
    "sign-in-continue",
    "invitation-accept",
    "sign-up-title",
    "sign-up-company",
    "sign-up-country",
    "sign-up-send",
    "sign-up-offer",
    "sign-in-offer",
    "today-title",
    "today-planned",
    "today-nothing",
    "today-answers",
    "today-notices",
    "today-sent",
    "today-paid-since",
    "col-when",
    "col-customer",
    "col-invoice",
    "col-step",
    "col-channels",
    "col-why",
    "col-what",
    "groups-title",
    "groups-none",
    "group-on",
    "group-off",
    "group-switch-off",
    "group-switch-on",
    "group-steps-own",
    "group-steps-default",
    "group-new",
    "schedule-attach",
    "group-attach-default",
    "schedule-attach-first",
    "schedule-attach-every",
    "schedule-attach-never",
    "group-name",
    "group-create",
    "group-rename",
    "group-steps",
    "debtor-group",
    "debtor-group-none",
    "debtor-group-save",
    "answers-title",
    "answers-none",
    "connections-title",
    "connections-none",
    "notices-title",
    "notices-open",
    "notices-none",
    "dead-title",
    "debtor-open",
    "debtor-none",
    "debtor-opened",
    "debtor-resume",
    "debtor-pause",
    "debtor-pause-until",
    "debtor-pause-reason",
    "debtor-place",
    "debtor-language",
    "debtor-country",
    "debtor-time-zone",
    "debtor-save",
];

const PAGES: &[(&str, &str)] = &[
    ("layout", include_str!("../../templates/web/layout.html.j2")),
    ("sign_in", include_str!("../../templates/web/sign_in.html.j2")),
    ("today", include_str!("../../templates/web/today.html.j2")),
    ("groups", include_str!("../../templates/web/groups.html.j2")),
    ("answers", include_str!("../../templates/web/answers.html.j2")),
    ("connections", include_str!("../../templates/web/connections.html.j2")),
    ("notices", include_str!("../../templates/web/notices.html.j2")),
    ("debtor", include_str!("../../templates/web/debtor.html.j2")),
    ("problem", include_str!("../../templates/web/problem.html.j2")),
    ("team", include_str!("../../templates/web/team.html.j2")),
    ("schedule", include_str!("../../templates/web/schedule.html.j2")),
    ("preview", include_str!("../../templates/web/preview.html.j2")),
    ("tokens", include_str!("../../templates/web/tokens.html.j2")),
    ("usage", include_str!("../../templates/web/usage.html.j2")),
    ("branding", include_str!("../../templates/web/branding.html.j2")),
    ("templates", include_str!("../../templates/web/templates.html.j2")),
    ("customers", include_str!("../../templates/web/customers.html.j2")),
    ("charges", include_str!("../../templates/web/charges.html.j2")),
    ("calls", include_str!("../../templates/web/calls.html.j2")),
    ("decide", include_str!("../../templates/web/decide.html.j2")),
    ("todo", include_str!("../../templates/web/todo.html.j2")),
    ("settings", include_str!("../../templates/web/settings.html.j2")),
    ("report", include_str!("../../templates/web/report.html.j2")),
    ("report_body", duly_core::report::REPORT_BODY),
    (
        "notifications",
        include_str!("../../templates/web/notifications.html.j2"),
    ),
    ("audit", include_str!("../../templates/web/audit.html.j2")),
    ("me", include_str!("../../templates/web/me.html.j2")),
    ("words", include_str!("../../templates/web/words.html.j2")),
];

/// The app's one stylesheet, served at `/app/style.css`.
pub fn stylesheet() -> &'static str {
    include_str!("../../templates/web/style.css")
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        for (name, source) in PAGES {
            env.add_template(name, source)
                .expect("the shipped page templates parse");
        }
        env
    })
}

/// One wording of the app in `lang`; a missing one is logged and shows its id.
pub(super) fn say(lang: Language, id: &str, args: &FluentArgs<'_>) -> String {
    wording(lang, id, args).unwrap_or_else(|e| {
        tracing::error!(error = %e, "missing app wording");
        id.to_string()
    })
}

/// A language's name in `lang`: "eesti", "Estonian".
pub(super) fn language_name(lang: Language, of: Language) -> String {
    #[cfg(feature = "pseudo-locale")]
    let of = if of == Language::Pseudo { Language::En } else { of };
    say(lang, &format!("web-language-{}", of.code()), &FluentArgs::new())
}

/// The eight languages for a form's list: each one's code and its name in `lang`.
pub(super) fn language_choices(lang: Language) -> Vec<Value> {
    Language::ALL
        .into_iter()
        .map(|l| json!({"code": l.code(), "name": language_name(lang, l)}))
        .collect()
}

/// A tone's name in `lang`: "friendly", "final notice".
pub(super) fn tone_text(lang: Language, tone: duly_core::policy::Tone) -> String {
    duly_core::policy::step_words::tone_words(lang, tone)
}

/// How far from the due date, in `lang`: "3 days before the due date".
pub(super) fn offset_text(lang: Language, days: i32, business_days: bool) -> String {
    duly_core::policy::step_words::offset_words(lang, days, business_days)
}

/// The rule behind a planned message, in `lang`: how far from the due date, whose schedule, and whether
/// a holiday or the sending limits moved it.
pub(super) fn rule_text(lang: Language, rule: &duly_core::planner::RuleParts) -> String {
    duly_core::planner::words::rule_text(lang, rule)
}

fn labels(lang: Language) -> BTreeMap<String, String> {
    let none = FluentArgs::new();
    LABELS
        .iter()
        .map(|id| (id.replace('-', "_"), say(lang, &format!("web-{id}"), &none)))
        .collect()
}

/// What the signed-in app's frame shows on every page: the session's form token and how much waits in
/// To do.
#[derive(Debug, Clone, Copy)]
pub(super) struct Chrome<'a> {
    pub csrf: &'a str,
    pub todo: usize,
    /// The member may look but not change anything: every page says so before they try.
    pub viewer: bool,
}

/// Which of the five places a page belongs to, by its `nav` name: settings unless named otherwise.
fn place_of(nav: &str) -> &'static str {
    match nav {
        "" => "",
        "today" => "today",
        "customers" => "customers",
        "todo" | "answers" | "calls" | "notices" => "todo",
        "reports" | "report" => "reports",
        _ => "settings",
    }
}

/// A page: `page` is the template, `context` its data; `lang`, the labels `t`, `csrf`, the place in the
/// navigation and the To do count are added.
pub(super) fn render(page: &str, lang: Language, chrome: Option<Chrome<'_>>, mut context: Value) -> String {
    context["lang"] = json!(lang.code());
    context["t"] = json!(labels(lang));
    context["csrf"] = json!(chrome.map_or("", |c| c.csrf));
    context["signed_in"] = json!(chrome.is_some());
    context["todo"] = json!(chrome.map_or(0, |c| c.todo));
    context["viewer"] = json!(chrome.is_some_and(|c| c.viewer));
    let nav = context["nav"].as_str().unwrap_or_default();
    context["nav_place"] = json!(place_of(nav));
    env()
        .get_template(page)
        .and_then(|t| t.render(minijinja::value::Serde(&context)))
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, page, "a page did not render");
            String::from("<!DOCTYPE html><title>Duly</title><p>Something went wrong.</p>")
        })
}

/// The sign-in pages: ask for an address, say a link was sent, or confirm a link.
pub(super) struct SignInView {
    lang: Language,
    step: &'static str,
    note: Option<String>,
    /// The platforms offered as "Sign in with …" buttons, by route segment.
    providers: Vec<&'static str>,
    /// On a link's page: whose account it opens, and whether the visitor must confirm they asked for it.
    whose: Option<String>,
    confirm_other_browser: Option<String>,
}

impl SignInView {
    pub(super) fn ask(lang: Language, note: Option<String>) -> SignInView {
        SignInView {
            lang,
            step: "ask",
            note,
            providers: Vec::new(),
            whose: None,
            confirm_other_browser: None,
        }
    }

    pub(super) fn sent(lang: Language, note: String) -> SignInView {
        SignInView {
            lang,
            step: "sent",
            note: Some(note),
            providers: Vec::new(),
            whose: None,
            confirm_other_browser: None,
        }
    }

    pub(super) fn sign_up(lang: Language, note: Option<String>) -> SignInView {
        SignInView {
            lang,
            step: "sign-up",
            note,
            providers: Vec::new(),
            whose: None,
            confirm_other_browser: None,
        }
    }

    pub(super) fn confirm(lang: Language, company: &str, email: &str, other_browser: bool) -> SignInView {
        let mut args = FluentArgs::new();
        args.set("company", company.to_string());
        args.set("email", email.to_string());
        let whose = match email.is_empty() {
            true => say(lang, "web-sign-in-whose-company", &args),
            false => say(lang, "web-sign-in-whose", &args),
        };
        SignInView {
            lang,
            step: "confirm",
            note: other_browser.then(|| say(lang, "web-sign-in-other-browser", &args)),
            providers: Vec::new(),
            whose: Some(whose),
            confirm_other_browser: other_browser.then(|| say(lang, "web-sign-in-confirm-other", &args)),
        }
    }

    /// An invitation's page: who invited whom to which company, and a button to accept.
    pub(super) fn invitation(lang: Language, text: String) -> SignInView {
        SignInView {
            lang,
            step: "invitation",
            note: None,
            providers: Vec::new(),
            whose: Some(text),
            confirm_other_browser: None,
        }
    }

    pub(super) fn offering(mut self, providers: &[duly_core::web::oidc::Provider]) -> SignInView {
        self.providers = providers.iter().map(|p| p.segment()).collect();
        self
    }

    pub(super) fn render(&self) -> String {
        render(
            "sign_in",
            self.lang,
            None,
            json!({"title": say(self.lang, if self.step == "sign-up" { "web-sign-up-title" } else { "web-sign-in-title" }, &FluentArgs::new()), "step": self.step, "note": self.note, "providers": self.providers, "nav": "", "whose": self.whose, "confirm_other": self.confirm_other_browser}),
        )
    }
}

/// A page that says what went wrong, in the creditor's language where known.
pub fn problem(lang: Language, status: u16, id: &str) -> String {
    problem_text(lang, status, &say(lang, id, &FluentArgs::new()))
}

/// A page that says what went wrong, in words already made.
pub fn problem_text(lang: Language, status: u16, text: &str) -> String {
    render(
        "problem",
        lang,
        None,
        json!({"title": text, "text": text, "nav": "", "status": status}),
    )
}

/// Problem pages inside the app: the same words, with the five places around them, so that a creditor who
/// meets one has the way on at hand. (No form token here: signing out is left to the pages proper.)
pub(super) mod in_app {
    use super::*;

    pub(in crate::web) fn problem(lang: Language, status: u16, id: &str) -> String {
        problem_text(lang, status, &say(lang, id, &FluentArgs::new()))
    }

    pub(in crate::web) fn problem_text(lang: Language, status: u16, text: &str) -> String {
        render(
            "problem",
            lang,
            Some(Chrome {
                csrf: "",
                todo: 0,
                viewer: false,
            }),
            json!({"title": text, "text": text, "nav": "", "status": status}),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_and_page_wording_exists_in_every_language() {
        let none = FluentArgs::new();
        let mut args = FluentArgs::new();
        for name in [
            "email",
            "link",
            "creditor",
            "inviter",
            "at",
            "platform",
            "attempts",
            "addresses",
            "until",
            "reason",
            "segments",
            "line",
            "shown",
            "matched",
            "country",
            "date",
            "count",
            "invoice",
            "amount",
            "when",
            "tone",
            "what",
            "payments",
            "page",
            "pages",
            "invoices",
            "days",
            "subject",
            "head",
            "seq",
            "language",
            "author",
            "max",
            "placeholders",
            "name",
            "n",
            "number",
            "given",
        ] {
            args.set(name, "x");
        }
        let worded = [
            "web-series-ecb-mro",
            "web-series-ecb-fx",
            "web-series-bundesbank-basiszins",
            "web-series-nbp-reference",
            "web-series-nbp-eur",
            "web-series-nbr-eur",
            "web-series-nbr-policy",
            "web-template-email-html",
            "web-template-email-txt",
            "web-template-sms",
            "web-language-rule-customer",
            "web-language-rule-group",
            "web-language-rule-platform",
            "web-language-rule-country",
            "web-language-rule-english",
            "web-language-rule-creditor",
            "web-debtor-phone-mobile",
            "web-debtor-phone-landline",
            "web-debtor-phone-refused",
            "phone-problem-not-a-number",
            "phone-problem-no-country",
            "phone-problem-not-valid",
            "web-sign-in-bad-email",
            "web-sign-up-invalid",
            "web-sign-in-sent",
            "web-sign-in-expired",
            "web-sign-in-with-failed",
            "web-sign-in-with-stranger",
            "web-sign-in-mail-subject",
            "web-sign-in-mail-body",
            "web-today-title",
            "web-groups-title",
            "web-answers-title",
            "web-connections-title",
            "web-notices-title",
            "web-team-title",
            "web-team-taken",
            "web-team-mail-subject",
            "web-team-mail-body",
            "web-team-invited",
            "web-team-too-many",
            "web-team-added-subject",
            "web-team-added-body",
            "web-invitation-ask",
            "web-invitation-gone",
            "web-schedule-title",
            "web-preview-title",
            "web-preview-segments",
            "web-tokens-title",
            "web-usage-title",
            "web-usage-bad-cap",
            "web-branding-title",
            "web-templates-title",
            "web-customers-title",
            "web-charges-title",
            "web-charges-rates-stale",
            "web-templates-line",
            "web-branding-domain-taken",
            "web-connection-ok",
            "web-connection-first",
            "web-connection-revoked",
            "web-connection-failing",
            "web-debtor-refused",
            "web-debtor-paused",
            "web-debtor-erase-unconfirmed",
            "web-bad-date",
            "web-bad-zone",
            "web-csrf",
            "web-not-found",
            "web-unavailable",
            "web-answer-paid",
            "web-answer-promise",
            "web-answer-dispute",
            "web-answer-unsubscribe",
            "web-answer-resolve",
            "web-answer-end-promise",
            "web-answer-resume",
            "web-answer-approve-plan",
            "web-answer-decline-plan",
            "web-answer-call",
            "web-calls-title",
            "web-todo-title",
            "web-preview-thanks",
            "web-preview-statement",
            "web-audit-title",
            "web-audit-sent",
            "web-audit-delivery",
            "web-audit-handed-off",
            "web-audit-dispute-resolved",
            "web-audit-verified",
            "web-audit-broken",
            "web-notifications-title",
            "web-notifications-numbers",
            "web-setup-connect",
            "web-setup-brand",
            "web-setup-schedule",
            "web-setup-preview",
            "web-setup-switch-on",
            "web-preview-sent",
            "web-preview-too-many",
            "web-preview-mail-subject",
            "web-debtor-owes",
            "web-debtor-overdue",
            "web-debtor-nothing-next",
            "web-saved",
            "web-timeline-answer",
            "web-timeline-paid-late",
            "web-timeline-paid-on-time",
            "web-timeline-paid-early",
            "web-delivery-delivery",
            "web-delivery-bounce",
            "web-delivery-complaint",
            "web-delivery-sms-delivered",
            "web-delivery-sms-failed",
            "web-status-claimed",
            "web-status-abandoned",
            "web-language-en",
            "web-language-et",
            "web-language-ru",
            "web-language-lv",
            "web-language-lt",
            "web-language-pl",
            "web-language-bg",
            "web-language-ro",
            "web-customers-page",
            "web-bulk-done",
            "web-sort-overdue",
            "web-sort-oldest",
            "web-sort-owed",
            "web-sort-name",
            "web-status-handed-off",
            "web-status-paused",
            "web-status-disputed",
            "web-status-promised",
            "web-status-bounced",
            "web-status-at-risk",
            "web-today-after-reminder",
            "web-today-waiting",
            "web-blocked-reminders-off",
            "web-blocked-reminders-off-fix",
            "web-blocked-not-connected",
            "web-blocked-not-connected-fix",
            "web-blocked-platform-behind",
            "web-blocked-platform-behind-fix",
            "web-blocked-no-sender",
            "web-blocked-no-sender-fix",
            "web-blocked-cap-reached",
            "web-blocked-cap-reached-fix",
            "web-blocked-rates-missing",
            "web-blocked-rates-missing-fix",
            "web-settings-title",
            "web-settings-reminders",
            "web-settings-company",
            "web-settings-you",
            "web-timeline-note",
            "web-schedule-step-n",
            "web-timeline-part-payment",
            "web-timeline-credit",
            "web-words-title",
            "web-words-help",
            "web-words-ph-name",
            "web-words-ph-creditor",
            "web-words-ph-what",
            "web-words-ph-due",
            "web-words-ph-days",
            "web-words-empty",
            "web-words-too-long",
            "web-words-not-plain",
            "web-words-unbalanced",
            "web-words-unknown",
            "web-note-empty",
            "web-note-too-long",
            "web-me-title",
            "web-me-company-language",
            "web-me-bad-language",
            "web-role-owner",
            "web-role-member",
            "web-role-viewer",
            "web-refused-viewer",
            "web-refused-owners-only",
            "web-refused-last-owner",
            "web-refused-unknown-role",
            "web-reports-title",
            "web-decide-title",
            "web-decide-owed",
            "web-decide-next",
            "web-decide-nothing",
            "web-decided",
            "web-need-dispute",
            "web-need-plan-request",
            "web-need-broken-promise",
            "web-need-says-paid",
            "web-choice-resolve",
            "web-choice-resolve-help",
            "web-choice-hold",
            "web-choice-hold-help",
            "web-choice-end-promise",
            "web-choice-end-promise-help",
            "web-choice-resume",
            "web-choice-resume-help",
            "web-choice-approve-plan",
            "web-choice-approve-plan-help",
            "web-choice-decline-plan",
            "web-choice-decline-plan-help",
            "web-calls-saved",
            "web-today-calls",
            "web-status-sent",
            "web-status-partly_sent",
            "web-status-failed",
        ];
        for lang in Language::ALL {
            for id in LABELS
                .iter()
                .map(|l| format!("web-{l}"))
                .chain(worded.iter().map(|s| s.to_string()))
            {
                wording(lang, &id, &args).unwrap_or_else(|e| panic!("{}: {id}: {e}", lang.code()));
            }
            for (name, _) in duly_core::web::schedule::TONES {
                wording(lang, &format!("web-tone-{name}"), &none).unwrap();
            }
        }
    }

    #[test]
    fn a_rule_is_worded_in_the_creditors_language_with_its_plural() {
        use duly_core::planner::RuleParts;
        let rule = |days, business_days| RuleParts {
            days,
            business_days,
            ..RuleParts::default()
        };
        assert_eq!(
            rule_text(Language::En, &rule(-3, false)),
            "3 days before the due date (the default schedule)"
        );
        assert_eq!(
            rule_text(Language::En, &rule(1, true)),
            "1 business day after the due date (the default schedule)"
        );
        assert_eq!(
            rule_text(Language::Et, &rule(-3, false)),
            "3 päeva enne maksetähtaega (vaikimisi ajakava)"
        );
        assert_eq!(
            rule_text(Language::Pl, &rule(2, false)),
            "2 dni po terminie płatności (domyślny harmonogram)"
        );
        assert_eq!(
            rule_text(Language::Pl, &rule(5, true)),
            "5 dni roboczych po terminie płatności (domyślny harmonogram)"
        );
        assert_eq!(
            rule_text(Language::Ru, &rule(-21, false)),
            "за 21 день до срока оплаты (график по умолчанию)"
        );
        assert_eq!(
            rule_text(Language::Ro, &rule(20, false)),
            "la 20 de zile după scadență (programul implicit)"
        );
        let eve = chrono::NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
        let holiday = duly_core::calendar::holidays::holiday("LV", eve).unwrap();
        let moved = RuleParts {
            moved_from: Some((eve, duly_core::calendar::Closed::Holiday(holiday))),
            group_steps: true,
            deferred: Some(duly_core::planner::Deferral::WeeklyCap),
            ..rule(0, false)
        };
        assert_eq!(
            rule_text(Language::Lv, &moved),
            "apmaksas termiņa dienā (klientu grupas grafiks); pārcelts no 24.12.2026. (Ziemassvētku vakars, LV) \
             uz nākamo darba dienu; vēlāk, jo šīs nedēļas ziņu limits šim klientam ir sasniegts"
        );
        assert_eq!(
            rule_text(Language::En, &moved),
            "on the due date (the customer group's schedule); moved from 24 December 2026 (Christmas Eve, LV) to \
             the next business day; later, as this week's limit of messages to this customer is reached"
        );
        for lang in Language::ALL {
            for days in [-30, -1, 0, 1, 2, 5, 11, 22] {
                let text = rule_text(lang, &rule(days, days % 2 == 0));
                assert!(!text.contains("web-rule"), "{}: {text}", lang.code());
            }
        }
    }

    #[test]
    fn every_page_template_parses() {
        for (name, _) in PAGES {
            assert!(env().get_template(name).is_ok(), "{name}");
        }
    }
}
