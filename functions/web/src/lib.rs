//! HTTP shell of the web function: the creditor's web app, server-rendered.
//!
//! | route | does |
//! | --- | --- |
//! | `GET /app/sign-in`, `POST /app/sign-in` | asks for an address; mails a one-time sign-in link to a member |
//! | `GET /app/sign-up`, `POST /app/sign-up` | a company and an address; the mailed link makes the creditor when it is used |
//! | `GET /app/sign-in/{token}`, `POST` | a button; pressing it uses the link up and starts a session |
//! | `GET /app/sign-in/with/{xero,quickbooks}`, `…/callback` | OpenID Connect: the platform's verified address signs its member in |
//! | `POST /app/sign-out` | ends the session |
//! | `GET /app/today`, `/app/groups`, `/app/answers`, `/app/connections`, `/app/notices`, `/app/debtors/{id}` | the pages |
//! | `GET /app/todo?done=` | what waits for the creditor: decisions about invoices, calls, failing connections; a decision just made |
//! | `GET /app/invoices/{id}/decide` | what holds an invoice back and the choices, each with the next message and its date |
//! | `GET /app/settings`, `GET /app/reports` | the settings pages, and the monthly and weekly reports, listed |
//! | `GET /app/debtors?q=&status=&group=&overdue=&sort=&page=` | customers who owe as a worklist: found by name, address, id or invoice number, filtered, sorted, paged |
//! | `GET /app/debtors.csv?…` | the same customers as a CSV file |
//! | `POST /app/debtors/bulk` | the selected customers paused, resumed or moved to a group |
//! | `GET /app/team`, `POST /app/team`, `POST /app/team/remove` | who signs in; invites a colleague by e-mail; removes one |
//! | `GET /app/preview?language=&step=`, `GET /app/preview/email?…` | a message in any language: subject, text, SMS; the e-mail as it looks |
//! | `GET /app/notifications`, `POST` | how the creditor hears from Duly, the mailed report, opens recorded, the at-risk threshold |
//! | `GET /app/audit?verify=` | the audit trail's latest entries; the whole chain verified on request |
//! | `POST /app/preview/send` | the previewed e-mail sent to the member's own address |
//! | `GET /app/branding`, `POST /app/branding` | sender, look and legal details; the sending domain's verification and DNS records |
//! | `GET /app/templates?language=&name=`, `POST /app/templates` | the creditor's own templates: saved when they render, refused at the line |
//! | `POST /app/connections` | a one-time grant for the connect function: connect, connect again, disconnect |
//! | `GET /app/charges`, `POST /app/charges` | late-payment interest and compensation on or off, their country; what instalments customers may ask for |
//! | `GET /app/reports/{week,month}/{date}` | the week's or month's report, as its own page (the mailed report links here) |
//! | `GET /app/usage`, `POST /app/usage` | this month's and last month's usage statements, priced; the cap on a month's spend |
//! | `GET /app/tokens`, `POST /app/tokens` | API tokens: create (shown once), revoke, rotate |
//! | `GET /app/schedule`, `POST /app/schedule` | the schedule editor: steps, window, gaps, minimums |
//! | `POST /app/groups` | a new customer group, named in any script |
//! | `POST /app/groups/{id}/name` | renames a group; its id and its customers stay |
//! | `POST /app/groups/{id}/attach` | when the group's reminders carry the invoice itself |
//! | `POST /app/groups/{id}` | switches a customer group on or off |
//! | `POST /app/debtors/{id}` | pauses or resumes a customer's reminders; sets their language, country and zone |
//! | `POST /app/invoices/{id}/{resolve,hold,end-promise,resume,approve-plan,decline-plan}` | a decision about what an answer held back; back to To do |
//! | `POST /app/invoices/{id}/{pause,resume-one,dispute,promise}` | one invoice paused or resumed, a dispute recorded, a promise to pay by a date; back to the customer |
//! | `POST /app/invoices/{id}/plan` | the creditor's own instalments, one a line: date and amount |
//! | `POST /app/invoices/{id}/settle` | a settlement offer: the total to pay and the date |
//! | `GET /app/invoices/{id}/interest` | the invoice's computation sheet of late-payment interest, to print |
//! | `GET /app/style.css` | the stylesheet |
//!
//! Without a session every page sends the browser to sign in; every `POST` but the sign-in ones needs the
//! session's CSRF token.

use chrono::{DateTime, Utc};
use lambda_http::http::{header, Method};
use lambda_http::{Body, Request, RequestExt, Response};

