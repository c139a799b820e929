//! The HTTP envelope of a callback: the query string Tencent appends to the app's URL
//! (`SdkAppid`, `CallbackCommand`, `contenttype`, `ClientIP`, `OptPlatform`, and `Sign` with
//! `RequestTime` when callback authentication is on), read without copying, and the checks
//! that join it to the body: the app id, the signature, and the query's command against the
//! body's.

use core::fmt;

use crate::command::{Callback, Command};
use crate::error::Error;
use crate::parse::{parse, parse_as};
#[cfg(feature = "sign")]
use crate::sign::SignError;

/// The query parameters this crate reads, in the spelling Tencent documents.
const PARAMS: [&str; 7] = [
    "SdkAppid",
    "CallbackCommand",
    "contenttype",
    "ClientIP",
    "OptPlatform",
    "Sign",
    "RequestTime",
];

/// The position of parameter `name` in [`PARAMS`]; `SdkAppId`, the spelling of the moderation
/// callback's field table, is `SdkAppid`. (A `match`: lengths first, then one comparison.)
fn param_slot(name: &str) -> Option<usize> {
    let slot = match name {
        "SdkAppid" | "SdkAppId" => 0,
        "CallbackCommand" => 1,
        "contenttype" => 2,
        "ClientIP" => 3,
        "OptPlatform" => 4,
        "Sign" => 5,
        "RequestTime" => 6,
        _ => return None,
    };
    debug_assert!(PARAMS[slot] == name || name == "SdkAppId");
    Some(slot)
}

/// A query parameter's value as it appears in the URL (percent-escapes and `+` left in), with
/// ways to use it decoded without allocating. The escapes were checked when the query was
/// parsed: every `%` is followed by two hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QueryValue<'a> {
    name: &'static str,
    raw: &'a str,
}

