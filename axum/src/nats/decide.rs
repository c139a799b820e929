//! Before-callbacks decided by workers: a NATS request within a budget, the reply checked by
//! the typed answer API, and allow (fail-open) when no valid reply comes in time.

use std::borrow::Cow;
use std::time::Instant;

use async_nats::RequestErrorKind;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::value::RawValue;
use tim_callback::answer::{ReplyElem, ResultItem};
use tim_callback::{Answer, Callback};

use super::{Nats, NatsError, QUERY_HEADER, envelope_header, envelope_headers};
use crate::extract::TimCallback;
use crate::gateway::Targets;
use crate::response::TimAnswer;

/// Where a before-callback's answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionSource {
    /// A worker's reply, checked.
    Worker,
    /// No worker listens on the subject: fail-open.
    NoResponder,
    /// No reply within the budget: fail-open.
    Timeout,
    /// A reply that is not a valid answer to this command: fail-open.
    Invalid,
    /// The request could not be sent (e.g. the broker is down): fail-open.
    Unreachable,
}

impl DecisionSource {
    /// The metrics label (`worker`, `no_responder`, `timeout`, `invalid`, `unreachable`).
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionSource::Worker => "worker",
            DecisionSource::NoResponder => "no_responder",
            DecisionSource::Timeout => "timeout",
            DecisionSource::Invalid => "invalid",
            DecisionSource::Unreachable => "unreachable",
        }
    }
}

/// A worker's reply: Tencent's answer keys, and nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reply<'a> {
    #[serde(rename = "ActionStatus", borrow)]
    action_status: Cow<'a, str>,
    #[serde(rename = "ErrorCode")]
    error_code: u32,
    #[serde(rename = "ErrorInfo", borrow, default)]
    error_info: Cow<'a, str>,
    #[serde(rename = "MsgBody", borrow, default)]
    msg_body: Option<&'a RawValue>,
    #[serde(rename = "CloudCustomData", borrow, default)]
    cloud_custom_data: Option<Cow<'a, str>>,
    #[serde(rename = "RefusedMembers_Account", borrow, default)]
    refused_members: Option<Vec<Cow<'a, str>>>,
    #[serde(rename = "ResultItem", borrow, default)]
    result_items: Option<Vec<ReplyResultItem<'a>>>,
}

/// One `ResultItem` of a worker's reply: a verdict on one target of a friend request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyResultItem<'a> {
    #[serde(rename = "To_Account", borrow)]
    to_account: Cow<'a, str>,
    #[serde(rename = "ResultCode")]
    result_code: u32,
    #[serde(rename = "ResultInfo", borrow, default)]
    result_info: Cow<'a, str>,
}

impl Nats {
    /// Asks a worker for the answer to a before-callback, on `<prefix>.decide.<command>` with
    /// the body as received and the query in `Tim-Query`. Returns the worker's answer, checked
    /// by the typed answer API, or `None` with the reason when the answer must be the
    /// fail-open default (no worker, no reply within the budget, an invalid reply).
    pub async fn decide(&self, callback: &TimCallback) -> (Option<TimAnswer>, DecisionSource) {
        let start = Instant::now();
        let (answer, source) = self.ask(callback).await;
        self.0.metrics.decision(source.as_str(), start.elapsed());
        (answer, source)
    }

    async fn ask(&self, callback: &TimCallback) -> (Option<TimAnswer>, DecisionSource) {
        let command = callback.command();
        let Some(subject) = self.decide_subject(command) else {
            return (None, DecisionSource::Invalid);
        };
        let headers = envelope_headers(callback.query_string(), command.as_str());
        let request =
            self.0
                .client
                .request_with_headers(subject, headers, callback.original_body().clone());
        let reply = match tokio::time::timeout(self.0.options.decide_budget, request).await {
            Err(_) => return (None, DecisionSource::Timeout),
            Ok(Err(e)) => {
                let source = match e.kind() {
                    RequestErrorKind::NoResponders => DecisionSource::NoResponder,
                    RequestErrorKind::TimedOut => DecisionSource::Timeout,
                    _ => DecisionSource::Unreachable,
                };
                return (None, source);
            }
            Ok(Ok(reply)) => reply,
        };
        match checked(callback, &reply.payload) {
            Ok(answer) => (Some(answer), DecisionSource::Worker),
            Err(why) => {
                tracing::warn!(
                    command = command.as_str(),
                    error = why,
                    "nats: invalid decision, answering allow"
                );
                (None, DecisionSource::Invalid)
            }
        }
    }
}

