//! JetStream publishes over the core client, many in flight: each message goes out with a reply
//! subject of its own under one inbox, and its acknowledgement is matched there.
//!
//! async-nats's `send_publish` does the same with a boxed future, a timer and an untagged
//! response parse for every message; at the gateway's rates those were a large part of what
//! publishing cost (`benches/README.md`, the gateway over HTTP). Here one sender task hands
//! the client every message waiting, as one batch, and waits for the batch's acknowledgements
//! before it sends the next; one acker task matches acknowledgements; one interval ends the
//! attempts that waited longer than the attempt timeout, and tells each caller whose answer
//! is due that its attempt goes on without it: no request needs a timer of its own.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::task::Poll;
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
/// The acker's tick: a caller is told its attempt goes on at most about this long after its
/// answer was due.
const TICK: Duration = Duration::from_millis(10);

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

/// What became of one attempt.
pub(crate) enum Attempt {
    /// The stream acknowledged the message: stored, or a duplicate of one stored within its
    /// dedupe window.
    Acknowledged { duplicate: bool },
    /// Why not, with the message handed back.
    Failed(PublishErrorKind, Message),
    /// The caller's answer was due first: the attempt goes on without it, and what becomes
    /// of it is settled by [`Nats::settle_first`].
    Late,
}

/// When a caller must have its answer, and when it started (for the acknowledgement's
/// latency, should the attempt go on without it).
#[derive(Clone, Copy)]
pub(crate) struct AnswerBy {
    pub(crate) start: Instant,
    pub(crate) deadline: Instant,
}

/// A message for the sender task: its attempt is in the table already.
pub(crate) struct Job {
    number: u64,
    message: Message,
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

/// Attempts in the order queued: `slots[i]` is attempt `first + i`, `None` once settled.
/// They are numbered and queued for the sender under one lock, so the sender sends them in
/// order and the oldest unsettled attempt is always at the front.
#[derive(Default)]
struct Table {
    first: u64,
    slots: VecDeque<Option<Waiting>>,
    /// The callers' deadlines, in the order queued, with their attempts' numbers.
    answers: VecDeque<(AnswerBy, u64)>,
}

struct Waiting {
    /// `None` while the message is with the sender.
    sent: Option<Sent>,
    to: Receiver,
}

/// An attempt handed to the client: when, and its message, kept to be handed back.
struct Sent {
    at: Instant,
    message: Message,
}

/// Who is told what becomes of an attempt.
enum Receiver {
    /// The caller, waiting.
    Caller(oneshot::Sender<Attempt>),
    /// Nobody waits any more (the caller's answer was due): settled by the acker.
    Followed { start: Instant },
}

impl Table {
    fn push(&mut self, waiting: Waiting) -> u64 {
        self.slots.push_back(Some(waiting));
        self.first + self.slots.len() as u64 - 1
    }

