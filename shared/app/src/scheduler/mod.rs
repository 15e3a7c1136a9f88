//! One scheduler run: read what is due, group it by debtor, decide in pure code, claim, send, record.

mod calls;
mod courtesy;
mod debtor;
mod delivery;
mod dispatch;
mod monthly;
mod spend_cap;
mod thanks;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use duly_adapters::outbound::Outbound;
use duly_adapters::store::{DueDigest, DueMessage, Store, StoreError, DUE_SHARDS};
use duly_core::messages::links::Links;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::Creditor;
use duly_core::planner::fairness::round_robin;
use duly_core::platforms::freshness::stale_because;
use duly_core::policy::{Channel, Tone};

use crate::notify::{send_digest, tell, Notifier};
use crate::settings::{own_domain, sending_domain};
pub use dispatch::{
    batch_done, dispatch, Batch, Dispatched, DEBTORS_PER_BATCH, IN_FLIGHT_LEASE_MINUTES, MAX_DUE_INVOICES_SENT,
};
use duly_core::notices::Notice;

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("work queue: {0}")]
    Queue(#[from] duly_adapters::queue::QueueError),
}

/// One message this run sent. Ids and wording only: no addresses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SentReminder {
    pub creditor_id: CreditorId,
    pub debtor_id: DebtorId,
    /// Numbers of the invoices whose steps this message fulfils.
    pub invoice_numbers: Vec<String>,
    pub step_ids: Vec<String>,
    /// The steps' keys (due date and step), as the message's record and audit entry name them.
    #[serde(skip)]
    pub step_keys: Vec<String>,
    /// How many open invoices the message lists.
    pub lines: usize,
    pub tone: Tone,
    pub channels: Vec<Channel>,
    pub subject: String,
    /// Channel and provider error code of each failed channel.
    pub failures: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Due-index entries looked at.
    pub examined: usize,
    pub sent: Vec<SentReminder>,
    pub rescheduled: usize,
    /// Taken off the due index: closed, finished, held, or switched off.
    pub retired: usize,
    pub skipped_steps: usize,
    /// Lost a race with a payment, another run or a fact: looked at again on a later run.
    pub contended: usize,
    /// Debtors that failed on their own; the rest of the run went on.
    pub errors: usize,
    /// Messages an earlier run claimed but did not finish, finished by this one.
    pub recovered: usize,
    /// Messages with a channel that failed for now: tried again later.
    pub deferred: usize,
    /// Debtors and digests left for the next run: the run's budget was spent, or their creditor kept
    /// failing.
    pub postponed: usize,
    /// Creditors' daily digests sent.
    pub digests: usize,
    /// Messages held back because they would take their creditor's month past its spend cap.
    pub over_cap: usize,
    /// How long the longest-waiting due invoice had waited when the run read the due index: whether ticks
    /// keep up.
    pub lag_seconds: i64,
    /// Messages given up on every channel (dead letters the creditor is told of).
    pub dead_letters: usize,
}

/// How messages leave: the providers, the link signer, and Duly's own sender for unverified domains.
#[derive(Debug, Clone, Copy)]
pub struct Sending<'a> {
    pub outbound: &'a Outbound,
    pub links: Option<&'a Links>,
    pub fallback_from: Option<&'a str>,
    /// The web app's base URL, for the links in notices.
    pub app_url: Option<&'a str>,
    /// What each message costs the creditor, for their monthly cap.
    pub prices: &'a duly_core::billing::PriceList,
}

/// One run's state: what it has looked up once, and what it has done.
struct Run<'a> {
    store: &'a Store,
    sending: Sending<'a>,
    now: DateTime<Utc>,
    creditors: HashMap<CreditorId, Option<Creditor>>,
    /// Why each creditor's platform data is too stale to remind on, looked up once per run.
    freshness: HashMap<CreditorId, Option<&'static str>>,
    verified_domains: HashMap<(CreditorId, String), bool>,
    /// The debtor in turn's monthly statement: when their invoices must be looked at again for it.
    wake: Option<DateTime<Utc>>,
    /// What each creditor with a cap has spent this month, read once and added to as the run sends.
    spent: HashMap<CreditorId, duly_core::billing::Decimal>,
    /// Debtors read ahead in one batch request (a worker's batch); each is taken once, by its turn.
    debtors_read: HashMap<DebtorId, Option<duly_core::model::Debtor>>,
    /// Their invoices, read ahead likewise: the due ones and every open one, each taken once.
    invoices_read: HashMap<DebtorId, Vec<duly_core::ledger::Invoice>>,
    report: RunReport,
}

