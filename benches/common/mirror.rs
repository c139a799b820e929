//! What a serde user writes for the same callbacks: borrowed `Cow` fields, the same keys, the
//! same defaults. Used by every serde-based contender (serde_json, sonic-rs, simd-json).
#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

type S<'a> = Cow<'a, str>;

/// A value of any shape, validated and skipped (what a serde user does with an open field).
#[derive(Debug, Default, Serialize)]
pub struct Any<'a>(#[serde(skip)] std::marker::PhantomData<&'a ()>);
impl<'de: 'a, 'a> Deserialize<'de> for Any<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Any(std::marker::PhantomData))
    }
}

/// EventTime as number or numeric string, as the crate accepts it (and written back the same way).
#[derive(Debug, Default)]
pub struct Time(pub u64, pub bool);
impl Serialize for Time {
    fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        if !self.1 {
            return z.serialize_u64(self.0);
        }
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut v = self.0;
        loop {
            i -= 1;
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        z.serialize_str(std::str::from_utf8(&buf[i..]).unwrap())
    }
}
impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum E<'a> {
            N(u64),
            #[serde(borrow)]
            S(Cow<'a, str>),
        }
        match E::deserialize(d)? {
            E::N(n) => Ok(Time(n, false)),
            E::S(s) => s
                .parse()
                .map(|n| Time(n, true))
                .map_err(serde::de::Error::custom),
        }
    }
}

macro_rules! mirror {
    ($name:ident { $( $key:literal $field:ident : $ty:ty ),* $(,)? }) => {
        #[derive(Debug, Default, Deserialize, Serialize)]
        #[serde(default)]
        pub struct $name<'a> {
            $( #[serde(rename = $key, borrow)] pub $field: $ty, )*
            #[serde(skip)]
            _p: std::marker::PhantomData<&'a ()>,
        }
    };
}

// `#[serde(borrow)]` needs a lifetime in every field type; numbers ride in `Num<'a>`.
/// A number field (the lifetime only satisfies `#[serde(borrow)]`).
#[derive(Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Num<'a, T>(pub T, #[serde(skip)] std::marker::PhantomData<&'a ()>);
impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Num<'a, T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(|v| Num(v, std::marker::PhantomData))
    }
}
type U32<'a> = Num<'a, u32>;
type U64<'a> = Num<'a, u64>;
type I64<'a> = Num<'a, i64>;
type F64<'a> = Num<'a, f64>;
type T<'a> = Option<Num<'a, Time>>;
type O<'a> = Option<S<'a>>;

