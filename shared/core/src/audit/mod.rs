//! The creditor's audit trail: every message sent and every delivery event, as an append-only chain in
//! which each entry carries the hash of the one before, so a changed, removed or reordered entry shows.
//!
//! An entry is chained through its digest (the SHA-256 of its JSON), so a hand-off bundle can show one
//! debtor's entries and stand in for everyone else's by their digests alone: the chain still verifies from
//! the bundle, and no other debtor's entry leaves Duly.
//!
//! Personal data (the recipients) is kept apart from the chained entry: the entry holds only a salted
//! digest of it. Erasing a debtor deletes the personal part and its salt; the chain still verifies, and the
//! digest no longer leads back to anyone.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::tokens::hex;

pub mod events;
pub mod settings;

/// The hash an empty chain starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, without personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// 1, 2, 3… per creditor.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub debtor_id: String,
    /// `message.sent` or `message.delivery`.
    pub event: String,
    /// The message, by the time it was claimed (its id in the debtor's history).
    pub message: String,
    /// `email` or `sms`.
    pub channels: Vec<String>,
    /// What was sent (`reminder:after-7`, `statement`, `thanks`…), or the delivery status
    /// (`delivery`, `bounce`, `complaint`).
    pub detail: String,
    /// SHA-256 of the rendered content (subject, HTML and text of the e-mail; the SMS text).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_sha256: String,
    /// The providers' message ids.
    #[serde(default)]
    pub provider_ids: Vec<String>,
    /// Salted digest of the personal part.
    pub personal_digest: String,
}

/// The personal part of an entry, stored apart and erasable.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Personal {
    pub recipients: Vec<String>,
}

// Recipients are personal data: never in a log line.
impl std::fmt::Debug for Personal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Personal({} recipients)", self.recipients.len())
    }
}

/// A fresh random salt for one entry's personal part.
pub fn salt() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    hex(&bytes)
}

/// The digest the chained entry keeps of its personal part.
pub fn personal_digest(salt: &str, personal: &Personal) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0]);
    for r in &personal.recipients {
        h.update(r.as_bytes());
        h.update([0]);
    }
    hex(&h.finalize())
}

/// SHA-256 of rendered content, the parts separated so that moving text between them changes it.
pub fn content_sha256(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    hex(&h.finalize())
}

/// The rule an entry was chained by.
pub const CHAINED_BY_DIGEST: u8 = 2;
/// Entries written before digests were chained hashed their JSON straight after the previous hash.
pub const CHAINED_BY_JSON: u8 = 1;

/// The SHA-256 of an entry's canonical JSON ([`canonical_json`]), so a verifier that reads the entry from a
/// file written by any JSON library gets the same digest.
pub fn entry_digest(entry: &Entry) -> String {
    canonical_sha256(entry)
}

/// The SHA-256 of `value`'s canonical JSON.
pub fn canonical_sha256(value: &impl Serialize) -> String {
    let value = serde_json::to_value(value).expect("a record serialises");
    hex(&Sha256::digest(canonical_json(&value).as_bytes()))
}

/// JSON without spaces, every object's keys in ascending order of their bytes, strings and numbers as
/// serde_json writes them (the same as JavaScript's `JSON.stringify` does for the strings, whole numbers and
/// ASCII keys Duly writes).
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&fields[key], out);
            }
            out.push('}');
        }
        leaf => out.push_str(&leaf.to_string()),
    }
}

/// The hash of an entry whose digest is `digest`, chained to `previous`.
pub fn link_hash(previous: &str, digest: &str) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(digest.as_bytes());
    hex(&h.finalize())
}

/// The hash of `entry` chained to `previous`, by the rule `version` names.
pub fn chain_hash_by(version: u8, previous: &str, entry: &Entry) -> String {
    if version == CHAINED_BY_JSON {
        let mut h = Sha256::new();
        h.update(previous.as_bytes());
        h.update(serde_json::to_vec(entry).expect("an entry serialises"));
        return hex(&h.finalize());
    }
    link_hash(previous, &entry_digest(entry))
}

