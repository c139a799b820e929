//! After-callbacks into the stream: at least once, deduplicated by a hash of the body, through
//! a bounded buffer that rides out a broker outage.

use std::borrow::Cow;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use async_nats::jetstream;
use async_nats::jetstream::context::PublishErrorKind;
use async_nats::jetstream::stream;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use tim_callback::Command;

use super::Nats;
use super::pipeline::{AnswerBy, Attempt, Message};
use crate::extract::TimCallback;

/// Where an accepted event is: either way the callback is answered 200.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Published {
    /// The broker acknowledged every message of the event (stored, or a duplicate of one
    /// stored within the dedupe window).
    Acknowledged,
    /// Some message was not acknowledged within the publish wait: it stays in the buffer and
    /// is published when the broker answers. Lost if this process ends first.
    Buffered,
    /// On the spool's disk (a commit holding it was synced): published from there, also after
    /// a crash or restart of the gateway.
    Spooled,
}

/// Why an event was not taken: the callback is answered 503, and Tencent may try again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The buffer holds as many unacknowledged events as it may.
    BufferFull,
    /// The broker refuses a message this large (its `max_payload`).
    TooLarge,
    /// The spool holds as many bytes as it may.
    SpoolFull,
    /// The spool's disk failed the write (its commit returned an error).
    SpoolFailed,
}

impl Refused {
    /// The metrics label (`buffer_full`, `too_large`, `spool_full`, `spool_failed`).
    pub fn reason(self) -> &'static str {
        match self {
            Refused::BufferFull => "buffer_full",
            Refused::TooLarge => "too_large",
            Refused::SpoolFull => "spool_full",
            Refused::SpoolFailed => "spool_failed",
        }
    }
}

/// A `Push.*` batch, split into its events as sent.
#[derive(Deserialize)]
struct Batch<'a> {
    #[serde(rename = "Events", borrow)]
    events: Vec<&'a RawValue>,
}

impl Nats {
    /// Publishes one accepted callback: the body as received, or for a `Push.*` batch one
    /// message `{"Events":[event]}` per event, each with the query string in `Tim-Query` and a
    /// `Nats-Msg-Id` that is the SHA-256 of the message, so that the same body published again
    /// within the dedupe window (a retry, by this gateway or by Tencent through another one)
    /// is stored once.
    ///
    /// Waits for the broker's acknowledgement up to the publish wait; what is not acknowledged
    /// by then stays in the buffer, retried until it is.
    pub async fn publish(&self, callback: &TimCallback) -> Result<Published, Refused> {
        let command = callback
            .query()
            .command()
            .unwrap_or_else(|| callback.command());
        let payloads = split(command, callback.original_body());
        if let Some(spool) = &self.0.spool {
            let subject = self.event_subject(command);
            let records = payloads
                .into_iter()
                .map(|payload| super::spool::Record {
                    subject: subject.clone(),
                    query: callback.query_string().to_owned(),
                    command: command.as_str().to_owned(),
                    id: message_id(&payload),
                    payload,
                })
                .collect();
            return spool
                .append(records, &self.0.metrics)
                .await
                .map(|()| Published::Spooled);
        }
        let Ok(permits) = self
            .0
            .permits
            .clone()
            .try_acquire_many_owned(payloads.len() as u32)
        else {
            self.0.metrics.refuse(Refused::BufferFull.reason());
            return Err(Refused::BufferFull);
        };
        // Each message gives its permit back itself when the broker has acknowledged it.
        permits.forget();
        self.0.metrics.take(payloads.len());
        let subject = async_nats::Subject::from(self.event_subject(command));
        let command_name = command_name(command);
        let start = Instant::now();
        let answer = AnswerBy {
            start,
            deadline: start + self.0.options.publish_wait,
        };
        // The first attempt of every message of the callback, awaited here up to the deadline;
        // a message not acknowledged by then goes on without it, tried until it is.
        let message = |payload: Bytes| Message {
            subject: subject.clone(),
            query: callback.query_string().to_owned(),
            command: command_name.clone(),
            id: message_id(&payload),
            payload,
        };
        let attempts: Vec<_> = payloads
            .into_iter()
            .map(|payload| self.attempt(message(payload), Some(answer)))
            .collect();
        let (mut late, mut too_large) = (false, false);
        for attempt in attempts {
            match attempt.await {
                Ok(Attempt::Late) => late = true,
                Ok(attempt) => match self.settle_first(attempt, start) {
                    First::Acknowledged => {}
                    First::TooLarge => too_large = true,
                    First::Retrying => late = true,
                },
                // The attempt was dropped unsettled (the runtime is shutting down): nothing more
                // can be done.
                Err(_) => {
                    late = true;
                    self.settle();
                }
            }
        }
        if too_large {
            Err(Refused::TooLarge)
        } else if late {
            self.0.metrics.answered_buffered();
            Ok(Published::Buffered)
        } else {
            Ok(Published::Acknowledged)
        }
    }

    /// Settles a message's first attempt, or tries it again in a task of its own.
    pub(crate) fn settle_first(&self, attempt: Attempt, start: Instant) -> First {
        match attempt {
            Attempt::Acknowledged { duplicate } => {
                self.0.metrics.acknowledged(start.elapsed(), duplicate);
                self.settle();
                First::Acknowledged
            }
            Attempt::Failed(PublishErrorKind::MaxPayloadExceeded, message) => {
                self.too_large(&message);
                self.settle();
                First::TooLarge
            }
            Attempt::Failed(kind, message) => {
                self.failed(kind);
                tokio::spawn(self.clone().deliver(message, start));
                First::Retrying
            }
            // Only a caller with a deadline is told it is late, and it does not settle.
            Attempt::Late => First::Retrying,
        }
    }

