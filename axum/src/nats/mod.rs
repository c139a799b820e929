//! Past one machine (feature `nats`): after-callbacks go to a NATS JetStream stream, and
//! before-callbacks can be decided by workers over NATS request-reply.
//!
//! - [`Nats::connect`] opens one connection (retrying in the background while the broker is
//!   down) and creates the stream when it is missing.
//! - [`Gateway::nats`](crate::Gateway::nats) hands the gateway's after-callbacks to it
//!   ([`publish`](Nats::publish)), and, with [`NatsOptions::decide`], its before-callbacks
//!   ([`decide`](Nats::decide)).
//! - [`NatsOptions::spool`] keeps every event on local disk before it is answered, and
//!   publishes it from there; [`inspect_spool`] reads what a stopped gateway's spool holds.
//! - [`serve_decisions`] is the worker's half of a decision.
//!
//! Subjects: `<prefix>.event.<CallbackCommand>` for events (`<prefix>.event.unknown` for a
//! command this crate does not know) and `<prefix>.decide.<CallbackCommand>` for decisions;
//! the prefix is `tim` unless set. Every message carries the query string as received in the
//! `Tim-Query` header and the command in `Tim-Command`.

mod decide;
mod metrics;
mod pipeline;
mod publish;
mod spool;
mod warn;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use async_nats::header::HeaderName;
use async_nats::jetstream;
use tim_callback::Command;
use tokio::sync::Semaphore;

pub use decide::{DecisionSource, serve_decisions};
pub use metrics::BrokerMetrics;
pub use publish::{Published, Refused};
pub use spool::{SPOOL_FILE, SpoolOptions, SpoolSummary, SpooledEvent, inspect_spool};

/// The header that carries the query string, as Tencent sent it.
pub const QUERY_HEADER: &str = "Tim-Query";
/// The header that carries the callback's command.
pub const COMMAND_HEADER: &str = "Tim-Command";

/// How the gateway talks to NATS.
#[derive(Clone, Debug)]
pub struct NatsOptions {
    url: String,
    stream: String,
    prefix: String,
    buffer: usize,
    publish_wait: Duration,
    attempt_timeout: Duration,
    duplicate_window: Duration,
    replicas: usize,
    spool: Option<SpoolOptions>,
    decide: bool,
    decide_budget: Duration,
}

/// The longest decision budget accepted: Tencent waits 2 s for an answer, and the gateway
/// needs some of it to parse, check and write.
pub const MAX_DECIDE_BUDGET: Duration = Duration::from_millis(1900);

impl NatsOptions {
    /// Options for the server at `url` (e.g. `nats://127.0.0.1:4222`; several servers of one
    /// cluster separated by commas, `nats://a:4222,nats://b:4222`), with the defaults:
    /// stream `TIM`, prefix `tim`, a buffer of 10 000 events, 1 s of waiting for the broker's
    /// acknowledgement before an event is answered as buffered, a 2-minute dedupe window, and
    /// decisions made by the gateway itself.
    pub fn new(url: impl Into<String>) -> Self {
        NatsOptions {
            url: url.into(),
            stream: "TIM".into(),
            prefix: "tim".into(),
            buffer: 10_000,
            publish_wait: Duration::from_secs(1),
            attempt_timeout: Duration::from_secs(1),
            duplicate_window: Duration::from_secs(120),
            replicas: 1,
            spool: None,
            decide: false,
            decide_budget: Duration::from_millis(1500),
        }
    }

    /// The stream's name (created when missing, with the subjects `<prefix>.event.>`).
    pub fn stream(mut self, name: impl Into<String>) -> Self {
        self.stream = name.into();
        self
    }

    /// The first token of every subject (default `tim`).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How many events may wait for the broker's acknowledgement at once (at least 1); an
    /// event beyond that is answered 503.
    pub fn buffer(mut self, events: usize) -> Self {
        self.buffer = events.max(1);
        self
    }

