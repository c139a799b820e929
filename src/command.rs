//! The command word, the typed callback it selects, and the dispatch that joins the JSON reader
//! to the event types.

use core::fmt;

use crate::answer::Answer;
use crate::answer::rules::{self, Rules};
use crate::decode::Decode;
use crate::error::{Error, ErrorKind};
use crate::events::*;
use crate::json::{self, FoundFrom, MAX_DEPTH, Walk};
use crate::reader::MutReader;

/// Compile-time string equality, so each command word is written once per table and checked
/// against its event's `COMMAND`.
// Used only in `const` assertions, which rustc before 1.89 does not count as a use.
#[allow(dead_code)]
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Longest command word the length index takes (longer ones are never known).
const MAX_NAME: usize = 64;

/// The command words grouped by length, so a lookup compares only words of the right length
/// (58 words, most 25–40 bytes long: a plain scan compared lengths 58 times per body).
struct ByLength<const N: usize> {
    /// Indices into the name table, ordered by length.
    order: [u8; N],
    /// `order[start[len]..start[len + 1]]` are the words of length `len`.
    start: [u8; MAX_NAME + 2],
}

impl<const N: usize> ByLength<N> {
    const fn new(names: &[&str]) -> Self {
        assert!(N <= u8::MAX as usize && names.len() == N);
        let mut start = [0u8; MAX_NAME + 2];
        let mut order = [0u8; N];
        let mut at = 0;
        let mut len = 0;
        while len <= MAX_NAME {
            start[len] = at as u8;
            let mut i = 0;
            while i < N {
                if names[i].len() == len {
                    order[at] = i as u8;
                    at += 1;
                }
                i += 1;
            }
            len += 1;
        }
        start[MAX_NAME + 1] = at as u8;
        assert!(at == N, "a command word is longer than MAX_NAME");
        ByLength { order, start }
    }

    #[inline]
    fn find(&self, names: &[&str], text: &[u8]) -> Option<usize> {
        let len = text.len();
        let from = usize::from(*self.start.get(len)?);
        let to = usize::from(*self.start.get(len + 1)?);
        self.order
            .get(from..to)?
            .iter()
            .map(|&i| usize::from(i))
            .find(|&i| {
                names
                    .get(i)
                    .is_some_and(|n| json::same_bytes(n.as_bytes(), text))
            })
    }
}

