//! What a serde user writes for the same callbacks: borrowed `Cow` fields, the same keys, the
//! same defaults. Used by every serde-based contender (serde_json, sonic-rs, simd-json).

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
    ($name:ident { $( $key:literal $(| $alias:literal)? $field:ident : $ty:ty ),* $(,)? }) => {
        #[derive(Debug, Default, Deserialize, Serialize)]
        #[serde(default)]
        pub struct $name<'a> {
            $( #[serde(rename = $key, $(alias = $alias,)? borrow)] pub $field: $ty, )*
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

/// A value that is a string or a number depending on another field (`ProfileItem[].Value`).
#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Val<'a> {
    #[serde(borrow)]
    S(S<'a>),
    U(u64),
    I(i64),
    F(f64),
}
impl Default for Val<'_> {
    fn default() -> Self {
        Val::S(S::Borrowed(""))
    }
}

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
mirror!(BeforeCreate { "CallbackCommand" cmd: O<'a>, "Operator_Account" op: S<'a>, "Owner_Account" owner: S<'a>, "Type" kind: S<'a>, "Name" name: S<'a>, "CreateGroupNum" | "CreatedGroupNum" num: U32<'a>, "MemberList" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(AfterCreate { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Operator_Account" op: S<'a>, "Owner_Account" owner: S<'a>, "Type" kind: S<'a>, "Name" name: S<'a>, "Introduction" intro: O<'a>, "Notification" note: O<'a>, "MemberList" members: Vec<Member<'a>>, "CreateGroupNum" | "CreatedGroupNum" num: Option<U32<'a>>, "UserDefinedDataList" udd: Vec<Udd<'a>>, "EventTime" t: T<'a> });
mirror!(ApplyJoin { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "Requestor_Account" req: S<'a>, "EventTime" t: T<'a> });
mirror!(InviteJoin { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "Operator_Account" op: S<'a>, "DestinationMembers" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(NewMember { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "JoinType" join: S<'a>, "Operator_Account" op: S<'a>, "NewMemberList" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(MemberExit { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "ExitType" exit: S<'a>, "Operator_Account" op: S<'a>, "ExitMemberList" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(GroupBefore { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "From_Account" from: S<'a>, "Operator_Account" op: S<'a>, "Random" random: U32<'a>, "OnlineOnlyFlag" online: U32<'a>, "MsgBody" body: Vec<Elem<'a>>, "CloudCustomData" ccd: S<'a>, "TopicId" topic: O<'a>, "EventTime" t: T<'a> });
mirror!(GroupAfter { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "From_Account" from: S<'a>, "Operator_Account" op: S<'a>, "Random" random: U32<'a>, "MsgSeq" seq: U32<'a>, "MsgTime" time: U64<'a>, "OnlineOnlyFlag" online: U32<'a>, "MsgBody" body: Vec<Elem<'a>>, "CloudCustomData" ccd: S<'a>, "TopicId" topic: O<'a>, "MsgId" id: O<'a>, "EventTime" t: T<'a> });
mirror!(Full { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "EventTime" t: T<'a> });
mirror!(Destroyed { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "Owner_Account" owner: S<'a>, "Name" name: S<'a>, "MemberList" members: Vec<Member<'a>>, "EventTime" t: T<'a> });
mirror!(InfoChanged { "CallbackCommand" cmd: O<'a>, "GroupId" group: S<'a>, "Type" kind: S<'a>, "Operator_Account" op: S<'a>, "Name" name: O<'a>, "Introduction" intro: O<'a>, "Notification" note: O<'a>, "FaceUrl" face: O<'a>, "EventTime" t: T<'a> });

// The commands beyond the Go SDK's (and the records they hold).
mirror!(AlertRequestOverLimit { "CallbackCommand" cmd: O<'a>, "ServiceName" service_name: S<'a>, "Command" command: S<'a>, "Request" request: U64<'a>, "Limit" limit: U64<'a> });
mirror!(GroupOnDailyGroupQuotaAlarm { "CallbackCommand" cmd: O<'a>, "QuotaUsed" quota_used: U64<'a>, "Quota" quota: U64<'a>, "EventTime" event_time: T<'a> });
mirror!(BotOnC2cMessage { "CallbackCommand" cmd: O<'a>, "From_Account" from_account: S<'a>, "To_Account" to_account: S<'a>, "MsgSeq" msg_seq: U32<'a>, "MsgRandom" msg_random: U32<'a>, "MsgTime" msg_time: U64<'a>, "MsgKey" msg_key: S<'a>, "OnlineOnlyFlag" online_only_flag: U32<'a>, "SendMsgResult" send_msg_result: I64<'a>, "ErrorInfo" error_info: S<'a>, "MsgBody" msg_body: Vec<Elem<'a>>, "CloudCustomData" cloud_custom_data: S<'a>, "EventTime" event_time: T<'a> });
mirror!(BotOnGroupMessage { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "Type" group_type: S<'a>, "From_Account" from_account: S<'a>, "Operator_Account" operator_account: S<'a>, "Random" random: U32<'a>, "MsgSeq" msg_seq: U32<'a>, "MsgTime" msg_time: U64<'a>, "OnlineOnlyFlag" online_only_flag: U32<'a>, "MsgBody" msg_body: Vec<Elem<'a>>, "AtRobots_Account" | "AtRobotAccount" at_robots_account: Vec<S<'a>>, "CloudCustomData" cloud_custom_data: S<'a>, "EventTime" event_time: T<'a> });
mirror!(ChatbotOnC2cSignalMessage { "CallbackCommand" cmd: O<'a>, "From_Account" from_account: S<'a>, "To_Account" to_account: S<'a>, "MsgSeq" msg_seq: Option<U32<'a>>, "MsgRandom" msg_random: Option<U32<'a>>, "MsgKey" msg_key: O<'a>, "Data" data: O<'a>, "EventTime" event_time: T<'a> });
mirror!(C2cAfterModifyMsg { "CallbackCommand" cmd: O<'a>, "Operator_Account" operator_account: S<'a>, "From_Account" from_account: S<'a>, "To_Account" to_account: S<'a>, "MsgSeq" msg_seq: U32<'a>, "MsgRandom" msg_random: U32<'a>, "MsgTime" msg_time: U64<'a>, "MsgKey" msg_key: S<'a>, "MsgBody" msg_body: Vec<Elem<'a>>, "CloudCustomData" cloud_custom_data: S<'a>, "EventTime" event_time: T<'a> });
mirror!(C2cAfterC2cMsgExtension { "CallbackCommand" cmd: O<'a>, "From_Account" from_account: S<'a>, "To_Account" to_account: S<'a>, "MsgKey" msg_key: S<'a>, "OperateType" operate_type: U32<'a>, "ExtensionList" extension_list: Vec<Extension<'a>>, "Seq" seq: U64<'a>, "EventTime" event_time: T<'a> });
mirror!(ContactItem { "ContactType" | "Type" contact_type: U32<'a>, "To_Account" to_account: O<'a>, "ToGroupId" to_group_id: O<'a> });
mirror!(ContentResultNotify { "CallbackCommand" cmd: O<'a>, "Scene" scene: S<'a>, "SdkAppId" sdk_app_id: U64<'a>, "From_Account" from_account: S<'a>, "ContactItem" contact_item: ContactItem<'a>, "ContentType" content_type: S<'a>, "TextContent" text_content: Vec<S<'a>>, "FileURL" file_url: O<'a>, "MsgID" msg_id: S<'a>, "CtxcbResult" ctxcb_result: U32<'a>, "CtxcbRequestId" ctxcb_request_id: S<'a>, "CtxcbKeywords" ctxcb_keywords: Vec<S<'a>>, "CtxcbSuggestion" ctxcb_suggestion: O<'a>, "CtxcbLabel" ctxcb_label: O<'a>, "CtxcbSubLabel" ctxcb_sub_label: O<'a>, "CtxcbSubLabelDesc" ctxcb_sub_label_desc: O<'a>, "CtxcbLibName" ctxcb_lib_name: O<'a>, "CloudCustomData" cloud_custom_data: O<'a> });
mirror!(Followed { "To_Account" to_account: S<'a> });
mirror!(FollowAfterFollowAdd { "CallbackCommand" cmd: O<'a>, "From_Account" from_account: S<'a>, "FollowList" follow_list: Vec<Followed<'a>>, "EventTime" event_time: T<'a> });
mirror!(FollowAfterFollowDelete { "CallbackCommand" cmd: O<'a>, "From_Account" from_account: S<'a>, "To_Account" to_account: Vec<S<'a>>, "EventTime" event_time: T<'a> });
mirror!(GroupOnMemberStateChange { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "Type" group_type: O<'a>, "EventType" event_type: S<'a>, "MemberList" member_list: Vec<Member<'a>>, "EventTime" event_time: T<'a> });
mirror!(GroupSendMsgException { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "Type" group_type: S<'a>, "From_Account" from_account: S<'a>, "Operator_Account" operator_account: S<'a>, "Random" random: U32<'a>, "OnlineOnlyFlag" online_only_flag: U32<'a>, "MsgBody" msg_body: Vec<Elem<'a>>, "CloudCustomData" cloud_custom_data: S<'a>, "ErrorCode" error_code: I64<'a>, "ErrorInfo" error_info: S<'a>, "EventTime" event_time: T<'a> });
mirror!(RecalledMsg { "MsgSeq" msg_seq: U32<'a> });
mirror!(GroupAfterRecallMsg { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "Type" group_type: S<'a>, "Operator_Account" operator_account: S<'a>, "MsgSeqList" msg_seq_list: Vec<RecalledMsg<'a>>, "TopicId" topic_id: O<'a>, "EventTime" event_time: T<'a> });
mirror!(GroupAfterMemberFieldChanged { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "Type" group_type: S<'a>, "Operator_Account" operator_account: S<'a>, "Member_Account" | "Modified_Account" member_account: S<'a>, "Role" role: O<'a>, "NameCard" name_card: O<'a>, "EventTime" event_time: T<'a> });
mirror!(GroupAttr { "key" key: S<'a>, "value" value: S<'a> });
mirror!(GroupAfterGroupAttrChanged { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "Type" group_type: S<'a>, "Operator_Account" operator_account: S<'a>, "OptionType" option_type: S<'a>, "GroupAttr" group_attr: Vec<GroupAttr<'a>>, "EventTime" event_time: T<'a> });
mirror!(MsgReceipt { "MsgSeq" msg_seq: U32<'a>, "ReadNum" read_num: U64<'a>, "UnreadNum" unread_num: U64<'a>, "ReadReceiptMembers" read_receipt_members: Vec<Member<'a>> });
mirror!(GroupAfterReadReceipt { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "Type" group_type: S<'a>, "GroupMsgReceiptList" group_msg_receipt_list: Vec<MsgReceipt<'a>>, "EventTime" event_time: T<'a> });
mirror!(GroupAfterChangeGroupOwner { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "Type" group_type: S<'a>, "Operator_Account" operator_account: S<'a>, "OldOwner_Account" old_owner_account: S<'a>, "NewOwner_Account" new_owner_account: S<'a>, "EventTime" event_time: T<'a> });
mirror!(GroupAfterGroupMsgExtension { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "MsgSeq" msg_seq: U32<'a>, "OperateType" operate_type: U32<'a>, "ExtensionList" extension_list: Vec<Extension<'a>>, "Seq" seq: U64<'a>, "EventTime" event_time: T<'a> });
mirror!(Subscriber { "Subscriber_Account" subscriber_account: S<'a> });
mirror!(WithdrawnMsg { "MsgKey" msg_key: S<'a> });
mirror!(OfficialAccountBeforeCreateOfficialAccount { "CallbackCommand" cmd: O<'a>, "Operator_Account" operator_account: S<'a>, "Owner_Account" owner_account: S<'a>, "Name" name: S<'a>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountAfterCreateOfficialAccount { "CallbackCommand" cmd: O<'a>, "Operator_Account" operator_account: S<'a>, "Official_Account" official_account: S<'a>, "Owner_Account" owner_account: S<'a>, "Name" name: S<'a>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountAfterOfficialAccountInfoChanged { "CallbackCommand" cmd: O<'a>, "Official_Account" official_account: S<'a>, "Operator_Account" operator_account: S<'a>, "Introduction" introduction: O<'a>, "Name" name: O<'a>, "FaceUrl" face_url: O<'a>, "Organization" organization: O<'a>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountAfterOfficialAccountDestroyed { "CallbackCommand" cmd: O<'a>, "Official_Account" official_account: S<'a>, "Owner_Account" owner_account: S<'a>, "Name" name: S<'a>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountBeforeAddSubscriber { "CallbackCommand" cmd: O<'a>, "Official_Account" official_account: S<'a>, "Operator_Account" operator_account: S<'a>, "SubscribeAccountList" subscribe_account_list: Vec<Subscriber<'a>>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountAfterAddSubscriber { "CallbackCommand" cmd: O<'a>, "Official_Account" official_account: S<'a>, "Operator_Account" operator_account: S<'a>, "SubscribeAccountList" subscribe_account_list: Vec<Subscriber<'a>>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountAfterOfficialAccountFull { "CallbackCommand" cmd: O<'a>, "Official_Account" official_account: S<'a>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountAfterDeleteSubscriber { "CallbackCommand" cmd: O<'a>, "Official_Account" official_account: S<'a>, "Operator_Account" operator_account: S<'a>, "SubscribeAccountList" subscribe_account_list: Vec<Subscriber<'a>>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountBeforeSendMsg { "CallbackCommand" cmd: O<'a>, "Official_Account" official_account: S<'a>, "OnlineOnlyFlag" online_only_flag: U32<'a>, "MsgBody" msg_body: Vec<Elem<'a>>, "CloudCustomData" cloud_custom_data: S<'a>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountAfterSendMsg { "CallbackCommand" cmd: O<'a>, "Official_Account" official_account: S<'a>, "MsgKey" msg_key: S<'a>, "MsgTime" msg_time: U64<'a>, "OnlineOnlyFlag" online_only_flag: U32<'a>, "MsgBody" msg_body: Vec<Elem<'a>>, "CloudCustomData" cloud_custom_data: S<'a>, "EventTime" event_time: T<'a> });
mirror!(OfficialAccountAfterMsgWithDraw { "CallbackCommand" cmd: O<'a>, "Official_Account" official_account: S<'a>, "WithdrawMsgList" withdraw_msg_list: Vec<WithdrawnMsg<'a>>, "EventTime" event_time: T<'a> });
mirror!(ProfileItem { "Tag" tag: S<'a>, "Value" value: Val<'a> });
mirror!(ProfilePortraitSet { "CallbackCommand" cmd: O<'a>, "Operator_Account" operator_account: S<'a>, "From_Account" from_account: S<'a>, "ProfileItem" profile_item: Vec<ProfileItem<'a>>, "EventTime" event_time: T<'a> });
mirror!(OfflinePushEvent { "CallbackCommand" cmd: O<'a>, "EventType" event_type: U32<'a>, "EventTime" event_time: U64<'a>, "From_Account" from_account: S<'a>, "To_Account" to_account: S<'a>, "PushPlatform" push_platform: U32<'a>, "PushStage" push_stage: U32<'a>, "MsgKey" msg_key: O<'a>, "MsgSeq" msg_seq: U32<'a>, "MsgRandom" msg_random: U32<'a>, "MsgTime" msg_time: U64<'a>, "PushID" push_id: S<'a>, "ErrCode" err_code: I64<'a>, "ErrInfo" err_info: S<'a>, "GroupID" group_id: O<'a> });
mirror!(PushOfflinePush { "CallbackCommand" cmd: O<'a>, "Events" events: Vec<OfflinePushEvent<'a>> });
mirror!(AllMemberPushEvent { "CallbackCommand" cmd: O<'a>, "EventType" event_type: U32<'a>, "TaskId" task_id: S<'a>, "TaskTime" task_time: U64<'a>, "EventTime" event_time: U64<'a>, "To_Account" to_account: S<'a>, "PushPlatform" push_platform: U32<'a>, "PushStage" push_stage: U32<'a>, "ErrCode" err_code: I64<'a>, "ErrInfo" err_info: S<'a> });
mirror!(PushAllMemberPush { "CallbackCommand" cmd: O<'a>, "Events" events: Vec<AllMemberPushEvent<'a>> });
mirror!(Extension { "Key" key: S<'a>, "Value" value: S<'a>, "Seq" seq: U64<'a> });
mirror!(GroupBeforeCreateTopic { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: O<'a>, "Operator_Account" operator_account: S<'a>, "Type" group_type: S<'a>, "Name" name: S<'a>, "EventTime" event_time: T<'a> });
mirror!(GroupAfterCreateTopic { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "TopicId" topic_id: S<'a>, "Operator_Account" operator_account: S<'a>, "Owner_Account" owner_account: S<'a>, "Type" group_type: S<'a>, "Name" name: S<'a>, "UserDefinedDataList" user_defined_data_list: Vec<Udd<'a>>, "EventTime" event_time: T<'a> });
mirror!(GroupAfterTopicDestroyed { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "Type" group_type: S<'a>, "TopicIdList" topic_id_list: Vec<S<'a>>, "EventTime" event_time: T<'a> });
mirror!(GroupAfterTopicInfoChanged { "CallbackCommand" cmd: O<'a>, "GroupId" group_id: S<'a>, "TopicId" topic_id: O<'a>, "Type" group_type: S<'a>, "Operator_Account" operator_account: S<'a>, "Name" name: O<'a>, "Introduction" introduction: O<'a>, "Notification" notification: O<'a>, "FaceUrl" face_url: O<'a>, "EventTime" event_time: T<'a> });

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
    #[serde(rename = "Alert.RequestOverLimit", borrow)]
    AlertRequestOverLimit(AlertRequestOverLimit<'a>),
    #[serde(rename = "Group.CallbackOnDailyGroupQuotaAlarm", borrow)]
    GroupOnDailyGroupQuotaAlarm(GroupOnDailyGroupQuotaAlarm<'a>),
    #[serde(rename = "Bot.OnC2CMessage", borrow)]
    BotOnC2cMessage(BotOnC2cMessage<'a>),
    #[serde(rename = "Bot.OnGroupMessage", borrow)]
    BotOnGroupMessage(BotOnGroupMessage<'a>),
    #[serde(rename = "Chatbot.OnC2CSignalMessage", borrow)]
    ChatbotOnC2cSignalMessage(ChatbotOnC2cSignalMessage<'a>),
    #[serde(rename = "C2C.CallbackAfterModifyMsg", borrow)]
    C2cAfterModifyMsg(C2cAfterModifyMsg<'a>),
    #[serde(rename = "C2C.CallbackAfterC2CMsgExtension", borrow)]
    C2cAfterC2cMsgExtension(C2cAfterC2cMsgExtension<'a>),
    #[serde(rename = "ContentCallback.ResultNotify", borrow)]
    ContentResultNotify(ContentResultNotify<'a>),
    #[serde(rename = "Follow.CallbackAfterFollowAdd", borrow)]
    FollowAfterFollowAdd(FollowAfterFollowAdd<'a>),
    #[serde(rename = "Follow.CallbackAfterFollowDelete", borrow)]
    FollowAfterFollowDelete(FollowAfterFollowDelete<'a>),
    #[serde(rename = "Group.CallbackOnMemberStateChange", borrow)]
    GroupOnMemberStateChange(GroupOnMemberStateChange<'a>),
    #[serde(rename = "Group.CallbackSendMsgException", borrow)]
    GroupSendMsgException(GroupSendMsgException<'a>),
    #[serde(rename = "Group.CallbackAfterRecallMsg", borrow)]
    GroupAfterRecallMsg(GroupAfterRecallMsg<'a>),
    #[serde(rename = "Group.CallbackAfterMemberFieldChanged", borrow)]
    GroupAfterMemberFieldChanged(GroupAfterMemberFieldChanged<'a>),
    #[serde(rename = "Group.CallbackAfterGroupAttrChanged", borrow)]
    GroupAfterGroupAttrChanged(GroupAfterGroupAttrChanged<'a>),
    #[serde(rename = "Group.CallbackAfterReadReceipt", borrow)]
    GroupAfterReadReceipt(GroupAfterReadReceipt<'a>),
    #[serde(rename = "Group.CallbackAfterChangeGroupOwner", borrow)]
    GroupAfterChangeGroupOwner(GroupAfterChangeGroupOwner<'a>),
    #[serde(rename = "Group.CallbackAfterGroupMsgExtension", borrow)]
    GroupAfterGroupMsgExtension(GroupAfterGroupMsgExtension<'a>),
    #[serde(rename = "OfficialAccount.CallbackBeforeCreateOfficialAccount", borrow)]
    OfficialAccountBeforeCreateOfficialAccount(OfficialAccountBeforeCreateOfficialAccount<'a>),
    #[serde(rename = "OfficialAccount.CallbackAfterCreateOfficialAccount", borrow)]
    OfficialAccountAfterCreateOfficialAccount(OfficialAccountAfterCreateOfficialAccount<'a>),
    #[serde(
        rename = "OfficialAccount.CallbackAfterOfficialAccountInfoChanged",
        borrow
    )]
    OfficialAccountAfterOfficialAccountInfoChanged(
        OfficialAccountAfterOfficialAccountInfoChanged<'a>,
    ),
    #[serde(
        rename = "OfficialAccount.CallbackAfterOfficialAccountDestroyed",
        borrow
    )]
    OfficialAccountAfterOfficialAccountDestroyed(OfficialAccountAfterOfficialAccountDestroyed<'a>),
    #[serde(rename = "OfficialAccount.CallbackBeforeAddSubscriber", borrow)]
    OfficialAccountBeforeAddSubscriber(OfficialAccountBeforeAddSubscriber<'a>),
    #[serde(rename = "OfficialAccount.CallbackAfterAddSubscriber", borrow)]
    OfficialAccountAfterAddSubscriber(OfficialAccountAfterAddSubscriber<'a>),
    #[serde(rename = "OfficialAccount.CallbackAfterOfficialAccountFull", borrow)]
    OfficialAccountAfterOfficialAccountFull(OfficialAccountAfterOfficialAccountFull<'a>),
    #[serde(rename = "OfficialAccount.CallbackAfterDeleteSubscriber", borrow)]
    OfficialAccountAfterDeleteSubscriber(OfficialAccountAfterDeleteSubscriber<'a>),
    #[serde(rename = "OfficialAccount.CallbackBeforeSendMsg", borrow)]
    OfficialAccountBeforeSendMsg(OfficialAccountBeforeSendMsg<'a>),
    #[serde(rename = "OfficialAccount.CallbackAfterSendMsg", borrow)]
    OfficialAccountAfterSendMsg(OfficialAccountAfterSendMsg<'a>),
    #[serde(rename = "OfficialAccount.CallbackAfterMsgWithDraw", borrow)]
    OfficialAccountAfterMsgWithDraw(OfficialAccountAfterMsgWithDraw<'a>),
    #[serde(rename = "Profile.CallbackPortraitSet", borrow)]
    ProfilePortraitSet(ProfilePortraitSet<'a>),
    #[serde(rename = "Push.OfflinePush", borrow)]
    PushOfflinePush(PushOfflinePush<'a>),
    #[serde(rename = "Push.AllMemberPush", borrow)]
    PushAllMemberPush(PushAllMemberPush<'a>),
    #[serde(rename = "Group.CallbackBeforeCreateTopic", borrow)]
    GroupBeforeCreateTopic(GroupBeforeCreateTopic<'a>),
    #[serde(rename = "Group.CallbackAfterCreateTopic", borrow)]
    GroupAfterCreateTopic(GroupAfterCreateTopic<'a>),
    #[serde(rename = "Group.CallbackAfterTopicDestroyed", borrow)]
    GroupAfterTopicDestroyed(GroupAfterTopicDestroyed<'a>),
    #[serde(rename = "Group.CallbackAfterTopicInfoChanged", borrow)]
    GroupAfterTopicInfoChanged(GroupAfterTopicInfoChanged<'a>),
}

/// Deserializes `body` as the type of `command` with `de`, and folds it into a checksum.
/// Dispatch is by a prior sniff, the best a serde user can do.
#[macro_export]
macro_rules! typed_dispatch {
    ($command:expr, $de:ident, $body:expr) => {{
        use tim_callback::Command as C;
        use $crate::mirror::*;
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
            C::AlertRequestOverLimit => $de::<AlertRequestOverLimit>($body),
            C::GroupOnDailyGroupQuotaAlarm => $de::<GroupOnDailyGroupQuotaAlarm>($body),
            C::BotOnC2cMessage => $de::<BotOnC2cMessage>($body),
            C::BotOnGroupMessage => $de::<BotOnGroupMessage>($body),
            C::ChatbotOnC2cSignalMessage => $de::<ChatbotOnC2cSignalMessage>($body),
            C::C2cAfterModifyMsg => $de::<C2cAfterModifyMsg>($body),
            C::C2cAfterC2cMsgExtension => $de::<C2cAfterC2cMsgExtension>($body),
            C::ContentResultNotify => $de::<ContentResultNotify>($body),
            C::FollowAfterFollowAdd => $de::<FollowAfterFollowAdd>($body),
            C::FollowAfterFollowDelete => $de::<FollowAfterFollowDelete>($body),
            C::GroupOnMemberStateChange => $de::<GroupOnMemberStateChange>($body),
            C::GroupSendMsgException => $de::<GroupSendMsgException>($body),
            C::GroupAfterRecallMsg => $de::<GroupAfterRecallMsg>($body),
            C::GroupAfterMemberFieldChanged => $de::<GroupAfterMemberFieldChanged>($body),
            C::GroupAfterGroupAttrChanged => $de::<GroupAfterGroupAttrChanged>($body),
            C::GroupAfterReadReceipt => $de::<GroupAfterReadReceipt>($body),
            C::GroupAfterChangeGroupOwner => $de::<GroupAfterChangeGroupOwner>($body),
            C::GroupAfterGroupMsgExtension => $de::<GroupAfterGroupMsgExtension>($body),
            C::OfficialAccountBeforeCreateOfficialAccount => {
                $de::<OfficialAccountBeforeCreateOfficialAccount>($body)
            }
            C::OfficialAccountAfterCreateOfficialAccount => {
                $de::<OfficialAccountAfterCreateOfficialAccount>($body)
            }
            C::OfficialAccountAfterOfficialAccountInfoChanged => {
                $de::<OfficialAccountAfterOfficialAccountInfoChanged>($body)
            }
            C::OfficialAccountAfterOfficialAccountDestroyed => {
                $de::<OfficialAccountAfterOfficialAccountDestroyed>($body)
            }
            C::OfficialAccountBeforeAddSubscriber => {
                $de::<OfficialAccountBeforeAddSubscriber>($body)
            }
            C::OfficialAccountAfterAddSubscriber => $de::<OfficialAccountAfterAddSubscriber>($body),
            C::OfficialAccountAfterOfficialAccountFull => {
                $de::<OfficialAccountAfterOfficialAccountFull>($body)
            }
            C::OfficialAccountAfterDeleteSubscriber => {
                $de::<OfficialAccountAfterDeleteSubscriber>($body)
            }
            C::OfficialAccountBeforeSendMsg => $de::<OfficialAccountBeforeSendMsg>($body),
            C::OfficialAccountAfterSendMsg => $de::<OfficialAccountAfterSendMsg>($body),
            C::OfficialAccountAfterMsgWithDraw => $de::<OfficialAccountAfterMsgWithDraw>($body),
            C::ProfilePortraitSet => $de::<ProfilePortraitSet>($body),
            C::PushOfflinePush => $de::<PushOfflinePush>($body),
            C::PushAllMemberPush => $de::<PushAllMemberPush>($body),
            C::GroupBeforeCreateTopic => $de::<GroupBeforeCreateTopic>($body),
            C::GroupAfterCreateTopic => $de::<GroupAfterCreateTopic>($body),
            C::GroupAfterTopicDestroyed => $de::<GroupAfterTopicDestroyed>($body),
            C::GroupAfterTopicInfoChanged => $de::<GroupAfterTopicInfoChanged>($body),
            C::Unknown(_) => 0,
            // `Command` is non-exhaustive: a command added to the crate without a mirror
            // type stops the benchmark instead of being skipped.
            other => panic!("the benchmark mirror has no type for {other}"),
        }
    }};
}
