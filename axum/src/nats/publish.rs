//! After-callbacks into the stream: at least once, deduplicated by a hash of the body, through
//! a bounded buffer that rides out a broker outage.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use async_nats::jetstream;
use async_nats::jetstream::context::{PublishAckFuture, PublishErrorKind};
use async_nats::jetstream::message::PublishMessage;
use async_nats::jetstream::stream;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use tim_callback::Command;
use tokio::sync::{mpsc, oneshot};

use super::{Nats, envelope_headers};
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
        // Each delivery gives its permit back itself when the broker has acknowledged it.
        permits.forget();
        self.0.metrics.take(payloads.len());
        let subject = self.event_subject(command);
        let headers = envelope_headers(callback.query_string(), command.as_str());
        let start = Instant::now();
        let deadline = tokio::time::Instant::from_std(start + self.0.options.publish_wait);
        // The first attempt: every message of the callback handed to the sender task, which
        // hands the client all that are waiting at once, and its acknowledgement awaited here.
        // Only a message that is not acknowledged by the deadline goes on in a task of its own,
        // retried until it is.
        let mut queued = Vec::with_capacity(payloads.len());
        for payload in payloads {
            let message = Message {
                subject: subject.clone(),
                headers: headers.clone(),
                id: message_id(&payload),
                payload,
            };
            queued.push(self.enqueue(message, start));
        }
        // Handed to the client by the deadline, or left to the sender task, which keeps it
        // going in a task of its own once nobody waits for it.
        let mut sent = Vec::with_capacity(queued.len());
        let mut late = false;
        for mut reply in queued {
            match tokio::time::timeout_at(deadline, &mut reply).await {
                Ok(Ok(message_and_ack)) => sent.push(message_and_ack),
                Ok(Err(_)) => late = true,
                Err(_) => {
                    late = true;
                    reply.close();
                    // Sent just as the wait ended: this side keeps it going.
                    if let Ok((message, _)) = reply.try_recv() {
                        tokio::spawn(self.clone().deliver(message, start));
                    }
                }
            }
        }
        let mut outcome = if late {
            Ok(Published::Buffered)
        } else {
            Ok(Published::Acknowledged)
        };
        for (message, ack) in sent {
            let acknowledged = match ack {
                Ok(ack) => match tokio::time::timeout_at(deadline, ack).await {
                    Ok(Ok(ack)) => Ok(ack.duplicate),
                    Ok(Err(e)) => Err(Some(e.kind())),
                    Err(_) => Err(None),
                },
                Err(kind) => Err(Some(kind)),
            };
            match acknowledged {
                Ok(duplicate) => {
                    self.0.metrics.acknowledged(start.elapsed(), duplicate);
                    self.settle();
                }
                Err(Some(PublishErrorKind::MaxPayloadExceeded)) => {
                    self.too_large(&message);
                    self.settle();
                    outcome = Err(Refused::TooLarge);
                }
                Err(kind) => {
                    if kind == Some(PublishErrorKind::StreamNotFound) {
                        self.0.stream_ready.store(false, Ordering::Release);
                    }
                    if outcome == Ok(Published::Acknowledged) {
                        outcome = Ok(Published::Buffered);
                    }
                    tokio::spawn(self.clone().deliver(message, start));
                }
            }
        }
        if outcome == Ok(Published::Buffered) {
            self.0.metrics.answered_buffered();
        }
        outcome
    }

    /// Gives back one message's place in the buffer. Settled before the answer is released,
    /// so that a reader of the gauge after its 200 never counts the event as still buffered.
    fn settle(&self) {
        self.0.permits.add_permits(1);
        self.0.metrics.settle();
    }

    fn too_large(&self, message: &Message) {
        tracing::error!(
            subject = message.subject,
            bytes = message.payload.len(),
            "nats: the broker refuses a message this large (max_payload)"
        );
        self.0.metrics.refuse(Refused::TooLarge.reason());
    }

    /// Publishes one message, taken at `start`, until the broker acknowledges it (or refuses
    /// it for good); its callback was answered already.
    async fn deliver(self, message: Message, start: Instant) {
        let mut attempt: u32 = 0;
        loop {
            tokio::time::sleep(backoff(attempt)).await;
            match self.publish_once(&message).await {
                Ok(duplicate) => {
                    self.0.metrics.acknowledged(start.elapsed(), duplicate);
                    break;
                }
                Err(PublishErrorKind::MaxPayloadExceeded) => {
                    self.too_large(&message);
                    break;
                }
                Err(kind) => {
                    if kind == PublishErrorKind::StreamNotFound {
                        self.0.stream_ready.store(false, Ordering::Release);
                    }
                    self.0.metrics.retry();
                    tracing::debug!(error = %kind, attempt, "nats: publish failed, retrying");
                    attempt = attempt.saturating_add(1);
                }
            }
        }
        self.settle();
    }

    /// Queues one message for the connection's sender task, which hands the client every
    /// message that is waiting at once, so that they leave in one write; the acknowledgement is
    /// awaited by the caller.
    fn enqueue(&self, message: Message, start: Instant) -> oneshot::Receiver<(Message, Sent)> {
        let (reply, sent) = oneshot::channel();
        if let Err(mpsc::error::SendError(job)) = self.0.sender.send(Job {
            message,
            start,
            reply,
        }) {
            // No sender task (the runtime is shutting down): retried in a task of its own.
            tokio::spawn(self.clone().deliver(job.message, start));
        }
        sent
    }

    /// The sender task: takes what is queued, lets the other requests queue theirs, and sends
    /// them all before the client's writer runs.
    pub(crate) async fn send_queued(self, mut jobs: mpsc::UnboundedReceiver<Job>) {
        let mut batch = Vec::with_capacity(256);
        loop {
            if jobs.recv_many(&mut batch, 256).await == 0 {
                return;
            }
            // Other requests run and queue theirs while this task waits its turn again.
            tokio::task::yield_now().await;
            while batch.len() < 256 {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            for job in batch.drain(..) {
                let sent = self.send_once(&job.message).await;
                if let Err((message, _)) = job.reply.send((job.message, sent)) {
                    // Its callback was answered already (buffered): kept going here, the copy
                    // just sent deduplicated by its id.
                    tokio::spawn(self.clone().deliver(message, job.start));
                }
            }
        }
    }

    /// Sends one message (the stream made first if need be); the acknowledgement is awaited by
    /// the caller.
    async fn send_once(&self, message: &Message) -> Result<PublishAckFuture, PublishErrorKind> {
        self.stream_ready()
            .await
            .map_err(|_| PublishErrorKind::StreamNotFound)?;
        let publish = PublishMessage::build()
            .payload(message.payload.clone())
            .headers(message.headers.clone())
            .message_id(message.id.as_str());
        self.0
            .jetstream
            .send_publish(message.subject.clone(), publish)
            .await
            .map_err(|e| e.kind())
    }

    /// One attempt: `Ok(duplicate)` when acknowledged.
    async fn publish_once(&self, message: &Message) -> Result<bool, PublishErrorKind> {
        let ack = self.send_once(message).await?.await.map_err(|e| e.kind())?;
        Ok(ack.duplicate)
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

/// A message for the sender task, and where to say it was sent.
pub(crate) struct Job {
    message: Message,
    start: Instant,
    reply: oneshot::Sender<(Message, Sent)>,
}

/// A message handed to the client, its acknowledgement to come, or why it was not.
type Sent = Result<PublishAckFuture, PublishErrorKind>;

pub(crate) struct Message {
    subject: String,
    headers: async_nats::HeaderMap,
    id: String,
    payload: Bytes,
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
