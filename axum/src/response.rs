//! Typed answers as HTTP responses.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tim_callback::{Answer, Command};

/// An answer, written: HTTP 200 with the JSON Tencent reads (`ActionStatus`, `ErrorCode`,
/// `ErrorInfo` and the answer's extras). Built from any [`Answer`], so only answers the
/// command allows can be sent.
///
/// ```
/// use tim_callback::Command;
/// use tim_callback_axum::TimAnswer;
///
/// let answer = TimAnswer::from(Command::C2cBeforeSendMsg.answer().reject()?);
/// assert_eq!(answer.body(), r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#);
/// # Ok::<(), tim_callback::answer::AnswerError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimAnswer(Bytes);

impl TimAnswer {
    /// The default answer to `command`: allow (`OK`, 0).
    pub fn allow(command: Command<'_>) -> Self {
        Answer::allow(command).into()
    }

    /// The JSON written.
    pub fn body(&self) -> &str {
        // The answer writer writes UTF-8 only (it writes `str`s); `from_utf8` keeps that a
        // check rather than a promise.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The JSON written, as bytes.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl From<Answer<'_>> for TimAnswer {
    fn from(answer: Answer<'_>) -> Self {
        let mut json = String::with_capacity(answer.len());
        // Writing into a `String` cannot fail.
        let _ = answer.write_to(&mut json);
        TimAnswer(Bytes::from(json))
    }
}

impl From<&Answer<'_>> for TimAnswer {
    fn from(answer: &Answer<'_>) -> Self {
        TimAnswer::from(*answer)
    }
}

impl IntoResponse for TimAnswer {
    fn into_response(self) -> Response {
        (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            self.0,
        )
            .into_response()
    }
}