    /// Notes a failed attempt: the stream is made again when the broker said it has none.
    pub(crate) fn failed(&self, kind: PublishErrorKind) {
        if kind == PublishErrorKind::StreamNotFound {
            self.0.stream_ready.store(false, Ordering::Release);
        }
    }

    /// Gives back one message's place in the buffer. Settled before the answer is released,
    /// so that a reader of the gauge after its 200 never counts the event as still buffered.
    fn settle(&self) {
        self.0.permits.add_permits(1);
        self.0.metrics.settle();
    }

    fn too_large(&self, message: &Message) {
        tracing::error!(
            subject = message.subject.as_str(),
            bytes = message.payload.len(),
            "nats: the broker refuses a message this large (max_payload)"
        );
        self.0.metrics.refuse(Refused::TooLarge.reason());
    }

    /// Publishes one message, taken at `start`, until the broker acknowledges it (or refuses
    /// it for good); its callback was answered already.
    async fn deliver(self, mut message: Message, start: Instant) {
        let mut attempt: u32 = 0;
        loop {
            tokio::time::sleep(backoff(attempt)).await;
            match self.attempt(message, None).await {
                Ok(Attempt::Acknowledged { duplicate }) => {
                    self.0.metrics.acknowledged(start.elapsed(), duplicate);
                    break;
                }
                Ok(Attempt::Failed(PublishErrorKind::MaxPayloadExceeded, refused)) => {
                    self.too_large(&refused);
                    break;
                }
                Ok(Attempt::Failed(kind, again)) => {
                    self.failed(kind);
                    self.0.metrics.retry();
                    tracing::debug!(error = %kind, attempt, "nats: publish failed, retrying");
                    attempt = attempt.saturating_add(1);
                    message = again;
                }
                // The attempt was dropped unsettled (the runtime is shutting down), or late, which
                // an attempt without a deadline never is.
                Ok(Attempt::Late) | Err(_) => break,
            }
        }
        self.settle();
    }

    /// Creates the stream unless this connection already did (or found it).
    pub(crate) async fn stream_ready(&self) -> Result<(), async_nats::Error> {
        if !self.0.stream_ready.load(Ordering::Acquire) {
            let _one = self.0.stream_lock.lock().await;
            // Deliveries that queued here while another created the stream need not again.
            if !self.0.stream_ready.load(Ordering::Acquire) {
                self.create_stream().await?;
            }
        }
        Ok(())
    }

    /// Creates the stream when it is missing (once per connection, again after the broker
    /// said it has no such stream), and returns its handle.
    pub async fn ensure_stream(&self) -> Result<jetstream::stream::Stream, async_nats::Error> {
        let _one = self.0.stream_lock.lock().await;
        self.create_stream().await
    }

    /// `get_or_create_stream` with this connection's options; the caller holds the lock.
    async fn create_stream(&self) -> Result<jetstream::stream::Stream, async_nats::Error> {
        let options = &self.0.options;
        let config = stream::Config {
            name: options.stream.clone(),
            subjects: vec![format!("{}.event.>", options.prefix)],
            storage: stream::StorageType::File,
            duplicate_window: options.duplicate_window,
            num_replicas: options.replicas,
            ..Default::default()
        };
        let stream = self.0.jetstream.get_or_create_stream(config).await?;
        self.0.stream_ready.store(true, Ordering::Release);
        Ok(stream)
    }
}

/// What became of a message's first attempt.
pub(crate) enum First {
    Acknowledged,
    /// The broker refuses a message this large: not tried again.
    TooLarge,
    /// Not acknowledged: tried again in a task of its own, staying in the buffer.
    Retrying,
}

/// The `Tim-Command` header of a callback's messages: a known command's name is static.
fn command_name(command: Command<'_>) -> Cow<'static, str> {
    match command.known() {
        Some(known) => Cow::Borrowed(known.as_str()),
        None => Cow::Owned(command.as_str().to_owned()),
    }
}

/// The messages of one callback: the body, or one `{"Events":[…]}` per event of a push batch.
fn split(command: Command<'_>, body: &Bytes) -> Vec<Bytes> {
    let push = matches!(
        command,
        Command::PushOfflinePush | Command::PushAllMemberPush
    );
    if push && let Ok(batch) = serde_json::from_slice::<Batch<'_>>(body) {
        return batch
            .events
            .iter()
            .map(|event| Bytes::from(format!(r#"{{"Events":[{}]}}"#, event.get())))
            .collect();
    }
    vec![body.clone()]
}

/// The SHA-256 of a message, in hex: the same bytes always get the same id.
fn message_id(payload: &[u8]) -> String {
    let digest = Sha256::digest(payload);
    let mut id = String::with_capacity(64);
    for byte in digest {
        id.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        id.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    id
}

/// 50 ms doubling to 1 s: quick after a blip, one attempt a second per event in an outage.
pub(crate) fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(50u64.saturating_mul(1 << attempt.min(5)).min(1000))
}
