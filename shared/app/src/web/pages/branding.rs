//! Branding: who the reminders come from and how they look, saved through the same rules as
//! `PUT /v1/branding`; the sending domain's verification and the DNS records that prove it.

use fluent_bundle::FluentArgs;
use serde_json::json;

use duly_core::model::Branding;
use duly_core::web::branding::branding_from_form;
use duly_core::web::{form_field, Session};

use super::{checked, creditor};
use crate::settings::{claim_domain, own_domain, put_branding, sending_domain, DomainView, SettingsError};
use crate::web::view::{render, say};
use crate::web::{Reply, Web, WebError};

async fn page(
    web: Web<'_>,
    session: &Session,
    shown: Option<&Branding>,
    note: Option<String>,
    domain: Option<DomainView>,
    status: u16,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let branding = shown.unwrap_or(&c.branding);
    let verified = own_domain(web.store, web.outbound, &c.creditor_id, &c.branding.from_address).await;
    let html = render(
        "branding",
        lang,
        Some(web.chrome(session)),
        json!({
            "title": say(lang, "web-branding-title", &FluentArgs::new()),
            "nav": "branding",
            "b": form_view(branding),
            "domain_name": sending_domain(&c.branding.from_address),
            "verified": verified,
            "note": note,
            "txt": domain.as_ref().and_then(|d| d.txt_record.clone()),
            "records": domain.map(|d| d.dkim_records).unwrap_or_default(),
        }),
    );
    Ok(Reply::page(status, html))
}

/// Every field as the form shows it: text, empty where there is none.
fn form_view(b: &Branding) -> serde_json::Value {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    json!({
        "trading_name": b.trading_name,
        "sender_name": b.sender_name,
        "from_address": b.from_address,
        "reply_to": b.reply_to,
        "logo_url": text(&b.logo_url),
        "brand_colour": b.brand_colour,
        "signature": text(&b.signature),
        "legal_footer": text(&b.legal_footer),
        "sms_sender_id": text(&b.sms_sender_id),
        "registry_code": text(&b.registry_code),
        "vat_number": text(&b.vat_number),
        "address": text(&b.address),
        "iban": b.bank_account.as_ref().map(|a| a.iban.clone()).unwrap_or_default(),
        "bic": b.bank_account.as_ref().and_then(|a| a.bic.clone()).unwrap_or_default(),
    })
}

pub async fn branding(web: Web<'_>, session: &Session) -> Result<Reply, WebError> {
    page(web, session, None, None, None, 200).await
}

/// `POST /app/branding`: `action=save` stores the profile; `action=domain` claims the sender's domain and
/// shows the records to publish.
pub async fn change_branding(
    web: Web<'_>,
    session: &Session,
    fields: &[(String, String)],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Reply, WebError> {
    let (c, lang) = creditor(web, session).await?;
    let field = |name: &str| form_field(fields, name);
    if let Err(refused) = checked(session, lang, field("csrf")) {
        return Ok(refused);
    }
    match field("action") {
        "domain" => match claim_domain(
            web.store,
            web.outbound,
            web.domains,
            &c.creditor_id,
            &sending_domain(&c.branding.from_address),
            now,
        )
        .await
        {
            Ok(view) => page(web, session, None, None, Some(view), 200).await,
            Err(SettingsError::Taken(_)) => {
                page(
                    web,
                    session,
                    None,
                    Some(say(lang, "web-branding-domain-taken", &FluentArgs::new())),
                    None,
                    409,
                )
                .await
            }
            Err(SettingsError::Invalid(e)) => {
                page(
                    web,
                    session,
                    None,
                    Some(duly_core::web::refused::refusal_words(lang, &e)),
                    None,
                    422,
                )
                .await
            }
            Err(e) => Err(e.into()),
        },
        _ => {
            let wanted = branding_from_form(fields);
            match put_branding(web.store, &c.creditor_id, wanted.clone(), now).await {
                Ok(()) => Ok(Reply::see_other("/app/branding")),
                Err(SettingsError::Invalid(e)) => {
                    page(
                        web,
                        session,
                        Some(&wanted),
                        Some(duly_core::web::refused::refusal_words(lang, &e)),
                        None,
                        422,
                    )
                    .await
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use duly_core::locale::Language;

    #[test]
    fn the_page_lists_the_dns_records_to_publish_for_an_unverified_domain() {
        let b = Branding {
            trading_name: "Nordwind <Tools>".into(),
            sender_name: "Accounts".into(),
            from_address: "ar@nordwind.example".into(),
            reply_to: "ar@nordwind.example".into(),
            logo_url: None,
            brand_colour: "#0b3d91".into(),
            signature: None,
            legal_footer: None,
            sms_sender_id: None,
            registry_code: None,
            vat_number: None,
            address: None,
            bank_account: None,
        };
        let html = render(
            "branding",
            Language::En,
            Some(crate::web::view::Chrome {
                csrf: "c",
                todo: 0,
                viewer: false,
            }),
            json!({"title": "Branding", "nav": "branding", "b": form_view(&b), "domain_name": "nordwind.example",
                "verified": false, "note": null,
                "txt": ["_duly-claim.nordwind.example", "duly-claim=abc"],
                "records": [["k1._domainkey.nordwind.example", "k1.dkim.amazonses.com"]]}),
        );
        assert!(
            html.contains("<code>k1._domainkey.nordwind.example</code> CNAME <code>k1.dkim.amazonses.com</code>"),
            "{html}"
        );
        assert!(html.contains("Verify my domain"));
        assert!(
            html.contains("<code>_duly-claim.nordwind.example</code> TXT <code>duly-claim=abc</code>"),
            "{html}"
        );
        assert!(html.contains("Nordwind &lt;Tools&gt;"), "escaped");
    }
}
