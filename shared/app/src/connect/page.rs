//! The page a creditor's browser shows at the end of a flow.

use duly_core::model::Platform;

use super::{Confirm, ConnectError, Connected};

/// The page a creditor's browser shows at the end of a flow.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConnectPage {
    pub title: String,
    pub lines: Vec<String>,
    /// A new creditor's API token, shown once.
    pub token: Option<String>,
    /// The form that asks for the API token of the creditor who started the flow.
    pub form: Option<ConfirmForm>,
    /// A one-time link that signs this browser in to the web app.
    pub open_app: Option<String>,
    /// The form that signs a Stripe account up with its restricted key and endpoint secret.
    #[serde(default)]
    pub stripe_form: bool,
    /// Where the platform sends webhooks for the new connection.
    #[serde(default)]
    pub webhook_path: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConfirmForm {
    pub action: String,
    /// Hidden fields carried back to the callback, in order.
    pub fields: Vec<(String, String)>,
}

impl ConnectPage {
    pub fn connected(c: &Connected) -> Self {
        let platform = match c.platform {
            Platform::Xero => "Xero",
            Platform::QuickBooks => "QuickBooks Online",
            Platform::Stripe => "Stripe",
            Platform::StandardWebhooks => "your platform",
        };
        let mut lines = vec![format!(
            "Duly can now read the invoices, payments and contacts of {}.",
            c.tenant_name.as_deref().unwrap_or(&c.tenant)
        )];
        lines.push("Open invoices are imported within minutes, and every change arrives as it happens.".into());
        if c.new_token.is_some() {
            lines.push(
                "Reminders stay off until you set your sender address and branding and switch them on in Duly's settings."
                    .into(),
            );
        }
        ConnectPage {
            title: format!("Connected to {platform}"),
            lines,
            token: c.new_token.clone(),
            form: None,
            open_app: None,
            stripe_form: false,
            webhook_path: (c.platform == Platform::Stripe).then(|| format!("/webhooks/stripe/{}", c.connection)),
        }
    }

    /// Signing up with a Stripe account: its restricted key and its webhook endpoint's secret.
    pub fn stripe_sign_up() -> Self {
        ConnectPage {
            title: "Sign up with Stripe".into(),
            lines: vec![
                "Duly reads your Stripe invoices with a restricted key that can only read invoices, customers and events; a full secret key is refused.".into(),
                "Duly checks the key with Stripe before anything is stored, and keeps it encrypted.".into(),
            ],
            token: None,
            form: None,
            open_app: None,
            stripe_form: true,
            webhook_path: None,
        }
    }

    /// A marketplace launch for an organisation Duly already serves.
    pub fn signed_in(tenant_name: Option<&str>, open_app: Option<String>) -> Self {
        ConnectPage {
            title: "Welcome back".into(),
            lines: vec![format!(
                "{} is connected to Duly already; its connection stays as it is.",
                tenant_name.unwrap_or("This organisation")
            )],
            token: None,
            form: None,
            open_app,
            stripe_form: false,
            webhook_path: None,
        }
    }

    /// Adds the button that opens the web app, signed in.
    pub fn with_app_link(mut self, link: Option<String>) -> Self {
        self.open_app = link;
        self
    }

    pub fn confirm(c: &Confirm) -> Self {
        let mut fields = vec![
            ("state".to_string(), c.state.clone()),
            ("code".to_string(), c.code.clone()),
        ];
        if let Some(realm) = &c.realm_id {
            fields.push(("realmId".to_string(), realm.clone()));
        }
        ConnectPage {
            title: "Confirm the connection".into(),
            lines: vec![
                "This connection was started from Duly's API. To link the organisation you just approved, enter the API token of the Duly account that started it.".into(),
                "If somebody sent you this link and you do not use Duly, close this page: nothing has been connected.".into(),
            ],
            token: None,
            open_app: None,
            stripe_form: false,
            webhook_path: None,
            form: Some(ConfirmForm {
                action: format!("/connect/{}/callback", c.platform.path_segment()),
                fields,
            }),
        }
    }

    pub fn failed(error: &ConnectError) -> Self {
        ConnectPage {
            title: "Not connected".into(),
            lines: vec![crate::errors::public_reason(error.status(), error)],
            token: None,
            form: None,
            open_app: None,
            stripe_form: false,
            webhook_path: None,
        }
    }

    pub fn html(&self) -> String {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.add_template("connected", include_str!("../../templates/connected.html.j2"))
            .expect("the shipped page template parses");
        env.get_template("connected")
            .and_then(|t| t.render(minijinja::value::Serde(self)))
            .expect("the shipped page template renders; the connect tests prove it")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use duly_core::model::ids::{ConnectionId, CreditorId};

    #[test]
    fn the_page_escapes_the_organisation_name_and_shows_a_new_token_once() {
        let connected = Connected {
            platform: Platform::Xero,
            creditor: CreditorId::parse("xero-t1").unwrap(),
            connection: ConnectionId::parse("conn-xero-1").unwrap(),
            tenant: "t1".into(),
            tenant_name: Some("<Nordwind & Co>".into()),
            new_token: Some("duly_abc".into()),
        };
        let html = ConnectPage::connected(&connected).html();
        assert!(html.contains("Connected to Xero"));
        assert!(html.contains("&lt;Nordwind &amp; Co&gt;"));
        assert!(html.contains("duly_abc"));
        assert!(html.contains("Reminders stay off"));
        let confirm = ConnectPage::confirm(&Confirm {
            platform: Platform::QuickBooks,
            state: "s\"><script>".into(),
            code: "c1".into(),
            realm_id: Some("9130".into()),
        })
        .html();
        // minijinja escapes `/` too; a browser reads the entity back.
        assert!(confirm.contains(r#"<form method="post" action="&#x2f;connect&#x2f;quickbooks&#x2f;callback">"#));
        assert!(confirm.contains(r#"name="realmId" value="9130""#));
        assert!(confirm.contains(r#"type="password""#));
        assert!(!confirm.contains("<script>"), "hidden fields are escaped");
        let failed = ConnectPage::failed(&ConnectError::TenantTaken).html();
        assert!(failed.contains("already connected to another Duly account"));
    }
}