mirror!(Member { "Member_Account" member: S<'a> });
mirror!(Pair { "From_Account" from: S<'a>, "To_Account" to: S<'a> });
mirror!(FPair { "From_Account" from: S<'a>, "To_Account" to: S<'a>, "Initiator_Account" init: S<'a> });
mirror!(Udd { "Key" key: S<'a>, "Value" value: O<'a> });
mirror!(Kicked { "Platform" platform: S<'a> });
mirror!(Info { "Action" action: S<'a>, "To_Account" to: S<'a>, "Reason" reason: S<'a> });
mirror!(FItem { "To_Account" to: S<'a>, "Remark" remark: S<'a>, "GroupName" group: S<'a>, "AddSource" source: S<'a>, "AddWording" wording: S<'a> });
mirror!(RItem { "To_Account" to: S<'a>, "Remark" remark: S<'a>, "TagName" tag: S<'a>, "ResponseAction" action: S<'a> });

mirror!(Text { "Text" text: S<'a> });
mirror!(Location { "Desc" desc: S<'a>, "Latitude" lat: F64<'a>, "Longitude" lon: F64<'a> });
mirror!(Face { "Index" index: U32<'a>, "Data" data: S<'a> });
mirror!(Custom { "Data" data: S<'a>, "Desc" desc: S<'a>, "Ext" ext: S<'a>, "Sound" sound: S<'a> });
mirror!(Sound { "Url" url: S<'a>, "UUID" uuid: S<'a>, "Size" size: U64<'a>, "Second" second: U32<'a>, "Download_Flag" flag: U32<'a> });
mirror!(Image { "Type" kind: U32<'a>, "Size" size: U64<'a>, "Width" w: U32<'a>, "Height" h: U32<'a>, "URL" url: S<'a> });
mirror!(ImageElem { "UUID" uuid: S<'a>, "ImageFormat" format: U32<'a>, "ImageInfoArray" infos: Vec<Image<'a>> });
mirror!(File { "Url" url: S<'a>, "UUID" uuid: S<'a>, "FileSize" size: U64<'a>, "FileName" name: S<'a>, "Download_Flag" flag: U32<'a> });
mirror!(Video { "VideoUrl" a: S<'a>, "VideoUUID" b: S<'a>, "VideoSize" c: U64<'a>, "VideoSecond" d: U32<'a>, "VideoFormat" e: S<'a>, "VideoDownloadFlag" f: U32<'a>, "ThumbUrl" g: S<'a>, "ThumbUUID" h: S<'a>, "ThumbSize" i: U64<'a>, "ThumbWidth" j: U32<'a>, "ThumbHeight" k: U32<'a>, "ThumbFormat" l: S<'a>, "ThumbDownloadFlag" m: U32<'a> });
mirror!(RelayMsg { "From_Account" from: S<'a>, "To_Account" to: O<'a>, "GroupId" group: O<'a>, "MsgSeq" seq: U32<'a>, "MsgRandom" random: U32<'a>, "MsgTimeStamp" ts: U64<'a>, "MsgBody" body: Vec<Elem<'a>>, "CloudCustomData" ccd: O<'a> });
mirror!(Relay { "Title" title: S<'a>, "MsgNum" num: U32<'a>, "CompatibleText" compat: S<'a>, "AbstractList" abs: Vec<S<'a>>, "MsgList" list: Vec<RelayMsg<'a>>, "JsonMsgKey" key: O<'a> });

/// A message element, adjacently tagged by `MsgType`/`MsgContent`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(tag = "MsgType", content = "MsgContent")]
pub enum Elem<'a> {
    #[serde(rename = "TIMTextElem", borrow)]
    Text(Text<'a>),
    #[serde(rename = "TIMLocationElem", borrow)]
    Location(Location<'a>),
    #[serde(rename = "TIMFaceElem", borrow)]
    Face(Face<'a>),
    #[serde(rename = "TIMCustomElem", borrow)]
    Custom(Custom<'a>),
    #[serde(rename = "TIMSoundElem", borrow)]
    Sound(Sound<'a>),
    #[serde(rename = "TIMImageElem", borrow)]
    Image(ImageElem<'a>),
    #[serde(rename = "TIMFileElem", borrow)]
    File(File<'a>),
    #[serde(rename = "TIMVideoFileElem", borrow)]
    Video(Video<'a>),
    #[serde(rename = "TIMRelayElem", borrow)]
    Relay(Relay<'a>),
}

mirror!(StateChange { "CallbackCommand" cmd: O<'a>, "EventTime" t: T<'a>, "Info" info: Info<'a>, "KickedDevice" kicked: Vec<Kicked<'a>> });
mirror!(PrevFriendAdd { "CallbackCommand" cmd: O<'a>, "Requester_Account" req: S<'a>, "From_Account" from: S<'a>, "FriendItem" items: Vec<FItem<'a>>, "AddType" add: S<'a>, "ForceAddFlags" force: U32<'a>, "EventTime" t: T<'a> });
mirror!(PrevFriendResponse { "CallbackCommand" cmd: O<'a>, "Requester_Account" req: S<'a>, "From_Account" from: S<'a>, "ResponseFriendItem" items: Vec<RItem<'a>>, "EventTime" t: T<'a> });
mirror!(FriendAdd { "CallbackCommand" cmd: O<'a>, "PairList" pairs: Vec<FPair<'a>>, "ClientCmd" client: S<'a>, "Admin_Account" admin: S<'a>, "ForceFlag" force: U32<'a>, "EventTime" t: T<'a> });
mirror!(Pairs { "CallbackCommand" cmd: O<'a>, "PairList" pairs: Vec<Pair<'a>>, "EventTime" t: T<'a> });
mirror!(C2cBefore { "CallbackCommand" cmd: O<'a>, "From_Account" from: S<'a>, "To_Account" to: S<'a>, "MsgSeq" seq: U32<'a>, "MsgRandom" random: U32<'a>, "MsgTime" time: U64<'a>, "MsgKey" key: S<'a>, "OnlineOnlyFlag" online: U32<'a>, "MsgBody" body: Vec<Elem<'a>>, "CloudCustomData" ccd: S<'a>, "EventTime" t: T<'a> });
mirror!(C2cAfter { "CallbackCommand" cmd: O<'a>, "From_Account" from: S<'a>, "To_Account" to: S<'a>, "MsgSeq" seq: U32<'a>, "MsgRandom" random: U32<'a>, "MsgTime" time: U64<'a>, "MsgKey" key: S<'a>, "OnlineOnlyFlag" online: U32<'a>, "SendMsgResult" result: I64<'a>, "ErrorInfo" info: S<'a>, "UnreadMsgNum" unread: I64<'a>, "MsgBody" body: Vec<Elem<'a>>, "CloudCustomData" ccd: S<'a>, "EventTime" t: T<'a> });
mirror!(C2cReport { "CallbackCommand" cmd: O<'a>, "Report_Account" report: S<'a>, "Peer_Account" peer: S<'a>, "LastReadTime" last: U64<'a>, "UnreadMsgNum" unread: I64<'a>, "EventTime" t: T<'a> });
mirror!(C2cWithdraw { "CallbackCommand" cmd: O<'a>, "From_Account" from: S<'a>, "To_Account" to: S<'a>, "MsgKey" key: S<'a>, "UnreadMsgNum" unread: I64<'a>, "EventTime" t: T<'a> });
mirror!(BeforeCreate { "CallbackCommand" cmd: O<'a>, "Operator_Account" op: S<'a>, "Owner_Account" owner: S<'a>, "Type" kind: S<'a>, "Name" name: S<'a>, "CreateGroupNum" num: U32<'a>, "CreatedGroupNum" old: Option<U32<'a>>, "MemberList" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(AfterCreate { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Operator_Account" op: S<'a>, "Owner_Account" owner: S<'a>, "Type" kind: S<'a>, "Name" name: S<'a>, "Introduction" intro: O<'a>, "Notification" note: O<'a>, "MemberList" members: Vec<Member<'a>>, "UserDefinedDataList" udd: Vec<Udd<'a>>, "EventTime" t: T<'a> });
mirror!(ApplyJoin { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "Requestor_Account" req: S<'a>, "EventTime" t: T<'a> });
mirror!(InviteJoin { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "Operator_Account" op: S<'a>, "DestinationMembers" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(NewMember { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "JoinType" join: S<'a>, "Operator_Account" op: S<'a>, "NewMemberList" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(MemberExit { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "ExitType" exit: S<'a>, "Operator_Account" op: S<'a>, "ExitMemberList" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(GroupBefore { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "From_Account" from: S<'a>, "Operator_Account" op: S<'a>, "Random" random: U32<'a>, "OnlineOnlyFlag" online: U32<'a>, "MsgBody" body: Vec<Elem<'a>>, "CloudCustomData" ccd: S<'a>, "TopicId" topic: O<'a>, "EventTime" t: T<'a> });
mirror!(GroupAfter { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "From_Account" from: S<'a>, "Operator_Account" op: S<'a>, "Random" random: U32<'a>, "MsgSeq" seq: U32<'a>, "MsgTime" time: U64<'a>, "OnlineOnlyFlag" online: U32<'a>, "MsgBody" body: Vec<Elem<'a>>, "CloudCustomData" ccd: S<'a>, "TopicId" topic: O<'a>, "MsgId" id: O<'a>, "EventTime" t: T<'a> });
mirror!(Full { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "EventTime" t: T<'a> });
mirror!(Destroyed { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "Owner_Account" owner: S<'a>, "Name" name: S<'a>, "MemberList" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(InfoChanged { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "Operator_Account" op: S<'a>, "Name" name: O<'a>, "Introduction" intro: O<'a>, "Notification" note: O<'a>, "FaceUrl" face: O<'a>, "EventTime" t: T<'a> });

/// What most users write: one internally tagged enum (serde buffers the body to find the tag).
#[derive(Debug, Deserialize, Serialize)]
#[serde(tag = "CallbackCommand")]
pub enum Tagged<'a> {
    #[serde(rename = "State.StateChange", borrow)]
    StateChange(StateChange<'a>),
    #[serde(rename = "Sns.CallbackPrevFriendAdd", borrow)]
    PrevFriendAdd(PrevFriendAdd<'a>),
    #[serde(rename = "Sns.CallbackPrevFriendResponse", borrow)]
    PrevFriendResponse(PrevFriendResponse<'a>),
    #[serde(rename = "Sns.CallbackFriendAdd", borrow)]
    FriendAdd(FriendAdd<'a>),
    #[serde(rename = "Sns.CallbackFriendDelete", borrow)]
    FriendDelete(Pairs<'a>),
    #[serde(rename = "Sns.CallbackBlackListAdd", borrow)]
    BlackListAdd(Pairs<'a>),
    #[serde(rename = "Sns.CallbackBlackListDelete", borrow)]
    BlackListDelete(Pairs<'a>),
    #[serde(rename = "C2C.CallbackBeforeSendMsg", borrow)]
    C2cBefore(C2cBefore<'a>),
    #[serde(rename = "C2C.CallbackAfterSendMsg", borrow)]
    C2cAfter(C2cAfter<'a>),
    #[serde(rename = "C2C.CallbackAfterMsgReport", borrow)]
    C2cReport(C2cReport<'a>),
    #[serde(rename = "C2C.CallbackAfterMsgWithDraw", borrow)]
    C2cWithdraw(C2cWithdraw<'a>),
    #[serde(rename = "Group.CallbackBeforeCreateGroup", borrow)]
    BeforeCreate(BeforeCreate<'a>),
    #[serde(rename = "Group.CallbackAfterCreateGroup", borrow)]
    AfterCreate(AfterCreate<'a>),
    #[serde(rename = "Group.CallbackBeforeApplyJoinGroup", borrow)]
    ApplyJoin(ApplyJoin<'a>),
    #[serde(rename = "Group.CallbackBeforeInviteJoinGroup", borrow)]
    InviteJoin(InviteJoin<'a>),
    #[serde(rename = "Group.CallbackAfterNewMemberJoin", borrow)]
    NewMember(NewMember<'a>),
    #[serde(rename = "Group.CallbackAfterMemberExit", borrow)]
    MemberExit(MemberExit<'a>),
    #[serde(rename = "Group.CallbackBeforeSendMsg", borrow)]
    GroupBefore(GroupBefore<'a>),
    #[serde(rename = "Group.CallbackAfterSendMsg", borrow)]
    GroupAfter(GroupAfter<'a>),
    #[serde(rename = "Group.CallbackAfterGroupFull", borrow)]
    Full(Full<'a>),
    #[serde(rename = "Group.CallbackAfterGroupDestroyed", borrow)]
    Destroyed(Destroyed<'a>),
    #[serde(rename = "Group.CallbackAfterGroupInfoChanged", borrow)]
    InfoChanged(InfoChanged<'a>),
}

/// Deserializes `body` as the type of `command` with `de`, and folds it into a checksum.
/// Dispatch is by a prior sniff, the best a serde user can do.
#[macro_export]
macro_rules! typed_dispatch {
    ($command:expr, $de:ident, $body:expr) => {{
        use tim_callback::Command as C;
        use $crate::common::mirror::*;
        match $command {
            C::StateChange => $de::<StateChange>($body),
            C::SnsPrevFriendAdd => $de::<PrevFriendAdd>($body),
            C::SnsPrevFriendResponse => $de::<PrevFriendResponse>($body),
            C::SnsFriendAdd => $de::<FriendAdd>($body),
            C::SnsFriendDelete | C::SnsBlackListAdd | C::SnsBlackListDelete => $de::<Pairs>($body),
            C::C2cBeforeSendMsg => $de::<C2cBefore>($body),
            C::C2cAfterSendMsg => $de::<C2cAfter>($body),
            C::C2cAfterMsgReport => $de::<C2cReport>($body),
            C::C2cAfterMsgWithDraw => $de::<C2cWithdraw>($body),
            C::GroupBeforeCreateGroup => $de::<BeforeCreate>($body),
            C::GroupAfterCreateGroup => $de::<AfterCreate>($body),
            C::GroupBeforeApplyJoinGroup => $de::<ApplyJoin>($body),
            C::GroupBeforeInviteJoinGroup => $de::<InviteJoin>($body),
            C::GroupAfterNewMemberJoin => $de::<NewMember>($body),
            C::GroupAfterMemberExit => $de::<MemberExit>($body),
            C::GroupBeforeSendMsg => $de::<GroupBefore>($body),
            C::GroupAfterSendMsg => $de::<GroupAfter>($body),
            C::GroupAfterGroupFull => $de::<Full>($body),
            C::GroupAfterGroupDestroyed => $de::<Destroyed>($body),
            C::GroupAfterGroupInfoChanged => $de::<InfoChanged>($body),
            C::Unknown(_) => 0,
            // `Command` is non-exhaustive: a command added to the crate without a mirror
            // type stops the benchmark instead of being skipped.
            other => panic!("the benchmark mirror has no type for {other}"),
        }
    }};
}