use duly_adapters::outbound::Outbound;
use duly_adapters::store::Store;
use duly_app::function_url::{form, reader};
use duly_app::notify::Notifier;
use duly_app::web::sign_in_with::{self, Callback, Identities};
use duly_app::web::{invitation, pages, sign_in, signed_in, stylesheet, Download, Reply, Web};
use duly_core::web::roles;
use duly_core::web::worklist::Filter;

/// Everything built once per cold start.
pub struct App {
    pub store: Store,
    pub outbound: Outbound,
    /// Duly's sending address, for sign-in links.
    pub from: Option<String>,
    /// This function's own base URL, for the links in sign-in e-mails and the origin its forms come from.
    /// Configured (the stack keeps it in SSM, since a function cannot be given its own Function URL at
    /// deploy time), never taken from a request's `Host` header.
    pub app_url: String,
    /// The platforms people may sign in with (OpenID Connect).
    pub identities: Identities,
    /// The connect function's base URL: the Connections page's buttons go there with a grant.
    pub connect_url: Option<String>,
    /// The countries whose statutory interest creditors may switch on.
    pub interest_countries: duly_core::interest::Offered,
    /// What each metered unit costs, for the usage statements.
    pub prices: duly_core::billing::PriceList,
    /// The least time the answer to a request for a sign-in or sign-up link takes. A member's request
    /// writes a link and calls SES, a stranger's does neither: without a floor the difference (about a
    /// tenth of a second) would tell anyone which addresses use Duly.
    pub link_request_floor: std::time::Duration,
    /// DNS for sending-domain claims, and the domains nobody may claim.
    pub domains: duly_app::settings::SendingDomains,
}

const MAX_FORM_BYTES: usize = 16 * 1024;
/// A template may be up to 100 KiB, and a form encodes most characters in three bytes.
const MAX_TEMPLATE_FORM_BYTES: usize = 320 * 1024;

/// `connect_origin`: forms that redirect to the connect function must be allowed to.
fn reply(r: Reply, connect_origin: &str) -> Response<Body> {
    let policy = match r.email {
        // A previewed e-mail styles itself inline, as mail clients need; it runs nothing.
        true => duly_app::page_headers::inline_styled_policy("'none'"),
        false => duly_app::page_headers::app_policy(connect_origin),
    };
    let mut builder =
        duly_app::page_headers::with_page_headers(Response::builder().status(r.status), &policy, "same-origin");
    if let Some(location) = &r.location {
        builder = builder.header(header::LOCATION, location);
    }
    if let Some(cookie) = &r.set_cookie {
        builder = builder.header(header::SET_COOKIE, cookie);
    }
    match (r.html, r.download.map(|d| *d)) {
        (_, Some(Download { name, pdf: Some(pdf) })) => builder
            .header(header::CONTENT_TYPE, "application/pdf")
            .header(header::CONTENT_DISPOSITION, duly_app::function_url::attachment(&name))
            .body(Body::Binary(pdf)),
        (Some(csv), Some(Download { name, .. })) => builder
            .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
            .header(header::CONTENT_DISPOSITION, duly_app::function_url::attachment(&name))
            .body(Body::Text(csv)),
        (Some(html), None) => builder
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(Body::Text(html)),
        (None, _) => builder.body(Body::Empty),
    }
    .expect("response parts are valid")
}

/// `work`'s outcome, no sooner than `floor` from now.
async fn at_least<T>(floor: std::time::Duration, work: impl std::future::Future<Output = T>) -> T {
    let done_at = tokio::time::Instant::now() + floor;
    let outcome = work.await;
    tokio::time::sleep_until(done_at).await;
    outcome
}

/// Whether a POST comes from the app's own pages. Browsers send `Sec-Fetch-Site` (and `Origin` on every
/// POST); a request with neither is not a browser's, and has no victim whose cookies it could ride on.
fn same_origin_post(request: &Request, app_url: &str) -> bool {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        if site != "same-origin" && site != "none" {
            return false;
        }
    }
    match header("origin") {
        None => true,
        Some(origin) => duly_core::web::origin_of(app_url).is_some_and(|own| origin.eq_ignore_ascii_case(&own)),
    }
}

pub async fn handle(app: &App, request: Request, now: DateTime<Utc>) -> Response<Body> {
    // On the heap: the router's future holds the largest of every page's, too big for a caller's stack.
    Box::pin(respond(app, request, now)).await
}