/// The hash of `entry` chained to `previous`, as entries are chained now.
pub fn chain_hash(previous: &str, entry: &Entry) -> String {
    chain_hash_by(CHAINED_BY_DIGEST, previous, entry)
}

/// An entry as stored, with the hashes it was written with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    pub entry: Entry,
    pub previous: String,
    pub hash: String,
    /// The rule it was chained by ([`CHAINED_BY_DIGEST`], or [`CHAINED_BY_JSON`] for older entries).
    #[serde(default = "chained_by_json")]
    pub version: u8,
}

fn chained_by_json() -> u8 {
    CHAINED_BY_JSON
}

/// `entries` chained from the start, as an append would store them; for tests.
#[cfg(test)]
pub(crate) fn chained(entries: Vec<Entry>) -> Vec<Stored> {
    let mut previous = GENESIS.to_string();
    entries
        .into_iter()
        .map(|entry| {
            let hash = chain_hash(&previous, &entry);
            let stored = Stored {
                entry,
                previous: previous.clone(),
                hash: hash.clone(),
                version: CHAINED_BY_DIGEST,
            };
            previous = hash;
            stored
        })
        .collect()
}

/// Where a chain stops holding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("the audit trail breaks at entry {seq}: {reason}")]
pub struct Break {
    pub seq: u64,
    pub reason: &'static str,
}

/// A place in the chain as a verifier sees it: the entry stored whole, or a bundle's link.
pub trait Chained {
    /// The place it says it takes.
    fn seq(&self) -> u64;
    /// The hash of the place before, as it names it.
    fn previous(&self) -> &str;
    /// Its own hash, as it states it.
    fn hash(&self) -> &str;
    /// Its hash chained to `previous`, computed from what it carries; `None` when it carries too little.
    fn computed_hash(&self, previous: &str) -> Option<String>;
}

impl Chained for Stored {
    fn seq(&self) -> u64 {
        self.entry.seq
    }
    fn previous(&self) -> &str {
        &self.previous
    }
    fn hash(&self) -> &str {
        &self.hash
    }
    fn computed_hash(&self, previous: &str) -> Option<String> {
        Some(chain_hash_by(self.version, previous, &self.entry))
    }
}