macro_rules! commands {
    ($( $variant:ident = $name:literal => $rules:ident ),* $(,)?) => {
        $( const _: () = assert!(same($name, $variant::COMMAND)); )*

        /// A callback command word (`CallbackCommand`).
        ///
        /// A known command holds no borrow: [`known`](Self::known) gives it as
        /// `Command<'static>`, to keep while the body it came from is parsed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Command<'a> {
            $( #[doc = concat!("`", $name, "`")] $variant, )*
            /// A command this crate does not model, as sent.
            Unknown(&'a str),
        }

        impl<'a> Command<'a> {
            /// Every command this crate decodes into a typed event.
            pub const KNOWN: &'static [Command<'static>] = &[ $( Command::$variant, )* ];

            /// The command for `name` (exact spelling), or `Unknown(name)`.
            pub fn from_name(name: &'a str) -> Self {
                match Command::known_name(name.as_bytes()) {
                    Some(known) => known,
                    None => Command::Unknown(name),
                }
            }

            /// The known command spelled `name` exactly.
            fn known_name(name: &[u8]) -> Option<Command<'static>> {
                const NAMES: &[&str] = &[ $( $name, )* ];
                const INDEX: ByLength<{ NAMES.len() }> = ByLength::new(NAMES);
                INDEX.find(NAMES, name).and_then(|i| Command::KNOWN.get(i)).copied()
            }

            /// This command without its borrow, when it is a known one (`None` for
            /// `Unknown`).
            pub const fn known(&self) -> Option<Command<'static>> {
                match self {
                    $( Command::$variant => Some(Command::$variant), )*
                    Command::Unknown(_) => None,
                }
            }

            /// The command word, e.g. `C2C.CallbackBeforeSendMsg`.
            pub const fn as_str(&self) -> &'a str {
                match self {
                    $( Command::$variant => $name, )*
                    Command::Unknown(name) => name,
                }
            }

            /// What this command's answer may say.
            pub(crate) const fn rules(&self) -> Rules {
                match self {
                    $( Command::$variant => rules::$rules, )*
                    Command::Unknown(_) => rules::UNKNOWN,
                }
            }
        }

        $(
            impl $variant<'_> {
                /// The default answer to this event (allow), to refine with the intents its
                /// command supports.
                pub fn answer<'x>(&self) -> Answer<'x> {
                    Answer::allow(Command::$variant)
                }
            }
        )*

        /// A parsed callback: one variant per known command, holding that command's event.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum Callback<'a> {
            $( #[doc = concat!("`", $name, "`")] $variant($variant<'a>), )*
            /// A command this crate does not model. The body was validated as a JSON object;
            /// answer it as you see fit (Tencent lets before-callbacks through on `OK`/0).
            Unknown {
                /// The body's own `CallbackCommand` as sent (with any JSON escapes left in);
                /// empty when the body has none and the command came from the caller
                /// ([`parse_as`]), who holds it.
                command: &'a str,
                /// The whole body, unchanged.
                body: &'a str,
            },
        }

        impl<'a> Callback<'a> {
            /// The command this callback answers to.
            pub fn command(&self) -> Command<'a> {
                match self {
                    $( Callback::$variant(_) => Command::$variant, )*
                    Callback::Unknown { command, .. } => Command::Unknown(command),
                }
            }

            /// The default answer to this callback (allow, also for `Unknown`), to refine with
            /// the intents its command supports.
            pub fn answer<'x>(&self) -> Answer<'x> {
                Answer::allow(self.command())
            }
        }

        /// Decodes a body whose command is known (`MissingCommand` for `Command::Unknown`, which
        /// callers never pass).
        fn decode_known<'a>(
            command: Command<'_>,
            r: &mut MutReader<'a>,
        ) -> Result<Callback<'a>, Error> {
            match command {
                $( Command::$variant => <$variant<'a>>::decode(r).map(Callback::$variant), )*
                Command::Unknown(_) => Err(Error::new(ErrorKind::MissingCommand, 0)),
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for Callback<'_> {
            fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                match self {
                    $( Callback::$variant(event) => event.serialize(z), )*
                    Callback::Unknown { body, .. } => crate::value::RawJson::new(body).serialize(z),
                }
            }
        }
    };
}

