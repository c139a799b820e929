//! The spool: after-callbacks on local disk before they are answered, drained into the stream.
//!
//! One redb database, `spool.redb` in the spool's directory. A writer thread takes every
//! event that arrived while it was committing and writes them in one transaction, which redb
//! makes durable (fsync) before `commit` returns: only then are their callbacks answered
//! (group commit: one fsync for many events, and no waiting when there is no load). A drainer
//! task publishes what the spool holds in key order, many publishes in flight, and deletes
//! what the broker acknowledged; what it did not is tried again.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use redb::{Database, DatabaseError, Durability, ReadableTable, ReadableTableMetadata};
use redb::{StorageError, TableDefinition};
use tokio::sync::{Notify, mpsc, oneshot};

use super::metrics::BrokerMetrics;
use super::publish::Refused;
use super::{Nats, NatsError};

/// The events: key = arrival order; value = (subject, query string, command, message id,
/// payload).
const EVENTS: TableDefinition<u64, (&str, &str, &str, &str, &[u8])> =
    TableDefinition::new("events");
/// Events the broker refused for good (larger than its `max_payload`): kept, never dropped
/// silently, for an operator to look at (`tim-callback spool DIR`).
const HELD: TableDefinition<u64, (&str, &str, &str, &str, &[u8])> = TableDefinition::new("held");
/// `format`: the layout of the tables above.
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// The layout this code writes and reads.
const FORMAT: u64 = 1;
/// The database file in a spool's directory.
pub const SPOOL_FILE: &str = "spool.redb";

/// Where the spool is and how much it may hold.
#[derive(Clone, Debug)]
pub struct SpoolOptions {
    dir: PathBuf,
    max_bytes: u64,
}

impl SpoolOptions {
    /// A spool in `dir` (created when missing) holding at most `max_bytes` of events (their
    /// payloads, subjects and queries); past that an event is answered 503.
    pub fn new(dir: impl Into<PathBuf>, max_bytes: u64) -> Self {
        SpoolOptions {
            dir: dir.into(),
            max_bytes,
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The most it may hold, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }
}

/// An error of the store, boxed (redb's is large, and rare).
#[derive(Debug)]
pub(crate) struct StoreError(Box<redb::Error>);

impl<E: Into<redb::Error>> From<E> for StoreError {
    fn from(e: E) -> Self {
        StoreError(Box::new(e.into()))
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One event to spool.
pub(crate) struct Record {
    pub(crate) subject: String,
    pub(crate) query: String,
    pub(crate) command: String,
    pub(crate) id: String,
    pub(crate) payload: Bytes,
}

/// The value of an event in the spool's tables.
type Value<'r> = (&'r str, &'r str, &'r str, &'r str, &'r [u8]);

/// What an event counts against the spool's limit: its payload and its strings.
fn size((subject, query, command, id, payload): Value<'_>) -> u64 {
    (subject.len() + query.len() + command.len() + id.len() + payload.len()) as u64
}

impl Record {
    fn value(&self) -> Value<'_> {
        (
            &self.subject,
            &self.query,
            &self.command,
            &self.id,
            &self.payload,
        )
    }

    fn size(&self) -> u64 {
        size(self.value())
    }
}

/// Events of one callback, and where to say they are on disk.
struct Append {
    records: Vec<Record>,
    done: oneshot::Sender<Result<(), Refused>>,
}

/// An open spool: the writer's queue, the size it holds, the drainer's wake-up.
pub(crate) struct Spool {
    db: Arc<Database>,
    queue: mpsc::UnboundedSender<Append>,
    bytes: Arc<AtomicU64>,
    max_bytes: u64,
    wake: Arc<Notify>,
    /// A full spool refuses many callbacks a second: warned once every 10 s.
    full_warning: super::warn::Every,
}

/// What a spool holds, as [`inspect_spool`] reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpoolSummary {
    /// Events waiting to be published.
    pub events: u64,
    /// Their size in bytes, as counted against the limit.
    pub bytes: u64,
    /// Events the broker refused for good (too large), kept aside.
    pub held: u64,
}

