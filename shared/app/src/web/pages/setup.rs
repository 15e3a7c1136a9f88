//! Settings: one page that leads to everything the creditor sets up once and changes rarely.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::web::Session;

use super::creditor;
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// The settings pages by group: (group heading, [(path, label)]).
const GROUPS: &[(&str, &[(&str, &str)])] = &[
    (
        "settings-reminders",
        &[
            ("/app/schedule", "nav-schedule"),
            ("/app/groups", "nav-groups"),
            ("/app/preview", "nav-preview"),
            ("/app/templates", "nav-templates"),
            ("/app/charges", "nav-charges"),
            ("/app/notifications", "nav-notifications"),
        ],
    ),
    (
        "settings-company",
        &[
            ("/app/branding", "nav-branding"),
            ("/app/connections", "nav-connections"),
            ("/app/team", "nav-team"),
            ("/app/tokens", "nav-tokens"),
            ("/app/usage", "nav-usage"),
            ("/app/audit", "nav-audit"),
        ],
    ),
    ("settings-you", &[("/app/me", "nav-me")]),
];

pub async fn settings(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    let (_, lang) = creditor(web, session).await?;
    let none = FluentArgs::new();
    let groups: Vec<_> = GROUPS
        .iter()
        .map(|(heading, links)| {
            json!({
                "heading": say(lang, &format!("web-{heading}"), &none),
                "links": links.iter().map(|(path, label)| json!({"path": path, "label": say(lang, &format!("web-{label}"), &none)})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let html = render(
        "settings",
        lang,
        Some(web.chrome(session)),
        json!({"title": say(lang, "web-settings-title", &none), "nav": "settings", "groups": groups}),
    );
    Ok(Reply::page(200, html))
}
