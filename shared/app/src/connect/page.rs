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
    /// A button that carries a grant from the web app back to this function (`POST action`).
    pub grant_form: Option<GrantForm>,
    /// A Standard Webhooks connection's signing secret and full webhook URL, shown once.
    pub secret: Option<String>,
    pub webhook_url: Option<String>,
    /// The web app's Connections page, for someone who came from there.
    pub back: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct GrantForm {
    pub action: String,
    pub grant: String,
    pub button: String,
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
        if let Some(email) = &c.member {
            lines.push(format!(
                "Sign in to Duly later with {platform}, or with a link mailed to {email}."
            ));
        }
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
            grant_form: None,
            secret: None,
            webhook_url: None,
            back: None,
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
            grant_form: None,
            secret: None,
            webhook_url: None,
            back: None,
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
            grant_form: None,
            secret: None,
            webhook_url: None,
            back: None,
        }
    }

    /// A marketplace launch by someone who is not a member of the account the organisation is connected to.
    pub fn not_a_member(tenant_name: Option<&str>) -> Self {
        ConnectPage {
            title: "Ask for access".into(),
            lines: vec![
                format!(
                    "{} is connected to a Duly account you are not a member of.",
                    tenant_name.unwrap_or("This organisation")
                ),
                "Ask one of its members to invite you from the Team page; you will be mailed an invitation to accept."
                    .into(),
            ],
            ..Self::signed_in(tenant_name, None)
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
            grant_form: None,
            secret: None,
            webhook_url: None,
            back: None,
            form: Some(ConfirmForm {
                action: format!("/connect/{}/callback", c.platform.path_segment()),
                fields,
            }),
        }
    }

    /// Connecting Stripe for the creditor of an app grant: the same form, carrying the grant.
    pub fn stripe_connect(grant: &str, back: Option<String>) -> Self {
        ConnectPage {
            title: "Connect Stripe".into(),
            grant_form: Some(GrantForm {
                action: "/connect/stripe".into(),
                grant: grant.into(),
                button: "Connect".into(),
            }),
            back,
            ..Self::stripe_sign_up()
        }
    }

    /// The button that makes a Standard Webhooks connection for the creditor of an app grant.
    pub fn standard_offer(grant: &str, back: Option<String>) -> Self {
        ConnectPage {
            title: "Connect a platform that sends Standard Webhooks".into(),
            lines: vec![
                "Duly makes a signing secret and shows it once, with the address your platform sends its webhooks to."
                    .into(),
            ],
            grant_form: Some(GrantForm {
                action: "/connect/standard".into(),
                grant: grant.into(),
                button: "Make the connection".into(),
            }),
            back,
            ..Self::failed(&ConnectError::UnknownGrant)
        }
    }

    /// A new Standard Webhooks connection: its address and secret, once.
    pub fn standard_made(made: &super::StandardConnection, webhook_base: Option<&str>, back: Option<String>) -> Self {
        ConnectPage {
            title: "Connected".into(),
            lines: vec![
                "Give your platform this address and signing secret. The secret is shown only this once; Duly keeps it encrypted.".into(),
                "Every delivery must be signed as Standard Webhooks specifies (webhook-id, webhook-timestamp, webhook-signature).".into(),
            ],
            webhook_url: Some(match webhook_base {
                Some(base) => format!("{}{}", base.trim_end_matches('/'), made.webhook_path),
                None => made.webhook_path.clone(),
            }),
            secret: Some(made.secret.clone()),
            back,
            ..Self::failed(&ConnectError::UnknownGrant)
        }
    }

    /// Asks before disconnecting the connection an app grant names.
    pub fn disconnect_offer(grant: &str, back: Option<String>) -> Self {
        ConnectPage {
            title: "Disconnect?".into(),
            lines: vec![
                "Duly's access is revoked at the platform and its credentials are deleted. Reminders stop until you connect again, because Duly would no longer see payments.".into(),
            ],
            grant_form: Some(GrantForm {
                action: "/connect/disconnect".into(),
                grant: grant.into(),
                button: "Disconnect".into(),
            }),
            back,
            ..Self::failed(&ConnectError::UnknownGrant)
        }
    }

    pub fn disconnected(d: &super::Disconnected, back: Option<String>) -> Self {
        let mut lines = vec!["Reminders are off until you connect again.".to_string()];
        if d.revocation_follows {
            lines.insert(
                0,
                "Duly is revoking its access at the platform now, and then deletes its credentials.".into(),
            );
        }
        ConnectPage {
            title: "Disconnected".into(),
            lines,
            back,
            ..Self::failed(&ConnectError::UnknownGrant)
        }
    }

    /// Adds the way back to the app's Connections page.
    pub fn with_back(mut self, back: Option<String>) -> Self {
        self.back = back;
        self
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
            grant_form: None,
            secret: None,
            webhook_url: None,
            back: None,
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
            member: None,
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