/// A worker's reply as an answer to `callback`, rebuilt through the typed answer API: an
/// intent or extra this command does not allow, or a `MsgBody` that does not parse as this
/// command's, makes the reply invalid.
pub(crate) fn checked(callback: &TimCallback, reply: &[u8]) -> Result<TimAnswer, String> {
    let reply: Reply<'_> = serde_json::from_slice(reply).map_err(|e| e.to_string())?;
    if reply.action_status != "OK" {
        return Err(format!("ActionStatus {:?}", reply.action_status));
    }
    let answer = intent(callback.answer(), reply.error_code, &reply.error_info)?;
    let answer = match &reply.cloud_custom_data {
        Some(data) => answer.cloud_custom_data(data).map_err(|e| e.to_string())?,
        None => answer,
    };
    // Per-member extras name only accounts of the request: a worker cannot refuse someone who
    // was not invited, nor decide on a friend request that was not made.
    let refused: Vec<&str>;
    let answer = match &reply.refused_members {
        Some(accounts) => {
            refused = accounts.iter().map(|a| a.as_ref()).collect();
            let answer = answer
                .refused_members(&refused)
                .map_err(|e| e.to_string())?;
            let invited = targets(callback);
            if let Some(stranger) = refused.iter().find(|a| !invited.contains(a)) {
                return Err(format!(
                    "RefusedMembers_Account names {stranger:?}, who was not invited"
                ));
            }
            answer
        }
        None => answer,
    };
    let items: Vec<ResultItem<'_>>;
    let answer = match &reply.result_items {
        Some(verdicts) => {
            items = verdicts
                .iter()
                .map(|v| match v.result_code {
                    0 => Ok(ResultItem::allow(&v.to_account)),
                    code => ResultItem::deny(&v.to_account, code, &v.result_info)
                        .map_err(|e| format!("ResultItem: {e}")),
                })
                .collect::<Result<_, _>>()?;
            let answer = answer.result_items(&items).map_err(|e| e.to_string())?;
            let asked = targets(callback);
            if let Some(stranger) = items.iter().find(|i| !asked.contains(&i.to_account())) {
                return Err(format!(
                    "ResultItem names {:?}, who is not a target of the request",
                    stranger.to_account()
                ));
            }
            answer
        }
        None => answer,
    };
    let Some(msg_body) = reply.msg_body else {
        return Ok(answer.into());
    };
    // The elements are parsed by the core as this command's: the callback's own body with
    // its `MsgBody` replaced by the reply's.
    let mut event: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(callback.original_body()).map_err(|e| e.to_string())?;
    let elements: serde_json::Value =
        serde_json::from_str(msg_body.get()).map_err(|e| e.to_string())?;
    event.insert("MsgBody".into(), elements);
    let mut body = serde_json::to_vec(&event).map_err(|e| e.to_string())?;
    let parsed = tim_callback::parse_as(callback.command().as_str(), &mut body)
        .map_err(|e| format!("MsgBody: {e}"))?;
    let list = match parsed {
        Callback::C2cBeforeSendMsg(msg) => msg.msg_body,
        Callback::GroupBeforeSendMsg(msg) => msg.msg_body,
        _ => return Err("MsgBody in an answer to a command without one".into()),
    };
    // Not annotated: the element's lifetime is inferred as the answer's (see the gateway).
    let keep = |elem| Some(ReplyElem::Elem(elem));
    let answer = answer
        .msg_body_mapped(list, &keep)
        .map_err(|e| e.to_string())?;
    Ok(answer.into())
}

/// The accounts a reply's `ResultItem` or `RefusedMembers_Account` may name: those the request
/// does (the typed answer refuses these extras for every other command).
fn targets(callback: &TimCallback) -> Vec<&str> {
    match crate::gateway::targets(callback) {
        Some(Targets::Friends { to, .. }) => to,
        Some(Targets::Invitees(invitees)) => invitees,
        None => Vec::new(),
    }
}

fn intent<'a>(answer: Answer<'a>, code: u32, info: &'a str) -> Result<Answer<'a>, String> {
    let answer = match code {
        0 => Ok(answer),
        1 => answer.reject(),
        2 => answer.drop_silently(),
        code => answer.reject_with(code, info),
    };
    answer.map_err(|e| e.to_string())
}

/// The worker's half: answers every decision request on `<prefix>.decide.>` in the queue
/// group `queue` (workers of one group share the requests) with `decide`'s answer. A request
/// that does not parse as its command is answered with an error object, which the gateway
/// counts as invalid. Runs until the subscription ends.
pub async fn serve_decisions<F>(
    client: async_nats::Client,
    prefix: &str,
    queue: &str,
    decide: F,
) -> Result<(), NatsError>
where
    F: Fn(&TimCallback) -> TimAnswer,
{
    let mut requests = client
        .queue_subscribe(format!("{prefix}.decide.>"), queue.to_string())
        .await
        .map_err(|e| NatsError(e.to_string()))?;
    while let Some(request) = requests.next().await {
        let Some(reply_to) = request.reply.clone() else {
            continue;
        };
        let query = envelope_header(request.headers.as_ref(), QUERY_HEADER);
        let answer = match TimCallback::from_parts(query, request.payload.clone()) {
            Ok(callback) => decide(&callback).into_bytes(),
            Err(rejection) => rejection.to_json().into(),
        };
        client
            .publish(reply_to, answer)
            .await
            .map_err(|e| NatsError(e.to_string()))?;
    }
    Ok(())
}
