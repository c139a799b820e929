//! JetStream publishes over the core client, many in flight: each message goes out with a reply
//! subject of its own under one inbox, and its acknowledgement is matched there.
//!
//! async-nats's `send_publish` does the same with a boxed future, a timer and an untagged
//! response parse for every message; at the gateway's rates those were a large part of what
//! publishing cost (`benches/README.md`, the gateway over HTTP). Here one sender task hands
//! the client every message waiting, as one batch, and waits for the batch's acknowledgements
//! before it sends the next; one acker task matches acknowledgements; one interval ends the
//! attempts that waited longer than the attempt timeout.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_nats::header::NATS_MESSAGE_ID;
use async_nats::jetstream::context::PublishErrorKind;
use async_nats::{HeaderMap, StatusCode, Subject, Subscriber};
use bytes::Bytes;
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::sync::{Notify, mpsc, oneshot};

use super::{Nats, envelope_headers};

/// The most messages handed to the client at once.
const MAX_BATCH: usize = 256;
/// The longest the sender waits for a batch's acknowledgements before it sends the next.
const BATCH_WAIT: Duration = Duration::from_millis(5);

/// One message for the stream, with what makes its headers: kept whole until the broker
/// acknowledged it, so that a failed attempt hands it back to be tried again.
pub(crate) struct Message {
    pub(crate) subject: Subject,
    pub(crate) query: String,
    pub(crate) command: Cow<'static, str>,
    /// `Nats-Msg-Id`: the stream stores one message per id within its dedupe window.
    pub(crate) id: String,
    pub(crate) payload: Bytes,
}

impl Message {
    /// The headers it is published with: the envelope and `Nats-Msg-Id`.
    fn headers(&self) -> HeaderMap {
        let mut headers = envelope_headers(&self.query, &self.command);
        headers.insert(NATS_MESSAGE_ID, self.id.as_str());
        headers
    }
}

/// What became of one attempt: `Ok(duplicate)` once the stream acknowledged the message (a
/// duplicate of one it stored within its dedupe window, or not), or why not, with the message
/// handed back.
pub(crate) type Attempt = Result<bool, (PublishErrorKind, Message)>;

/// A message for the sender task, and where its attempt's outcome goes.
pub(crate) struct Job {
    message: Message,
    outcome: oneshot::Sender<Attempt>,
}

/// The attempts in flight, by the number in their reply subject.
pub(crate) struct Pipeline {
    /// `<inbox>.`: a reply subject is this and the attempt's number.
    inbox: String,
    attempt_timeout: Duration,
    table: Mutex<Table>,
    /// The attempt whose settling (and every earlier one's) the sender waits for, or
    /// `u64::MAX`.
    awaited: AtomicU64,
    /// Told when the attempt awaited is settled.
    settled: Notify,
}

/// Attempts in the order sent: `slots[i]` is attempt `first + i`, `None` once settled. One
/// sender numbers them, so the oldest unsettled attempt is always at the front.
#[derive(Default)]
struct Table {
    first: u64,
    slots: VecDeque<Option<Waiting>>,
}

struct Waiting {
    sent: Instant,
    message: Message,
    outcome: oneshot::Sender<Attempt>,
}

impl Table {
    fn push(&mut self, waiting: Waiting) -> u64 {
        self.slots.push_back(Some(waiting));
        self.first + self.slots.len() as u64 - 1
    }

    fn take(&mut self, number: u64) -> Option<Waiting> {
        let index = usize::try_from(number.checked_sub(self.first)?).ok()?;
        let waiting = self.slots.get_mut(index)?.take();
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.first += 1;
        }
        waiting
    }

    /// Takes every attempt sent before `sent_before`.
    fn expire(&mut self, sent_before: Instant, expired: &mut Vec<Waiting>) {
        while let Some(front) = self.slots.front() {
            if matches!(front, Some(waiting) if waiting.sent >= sent_before) {
                break;
            }
            if let Some(Some(waiting)) = self.slots.pop_front() {
                expired.push(waiting);
            }
            self.first += 1;
        }
    }
}

