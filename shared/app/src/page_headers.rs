//! The headers every HTML page Duly serves carries, whichever function serves it: no caching, no
//! framing (a form that takes a token or a key must not be clickjacked), no MIME sniffing, and a content
//! security policy that runs no script.

use http::response::Builder;

/// Pages styled by their own stylesheet route (the web app).
pub fn app_policy(extra_form_action: &str) -> String {
    format!(
        "default-src 'none'; style-src 'self'; img-src 'self' https:; form-action 'self'{extra_form_action}; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// Pages that style themselves inline, as e-mails must: the connect and answer pages and e-mail previews.
/// `form_action` is `'self'` for a page whose forms post back, `'none'` for one that has none.
pub fn inline_styled_policy(form_action: &str) -> String {
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// `referrer`: `same-origin` inside the app, `no-referrer` where a URL or page may carry a secret.
pub fn with_page_headers(builder: Builder, policy: &str, referrer: &str) -> Builder {
    builder
        .header(http::header::CACHE_CONTROL, "no-store")
        .header("referrer-policy", referrer)
        .header("x-frame-options", "DENY")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", policy)
}

/// The language a page's reader asks for among Duly's (`Accept-Language`), for a page that names none of
/// its own; English when they ask for none of them.
pub fn reader_language(headers: &http::HeaderMap) -> duly_core::locale::Language {
    use duly_core::locale::Language;
    headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
        .unwrap_or(Language::En)
}
