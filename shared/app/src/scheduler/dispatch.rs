//! The fanned-out tick: reads the due index a page at a time and puts due debtors on the work queue as it
//! goes, in batches of one creditor, so its memory holds a page and the batches being filled, not the index.
//!
//! It reads the index twice when it must. The first reading takes each creditor's first batch only, so
//! the first batch of every creditor is on the queue before the second of any: a creditor with a few due
//! customers waits behind no one's thousands. The second reading, made only when some creditor had more,
//! takes the rest, up to each creditor's share.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher;

use chrono::{DateTime, Utc};

use duly_adapters::queue::WorkQueue;
use duly_adapters::store::{DueInvoice, Store, StoreError, DUE_SHARDS};
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::planner::fairness::{round_robin, WorkBatch};

use super::{Budget, Run, RunReport, SchedulerError, Sending};

/// Debtors of one creditor, with their due invoices, handed to a worker in one message.
pub type Batch = WorkBatch<CreditorId, DebtorId, InvoiceId>;

/// How many due debtors of one creditor go to a worker in one message.
pub const DEBTORS_PER_BATCH: usize = 25;
/// At most this many of a debtor's due invoices travel in one message (a message stays well under SQS's
/// 256 KiB); the rest stay due for the next tick.
pub const MAX_DUE_INVOICES_SENT: usize = 200;
/// How long a creditor's batches count as on the queue at most: the queue's visibility timeout (6 minutes)
/// times its receive limit (3), and a little. A batch not done by then was lost or went to the dead-letter
/// queue, and the creditor's due debtors are dispatched again.
pub const IN_FLIGHT_LEASE_MINUTES: i64 = 20;

/// What a dispatching tick did besides the unfinished messages and digests it handled itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Dispatched {
    /// Messages put on the work queue.
    pub batches: usize,
    /// Debtors in them.
    pub debtors: usize,
    /// Creditors whose earlier batches were still on the queue: nothing more of theirs was put on it, the
    /// due index keeps it for a later tick.
    pub creditors_busy: usize,
}

/// One creditor's part of the tick.
struct Turn {
    /// Their earlier batches are still on the queue.
    busy: bool,
    /// Debtors of theirs taken this tick.
    taken: usize,
    /// Batches of theirs put on the queue this tick.
    sent: usize,
    /// The batch being filled.
    filling: Vec<(DebtorId, Vec<InvoiceId>)>,
    /// More of theirs was due than their first batch held: the second reading takes it.
    more: bool,
}

/// Which reading of the due index a dispatcher is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Each creditor's first batch.
    First,
    /// The rest, up to each creditor's share.
    Rest,
}

struct Dispatcher<'a> {
    store: &'a Store,
    queue: &'a WorkQueue,
    now: DateTime<Utc>,
    per_creditor: usize,
    /// Debtors taken this tick, as hashes keyed afresh each tick: eight bytes a debtor, not their ids. Two
    /// debtors whose hashes meet leave the second for the next tick, where the key differs.
    seen: HashSet<u64>,
    key: RandomState,
    turns: HashMap<CreditorId, Turn>,
    /// Full batches waiting for the end of the page.
    ready: BTreeMap<CreditorId, Vec<Batch>>,
    dispatched: Dispatched,
    /// Due invoices left for a later tick: their creditor had their share, or work in flight.
    left: usize,
    reading: Reading,
}