/// How soon reminders held back for stale platform data are looked at again.
pub const FRESHNESS_RECHECK_MINUTES: i64 = 15;

/// How much one run may do before it leaves the rest to the next: what is left stays on the due index.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Debtors handled in one run.
    pub max_debtors: usize,
    /// Wall-clock time for one run, well inside the function's timeout.
    pub max_time: std::time::Duration,
    /// A creditor whose debtors fail this many times in a row is left for the next run, so a broken
    /// tenant does not spend the run's time on failing.
    pub max_failures_per_creditor: usize,
    /// Debtors of one creditor a fanned-out tick puts on the queue at most: a creditor with a hundred
    /// thousand due customers takes several ticks, and everyone else's are dispatched on the first.
    pub max_dispatched_per_creditor: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_debtors: 2_000,
            max_time: std::time::Duration::from_secs(240),
            max_failures_per_creditor: 3,
            max_dispatched_per_creditor: 10_000,
        }
    }
}

/// What the due index holds up to `now`, read once across its shards.
struct Collected {
    examined: usize,
    /// Due invoices read but not kept: their creditor had its share of this tick.
    left: usize,
    oldest_due: Option<DateTime<Utc>>,
    due: BTreeMap<CreditorId, BTreeMap<DebtorId, BTreeSet<InvoiceId>>>,
    unfinished: Vec<DueMessage>,
    digests: Vec<DueDigest>,
}

/// Reads the due index page by page, keeping at most `per_creditor` debtors of each creditor: the rest stay
/// on the index for the next tick. What is kept (and so the tick's memory) grows with the number of
/// creditors, not with the size of the index.
async fn collect(store: &Store, now: DateTime<Utc>, per_creditor: usize) -> Result<Collected, SchedulerError> {
    let mut collected = Collected {
        examined: 0,
        left: 0,
        oldest_due: None,
        due: BTreeMap::new(),
        unfinished: Vec::new(),
        digests: Vec::new(),
    };
    for shard in 0..DUE_SHARDS {
        let due = &collected.due;
        let mut kept: HashMap<CreditorId, BTreeSet<DebtorId>> = HashMap::new();
        let mut keep = |creditor: &CreditorId, debtor: &DebtorId| {
            let already = due.get(creditor);
            let known = already.is_some_and(|d| d.contains_key(debtor));
            let counted = already.map_or(0, BTreeMap::len);
            let mine = kept.entry(creditor.clone()).or_default();
            if known || mine.contains(debtor) {
                return true;
            }
            if counted + mine.len() >= per_creditor {
                return false;
            }
            mine.insert(debtor.clone());
            true
        };
        let entries = store.due_entries_kept(shard, now, &mut keep).await?;
        collected.examined += entries.invoices.len() + entries.messages.len() + entries.digests.len() + entries.left;
        collected.left += entries.left;
        collected.unfinished.extend(entries.messages);
        collected.digests.extend(entries.digests);
        for entry in entries.invoices {
            if let Some(due) = entry.due_at {
                collected.oldest_due = Some(collected.oldest_due.map_or(due, |oldest| oldest.min(due)));
            }
            collected
                .due
                .entry(entry.creditor_id)
                .or_default()
                .entry(entry.debtor_id)
                .or_default()
                .insert(entry.invoice_id);
        }
    }
    Ok(collected)
}

