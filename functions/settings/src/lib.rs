//! HTTP shell of the settings function: authenticates the creditor by bearer token, routes to
//! [`duly_app::settings`], and turns results into JSON responses. The token alone names the creditor, so
//! no path can reach another creditor's data.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use lambda_http::http::{header, Method, StatusCode};
use lambda_http::{Body, Request, RequestExt, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use duly_adapters::store::Store;
use duly_app::errors::public_reason;
use duly_app::function_url::{body_bytes, json, refuse};
use duly_app::settings::{self as api, PlanDecision, SettingsError};
use duly_core::locale::Language;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::Place;
use duly_core::policy::{Channel, CustomerGroup, Policy};
use duly_core::settings::OverrideInput;

/// Everything built once per cold start.
pub struct App {
    pub store: Store,
    /// Reads the sending domain's verification state for the branding view.
    pub outbound: duly_adapters::outbound::Outbound,
    /// The countries whose statutory interest creditors may switch on.
    pub interest_countries: duly_core::interest::Offered,
    /// What each metered unit costs, for usage statements.
    pub prices: duly_core::billing::PriceList,
    /// DNS for sending-domain claims, and the domains nobody may claim.
    pub domains: duly_app::settings::SendingDomains,
}

const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request the API cannot read: 400 with the reason.
fn malformed(reason: &str) -> Refusal {
    Refusal::Status(StatusCode::BAD_REQUEST, "malformed", reason.to_string())
}

/// A CSV file or a printable page, kept out of caches, its page allowed nothing but its own styles.
fn document(content_type: &str, text: String) -> Response<Body> {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header(
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'",
        )
        .body(Body::Text(text))
        .expect("static response parts are valid")
}

/// A request that cannot be served as it is.
enum Refusal {
    Api(SettingsError),
    Status(StatusCode, &'static str, String),
}

impl From<SettingsError> for Refusal {
    fn from(e: SettingsError) -> Self {
        Refusal::Api(e)
    }
}

fn body<T: DeserializeOwned>(request: &Request) -> Result<T, Refusal> {
    let bytes = body_bytes(request);
    if bytes.len() > MAX_BODY_BYTES {
        return Err(Refusal::Status(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "at most 64 KiB".into(),
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| malformed(&e.to_string()))
}

fn id<T>(raw: &str, parse: impl Fn(String) -> Result<T, duly_core::model::ids::IdError>) -> Result<T, Refusal> {
    parse(raw.to_string()).map_err(|e| Refusal::Status(StatusCode::NOT_FOUND, "not_found", e.to_string()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupChoice {
    group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptOut {
    channels: BTreeSet<Channel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DisputeInput {
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateInput {
    source: String,
}

/// How a call went: `reached`, `promised` (with `date`), `disputed` (with `reason`) or `no_answer`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallOutcomeInput {
    outcome: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanInput {
    instalments: Vec<InstalmentInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstalmentInput {
    due: NaiveDate,
    amount: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettlementInput {
    amount: String,
    pay_by: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PromiseInput {
    date: NaiveDate,
}

/// Handles one request at `now`.
pub async fn handle(app: &App, request: Request, now: DateTime<Utc>) -> Response<Body> {
    match route(app, &request, now).await {
        Ok(response) => response,
        Err(Refusal::Status(status, code, reason)) => refuse(status, code, &reason),
        Err(Refusal::Api(SettingsError::Invalid(e))) => {
            let lang = match asked_language(&request) {
                Some(lang) => lang,
                None => refusal_language(app, &request).await,
            };
            json(
                StatusCode::UNPROCESSABLE_ENTITY,
                serde_json::json!({
                    "error": "invalid",
                    "field": e.field,
                    "code": e.reason.id,
                    "reason": duly_core::policy::refusal::say(lang, &e.reason),
                }),
            )
        }
        Err(Refusal::Api(e)) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            if status.is_server_error() {
                tracing::error!(code = e.code(), error = %e, "settings request failed");
            }
            refuse(status, e.code(), &public_reason(status.as_u16(), &e))
        }
    }
}

async fn route(app: &App, request: &Request, now: DateTime<Utc>) -> Result<Response<Body>, Refusal> {
    let store = &app.store;
    let path = request.raw_http_path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = request.method().clone();
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let creditor = api::authenticate(store, authorization).await?;
    let ok = |v: &dyn erased::Json| Ok(json(StatusCode::OK, erased::Wrap(v)));

    match (method, segments.as_slice()) {
        (Method::GET, ["v1", "settings"]) => ok(&api::creditor(store, &creditor).await?),
        (Method::PUT, ["v1", "policy"]) => {
            let policy: Policy = body(request)?;
            ok(&api::put_policy(store, &creditor, policy, now).await?)
        }
        (Method::PUT, ["v1", "groups", name]) => {
            let group: CustomerGroup = body(request)?;
            ok(&api::put_group(store, &creditor, name, Some(group), now).await?)
        }
        (Method::DELETE, ["v1", "groups", name]) => ok(&api::put_group(store, &creditor, name, None, now).await?),
        (Method::PUT, ["v1", "debtors", debtor, "group"]) => {
            let choice: GroupChoice = body(request)?;
            let debtor = id(debtor, DebtorId::parse)?;
            ok(&api::set_debtor_group(store, &creditor, &debtor, choice.group, now).await?)
        }
        (Method::PUT, ["v1", "debtors", debtor, "reminders"]) => {
            let input: OverrideInput = body(request)?;
            let debtor = id(debtor, DebtorId::parse)?;
            ok(&api::set_debtor_reminders(store, &creditor, &debtor, Some(input), now).await?)
        }
        (Method::DELETE, ["v1", "debtors", debtor, "reminders"]) => {
            let debtor = id(debtor, DebtorId::parse)?;
            ok(&api::set_debtor_reminders(store, &creditor, &debtor, None, now).await?)
        }
        (Method::GET, ["v1", "debtors", "at-risk"]) => ok(&api::at_risk(store, &creditor, now).await?),
        (Method::GET, ["v1", "debtors", debtor, "score"]) => {
            let debtor = id(debtor, DebtorId::parse)?;
            ok(&api::debtor_score(store, &creditor, &debtor, now).await?)
        }
        (Method::PUT, ["v1", "risk"]) => {
            let input: duly_core::risk::RiskSettings = body(request)?;
            ok(&api::put_risk(store, &creditor, input).await?)
        }
        (Method::PUT, ["v1", "records"]) => {
            let input: duly_core::audit::settings::Records = body(request)?;
            ok(&api::put_records(store, &creditor, input).await?)
        }
        (Method::GET, ["v1", "debtors", debtor, "history"]) => {
            let debtor = id(debtor, DebtorId::parse)?;
            ok(&api::debtor_history(store, &creditor, &debtor).await?)
        }
        (Method::GET, ["v1", "debtors", debtor, "export"]) => {
            let debtor = id(debtor, DebtorId::parse)?;
            ok(&api::export_debtor(store, &creditor, &debtor).await?)
        }
        (Method::POST, ["v1", "debtors", debtor, "handoff"]) => {
            #[derive(serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            struct HandOff {
                requested_by: String,
            }
            let input: HandOff = body(request)?;
            let debtor = id(debtor, DebtorId::parse)?;
            let bundle = api::hand_off(store, &creditor, &debtor, &input.requested_by, now).await?;
            match request.query_string_parameters().first("format") {
                Some("csv") => {
                    let lang = reader_language(store, &creditor, request).await?;
                    Ok(document("text/csv; charset=utf-8", bundle.csv(lang)))
                }
                Some("html") => {
                    let lang = reader_language(store, &creditor, request).await?;
                    Ok(document("text/html; charset=utf-8", bundle.html(lang)))
                }
                _ => ok(&bundle),
            }
        }
        (Method::POST, ["v1", "debtors", debtor, "erasure"]) => {
            let debtor = id(debtor, DebtorId::parse)?;
            ok(&api::erase_debtor(store, &creditor, &debtor, now).await?)
        }
        (Method::DELETE, ["v1", "debtors", debtor, "erasure"]) => {
            let debtor = id(debtor, DebtorId::parse)?;
            match api::lift_erasure(store, &creditor, &debtor, now).await? {
                true => ok(&serde_json::json!({"lifted": true})),
                false => Err(Refusal::Status(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "the debtor's data was not erased".into(),
                )),
            }
        }
        (Method::PUT, ["v1", "debtors", debtor, "place"]) => {
            let place: Place = body(request)?;
            let debtor = id(debtor, DebtorId::parse)?;
            ok(&api::set_debtor_place(store, &creditor, &debtor, place, now).await?)
        }
        (Method::PUT, ["v1", "debtors", debtor, "opt-out"]) => {
            let input: OptOut = body(request)?;
            let debtor = id(debtor, DebtorId::parse)?;
            ok(&api::set_debtor_opt_out(store, &creditor, &debtor, input.channels, now).await?)
        }
        (Method::PUT, ["v1", "invoices", invoice, "reminders"]) => {
            let input: OverrideInput = body(request)?;
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::set_invoice_reminders(store, &creditor, &invoice, Some(input), now).await?)
        }
        (Method::DELETE, ["v1", "invoices", invoice, "reminders"]) => {
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::set_invoice_reminders(store, &creditor, &invoice, None, now).await?)
        }
        (Method::PUT, ["v1", "invoices", invoice, "dispute"]) => {
            let input: DisputeInput = body(request)?;
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::set_invoice_dispute(store, &creditor, &invoice, Some(input.reason), now).await?)
        }
        (Method::DELETE, ["v1", "invoices", invoice, "dispute"]) => {
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::set_invoice_dispute(store, &creditor, &invoice, None, now).await?)
        }
        (Method::PUT, ["v1", "invoices", invoice, "promise"]) => {
            let input: PromiseInput = body(request)?;
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::set_invoice_promise(store, &creditor, &invoice, Some(input.date), now).await?)
        }
        (Method::DELETE, ["v1", "invoices", invoice, "promise"]) => {
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::set_invoice_promise(store, &creditor, &invoice, None, now).await?)
        }
        (Method::PUT, ["v1", "invoices", invoice, "settlement"]) => {
            let input: SettlementInput = body(request)?;
            let invoice = id(invoice, InvoiceId::parse)?;
            let offer = Some((input.amount, input.pay_by));
            ok(&api::set_invoice_settlement(store, &creditor, &invoice, offer, now).await?)
        }
        (Method::DELETE, ["v1", "invoices", invoice, "settlement"]) => {
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::set_invoice_settlement(store, &creditor, &invoice, None, now).await?)
        }
        (Method::PUT, ["v1", "invoices", invoice, "payment-plan"]) => {
            let input: PlanInput = body(request)?;
            let invoice = id(invoice, InvoiceId::parse)?;
            let given = input.instalments.into_iter().map(|i| (i.due, i.amount)).collect();
            ok(&api::set_invoice_payment_plan(store, &creditor, &invoice, PlanDecision::Set(given), now).await?)
        }
        (Method::POST, ["v1", "invoices", invoice, "payment-plan", "approve"]) => {
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::set_invoice_payment_plan(store, &creditor, &invoice, PlanDecision::ApproveRequest, now).await?)
        }
        (Method::DELETE, ["v1", "invoices", invoice, "payment-plan"]) => {
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::set_invoice_payment_plan(store, &creditor, &invoice, PlanDecision::Remove, now).await?)
        }
        (Method::PUT, ["v1", "payment-plans"]) => {
            let input: duly_core::plans::PlanLimits = body(request)?;
            ok(&api::put_payment_plans(store, &creditor, input).await?)
        }
        (Method::GET, ["v1", "branding"]) => ok(&api::branding(store, &app.outbound, &creditor).await?),
        (Method::POST, ["v1", "domains", domain]) => {
            ok(&api::claim_domain(store, &app.outbound, &app.domains, &creditor, domain, now).await?)
        }
        (Method::PUT, ["v1", "branding"]) => {
            let branding: duly_core::model::Branding = body(request)?;
            api::put_branding(store, &creditor, branding, now).await?;
            ok(&api::branding(store, &app.outbound, &creditor).await?)
        }
        (Method::POST, ["v1", "preview"]) => {
            let input: duly_core::messages::preview::PreviewInput = body(request)?;
            let c = api::creditor(store, &creditor).await?;
            let book = store
                .rate_book(&input.currencies())
                .await
                .map_err(SettingsError::from)?;
            ok(&duly_core::messages::preview::preview(&book, &c, &input, now).map_err(SettingsError::from)?)
        }
        (Method::PUT, ["v1", "templates", language, name]) => {
            let language = duly_core::locale::Language::parse(language)
                .ok_or_else(|| Refusal::Status(StatusCode::NOT_FOUND, "not_found", "no such language".into()))?;
            let input: TemplateInput = body(request)?;
            api::put_template(store, &creditor, language, name, Some(input.source)).await?;
            ok(&serde_json::json!({ "saved": format!("{}/{name}", language.code()) }))
        }
        (Method::DELETE, ["v1", "templates", language, name]) => {
            let language = duly_core::locale::Language::parse(language)
                .ok_or_else(|| Refusal::Status(StatusCode::NOT_FOUND, "not_found", "no such language".into()))?;
            api::put_template(store, &creditor, language, name, None).await?;
            ok(&serde_json::json!({ "removed": format!("{}/{name}", language.code()) }))
        }
        (Method::GET, ["v1", "dead-letters"]) => {
            ok(&store.dead_letters(&creditor).await.map_err(SettingsError::from)?)
        }
        (Method::PUT, ["v1", "late-charges"]) => {
            let input: duly_core::interest::LateCharges = body(request)?;
            ok(&api::put_late_charges(store, &creditor, input, &app.interest_countries).await?)
        }
        (Method::PUT, ["v1", "notifications"]) => {
            let input: duly_core::notices::Notifications = body(request)?;
            ok(&api::put_notifications(store, &creditor, input).await?)
        }
        (Method::GET, ["v1", "notices"]) => ok(&store.notices(&creditor).await.map_err(SettingsError::from)?),
        (Method::GET, ["v1", "answers"]) => ok(&store.answers(&creditor).await.map_err(SettingsError::from)?),
        (Method::GET, ["v1", "calls"]) => ok(&api::calls(store, &creditor, now).await?),
        (Method::POST, ["v1", "calls", call, "outcome"]) => {
            let input: CallOutcomeInput = body(request)?;
            let (date, reason) = (input.date.as_deref(), input.reason.as_deref());
            ok(&api::record_call(store, &creditor, call, &input.outcome, date, reason, now).await?)
        }
        (Method::GET, ["v1", "report"]) => {
            let params = request.query_string_parameters();
            let period = match params.first("period").unwrap_or("week") {
                "week" => duly_core::report::Period::Week,
                "month" => duly_core::report::Period::Month,
                _ => return Err(malformed("period is week or month")),
            };
            let day = match params.first("date").map(str::parse::<chrono::NaiveDate>) {
                None => None,
                Some(Ok(day)) => Some(day),
                Some(Err(_)) => return Err(malformed("date is yyyy-mm-dd")),
            };
            let report = api::creditor_report(store, &creditor, period, day, now).await?;
            match params.first("format") {
                Some("html") => Ok(document("text/html; charset=utf-8", report.html())),
                _ => ok(&report),
            }
        }
        (Method::GET, ["v1", "usage"]) => {
            let month = match request.query_string_parameters().first("month") {
                Some(month) => month.to_string(),
                None => duly_core::model::billing_month(now),
            };
            ok(&api::usage_statement(store, &creditor, &month, &app.prices).await?)
        }
        (Method::PUT, ["v1", "billing"]) => {
            let input: duly_core::billing::BillingSettings = body(request)?;
            ok(&api::put_billing(store, &creditor, input, now).await?)
        }
        (Method::GET, ["v1", "audit"]) => {
            let params = request.query_string_parameters();
            let number = |name: &str| params.first(name).map(str::parse::<u64>);
            let (Ok(after), Ok(limit)) = (number("after").unwrap_or(Ok(0)), number("limit").unwrap_or(Ok(100))) else {
                return Err(malformed("after and limit are whole numbers"));
            };
            let limit = i32::try_from(limit.min(500)).unwrap_or(500);
            ok(&duly_app::audit::entries(store, &creditor, after, limit)
                .await
                .map_err(SettingsError::from)?)
        }
        (Method::GET, ["v1", "audit", "verify"]) => {
            let after = match request.query_string_parameters().first("after").map(str::parse::<u64>) {
                None => 0,
                Some(Ok(after)) => after,
                Some(Err(_)) => return Err(malformed("after is a whole number")),
            };
            ok(&duly_app::audit::verify_chain(store, &creditor, after)
                .await
                .map_err(SettingsError::from)?)
        }
        (Method::GET, ["v1", "invoices", invoice, "interest"]) => {
            let invoice = id(invoice, InvoiceId::parse)?;
            let sheet = api::interest_sheet(store, &creditor, &invoice, now).await?;
            match request.query_string_parameters().first("format") {
                Some("csv") => {
                    let lang = reader_language(store, &creditor, request).await?;
                    Ok(document("text/csv; charset=utf-8", sheet.csv(lang)))
                }
                Some("html") => {
                    let lang = reader_language(store, &creditor, request).await?;
                    Ok(document("text/html; charset=utf-8", sheet.html(lang)))
                }
                _ => ok(&sheet),
            }
        }
        (Method::GET, ["v1", "invoices", invoice, "plan"]) => {
            let invoice = id(invoice, InvoiceId::parse)?;
            ok(&api::invoice_plan(store, &creditor, &invoice, asked_language(request), now).await?)
        }
        _ => Err(Refusal::Status(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no route {} {path}", request.method()),
        )),
    }
}

/// Lets the router return differently typed bodies through one `ok` helper.
mod erased {
    pub trait Json {
        fn to_value(&self) -> serde_json::Value;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_value(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("responses serialise")
        }
    }

    pub struct Wrap<'a>(pub &'a dyn Json);

    impl serde::Serialize for Wrap<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.0.to_value().serialize(s)
        }
    }
}

/// The first language of `Accept-Language` Duly writes in, if any.
fn asked_language(request: &Request) -> Option<Language> {
    request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
}

/// The creditor's own language for a refusal's reason when the request asks for none; English when even
/// that cannot be read, as the refusal must still be answered.
async fn refusal_language(app: &App, request: &Request) -> Language {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let Ok(creditor) = api::authenticate(&app.store, authorization).await else {
        return Language::En;
    };
    reader_language(&app.store, &creditor, request)
        .await
        .unwrap_or(Language::En)
}

/// The language a person reading the API's words wants: the first of `Accept-Language` Duly writes in,
/// else the creditor's own.
async fn reader_language(store: &Store, creditor: &CreditorId, request: &Request) -> Result<Language, SettingsError> {
    if let Some(lang) = asked_language(request) {
        return Ok(lang);
    }
    let c = store
        .get_creditor(creditor)
        .await?
        .ok_or(SettingsError::NotFound("creditor"))?;
    Ok(Language::of_creditor(&c))
}