commands! {
    StateChange = "State.StateChange" => AFTER,
    SnsPrevFriendAdd = "Sns.CallbackPrevFriendAdd" => FRIEND_PREV,
    SnsPrevFriendResponse = "Sns.CallbackPrevFriendResponse" => FRIEND_PREV,
    SnsFriendAdd = "Sns.CallbackFriendAdd" => AFTER,
    SnsFriendDelete = "Sns.CallbackFriendDelete" => AFTER,
    SnsBlackListAdd = "Sns.CallbackBlackListAdd" => AFTER,
    SnsBlackListDelete = "Sns.CallbackBlackListDelete" => AFTER,
    C2cBeforeSendMsg = "C2C.CallbackBeforeSendMsg" => C2C_SEND,
    C2cAfterSendMsg = "C2C.CallbackAfterSendMsg" => AFTER,
    C2cAfterMsgReport = "C2C.CallbackAfterMsgReport" => AFTER,
    C2cAfterMsgWithDraw = "C2C.CallbackAfterMsgWithDraw" => AFTER,
    GroupBeforeCreateGroup = "Group.CallbackBeforeCreateGroup" => GROUP_BEFORE,
    GroupAfterCreateGroup = "Group.CallbackAfterCreateGroup" => AFTER,
    GroupBeforeApplyJoinGroup = "Group.CallbackBeforeApplyJoinGroup" => GROUP_BEFORE,
    GroupBeforeInviteJoinGroup = "Group.CallbackBeforeInviteJoinGroup" => GROUP_INVITE,
    GroupAfterNewMemberJoin = "Group.CallbackAfterNewMemberJoin" => AFTER,
    GroupAfterMemberExit = "Group.CallbackAfterMemberExit" => AFTER,
    GroupBeforeSendMsg = "Group.CallbackBeforeSendMsg" => GROUP_SEND,
    GroupAfterSendMsg = "Group.CallbackAfterSendMsg" => AFTER,
    GroupAfterGroupFull = "Group.CallbackAfterGroupFull" => AFTER,
    GroupAfterGroupDestroyed = "Group.CallbackAfterGroupDestroyed" => AFTER,
    GroupAfterGroupInfoChanged = "Group.CallbackAfterGroupInfoChanged" => AFTER,
    AlertRequestOverLimit = "Alert.RequestOverLimit" => AFTER,
    GroupOnDailyGroupQuotaAlarm = "Group.CallbackOnDailyGroupQuotaAlarm" => AFTER,
    ProfilePortraitSet = "Profile.CallbackPortraitSet" => AFTER,
    FollowAfterFollowAdd = "Follow.CallbackAfterFollowAdd" => AFTER,
    FollowAfterFollowDelete = "Follow.CallbackAfterFollowDelete" => AFTER,
    C2cAfterModifyMsg = "C2C.CallbackAfterModifyMsg" => AFTER,
    C2cAfterC2cMsgExtension = "C2C.CallbackAfterC2CMsgExtension" => AFTER,
    BotOnC2cMessage = "Bot.OnC2CMessage" => AFTER,
    BotOnGroupMessage = "Bot.OnGroupMessage" => AFTER,
    ChatbotOnC2cSignalMessage = "Chatbot.OnC2CSignalMessage" => AFTER,
    GroupOnMemberStateChange = "Group.CallbackOnMemberStateChange" => AFTER,
    GroupSendMsgException = "Group.CallbackSendMsgException" => FIXED,
    GroupBeforeCreateTopic = "Group.CallbackBeforeCreateTopic" => GROUP_BEFORE,
    GroupAfterCreateTopic = "Group.CallbackAfterCreateTopic" => AFTER,
    GroupAfterTopicDestroyed = "Group.CallbackAfterTopicDestroyed" => AFTER,
    GroupAfterTopicInfoChanged = "Group.CallbackAfterTopicInfoChanged" => AFTER,
    GroupAfterRecallMsg = "Group.CallbackAfterRecallMsg" => AFTER,
    GroupAfterMemberFieldChanged = "Group.CallbackAfterMemberFieldChanged" => AFTER,
    GroupAfterGroupAttrChanged = "Group.CallbackAfterGroupAttrChanged" => AFTER,
    GroupAfterReadReceipt = "Group.CallbackAfterReadReceipt" => AFTER,
    GroupAfterChangeGroupOwner = "Group.CallbackAfterChangeGroupOwner" => AFTER,
    GroupAfterGroupMsgExtension = "Group.CallbackAfterGroupMsgExtension" => AFTER,
    ContentResultNotify = "ContentCallback.ResultNotify" => AFTER,
    OfficialAccountBeforeCreateOfficialAccount =
        "OfficialAccount.CallbackBeforeCreateOfficialAccount" => OFFICIAL_BEFORE,
    OfficialAccountAfterCreateOfficialAccount =
        "OfficialAccount.CallbackAfterCreateOfficialAccount" => AFTER,
    OfficialAccountAfterOfficialAccountInfoChanged =
        "OfficialAccount.CallbackAfterOfficialAccountInfoChanged" => AFTER,
    OfficialAccountAfterOfficialAccountDestroyed =
        "OfficialAccount.CallbackAfterOfficialAccountDestroyed" => AFTER,
    OfficialAccountBeforeAddSubscriber =
        "OfficialAccount.CallbackBeforeAddSubscriber" => OFFICIAL_BEFORE,
    OfficialAccountAfterAddSubscriber = "OfficialAccount.CallbackAfterAddSubscriber" => AFTER,
    OfficialAccountAfterOfficialAccountFull =
        "OfficialAccount.CallbackAfterOfficialAccountFull" => AFTER,
    OfficialAccountAfterDeleteSubscriber =
        "OfficialAccount.CallbackAfterDeleteSubscriber" => AFTER,
    OfficialAccountBeforeSendMsg = "OfficialAccount.CallbackBeforeSendMsg" => OFFICIAL_BEFORE,
    OfficialAccountAfterSendMsg = "OfficialAccount.CallbackAfterSendMsg" => AFTER,
    OfficialAccountAfterMsgWithDraw = "OfficialAccount.CallbackAfterMsgWithDraw" => AFTER,
    PushOfflinePush = "Push.OfflinePush" => AFTER,
    PushAllMemberPush = "Push.AllMemberPush" => AFTER,
}

