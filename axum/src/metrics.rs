//! The gateway's counters, in the Prometheus text format (`prometheus-client`).

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// How a callback ended, as the `outcome` label says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Answered with the default allow.
    Allowed,
    /// Answered with allow and a masked `MsgBody`.
    Masked,
    /// Answered with a decision: a worker's reply (an allow among them), or the gateway's
    /// own for a blocked account.
    Decided,
    /// Not taken: refused with a 4xx status, or answered 503 (the broker's buffer or the
    /// spool full, the spool's disk failing).
    Refused,
}

impl Outcome {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Masked => "masked",
            Outcome::Decided => "decided",
            Outcome::Refused => "refused",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CallbackLabels {
    command: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ErrorLabels {
    kind: &'static str,
}

/// Counters shared by every request of one gateway.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    /// The broker's counters, when the gateway has a broker.
    #[cfg(feature = "nats")]
    broker: std::sync::OnceLock<crate::nats::BrokerMetrics>,
    callbacks: Family<CallbackLabels, Counter>,
    errors: Family<ErrorLabels, Counter>,
    latency: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Empty counters.
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let callbacks = Family::<CallbackLabels, Counter>::default();
        let errors = Family::<ErrorLabels, Counter>::default();
        // 10 µs to ~5 s: the gateway's own work sits in the first buckets, Tencent's 2 s
        // budget in the last.
        let latency = Histogram::new(exponential_buckets(0.000_01, 2.0, 20));
        registry.register(
            "tim_callbacks",
            "Callbacks by command (unknown for any other) and outcome",
            callbacks.clone(),
        );
        registry.register("tim_errors", "Refused callbacks by kind", errors.clone());
        registry.register(
            "tim_callback_duration_seconds",
            "Time from the request to its answer",
            latency.clone(),
        );
        Metrics(Arc::new(Inner {
            registry,
            #[cfg(feature = "nats")]
            broker: std::sync::OnceLock::new(),
            callbacks,
            errors,
            latency,
        }))
    }

    /// Counts one callback. `command` is a known command's name or `unknown`: never text
    /// from the request, so hostile input cannot grow the label set.
    pub fn callback(&self, command: &'static str, outcome: Outcome, latency: Duration) {
        self.0
            .callbacks
            .get_or_create(&CallbackLabels {
                command,
                outcome: outcome.as_str(),
            })
            .inc();
        self.0.latency.observe(latency.as_secs_f64());
    }

    /// Counts one refusal of `kind`.
    pub fn error(&self, kind: &'static str) {
        self.0.errors.get_or_create(&ErrorLabels { kind }).inc();
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        use prometheus_client::encoding::text::{encode_eof, encode_registry};
        let mut text = String::new();
        // Encoding into a `String` fails only on a formatter error, which `String` never gives.
        let _ = encode_registry(&mut text, &self.0.registry);
        #[cfg(feature = "nats")]
        if let Some(broker) = self.0.broker.get() {
            let _ = encode_registry(&mut text, broker.registry());
        }
        let _ = encode_eof(&mut text);
        text
    }

    /// Adds the broker's counters to the exposition (once; later calls are ignored).
    #[cfg(feature = "nats")]
    pub(crate) fn attach(&self, broker: crate::nats::BrokerMetrics) {
        let _ = self.0.broker.set(broker);
    }
}
