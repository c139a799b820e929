//! Answers: the JSON the app sends back to Tencent, typed, checked against the rules of the
//! command it answers, and written without allocating.
//!
//! An answer starts from the event (or its [`Command`]) as the default — allow, `OK`/0/`""` —
//! and each intent is a method that checks the command's rules: a code outside the command's
//! custom range, or an intent the command does not support (dropping a friend request,
//! replacing the body of a group join), is an [`AnswerError`] when the answer is built.

mod elem;
pub(crate) mod rules;

use core::fmt::{self, Write};

pub use elem::{MaskedText, NewImage, ReplyElem, ResultItem};
use rules::Rules;

use crate::command::{Callback, Command};
pub use crate::emit::BufferTooSmall;
use crate::emit::{self, Emit};
use crate::msg::MsgElem;
use crate::read::List;

impl Command<'_> {
    /// The default answer to this command (allow, also for `Unknown`), to refine with the
    /// intents the command supports.
    pub fn answer<'x>(&self) -> Answer<'x> {
        Answer::allow(*self)
    }
}

impl Callback<'_> {
    /// The default answer to this callback (allow, also for `Unknown`), to refine with the
    /// intents its command supports.
    pub fn answer<'x>(&self) -> Answer<'x> {
        Answer::allow(self.command())
    }
}

/// `answer()` on every event type.
macro_rules! event_answers {
    ($( $event:ident ),*) => {
        $(
            impl crate::events::$event<'_> {
                /// The default answer to this event (allow), to refine with the intents its
                /// command supports.
                pub fn answer<'x>(&self) -> Answer<'x> {
                    Answer::allow(Command::$event)
                }
            }
        )*
    };
}
crate::command::for_each_event!(event_answers);

/// `ActionStatus`: whether the app handled the callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionStatus {
    /// `"OK"`: handled (allowing and rejecting alike, as Tencent's examples answer).
    Ok,
    /// `"FAIL"`: the app failed to handle it.
    Fail,
}

impl ActionStatus {
    /// `"OK"` or `"FAIL"`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            ActionStatus::Ok => "OK",
            ActionStatus::Fail => "FAIL",
        }
    }
}

/// What an answer says, named in [`AnswerError`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Intent {
    /// Reject (`ErrorCode` 1).
    Reject,
    /// Reject with a custom code passed on to the client.
    RejectWithCode,
    /// Drop silently (`ErrorCode` 2).
    DropSilently,
    /// Answer `FAIL`.
    Fail,
    /// Replace `MsgBody`.
    ReplaceMsgBody,
    /// Replace `CloudCustomData`.
    ReplaceCloudCustomData,
    /// Refuse some invited members (`RefusedMembers_Account`).
    RefuseMembers,
    /// Decide per friend request target (`ResultItem`).
    ResultItems,
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Intent::Reject => "rejecting (ErrorCode 1)",
            Intent::RejectWithCode => "rejecting with a custom code",
            Intent::DropSilently => "dropping silently (ErrorCode 2)",
            Intent::Fail => "answering FAIL",
            Intent::ReplaceMsgBody => "replacing MsgBody",
            Intent::ReplaceCloudCustomData => "replacing CloudCustomData",
            Intent::RefuseMembers => "refusing members (RefusedMembers_Account)",
            Intent::ResultItems => "deciding per target (ResultItem)",
        })
    }
}

/// Why an answer could not be built as asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AnswerError {
    /// The command's answer cannot say this (`command` is `None` for a command this crate
    /// does not model, whose answer is only the default).
    Unsupported {
        /// What was asked.
        intent: Intent,
        /// The command answered.
        command: Option<Command<'static>>,
    },
    /// A custom code outside the command's documented range.
    CodeOutOfRange {
        /// The code given.
        code: u32,
        /// The range's lowest code.
        min: u32,
        /// The range's highest code.
        max: u32,
    },
    /// Replacements and per-member extras take effect only with `ErrorCode` 0 (allow):
    /// `intent` met an answer that is not an allow, or the other way round.
    NeedsAllow {
        /// The extra involved.
        intent: Intent,
    },
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerError::Unsupported { intent, command } => {
                let name = command.map_or("a command this crate does not model", |c| c.as_str());
                write!(f, "the answer to {name} does not support {intent}")
            }
            AnswerError::CodeOutOfRange { code, min, max } => {
                write!(
                    f,
                    "code {code} is outside the command's range {min}..={max}"
                )
            }
            AnswerError::NeedsAllow { intent } => {
                write!(
                    f,
                    "{intent} takes effect only in an answer that allows (ErrorCode 0)"
                )
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for AnswerError {}

/// A replacement `MsgBody`: a slice of elements, or the event's own elements mapped one by one
/// as the answer is written (no storage needed).
#[derive(Clone, Copy)]
enum Body<'a> {
    Slice(&'a [ReplyElem<'a>]),
    Mapped(
        List<'a, MsgElem<'a>>,
        &'a dyn Fn(MsgElem<'a>) -> Option<ReplyElem<'a>>,
    ),
}

