//! The broker's counters, registered beside the gateway's.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, EncodeLabelSet)]
struct SourceLabels {
    source: &'static str,
}

/// What the broker half of a gateway counts.
#[derive(Clone)]
pub struct BrokerMetrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    buffered: Gauge,
    published: Counter,
    duplicates: Counter,
    retries: Counter,
    refused: Family<ReasonLabels, Counter>,
    answered_buffered: Counter,
    publish_latency: Histogram,
    decisions: Family<SourceLabels, Counter>,
    decide_latency: Histogram,
    spool_events: Gauge,
    spool_bytes: Gauge,
    spool_capacity: Gauge,
    spool_commits: Counter,
    spool_held: Counter,
}

impl BrokerMetrics {
    pub(crate) fn new(capacity: usize) -> Self {
        let mut registry = Registry::default();
        let buffered = Gauge::default();
        let capacity_gauge = Gauge::<i64>::default();
        capacity_gauge.set(capacity as i64);
        let published = Counter::default();
        let duplicates = Counter::default();
        let retries = Counter::default();
        let refused = Family::<ReasonLabels, Counter>::default();
        let answered_buffered = Counter::default();
        // 100 µs to ~52 s: a loopback acknowledgement sits in the first buckets, an outage
        // in the last.
        let publish_latency = Histogram::new(exponential_buckets(0.000_1, 2.0, 20));
        let decisions = Family::<SourceLabels, Counter>::default();
        let decide_latency = Histogram::new(exponential_buckets(0.000_1, 2.0, 16));
        registry.register(
            "tim_nats_buffered_events",
            "Events taken and not yet acknowledged by the broker",
            buffered.clone(),
        );
        registry.register(
            "tim_nats_buffer_capacity_events",
            "How many events may wait for the broker at once",
            capacity_gauge,
        );
        registry.register(
            "tim_nats_published",
            "Events the broker acknowledged",
            published.clone(),
        );
        registry.register(
            "tim_nats_duplicates",
            "Acknowledged events the stream already held (same Nats-Msg-Id)",
            duplicates.clone(),
        );
        registry.register(
            "tim_nats_publish_retries",
            "Publish attempts that failed and were tried again",
            retries.clone(),
        );
        registry.register(
            "tim_nats_refused",
            "Callbacks answered 503 by reason (buffer_full, too_large, spool_full, spool_failed)",
            refused.clone(),
        );
        registry.register(
            "tim_nats_answered_buffered",
            "Callbacks answered 200 while their event still waited for the broker",
            answered_buffered.clone(),
        );
        registry.register(
            "tim_nats_publish_duration_seconds",
            "Time from taking an event to the broker's acknowledgement",
            publish_latency.clone(),
        );
        registry.register(
            "tim_nats_decisions",
            "Before-callbacks sent to workers, by where the answer came from",
            decisions.clone(),
        );
        registry.register(
            "tim_nats_decide_duration_seconds",
            "Time from a decision request to its reply or to giving up",
            decide_latency.clone(),
        );
        let spool_events = Gauge::default();
        let spool_bytes = Gauge::default();
        let spool_capacity = Gauge::default();
        let spool_commits = Counter::default();
        let spool_held = Counter::default();
        registry.register(
            "tim_nats_spool_events",
            "Events on the spool's disk, not yet acknowledged by the broker",
            spool_events.clone(),
        );
        registry.register(
            "tim_nats_spool_bytes",
            "Bytes the spool holds, as counted against its limit",
            spool_bytes.clone(),
        );
        registry.register(
            "tim_nats_spool_capacity_bytes",
            "The most the spool may hold (0 without a spool)",
            spool_capacity.clone(),
        );
        registry.register(
            "tim_nats_spool_commits",
            "Spool commits, each one fsync for every event that arrived while the last ran",
            spool_commits.clone(),
        );
        registry.register(
            "tim_nats_spool_held",
            "Spooled events the broker refused for good (too large), kept aside in the spool",
            spool_held.clone(),
        );
        BrokerMetrics(Arc::new(Inner {
            spool_events,
            spool_bytes,
            spool_capacity,
            spool_commits,
            spool_held,
            registry,
            buffered,
            published,
            duplicates,
            retries,
            refused,
            answered_buffered,
            publish_latency,
            decisions,
            decide_latency,
        }))
    }

    pub(crate) fn registry(&self) -> &Registry {
        &self.0.registry
    }

    /// Events taken and not yet acknowledged.
    pub fn buffered(&self) -> i64 {
        self.0.buffered.get()
    }

    /// Events the broker acknowledged.
    pub fn published(&self) -> u64 {
        self.0.published.get()
    }

    /// Publish attempts tried again.
    pub fn retries(&self) -> u64 {
        self.0.retries.get()
    }

    pub(crate) fn take(&self, events: usize) {
        self.0.buffered.inc_by(events as i64);
    }

    pub(crate) fn settle(&self) {
        self.0.buffered.dec();
    }

    pub(crate) fn acknowledged(&self, latency: Duration, duplicate: bool) {
        self.0.published.inc();
        if duplicate {
            self.0.duplicates.inc();
        }
        self.0.publish_latency.observe(latency.as_secs_f64());
    }

    pub(crate) fn retry(&self) {
        self.0.retries.inc();
    }

    pub(crate) fn refuse(&self, reason: &'static str) {
        self.0.refused.get_or_create(&ReasonLabels { reason }).inc();
    }

    pub(crate) fn answered_buffered(&self) {
        self.0.answered_buffered.inc();
    }

    pub(crate) fn decision(&self, source: &'static str, latency: Duration) {
        self.0
            .decisions
            .get_or_create(&SourceLabels { source })
            .inc();
        self.0.decide_latency.observe(latency.as_secs_f64());
    }

    pub(crate) fn spool_opened(&self, events: u64, bytes: u64, capacity: u64) {
        self.0.spool_events.set(events as i64);
        self.0.spool_bytes.set(bytes as i64);
        self.0.spool_capacity.set(capacity as i64);
    }

    pub(crate) fn spool_committed(&self, events: u64, bytes: u64) {
        self.0.spool_commits.inc();
        self.0.spool_events.inc_by(events as i64);
        self.0.spool_bytes.set(bytes as i64);
    }

    pub(crate) fn spool_drained(&self, events: u64, bytes: u64) {
        self.0.spool_events.dec_by(events as i64);
        self.0.spool_bytes.set(bytes as i64);
    }

    pub(crate) fn held(&self) {
        self.0.spool_held.inc();
    }

    /// Spool commits so far (each one fsync).
    pub fn spool_commits(&self) -> u64 {
        self.0.spool_commits.get()
    }

    /// Events on the spool's disk, not yet acknowledged.
    pub fn spooled(&self) -> i64 {
        self.0.spool_events.get()
    }
}
