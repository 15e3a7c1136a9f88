//! Who may sign in to the web app, the one-time sign-in links mailed to them, and their sessions.
//!
//! Like API tokens, these keys name no creditor (a member's address, a link's or a session's fingerprint):
//! they are how a browser finds its creditor. The member list is kept under the creditor as well, for
//! listing.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use chrono::{DateTime, Utc};

use duly_core::locale::Language;
use duly_core::model::ids::CreditorId;
use duly_core::web::{Role, Session};

use super::invoice_item::attr;
use super::{keys, n, s, sdk_error, ts, Store, StoreError};

const MEMBER_SK: &str = "MEMBER";
const SIGN_IN_SK: &str = "SIGNIN";
const SESSION_SK: &str = "SESSION";

fn member_key(email: &str) -> String {
    format!("MEMBER#{email}")
}
fn sign_in_key(fingerprint: &str) -> String {
    format!("SIGNIN#{fingerprint}")
}
/// A session as its creditor lists it.
fn listed_session_sk(fingerprint: &str) -> String {
    format!("SESSIONOF#{fingerprint}")
}

fn session_key(fingerprint: &str) -> String {
    format!("SESSION#{fingerprint}")
}

/// Who a sign-in link was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInLink {
    pub creditor_id: CreditorId,
    pub email: String,
    /// A sign-up: the creditor is made, with this name and country, only when the link is used.
    pub sign_up: Option<(String, String)>,
    /// The fingerprint of the pre-session cookie of the browser that asked for the link.
    pub browser: Option<String>,
}

fn link_of(item: &HashMap<String, AttributeValue>) -> Result<SignInLink, StoreError> {
    Ok(SignInLink {
        creditor_id: CreditorId::parse(text(item, attr::CREDITOR_ID)?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        email: text(item, "email")?,
        sign_up: match (text(item, "sign_up_name"), text(item, "sign_up_country")) {
            (Ok(name), Ok(country)) => Some((name, country)),
            _ => None,
        },
        browser: text(item, "browser").ok(),
    })
}

/// Whom an address signs in for, what it may do there and the language it reads the app in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub creditor_id: CreditorId,
    pub role: Role,
    pub language: Option<Language>,
}

fn text(item: &HashMap<String, AttributeValue>, k: &str) -> Result<String, StoreError> {
    super::required_s(item, k, "sign-in record")
}

impl Store {
    /// Lets `email` sign in for the creditor as an owner. An address signs in for one creditor only:
    /// `false` when it belongs to another.
    pub async fn put_member(&self, creditor: &CreditorId, email: &str) -> Result<bool, StoreError> {
        self.put_member_as(creditor, email, Role::Owner).await
    }

    /// Lets `email` sign in for the creditor with `role`; `false` when it belongs to another creditor.
    pub async fn put_member_as(&self, creditor: &CreditorId, email: &str, role: Role) -> Result<bool, StoreError> {
        let lookup = Put::builder()
            .table_name(self.table())
            .item(attr::PK, s(member_key(email)))
            .item(attr::SK, s(MEMBER_SK))
            .item(attr::CREDITOR_ID, s(creditor.as_str()))
            .item("role", s(role.as_str()))
            .condition_expression("attribute_not_exists(#pk) OR #creditor = :creditor")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#creditor", attr::CREDITOR_ID)
            .expression_attribute_values(":creditor", s(creditor.as_str()))
            .build()
            .expect("table and item are set");
        let listed = Put::builder()
            .table_name(self.table())
            .item(attr::PK, s(keys::creditor(creditor)))
            .item(attr::SK, s(member_key(email)))
            .item("email", s(email))
            .item("role", s(role.as_str()))
            .build()
            .expect("table and item are set");
        self.transact_unless_first_fails(vec![
            TransactWriteItem::builder().put(lookup).build(),
            TransactWriteItem::builder().put(listed).build(),
        ])
        .await
    }

    /// The creditor's members and their roles, by address.
    pub async fn members_with_roles(&self, creditor: &CreditorId) -> Result<Vec<(String, Role)>, StoreError> {
        self.query_partition(keys::creditor(creditor), Some("MEMBER#"), true)
            .await?
            .iter()
            .map(|item| {
                let role = item.get("role").and_then(|v| v.as_s().ok()).map(String::as_str);
                Ok((text(item, "email")?, Role::recorded(role)))
            })
            .collect()
    }