impl Emit for Body<'_> {
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        match *self {
            Body::Slice(elems) => emit::array(w, elems),
            Body::Mapped(list, f) => emit::array(w, list.iter().filter_map(f)),
        }
    }
}

/// The answer to one callback: `{"ActionStatus":…,"ErrorCode":…,"ErrorInfo":…}` and the
/// command's extras.
///
/// Start from [`Command::answer`], [`Callback::answer`](crate::Callback::answer) or an event's
/// own `answer()` (each the default: allow); every other intent is checked against the rules
/// of that command. Write it with [`write_into`](Self::write_into) (a byte slice),
/// [`write_to`](Self::write_to) (any `fmt::Write`), `Display`, or serde.
///
/// ```
/// use tim_callback::{Command, answer::ReplyElem};
///
/// let answer = Command::C2cBeforeSendMsg.answer().reject_with(120_001, "no links")?;
/// assert_eq!(
///     answer.to_string(),
///     r#"{"ActionStatus":"OK","ErrorCode":120001,"ErrorInfo":"no links"}"#
/// );
///
/// let words = ["darn"];
/// let body = [ReplyElem::masked("darn it", &words)];
/// let mut buf = [0u8; 256];
/// let n = Command::GroupBeforeSendMsg.answer().msg_body(&body)?.write_into(&mut buf)?;
/// assert_eq!(
///     &buf[..n],
///     br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"**** it"}}]}"#
/// );
///
/// // A friend request cannot be dropped, and C2C codes are 120001–130000:
/// assert!(Command::SnsPrevFriendAdd.answer().drop_silently().is_err());
/// assert!(Command::C2cBeforeSendMsg.answer().reject_with(10_100, "").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Answer<'a> {
    command: Option<Command<'static>>,
    rules: Rules,
    status: ActionStatus,
    code: u32,
    info: &'a str,
    msg_body: Option<Body<'a>>,
    cloud_custom_data: Option<&'a str>,
    refused_members: Option<&'a [&'a str]>,
    result_items: Option<&'a [ResultItem<'a>]>,
}

impl<'a> Answer<'a> {
    /// The default answer to `command`: allow (`OK`, 0, `""`), also for unknown commands.
    pub fn allow(command: Command<'_>) -> Self {
        let known = command.known();
        Answer {
            command: known,
            rules: known.map_or(rules::UNKNOWN, |c| rules::of(c.kind())),
            status: ActionStatus::Ok,
            code: 0,
            info: "",
            msg_body: None,
            cloud_custom_data: None,
            refused_members: None,
            result_items: None,
        }
    }

    /// Rejects (`ErrorCode` 1).
    pub fn reject(self) -> Result<Self, AnswerError> {
        self.decide(self.rules.reject, Intent::Reject, ActionStatus::Ok, 1, "")
    }

    /// Rejects with `code` from the command's custom range, passing `code` and `info` on to
    /// the client (C2C sends 120001–130000, group callbacks 10100–10200).
    pub fn reject_with(self, code: u32, info: &'a str) -> Result<Self, AnswerError> {
        let intent = Intent::RejectWithCode;
        let Some((min, max)) = self.rules.codes else {
            return Err(self.unsupported(intent));
        };
        if code < min || code > max {
            return Err(AnswerError::CodeOutOfRange { code, min, max });
        }
        self.decide(true, intent, ActionStatus::Ok, code, info)
    }