impl<'a> QueryValue<'a> {
    /// The value as written in the URL.
    pub const fn raw(&self) -> &'a str {
        self.raw
    }

    /// The parameter's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The value itself when it has no escapes (no `%`, no `+`): the usual case.
    pub fn as_plain(&self) -> Option<&'a str> {
        (!self.raw.bytes().any(|b| b == b'%' || b == b'+')).then_some(self.raw)
    }

    /// The decoded bytes, one at a time (`+` is a space, `%XX` the byte XX).
    pub fn decoded(&self) -> impl Iterator<Item = u8> + 'a {
        let bytes = self.raw.as_bytes();
        let mut i = 0;
        core::iter::from_fn(move || {
            let b = *bytes.get(i)?;
            i += 1;
            Some(match b {
                b'+' => b' ',
                b'%' => {
                    let (hi, lo) = (bytes.get(i).copied(), bytes.get(i + 1).copied());
                    i += 2;
                    // Checked at parse; a broken escape cannot reach here.
                    hex(hi?)? << 4 | hex(lo?)?
                }
                b => b,
            })
        })
    }

    /// Whether the decoded value equals `text`.
    pub fn eq_decoded(&self, text: &str) -> bool {
        self.decoded().eq(text.bytes())
    }

    /// Decodes the value into `buf` and returns it as text.
    pub fn decode_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, QueryError> {
        let mut n = 0;
        for b in self.decoded() {
            let Some(slot) = buf.get_mut(n) else {
                let needed = self.decoded().count();
                return Err(QueryError::TooLong {
                    param: self.name,
                    needed,
                });
            };
            *slot = b;
            n += 1;
        }
        let decoded = buf.get(..n).unwrap_or_default();
        core::str::from_utf8(decoded).map_err(|_| QueryError::NotUtf8 { param: self.name })
    }

    /// The value as a decimal `u64` (digits only, after decoding).
    pub fn to_u64(&self) -> Option<u64> {
        let mut v: u64 = 0;
        let mut any = false;
        for b in self.decoded() {
            if !b.is_ascii_digit() {
                return None;
            }
            v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            any = true;
        }
        any.then_some(v)
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Why a query string was refused, or a value could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QueryError {
    /// A parameter this crate reads was given twice (a second value could mean something else
    /// to another reader).
    Repeated {
        /// The parameter.
        param: &'static str,
        /// Byte offset of the second occurrence in the query string.
        offset: usize,
    },
    /// A `%` not followed by two hex digits.
    BadEscape {
        /// The parameter whose value holds it.
        param: &'static str,
        /// Byte offset of the `%` in the query string.
        offset: usize,
    },
    /// A decoded value did not fit the buffer given for it.
    TooLong {
        /// The parameter.
        param: &'static str,
        /// Decoded length.
        needed: usize,
    },
    /// A decoded value is not UTF-8.
    NotUtf8 {
        /// The parameter.
        param: &'static str,
    },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Repeated { param, offset } => {
                write!(
                    f,
                    "query parameter {param} given twice (again at byte {offset})"
                )
            }
            QueryError::BadEscape { param, offset } => write!(
                f,
                "query parameter {param}: '%' at byte {offset} is not followed by two hex digits"
            ),
            QueryError::TooLong { param, needed } => write!(
                f,
                "query parameter {param}: decoded value of {needed} bytes does not fit"
            ),
            QueryError::NotUtf8 { param } => {
                write!(f, "query parameter {param}: decoded value is not UTF-8")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for QueryError {}

/// The platform that triggered the event (`OptPlatform`). Both of Tencent's spellings of iOS
/// (`IOS` in `State.StateChange`, `iOS` elsewhere) and of macOS (`Mac`, `macOS`) read as one
/// variant; [`Query::opt_platform`]'s raw value keeps the spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OptPlatform<'a> {
    /// `RESTAPI`: the app's backend.
    RestApi,
    /// `Web`.
    Web,
    /// `Android`.
    Android,
    /// `iOS`, or `IOS`.
    Ios,
    /// `Windows`.
    Windows,
    /// `Mac`, or `macOS`.
    Mac,
    /// `iPad`.
    IPad,
    /// `Unknown`: Tencent could not tell.
    Unknown,
    /// Any other value, as written in the URL.
    Other(&'a str),
}

impl<'a> OptPlatform<'a> {
    /// The platform for `text` (exact spelling), or `Other(text)`.
    pub fn new(text: &'a str) -> Self {
        match text {
            "RESTAPI" => OptPlatform::RestApi,
            "Web" => OptPlatform::Web,
            "Android" => OptPlatform::Android,
            "iOS" | "IOS" => OptPlatform::Ios,
            "Windows" => OptPlatform::Windows,
            "Mac" | "macOS" => OptPlatform::Mac,
            "iPad" => OptPlatform::IPad,
            "Unknown" => OptPlatform::Unknown,
            other => OptPlatform::Other(other),
        }
    }
}

/// A callback URL's query string, read in place: each parameter borrows the string.
///
/// Parameters are matched by exact name in any order; unknown ones are ignored; a known one
/// given twice is [`QueryError::Repeated`]. `SdkAppId` (the spelling of the moderation
/// callback's field table) is read as `SdkAppid`, and counts as a repeat of it.
///
/// ```
/// use tim_callback::{Command, envelope::OptPlatform, Query};
///
/// let q = Query::parse(
///     "SdkAppid=888888&CallbackCommand=Group.CallbackAfterNewMemberJoin\
///      &contenttype=json&ClientIP=127.0.0.1&OptPlatform=IOS",
/// )?;
/// assert_eq!(q.app_id(), Some(888888));
/// assert_eq!(q.command(), Some(Command::GroupAfterNewMemberJoin));
/// assert_eq!(q.platform(), Some(OptPlatform::Ios));
/// # Ok::<(), tim_callback::envelope::QueryError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Query<'a> {
    values: [Option<QueryValue<'a>>; 7],
}

impl<'a> Query<'a> {
    /// [`sign::verify`](crate::sign::verify) with this query's `Sign` and `RequestTime`
    /// (percent-escapes decoded): `now` is the caller's clock in Unix seconds, `window` how far
    /// `RequestTime` may be from it.
    #[cfg(feature = "sign")]
    pub fn verify_sign(&self, token: &str, now: u64, window: u64) -> Result<(), SignError> {
        let query = self;
        let sign = query.sign().ok_or(SignError::MissingSign)?;
        let time = query.request_time().ok_or(SignError::MissingRequestTime)?;
        let mut sign_buf = [0u8; 64];
        let sign = sign
            .decode_into(&mut sign_buf)
            .map_err(|_| SignError::MalformedSign)?;
        let mut time_buf = [0u8; 20];
        let time = time
            .decode_into(&mut time_buf)
            .map_err(|_| SignError::MalformedRequestTime)?;
        crate::sign::verify(token, sign, time, now, window)
    }

    /// Reads a query string (without or with its leading `?`; a `#fragment` is cut off).
    pub fn parse(query: &'a str) -> Result<Self, QueryError> {
        let (base, query) = match query.strip_prefix('?') {
            Some(rest) => (1, rest),
            None => (0, query),
        };
        let query = query.split('#').next().unwrap_or_default();
        let mut values = [None; 7];
        let mut at = base;
        for pair in query.split('&') {
            let start = at;
            at += pair.len() + 1;
            let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let Some(slot) = param_slot(name) else {
                continue;
            };
            let param = PARAMS[slot];
            let value_at = start + pair.len() - raw.len();
            let bytes = raw.as_bytes();
            // Most values have no escapes: one search, then nothing to check.
            let escapes = if bytes.contains(&b'%') { bytes } else { &[] };
            for (i, _) in escapes.iter().enumerate().filter(|(_, b)| **b == b'%') {
                let ok = matches!(
                    (
                        bytes.get(i + 1).copied().and_then(hex),
                        bytes.get(i + 2).copied().and_then(hex)
                    ),
                    (Some(_), Some(_))
                );
                if !ok {
                    return Err(QueryError::BadEscape {
                        param,
                        offset: value_at + i,
                    });
                }
            }
            if let Some(value) = values.get_mut(slot) {
                if value.is_some() {
                    return Err(QueryError::Repeated {
                        param,
                        offset: start,
                    });
                }
                *value = Some(QueryValue { name: param, raw });
            }
        }
        Ok(Query { values })
    }

    /// Reads the query of a request target such as `/callback?SdkAppid=…` (everything after
    /// the first `?`; none at all is an empty query).
    pub fn from_target(target: &'a str) -> Result<Self, QueryError> {
        match target.split_once('?') {
            Some((_, query)) => Query::parse(query),
            None => Ok(Query::default()),
        }
    }

    fn get(&self, i: usize) -> Option<QueryValue<'a>> {
        self.values.get(i).copied().flatten()
    }

    /// `SdkAppid` as written.
    pub fn sdk_app_id(&self) -> Option<QueryValue<'a>> {
        self.get(0)
    }

    /// `CallbackCommand` as written.
    pub fn callback_command(&self) -> Option<QueryValue<'a>> {
        self.get(1)
    }

    /// `contenttype` (usually `json`; optional).
    pub fn content_type(&self) -> Option<QueryValue<'a>> {
        self.get(2)
    }

    /// `ClientIP`.
    pub fn client_ip(&self) -> Option<QueryValue<'a>> {
        self.get(3)
    }

    /// `OptPlatform` as written.
    pub fn opt_platform(&self) -> Option<QueryValue<'a>> {
        self.get(4)
    }

    /// `Sign` (with callback authentication on).
    pub fn sign(&self) -> Option<QueryValue<'a>> {
        self.get(5)
    }

    /// `RequestTime` as written (Unix seconds, with callback authentication on).
    pub fn request_time(&self) -> Option<QueryValue<'a>> {
        self.get(6)
    }

    /// `SdkAppid` as a number, when it is one.
    pub fn app_id(&self) -> Option<u64> {
        self.sdk_app_id()?.to_u64()
    }

    /// `CallbackCommand` as a [`Command`]; a known command written with escapes is found
    /// after decoding them, an unknown one is `Unknown` as written.
    pub fn command(&self) -> Option<Command<'a>> {
        let value = self.callback_command()?;
        if let Some(plain) = value.as_plain() {
            return Some(Command::from_name(plain));
        }
        let mut buf = [0u8; 64];
        let known = value
            .decode_into(&mut buf)
            .ok()
            .and_then(|name| Command::from_name(name).known());
        Some(known.unwrap_or(Command::Unknown(value.raw())))
    }

    /// `OptPlatform` as a [`OptPlatform`] (an escaped value is `Other` as written).
    pub fn platform(&self) -> Option<OptPlatform<'a>> {
        self.opt_platform().map(|v| OptPlatform::new(v.raw()))
    }

    /// Parses `body` in place as the query's command ([`parse_as`]), so a body naming another
    /// command is [`ErrorKind::CommandMismatch`](crate::error::ErrorKind::CommandMismatch); without
    /// a command in the query, as the body's own ([`parse`]). The result borrows the body only.
    pub fn parse_body<'b>(&self, body: &'b mut [u8]) -> Result<Callback<'b>, Error> {
        let Some(value) = self.callback_command() else {
            return parse(body);
        };
        if let Some(known) = self.command().and_then(|c| c.known()) {
            return parse_as(known.as_str(), body);
        }
        let mut buf = [0u8; 256];
        match value.decode_into(&mut buf) {
            Ok(name) => parse_as(name, body),
            // Not a name any body could match once decoded: compare as written.
            Err(_) => parse_as(value.raw(), body),
        }
    }
}

