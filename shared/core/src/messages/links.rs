//! Links in messages: signed answer links ("already paid", "I will pay on…", "I dispute this",
//! unsubscribe) and short pay links for SMS.
//!
//! An answer link carries what it is about (creditor, debtor, invoices, action, language, expiry) and an
//! HMAC-SHA256 over it, so answering needs no lookup to trust it and nobody can forge or widen one. Opening a
//! link only shows a page; the answer is recorded by the form it submits, because mail scanners open links.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::locale::Language;
use crate::model::ids::{CreditorId, DebtorId, InvoiceId};

/// How long an answer link works.
pub const ANSWER_LINK_DAYS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Paid,
    Promise,
    Dispute,
    Unsubscribe,
    /// Not an answer: the page listing every open invoice of the debtor, as it stands when opened.
    Statement,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Paid => "paid",
            Action::Promise => "promise",
            Action::Dispute => "dispute",
            Action::Unsubscribe => "unsubscribe",
            Action::Statement => "statement",
        }
    }
}

/// What an answer link is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    #[serde(rename = "c")]
    pub creditor: CreditorId,
    #[serde(rename = "d")]
    pub debtor: DebtorId,
    #[serde(rename = "i")]
    pub invoices: Vec<InvoiceId>,
    #[serde(rename = "a")]
    pub action: Action,
    #[serde(rename = "l")]
    pub language: Language,
    /// Unix seconds after which the link no longer works.
    #[serde(rename = "e")]
    pub expires: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link is not valid")]
    Invalid,
    #[error("the link has expired")]
    Expired,
}

/// Signs and checks links; built once per cold start from the deployment's link secret.
#[derive(Clone)]
pub struct Links {
    key: Vec<u8>,
    base_url: String,
}

impl std::fmt::Debug for Links {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Links")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Links {
    /// `base_url` is where the answers function is served, e.g. `https://abc.lambda-url.eu-west-1.on.aws`.
    pub fn new(secret: &[u8], base_url: &str) -> Self {
        Links {
            key: secret.to_vec(),
            base_url: base_url.trim_end_matches('/').to_string(),
        }
    }

    fn mac(&self, payload: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(b"duly-answer-v1.");
        mac.update(payload);
        mac.finalize().into_bytes().to_vec()
    }

    pub fn token(&self, answer: &Answer) -> String {
        let payload = serde_json::to_vec(answer).expect("answers serialise");
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(self.mac(&payload))
        )
    }

    pub fn answer_url(&self, answer: &Answer) -> String {
        format!("{}/a/{}", self.base_url, self.token(answer))
    }

    pub fn pay_url(&self, code: &str) -> String {
        format!("{}/p/{code}", self.base_url)
    }

    /// `text` with every answer link's token cut out: an answer link speaks for the debtor, so a copy
    /// the creditor keeps must not carry one that still works.
    pub fn redact(&self, text: &str) -> String {
        let prefix = format!("{}/a/", self.base_url);
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(&prefix) {
            let after = &rest[at + prefix.len()..];
            let token_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                .unwrap_or(after.len());
            // A token has a dot inside, never at its end: one there ends the sentence.
            let token_len = after[..token_len].trim_end_matches('.').len();
            out.push_str(&rest[..at + prefix.len()]);
            out.push('…');
            rest = &after[token_len..];
        }
        out.push_str(rest);
        out
    }

    /// The links for one message about `invoices`, valid for [`ANSWER_LINK_DAYS`].
    pub fn for_message(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        invoices: &[InvoiceId],
        language: Language,
        now: DateTime<Utc>,
    ) -> crate::messages::render::AnswerLinks {
        let expires = (now + Duration::days(ANSWER_LINK_DAYS)).timestamp();
        let url = |invoices: &[InvoiceId], action| self.link(creditor, debtor, invoices, action, language, expires);
        let [paid, promise, dispute] = self.answers(creditor, debtor, invoices, language, expires);
        crate::messages::render::AnswerLinks {
            paid,
            promise,
            dispute,
            unsubscribe: Some(url(invoices, Action::Unsubscribe)),
            // The statement shows what is open when it is opened, so it names no invoices.
            statement: Some(url(&[], Action::Statement)),
        }
    }

    /// The three answers about `invoices` (already paid, will pay on a date, disputed), valid until
    /// `expires` (Unix seconds).
    pub fn answers(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        invoices: &[InvoiceId],
        language: Language,
        expires: i64,
    ) -> [String; 3] {
        [Action::Paid, Action::Promise, Action::Dispute]
            .map(|action| self.link(creditor, debtor, invoices, action, language, expires))
    }

    fn link(
        &self,
        creditor: &CreditorId,
        debtor: &DebtorId,
        invoices: &[InvoiceId],
        action: Action,
        language: Language,
        expires: i64,
    ) -> String {
        self.answer_url(&Answer {
            creditor: creditor.clone(),
            debtor: debtor.clone(),
            invoices: invoices.to_vec(),
            action,
            language,
            expires,
        })
    }

    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Answer, LinkError> {
        let (payload, signature) = token.split_once('.').ok_or(LinkError::Invalid)?;
        let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| LinkError::Invalid)?;
        // Compare canonical encodings, so that a signature differing only in unused bits is refused.
        let expected = URL_SAFE_NO_PAD.encode(self.mac(&payload));
        if !bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
            return Err(LinkError::Invalid);
        }
        let answer: Answer = serde_json::from_slice(&payload).map_err(|_| LinkError::Invalid)?;
        if now.timestamp() > answer.expires {
            return Err(LinkError::Expired);
        }
        Ok(answer)
    }
}

