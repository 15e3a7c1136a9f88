//! Receiving one webhook delivery: find the connection, verify, parse, apply. Every failure before the write
//! leaves the table untouched.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use http::HeaderMap;

use duly_adapters::store::{ContactOutcome, Delivery, LedgerWrite, Store, StoreError, WriteOutcome};
use duly_adapters::vault::{Vault, VaultError};
use duly_core::ledger::{blind_write, merge, LedgerError};
use duly_core::model::ids::{ConnectionId, WebhookId};
use duly_core::model::{Connection, Platform};
use duly_core::platforms::stripe;
use duly_core::webhooks::canonical::{parse_fact, Fact, FactError, InvoiceFact};
use duly_core::webhooks::signature::{verify, SignatureError, SigningSecret};

/// Bodies larger than this are refused before anything else is done.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// How long a connection (and its secrets) is reused from memory. A rotated or revoked secret takes effect
/// after at most this long; in exchange a warm function spends one request per webhook, not two.
pub const CONNECTION_CACHE_SECONDS: i64 = 60;
/// At most this many connections are remembered by one warm function.
pub const MAX_CACHED_CONNECTIONS: usize = 1_000;

/// Rounds of merge-and-retry before a contended invoice is left to the sender's retry.
const MAX_ATTEMPTS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    Applied,
    /// A valid delivery about something Duly does not use (another Stripe event type, say).
    Ignored,
    /// Seen before: nothing changed.
    Duplicate,
    /// Older than what is stored: recorded, nothing overwritten.
    Stale,
}

