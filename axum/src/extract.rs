//! The extractor: Tencent's POST checked, read within the limit, and parsed in place.

use axum::body::Body;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{Method, header};
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use self_cell::{MutBorrow, self_cell};
use tim_callback::{Answer, Callback, Command, Query, envelope::Rejection};

use crate::config::{TimConfig, unix_now};
use crate::rejection::TimRejection;

/// One callback as Tencent sent it: the query envelope and the body, checked and parsed.
///
/// As an extractor it runs, in order: the method (POST, else 405), the query string (400),
/// `Sign` and `RequestTime` when the [`TimConfig`] has a token (401), `SdkAppid` (403), the
/// body's length (`Content-Length` first, then while reading: 413), and the body's parse
/// in place as the query's command (400, with the parser's offset and key). A command this
/// crate does not know is not refused: it arrives as [`Callback::Unknown`].
///
/// The parsed [`Callback`] borrows from a buffer this value owns (the body, unescaped in
/// place), so it is reached through [`callback`](Self::callback); the body as received is
/// kept beside it ([`original_body`](Self::original_body)), e.g. to hand on unchanged.
pub struct TimCallback {
    cell: Cell,
}

struct Owner {
    query: Box<str>,
    original: Bytes,
    buffer: MutBorrow<Vec<u8>>,
}

struct Parsed<'a> {
    query: Query<'a>,
    callback: Callback<'a>,
}

self_cell!(
    struct Cell {
        owner: Owner,
        #[covariant]
        dependent: Parsed,
    }
);

impl TimCallback {
    /// Checks and parses one request (what the extractor does), for code that holds a
    /// [`Request`] itself, e.g. to time the whole of it.
    pub async fn extract(request: Request, config: &TimConfig) -> Result<Self, TimRejection> {
        let (parts, body) = request.into_parts();
        if parts.method != Method::POST {
            return Err(TimRejection::MethodNotAllowed);
        }
        let raw_query = parts.uri.query().unwrap_or("");
        let query = Query::parse(raw_query).map_err(|e| TimRejection::from_core(e.into(), None))?;
        let command = query.command().and_then(|c| c.known());
        config
            .verifier()
            .check(&query, unix_now())
            .map_err(|e| TimRejection::from_core(e, command))?;
        let limit = config.body_limit();
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(TimRejection::PayloadTooLarge { limit, command });
        }
        let original = read_body(body, limit, command).await?;
        Self::parsed(raw_query.into(), original, command)
    }

    /// Parses `body` as the callback of `query` (a query string as Tencent sends it), without
    /// checking `Sign` or `SdkAppid`: for a worker that takes events from a gateway that
    /// checked them (the query travels with the event).
    pub fn from_parts(query: &str, body: Bytes) -> Result<Self, TimRejection> {
        let parsed = Query::parse(query).map_err(|e| TimRejection::from_core(e.into(), None))?;
        let command = parsed.command().and_then(|c| c.known());
        Self::parsed(query.into(), body, command)
    }

    fn parsed(
        query: Box<str>,
        original: Bytes,
        command: Option<Command<'static>>,
    ) -> Result<Self, TimRejection> {
        let owner = Owner {
            query,
            original: original.clone(),
            buffer: MutBorrow::new(Vec::from(original)),
        };
        let cell = Cell::try_new(owner, |owner| {
            // Parsed a second time on the owned copy: a few dozen bytes, already checked.
            let query = Query::parse(&owner.query)
                .map_err(|e| TimRejection::from_core(e.into(), command))?;
            let callback = query
                .parse_body(owner.buffer.borrow_mut())
                .map_err(|e| TimRejection::from_core(Rejection::Body(e), command))?;
            Ok::<_, TimRejection>(Parsed { query, callback })
        })?;
        Ok(TimCallback { cell })
    }

    /// The parsed body.
    pub fn callback(&self) -> &Callback<'_> {
        &self.cell.borrow_dependent().callback
    }

    /// The query string's parameters.
    pub fn query(&self) -> &Query<'_> {
        &self.cell.borrow_dependent().query
    }

    /// The callback's command (the body's, which the query's matched).
    pub fn command(&self) -> Command<'_> {
        self.callback().command()
    }

    /// The default answer to this callback: allow.
    pub fn answer<'x>(&self) -> Answer<'x> {
        self.callback().answer()
    }

    /// The query string as received (empty when there was none).
    pub fn query_string(&self) -> &str {
        &self.cell.borrow_owner().query
    }

    /// The body as received, before the in-place parse rewrote its escapes.
    pub fn original_body(&self) -> &Bytes {
        &self.cell.borrow_owner().original
    }

    /// The body as received, keeping nothing else.
    pub fn into_original_body(self) -> Bytes {
        self.cell.into_owner().original
    }
}

impl std::fmt::Debug for TimCallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimCallback")
            .field("command", &self.command().as_str())
            .field("body_len", &self.original_body().len())
            .finish()
    }
}

async fn read_body(
    body: Body,
    limit: usize,
    command: Option<Command<'static>>,
) -> Result<Bytes, TimRejection> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => {
            Err(TimRejection::PayloadTooLarge { limit, command })
        }
        Err(_) => Err(TimRejection::BodyRead { command }),
    }
}

impl<S> FromRequest<S> for TimCallback
where
    S: Send + Sync,
    TimConfig: FromRef<S>,
{
    type Rejection = TimRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let config = TimConfig::from_ref(state);
        TimCallback::extract(request, &config).await
    }
}
