//! What every function behind a Function URL reads from a request and answers with: its body within a
//! limit, a form, JSON, a refusal, plain text and a page.

use duly_core::locale::Language;
use lambda_http::http::{header, StatusCode};
use lambda_http::{Body, Request, Response};
use serde::Serialize;

/// The request's body as bytes, whichever way the Function URL encoded it.
pub fn body_bytes(request: &Request) -> &[u8] {
    match request.body() {
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        _ => &[],
    }
}

/// A posted form's fields in order; `None` when the body is over `limit` bytes.
pub fn form(request: &Request, limit: usize) -> Option<Vec<(String, String)>> {
    let bytes = body_bytes(request);
    (bytes.len() <= limit).then(|| form_urlencoded::parse(bytes).into_owned().collect())
}

/// The request's cookies in one `a=1; b=2` string, however many `Cookie` headers carried them.
pub fn cookies(request: &Request) -> String {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A JSON answer, never cached: what the API and the receivers answer names creditors and their customers.
pub fn json(status: StatusCode, body: impl Serialize) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::Text(serde_json::to_string(&body).expect("responses serialise")))
        .expect("static response parts are valid")
}

/// A refusal: `{"error": code, "reason": reason}` with `status` (500 should it not be one).
pub fn refuse(status: impl Into<u16>, code: &str, reason: &str) -> Response<Body> {
    let status = StatusCode::from_u16(status.into()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(status, serde_json::json!({ "error": code, "reason": reason }))
}

/// A status alone, with nothing in the body.
pub fn empty(status: StatusCode) -> Response<Body> {
    Response::builder()
        .status(status)
        .body(Body::Empty)
        .expect("static response parts are valid")
}

/// Plain text, never sniffed as anything else.
pub fn plain(status: StatusCode, text: &str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header("x-content-type-options", "nosniff")
        .body(Body::Text(text.to_string()))
        .expect("static response parts are valid")
}

/// A page that styles itself and posts only to its own address (the connect and answer pages): never
/// cached, never framed, its URL never passed on, as it may carry a token or take a key.
pub fn page(status: impl Into<u16>, html: String) -> Response<Body> {
    let status = StatusCode::from_u16(status.into()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    crate::page_headers::with_page_headers(
        Response::builder().status(status),
        &crate::page_headers::inline_styled_policy("'self'"),
        "no-referrer",
    )
    .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
    .body(Body::Text(html))
    .expect("static response parts are valid")
}

/// A `Content-Disposition` that saves the file as `name`, kept to letters, digits, `.`, `-` and `_`: a name
/// from a platform cannot break out of its quotes, and the header is always valid.
pub fn attachment(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{name}\"")
}

/// The reader's language, from `Accept-Language`, for pages shown to whoever opens them.
pub fn reader(request: &Request) -> Language {
    crate::page_headers::reader_language(request.headers())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_over_its_limit_is_not_read_and_a_refusal_says_why() {
        let request = Request::new(Body::Text("a=1&b=%C3%A4".into()));
        assert_eq!(
            form(&request, 64),
            Some(vec![("a".into(), "1".into()), ("b".into(), "ä".into())])
        );
        assert_eq!(form(&request, 4), None);
        let refused = refuse(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "at most 4 bytes");
        assert_eq!(refused.status(), 413);
        assert_eq!(refused.headers()[header::CACHE_CONTROL], "no-store");
        let Body::Text(text) = refused.body() else {
            panic!("a JSON body")
        };
        assert_eq!(text, r#"{"error":"body_too_large","reason":"at most 4 bytes"}"#);
        assert_eq!(refuse(1000_u16, "x", "y").status(), 500);
    }

    #[test]
    fn a_saved_file_s_name_keeps_to_plain_characters() {
        assert_eq!(attachment("INV-1001.pdf"), "attachment; filename=\"INV-1001.pdf\"");
        assert_eq!(
            attachment("a\"b\r\nc ä/d.pdf"),
            "attachment; filename=\"a_b__c___d.pdf\""
        );
    }
}
