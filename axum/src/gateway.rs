//! A ready gateway: the extractor, a default decision (allow, or mask listed words), one log
//! line and the counters per callback, `/healthz` and `/metrics`. `tim-callback serve` is this
//! router on a socket.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tim_callback::answer::{MaskedText, ReplyElem, ResultItem};
use tim_callback::{Callback, Command, MsgElem};

/// The `ResultCode` of a friend request denied because an account is blocked (Tencent's deny
/// range is 38000–39000).
pub const BLOCKED_CODE: u32 = 38_000;

use crate::config::TimConfig;
use crate::extract::TimCallback;
use crate::metrics::{Metrics, Outcome};
use crate::rejection::TimRejection;
use crate::response::TimAnswer;

type Hook = dyn Fn(TimCallback) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync;

/// The gateway's configuration and shared state (cheap to clone).
///
/// ```
/// use tim_callback_axum::{Gateway, TimConfig};
///
/// let router: axum::Router = Gateway::new(TimConfig::new(1400000000))
///     .mask_words(["badword"])
///     .router();
/// # drop(router);
/// ```
#[derive(Clone)]
pub struct Gateway {
    config: TimConfig,
    words: Arc<[Box<str>]>,
    blocked: Arc<std::collections::HashSet<Box<str>>>,
    metrics: Metrics,
    after: Option<Arc<Hook>>,
    #[cfg(feature = "nats")]
    nats: Option<crate::nats::Nats>,
}

impl Gateway {
    /// A gateway that allows every callback of the configured app.
    pub fn new(config: TimConfig) -> Self {
        Gateway {
            config,
            words: Arc::from([]),
            blocked: Arc::default(),
            metrics: Metrics::new(),
            after: None,
            #[cfg(feature = "nats")]
            nats: None,
        }
    }

    /// Hands every accepted after-callback to NATS JetStream, answering 200 once the broker
    /// acknowledged it or it waits in the bounded buffer, and 503 when the buffer is full (with
    /// [`NatsOptions::spool`](crate::nats::NatsOptions::spool): once it is synced to the
    /// spool's disk, and 503 when the spool is full or its disk fails);
    /// with [`NatsOptions::decide`](crate::nats::NatsOptions::decide), asks workers for the
    /// answers to before-callbacks. The broker's counters join `/metrics`.
    #[cfg(feature = "nats")]
    pub fn nats(mut self, nats: crate::nats::Nats) -> Self {
        self.metrics.attach(nats.metrics().clone());
        self.nats = Some(nats);
        self
    }

    /// Masks `words` (exact, case-sensitive; empty ones ignored) in the text elements of C2C
    /// and group before-send messages: every character of each occurrence becomes `*`, and the
    /// answer carries the rewritten `MsgBody`. A message without them is allowed as sent.
    pub fn mask_words<W: Into<String>>(mut self, words: impl IntoIterator<Item = W>) -> Self {
        self.words = words
            .into_iter()
            .map(Into::into)
            .filter(|w| !w.is_empty())
            .map(String::into_boxed_str)
            .collect();
        self
    }

    /// Blocks `accounts` (UserIDs; empty ones ignored) in before-callbacks that decide per
    /// account: a friend request (`Sns.CallbackPrevFriendAdd`, `Sns.CallbackPrevFriendResponse`)
    /// from or to a blocked account is denied for that target (`ResultItem`, code
    /// [`BLOCKED_CODE`]), and blocked invitees of `Group.CallbackBeforeInviteJoinGroup` are
    /// refused (`RefusedMembers_Account`) while the others join.
    pub fn block_accounts<A: Into<String>>(
        mut self,
        accounts: impl IntoIterator<Item = A>,
    ) -> Self {
        self.blocked = Arc::new(
            accounts
                .into_iter()
                .map(Into::into)
                .filter(|a| !a.is_empty())
                .map(String::into_boxed_str)
                .collect(),
        );
        self
    }

    /// Runs `process` on a task of its own for every accepted after-callback, once its answer
    /// is written: Tencent waits at most 2 s for an answer, and an after-callback's answer
    /// does not depend on what is done with the event.
    pub fn on_after_callback<F, Fut>(mut self, process: F) -> Self
    where
        F: Fn(TimCallback) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.after = Some(Arc::new(move |cb| Box::pin(process(cb))));
        self
    }

    /// The counters.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The configuration.
    pub fn config(&self) -> &TimConfig {
        &self.config
    }

    /// The router: callbacks on any path but `GET /healthz` and `GET /metrics`.
    pub fn router(self) -> Router {
        Router::new()
            .route("/healthz", get(|| async { "ok\n" }))
            .route("/metrics", get(metrics))
            .fallback(callback)
            .with_state(self)
    }

    /// The gateway's answer to one accepted callback.
    pub fn decide(&self, cb: &TimCallback) -> (TimAnswer, Outcome) {
        let body = match cb.callback() {
            Callback::C2cBeforeSendMsg(msg) => Some(msg.msg_body),
            Callback::GroupBeforeSendMsg(msg) => Some(msg.msg_body),
            _ => None,
        };
        if let Some(body) = body
            && !self.words.is_empty()
        {
            let words: Vec<&str> = self.words.iter().map(|w| &**w).collect();
            let words = &words[..];
            let listed = body.iter().any(|elem| match elem {
                MsgElem::Text(text) => MaskedText::new(text.text, words).changes(),
                _ => false,
            });
            // Not annotated: the element's lifetime is inferred as the answer's, which is
            // invariant, so the closure and the data it maps share one lifetime.
            let mask = move |elem| match elem {
                MsgElem::Text(text) => Some(ReplyElem::masked(text.text, words)),
                other => Some(ReplyElem::Elem(other)),
            };
            if listed && let Ok(answer) = cb.answer().msg_body_mapped(body, &mask) {
                return (answer.into(), Outcome::Masked);
            }
        }
        if !self.blocked.is_empty()
            && let Some(answer) = self.blocking(cb)
        {
            return (answer, Outcome::Decided);
        }
        (cb.answer().into(), Outcome::Allowed)
    }

    /// The answer that denies or refuses the blocked accounts a callback names, if it names any.
    fn blocking(&self, cb: &TimCallback) -> Option<TimAnswer> {
        let blocked = |account: &str| self.blocked.contains(account);
        match targets(cb)? {
            Targets::Friends { from, to } => {
                let from_blocked = blocked(from);
                let items: Vec<ResultItem<'_>> = to
                    .into_iter()
                    .map(|to| {
                        if from_blocked || blocked(to) {
                            ResultItem::deny(to, BLOCKED_CODE, "blocked")
                                .expect("BLOCKED_CODE is in the deny range")
                        } else {
                            ResultItem::allow(to)
                        }
                    })
                    .collect();
                let denies = items.iter().any(|i| i.result_code() != 0);
                let answer = cb.answer().result_items(&items).ok()?;
                denies.then(|| TimAnswer::from(answer))
            }
            Targets::Invitees(invitees) => {
                let refused: Vec<&str> = invitees.into_iter().filter(|a| blocked(a)).collect();
                if refused.is_empty() {
                    return None;
                }
                let answer = cb.answer().refused_members(&refused).ok()?;
                Some(answer.into())
            }
        }
    }
}