impl Dispatcher<'_> {
    async fn take(&mut self, entry: DueInvoice) -> Result<(), StoreError> {
        if !self.turns.contains_key(&entry.creditor_id) {
            let busy = self.store.has_work_in_flight(&entry.creditor_id, self.now).await?;
            self.dispatched.creditors_busy += usize::from(busy);
            let turn = Turn {
                busy,
                taken: 0,
                sent: 0,
                filling: Vec::new(),
                more: false,
            };
            self.turns.insert(entry.creditor_id.clone(), turn);
        }
        let turn = self.turns.get_mut(&entry.creditor_id).expect("inserted above");
        if turn.busy {
            self.left += usize::from(self.reading == Reading::First);
            return Ok(());
        }
        let hash = self
            .key
            .hash_one((entry.creditor_id.as_str(), entry.debtor_id.as_str()));
        if self.seen.contains(&hash) {
            // Their worker reads every open invoice of theirs anyway; the named ones are a hint.
            if let Some((_, ids)) = turn.filling.iter_mut().find(|(d, _)| *d == entry.debtor_id) {
                if ids.len() < MAX_DUE_INVOICES_SENT {
                    ids.push(entry.invoice_id);
                }
            }
            return Ok(());
        }
        match self.reading {
            Reading::First if turn.taken >= DEBTORS_PER_BATCH.min(self.per_creditor) => {
                turn.more = true;
                return Ok(());
            }
            // What became due between the readings waits for the next tick.
            Reading::Rest if !turn.more => return Ok(()),
            Reading::Rest if turn.taken >= self.per_creditor => {
                self.left += 1;
                return Ok(());
            }
            _ => {}
        }
        self.seen.insert(hash);
        turn.taken += 1;
        turn.filling.push((entry.debtor_id, vec![entry.invoice_id]));
        if turn.filling.len() >= DEBTORS_PER_BATCH {
            let debtors = std::mem::take(&mut turn.filling);
            self.ready.entry(entry.creditor_id.clone()).or_default().push(Batch {
                creditor: entry.creditor_id,
                debtors,
            });
        }
        Ok(())
    }

    /// Reads the whole index once, sending the full batches at the end of each page and the rest at the
    /// end. `false`: the tick's time ran out first (what was not read stays due).
    async fn read(
        &mut self,
        run: &mut Run<'_>,
        found: &mut Found,
        budget: Budget,
        started: std::time::Instant,
    ) -> Result<bool, SchedulerError> {
        for shard in 0..DUE_SHARDS {
            let mut start = None;
            loop {
                if started.elapsed() >= budget.max_time {
                    self.send_ready(true).await?;
                    return Ok(false);
                }
                let (page, next) = self.store.due_page(shard, self.now, start.take()).await?;
                if self.reading == Reading::First {
                    run.report.examined += page.invoices.len() + page.messages.len() + page.digests.len();
                    found.unfinished.extend(page.messages);
                    found.digests.extend(page.digests);
                    for entry in &page.invoices {
                        if let Some(due) = entry.due_at {
                            found.oldest_due = Some(found.oldest_due.map_or(due, |oldest| oldest.min(due)));
                        }
                    }
                }
                for entry in page.invoices {
                    self.take(entry).await?;
                }
                self.send_ready(false).await?;
                match next {
                    Some(key) => start = Some(key),
                    None => break,
                }
            }
        }
        self.send_ready(true).await?;
        Ok(true)
    }

    /// Sends the full batches, one of each creditor a round; `all`: the batches being filled too.
    async fn send_ready(&mut self, all: bool) -> Result<(), SchedulerError> {
        if all {
            for (creditor, turn) in &mut self.turns {
                if !turn.filling.is_empty() {
                    self.ready.entry(creditor.clone()).or_default().push(Batch {
                        creditor: creditor.clone(),
                        debtors: std::mem::take(&mut turn.filling),
                    });
                }
            }
        }
        if self.ready.is_empty() {
            return Ok(());
        }
        let until = self.now + chrono::Duration::minutes(IN_FLIGHT_LEASE_MINUTES);
        for (creditor, batches) in &self.ready {
            let turn = self
                .turns
                .get_mut(creditor)
                .expect("a creditor with batches has a turn");
            // Counted before they are sent: a worker quick to finish must find them counted.
            self.store
                .count_in_flight(creditor, batches.len(), until, turn.sent == 0)
                .await?;
            turn.sent += batches.len();
        }
        let order = round_robin(std::mem::take(&mut self.ready));
        self.dispatched.debtors += order.iter().map(|(_, b)| b.debtors.len()).sum::<usize>();
        let bodies: Vec<String> = order
            .iter()
            .map(|(_, b)| serde_json::to_string(b).expect("a batch serialises"))
            .collect();
        self.dispatched.batches += self.queue.send(&bodies).await?;
        Ok(())
    }
}

/// A tick that fans out: finishes what earlier runs left and sends the digests itself (few and quick), and
/// puts the due debtors on the work queue in batches of one creditor each, page by page as it reads the
/// due index. Each creditor has a share of a tick (`max_dispatched_per_creditor` debtors), and while a
/// creditor's earlier batches are still on the queue nothing more of theirs is put on it: no debtor is
/// queued twice, and one creditor's slow morning holds back no one else's.
pub async fn dispatch(
    store: &Store,
    sending: Sending<'_>,
    queue: &WorkQueue,
    budget: Budget,
    now: DateTime<Utc>,
) -> Result<(RunReport, Dispatched), SchedulerError> {
    let started = std::time::Instant::now();
    let mut dispatcher = Dispatcher {
        store,
        queue,
        now,
        per_creditor: budget.max_dispatched_per_creditor,
        seen: HashSet::new(),
        key: RandomState::new(),
        turns: HashMap::new(),
        ready: BTreeMap::new(),
        dispatched: Dispatched::default(),
        left: 0,
        reading: Reading::First,
    };
    let mut run = Run::new(store, sending, now);
    let mut found = Found::default();
    let whole = dispatcher.read(&mut run, &mut found, budget, started).await?;
    if whole && dispatcher.turns.values().any(|t| t.more) {
        dispatcher.reading = Reading::Rest;
        dispatcher.read(&mut run, &mut found, budget, started).await?;
    }
    run.report.lag_seconds = found.oldest_due.map_or(0, |due| (now - due).num_seconds().max(0));
    run.report.postponed += dispatcher.left;
    run.unfinished(found.unfinished).await;
    run.digests(found.digests, budget, started).await;
    Ok((run.report, dispatcher.dispatched))
}

/// What the first reading found besides due invoices: the tick handles these itself.
#[derive(Default)]
struct Found {
    unfinished: Vec<duly_adapters::store::DueMessage>,
    digests: Vec<duly_adapters::store::DueDigest>,
    oldest_due: Option<DateTime<Utc>>,
}

/// One of the creditor's batches is done (or will never be tried again): it stops counting as in flight.
/// A failure is only logged: the count's lease ends it anyway.
pub async fn batch_done(store: &Store, creditor: &CreditorId) {
    if let Err(e) = store.batch_done(creditor).await {
        tracing::warn!(error = %e, creditor = %creditor, "a done batch was not counted off; its lease will end it");
    }
}