    /// How long an answer waits for the broker's acknowledgement before it says 200 with the
    /// event still in the buffer (at most 1.9 s).
    pub fn publish_wait(mut self, wait: Duration) -> Self {
        self.publish_wait = wait.min(MAX_DECIDE_BUDGET);
        self
    }

    /// How long one publish attempt waits for its acknowledgement before it is retried.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout.max(Duration::from_millis(10));
        self
    }

    /// The stream's dedupe window, when the gateway creates the stream: a publish with a
    /// `Nats-Msg-Id` seen within it is stored once.
    pub fn duplicate_window(mut self, window: Duration) -> Self {
        self.duplicate_window = window;
        self
    }

    /// How many servers of a cluster hold the stream, when the gateway creates it (1 to 5;
    /// default 1). With 3, an event the broker acknowledged survives the loss of a server.
    pub fn replicas(mut self, replicas: usize) -> Self {
        self.replicas = replicas.clamp(1, 5);
        self
    }

    /// Spools every event on local disk before its callback is answered: the answer is 200
    /// once a commit that holds the event is on disk (fsync), and the event is published from
    /// there, surviving a crash or restart of the gateway; 503 only when the spool is full or
    /// its disk fails. Without a spool, events wait for the broker in memory.
    pub fn spool(mut self, spool: SpoolOptions) -> Self {
        self.spool = Some(spool);
        self
    }

    /// Before-callbacks are decided by workers (`<prefix>.decide.<command>`), within
    /// `budget` (at most 1.9 s); past it, or with no worker, the answer is allow.
    pub fn decide(mut self, budget: Duration) -> Self {
        self.decide = true;
        self.decide_budget = budget.min(MAX_DECIDE_BUDGET);
        self
    }

    /// The servers' addresses, as given.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Each server's address: the comma-separated parts of [`url`](Self::url).
    pub fn servers(&self) -> Vec<&str> {
        self.url
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// Why the connection could not be set up.
#[derive(Debug)]
pub struct NatsError(String);

impl std::fmt::Display for NatsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "nats: {}", self.0)
    }
}

impl std::error::Error for NatsError {}

/// One connection to NATS, shared by every request of a gateway (cheap to clone).
#[derive(Clone)]
pub struct Nats(Arc<Inner>);

struct Inner {
    client: async_nats::Client,
    jetstream: jetstream::Context,
    options: NatsOptions,
    permits: Arc<Semaphore>,
    sender: tokio::sync::mpsc::UnboundedSender<pipeline::Job>,
    pipeline: pipeline::Pipeline,
    stream_ready: AtomicBool,
    stream_lock: tokio::sync::Mutex<()>,
    metrics: BrokerMetrics,
    spool: Option<spool::Spool>,
}