    fn get_mut(&mut self, number: u64) -> Option<&mut Waiting> {
        let index = usize::try_from(number.checked_sub(self.first)?).ok()?;
        self.slots.get_mut(index)?.as_mut()
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

    /// Takes every attempt sent before `sent_before`, from the front, up to the first one not
    /// sent yet.
    fn expire(&mut self, sent_before: Instant, expired: &mut Vec<Waiting>) {
        while let Some(front) = self.slots.front() {
            if let Some(waiting) = front
                && waiting
                    .sent
                    .as_ref()
                    .is_none_or(|sent| sent.at >= sent_before)
            {
                break;
            }
            if let Some(Some(waiting)) = self.slots.pop_front() {
                expired.push(waiting);
            }
            self.first += 1;
        }
    }

    /// Hands over the callers whose answer is due at `now`: their attempts go on, followed.
    fn answer_due(&mut self, now: Instant, due: &mut Vec<oneshot::Sender<Attempt>>) {
        while let Some(&(answer, number)) = self.answers.front() {
            // Settled already: nobody to tell.
            if number >= self.first && answer.deadline > now {
                break;
            }
            self.answers.pop_front();
            if let Some(waiting) = self.get_mut(number) {
                let followed = Receiver::Followed {
                    start: answer.start,
                };
                if let Receiver::Caller(caller) = std::mem::replace(&mut waiting.to, followed) {
                    due.push(caller);
                }
            }
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
    /// Queues one message for the sender task; the receiver gets the attempt's outcome: an
    /// acknowledgement, a failure (`TimedOut` after the attempt timeout without an
    /// acknowledgement), or, at `answer.deadline` if neither came, [`Attempt::Late`].
    pub(crate) fn attempt(
        &self,
        message: Message,
        answer: Option<AnswerBy>,
    ) -> oneshot::Receiver<Attempt> {
        let (caller, receiver) = oneshot::channel();
        let pipeline = &self.0.pipeline;
        let mut table = pipeline.table();
        let number = table.push(Waiting {
            sent: None,
            to: Receiver::Caller(caller),
        });
        if let Some(answer) = answer {
            table.answers.push_back((answer, number));
        }
        if let Err(mpsc::error::SendError(job)) = self.0.sender.send(Job { number, message }) {
            // No sender task: the runtime is shutting down.
            if let Some(waiting) = table.take(number) {
                drop(table);
                self.finish(
                    waiting,
                    Attempt::Failed(PublishErrorKind::BrokenPipe, job.message),
                );
            }
        }
        receiver
    }

    /// Tells an attempt's caller what became of it, or settles it when nobody waits.
    fn finish(&self, waiting: Waiting, outcome: Attempt) {
        match waiting.to {
            Receiver::Caller(caller) => {
                let _ = caller.send(outcome);
            }
            Receiver::Followed { start } => {
                self.settle_first(outcome, start);
            }
        }
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
        let Job { number, message } = job;
        let pipeline = &self.0.pipeline;
        if self.stream_ready().await.is_err() {
            let waiting = pipeline.table().take(number);
            if let Some(waiting) = waiting {
                self.finish(
                    waiting,
                    Attempt::Failed(PublishErrorKind::StreamNotFound, message),
                );
            }
            return None;
        }
        let (subject, headers, payload) = (
            message.subject.clone(),
            message.headers(),
            message.payload.clone(),
        );
        // Only the acker takes an attempt, and only once it was sent: it is still here.
        if let Some(waiting) = pipeline.table().get_mut(number) {
            waiting.sent = Some(Sent {
                at: Instant::now(),
                message,
            });
        }
        let reply = Subject::from(reply_subject(&pipeline.inbox, number));
        let publish = self
            .0
            .client
            .publish_with_reply_and_headers(subject, reply, headers, payload);
        let mut publish = std::pin::pin!(publish);
        // The client takes it at once unless its queue is full (the broker away): only then is
        // the wait bounded by a timer.
        let sent = match std::future::poll_fn(|cx| Poll::Ready(publish.as_mut().poll(cx))).await {
            Poll::Ready(sent) => Ok(sent),
            Poll::Pending => tokio::time::timeout(pipeline.attempt_timeout, publish).await,
        };
        let failed = match sent {
            Ok(Ok(())) => return Some(number),
            Ok(Err(e)) if e.kind() == async_nats::client::PublishErrorKind::MaxPayloadExceeded => {
                PublishErrorKind::MaxPayloadExceeded
            }
            Ok(Err(_)) => PublishErrorKind::BrokenPipe,
            Err(_) => PublishErrorKind::TimedOut,
        };
        let waiting = pipeline.table().take(number);
        if let Some(mut waiting) = waiting
            && let Some(sent) = waiting.sent.take()
        {
            self.finish(waiting, Attempt::Failed(failed, sent.message));
        }
        None
    }

    /// The acker task: settles each attempt when its acknowledgement arrives, ends those
    /// that waited longer than the attempt timeout, and tells each caller whose answer is due.
    pub(crate) async fn receive_acks(self, acks: Subscriber) {
        // Once the client is closed no acknowledgement comes, but attempts still time out.
        let mut acks = Some(acks);
        let pipeline = &self.0.pipeline;
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let (mut expired, mut due) = (Vec::new(), Vec::new());
        loop {
            tokio::select! {
                biased;
                ack = async { acks.as_mut()?.next().await }, if acks.is_some() => match ack {
                    Some(ack) => self.settle_attempt(&ack),
                    None => acks = None,
                },
                _ = tick.tick() => {
                    let now = Instant::now();
                    {
                        let mut table = pipeline.table();
                        table.answer_due(now, &mut due);
                        if let Some(sent_before) = now.checked_sub(pipeline.attempt_timeout) {
                            table.expire(sent_before, &mut expired);
                        }
                        pipeline.tell_sender(&table);
                    }
                    for caller in due.drain(..) {
                        let _ = caller.send(Attempt::Late);
                    }
                    for mut waiting in expired.drain(..) {
                        // Only attempts sent expire.
                        if let Some(sent) = waiting.sent.take() {
                            self.finish(
                                waiting,
                                Attempt::Failed(PublishErrorKind::TimedOut, sent.message),
                            );
                        }
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
        let Some(mut waiting) = waiting else {
            return;
        };
        let failed = match ack.status {
            Some(StatusCode::NO_RESPONDERS) => PublishErrorKind::StreamNotFound,
            Some(status) if status != StatusCode::OK => PublishErrorKind::Other,
            _ => match serde_json::from_slice::<Ack<'_>>(&ack.payload) {
                Ok(Ack {
                    error: None,
                    duplicate,
                }) => {
                    self.finish(waiting, Attempt::Acknowledged { duplicate });
                    return;
                }
                Ok(Ack {
                    error: Some(error), ..
                }) => {
                    tracing::debug!(
                        code = error.code,
                        err_code = error.err_code,
                        description = %error.description,
                        "nats: the stream refused a message"
                    );
                    PublishErrorKind::Other
                }
                Err(e) => {
                    tracing::debug!(error = %e, "nats: an acknowledgement that does not parse");
                    PublishErrorKind::Other
                }
            },
        };
        if let Some(sent) = waiting.sent.take() {
            self.finish(waiting, Attempt::Failed(failed, sent.message));
        }
    }
}

/// `<inbox>.<number>`, in one allocation.
fn reply_subject(inbox: &str, number: u64) -> String {
    use std::fmt::Write;
    let mut reply = String::with_capacity(inbox.len() + 20);
    reply.push_str(inbox);
    let _ = write!(reply, "{number}");
    reply
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

    /// Attempt `n`, sent at `at` (with the sender when `None`).
    fn waiting(n: u8, at: Option<Instant>) -> (Waiting, oneshot::Receiver<Attempt>) {
        let (caller, receiver) = oneshot::channel();
        let sent = at.map(|at| Sent {
            at,
            message: message(n),
        });
        let to = Receiver::Caller(caller);
        (Waiting { sent, to }, receiver)
    }

    fn id(waiting: Option<Waiting>) -> Option<String> {
        waiting.and_then(|w| w.sent).map(|s| s.message.id)
    }

    #[test]
    fn the_table_settles_out_of_order_and_expires_only_the_oldest() {
        let start = Instant::now();
        let mut table = Table::default();
        let mut receivers = Vec::new();
        for n in 0..4u8 {
            let sent = start + Duration::from_millis(u64::from(n) * 10);
            let (w, r) = waiting(n, Some(sent));
            assert_eq!(table.push(w), u64::from(n));
            receivers.push(r);
        }
        // The third settles first: the front stays until the first two are settled.
        assert_eq!(id(table.take(2)), Some("2".into()));
        assert_eq!(id(table.take(2)), None);
        assert_eq!((table.first, table.slots.len()), (0, 4));
        assert_eq!(id(table.take(0)), Some("0".into()));
        assert_eq!((table.first, table.slots.len()), (1, 3));
        // Sent before 25 ms: attempt 1 (10 ms); 2 is settled and skipped, 3 (30 ms) stays.
        let mut expired = Vec::new();
        table.expire(start + Duration::from_millis(25), &mut expired);
        let ids: Vec<_> = expired.into_iter().map(|w| id(Some(w)).unwrap()).collect();
        assert_eq!(ids, ["1"]);
        assert_eq!((table.first, table.slots.len()), (3, 1));
        // Numbers below the front or past the end are no attempt.
        assert!(table.take(1).is_none());
        assert!(table.take(9).is_none());
        assert_eq!(id(table.take(3)), Some("3".into()));
        assert_eq!((table.first, table.slots.len()), (4, 0));
        assert_eq!(table.push(waiting(4, Some(start)).0), 4);
    }

    #[test]
    fn an_attempt_not_sent_yet_does_not_expire_nor_do_those_after_it() {
        let start = Instant::now();
        let mut table = Table::default();
        table.push(waiting(0, None).0);
        table.push(waiting(1, Some(start)).0);
        let mut expired = Vec::new();
        table.expire(start + Duration::from_secs(60), &mut expired);
        assert!(expired.is_empty());
        assert_eq!((table.first, table.slots.len()), (0, 2));
        // Once sent long ago, both go.
        table.get_mut(0).unwrap().sent = waiting(0, Some(start)).0.sent;
        table.expire(start + Duration::from_secs(60), &mut expired);
        assert_eq!(expired.len(), 2);
    }

    #[test]
    fn a_caller_is_told_when_its_answer_is_due_and_the_attempt_goes_on() {
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let mut table = Table::default();
        let mut receivers = Vec::new();
        for n in 0..3u8 {
            let answer = AnswerBy {
                start,
                deadline: at(100 * (u64::from(n) + 1)),
            };
            let (w, r) = waiting(n, Some(start));
            let number = table.push(w);
            table.answers.push_back((answer, number));
            receivers.push(r);
        }
        // An attempt without a deadline is never told.
        table.push(waiting(3, Some(start)).0);
        // The first is acknowledged in time: at 150 ms its deadline passed, but nobody waits.
        assert!(table.take(0).is_some());
        let mut due = Vec::new();
        table.answer_due(at(150), &mut due);
        assert!(due.is_empty());
        assert_eq!(
            table.answers.len(),
            2,
            "the settled attempt's deadline is dropped"
        );
        // At 250 ms the second is due: its caller is handed over, its attempt stays, followed.
        table.answer_due(at(250), &mut due);
        assert_eq!(due.len(), 1);
        let followed = table.get_mut(1).unwrap();
        assert!(matches!(followed.to, Receiver::Followed { start: s } if s == start));
        assert_eq!(followed.sent.as_ref().unwrap().message.id, "1");
        // Much later, only the third; the fourth has no deadline.
        table.answer_due(at(10_000), &mut due);
        assert_eq!(due.len(), 2);
        assert!(table.answers.is_empty());
        assert!(matches!(table.get_mut(3).unwrap().to, Receiver::Caller(_)));
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