    /// Gives the creditor's member `email` another role; `false` when the address is not theirs.
    pub async fn set_member_role(&self, creditor: &CreditorId, email: &str, role: Role) -> Result<bool, StoreError> {
        let lookup = aws_sdk_dynamodb::types::Update::builder()
            .table_name(self.table())
            .key(attr::PK, s(member_key(email)))
            .key(attr::SK, s(MEMBER_SK))
            .update_expression("SET #role = :role")
            .condition_expression("#creditor = :creditor")
            .expression_attribute_names("#role", "role")
            .expression_attribute_names("#creditor", attr::CREDITOR_ID)
            .expression_attribute_values(":role", s(role.as_str()))
            .expression_attribute_values(":creditor", s(creditor.as_str()))
            .build()
            .expect("table, key and expression are set");
        let listed = aws_sdk_dynamodb::types::Update::builder()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(member_key(email)))
            .update_expression("SET #role = :role")
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#role", "role")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_values(":role", s(role.as_str()))
            .build()
            .expect("table, key and expression are set");
        self.transact_unless_first_fails(vec![
            TransactWriteItem::builder().update(lookup).build(),
            TransactWriteItem::builder().update(listed).build(),
        ])
        .await
    }

    /// The language `email` reads the app in (`None`: the creditor's); `false` when the address is not
    /// the creditor's member.
    pub async fn set_member_language(
        &self,
        creditor: &CreditorId,
        email: &str,
        language: Option<Language>,
    ) -> Result<bool, StoreError> {
        let update = self
            .client()
            .update_item()
            .table_name(self.table())
            .key(attr::PK, s(member_key(email)))
            .key(attr::SK, s(MEMBER_SK))
            .condition_expression("#creditor = :creditor")
            .expression_attribute_names("#creditor", attr::CREDITOR_ID)
            .expression_attribute_names("#language", "language")
            .expression_attribute_values(":creditor", s(creditor.as_str()));
        let update = match language {
            Some(language) => update
                .update_expression("SET #language = :language")
                .expression_attribute_values(":language", s(language.code())),
            None => update.update_expression("REMOVE #language"),
        };
        super::condition_held(update.send().await)
    }

    /// The addresses that sign in for the creditor.
    pub async fn members(&self, creditor: &CreditorId) -> Result<Vec<String>, StoreError> {
        let members = self.members_with_roles(creditor).await?;
        Ok(members.into_iter().map(|(email, _)| email).collect())
    }

    /// Stops `email` signing in for the creditor; `false` when it was not theirs.
    pub async fn remove_member(&self, creditor: &CreditorId, email: &str) -> Result<bool, StoreError> {
        let lookup = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(self.table())
            .key(attr::PK, s(member_key(email)))
            .key(attr::SK, s(MEMBER_SK))
            .condition_expression("#creditor = :creditor")
            .expression_attribute_names("#creditor", attr::CREDITOR_ID)
            .expression_attribute_values(":creditor", s(creditor.as_str()))
            .build()
            .expect("table and key are set");
        let listed = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(self.table())
            .key(attr::PK, s(keys::creditor(creditor)))
            .key(attr::SK, s(member_key(email)))
            .build()
            .expect("table and key are set");
        self.transact_unless_first_fails(vec![
            TransactWriteItem::builder().delete(lookup).build(),
            TransactWriteItem::builder().delete(listed).build(),
        ])
        .await
    }

    /// The creditor `email` signs in for, if any.
    pub async fn member(&self, email: &str) -> Result<Option<CreditorId>, StoreError> {
        Ok(self.membership(email).await?.map(|m| m.creditor_id))
    }

    /// Whom `email` signs in for, as what, and in which language, if anyone.
    pub async fn membership(&self, email: &str) -> Result<Option<Membership>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(member_key(email)))
            .key(attr::SK, s(MEMBER_SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        out.item()
            .map(|item| {
                let optional = |k: &str| item.get(k).and_then(|v| v.as_s().ok()).map(String::as_str);
                Ok(Membership {
                    creditor_id: CreditorId::parse(text(item, attr::CREDITOR_ID)?)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    role: Role::recorded(optional("role")),
                    language: optional("language").and_then(Language::parse),
                })
            })
            .transpose()
    }

    /// Keeps a sign-in link, by its fingerprint, until `valid_until` (and DynamoDB's TTL a day later).
    pub async fn put_sign_in_link(
        &self,
        fingerprint: &str,
        link: &SignInLink,
        valid_until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut item = HashMap::from([
            (attr::PK.to_string(), s(sign_in_key(fingerprint))),
            (attr::SK.to_string(), s(SIGN_IN_SK)),
            (attr::CREDITOR_ID.to_string(), s(link.creditor_id.as_str())),
            ("email".to_string(), s(&link.email)),
            ("valid_until".to_string(), s(ts(valid_until))),
            (
                "expires_at".to_string(),
                n((valid_until + chrono::Duration::days(1)).timestamp()),
            ),
        ]);
        if let Some((name, country)) = &link.sign_up {
            item.insert("sign_up_name".to_string(), s(name));
            item.insert("sign_up_country".to_string(), s(country));
        }
        if let Some(browser) = &link.browser {
            item.insert("browser".to_string(), s(browser));
        }
        self.client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(item))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// Uses a sign-in link up: it is deleted whatever happens next, and answers only while it is valid.
    pub async fn take_sign_in_link(
        &self,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SignInLink>, StoreError> {
        let Some(item) = self.take_once(sign_in_key(fingerprint), SIGN_IN_SK, now).await? else {
            return Ok(None);
        };
        link_of(&item).map(Some)
    }

    /// A sign-in link still valid at `now`, read without using it up: to show whose account it opens.
    pub async fn peek_sign_in_link(
        &self,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SignInLink>, StoreError> {
        match self.peek_once(sign_in_key(fingerprint), SIGN_IN_SK, now).await? {
            Some(item) => link_of(&item).map(Some),
            None => Ok(None),
        }
    }

    /// Stores a session, and lists it under its creditor with its member, so that removing the member (or
    /// "sign out everywhere") ends it.
    pub async fn put_session(&self, fingerprint: &str, session: &Session) -> Result<(), StoreError> {
        let item = |pk: String, sk: String| {
            Put::builder()
                .table_name(self.table())
                .item(attr::PK, s(pk))
                .item(attr::SK, s(sk))
                .item(attr::CREDITOR_ID, s(session.creditor_id.as_str()))
                .item("email", s(&session.email))
                .item("csrf", s(&session.csrf))
                .item("valid_until", s(ts(session.valid_until)))
                .item("expires_at", n(session.valid_until.timestamp()))
                .build()
                .expect("table and item are set")
        };
        self.client()
            .transact_write_items()
            .transact_items(
                TransactWriteItem::builder()
                    .put(item(session_key(fingerprint), SESSION_SK.to_string()))
                    .build(),
            )
            .transact_items(
                TransactWriteItem::builder()
                    .put(item(
                        keys::creditor(&session.creditor_id),
                        listed_session_sk(fingerprint),
                    ))
                    .build(),
            )
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// Ends every session of the creditor's member `email`; how many there were.
    pub async fn end_sessions_of(&self, creditor: &CreditorId, email: &str) -> Result<usize, StoreError> {
        let listed = self
            .query_partition(keys::creditor(creditor), Some("SESSIONOF#"), true)
            .await?;
        let mut ended = 0;
        for item in listed.iter().filter(|i| text(i, "email").is_ok_and(|e| e == email)) {
            let sk = text(item, attr::SK)?;
            let fingerprint = sk.trim_start_matches("SESSIONOF#").to_string();
            self.delete_session(&fingerprint).await?;
            self.client()
                .delete_item()
                .table_name(self.table())
                .key(attr::PK, s(keys::creditor(creditor)))
                .key(attr::SK, s(sk))
                .send()
                .await
                .map_err(sdk_error)?;
            ended += 1;
        }
        Ok(ended)
    }

    /// The session a cookie's token names, if it is still valid.
    pub async fn session(&self, fingerprint: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(self.table())
            .key(attr::PK, s(session_key(fingerprint)))
            .key(attr::SK, s(SESSION_SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        let Some(item) = out.item() else {
            return Ok(None);
        };
        let session = Session {
            creditor_id: CreditorId::parse(text(item, attr::CREDITOR_ID)?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            email: text(item, "email")?,
            csrf: text(item, "csrf")?,
            valid_until: super::parse_ts(&text(item, "valid_until")?)?,
            role: Role::Viewer,
            language: None,
        };
        Ok(session.live(now).then_some(session))
    }

    /// Signs a session out.
    pub async fn delete_session(&self, fingerprint: &str) -> Result<(), StoreError> {
        self.client()
            .delete_item()
            .table_name(self.table())
            .key(attr::PK, s(session_key(fingerprint)))
            .key(attr::SK, s(SESSION_SK))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// Whether a sign-up link may be mailed to `email` now: at most one until `next_allowed`, so the form
    /// cannot be used to flood an address that never asked.
    pub async fn may_mail_sign_up(
        &self,
        email: &str,
        now: DateTime<Utc>,
        next_allowed: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let result = self
            .client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(format!("SIGNUP#{email}")))
            .item(attr::SK, s("SIGNUP"))
            .item("until", s(ts(next_allowed)))
            .item("expires_at", n((next_allowed + chrono::Duration::days(1)).timestamp()))
            .condition_expression("attribute_not_exists(#pk) OR #until <= :now")
            .expression_attribute_names("#pk", attr::PK)
            .expression_attribute_names("#until", "until")
            .expression_attribute_values(":now", s(ts(now)))
            .send()
            .await;
        super::condition_held(result)
    }
}