impl<'a> Command<'a> {
    /// The default answer to this command (allow, also for `Unknown`), to refine with the
    /// intents the command supports.
    pub fn answer<'x>(&self) -> Answer<'x> {
        Answer::allow(*self)
    }

    /// Whether this is a before-callback: one whose answer can stop the event (reject it, or
    /// deny a friend request's targets). `false` for after-callbacks, whose answers Tencent
    /// ignores, and for unknown commands.
    pub const fn is_before(&self) -> bool {
        let rules = self.rules();
        rules.reject || rules.result_items
    }

    /// Whether this is one of [`Command::KNOWN`].
    pub const fn is_known(&self) -> bool {
        !matches!(self, Command::Unknown(_))
    }

    /// The command for raw JSON string content, decoding its escapes if it has any.
    fn from_raw(raw: &'a str, escaped: bool) -> Self {
        if escaped {
            Command::from_escaped(raw)
        } else {
            Command::from_name(raw)
        }
    }

    /// The command for raw (still escaped) JSON string content.
    fn from_escaped(raw: &'a str) -> Self {
        // Known command words are short ASCII: decode once, then look up.
        let mut buf = [0u8; 64];
        json::unescape_into(raw.as_bytes(), &mut buf)
            .and_then(|text| core::str::from_utf8(text).ok())
            .and_then(|text| Command::from_name(text).known())
            .unwrap_or(Command::Unknown(raw))
    }
}

impl<'a> From<&'a str> for Command<'a> {
    fn from(name: &'a str) -> Self {
        Command::from_name(name)
    }
}

impl fmt::Display for Command<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Command<'_> {
    fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        z.serialize_str(self.as_str())
    }
}

/// The command of the usual body, read at a glance: `CallbackCommand` its first member (compact
/// or pretty-printed), and its value a known command word. Up to the first `"` after the
/// value's opening quote, the bytes must spell a known word; those are plain ASCII without a
/// backslash, so that quote closes the string and the string needs no check of its own.
#[inline]
fn known_command_first(body: &[u8]) -> Option<Command<'static>> {
    const COMPACT: &[u8] = b"{\"CallbackCommand\":\"";
    if json::same_bytes(body.get(..COMPACT.len())?, COMPACT) {
        return known_word_at(body, COMPACT.len());
    }
    pretty_command_first(body)
}

/// The known command word from `start` up to the next `"`, if there is that quote.
#[inline]
fn known_word_at(body: &[u8], start: usize) -> Option<Command<'static>> {
    let end = json::find_byte(body, start, b'"');
    Command::known_name(body.get(start..end).filter(|_| end < body.len())?)
}

/// [`known_command_first`] with whitespace around the tokens.
#[inline(never)]
fn pretty_command_first(body: &[u8]) -> Option<Command<'static>> {
    const KEY: &[u8] = b"\"CallbackCommand\"";
    let open = json::skip_ws(body, 0);
    if body.get(open) != Some(&b'{') {
        return None;
    }
    let key = json::skip_ws(body, open + 1);
    if !json::same_bytes(body.get(key..key + KEY.len())?, KEY) {
        return None;
    }
    let colon = json::skip_ws(body, key + KEY.len());
    if body.get(colon) != Some(&b':') {
        return None;
    }
    let value = json::skip_ws(body, colon + 1);
    if body.get(value) != Some(&b'"') {
        return None;
    }
    known_word_at(body, value + 1)
}