/// A stable id of an answer link that reveals nothing of it: for counting how often one link is used.
pub fn link_id(token: &str) -> String {
    crate::model::tokens::fingerprint(token)[..32].to_string()
}

/// A random code for a short pay link: 10 characters of a 62-letter alphabet (about 59 bits).
pub fn short_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_copy_carries_no_answer_link_that_works() {
        let links = Links::new(b"secret", "https://answers.example/");
        let answer = Answer {
            creditor: CreditorId::parse("c1").unwrap(),
            debtor: DebtorId::parse("d1").unwrap(),
            invoices: vec![InvoiceId::parse("1001").unwrap()],
            action: Action::Paid,
            language: Language::En,
            expires: 1_900_000_000,
        };
        let url = links.answer_url(&answer);
        let text = format!("Paid? {url}\nPay: https://answers.example/p/Ab3\nAgain: {url}.");
        let kept = links.redact(&text);
        assert_eq!(
            kept,
            "Paid? https://answers.example/a/…\nPay: https://answers.example/p/Ab3\nAgain: https://answers.example/a/…."
        );
    }

    fn answer(action: Action, expires: i64) -> Answer {
        Answer {
            creditor: CreditorId::parse("acme").unwrap(),
            debtor: DebtorId::parse("cus-1").unwrap(),
            invoices: vec![InvoiceId::parse("inv-1").unwrap()],
            action,
            language: Language::Et,
            expires,
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    #[test]
    fn a_signed_link_verifies_and_says_what_it_is_about() {
        let links = Links::new(b"secret", "https://answers.example/");
        let a = answer(Action::Promise, now().timestamp() + 60);
        let url = links.answer_url(&a);
        assert!(url.starts_with("https://answers.example/a/"));
        let token = url.rsplit('/').next().unwrap();
        assert_eq!(links.verify(token, now()).unwrap(), a);
    }

    #[test]
    fn forged_widened_or_expired_links_are_refused() {
        let links = Links::new(b"secret", "https://answers.example");
        let token = links.token(&answer(Action::Paid, now().timestamp() + 60));
        let other_key = Links::new(b"other", "https://answers.example");
        assert_eq!(other_key.verify(&token, now()), Err(LinkError::Invalid));

        // Another creditor's payload with this link's signature.
        let (_, signature) = token.split_once('.').unwrap();
        let mut widened = answer(Action::Paid, now().timestamp() + 60);
        widened.creditor = CreditorId::parse("rival").unwrap();
        let forged = format!(
            "{}.{signature}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&widened).unwrap())
        );
        assert_eq!(links.verify(&forged, now()), Err(LinkError::Invalid));

        assert_eq!(links.verify("garbage", now()), Err(LinkError::Invalid));
        let old = links.token(&answer(Action::Paid, now().timestamp() - 1));
        assert_eq!(links.verify(&old, now()), Err(LinkError::Expired));
    }

    #[test]
    fn short_codes_are_random() {
        let a = short_code();
        assert_eq!(a.len(), 10);
        assert_ne!(a, short_code());
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()));
    }
}