/// The metrics label of a command: its name when known, else `unknown`.
fn label(command: Option<Command<'static>>) -> &'static str {
    command.map_or("unknown", |c| c.as_str())
}

async fn callback(State(gateway): State<Gateway>, request: Request) -> Response {
    let start = Instant::now();
    match TimCallback::extract(request, &gateway.config).await {
        Ok(cb) => {
            let command = cb.command().known();
            let before = command.is_some_and(|c| c.is_before());
            #[cfg(feature = "nats")]
            let (answer, outcome) = match &gateway.nats {
                Some(nats) if before && nats.decides() => {
                    decide_by_worker(&gateway, nats, &cb).await
                }
                Some(nats) if !before => match nats.publish(&cb).await {
                    Ok(_) => gateway.decide(&cb),
                    Err(_) => {
                        let rejection = TimRejection::Unavailable { command };
                        return refused(&gateway, rejection, start);
                    }
                },
                _ => gateway.decide(&cb),
            };
            #[cfg(not(feature = "nats"))]
            let (answer, outcome) = gateway.decide(&cb);
            let latency = start.elapsed();
            gateway.metrics.callback(label(command), outcome, latency);
            tracing::info!(
                command = cb.command().as_str(),
                outcome = outcome.as_str(),
                status = 200,
                latency_us = latency.as_micros() as u64,
                "callback"
            );
            if let Some(after) = &gateway.after
                && command.is_some()
                && !before
            {
                tokio::spawn(after(cb));
            }
            answer.into_response()
        }
        Err(rejection) => refused(&gateway, rejection, start),
    }
}

fn refused(gateway: &Gateway, rejection: TimRejection, start: Instant) -> Response {
    let latency = start.elapsed();
    gateway.metrics.error(rejection.kind());
    gateway
        .metrics
        .callback(label(rejection.command()), Outcome::Refused, latency);
    tracing::warn!(
        command = label(rejection.command()),
        outcome = "refused",
        status = rejection.status().as_u16(),
        latency_us = latency.as_micros() as u64,
        error = %rejection,
        "callback"
    );
    rejection.into_response()
}

/// A worker's answer, or the gateway's own (fail-open) when none comes in time.
#[cfg(feature = "nats")]
async fn decide_by_worker(
    gateway: &Gateway,
    nats: &crate::nats::Nats,
    cb: &TimCallback,
) -> (TimAnswer, Outcome) {
    match nats.decide(cb).await {
        (Some(answer), _) => (answer, Outcome::Decided),
        (None, source) => {
            tracing::warn!(
                command = cb.command().as_str(),
                reason = source.as_str(),
                "nats: no decision from a worker, answering with the gateway's own (fail-open)"
            );
            gateway.decide(cb)
        }
    }
}

async fn metrics(State(gateway): State<Gateway>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        gateway.metrics.render(),
    )
        .into_response()
}

/// The accounts a before-callback's answer may single out, by the extra that does it.
pub(crate) enum Targets<'a> {
    /// A friend request's requester and its targets, each answered by a `ResultItem`.
    Friends { from: &'a str, to: Vec<&'a str> },
    /// A group invitation's invitees, which `RefusedMembers_Account` may refuse.
    Invitees(Vec<&'a str>),
}

/// What `cb`'s answer may single out; `None` for a command whose answer names no account.
pub(crate) fn targets(cb: &TimCallback) -> Option<Targets<'_>> {
    match cb.callback() {
        Callback::SnsPrevFriendAdd(e) => Some(Targets::Friends {
            from: e.from_account,
            to: e.friend_item.iter().map(|f| f.to_account).collect(),
        }),
        Callback::SnsPrevFriendResponse(e) => Some(Targets::Friends {
            from: e.from_account,
            to: e
                .response_friend_item
                .iter()
                .map(|f| f.to_account)
                .collect(),
        }),
        Callback::GroupBeforeInviteJoinGroup(e) => Some(Targets::Invitees(
            e.destination_members
                .iter()
                .map(|m| m.member_account)
                .collect(),
        )),
        _ => None,
    }
}
