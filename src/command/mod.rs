//! The command table: every command word this crate models, the typed [`Callback`] each one
//! selects, and the kind of callback it is. [`search`] finds the command in a body.

use core::fmt;

pub(crate) mod search;

pub use search::sniff;

use crate::error::{Error, ErrorKind};
use crate::events::*;
use crate::json;
use crate::read::FirstReader;

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

/// An event type of the command table: the typed body of one command, which
/// [`parse_event`](crate::parse_event) reads without linking any other command's decoder.
/// Sealed, as [`Decode`](crate::list::Decode) is.
pub trait Event: crate::read::Decode {
    /// The command whose body this is.
    const COMMAND: Command<'static>;
}

/// The kinds of callback, as the protocol reference groups them by what their answers may say
/// (`tim-callbacks.md` §1.5); each known command names its kind in the table below, so a
/// command cannot exist without one. The answers' rules for each kind are in `answer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An after-event callback: Tencent ignores the answer.
    After,
    /// `Group.CallbackSendMsgException`: the answer is fixed.
    Fixed,
    /// A command this crate does not model.
    Unknown,
    /// `C2C.CallbackBeforeSendMsg`.
    C2cSend,
    /// `Group.CallbackBeforeSendMsg`.
    GroupSend,
    /// Group before-callbacks that can only be allowed or rejected.
    GroupBefore,
    /// `Group.CallbackBeforeInviteJoinGroup`: may refuse some of the invited.
    GroupInvite,
    /// Official-account before-callbacks.
    OfficialBefore,
    /// `Sns.CallbackPrev*`: decided per target.
    FriendPrev,
}