impl Nats {
    /// Connects to `options.url()`. The broker need not be up: the client keeps trying in the
    /// background, and events wait in the buffer (or the spool) meanwhile. Fails on a bad
    /// address, and on a spool that cannot be opened (the message says why and what to do).
    pub async fn connect(options: NatsOptions) -> Result<Nats, NatsError> {
        let metrics = BrokerMetrics::new(options.buffer);
        // Opened first: a spool that cannot be used stops the start before anything is taken.
        let spool = match &options.spool {
            Some(spool) => Some(spool::Spool::open(spool, metrics.clone())?),
            None => None,
        };
        let client = async_nats::ConnectOptions::new()
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(1))
            // A quick, capped backoff: a broker back after a restart is used within a second.
            .reconnect_delay_callback(|attempts| {
                Duration::from_millis((50 * attempts as u64).clamp(50, 1000))
            })
            .event_callback({
                // An outage repeats its events many times a second: warned once every 10 s,
                // with the broker's address, the reason, and how many were held back.
                let (url, gate) = (
                    options.url.clone(),
                    Arc::new(warn::Every::new(Duration::from_secs(10))),
                );
                move |event| {
                    let (url, gate) = (url.clone(), gate.clone());
                    async move {
                        match event {
                            async_nats::Event::Connected => {
                                tracing::info!(server = url, "nats: connected");
                            }
                            other => {
                                if let Some(held) = gate.open(std::time::Instant::now()) {
                                    tracing::warn!(
                                        server = url,
                                        reason = %other,
                                        similar_since_last = held,
                                        "nats: the broker is unreachable or refusing; events wait in the buffer"
                                    );
                                }
                            }
                        }
                    }
                }
            })
            .connect(options.servers().as_slice())
            .await
            .map_err(|e| NatsError(e.to_string()))?;
        let mut jetstream = jetstream::new(client.clone());
        jetstream.set_timeout(options.attempt_timeout);
        let (sender, jobs) = tokio::sync::mpsc::unbounded_channel();
        let pipeline = pipeline::Pipeline::new(client.new_inbox(), options.attempt_timeout);
        // Queued in the client like the publishes after it: made on every (re)connection.
        let acks = client
            .subscribe(pipeline.acks_subject())
            .await
            .map_err(|e| NatsError(e.to_string()))?;
        let nats = Nats(Arc::new(Inner {
            client,
            sender,
            pipeline,
            jetstream,
            permits: Arc::new(Semaphore::new(options.buffer)),
            metrics,
            options,
            stream_ready: AtomicBool::new(false),
            stream_lock: tokio::sync::Mutex::new(()),
            spool,
        }));
        tokio::spawn(nats.clone().send_queued(jobs));
        tokio::spawn(nats.clone().receive_acks(acks));
        if nats.0.spool.is_some() {
            tokio::spawn(nats.clone().drain());
        }
        Ok(nats)
    }

    /// The underlying client.
    pub fn client(&self) -> &async_nats::Client {
        &self.0.client
    }

    /// The options this connection was made with.
    pub fn options(&self) -> &NatsOptions {
        &self.0.options
    }

    /// The broker's counters (also in the gateway's `/metrics`).
    pub fn metrics(&self) -> &BrokerMetrics {
        &self.0.metrics
    }

    /// Whether before-callbacks go to workers.
    pub fn decides(&self) -> bool {
        self.0.options.decide
    }

    /// The subject an event of `command` is published on.
    pub fn event_subject(&self, command: Command<'_>) -> String {
        event_subject(&self.0.options.prefix, command)
    }

    /// The subject a decision on `command` is requested on (`None` for an unknown command).
    pub fn decide_subject(&self, command: Command<'_>) -> Option<String> {
        let known = command.known()?;
        Some(format!(
            "{}.decide.{}",
            self.0.options.prefix,
            known.as_str()
        ))
    }
}

/// `<prefix>.event.<command>`; an unknown command is never put into a subject, where its
/// text could add tokens or wildcards.
fn event_subject(prefix: &str, command: Command<'_>) -> String {
    match command.known() {
        Some(known) => format!("{prefix}.event.{}", known.as_str()),
        None => format!("{prefix}.event.unknown"),
    }
}

/// The envelope headers of one message: the query string and the command, each only when
/// it is printable ASCII (a query string from a URI always is).
fn envelope_headers(query: &str, command: &str) -> async_nats::HeaderMap {
    // Parsed once: a name parsed from text is an allocation of its own.
    static QUERY: LazyLock<HeaderName> = LazyLock::new(|| QUERY_HEADER.parse().unwrap());
    static COMMAND: LazyLock<HeaderName> = LazyLock::new(|| COMMAND_HEADER.parse().unwrap());
    let mut headers = async_nats::HeaderMap::new();
    if is_header_safe(query) {
        headers.insert(QUERY.clone(), query);
    }
    if !command.is_empty() && is_header_safe(command) {
        headers.insert(COMMAND.clone(), command);
    }
    headers
}

/// A header of a message from a gateway (`QUERY_HEADER`, `COMMAND_HEADER`), or `""`.
pub fn envelope_header<'m>(headers: Option<&'m async_nats::HeaderMap>, name: &str) -> &'m str {
    headers.and_then(|h| h.get(name)).map_or("", |v| v.as_str())
}

fn is_header_safe(value: &str) -> bool {
    value.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}