/// Reads the top-level `CallbackCommand` of `body` without decoding the rest.
///
/// Only a member of the top-level object counts: a `CallbackCommand` inside a string, inside
/// `MsgBody` or inside any inner object is never taken. Members before it are skipped and
/// validated; bytes after it are not read, so `Ok` here does not mean the body is valid —
/// [`parse`](crate::parse) checks everything. A command written with JSON escapes is matched
/// after decoding them; an unknown one comes back as sent, escapes included.
pub fn sniff(body: &[u8]) -> Result<Command<'_>, Error> {
    let (found, end) = json::find_key(body, 0, 0, "CallbackCommand", Walk::First, false)?;
    let Some(f) = found else {
        return Err(Error::new(ErrorKind::MissingCommand, end));
    };
    // `find_key` validated the string, so it is UTF-8.
    let raw = core::str::from_utf8(body.get(f.start..f.end).unwrap_or_default())
        .map_err(|_| Error::new(ErrorKind::InvalidUtf8, f.start))?;
    Ok(Command::from_raw(raw, f.escaped))
}

/// Parses a callback body in place, choosing the event type from its top-level
/// `CallbackCommand`.
///
/// Escaped strings are unescaped inside `body`, and the keys of list elements are rewritten
/// for their lazy re-reads, so afterwards `body` holds rewritten bytes (it is no longer the
/// JSON that was received). Every field at every depth is validated before
/// this returns `Ok`.
#[inline]
pub fn parse(body: &mut [u8]) -> Result<Callback<'_>, Error> {
    Parser::new().parse(body)
}

/// Parses a callback body in place as `command` (from the query string's `CallbackCommand`).
///
/// Works for bodies without a `CallbackCommand` (`ContentCallback.ResultNotify`, `Push.*`).
/// When the body names a command too and it differs, the result is
/// [`ErrorKind::CommandMismatch`]. The result borrows only the body, not `command`; for a
/// command this crate does not model, [`Callback::Unknown`]'s `command` is then the body's own
/// (empty when it has none).
#[inline]
pub fn parse_as<'b>(command: &str, body: &'b mut [u8]) -> Result<Callback<'b>, Error> {
    Parser::new().parse_as(command, body)
}

/// [`parse`] and [`parse_as`] with limits of your choosing: for now the nesting depth, which
/// bounds the stack that typed decoding needs (relayed messages nest, and each level is a
/// recursion). The default is [`MAX_DEPTH`], serde_json's limit; a lower one makes a smaller
/// stack enough (the README gives the stack needed per level).
///
/// ```
/// let mut body = br#"{"CallbackCommand":"State.StateChange","Info":{"To_Account":"a","Action":"Login"}}"#.to_vec();
/// let parser = tim_callback::Parser::new().max_depth(8);
/// assert!(parser.parse(&mut body).is_ok());
///
/// let mut deep = br#"{"CallbackCommand":"State.StateChange","x":[[[[[[[[[]]]]]]]]]}"#.to_vec();
/// let e = parser.parse(&mut deep).unwrap_err();
/// assert_eq!(e.kind(), tim_callback::ErrorKind::TooDeep);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Parser {
    max_depth: u32,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new()
    }
}

impl Parser {
    /// The defaults: nesting up to [`MAX_DEPTH`].
    pub const fn new() -> Self {
        Parser {
            max_depth: MAX_DEPTH,
        }
    }

    /// At most `max_depth` nested objects and arrays, counted from the top-level object
    /// (depth 1), as [`MAX_DEPTH`] is; deeper is [`ErrorKind::TooDeep`]. Clamped to
    /// `1..=MAX_DEPTH`: the limit can only be lowered.
    #[must_use]
    pub const fn max_depth(self, max_depth: u32) -> Self {
        let max_depth = if max_depth == 0 {
            1
        } else if max_depth > MAX_DEPTH {
            MAX_DEPTH
        } else {
            max_depth
        };
        Parser { max_depth }
    }

    /// The nesting limit in force.
    pub const fn depth_limit(&self) -> u32 {
        self.max_depth
    }

    /// The levels below [`MAX_DEPTH`] that this limit takes away: the readers start counting
    /// there, so each of their checks against `MAX_DEPTH` enforces this limit, at no cost.
    const fn skipped(&self) -> u32 {
        MAX_DEPTH - self.max_depth
    }