/// A JetStream publish acknowledgement, or the error the stream answered instead.
#[derive(Deserialize)]
struct Ack<'a> {
    #[serde(default)]
    duplicate: bool,
    #[serde(default, borrow)]
    error: Option<AckError<'a>>,
}

#[derive(Deserialize)]
struct AckError<'a> {
    #[serde(default)]
    code: u16,
    #[serde(default)]
    err_code: u32,
    #[serde(default, borrow)]
    description: Cow<'a, str>,
}

impl Pipeline {
    pub(crate) fn new(inbox: String, attempt_timeout: Duration) -> Self {
        Pipeline {
            inbox: inbox + ".",
            attempt_timeout,
            table: Mutex::new(Table::default()),
            awaited: AtomicU64::new(u64::MAX),
            settled: Notify::new(),
        }
    }

    /// The subject the acknowledgements arrive on.
    pub(crate) fn acks_subject(&self) -> String {
        format!("{}*", self.inbox)
    }

    /// Tells the sender when the attempt it waits for is settled, with every earlier one.
    fn tell_sender(&self, table: &Table) {
        if table.first > self.awaited.load(Ordering::Acquire) {
            self.settled.notify_one();
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Table> {
        // A panic while the lock was held leaves the table as it was between two operations.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Nats {
    /// Hands one message to the sender task; the receiver gets the attempt's outcome (an
    /// error `TimedOut` after the attempt timeout without an acknowledgement).
    pub(crate) fn attempt(&self, message: Message) -> oneshot::Receiver<Attempt> {
        let (outcome, receiver) = oneshot::channel();
        if let Err(mpsc::error::SendError(job)) = self.0.sender.send(Job { message, outcome }) {
            // No sender task: the runtime is shutting down.
            let _ = job
                .outcome
                .send(Err((PublishErrorKind::BrokenPipe, job.message)));
        }
        receiver
    }

    /// The sender task: takes what is queued and hands it all to the client, so that it leaves
    /// in one write; then waits (up to `BATCH_WAIT`) for the broker to acknowledge it before
    /// taking the next batch. Each write then carries what arrived during the last round trip:
    /// batches grow with the load, and the broker and the gateway make fewer writes and
    /// wake-ups per message.
    pub(crate) async fn send_queued(self, mut jobs: mpsc::UnboundedReceiver<Job>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        loop {
            if jobs.recv_many(&mut batch, MAX_BATCH).await == 0 {
                return;
            }
            // Other requests run and queue theirs while this task waits its turn again.
            tokio::task::yield_now().await;
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let mut last = None;
            for job in batch.drain(..) {
                last = self.send(job).await.or(last);
            }
            if let Some(last) = last {
                self.await_settled(last).await;
            }
        }
    }

    /// Waits until attempt `number` and every earlier one are settled, or `BATCH_WAIT`.
    async fn await_settled(&self, number: u64) {
        let pipeline = &self.0.pipeline;
        pipeline.awaited.store(number, Ordering::Release);
        let until = tokio::time::Instant::now() + BATCH_WAIT;
        while pipeline.table().first <= number {
            // A settling between the check and this wait leaves a permit: no wake-up is lost.
            if tokio::time::timeout_at(until, pipeline.settled.notified())
                .await
                .is_err()
            {
                break;
            }
        }
        pipeline.awaited.store(u64::MAX, Ordering::Release);
    }

    /// Sends one attempt; its number when it is in flight.
    async fn send(&self, job: Job) -> Option<u64> {
        let Job { message, outcome } = job;
        if self.stream_ready().await.is_err() {
            let _ = outcome.send(Err((PublishErrorKind::StreamNotFound, message)));
            return None;
        }
        let pipeline = &self.0.pipeline;
        let (subject, headers, payload) = (
            message.subject.clone(),
            message.headers(),
            message.payload.clone(),
        );
        // In the table before it is sent: its acknowledgement may come before this goes on.
        let number = pipeline.table().push(Waiting {
            sent: Instant::now(),
            message,
            outcome,
        });
        let reply = Subject::from(format!("{}{number}", pipeline.inbox));
        let sent = tokio::time::timeout(
            pipeline.attempt_timeout,
            self.0
                .client
                .publish_with_reply_and_headers(subject, reply, headers, payload),
        )
        .await;
        let failed = match sent {
            Ok(Ok(())) => return Some(number),
            Ok(Err(e)) if e.kind() == async_nats::client::PublishErrorKind::MaxPayloadExceeded => {
                PublishErrorKind::MaxPayloadExceeded
            }
            Ok(Err(_)) => PublishErrorKind::BrokenPipe,
            Err(_) => PublishErrorKind::TimedOut,
        };
        if let Some(waiting) = pipeline.table().take(number) {
            let _ = waiting.outcome.send(Err((failed, waiting.message)));
        }
        None
    }

    /// The acker task: settles each attempt when its acknowledgement arrives, and ends those
    /// that waited longer than the attempt timeout.
    pub(crate) async fn receive_acks(self, acks: Subscriber) {
        // Once the client is closed no acknowledgement comes, but attempts still time out.
        let mut acks = Some(acks);
        let pipeline = &self.0.pipeline;
        let mut tick =
            tokio::time::interval((pipeline.attempt_timeout / 4).max(Duration::from_millis(5)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut expired = Vec::new();
        loop {
            tokio::select! {
                biased;
                ack = async { acks.as_mut()?.next().await }, if acks.is_some() => match ack {
                    Some(ack) => self.settle_attempt(&ack),
                    None => acks = None,
                },
                _ = tick.tick() => {
                    let now = Instant::now();
                    if let Some(sent_before) = now.checked_sub(pipeline.attempt_timeout) {
                        let mut table = pipeline.table();
                        table.expire(sent_before, &mut expired);
                        pipeline.tell_sender(&table);
                    }
                    for waiting in expired.drain(..) {
                        let _ = waiting
                            .outcome
                            .send(Err((PublishErrorKind::TimedOut, waiting.message)));
                    }
                }
            }
        }
    }

    fn settle_attempt(&self, ack: &async_nats::Message) {
        let pipeline = &self.0.pipeline;
        let Some(number) = ack
            .subject
            .as_str()
            .strip_prefix(pipeline.inbox.as_str())
            .and_then(|n| n.parse::<u64>().ok())
        else {
            return;
        };
        // Gone when the attempt timed out first: the message was tried again, and the stream
        // keeps one copy by its id.
        let waiting = {
            let mut table = pipeline.table();
            let waiting = table.take(number);
            pipeline.tell_sender(&table);
            waiting
        };
        let Some(waiting) = waiting else {
            return;
        };
        let outcome = match ack.status {
            Some(StatusCode::NO_RESPONDERS) => Err(PublishErrorKind::StreamNotFound),
            Some(status) if status != StatusCode::OK => Err(PublishErrorKind::Other),
            _ => match serde_json::from_slice::<Ack<'_>>(&ack.payload) {
                Ok(Ack {
                    error: None,
                    duplicate,
                }) => Ok(duplicate),
                Ok(Ack {
                    error: Some(error), ..
                }) => {
                    tracing::debug!(
                        code = error.code,
                        err_code = error.err_code,
                        description = %error.description,
                        "nats: the stream refused a message"
                    );
                    Err(PublishErrorKind::Other)
                }
                Err(e) => {
                    tracing::debug!(error = %e, "nats: an acknowledgement that does not parse");
                    Err(PublishErrorKind::Other)
                }
            },
        };
        let _ = waiting
            .outcome
            .send(outcome.map_err(|kind| (kind, waiting.message)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nats::{COMMAND_HEADER, QUERY_HEADER};

    fn message(n: u8) -> Message {
        Message {
            subject: Subject::from("s"),
            query: String::new(),
            command: Cow::Borrowed(""),
            id: n.to_string(),
            payload: Bytes::new(),
        }
    }

    fn waiting(n: u8, sent: Instant) -> (Waiting, oneshot::Receiver<Attempt>) {
        let (outcome, receiver) = oneshot::channel();
        (
            Waiting {
                sent,
                message: message(n),
                outcome,
            },
            receiver,
        )
    }

    #[test]
    fn the_table_settles_out_of_order_and_expires_only_the_oldest() {
        let start = Instant::now();
        let mut table = Table::default();
        let mut receivers = Vec::new();
        for n in 0..4u8 {
            let (w, r) = waiting(n, start + Duration::from_millis(u64::from(n) * 10));
            assert_eq!(table.push(w), u64::from(n));
            receivers.push(r);
        }
        // The third settles first: the front stays until the first two are settled.
        assert_eq!(table.take(2).map(|w| w.message.id), Some("2".into()));
        assert_eq!(table.take(2).map(|w| w.message.id), None);
        assert_eq!((table.first, table.slots.len()), (0, 4));
        assert_eq!(table.take(0).map(|w| w.message.id), Some("0".into()));
        assert_eq!((table.first, table.slots.len()), (1, 3));
        // Sent before 25 ms: attempt 1 (10 ms); 2 is settled and skipped, 3 (30 ms) stays.
        let mut expired = Vec::new();
        table.expire(start + Duration::from_millis(25), &mut expired);
        let ids: Vec<_> = expired.iter().map(|w| w.message.id.clone()).collect();
        assert_eq!(ids, ["1"]);
        assert_eq!((table.first, table.slots.len()), (3, 1));
        // Numbers below the front or past the end are no attempt.
        assert!(table.take(1).is_none());
        assert!(table.take(9).is_none());
        assert_eq!(table.take(3).map(|w| w.message.id), Some("3".into()));
        assert_eq!((table.first, table.slots.len()), (4, 0));
        assert_eq!(table.push(waiting(4, start).0), 4);
    }

    #[test]
    fn acknowledgements_parse_as_jetstream_sends_them() {
        let ack: Ack<'_> = serde_json::from_slice(br#"{"stream":"TIM","seq":7}"#).unwrap();
        assert!(!ack.duplicate && ack.error.is_none());
        let ack: Ack<'_> =
            serde_json::from_slice(br#"{"stream":"TIM","seq":7,"duplicate":true}"#).unwrap();
        assert!(ack.duplicate && ack.error.is_none());
        let ack: Ack<'_> = serde_json::from_slice(
            br#"{"error":{"code":503,"err_code":10077,"description":"maximum messages exceeded"}}"#,
        )
        .unwrap();
        let error = ack.error.unwrap();
        assert_eq!((error.code, error.err_code), (503, 10077));
        assert_eq!(error.description, "maximum messages exceeded");
    }

    #[test]
    fn headers_carry_the_envelope_and_the_id() {
        let mut m = message(1);
        m.query = "SdkAppid=1&CallbackCommand=State.StateChange".into();
        m.command = Cow::Borrowed("State.StateChange");
        m.id = "abc".into();
        let headers = m.headers();
        assert_eq!(headers.get(QUERY_HEADER).unwrap().as_str(), m.query);
        assert_eq!(
            headers.get(COMMAND_HEADER).unwrap().as_str(),
            "State.StateChange"
        );
        assert_eq!(headers.get(NATS_MESSAGE_ID).unwrap().as_str(), "abc");
        m.query = "a\u{7f}".into();
        assert!(m.headers().get(QUERY_HEADER).is_none());
    }
}
