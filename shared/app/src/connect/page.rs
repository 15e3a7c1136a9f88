//! The page a creditor's browser shows at the end of a flow, in the language the browser asks for.

use fluent_bundle::FluentArgs;

use duly_core::locale::Language;
use duly_core::locale::{labels, wording_or_id};
use duly_core::model::Platform;

use super::{Confirm, ConnectError, Connected};

/// A message of the language files with its arguments, worded when the page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// An argument: text as it is, or another message worded in the same language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Worded(&'static str),
}

impl Words {
    fn of(id: &'static str) -> Words {
        Words { id, args: Vec::new() }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Words {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    fn with_worded(mut self, name: &'static str, id: &'static str) -> Words {
        self.args.push((name, Arg::Worded(id)));
        self
    }

    pub fn say(&self, lang: Language) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            match value {
                Arg::Text(t) => args.set(*name, t.clone()),
                Arg::Worded(id) => args.set(*name, wording_or_id(lang, id, &FluentArgs::new())),
            }
        }
        wording_or_id(lang, self.id, &args)
    }
}

/// The page a creditor's browser shows at the end of a flow.
#[derive(Debug, Clone)]
pub struct ConnectPage {
    pub title: Words,
    pub lines: Vec<Words>,
    /// A new creditor's API token, shown once.
    pub token: Option<String>,
    /// The form that asks for the API token of the creditor who started the flow.
    pub form: Option<ConfirmForm>,
    /// A one-time link that signs this browser in to the web app.
    pub open_app: Option<String>,
    /// The form that signs a Stripe account up with its restricted key and endpoint secret.
    pub stripe_form: bool,
    /// The Merit form: API id, key and which Merit.
    pub merit_form: bool,
    /// Where the platform sends webhooks for the new connection.
    pub webhook_path: Option<String>,
    /// A button that carries a grant from the web app back to this function (`POST action`).
    pub grant_form: Option<GrantForm>,
    /// A Standard Webhooks connection's signing secret and full webhook URL, shown once.
    pub secret: Option<String>,
    pub webhook_url: Option<String>,
    /// The web app's Connections page, for someone who came from there.
    pub back: Option<String>,
}

#[derive(Debug, Clone)]
pub struct GrantForm {
    pub action: String,
    pub grant: String,
    pub button: Words,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConfirmForm {
    pub action: String,
    /// Hidden fields carried back to the callback, in order.
    pub fields: Vec<(String, String)>,
}

impl ConnectPage {
    pub fn connected(c: &Connected) -> Self {
        let platform = |w: Words, name: &'static str| match c.platform {
            Platform::Xero => w.with(name, "Xero"),
            Platform::QuickBooks => w.with(name, "QuickBooks Online"),
            Platform::Stripe => w.with(name, "Stripe"),
            Platform::Merit => w.with(name, "Merit Aktiva"),
            Platform::StandardWebhooks => w.with_worded(name, "connect-your-platform"),
        };
        let mut lines =
            vec![Words::of("connect-connected-reads").with("tenant", c.tenant_name.as_deref().unwrap_or(&c.tenant))];
        lines.push(Words::of("connect-connected-import"));
        if let Some(email) = &c.member {
            lines.push(platform(Words::of("connect-connected-sign-in"), "platform").with("email", email.as_str()));
        }
        if c.new_token.is_some() {
            lines.push(Words::of("connect-connected-off"));
        }
        ConnectPage {
            title: platform(Words::of("connect-connected-title"), "platform"),
            lines,
            token: c.new_token.clone(),
            form: None,
            open_app: None,
            stripe_form: false,
            merit_form: false,
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
            title: Words::of("connect-stripe-title"),
            lines: vec![Words::of("connect-stripe-key"), Words::of("connect-stripe-checked")],
            token: None,
            form: None,
            open_app: None,
            stripe_form: true,
            merit_form: false,
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
            title: Words::of("connect-welcome-title"),
            lines: vec![tenant(Words::of("connect-welcome"), tenant_name)],
            token: None,
            form: None,
            open_app,
            stripe_form: false,
            merit_form: false,
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
            title: Words::of("connect-ask-title"),
            lines: vec![
                tenant(Words::of("connect-ask"), tenant_name),
                Words::of("connect-ask-invite"),
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
            title: Words::of("connect-confirm-title"),
            lines: vec![Words::of("connect-confirm"), Words::of("connect-confirm-stranger")],
            token: None,
            open_app: None,
            stripe_form: false,
            merit_form: false,
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
            title: Words::of("connect-stripe-connect-title"),
            grant_form: Some(GrantForm {
                action: "/connect/stripe".into(),
                grant: grant.into(),
                button: Words::of("connect-button"),
            }),
            back,
            ..Self::stripe_sign_up()
        }
    }

