//! Known vocabularies: enums with an `Other` fallback, so a value Tencent adds tomorrow is kept
//! as sent rather than rejected. Matching is exact; `as_str` gives back the spelling that was
//! sent, so nothing is normalised away.

use crate::error::Error;
use crate::read::Decode;
use crate::read::Source;

macro_rules! string_vocab {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $variant:ident = $text:literal ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name<'a> {
            $( #[doc = concat!("`\"", $text, "\"`")] $variant, )*
            /// Any other value, as sent.
            Other(&'a str),
        }

        impl<'a> $name<'a> {
            /// The variant for `text` (exact spelling), or `Other(text)`.
            pub fn new(text: &'a str) -> Self {
                const TEXTS: &[&str] = &[ $( $text, )* ];
                const VARIANTS: &[$name<'static>] = &[ $( $name::$variant, )* ];
                match crate::json::lookup(TEXTS, text.as_bytes()).and_then(|i| VARIANTS.get(i)) {
                    Some(&v) => v,
                    None => $name::Other(text),
                }
            }

            /// The value as sent.
            pub const fn as_str(&self) -> &'a str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(s) => s,
                }
            }
        }

        impl Default for $name<'_> {
            fn default() -> Self {
                $name::Other("")
            }
        }

        impl core::fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::read::Sealed for $name<'_> {}
        impl Decode for $name<'_> {
            type Of<'x> = $name<'x>;
            #[cfg_attr(feature = "perf", inline)]
            #[cfg_attr(not(feature = "perf"), inline(never))]
            fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<$name<'x>, Error> {
                s.string().map($name::new)
            }
            #[inline]
            fn absent<'x>() -> $name<'x> {
                $name::Other("")
            }
            #[inline]
            fn reread<'x>(buf: &'x [u8], i: usize, note: (usize, usize)) -> Option<($name<'x>, usize)> {
                crate::read::reread_str(buf, i, note.0).map(|(t, end)| ($name::new(t), end))
            }
        }

        impl crate::emit::Emit for $name<'_> {
            fn emit<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
                crate::emit::string(w, self.as_str())
            }
            fn is_absent(&self) -> bool {
                self.as_str().is_empty()
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name<'_> {
            fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                z.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl crate::ser::Entry for $name<'_> {
            #[inline]
            fn put<M: serde::ser::SerializeMap>(
                &self,
                key: &'static str,
                m: &mut M,
            ) -> Result<(), M::Error> {
                m.serialize_entry(key, self)
            }
            #[inline]
            fn put_compact<M: serde::ser::SerializeMap>(
                &self,
                key: &'static str,
                m: &mut M,
            ) -> Result<(), M::Error> {
                if self.as_str().is_empty() {
                    return Ok(());
                }
                m.serialize_entry(key, self)
            }
        }
    };
}

macro_rules! number_vocab {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// Any other value, as sent.
            Other(u32),
        }

        impl $name {
            /// The variant for `value`, or `Other(value)`.
            pub const fn new(value: u32) -> Self {
                match value {
                    $( $value => $name::$variant, )*
                    _ => $name::Other(value),
                }
            }

            /// The value as sent.
            pub const fn get(&self) -> u32 {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Other(v) => *v,
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::new(0)
            }
        }

        impl crate::read::Sealed for $name {}
        impl Decode for $name {
            type Of<'x> = $name;
            #[cfg_attr(feature = "perf", inline)]
            #[cfg_attr(not(feature = "perf"), inline(never))]
            fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<$name, Error> {
                u32::decode(s).map($name::new)
            }
            #[inline]
            fn absent<'x>() -> Self::Of<'x> {
                $name::new(0)
            }
            #[inline]
            fn reread(buf: &[u8], i: usize, note: (usize, usize)) -> Option<($name, usize)> {
                u32::reread(buf, i, note).map(|(v, end)| ($name::new(v), end))
            }
        }

        impl crate::emit::Emit for $name {
            fn emit<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
                crate::emit::unsigned(w, u64::from(self.get()))
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                z.serialize_u32(self.get())
            }
        }

        #[cfg(feature = "serde")]
        impl crate::ser::Entry for $name {
            #[inline]
            fn put<M: serde::ser::SerializeMap>(
                &self,
                key: &'static str,
                m: &mut M,
            ) -> Result<(), M::Error> {
                m.serialize_entry(key, self)
            }
        }
    };
}

string_vocab! {
    /// Group type (`Type` in group callbacks).
    pub enum GroupType {
        Public = "Public",
        Private = "Private",
        Work = "Work",
        ChatRoom = "ChatRoom",
        Meeting = "Meeting",
        AvChatRoom = "AVChatRoom",
        Community = "Community",
        Live = "Live",
    }
}

string_vocab! {
    /// What happened to a user's connection (`Info.Action` in `State.StateChange`).
    pub enum StateAction {
        Login = "Login",
        Logout = "Logout",
        Disconnect = "Disconnect",
    }
}