/// Why a callback was refused before or while its body was parsed. Each maps to one HTTP
/// status (see the axum integration): `Sign` 401, `AppId` 403, `Query` and `Body` 400.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The query string is malformed.
    Query(QueryError),
    /// `SdkAppid` is missing, or not this app's (`got` is `None` when missing or not a number).
    AppId {
        /// The app id the query named.
        got: Option<u64>,
    },
    /// The signature check failed.
    #[cfg(feature = "sign")]
    Sign(crate::sign::SignError),
    /// The body is malformed, or names another command than the query.
    Body(Error),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Query(e) => e.fmt(f),
            Rejection::AppId { got: Some(id) } => write!(f, "SdkAppid {id} is not this app's"),
            Rejection::AppId { got: None } => f.write_str("SdkAppid is missing or not a number"),
            #[cfg(feature = "sign")]
            Rejection::Sign(e) => e.fmt(f),
            Rejection::Body(e) => e.fmt(f),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Rejection {}

impl From<QueryError> for Rejection {
    fn from(e: QueryError) -> Self {
        Rejection::Query(e)
    }
}

impl From<Error> for Rejection {
    fn from(e: Error) -> Self {
        Rejection::Body(e)
    }
}

/// The checks an app runs on every callback: its own `SdkAppid`, and (feature `sign`, with a
/// token) `Sign` over `RequestTime` within a replay window, before the body is parsed.
///
/// ```
/// use tim_callback::{Callback, Verifier};
///
/// let verifier = Verifier::new(888888);
/// let mut body = br#"{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"@TGS#1"}"#.to_vec();
/// let query = "SdkAppid=888888&CallbackCommand=Group.CallbackAfterGroupFull&contenttype=json";
/// let now = 1_669_872_112; // Unix seconds, from the caller's clock
/// let Callback::GroupAfterGroupFull(event) = verifier.accept(query, now, &mut body)? else {
///     panic!()
/// };
/// assert_eq!(event.group_id, "@TGS#1");
/// assert!(verifier.accept("SdkAppid=1&CallbackCommand=Group.CallbackAfterGroupFull", now, &mut body).is_err());
/// # Ok::<(), tim_callback::envelope::Rejection>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Verifier<'t> {
    app_id: u64,
    #[cfg(feature = "sign")]
    token: Option<&'t str>,
    #[cfg(not(feature = "sign"))]
    token: core::marker::PhantomData<&'t str>,
    window: u64,
}