/// Follows a run of entries from `previous` (the hash before the first of them) and `expected_seq`: each
/// must follow the one before, name its hash and hash to what it says. Returns the last hash and the next
/// sequence number, so a long chain is verified page by page.
pub fn verify<C: Chained>(entries: &[C], previous: &str, expected_seq: u64) -> Result<(String, u64), Break> {
    let mut previous = previous.to_string();
    let mut seq = expected_seq;
    for place in entries {
        if place.seq() != seq {
            return Err(Break {
                seq,
                reason: "an entry is missing or out of order",
            });
        }
        if place.previous() != previous {
            return Err(Break {
                seq,
                reason: "it does not name the hash of the entry before",
            });
        }
        match place.computed_hash(&previous) {
            None => {
                return Err(Break {
                    seq,
                    reason: "it carries neither its entry nor its digest as chained",
                })
            }
            Some(hash) if hash != place.hash() => {
                return Err(Break {
                    seq,
                    reason: "its content does not match its hash",
                })
            }
            Some(_) => {}
        }
        previous = place.hash().to_string();
        seq += 1;
    }
    Ok((previous, seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64) -> Entry {
        let personal = Personal {
            recipients: vec!["ap@tamm.example".into()],
        };
        Entry {
            seq,
            at: "2026-12-01T07:00:00Z".parse().unwrap(),
            debtor_id: "cus-1".into(),
            event: "message.sent".into(),
            message: "2026-12-01T07:00:00Z".into(),
            channels: vec!["email".into()],
            detail: "reminder:after-1".into(),
            content_sha256: content_sha256(&["subject", "<p>html</p>", "text"]),
            provider_ids: vec![format!("ses-{seq}")],
            personal_digest: personal_digest(&salt(), &personal),
        }
    }

    fn chain(n: u64) -> Vec<Stored> {
        chained((1..=n).map(entry).collect())
    }

    #[test]
    fn a_whole_chain_verifies_and_verifies_page_by_page() {
        let entries = chain(5);
        let (head, next) = verify(&entries, GENESIS, 1).unwrap();
        assert_eq!((head.as_str(), next), (entries[4].hash.as_str(), 6));
        let (middle, next) = verify(&entries[..2], GENESIS, 1).unwrap();
        assert_eq!(verify(&entries[2..], &middle, next).unwrap().0, head);
    }

    #[test]
    fn a_changed_removed_or_reordered_entry_breaks_the_chain_there() {
        let mut changed = chain(4);
        changed[2].entry.detail = "reminder:after-14".into();
        assert_eq!(verify(&changed, GENESIS, 1).unwrap_err().seq, 3);

        let mut rehashed = chain(4);
        rehashed[1].entry.provider_ids = vec!["forged".into()];
        rehashed[1].hash = chain_hash(&rehashed[1].previous, &rehashed[1].entry);
        let broken = verify(&rehashed, GENESIS, 1).unwrap_err();
        assert_eq!(
            (broken.seq, broken.reason),
            (3, "it does not name the hash of the entry before")
        );

        let mut removed = chain(4);
        removed.remove(1);
        assert_eq!(verify(&removed, GENESIS, 1).unwrap_err().seq, 2);

        let mut swapped = chain(4);
        swapped.swap(1, 2);
        assert_eq!(verify(&swapped, GENESIS, 1).unwrap_err().seq, 2);
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth_and_keeps_strings_as_json_writes_them() {
        let value = serde_json::json!({"b": [{"z": 1, "a": null}], "a": "Tamm \"&\" Sons\n€", "é": true});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":"Tamm \"&\" Sons\n€","b":[{"a":null,"z":1}],"é":true}"#
        );
        // The digest does not depend on the order the fields came in.
        let entry = entry(1);
        let mut reordered: serde_json::Map<String, serde_json::Value> = serde_json::Map::new();
        let as_value = serde_json::to_value(&entry).unwrap();
        for (k, v) in as_value.as_object().unwrap().iter().rev() {
            reordered.insert(k.clone(), v.clone());
        }
        assert_eq!(canonical_sha256(&reordered), entry_digest(&entry));
    }

    #[test]
    fn entries_chained_by_their_json_before_digests_still_verify_in_the_same_chain() {
        let mut entries = chain(3);
        // The first two as they were written before: by their JSON.
        let mut previous = GENESIS.to_string();
        for stored in &mut entries {
            stored.previous = previous.clone();
            if stored.entry.seq <= 2 {
                stored.version = CHAINED_BY_JSON;
            }
            stored.hash = chain_hash_by(stored.version, &previous, &stored.entry);
            previous = stored.hash.clone();
        }
        assert_ne!(entries[0].hash, chain_hash(GENESIS, &entries[0].entry));
        assert_eq!(verify(&entries, GENESIS, 1).unwrap().0, entries[2].hash);
        entries[0].version = CHAINED_BY_DIGEST;
        assert_eq!(verify(&entries, GENESIS, 1).unwrap_err().seq, 1);
    }

    #[test]
    fn the_personal_digest_depends_on_salt_and_recipients_and_content_parts_stay_apart() {
        let p = Personal {
            recipients: vec!["ap@tamm.example".into()],
        };
        let q = Personal {
            recipients: vec!["ar@tamm.example".into()],
        };
        assert_eq!(personal_digest("a", &p), personal_digest("a", &p));
        assert_ne!(personal_digest("a", &p), personal_digest("b", &p));
        assert_ne!(personal_digest("a", &p), personal_digest("a", &q));
        assert_ne!(content_sha256(&["ab", "c"]), content_sha256(&["a", "bc"]));
        assert!(!format!("{p:?}").contains("tamm"));
    }
}