impl<'a> Run<'a> {
    fn new(store: &'a Store, sending: Sending<'a>, now: DateTime<Utc>) -> Run<'a> {
        Run {
            store,
            sending,
            now,
            creditors: HashMap::new(),
            freshness: HashMap::new(),
            verified_domains: HashMap::new(),
            wake: None,
            spent: HashMap::new(),
            debtors_read: HashMap::new(),
            invoices_read: HashMap::new(),
            report: RunReport::default(),
        }
    }

    /// Finishes the messages an earlier run claimed and left.
    async fn unfinished(&mut self, unfinished: Vec<DueMessage>) {
        for message in unfinished {
            if let Err(e) = self.finish_unfinished(&message).await {
                tracing::warn!(error = %e, creditor = %message.creditor_id, "an unfinished message failed again; it stays due");
                self.report.errors += 1;
            }
        }
    }

    /// Handles debtors in the order given until the budget is spent; a creditor whose debtors keep failing
    /// is left for the next run.
    async fn debtors(
        &mut self,
        order: Vec<(CreditorId, (DebtorId, BTreeSet<InvoiceId>))>,
        budget: Budget,
        started: std::time::Instant,
    ) {
        let mut failures: HashMap<CreditorId, usize> = HashMap::new();
        let mut handled = 0;
        for (creditor_id, (debtor_id, invoice_ids)) in order {
            if handled >= budget.max_debtors || started.elapsed() >= budget.max_time {
                self.report.postponed += 1;
                continue;
            }
            let failed = failures.entry(creditor_id.clone()).or_default();
            if *failed >= budget.max_failures_per_creditor {
                self.report.postponed += 1;
                continue;
            }
            handled += 1;
            match self.debtor(&creditor_id, &debtor_id, &invoice_ids).await {
                Ok(()) => *failed = 0,
                Err(e) => {
                    tracing::warn!(error = %e, creditor = %creditor_id, "a debtor's reminders failed; they stay due");
                    self.report.errors += 1;
                    *failed += 1;
                }
            }
        }
    }
}

/// Runs every due-index shard up to `now` in this one invocation: first the messages an earlier run left
/// unfinished, then what is due, one debtor of each creditor a round, until the budget is spent. Without a
/// work queue (locally, and in small deployments) this is the whole tick.
pub async fn run(
    store: &Store,
    sending: Sending<'_>,
    budget: Budget,
    now: DateTime<Utc>,
) -> Result<RunReport, SchedulerError> {
    let started = std::time::Instant::now();
    // A run handles at most its budget's debtors: keeping more of one creditor would only cost memory.
    let collected = collect(store, now, budget.max_debtors).await?;
    let mut run = Run::new(store, sending, now);
    run.report.examined = collected.examined;
    run.report.lag_seconds = collected.oldest_due.map_or(0, |due| (now - due).num_seconds().max(0));
    run.unfinished(collected.unfinished).await;
    let order = round_robin(
        collected
            .due
            .into_iter()
            .map(|(c, debtors)| (c, debtors.into_iter().collect()))
            .collect(),
    );
    run.debtors(order, budget, started).await;
    // What was not even kept is left for the next run too (counted by invoice: it was never grouped).
    run.report.postponed += collected.left;
    run.digests(collected.digests, budget, started).await;
    Ok(run.report)
}

/// A worker's turn: the batch's debtors, one after another, as a run would handle them. A debtor that
/// fails stays due for the next tick; so does one the budget leaves out.
pub async fn work(store: &Store, sending: Sending<'_>, batch: Batch, budget: Budget, now: DateTime<Utc>) -> RunReport {
    let started = std::time::Instant::now();
    let mut run = Run::new(store, sending, now);
    run.report.examined = batch.debtors.len();
    let creditor = batch.creditor;
    // One batch request for the batch's debtors and one for all their invoices, instead of one read each;
    // a failed read leaves each debtor to read their own at their turn. Reading ahead is safe: the claim is
    // conditional on each invoice's revision, so one paid since is not reminded.
    let ids: Vec<DebtorId> = batch.debtors.iter().map(|(d, _)| d.clone()).collect();
    if let Ok(found) = store.get_debtors(&creditor, &ids).await {
        let mut found: HashMap<DebtorId, duly_core::model::Debtor> =
            found.into_iter().map(|d| (d.debtor_id.clone(), d)).collect();
        run.debtors_read = ids.into_iter().map(|id| (id.clone(), found.remove(&id))).collect();
    }
    match read_invoices(store, &creditor, &batch.debtors).await {
        Ok(read) => run.invoices_read = read,
        Err(e) => tracing::warn!(error = %e, "a batch's invoices were not read ahead; each debtor reads their own"),
    }
    let order = batch
        .debtors
        .into_iter()
        .map(|(debtor, ids)| (creditor.clone(), (debtor, ids.into_iter().collect())))
        .collect();
    run.debtors(order, budget, started).await;
    run.report
}