    /// [`parse`] with this parser's limits.
    pub fn parse<'b>(&self, body: &'b mut [u8]) -> Result<Callback<'b>, Error> {
        if let Some(command) = known_command_first(body) {
            return parse_known(command, body, self.skipped(), Named::ByBody);
        }
        // The whole body is validated below, so the command can be found without validating what
        // precedes it; when that fails, the validating `sniff` says precisely why.
        // It is looked for from both ends at once (a body built from a map may put it anywhere).
        // First by a search for the key from each end up to the first bracket (no walk needed
        // to know its depth there), then by the walk.
        let fast = json::find_key_near_ends(body, "CallbackCommand")
            .or_else(|| json::find_key_both_ends_unchecked(body, "CallbackCommand"))
            .and_then(|(f, from)| {
                // Unchecked unless plain ASCII: a known name matches only if it decodes (and
                // an unknown one is found again, validated, by `parse_unknown`).
                let raw = body.get(f.start..f.end)?;
                // Known names are ASCII: one that matches needs no UTF-8 check.
                let command = match Command::known_name(raw) {
                    Some(known) if !f.escaped => known,
                    _ => Command::from_raw(core::str::from_utf8(raw).ok()?, f.escaped),
                };
                Some((command, from))
            });
        let (command, from) = match fast {
            Some(found) => found,
            None => (sniff(body)?, FoundFrom::Front),
        };
        match command.known() {
            // The result is returned as it comes, never held in a local first: a `Callback` is
            // large enough for each move to be a `memcpy` call. (The back path holds it, for
            // its error's fix-up: one copy per body there, measured at 0.3 % of the random-key
            // mix's parse; moving the fix-up into `parse_known` put the copy on every path.)
            Some(command) => match from {
                FoundFrom::Front => parse_known(command, body, self.skipped(), Named::ByBody),
                FoundFrom::Back(key) => {
                    let mut result = parse_known(command, body, self.skipped(), Named::ByBody);
                    if let Err(e) = &mut result {
                        // Read as a command that may not be the first top-level one, the body
                        // named another one before it: the error is the duplicate, as when the
                        // first one is read first.
                        if e.kind() == ErrorKind::CommandMismatch
                            && e.key() == Some("CallbackCommand")
                        {
                            *e = crate::decode::duplicate(key, "CallbackCommand");
                        }
                    }
                    result
                }
            },
            None => parse_unknown(None, body, self.skipped()),
        }
    }

    /// [`parse_as`] with this parser's limits.
    pub fn parse_as<'b>(&self, command: &str, body: &'b mut [u8]) -> Result<Callback<'b>, Error> {
        match Command::from_name(command) {
            Command::Unknown(name) => parse_unknown(Some(name), body, self.skipped()),
            known => parse_known(known, body, self.skipped(), Named::ByCaller),
        }
    }
}

/// Where the command a body is decoded as came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Named {
    /// A pre-pass found it in the body: the decoder must then read it there, as the body's
    /// top-level `CallbackCommand` member. The pre-passes only say where to look; the
    /// validating decoder has the last word, so a pre-pass that took something else for the
    /// member (a bug) rejects the body rather than types it.
    ByBody,
    /// The caller gave it (the query string's): the body may omit it.
    ByCaller,
}

fn parse_known<'a>(
    command: Command<'_>,
    body: &'a mut [u8],
    skipped: u32,
    named: Named,
) -> Result<Callback<'a>, Error> {
    let len = body.len();
    let mut r = MutReader::new(body, skipped);
    let mut result = decode_known(command, &mut r);
    if result.is_ok() {
        if let Err(e) = r.finish() {
            result = Err(e);
        } else if named == Named::ByBody && !r.read_command() {
            result = Err(Error::new(ErrorKind::MissingCommand, len));
        }
    }
    result
}