async fn respond(app: &App, request: Request, now: DateTime<Utc>) -> Response<Body> {
    let path = request.raw_http_path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = request.method().clone();
    if (&method, segments.as_slice()) == (&Method::GET, ["app", "style.css"].as_slice()) {
        return Response::builder()
            .header(header::CONTENT_TYPE, "text/css; charset=utf-8")
            .header(header::CACHE_CONTROL, "public, max-age=300")
            .body(Body::Text(stylesheet().to_string()))
            .expect("static response parts are valid");
    }
    let limit = match segments.as_slice() {
        ["app", "templates"] => MAX_TEMPLATE_FORM_BYTES,
        _ => MAX_FORM_BYTES,
    };
    let Some(fields) = form(&request, limit) else {
        return reply(Reply::page(413, String::from("The form is too large.")), "");
    };
    let field = |name: &str| duly_core::web::form_field(&fields, name);
    let app_url = app.app_url.clone();
    let web = Web {
        store: &app.store,
        outbound: &app.outbound,
        notifier: app.from.as_deref().map(|from| Notifier {
            outbound: &app.outbound,
            from,
            app_url: Some(&app_url),
        }),
        app_url: &app_url,
        identities: &app.identities,
        connect_url: app.connect_url.as_deref(),
        interest_countries: &app.interest_countries,
        prices: &app.prices,
        domains: &app.domains,
        todo: 0,
    };
    let lang = reader(&request);
    let parameters = request.query_string_parameters();
    let query = |name: &str| parameters.first(name).unwrap_or("");
    let cookies = duly_app::function_url::cookies(&request);

    // A form posted from another site is refused before anything reads it: signed in, it would act for
    // the member (CSRF); signed out, it could sign a visitor into someone else's account (login CSRF).
    if method == Method::POST && !same_origin_post(&request, &app_url) {
        return reply(Reply::page(403, duly_app::web::problem_page(lang, 403)), "");
    }
    let outcome = match (&method, segments.as_slice()) {
        (&Method::GET, ["app", "sign-in"]) => Ok(sign_in::form(web, lang, None)),
        (&Method::GET, ["app", "sign-in", "with", platform]) => sign_in_with::start(web, lang, platform, now).await,
        (&Method::GET, ["app", "sign-in", "with", platform, "callback"]) => {
            let callback = Callback {
                code: query("code"),
                state: query("state"),
                error: query("error"),
                browser_binding: duly_core::platforms::oauth::flow_cookie_value(&cookies),
            };
            sign_in_with::finish(web, lang, platform, &callback, now).await
        }
        (&Method::POST, ["app", "sign-in"]) => {
            at_least(
                app.link_request_floor,
                sign_in::request_link(web, lang, field("email"), now),
            )
            .await
        }
        (&Method::GET, ["app", "sign-up"]) => Ok(sign_in::sign_up_form(lang, None, 200)),
        (&Method::POST, ["app", "sign-up"]) => {
            let asked = sign_in::request_sign_up(web, lang, field("email"), field("company"), field("country"), now);
            at_least(app.link_request_floor, asked).await
        }
        (&Method::GET, ["app", "invitation", token]) => invitation::show(web, lang, token, now).await,
        (&Method::POST, ["app", "invitation", token]) => invitation::accept(web, lang, token, now).await,
        (&Method::GET, ["app", "sign-in", token]) => sign_in::confirm(web, lang, token, &cookies, now).await,
        (&Method::POST, ["app", "sign-in", token]) => {
            sign_in::finish(web, lang, token, &cookies, field("confirm") == "yes", now).await
        }
        (_, ["app", ..]) | (_, [""]) => match signed_in(&app.store, &cookies, now).await {
            Err(e) => Err(e.into()),
            Ok(None) => Ok(Reply::see_other("/app/sign-in")),
            // Every signed-in form carries the session's CSRF token; checked here once, so that no page
            // can forget it.
            Ok(Some((_, session))) if method == Method::POST && !session.csrf_matches(field("csrf")) => {
                Ok(Reply::page(403, duly_app::web::problem_page(lang, 403)))
            }
            Ok(Some((_, session))) if method == Method::POST && roles::may_post(session.role, &segments).is_err() => {
                let refusal = roles::may_post(session.role, &segments).expect_err("refused just now");
                pages::refused(web, &session, refusal).await
            }
            Ok(Some((key, session))) => {
                // A page shows how much waits in To do; a form's answer is a redirect and needs no count.
                let web = match method == Method::GET {
                    true => Web {
                        todo: pages::count_todo(web, &session, now).await,
                        ..web
                    },
                    false => web,
                };
                match (&method, &segments[..]) {
                    (&Method::GET, [""] | ["app"]) => Ok(Reply::see_other("/app/today")),
                    (&Method::POST, ["app", "preview", "send"]) => {
                        pages::send_preview(web, &session, &fields, now).await
                    }
                    (&Method::GET, ["app", "notifications"]) => {
                        pages::notifications(web, &session, !query("saved").is_empty()).await
                    }
                    (&Method::POST, ["app", "notifications"]) => {
                        pages::change_notifications(web, &session, &fields).await
                    }
                    (&Method::GET, ["app", "audit"]) => pages::audit(web, &session, !query("verify").is_empty()).await,
                    (&Method::GET, ["app", "todo"]) => pages::todo(web, &session, query("done"), now).await,
                    (&Method::GET, ["app", "settings"]) => pages::settings(web, &session).await,
                    (&Method::GET, ["app", "me"]) => pages::me(web, &session, !query("saved").is_empty()).await,
                    (&Method::POST, ["app", "me"]) => pages::change_me(web, &session, &fields).await,
                    (&Method::GET, ["app", "reports"]) => pages::reports(web, &session, now).await,
                    (&Method::GET, ["app", "invoices", id, "decide"]) => pages::decision(web, &session, id, now).await,
                    (&Method::GET, ["app", "today"]) => pages::today(web, &session, now).await,
                    (&Method::GET, ["app", "groups"]) => pages::groups(web, &session).await,
                    (&Method::GET, ["app", "answers"]) => pages::answers(web, &session, now).await,
                    (&Method::GET, ["app", "calls"]) => {
                        pages::calls(web, &session, !query("saved").is_empty(), now).await
                    }
                    (&Method::POST, ["app", "calls", id]) => pages::record_call(web, &session, id, &fields, now).await,
                    (&Method::GET, ["app", "connections"]) => pages::connections(web, &session).await,
                    (&Method::POST, ["app", "connections"]) => {
                        pages::change_connection(web, &session, field("csrf"), field("grant"), now).await
                    }
                    (&Method::GET, ["app", "notices"]) => pages::notices(web, &session).await,
                    (&Method::GET, ["app", "debtors"]) => {
                        let done = query("done").parse().ok();
                        pages::customers(web, &session, &Filter::from_query(|k| query(k).to_string()), done, now).await
                    }
                    (&Method::GET, ["app", "debtors.csv"]) => {
                        pages::customers_csv(web, &session, &Filter::from_query(|k| query(k).to_string()), now).await
                    }
                    (&Method::POST, ["app", "debtors", "bulk"]) => {
                        pages::bulk_customers(web, &session, &fields, now).await
                    }
                    (&Method::GET, ["app", "debtors", id, "letter.pdf"]) => pages::letter(web, &session, id, now).await,
                    (&Method::GET, ["app", "debtors", id]) => {
                        pages::debtor(web, &session, id, !query("saved").is_empty(), now).await
                    }
                    (&Method::POST, ["app", "debtors", id, "notes"]) => {
                        pages::add_note(web, &session, id, field("text"), now).await
                    }
                    (&Method::POST, ["app", "debtors", id]) => {
                        let form = pages::DebtorForm {
                            csrf: field("csrf").into(),
                            action: field("action").into(),
                            group: field("group").into(),
                            confirm: field("confirm").into(),
                            until: field("until").into(),
                            reason: field("reason").into(),
                            language: field("language").into(),
                            // A country not in the list is typed as its code.
                            country: match field("country_other").trim() {
                                "" => field("country").into(),
                                other => other.into(),
                            },
                            time_zone: field("time_zone").into(),
                        };
                        pages::change_debtor(web, &session, id, &form, now).await
                    }
                    (&Method::GET, ["app", "preview"]) => {
                        pages::preview(
                            web,
                            &session,
                            query("language"),
                            query("step"),
                            !query("sent").is_empty(),
                            now,
                        )
                        .await
                    }
                    (&Method::GET, ["app", "preview", "email"]) => {
                        pages::preview_email(web, &session, query("language"), query("step"), now).await
                    }
                    (&Method::GET, ["app", "schedule"]) => {
                        pages::schedule(web, &session, query("group"), !query("saved").is_empty()).await
                    }
                    (&Method::GET, ["app", "schedule", "words"]) => {
                        let saved = !query("saved").is_empty();
                        let of = pages::StepOf {
                            step: query("step"),
                            group: query("group"),
                        };
                        pages::words(web, &session, of, query("language"), saved).await
                    }
                    (&Method::POST, ["app", "schedule", "words"]) => {
                        pages::change_words(web, &session, &fields, now).await
                    }
                    (&Method::POST, ["app", "schedule"]) => pages::save_schedule(web, &session, &fields, now).await,
                    (&Method::GET, ["app", "branding"]) => pages::branding(web, &session).await,
                    (&Method::GET, ["app", "charges"]) => pages::charges(web, &session, now).await,
                    (&Method::POST, ["app", "charges"]) => pages::change_charges(web, &session, &fields, now).await,
                    (&Method::GET, ["app", "templates"]) => {
                        pages::templates(web, &session, query("language"), query("name")).await
                    }
                    (&Method::POST, ["app", "templates"]) => pages::change_template(web, &session, &fields).await,
                    (&Method::POST, ["app", "branding"]) => pages::change_branding(web, &session, &fields, now).await,
                    (&Method::GET, ["app", "usage"]) => pages::usage(web, &session, now).await,
                    (&Method::POST, ["app", "usage"]) => pages::change_cap(web, &session, &fields, now).await,
                    (&Method::GET, ["app", "reports", "pick"]) => pages::pick_report(web, &session, query("at")).await,
                    (&Method::GET, ["app", "reports", period, date]) => {
                        pages::report(web, &session, period, date, now).await
                    }
                    (&Method::GET, ["app", "tokens"]) => pages::tokens(web, &session).await,
                    (&Method::POST, ["app", "tokens"]) => {
                        pages::change_tokens(
                            web,
                            &session,
                            field("csrf"),
                            field("action"),
                            field("label"),
                            field("fingerprint"),
                        )
                        .await
                    }
                    (&Method::GET, ["app", "team"]) => {
                        pages::team_saved(web, &session, !query("saved").is_empty()).await
                    }
                    (&Method::POST, ["app", "team"]) => {
                        pages::invite(web, &session, field("csrf"), field("email"), field("role"), now).await
                    }
                    (&Method::POST, ["app", "team", "role"]) => {
                        pages::change_role(web, &session, field("email"), field("role")).await
                    }
                    (&Method::POST, ["app", "team", "remove"]) => {
                        pages::remove_member(web, &session, field("csrf"), field("email")).await
                    }
                    (&Method::POST, ["app", "groups"]) => {
                        pages::create_group(web, &session, field("csrf"), field("name"), now).await
                    }
                    (&Method::POST, ["app", "groups", id, "attach"]) => {
                        pages::set_group_attach(web, &session, id, field("csrf"), field("attach"), now).await
                    }
                    (&Method::POST, ["app", "groups", id, "name"]) => {
                        pages::rename_group(web, &session, id, field("csrf"), field("name"), now).await
                    }
                    (&Method::POST, ["app", "groups", name]) => {
                        pages::switch_group(web, &session, name, field("csrf"), field("enabled") == "on", now).await
                    }
                    (&Method::POST, ["app", "groups", name, "statement"]) => {
                        let day = field("business_day");
                        pages::set_group_statement(web, &session, name, field("csrf"), day, now).await
                    }
                    (&Method::GET, ["app", "invoices", id, "interest"]) => {
                        pages::interest_sheet(web, &session, id, now).await
                    }
                    (&Method::POST, ["app", "invoices", id, "plan"]) => {
                        pages::edit_plan(web, &session, id, &fields, now).await
                    }
                    (&Method::POST, ["app", "invoices", id, "settle"]) => {
                        pages::offer_settlement(web, &session, id, &fields, now).await
                    }
                    (
                        &Method::POST,
                        ["app", "invoices", id, action @ ("pause" | "resume-one" | "dispute" | "promise")],
                    ) => pages::control_invoice(web, &session, id, action, &fields, now).await,
                    (&Method::POST, ["app", "invoices", id, action]) => {
                        pages::act_on_invoice(web, &session, id, action, field("csrf"), now).await
                    }
                    (&Method::POST, ["app", "sign-out-everywhere"]) => {
                        sign_in::sign_out_everywhere(web, &session).await
                    }
                    (&Method::POST, ["app", "sign-out"]) => {
                        if session.csrf_matches(field("csrf")) {
                            sign_in::sign_out(web, &key).await
                        } else {
                            Ok(Reply::page(403, duly_app::web::problem_page(lang, 403)))
                        }
                    }
                    _ => Ok(Reply::page(404, duly_app::web::problem_page(lang, 404))),
                }
            }
        },
        _ => Ok(Reply::page(404, duly_app::web::problem_page(lang, 404))),
    };
    // The origin only (scheme, host and port), as a CSP source.
    let connect_origin = app
        .connect_url
        .as_deref()
        .and_then(duly_core::web::origin_of)
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    match outcome {
        Ok(r) => reply(r, &connect_origin),
        Err(e) => {
            tracing::error!(error = %e, "web request failed");
            reply(
                Reply::page(503, duly_app::web::problem_page(lang, 503)),
                &connect_origin,
            )
        }
    }
}