string_vocab! {
    /// Why a user's connection state changed (`Info.Reason` in `State.StateChange`).
    pub enum StateReason {
        Register = "Register",
        Unregister = "Unregister",
        LinkClose = "LinkClose",
        TimeOut = "TimeOut",
    }
}

string_vocab! {
    /// A client platform (`KickedDevice[].Platform`). Body values are matched exactly:
    /// `"IOS"` (the query-string spelling of `State.StateChange`) is `Other("IOS")` here.
    pub enum Platform {
        Ios = "iOS",
        Android = "Android",
        Web = "Web",
        Windows = "Windows",
        IPad = "iPad",
        Mac = "Mac",
        MacOs = "macOS",
        Linux = "Linux",
    }
}

string_vocab! {
    /// One-way or two-way friend add (`AddType`).
    pub enum AddType {
        Single = "Add_Type_Single",
        Both = "Add_Type_Both",
    }
}

string_vocab! {
    /// Answer to a friend request (`ResponseAction`).
    pub enum ResponseAction {
        AgreeAndAdd = "Response_Action_AgreeAndAdd",
        Agree = "Response_Action_Agree",
        Reject = "Response_Action_Reject",
    }
}

string_vocab! {
    /// How members joined a group (`JoinType`).
    pub enum JoinType {
        Apply = "Apply",
        Invited = "Invited",
    }
}

string_vocab! {
    /// How members left a group (`ExitType`).
    pub enum ExitType {
        Kicked = "Kicked",
        Quit = "Quit",
    }
}

string_vocab! {
    /// The client command behind `Sns.CallbackFriendAdd` (`ClientCmd`); Tencent documents two
    /// spellings of each, and both are kept apart so the value is never rewritten.
    pub enum ClientCmd {
        FriendAdd = "FriendAdd",
        FriendAddSnake = "friend_add",
        FriendResponse = "FriendResponse",
        FriendResponseSnake = "friend_response",
    }
}

number_vocab! {
    /// Image format (`ImageFormat`).
    pub enum ImageFormat {
        /// 1
        Jpg = 1,
        /// 2
        Gif = 2,
        /// 3
        Png = 3,
        /// 4
        Bmp = 4,
        /// 255: a format Tencent does not name.
        Unnamed = 255,
    }
}

number_vocab! {
    /// Which rendition of an image (`ImageInfoArray[].Type`).
    pub enum ImageType {
        /// 1: the original.
        Original = 1,
        /// 2: the large version.
        Large = 2,
        /// 3: the thumbnail.
        Thumbnail = 3,
    }
}

string_vocab! {
    /// A live-group member's state change (`EventType` in `Group.CallbackOnMemberStateChange`).
    pub enum MemberEventType {
        Online = "Online",
        Offline = "Offline",
    }
}

string_vocab! {
    /// What happened to group attributes (`OptionType` in `Group.CallbackAfterGroupAttrChanged`).
    pub enum AttrOption {
        Set = "set",
        Modify = "modify",
        Clear = "clear",
        Delete = "delete",
    }
}

string_vocab! {
    /// A group member's role (`Role`).
    pub enum MemberRole {
        Owner = "Owner",
        Admin = "Admin",
        Member = "Member",
    }
}

string_vocab! {
    /// Where moderated content came from (`Scene` in `ContentCallback.ResultNotify`).
    pub enum ModerationScene {
        C2c = "C2C",
        C2cCustom = "C2CCustom",
        Group = "Group",
        GroupCustom = "GroupCustom",
        GroupInfo = "GroupInfo",
        GroupMemberInfo = "GroupMemberInfo",
        RelationChain = "RelationChain",
        UserInfo = "UserInfo",
    }
}

string_vocab! {
    /// The kind of moderated content (`ContentType`).
    pub enum ModerationContent {
        Text = "Text",
        Image = "Image",
        Audio = "Audio",
        Video = "Video",
    }
}

string_vocab! {
    /// The moderation's advice (`CtxcbSuggestion`).
    pub enum Suggestion {
        Block = "Block",
        Review = "Review",
        Normal = "Normal",
    }
}

number_vocab! {
    /// What changed in a message's extensions (`OperateType`).
    pub enum ExtensionOperation {
        /// 1: keys set.
        Set = 1,
        /// 2: keys deleted.
        Delete = 2,
        /// 3: all keys cleared.
        Clear = 3,
    }
}

number_vocab! {
    /// The conversation of moderated content (`ContactItem.ContactType`).
    pub enum ContactType {
        /// 1: one-to-one.
        C2c = 1,
        /// 2: group.
        Group = 2,
    }
}

number_vocab! {
    /// The conversation of an offline push (`EventType` of `Push.OfflinePush` events).
    pub enum OfflinePushKind {
        /// 1: one-to-one message.
        C2c = 1,
        /// 2: group message.
        Group = 2,
    }
}

number_vocab! {
    /// How an all-member push was delivered (`EventType` of `Push.AllMemberPush` events).
    pub enum AllMemberPushKind {
        /// 1: offline push.
        Offline = 1,
        /// 2: online push.
        Online = 2,
    }
}