    /// Connecting Merit for the creditor of an app grant: its API id and key, and which Merit.
    pub fn merit_connect(grant: &str, back: Option<String>) -> Self {
        ConnectPage {
            title: Words::of("connect-merit-title"),
            lines: vec![Words::of("connect-merit-keys"), Words::of("connect-merit-checked")],
            stripe_form: false,
            merit_form: true,
            grant_form: Some(GrantForm {
                action: "/connect/merit".into(),
                grant: grant.into(),
                button: Words::of("connect-button"),
            }),
            back,
            ..Self::stripe_sign_up()
        }
    }

    /// The button that makes a Standard Webhooks connection for the creditor of an app grant.
    pub fn standard_offer(grant: &str, back: Option<String>) -> Self {
        ConnectPage {
            title: Words::of("connect-standard-title"),
            lines: vec![Words::of("connect-standard")],
            grant_form: Some(GrantForm {
                action: "/connect/standard".into(),
                grant: grant.into(),
                button: Words::of("connect-standard-button"),
            }),
            back,
            ..Self::failed(&ConnectError::UnknownGrant)
        }
    }

    /// A new Standard Webhooks connection: its address and secret, once.
    pub fn standard_made(made: &super::StandardConnection, webhook_base: Option<&str>, back: Option<String>) -> Self {
        ConnectPage {
            title: Words::of("connect-made-title"),
            lines: vec![Words::of("connect-made"), Words::of("connect-made-signed")],
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
            title: Words::of("connect-disconnect-title"),
            lines: vec![Words::of("connect-disconnect")],
            grant_form: Some(GrantForm {
                action: "/connect/disconnect".into(),
                grant: grant.into(),
                button: Words::of("connect-disconnect-button"),
            }),
            back,
            ..Self::failed(&ConnectError::UnknownGrant)
        }
    }

    pub fn disconnected(d: &super::Disconnected, back: Option<String>) -> Self {
        let mut lines = vec![Words::of("connect-disconnected")];
        if d.revocation_follows {
            lines.insert(0, Words::of("connect-revoking"));
        }
        ConnectPage {
            title: Words::of("connect-disconnected-title"),
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
            title: Words::of("connect-failed-title"),
            lines: vec![error_words(error)],
            token: None,
            form: None,
            open_app: None,
            stripe_form: false,
            merit_form: false,
            webhook_path: None,
            grant_form: None,
            secret: None,
            webhook_url: None,
            back: None,
        }
    }