impl IngestOutcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            IngestOutcome::Applied => "applied",
            IngestOutcome::Ignored => "ignored",
            IngestOutcome::Duplicate => "duplicate",
            IngestOutcome::Stale => "stale",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("connection id is not valid")]
    BadConnectionId,
    #[error("no such connection")]
    UnknownConnection,
    #[error("this connection is disconnected")]
    Disconnected,
    #[error("body is larger than {MAX_BODY_BYTES} bytes")]
    BodyTooLarge,
    #[error("signature: {0}")]
    Signature(#[from] SignatureError),
    #[error("{0}")]
    Fact(#[from] FactError),
    #[error("{0}")]
    Ledger(#[from] LedgerError),
    #[error("the invoice is changing too fast; retry later")]
    Contended,
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("signing secrets: {0}")]
    Secrets(#[from] VaultError),
}

impl IngestError {
    /// The HTTP status that tells the sender what to do: 4xx means "don't retry this as is".
    pub fn status(&self) -> u16 {
        match self {
            IngestError::BadConnectionId | IngestError::UnknownConnection => 404,
            IngestError::Disconnected => 410,
            IngestError::BodyTooLarge => 413,
            IngestError::Signature(_) => 401,
            IngestError::Fact(FactError::Malformed(_)) => 400,
            IngestError::Fact(FactError::Invalid { .. }) | IngestError::Ledger(_) => 422,
            IngestError::Contended => 409,
            IngestError::Store(e) if e.is_retryable() => 503,
            IngestError::Store(_) => 500,
            // Refused as well as unavailable: the sender retries while the operator looks at the key.
            IngestError::Secrets(_) => 503,
        }
    }

    /// A short machine-readable code for the response body.
    pub fn code(&self) -> &'static str {
        match self {
            IngestError::BadConnectionId | IngestError::UnknownConnection => "unknown_connection",
            IngestError::Disconnected => "disconnected",
            IngestError::BodyTooLarge => "body_too_large",
            IngestError::Signature(_) => "bad_signature",
            IngestError::Fact(FactError::Malformed(_)) => "malformed",
            IngestError::Fact(FactError::Invalid { .. }) => "invalid",
            IngestError::Ledger(_) => "conflicting_fact",
            IngestError::Contended => "contended",
            IngestError::Store(_) | IngestError::Secrets(_) => "unavailable",
        }
    }
}

struct Cached {
    loaded_at: DateTime<Utc>,
    connection: Connection,
    secrets: Vec<String>,
}

/// A connection with its signing secrets opened.
#[derive(Clone)]
pub struct Opened {
    pub connection: Connection,
    pub secrets: Vec<String>,
}

/// Connections remembered across invocations of one warm function.
#[derive(Default)]
pub struct Connections {
    cache: Mutex<HashMap<ConnectionId, Cached>>,
}

impl Connections {
    /// The connection `id` with its signing secrets opened: from memory, or read and opened (one KMS call
    /// per connection a warm function has not seen for a minute).
    pub async fn get(
        &self,
        store: &Store,
        vault: &Vault,
        id: &ConnectionId,
        now: DateTime<Utc>,
    ) -> Result<Option<Opened>, IngestError> {
        {
            let cache = self.cache.lock().expect("connection cache lock");
            if let Some(hit) = cache.get(id) {
                if now - hit.loaded_at < Duration::seconds(CONNECTION_CACHE_SECONDS) && hit.loaded_at <= now {
                    return Ok(Some(Opened {
                        connection: hit.connection.clone(),
                        secrets: hit.secrets.clone(),
                    }));
                }
            }
        }
        let Some(connection) = store.get_connection(id).await? else {
            // Misses are not remembered: anyone can make up ids, and a connection made a moment later must
            // be found at once.
            return Ok(None);
        };
        let secrets = match &connection.signing_secrets {
            Some(sealed) => {
                vault
                    .open_signing_secrets(&connection.connection_id, &connection.creditor_id, sealed)
                    .await?
            }
            None => Vec::new(),
        };
        let opened = Opened { connection, secrets };
        {
            let found = &opened;
            let mut cache = self.cache.lock().expect("connection cache lock");
            if cache.len() >= MAX_CACHED_CONNECTIONS {
                cache.retain(|_, c| now - c.loaded_at < Duration::seconds(CONNECTION_CACHE_SECONDS));
                if cache.len() >= MAX_CACHED_CONNECTIONS {
                    cache.clear();
                }
            }
            cache.insert(
                id.clone(),
                Cached {
                    loaded_at: now,
                    connection: found.connection.clone(),
                    secrets: found.secrets.clone(),
                },
            );
        }
        Ok(Some(opened))
    }

    /// How many connections a warm function remembers.
    pub fn len(&self) -> usize {
        self.cache.lock().expect("connection cache lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Handles one delivery to `/webhooks/{platform}/{connection_id}`.
#[allow(clippy::too_many_arguments)]
pub async fn ingest(
    store: &Store,
    vault: &Vault,
    connections: &Connections,
    platform: &str,
    connection_id: &str,
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<IngestOutcome, IngestError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(IngestError::BodyTooLarge);
    }
    let connection_id = ConnectionId::parse(connection_id).map_err(|_| IngestError::BadConnectionId)?;
    let Opened { connection, secrets } = connections
        .get(store, vault, &connection_id, now)
        .await?
        .filter(|c| c.connection.platform.path_segment() == platform)
        .ok_or(IngestError::UnknownConnection)?;
    if !connection.active {
        return Err(IngestError::Disconnected);
    }
    match connection.platform {
        Platform::StandardWebhooks => {
            let secrets: Vec<SigningSecret> = secrets
                .iter()
                .filter_map(|raw| SigningSecret::parse(raw).ok())
                .collect();
            let delivery = verify(&secrets, headers, body, now)?;
            let fact = parse_fact(body)?;
            apply_fact(store, &connection, &delivery.id, &fact, now).await
        }
        // They sign with one app key and deliver to their own routes (see `ingest_thin`); Merit sends nothing.
        Platform::Xero | Platform::QuickBooks | Platform::Merit => Err(IngestError::UnknownConnection),
        Platform::Stripe => {
            stripe::verify(&secrets, headers, body, now)?;
            let delivery = stripe::parse(body)?;
            let mut outcome = IngestOutcome::Ignored;
            for (id, fact) in delivery.keyed_facts()? {
                outcome = apply_fact(store, &connection, &id, fact, now).await?;
            }
            Ok(outcome)
        }
    }
}

pub(crate) async fn apply_fact(
    store: &Store,
    connection: &Connection,
    webhook_id: &WebhookId,
    fact: &Fact,
    now: DateTime<Utc>,
) -> Result<IngestOutcome, IngestError> {
    fact.check_dates(now)?;
    let d = Delivery {
        creditor: &connection.creditor_id,
        connection: &connection.connection_id,
        webhook_id,
        received_at: now,
    };
    match fact {
        Fact::ContactUpdated(contact) => Ok(match store.write_contact(d, contact).await? {
            ContactOutcome::Applied => IngestOutcome::Applied,
            ContactOutcome::Duplicate => IngestOutcome::Duplicate,
            ContactOutcome::Stale => IngestOutcome::Stale,
        }),
        Fact::Invoice(invoice_fact) => apply_invoice_fact(store, d, fact.kind(), invoice_fact, now).await,
    }
}

async fn apply_invoice_fact(
    store: &Store,
    d: Delivery<'_>,
    kind: &str,
    fact: &InvoiceFact,
    now: DateTime<Utc>,
) -> Result<IngestOutcome, IngestError> {
    // An erased debtor's addresses are not written again by the platform's next version of an invoice.
    let stripped;
    let fact = match fact {
        InvoiceFact::Upserted(snapshot) if !snapshot.bill_to.is_empty() => {
            if crate::settings::debtor_erased(store, d.creditor, &snapshot.debtor_id).await? {
                let mut snapshot = snapshot.clone();
                snapshot.bill_to.clear();
                stripped = InvoiceFact::Upserted(snapshot);
                &stripped
            } else {
                fact
            }
        }
        _ => fact,
    };
    let blind = blind_write(fact, now);
    let mut outcome = store
        .write_invoice_fact(d, kind, fact, LedgerWrite::Blind(&blind))
        .await?;
    for _ in 0..MAX_ATTEMPTS {
        let current = match outcome {
            WriteOutcome::Applied => return Ok(IngestOutcome::Applied),
            WriteOutcome::Duplicate => return Ok(IngestOutcome::Duplicate),
            WriteOutcome::Conflict(current) => current.map(|boxed| *boxed),
        };
        let write_result = match merge(current.as_ref(), d.creditor, fact, now)? {
            None => {
                let recorded = store.write_invoice_fact(d, kind, fact, LedgerWrite::Nothing).await?;
                return Ok(match recorded {
                    WriteOutcome::Duplicate => IngestOutcome::Duplicate,
                    _ => IngestOutcome::Stale,
                });
            }
            Some(next) => {
                let write = LedgerWrite::Replace {
                    invoice: &next,
                    expected_rev: current.as_ref().map(|c| c.rev),
                };
                store.write_invoice_fact(d, kind, fact, write).await?
            }
        };
        outcome = write_result;
    }
    Err(IngestError::Contended)
}

/// The app-level keys of platforms that sign every tenant's deliveries with one key.
#[derive(Clone, Default)]
pub struct AppKeys {
    pub xero_webhook_key: Option<String>,
    pub quickbooks_verifier_token: Option<String>,
}

impl std::fmt::Debug for AppKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppKeys(<redacted>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThinOutcome {
    /// Xero's Intent-to-Receive: a correctly signed, empty delivery.
    Handshake,
    /// Notices recorded as sync jobs; notices of tenants no connection knows are left out.
    Recorded { jobs: usize, unknown_tenants: usize },
}

fn plain_id(raw: &str) -> bool {
    !raw.is_empty() && raw.len() <= 64 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Handles a delivery to `/webhooks/xero` or `/webhooks/quickbooks`: verify with the app's key, then record
/// every notice as a sync job in one write. The fetch happens after the answer.
pub async fn ingest_thin(
    store: &Store,
    keys: &AppKeys,
    platform: &str,
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<ThinOutcome, IngestError> {
    use duly_core::platforms::{quickbooks, xero};
    if body.len() > MAX_BODY_BYTES {
        return Err(IngestError::BodyTooLarge);
    }
    let notices = match platform {
        "xero" => {
            let key = keys.xero_webhook_key.clone().ok_or(IngestError::UnknownConnection)?;
            xero::verify(&[key], headers, body)?;
            match xero::parse(body)? {
                xero::Delivery::IntentToReceive => return Ok(ThinOutcome::Handshake),
                xero::Delivery::Changes(notices) => notices,
            }
        }
        "quickbooks" => {
            let token = keys
                .quickbooks_verifier_token
                .clone()
                .ok_or(IngestError::UnknownConnection)?;
            quickbooks::verify(&[token], headers, body)?;
            quickbooks::parse(body)?
        }
        _ => return Err(IngestError::UnknownConnection),
    };
    let mut links: HashMap<String, Option<duly_adapters::store::TenantLink>> = HashMap::new();
    let mut jobs = Vec::new();
    let mut unknown_tenants = 0;
    for notice in notices {
        if !plain_id(&notice.tenant) || !plain_id(&notice.id) {
            return Err(IngestError::Fact(FactError::Invalid {
                field: "id",
                reason: "tenant and resource ids are letters, digits, - and _".into(),
            }));
        }
        if !links.contains_key(&notice.tenant) {
            let link = store.tenant(platform, &notice.tenant).await?;
            links.insert(notice.tenant.clone(), link);
        }
        match links.get(&notice.tenant).cloned().flatten() {
            Some(link) => jobs.push((link, notice)),
            None => unknown_tenants += 1,
        }
    }
    for chunk in jobs.chunks(duly_adapters::store::MAX_JOBS_PER_WRITE) {
        store.record_sync_jobs(platform, chunk, now).await?;
    }
    Ok(ThinOutcome::Recorded {
        jobs: jobs.len(),
        unknown_tenants,
    })
}
