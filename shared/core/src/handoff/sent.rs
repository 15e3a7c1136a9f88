//! A message as it was sent, kept for the hand-off: the e-mail's subject, HTML and text and the SMS, with
//! every answer link's token cut out (a link speaks for the debtor, so no kept copy carries one that still
//! works). The audit entry of a send hashes exactly these parts, so the copy proves itself.

use serde::{Deserialize, Serialize};

use crate::audit::content_sha256;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentEmail {
    pub subject: String,
    pub html: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sent {
    pub email: Option<SentEmail>,
    pub sms: Option<String>,
}

impl Sent {
    /// The parts the audit entry of a send over `channels` hashed, in its order; `None` when the copy
    /// lacks a channel the entry names.
    pub fn parts<'a>(&'a self, channels: &[String]) -> Option<Vec<&'a str>> {
        let mut parts = Vec::new();
        for channel in channels {
            match channel.as_str() {
                "email" => {
                    let e = self.email.as_ref()?;
                    parts.extend([e.subject.as_str(), e.html.as_str(), e.text.as_str()]);
                }
                "sms" => parts.push(self.sms.as_deref()?),
                _ => return None,
            }
        }
        Some(parts)
    }

    /// The content hash of what went out over `channels`.
    pub fn content_sha256(&self, channels: &[String]) -> Option<String> {
        self.parts(channels).map(|parts| content_sha256(&parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_follow_the_channels_an_entry_names_and_a_missing_one_is_none() {
        let sent = Sent {
            email: Some(SentEmail {
                subject: "s".into(),
                html: "<p>h</p>".into(),
                text: "t".into(),
            }),
            sms: Some("m".into()),
        };
        let both = vec!["email".to_string(), "sms".to_string()];
        assert_eq!(sent.parts(&both).unwrap(), ["s", "<p>h</p>", "t", "m"]);
        assert_eq!(sent.content_sha256(&both[1..]).unwrap(), content_sha256(&["m"]));
        let email_only = Sent { sms: None, ..sent };
        assert_eq!(email_only.parts(&both), None);
        assert_eq!(email_only.parts(&["fax".to_string()]), None);
    }
}