    /// The page in `lang`: its words from the language files, what the flow produced (names, token,
    /// secret, addresses) as it is.
    pub fn html(&self, lang: Language) -> String {
        let labels = labels(
            lang,
            "connect",
            &[
                "token",
                "webhook-url",
                "secret",
                "restricted-key",
                "webhook-secret",
                "merit-api-id",
                "merit-api-key",
                "merit-region",
                "sign-up",
                "back",
                "open",
                "api-token",
                "button",
            ],
        );
        let view = serde_json::json!({
            "lang": lang.code(),
            "t": labels,
            "title": self.title.say(lang),
            "lines": self.lines.iter().map(|l| l.say(lang)).collect::<Vec<_>>(),
            "token": self.token,
            "form": self.form,
            "open_app": self.open_app,
            "stripe_form": self.stripe_form,
            "merit_form": self.merit_form,
            "webhook_path": self.webhook_path.as_ref().map(|path| Words::of("connect-stripe-path").with("path", path.as_str()).say(lang)),
            "grant_form": self.grant_form.as_ref().map(|g| serde_json::json!({
                "action": g.action, "grant": g.grant, "button": g.button.say(lang),
            })),
            "secret": self.secret,
            "webhook_url": self.webhook_url,
            "back": self.back,
        });
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.add_template("connected", include_str!("../../templates/connected.html.j2"))
            .expect("the shipped page template parses");
        env.get_template("connected")
            .and_then(|t| t.render(minijinja::value::Serde(&view)))
            .expect("the shipped page template renders; the connect tests prove it")
    }
}

/// The organisation's name, or "This organisation" in the reader's language.
fn tenant(words: Words, name: Option<&str>) -> Words {
    match name {
        Some(name) => words.with("tenant", name),
        None => words.with_worded("tenant", "connect-this-organisation"),
    }
}

/// Why a flow failed, in words the reader's language has; a fault of Duly's own is only "try again".
pub fn error_words(error: &ConnectError) -> Words {
    if error.status() >= 500 {
        return Words::of("web-unavailable");
    }
    match error {
        ConnectError::UnknownPlatform => Words::of("connect-error-unknown-platform"),
        ConnectError::UnknownFlow => Words::of("connect-error-unknown-flow"),
        ConnectError::NotYourFlow => Words::of("connect-error-not-your-flow"),
        ConnectError::Declined(reason) => Words::of("connect-error-declined").with("reason", reason.as_str()),
        ConnectError::MissingParameter(name) => Words::of("connect-error-missing").with("name", *name),
        ConnectError::TenantTaken => Words::of("connect-error-tenant-taken"),
        ConnectError::AlreadyConnected => Words::of("connect-error-already-connected"),
        ConnectError::SecondCompany => Words::of("connect-error-second-company"),
        ConnectError::WrongTenant => Words::of("connect-error-wrong-tenant"),
        ConnectError::NoTenant => Words::of("connect-error-no-tenant"),
        ConnectError::Refused => Words::of("connect-error-refused"),
        ConnectError::UnknownGrant => Words::of("connect-error-unknown-grant"),
        ConnectError::UnknownConnection => Words::of("connect-error-unknown-connection"),
        other => Words::of("connect-error-invalid").with("reason", other.to_string()),
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
        let html = ConnectPage::connected(&connected).html(Language::En);
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
        .html(Language::En);
        // minijinja escapes `/` too; a browser reads the entity back.
        assert!(confirm.contains(r#"<form method="post" action="&#x2f;connect&#x2f;quickbooks&#x2f;callback">"#));
        assert!(confirm.contains(r#"name="realmId" value="9130""#));
        assert!(confirm.contains(r#"type="password""#));
        assert!(!confirm.contains("<script>"), "hidden fields are escaped");
        let failed = ConnectPage::failed(&ConnectError::TenantTaken).html(Language::En);
        assert!(failed.contains("already connected to another Duly account"));
        let de = ConnectPage::failed(&ConnectError::TenantTaken).html(Language::De);
        assert!(
            de.contains("<html lang=\"de\">") && de.contains("bereits mit einem anderen Duly-Konto"),
            "{de}"
        );
        let welcome = ConnectPage::signed_in(None, Some("https://app.example/x".into())).html(Language::Et);
        assert!(
            welcome.contains("See organisatsioon on Dulyga juba ühendatud") && welcome.contains("Ava Duly"),
            "{welcome}"
        );
    }
}