/// One event in a spool, as [`inspect_spool`] reads it.
#[derive(Debug)]
pub struct SpooledEvent<'a> {
    /// Its place in the spool (arrival order).
    pub key: u64,
    /// Whether the broker refused it for good (it is kept aside, not published again).
    pub held: bool,
    /// The subject it is published on.
    pub subject: &'a str,
    /// The query string it came with.
    pub query: &'a str,
    /// Its command.
    pub command: &'a str,
    /// Its `Nats-Msg-Id`.
    pub id: &'a str,
    /// The message, as it is published.
    pub payload: &'a [u8],
}

/// Reads the spool in `dir` without changing what it holds: each event to `each`, in key
/// order, then the totals. Fails as the gateway's start would (missing, corrupt, of another version, or
/// in use by a running gateway).
pub fn inspect_spool(
    dir: &Path,
    mut each: impl FnMut(SpooledEvent<'_>),
) -> Result<SpoolSummary, NatsError> {
    let path = dir.join(SPOOL_FILE);
    if !path.is_file() {
        return Err(NatsError(format!("no spool at {}", path.display())));
    }
    let db = open_database(dir)?;
    let fail = |e: &dyn std::fmt::Display| NatsError(format!("spool {}: {e}", path.display()));
    let read = db.begin_read().map_err(|e| fail(&e))?;
    let mut summary = SpoolSummary::default();
    for (table, held) in [(EVENTS, false), (HELD, true)] {
        let table = match read.open_table(table) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => continue,
            Err(e) => return Err(fail(&e)),
        };
        for entry in table.iter().map_err(|e| fail(&e))? {
            let (key, value) = entry.map_err(|e| fail(&e))?;
            let (subject, query, command, id, payload) = value.value();
            let event = SpooledEvent {
                key: key.value(),
                held,
                subject,
                query,
                command,
                id,
                payload,
            };
            if held {
                summary.held += 1;
            } else {
                summary.events += 1;
                summary.bytes += size((subject, query, command, id, payload));
            }
            each(event);
        }
    }
    Ok(summary)
}

/// Opens (or creates) the database of a spool, checking that this code can read it.
fn open_database(dir: &Path) -> Result<Database, NatsError> {
    let path = dir.join(SPOOL_FILE);
    let why = |reason: String| {
        NatsError(format!(
            "cannot open the spool {}: {reason}. Nothing was discarded. To start with an empty \
             spool, move the directory away (mv {d} {d}.old); a gateway started later with \
             --spool {d}.old publishes what it holds, and `tim-callback spool {d}.old --dump` \
             shows it",
            path.display(),
            d = dir.display(),
        ))
    };
    std::fs::create_dir_all(dir).map_err(|e| why(format!("cannot create its directory: {e}")))?;
    let meta = std::fs::metadata(dir).map_err(|e| why(e.to_string()))?;
    // Checked even for root, who may write anyway: a directory made read-only says the spool
    // must not be written.
    if meta.permissions().readonly() {
        return Err(why("its directory is read-only".into()));
    }
    let mut builder = Database::builder();
    // The format redb 3 and later read too.
    builder.create_with_file_format_v3(true);
    let db = builder.create(&path).map_err(|e| match e {
        DatabaseError::DatabaseAlreadyOpen => {
            why("it is in use (another gateway has it open)".into())
        }
        DatabaseError::UpgradeRequired(v) => why(format!(
            "it was written in redb's file format {v}, which this version does not read"
        )),
        DatabaseError::Storage(StorageError::Io(e))
            if e.kind() == std::io::ErrorKind::InvalidData =>
        {
            why(format!("it is corrupt or not a spool ({e})"))
        }
        DatabaseError::Storage(StorageError::Io(e)) => why(e.to_string()),
        other => why(format!("it is not a readable spool ({other})")),
    })?;
    // The layout: written once when the spool is new, checked every time after.
    let fail = |e: &dyn std::fmt::Display| why(e.to_string());
    let write = db.begin_write().map_err(|e| fail(&e))?;
    {
        let mut meta = write.open_table(META).map_err(|e| fail(&e))?;
        let format = meta.get("format").map_err(|e| fail(&e))?.map(|v| v.value());
        match format {
            None => {
                meta.insert("format", FORMAT).map_err(|e| fail(&e))?;
            }
            Some(FORMAT) => {}
            Some(other) => {
                return Err(why(format!(
                    "its layout is version {other}; this gateway reads version {FORMAT}"
                )));
            }
        }
        write.open_table(EVENTS).map_err(|e| fail(&e))?;
        write.open_table(HELD).map_err(|e| fail(&e))?;
    }
    write.commit().map_err(|e| fail(&e))?;
    Ok(db)
}

