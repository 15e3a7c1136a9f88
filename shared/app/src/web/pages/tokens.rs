//! API tokens for the creditor's integrations: create one with a name (shown once), revoke one, or rotate
//! one (a new token under the same name, the old one revoked at once).

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::model::tokens::issue;
use duly_core::web::Session;

use super::{checked, creditor, not_found};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

/// Tokens one creditor may hold; each is a door into the API.
const MAX_TOKENS: usize = 20;

async fn page(
    web: Web<'_>,
    session: &Session,
    new_token: Option<(String, String)>,
    status: u16,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let tokens: Vec<_> = web
        .store
        .tokens(&c.creditor_id)
        .await?
        .into_iter()
        .map(|(fingerprint, label)| json!({"fingerprint": fingerprint, "short": &fingerprint[..12.min(fingerprint.len())], "label": label}))
        .collect();
    let html = render(
        "tokens",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-tokens-title", &FluentArgs::new()),
            "nav": "tokens",
            "tokens": tokens,
            "new_token": new_token.map(|(label, token)| json!({"label": label, "token": token})),
        }),
    );
    Ok(Reply::page(status, html))
}

pub async fn tokens(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    page(web, session, None, 200).await
}

/// `POST /app/tokens`: `action` is `create` (with `label`), `revoke` or `rotate` (with `fingerprint`).
pub async fn change_tokens(
    web: Web<'_>,
    session: &Session,
    csrf: &str,
    action: &str,
    label: &str,
    fingerprint: &str,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    if let Err(refused) = checked(session, lang, csrf) {
        return Ok(refused);
    }
    let held = web.store.tokens(&c.creditor_id).await?;
    match action {
        "create" => {
            let label = label.trim();
            if label.is_empty() || label.chars().count() > 64 || held.len() >= MAX_TOKENS {
                return page(web, session, None, 422).await;
            }
            let token = issue();
            web.store.put_token(&c.creditor_id, &token, label).await?;
            page(web, session, Some((label.to_string(), token)), 200).await
        }
        "revoke" => match web.store.revoke_token(&c.creditor_id, fingerprint).await? {
            true => Ok(Reply::see_other("/app/tokens")),
            false => Ok(not_found(lang)),
        },
        "rotate" => {
            let Some((_, label)) = held.iter().find(|(f, _)| f == fingerprint) else {
                return Ok(not_found(lang));
            };
            let token = issue();
            web.store.put_token(&c.creditor_id, &token, label).await?;
            web.store.revoke_token(&c.creditor_id, fingerprint).await?;
            page(web, session, Some((label.clone(), token)), 200).await
        }
        _ => Ok(not_found(lang)),
    }
}
