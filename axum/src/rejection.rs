//! Why a request was refused, as a type with one HTTP status per cause.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tim_callback::{Command, envelope::Rejection};

/// A refused callback. As a response: the status below and a JSON body
/// `{"error": kind, "message": "…"}`, with `offset`, `key` and `index` from the parser when
/// the body was malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimRejection {
    /// Not a POST: 405, with `Allow: POST`.
    MethodNotAllowed,
    /// The query string is malformed: 400.
    Query {
        /// The query's parse error.
        error: tim_callback::envelope::QueryError,
        /// The query's command, when it names a known one.
        command: Option<Command<'static>>,
    },
    /// `Sign` missing, malformed, stale or wrong: 401.
    Unauthorized {
        /// What failed.
        error: tim_callback::sign::SignError,
        /// The query's command, when it names a known one.
        command: Option<Command<'static>>,
    },
    /// `SdkAppid` missing or another app's: 403.
    WrongAppId {
        /// The app id the query named, when it is a number.
        got: Option<u64>,
        /// The query's command, when it names a known one.
        command: Option<Command<'static>>,
    },
    /// The body is longer than the configured limit: 413.
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The query's command, when it names a known one.
        command: Option<Command<'static>>,
    },
    /// The body could not be read (the connection failed while sending it): 400.
    BodyRead {
        /// The query's command, when it names a known one.
        command: Option<Command<'static>>,
    },
    /// The body is malformed, or names another command than the query: 400.
    Body {
        /// The parser's error: offset, key, what was expected.
        error: tim_callback::Error,
        /// The query's command, when it names a known one.
        command: Option<Command<'static>>,
    },
    /// The event could not be taken (the broker's buffer is full, or the broker refuses an
    /// event this large): 503, with `Retry-After: 1`, so that Tencent tries again.
    Unavailable {
        /// The query's command, when it names a known one.
        command: Option<Command<'static>>,
    },
}

impl TimRejection {
    pub(crate) fn from_core(rejection: Rejection, command: Option<Command<'static>>) -> Self {
        match rejection {
            Rejection::Query(error) => TimRejection::Query { error, command },
            Rejection::AppId { got } => TimRejection::WrongAppId { got, command },
            Rejection::Sign(error) => TimRejection::Unauthorized { error, command },
            Rejection::Body(error) => TimRejection::Body { error, command },
            // `Rejection` is non-exhaustive: a future cause is a bad request until mapped.
            _ => TimRejection::BodyRead { command },
        }
    }

    /// The HTTP status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            TimRejection::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            TimRejection::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            TimRejection::WrongAppId { .. } => StatusCode::FORBIDDEN,
            TimRejection::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            TimRejection::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            TimRejection::Query { .. }
            | TimRejection::BodyRead { .. }
            | TimRejection::Body { .. } => StatusCode::BAD_REQUEST,
        }
    }

    /// A short, stable name of the cause: `method`, `query`, `sign`, `app_id`, `too_large`,
    /// `body_read`, `body`, `unavailable` (used as the `error` field and as a metrics label).
    pub fn kind(&self) -> &'static str {
        match self {
            TimRejection::MethodNotAllowed => "method",
            TimRejection::Query { .. } => "query",
            TimRejection::Unauthorized { .. } => "sign",
            TimRejection::WrongAppId { .. } => "app_id",
            TimRejection::PayloadTooLarge { .. } => "too_large",
            TimRejection::BodyRead { .. } => "body_read",
            TimRejection::Body { .. } => "body",
            TimRejection::Unavailable { .. } => "unavailable",
        }
    }

    /// The known command the query string named, if any.
    pub fn command(&self) -> Option<Command<'static>> {
        match *self {
            TimRejection::MethodNotAllowed => None,
            TimRejection::Query { command, .. }
            | TimRejection::Unauthorized { command, .. }
            | TimRejection::WrongAppId { command, .. }
            | TimRejection::PayloadTooLarge { command, .. }
            | TimRejection::BodyRead { command }
            | TimRejection::Unavailable { command }
            | TimRejection::Body { command, .. } => command,
        }
    }

    /// The JSON body of the response.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::json!({ "error": self.kind(), "message": self.to_string() });
        if let TimRejection::Body { error, .. } = self {
            json["offset"] = error.offset().into();
            if let Some(key) = error.key() {
                json["key"] = key.into();
            }
            if let Some(index) = error.index() {
                json["index"] = index.into();
            }
        }
        json.to_string()
    }
}

impl std::fmt::Display for TimRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimRejection::MethodNotAllowed => f.write_str("callbacks are POSTed"),
            TimRejection::Query { error, .. } => write!(f, "query string: {error}"),
            TimRejection::Unauthorized { error, .. } => write!(f, "signature: {error}"),
            TimRejection::WrongAppId { got: Some(id), .. } => {
                write!(f, "SdkAppid {id} is not this app's")
            }
            TimRejection::WrongAppId { got: None, .. } => {
                f.write_str("SdkAppid is missing or not a number")
            }
            TimRejection::PayloadTooLarge { limit, .. } => {
                write!(f, "body is longer than the limit of {limit} bytes")
            }
            TimRejection::BodyRead { .. } => f.write_str("the body could not be read"),
            TimRejection::Body { error, .. } => write!(f, "body: {error}"),
            TimRejection::Unavailable { .. } => {
                f.write_str("the event could not be handed to the broker; try again")
            }
        }
    }
}

impl std::error::Error for TimRejection {}

impl IntoResponse for TimRejection {
    fn into_response(self) -> Response {
        let mut response = (
            self.status(),
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            self.to_json(),
        )
            .into_response();
        if self == TimRejection::MethodNotAllowed {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        if matches!(self, TimRejection::Unavailable { .. }) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