/// How many events the drainer reads and has in flight at once.
const DRAIN_BATCH: usize = 256;
/// How many callbacks one commit takes at most.
const COMMIT_BATCH: usize = 4096;

impl Spool {
    /// Opens the spool and starts its writer thread; [`Nats::connect`] starts the drainer.
    pub(crate) fn open(options: &SpoolOptions, metrics: BrokerMetrics) -> Result<Spool, NatsError> {
        let db = Arc::new(open_database(&options.dir)?);
        let fail = |e: &dyn std::fmt::Display| {
            NatsError(format!(
                "spool {}: {e}",
                options.dir.join(SPOOL_FILE).display()
            ))
        };
        // What the spool holds from before: its size counts against the limit, and new keys
        // follow the last.
        let (count, bytes, next) = {
            let read = db.begin_read().map_err(|e| fail(&e))?;
            let table = read.open_table(EVENTS).map_err(|e| fail(&e))?;
            let mut bytes = 0u64;
            for entry in table.iter().map_err(|e| fail(&e))? {
                let (_, value) = entry.map_err(|e| fail(&e))?;
                bytes += size(value.value());
            }
            // New keys follow every key in use, held ones too: an event moved aside keeps its
            // key, which a new event must not take.
            let held = read.open_table(HELD).map_err(|e| fail(&e))?;
            let mut next = 0;
            for last in [table.last(), held.last()] {
                if let Some((key, _)) = last.map_err(|e| fail(&e))? {
                    next = next.max(key.value() + 1);
                }
            }
            (table.len().map_err(|e| fail(&e))?, bytes, next)
        };
        metrics.spool_opened(count, bytes, options.max_bytes);
        if count > 0 {
            tracing::info!(
                spool = %options.dir.display(),
                events = count,
                bytes,
                "spool: publishing the events it holds from before"
            );
        }
        let (queue, appends) = mpsc::unbounded_channel();
        let spool = Spool {
            db: db.clone(),
            queue,
            bytes: Arc::new(AtomicU64::new(bytes)),
            max_bytes: options.max_bytes,
            wake: Arc::new(Notify::new()),
            full_warning: super::warn::Every::new(Duration::from_secs(10)),
        };
        let writer = Writer {
            db,
            appends,
            bytes: spool.bytes.clone(),
            wake: spool.wake.clone(),
            metrics,
            next,
        };
        std::thread::Builder::new()
            .name("tim-spool-writer".into())
            .spawn(move || writer.run())
            .map_err(|e| fail(&e))?;
        Ok(spool)
    }

    /// Writes one callback's events; returns once a commit that holds them is on disk.
    pub(crate) async fn append(
        &self,
        records: Vec<Record>,
        metrics: &BrokerMetrics,
    ) -> Result<(), Refused> {
        let size: u64 = records.iter().map(Record::size).sum();
        let reserved = self
            .bytes
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                let total = held.checked_add(size)?;
                (total <= self.max_bytes).then_some(total)
            });
        if let Err(held) = reserved {
            if let Some(similar) = self.full_warning.open(std::time::Instant::now()) {
                tracing::warn!(
                    held_bytes = held,
                    max_bytes = self.max_bytes,
                    similar_since_last = similar,
                    "spool: full, answering 503 until the broker takes what it holds"
                );
            }
            metrics.refuse(Refused::SpoolFull.reason());
            return Err(Refused::SpoolFull);
        }
        let (done, outcome) = oneshot::channel();
        let sent = self.queue.send(Append { records, done });
        let outcome = match sent {
            Ok(()) => outcome.await.unwrap_or(Err(Refused::SpoolFailed)),
            Err(_) => {
                // The writer is gone: nothing of this callback was taken.
                self.bytes.fetch_sub(size, Ordering::AcqRel);
                Err(Refused::SpoolFailed)
            }
        };
        if let Err(refused) = outcome {
            // A failed commit holds nothing of this callback (the writer gave the bytes back).
            metrics.refuse(refused.reason());
        }
        outcome
    }
}