impl<'t> Verifier<'t> {
    /// Checks for app `app_id`, without a signature.
    pub const fn new(app_id: u64) -> Self {
        Verifier {
            app_id,
            #[cfg(feature = "sign")]
            token: None,
            #[cfg(not(feature = "sign"))]
            token: core::marker::PhantomData,
            #[cfg(feature = "sign")]
            window: crate::sign::DEFAULT_WINDOW,
            #[cfg(not(feature = "sign"))]
            window: 60,
        }
    }

    /// Also verifies `Sign` with the console's callback token: a callback without `Sign` is
    /// then refused.
    #[cfg(feature = "sign")]
    pub const fn token(self, token: &'t str) -> Self {
        Verifier {
            token: Some(token),
            ..self
        }
    }

    /// Accepts `RequestTime` at most `seconds` away from the caller's clock (default 60).
    pub const fn replay_window(self, seconds: u64) -> Self {
        Verifier {
            window: seconds,
            ..self
        }
    }

    /// The app id checked.
    pub const fn app_id(&self) -> u64 {
        self.app_id
    }

    /// Checks the query: the signature first (when a token is set; `now` is the caller's
    /// Unix time in seconds), then the app id.
    pub fn check(&self, query: &Query<'_>, now: u64) -> Result<(), Rejection> {
        #[cfg(feature = "sign")]
        if let Some(token) = self.token {
            query
                .verify_sign(token, now, self.window)
                .map_err(Rejection::Sign)?;
        }
        #[cfg(not(feature = "sign"))]
        let _ = (now, self.window);
        match query.app_id() {
            Some(id) if id == self.app_id => Ok(()),
            got => Err(Rejection::AppId { got }),
        }
    }

    /// Parses the query string, [`check`](Self::check)s it, and parses `body` in place as
    /// the query's command ([`Query::parse_body`]).
    pub fn accept<'b>(
        &self,
        query: &str,
        now: u64,
        body: &'b mut [u8],
    ) -> Result<Callback<'b>, Rejection> {
        let query = Query::parse(query)?;
        self.check(&query, now)?;
        Ok(query.parse_body(body)?)
    }
}