/// The invoices each debtor's turn looks at (the due ones and every open one; the index entries are only a
/// hint), read consistently: a query per debtor, then one batch read for the lot (100 keys a request).
async fn read_invoices(
    store: &Store,
    creditor: &CreditorId,
    debtors: &[(DebtorId, Vec<InvoiceId>)],
) -> Result<HashMap<DebtorId, Vec<duly_core::ledger::Invoice>>, StoreError> {
    let mut wanted: Vec<(DebtorId, BTreeSet<InvoiceId>)> = Vec::with_capacity(debtors.len());
    for (debtor, due) in debtors {
        let mut ids: BTreeSet<InvoiceId> = due.iter().cloned().collect();
        ids.extend(store.open_invoice_ids_of(creditor, debtor).await?);
        wanted.push((debtor.clone(), ids));
    }
    let all: BTreeSet<InvoiceId> = wanted.iter().flat_map(|(_, ids)| ids.iter().cloned()).collect();
    let found: HashMap<InvoiceId, duly_core::ledger::Invoice> = store
        .get_invoices(creditor, &all.into_iter().collect::<Vec<_>>())
        .await?
        .into_iter()
        .map(|i| (i.invoice_id.clone(), i))
        .collect();
    Ok(wanted
        .into_iter()
        .map(|(debtor, ids)| (debtor, ids.iter().filter_map(|id| found.get(id).cloned()).collect()))
        .collect())
}

fn tally(applied: bool, next: Option<DateTime<Utc>>, report: &mut RunReport) {
    match (applied, next) {
        (false, _) => report.contended += 1,
        (true, Some(_)) => report.rescheduled += 1,
        (true, None) => report.retired += 1,
    }
}

impl Run<'_> {
    /// Creditors' daily digests, after the reminders and within what is left of the run's time.
    async fn digests(&mut self, digests: Vec<DueDigest>, budget: Budget, started: std::time::Instant) {
        let Some(from) = self.sending.fallback_from else {
            return;
        };
        let notifier = Notifier {
            outbound: self.sending.outbound,
            from,
            app_url: self.sending.app_url,
        };
        for due in digests {
            if started.elapsed() >= budget.max_time {
                self.report.postponed += 1;
                continue;
            }
            match send_digest(self.store, notifier, &due, self.now).await {
                Ok(sent) => self.report.digests += usize::from(sent),
                Err(e) => {
                    tracing::warn!(error = %e, creditor = %due.creditor_id, "a digest failed; it stays due");
                    self.report.errors += 1;
                }
            }
        }
    }

    /// Tells the creditor about something that needs them; a failure is logged, the run goes on.
    async fn notify(&mut self, creditor_id: &CreditorId, notice: &Notice) {
        let notifier = self.sending.fallback_from.map(|from| Notifier {
            outbound: self.sending.outbound,
            from,
            app_url: self.sending.app_url,
        });
        let told = match self.creditor(creditor_id).await {
            Ok(Some(creditor)) => tell(self.store, notifier, &creditor, notice, self.now).await.map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        if let Err(e) = told {
            tracing::warn!(error = %e, "could not record a notice for the creditor");
        }
    }

    async fn creditor(&mut self, id: &CreditorId) -> Result<Option<Creditor>, StoreError> {
        if !self.creditors.contains_key(id) {
            let creditor = self.store.get_creditor(id).await?;
            self.creditors.insert(id.clone(), creditor);
        }
        Ok(self.creditors.get(id).cloned().flatten())
    }

    /// Why reminders must wait for the creditor's platform data, if they must.
    async fn stale_because(&mut self, id: &CreditorId) -> Result<Option<&'static str>, StoreError> {
        if let Some(known) = self.freshness.get(id) {
            return Ok(*known);
        }
        let reason = stale_because(&self.store.sync_states(id).await?, self.now);
        self.freshness.insert(id.clone(), reason);
        Ok(reason)
    }

    /// Whether the creditor's mail may carry its own domain; looked up once per run, creditor and domain.
    async fn own_domain(&mut self, creditor: &CreditorId, from_address: &str) -> bool {
        let key = (creditor.clone(), sending_domain(from_address));
        if let Some(known) = self.verified_domains.get(&key) {
            return *known;
        }
        let own = own_domain(self.store, self.sending.outbound, creditor, from_address).await;
        self.verified_domains.insert(key, own);
        own
    }
}