/// The writer thread's state.
struct Writer {
    db: Arc<Database>,
    appends: mpsc::UnboundedReceiver<Append>,
    bytes: Arc<AtomicU64>,
    wake: Arc<Notify>,
    metrics: BrokerMetrics,
    next: u64,
}

impl Writer {
    /// Commits what arrived while the last commit ran, until every sender is gone.
    fn run(mut self) {
        let mut batch = Vec::new();
        while let Some(first) = self.appends.blocking_recv() {
            batch.push(first);
            while batch.len() < COMMIT_BATCH {
                match self.appends.try_recv() {
                    Ok(append) => batch.push(append),
                    Err(_) => break,
                }
            }
            let events: usize = batch.iter().map(|a| a.records.len()).sum();
            match self.commit(&batch) {
                Ok(()) => {
                    self.metrics.spool_committed(events as u64, self.held());
                    for append in batch.drain(..) {
                        let _ = append.done.send(Ok(()));
                    }
                    self.wake.notify_one();
                }
                Err(e) => {
                    tracing::error!(
                        error = %e,
                        callbacks = batch.len(),
                        "spool: a commit failed; its callbacks are answered 503"
                    );
                    for append in batch.drain(..) {
                        let size: u64 = append.records.iter().map(Record::size).sum();
                        self.bytes.fetch_sub(size, Ordering::AcqRel);
                        let _ = append.done.send(Err(Refused::SpoolFailed));
                    }
                }
            }
        }
    }

    fn held(&self) -> u64 {
        self.bytes.load(Ordering::Acquire)
    }

    /// One transaction for the whole batch; durable (fsync) when `commit` returns.
    fn commit(&mut self, batch: &[Append]) -> Result<(), StoreError> {
        let mut write = self.db.begin_write()?;
        write.set_durability(Durability::Immediate);
        let mut next = self.next;
        {
            let mut table = write.open_table(EVENTS)?;
            for record in batch.iter().flat_map(|a| &a.records) {
                table.insert(next, record.value())?;
                next += 1;
            }
        }
        write.commit()?;
        self.next = next;
        Ok(())
    }
}

/// An event read back from the spool for publishing.
struct Spooled {
    key: u64,
    record: Record,
}

/// Up to `limit` events, oldest first.
fn oldest(db: &Database, limit: usize) -> Result<Vec<Spooled>, StoreError> {
    let read = db.begin_read()?;
    let table = read.open_table(EVENTS)?;
    let mut out = Vec::new();
    for entry in table.iter()?.take(limit) {
        let (key, value) = entry?;
        let (subject, query, command, id, payload) = value.value();
        out.push(Spooled {
            key: key.value(),
            record: Record {
                subject: subject.into(),
                query: query.into(),
                command: command.into(),
                id: id.into(),
                payload: Bytes::copy_from_slice(payload),
            },
        });
    }
    Ok(out)
}

/// Deletes what the broker acknowledged and moves what it refused for good aside. Not made
/// durable on its own: a delete lost in a crash publishes the event again, and the stream's
/// dedupe window stores it once.
fn settle(db: &Database, acknowledged: &[u64], held: &[Spooled]) -> Result<(), StoreError> {
    let mut write = db.begin_write()?;
    write.set_durability(Durability::Eventual);
    {
        let mut events = write.open_table(EVENTS)?;
        for key in acknowledged {
            events.remove(key)?;
        }
        let mut aside = write.open_table(HELD)?;
        for event in held {
            aside.insert(event.key, event.record.value())?;
            events.remove(event.key)?;
        }
    }
    write.commit()?;
    Ok(())
}