    /// Drops the message silently (`ErrorCode` 2): the sender is told it was sent.
    pub fn drop_silently(self) -> Result<Self, AnswerError> {
        self.decide(
            self.rules.drop,
            Intent::DropSilently,
            ActionStatus::Ok,
            2,
            "",
        )
    }

    /// Answers `FAIL` (`ErrorCode` 1) with `info`: only where that cannot stop the event —
    /// after-callbacks, whose answer Tencent ignores, and friend requests, where a failure
    /// lets the request through.
    pub fn fail(self, info: &'a str) -> Result<Self, AnswerError> {
        self.decide(self.rules.fail, Intent::Fail, ActionStatus::Fail, 1, info)
    }

    /// Sends `elems` in place of the message's body (before-send callbacks).
    pub fn msg_body(mut self, elems: &'a [ReplyElem<'a>]) -> Result<Self, AnswerError> {
        self.extra(self.rules.replace_msg, Intent::ReplaceMsgBody)?;
        self.msg_body = Some(Body::Slice(elems));
        Ok(self)
    }

    /// Sends the event's own elements in place of the message's body, each passed through
    /// `map` as the answer is written: `Some` keeps what it returns (the element, an edited
    /// copy, a masked text), `None` drops the element. Needs no storage for the elements.
    pub fn msg_body_mapped(
        mut self,
        elems: List<'a, MsgElem<'a>>,
        map: &'a dyn Fn(MsgElem<'a>) -> Option<ReplyElem<'a>>,
    ) -> Result<Self, AnswerError> {
        self.extra(self.rules.replace_msg, Intent::ReplaceMsgBody)?;
        self.msg_body = Some(Body::Mapped(elems, map));
        Ok(self)
    }

    /// Sends `data` in place of the message's `CloudCustomData` (before-send callbacks).
    pub fn cloud_custom_data(mut self, data: &'a str) -> Result<Self, AnswerError> {
        self.extra(self.rules.replace_msg, Intent::ReplaceCloudCustomData)?;
        self.cloud_custom_data = Some(data);
        Ok(self)
    }

    /// Refuses `accounts` among the invited (`Group.CallbackBeforeInviteJoinGroup`); the
    /// others join.
    pub fn refused_members(mut self, accounts: &'a [&'a str]) -> Result<Self, AnswerError> {
        self.extra(self.rules.refuse_members, Intent::RefuseMembers)?;
        self.refused_members = Some(accounts);
        Ok(self)
    }

    /// Decides per target of a friend request (`Sns.CallbackPrevFriendAdd`,
    /// `Sns.CallbackPrevFriendResponse`).
    pub fn result_items(mut self, items: &'a [ResultItem<'a>]) -> Result<Self, AnswerError> {
        self.extra(self.rules.result_items, Intent::ResultItems)?;
        self.result_items = Some(items);
        Ok(self)
    }

    /// The command answered (`None` for one this crate does not model).
    pub const fn command(&self) -> Option<Command<'static>> {
        self.command
    }

    /// `ActionStatus`.
    pub const fn status(&self) -> ActionStatus {
        self.status
    }

    /// `ErrorCode`.
    pub const fn code(&self) -> u32 {
        self.code
    }

    /// `ErrorInfo`.
    pub const fn info(&self) -> &'a str {
        self.info
    }

    /// Writes the answer as one compact JSON object to `w`.
    pub fn write_to<W: Write>(&self, w: &mut W) -> fmt::Result {
        // Every key given is written, empty strings included (`ErrorInfo` is required).
        w.write_str("{\"ActionStatus\":")?;
        emit::string(w, self.status.as_str())?;
        w.write_str(",\"ErrorCode\":")?;
        emit::unsigned(w, u64::from(self.code))?;
        w.write_str(",\"ErrorInfo\":")?;
        emit::string(w, self.info)?;
        if let Some(body) = self.msg_body {
            w.write_str(",\"MsgBody\":")?;
            body.emit(w)?;
        }
        if let Some(data) = self.cloud_custom_data {
            w.write_str(",\"CloudCustomData\":")?;
            emit::string(w, data)?;
        }
        if let Some(accounts) = self.refused_members {
            w.write_str(",\"RefusedMembers_Account\":")?;
            emit::array(w, accounts)?;
        }
        if let Some(items) = self.result_items {
            w.write_str(",\"ResultItem\":")?;
            emit::array(w, items)?;
        }
        w.write_char('}')
    }

    /// Writes the answer into `buf`, returning its length; when `buf` is too short, the error
    /// says how long it must be (what was written is then meaningless).
    pub fn write_into(&self, buf: &mut [u8]) -> Result<usize, BufferTooSmall> {
        let mut sink = emit::SliceSink::new(buf);
        // The slice sink never fails; only the element `map` closure could stop it early,
        // and it cannot return an error.
        let _ = self.write_to(&mut sink);
        sink.finish()
    }

    /// The length of the written answer in bytes (for `Content-Length`, or to size a buffer).
    pub fn len(&self) -> usize {
        let mut counter = emit::Counter::default();
        let _ = self.write_to(&mut counter);
        counter.0
    }

    /// Always `false`: an answer is at least its three base keys. (Here for `len`'s sake.)
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The answer in a fixed-capacity `heapless::Vec`.
    #[cfg(feature = "heapless")]
    pub fn to_heapless<const N: usize>(&self) -> Result<heapless::Vec<u8, N>, BufferTooSmall> {
        let mut v = heapless::Vec::new();
        // Cannot fail: the length is N.
        let _ = v.resize_default(N);
        let n = self.write_into(&mut v)?;
        v.truncate(n);
        Ok(v)
    }

    fn unsupported(&self, intent: Intent) -> AnswerError {
        AnswerError::Unsupported {
            intent,
            command: self.command,
        }
    }

    fn has_extras(&self) -> bool {
        self.msg_body.is_some()
            || self.cloud_custom_data.is_some()
            || self.refused_members.is_some()
            || self.result_items.is_some()
    }

    /// Sets the base keys for a decision the rules allow (`supported`).
    fn decide(
        mut self,
        supported: bool,
        intent: Intent,
        status: ActionStatus,
        code: u32,
        info: &'a str,
    ) -> Result<Self, AnswerError> {
        if !supported {
            return Err(self.unsupported(intent));
        }
        if self.has_extras() {
            return Err(AnswerError::NeedsAllow { intent });
        }
        self.status = status;
        self.code = code;
        self.info = info;
        Ok(self)
    }

    /// Checks that an extra is supported and the answer allows.
    fn extra(&self, supported: bool, intent: Intent) -> Result<(), AnswerError> {
        if !supported {
            return Err(self.unsupported(intent));
        }
        if self.status != ActionStatus::Ok || self.code != 0 {
            return Err(AnswerError::NeedsAllow { intent });
        }
        Ok(())
    }
}