macro_rules! commands {
    ($d:tt; $( $variant:ident = $name:literal => $kind:ident in $family:literal ),* $(,)?) => {
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

            /// Whether this crate was built with this command's family (its cargo feature):
            /// only then does it decode into its typed event. `false` for `Unknown`.
            pub const fn is_linked(&self) -> bool {
                match self {
                    $( Command::$variant => cfg!(feature = $family), )*
                    Command::Unknown(_) => false,
                }
            }

            /// The cargo feature of this command's family (`"c2c"`, `"group"`, …); `None`
            /// for `Unknown`.
            pub const fn family(&self) -> Option<&'static str> {
                match self {
                    $( Command::$variant => Some($family), )*
                    Command::Unknown(_) => None,
                }
            }

            /// What kind of callback this is, which decides what its answer may say.
            pub(crate) const fn kind(&self) -> Kind {
                match self {
                    $( Command::$variant => Kind::$kind, )*
                    Command::Unknown(_) => Kind::Unknown,
                }
            }
        }

        $(
            impl Event for $variant<'_> {
                const COMMAND: Command<'static> = Command::$variant;
            }
        )*

        /// Calls the macro `m` with every event type of the table, comma-separated.
        macro_rules! for_each_event {
            ($d m:ident) => {
                $d m! { $( $variant ),* }
            };
        }
        pub(crate) use for_each_event;

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
                /// ([`parse_as`](crate::parse_as)), who holds it.
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
        }

        /// Decodes a body whose command is known (`MissingCommand` for `Command::Unknown`, which
        /// callers never pass).
        #[inline]
        pub(crate) fn decode_known<'a>(
            command: Command<'_>,
            r: &mut FirstReader<'a>,
        ) -> Result<Callback<'a>, Error> {
            match command {
                $(
                    #[cfg(feature = $family)]
                    Command::$variant => <$variant<'a> as crate::read::Decode>::decode(r).map(Callback::$variant),
                )*
                // Unknown, or of a family left out (callers check `is_linked` first).
                _ => {
                    let _ = r;
                    Err(Error::new(ErrorKind::MissingCommand, 0))
                }
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
    $;
    StateChange = "State.StateChange" => After in "state",
    SnsPrevFriendAdd = "Sns.CallbackPrevFriendAdd" => FriendPrev in "sns",
    SnsPrevFriendResponse = "Sns.CallbackPrevFriendResponse" => FriendPrev in "sns",
    SnsFriendAdd = "Sns.CallbackFriendAdd" => After in "sns",
    SnsFriendDelete = "Sns.CallbackFriendDelete" => After in "sns",
    SnsBlackListAdd = "Sns.CallbackBlackListAdd" => After in "sns",
    SnsBlackListDelete = "Sns.CallbackBlackListDelete" => After in "sns",
    C2cBeforeSendMsg = "C2C.CallbackBeforeSendMsg" => C2cSend in "c2c",
    C2cAfterSendMsg = "C2C.CallbackAfterSendMsg" => After in "c2c",
    C2cAfterMsgReport = "C2C.CallbackAfterMsgReport" => After in "c2c",
    C2cAfterMsgWithDraw = "C2C.CallbackAfterMsgWithDraw" => After in "c2c",
    GroupBeforeCreateGroup = "Group.CallbackBeforeCreateGroup" => GroupBefore in "group",
    GroupAfterCreateGroup = "Group.CallbackAfterCreateGroup" => After in "group",
    GroupBeforeApplyJoinGroup = "Group.CallbackBeforeApplyJoinGroup" => GroupBefore in "group",
    GroupBeforeInviteJoinGroup = "Group.CallbackBeforeInviteJoinGroup" => GroupInvite in "group",
    GroupAfterNewMemberJoin = "Group.CallbackAfterNewMemberJoin" => After in "group",
    GroupAfterMemberExit = "Group.CallbackAfterMemberExit" => After in "group",
    GroupBeforeSendMsg = "Group.CallbackBeforeSendMsg" => GroupSend in "group",
    GroupAfterSendMsg = "Group.CallbackAfterSendMsg" => After in "group",
    GroupAfterGroupFull = "Group.CallbackAfterGroupFull" => After in "group",
    GroupAfterGroupDestroyed = "Group.CallbackAfterGroupDestroyed" => After in "group",
    GroupAfterGroupInfoChanged = "Group.CallbackAfterGroupInfoChanged" => After in "group",
    AlertRequestOverLimit = "Alert.RequestOverLimit" => After in "alert",
    GroupOnDailyGroupQuotaAlarm = "Group.CallbackOnDailyGroupQuotaAlarm" => After in "group",
    ProfilePortraitSet = "Profile.CallbackPortraitSet" => After in "profile",
    FollowAfterFollowAdd = "Follow.CallbackAfterFollowAdd" => After in "follow",
    FollowAfterFollowDelete = "Follow.CallbackAfterFollowDelete" => After in "follow",
    C2cAfterModifyMsg = "C2C.CallbackAfterModifyMsg" => After in "c2c",
    C2cAfterC2cMsgExtension = "C2C.CallbackAfterC2CMsgExtension" => After in "c2c",
    BotOnC2cMessage = "Bot.OnC2CMessage" => After in "bot",
    BotOnGroupMessage = "Bot.OnGroupMessage" => After in "bot",
    ChatbotOnC2cSignalMessage = "Chatbot.OnC2CSignalMessage" => After in "bot",
    GroupOnMemberStateChange = "Group.CallbackOnMemberStateChange" => After in "group",
    GroupSendMsgException = "Group.CallbackSendMsgException" => Fixed in "group",
    GroupBeforeCreateTopic = "Group.CallbackBeforeCreateTopic" => GroupBefore in "group",
    GroupAfterCreateTopic = "Group.CallbackAfterCreateTopic" => After in "group",
    GroupAfterTopicDestroyed = "Group.CallbackAfterTopicDestroyed" => After in "group",
    GroupAfterTopicInfoChanged = "Group.CallbackAfterTopicInfoChanged" => After in "group",
    GroupAfterRecallMsg = "Group.CallbackAfterRecallMsg" => After in "group",
    GroupAfterMemberFieldChanged = "Group.CallbackAfterMemberFieldChanged" => After in "group",
    GroupAfterGroupAttrChanged = "Group.CallbackAfterGroupAttrChanged" => After in "group",
    GroupAfterReadReceipt = "Group.CallbackAfterReadReceipt" => After in "group",
    GroupAfterChangeGroupOwner = "Group.CallbackAfterChangeGroupOwner" => After in "group",
    GroupAfterGroupMsgExtension = "Group.CallbackAfterGroupMsgExtension" => After in "group",
    ContentResultNotify = "ContentCallback.ResultNotify" => After in "content",
    OfficialAccountBeforeCreateOfficialAccount =
        "OfficialAccount.CallbackBeforeCreateOfficialAccount" => OfficialBefore in "official-account",
    OfficialAccountAfterCreateOfficialAccount =
        "OfficialAccount.CallbackAfterCreateOfficialAccount" => After in "official-account",
    OfficialAccountAfterOfficialAccountInfoChanged =
        "OfficialAccount.CallbackAfterOfficialAccountInfoChanged" => After in "official-account",
    OfficialAccountAfterOfficialAccountDestroyed =
        "OfficialAccount.CallbackAfterOfficialAccountDestroyed" => After in "official-account",
    OfficialAccountBeforeAddSubscriber =
        "OfficialAccount.CallbackBeforeAddSubscriber" => OfficialBefore in "official-account",
    OfficialAccountAfterAddSubscriber = "OfficialAccount.CallbackAfterAddSubscriber" => After in "official-account",
    OfficialAccountAfterOfficialAccountFull =
        "OfficialAccount.CallbackAfterOfficialAccountFull" => After in "official-account",
    OfficialAccountAfterDeleteSubscriber =
        "OfficialAccount.CallbackAfterDeleteSubscriber" => After in "official-account",
    OfficialAccountBeforeSendMsg = "OfficialAccount.CallbackBeforeSendMsg" => OfficialBefore in "official-account",
    OfficialAccountAfterSendMsg = "OfficialAccount.CallbackAfterSendMsg" => After in "official-account",
    OfficialAccountAfterMsgWithDraw = "OfficialAccount.CallbackAfterMsgWithDraw" => After in "official-account",
    PushOfflinePush = "Push.OfflinePush" => After in "push",
    PushAllMemberPush = "Push.AllMemberPush" => After in "push",
}

impl<'a> Command<'a> {
    /// Whether this is a before-callback: one whose answer can stop the event (reject it, or
    /// deny a friend request's targets). `false` for after-callbacks, whose answers Tencent
    /// ignores, and for unknown commands.
    pub const fn is_before(&self) -> bool {
        !matches!(self.kind(), Kind::After | Kind::Fixed | Kind::Unknown)
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