impl Nats {
    /// Publishes what the spool holds, oldest first, until the process ends.
    pub(crate) async fn drain(self) {
        let Some(spool) = self.0.spool.as_ref() else {
            return;
        };
        let mut attempt: u32 = 0;
        loop {
            if attempt > 0 {
                tokio::time::sleep(super::publish::backoff(attempt - 1)).await;
            }
            if self.0.client.connection_state() != async_nats::connection::State::Connected {
                // Nothing is queued in the client while the broker is away: what was would be
                // sent again and again at every attempt.
                attempt = attempt.saturating_add(1);
                continue;
            }
            let db = spool.db.clone();
            let batch = match tokio::task::spawn_blocking(move || oldest(&db, DRAIN_BATCH)).await {
                Ok(Ok(batch)) => batch,
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "spool: cannot read");
                    attempt = attempt.saturating_add(1);
                    continue;
                }
                Err(_) => return,
            };
            if batch.is_empty() {
                attempt = 0;
                // Woken by the next commit; the timeout only guards against a lost wake-up.
                let _ = tokio::time::timeout(Duration::from_secs(1), spool.wake.notified()).await;
                continue;
            }
            if let Err(e) = self.stream_ready().await {
                tracing::debug!(error = %e, "spool: the stream is not ready");
                self.0.metrics.retry();
                attempt = attempt.saturating_add(1);
                continue;
            }
            let (acknowledged, held, complete) = self.publish_batch(&batch).await;
            let freed: u64 = batch
                .iter()
                .filter(|e| acknowledged.contains(&e.key))
                .map(|e| e.record.size())
                .chain(held.iter().map(|e| e.record.size()))
                .sum();
            let settled = acknowledged.len() + held.len();
            let db = spool.db.clone();
            let keep = held;
            let done = tokio::task::spawn_blocking(move || settle(&db, &acknowledged, &keep)).await;
            match done {
                Ok(Ok(())) => {
                    spool.bytes.fetch_sub(freed, Ordering::AcqRel);
                    self.0
                        .metrics
                        .spool_drained(settled as u64, spool.bytes.load(Ordering::Acquire));
                }
                Ok(Err(e)) => tracing::error!(error = %e, "spool: cannot delete published events"),
                Err(_) => return,
            }
            if complete {
                attempt = 0;
            } else {
                self.0.metrics.retry();
                attempt = attempt.saturating_add(1);
            }
        }
    }

    /// Publishes a batch with every publish in flight at once; returns the keys acknowledged,
    /// the events refused for good, and whether every event was one or the other.
    async fn publish_batch(&self, batch: &[Spooled]) -> (Vec<u64>, Vec<Spooled>, bool) {
        use super::pipeline::Attempt;
        use async_nats::jetstream::context::PublishErrorKind;

        let started = Instant::now();
        let attempts: Vec<_> = batch
            .iter()
            .map(|event| {
                let r = &event.record;
                let attempt = self.attempt(
                    super::pipeline::Message {
                        subject: r.subject.clone().into(),
                        query: r.query.clone(),
                        command: r.command.clone().into(),
                        id: r.id.clone(),
                        payload: r.payload.clone(),
                    },
                    None,
                );
                (event.key, attempt)
            })
            .collect();
        let mut acknowledged = Vec::with_capacity(attempts.len());
        let mut too_large = Vec::new();
        let mut complete = true;
        for (key, attempt) in attempts {
            match attempt.await {
                Ok(Attempt::Acknowledged { duplicate }) => {
                    self.0.metrics.acknowledged(started.elapsed(), duplicate);
                    acknowledged.push(key);
                }
                Ok(Attempt::Failed(PublishErrorKind::MaxPayloadExceeded, _)) => too_large.push(key),
                Ok(Attempt::Failed(kind, _)) => {
                    self.failed(kind);
                    complete = false;
                }
                // The attempt was dropped unsettled (the runtime is shutting down), or late, which
                // an attempt without a deadline never is.
                Ok(Attempt::Late) | Err(_) => complete = false,
            }
        }
        let held: Vec<Spooled> = batch
            .iter()
            .filter(|e| too_large.contains(&e.key))
            .map(|e| {
                tracing::error!(
                    key = e.key,
                    subject = e.record.subject,
                    bytes = e.record.payload.len(),
                    "spool: the broker refuses an event this large (max_payload); kept aside in \
                     the spool's held table"
                );
                self.0.metrics.held();
                Spooled {
                    key: e.key,
                    record: Record {
                        subject: e.record.subject.clone(),
                        query: e.record.query.clone(),
                        command: e.record.command.clone(),
                        id: e.record.id.clone(),
                        payload: e.record.payload.clone(),
                    },
                }
            })
            .collect();
        (acknowledged, held, complete)
    }
}