/// The answer as JSON text.
impl fmt::Display for Answer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

impl fmt::Debug for Answer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("command", &self.command)
            .field("json", &format_args!("{self}"))
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ActionStatus {
    fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        z.serialize_str(self.as_str())
    }
}

/// The same keys and values as [`Answer::write_to`] writes.
#[cfg(feature = "serde")]
impl serde::Serialize for Answer<'_> {
    fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        use serde::ser::SerializeMap;

        /// A replacement body, as a sequence.
        struct Elems<'b>(Body<'b>);
        impl serde::Serialize for Elems<'_> {
            fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                match self.0 {
                    Body::Slice(elems) => z.collect_seq(elems),
                    Body::Mapped(list, f) => z.collect_seq(list.iter().filter_map(f)),
                }
            }
        }

        let mut m = z.serialize_map(None)?;
        m.serialize_entry("ActionStatus", &self.status)?;
        m.serialize_entry("ErrorCode", &self.code)?;
        m.serialize_entry("ErrorInfo", self.info)?;
        if let Some(body) = self.msg_body {
            m.serialize_entry("MsgBody", &Elems(body))?;
        }
        if let Some(data) = self.cloud_custom_data {
            m.serialize_entry("CloudCustomData", data)?;
        }
        if let Some(accounts) = self.refused_members {
            m.serialize_entry("RefusedMembers_Account", accounts)?;
        }
        if let Some(items) = self.result_items {
            m.serialize_entry("ResultItem", items)?;
        }
        m.end()
    }
}