fn parse_unknown<'a>(
    query: Option<&str>,
    body: &'a mut [u8],
    skipped: u32,
) -> Result<Callback<'a>, Error> {
    let body: &'a [u8] = body;
    let text = core::str::from_utf8(body)
        .map_err(|e| Error::new(ErrorKind::InvalidUtf8, e.valid_up_to()))?;
    let (found, end) = json::find_key(body, 0, skipped, "CallbackCommand", Walk::Whole, false)?;
    let end = json::skip_ws(body, end);
    if end != body.len() {
        return Err(Error::new(ErrorKind::TrailingBytes, end));
    }
    let in_body = found.map(|f| (f, text.get(f.start..f.end).unwrap_or_default()));
    let command = match (query, in_body) {
        (Some(q), Some((f, raw))) => {
            let same = if f.escaped {
                json::unescaped_eq(raw.as_bytes(), q)
            } else {
                raw == q
            };
            if !same {
                return Err(
                    Error::new(ErrorKind::CommandMismatch, f.start.saturating_sub(1))
                        .in_key("CallbackCommand"),
                );
            }
            raw
        }
        (Some(_), None) => "",
        (None, Some((_, raw))) => raw,
        (None, None) => return Err(Error::new(ErrorKind::MissingCommand, end)),
    };
    Ok(Callback::Unknown {
        command,
        body: text,
    })
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;

    #[test]
    fn a_command_found_in_the_body_must_be_read_there_by_the_decoder() {
        // As if a pre-pass had taken something else for the body's command: every known
        // command, on a body that names none, is rejected when the body was to name it, and
        // accepted when the caller named it.
        for &command in Command::KNOWN {
            let body = r#"{"x\"CallbackCommand":"y","z":[1]}"#;
            let mut b = body.as_bytes().to_vec();
            let e = parse_known(command, &mut b, 0, Named::ByBody).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (ErrorKind::MissingCommand, body.len())
            );
            let mut b = body.as_bytes().to_vec();
            assert!(
                parse_known(command, &mut b, 0, Named::ByCaller).is_ok(),
                "{command:?}"
            );
            // Named, it is read.
            let body = format!(r#"{{"z":[1],"CallbackCommand":"{}"}}"#, command.as_str());
            let mut b = body.into_bytes();
            assert!(
                parse_known(command, &mut b, 0, Named::ByBody).is_ok(),
                "{command:?}"
            );
        }
    }

    #[test]
    fn the_glance_at_the_first_member_takes_only_known_plain_words() {
        // Every known command, then the general path's answer for the same body.
        for &command in Command::KNOWN {
            let body = format!(r#"{{"CallbackCommand":"{}","x":1}}"#, command.as_str());
            assert_eq!(known_command_first(body.as_bytes()), Some(command));
            assert_eq!(sniff(body.as_bytes()), Ok(command));
        }
        // Anything else goes to the walk, which reads it as `sniff` does.
        for body in [
            r#"{"CallbackCommand":"State.StateChangeX"}"#,
            r#"{"CallbackCommand":"State.State\u0043hange"}"#,
            r#"{"CallbackCommand":"State.StateChange\"}"#,
            r#"{"CallbackCommand":"State.StateChange\\"}"#,
            r#"{"CallbackCommand" "State.StateChange"}"#,
            r#"{"CallbackCommand":State.StateChange"}"#,
            r#"["CallbackCommand":"State.StateChange"]"#,
            r#"{"CallbackCommand":"State.StateChange"#,
            r#"{"CallbackCommand":"State.Stat"#,
            r#"{"CallbackCommand":""#,
            r#"{"CallbackCommand":"""#,
            r#"{"Info":{},"CallbackCommand":"State.StateChange"}"#,
        ] {
            assert_eq!(known_command_first(body.as_bytes()), None, "{body}");
        }
        // Pretty-printed, the glance reads it too.
        for body in [
            " {\"CallbackCommand\": \"State.StateChange\"}",
            "{\n  \"CallbackCommand\" :\t\"State.StateChange\",\n  \"x\": 1\n}",
        ] {
            let glance = known_command_first(body.as_bytes());
            assert_eq!(glance, Some(Command::StateChange), "{body}");
        }
        // The escaped spelling still parses, by the walk (compact or not).
        for body in [
            r#"{"CallbackCommand":"State.State\u0043hange","Info":{"To_Account":"a"}}"#,
            r#" { "CallbackCommand" : "State.State\u0043hange" , "Info" : {"To_Account":"a"}}"#,
        ] {
            let mut b = body.as_bytes().to_vec();
            assert_eq!(
                parse(&mut b).map(|c| c.command()),
                Ok(Command::StateChange),
                "{body}"
            );
        }
    }
}
