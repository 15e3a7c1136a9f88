//! HTTP shell of the answers function, the only one debtors reach: short pay links (`GET /p/{code}`) and
//! answer pages (`GET` shows the question, `POST` records the answer; mail scanners only ever `GET`).

use chrono::{DateTime, Utc};
use lambda_http::http::{header, Method, StatusCode};
use lambda_http::{Body, Request, RequestExt, Response};

use duly_adapters::outbound::Outbound;
use duly_adapters::store::Store;
use duly_app::answers::{show, submit, Page, Submission};
use duly_app::function_url::{attachment, form, plain, reader};
use duly_core::messages::links::Links;

/// Everything built once per cold start.
pub struct App {
    pub store: Store,
    pub links: Links,
    pub outbound: Outbound,
    /// Duly's sending address, for telling creditors about answers.
    pub notify_from: Option<String>,
    /// The web app's base URL, for the link in that notice.
    pub app_url: Option<String>,
}

const MAX_FORM_BYTES: usize = 8 * 1024;

fn html(page: Page) -> Response<Body> {
    duly_app::function_url::page(page.status, page.html)
}

/// An invoice's document, to save: never cached, since the link it came through expires.
fn pdf(file: duly_app::answers::statement::File) -> Response<Body> {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/pdf")
        .header(header::CONTENT_DISPOSITION, attachment(&file.name))
        .header(header::CACHE_CONTROL, "no-store")
        .header("x-content-type-options", "nosniff")
        .body(Body::Binary(file.pdf))
        .expect("an attachment's header is always valid")
}

pub async fn handle(app: &App, request: Request, now: DateTime<Utc>) -> Response<Body> {
    let path = request.raw_http_path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let outcome = match (request.method(), segments.as_slice()) {
        (&Method::GET, ["p", code]) => {
            let valid = code.len() == 10 && code.bytes().all(|b| b.is_ascii_alphanumeric());
            match if valid {
                app.store.short_link(code, now).await
            } else {
                Ok(None)
            } {
                // A link stored before pay links were checked could still hold a byte no header may carry.
                Ok(Some(url)) if duly_core::webhooks::canonical::safe_https_url(&url) => {
                    return Response::builder()
                        .status(StatusCode::FOUND)
                        .header(header::LOCATION, url)
                        .header(header::CACHE_CONTROL, "no-store")
                        .body(Body::Empty)
                        .expect("a checked URL is a valid header value")
                }
                Ok(_) => Ok(duly_app::answers::pay_link_gone(reader(&request))),
                Err(e) => Err(e.to_string()),
            }
        }
        (&Method::GET, ["a", token, "invoice", invoice]) => {
            match duly_app::answers::invoice_document(&app.store, &app.links, token, invoice, reader(&request), now)
                .await
            {
                Ok(Ok(file)) => return pdf(file),
                Ok(Err(page)) => Ok(page),
                Err(e) => Err(e.to_string()),
            }
        }
        (&Method::GET, ["a", token]) => show(&app.store, &app.links, token, reader(&request), now)
            .await
            .map_err(|e| e.to_string()),
        (&Method::POST, ["a", token]) => {
            let Some(fields) = form(&request, MAX_FORM_BYTES) else {
                return html(duly_app::answers::form_too_large(reader(&request)));
            };
            let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            let submission = Submission {
                date: get("date"),
                reason: get("reason"),
                instalments: get("instalments"),
            };
            let notify = app
                .notify_from
                .as_deref()
                .map(|from| (&app.outbound, from, app.app_url.as_deref()));
            let result = submit(
                &app.store,
                &app.links,
                notify,
                token,
                &submission,
                reader(&request),
                now,
            )
            .await;
            // RFC 8058 one-click unsubscribe comes from the mail client and wants no page.
            if get("List-Unsubscribe").as_deref() == Some("One-Click") {
                return match result {
                    Ok(page) if page.status == 200 => plain(StatusCode::OK, ""),
                    Ok(page) => plain(StatusCode::from_u16(page.status).unwrap_or(StatusCode::BAD_REQUEST), ""),
                    Err(_) => plain(StatusCode::SERVICE_UNAVAILABLE, ""),
                };
            }
            result.map_err(|e| e.to_string())
        }
        _ => return html(duly_app::answers::notice(reader(&request), 404, "answer-invalid")),
    };
    match outcome {
        Ok(page) => html(page),
        Err(e) => {
            tracing::error!(error = %e, "answer failed");
            html(duly_app::answers::notice(reader(&request), 503, "web-unavailable"))
        }
    }
}
