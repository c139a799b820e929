//! The reference model: each event written independently with serde derive and owned
//! `String`/`Vec`, judged by serde_json. Shared by the differential test and the fuzz target.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value as J;
use serde_json::value::RawValue;

// ============================================================================================
// The reference model

/// A key that, when present, must hold a `T` (unlike `Option`, `null` is not "absent").
#[derive(Debug, Default)]
enum Present<T> {
    #[default]
    Absent,
    Given(T),
}
impl<T> Skip for Present<T> {
    fn skip(&self) -> bool {
        matches!(self, Present::Absent)
    }
}
impl<T: Serialize> Serialize for Present<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Present::Given(v) => v.serialize(s),
            Present::Absent => s.serialize_unit(),
        }
    }
}
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Present<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Present::Given)
    }
}

/// EventTime: a u64 number, or a non-empty string of ASCII digits that fits u64.
#[derive(Debug, Default)]
struct Time(u64, bool);
impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            N(u64),
            S(String),
        }
        match Either::deserialize(d)? {
            Either::N(n) => Ok(Time(n, false)),
            Either::S(s) if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) => {
                s.parse().map(|n| Time(n, true)).map_err(D::Error::custom)
            }
            Either::S(s) => Err(D::Error::custom(format!("not digits: {s:?}"))),
        }
    }
}
impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.1 {
            s.serialize_str(&self.0.to_string())
        } else {
            s.serialize_u64(self.0)
        }
    }
}

/// `T` read from an object only: serde derive would also take an array, which the crate rejects.
fn object_only<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    struct ObjectOnly<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for ObjectOnly<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_map(ObjectOnly(std::marker::PhantomData))
}

/// A record: an object (never an array, which serde derive would also take), missing keys
/// defaulted, duplicate keys rejected, options left out when absent.
/// A key may have an alias (`"Key" | "Other"`): either spelling fills the field, both together
/// are a duplicate field, and it is written under the key.
macro_rules! model {
    ($name:ident { $( $key:literal $(| $alias:literal)? $field:ident : $ty:ty ),* $(,)? }) => {
        #[derive(Debug, Default, Serialize)]
        pub struct $name {
            $(
                #[serde(rename = $key, skip_serializing_if = "Skip::skip")]
                $field: $ty,
            )*
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #[derive(Default, Deserialize)]
                #[serde(default)]
                struct Fields {
                    $( #[serde(rename = $key $(, alias = $alias)?)] $field: $ty, )*
                }
                let f: Fields = object_only(d)?;
                Ok($name { $( $field: f.$field, )* })
            }
        }
    };
}

/// Options are left out when absent; everything else is always written.
trait Skip {
    fn skip(&self) -> bool {
        false
    }
}
impl<T> Skip for Option<T> {
    fn skip(&self) -> bool {
        self.is_none()
    }
}
macro_rules! never_skip { ($($t:ty),*) => { $(impl Skip for $t {})* }; }
impl<T> Skip for Vec<T> {}
never_skip!(String, u32, u64, i64, f64, J, Info);

model!(Member { "Member_Account" member: String });
model!(Pair { "From_Account" from: String, "To_Account" to: String });
model!(FPair { "From_Account" from: String, "To_Account" to: String, "Initiator_Account" init: String });
model!(Udd { "Key" key: String, "Value" value: Present<J> });
model!(Kicked { "Platform" platform: String });
model!(Info { "Action" action: String, "To_Account" to: String, "Reason" reason: String });
model!(FItem { "To_Account" to: String, "Remark" remark: String, "GroupName" group: String,
    "AddSource" source: String, "AddWording" wording: String });
model!(RItem { "To_Account" to: String, "Remark" remark: String, "TagName" tag: String,
    "ResponseAction" action: String });

model!(Text { "Text" text: String });
model!(Location { "Desc" desc: String, "Latitude" lat: f64, "Longitude" lon: f64 });
model!(Face { "Index" index: u32, "Data" data: String });
model!(Custom { "Data" data: String, "Desc" desc: String, "Ext" ext: String, "Sound" sound: String });
model!(Sound { "Url" url: String, "UUID" uuid: String, "Size" size: u64, "Second" second: u32,
    "Download_Flag" flag: u32 });
model!(Image { "Type" kind: u32, "Size" size: u64, "Width" w: u32, "Height" h: u32, "URL" url: String });
model!(ImageElem { "UUID" uuid: String, "ImageFormat" format: u32, "ImageInfoArray" infos: Vec<Image> });
model!(File { "Url" url: String, "UUID" uuid: String, "FileSize" size: u64, "FileName" name: String,
    "Download_Flag" flag: u32 });
model!(Video { "VideoUrl" a: String, "VideoUUID" b: String, "VideoSize" c: u64, "VideoSecond" d: u32,
    "VideoFormat" e: String, "VideoDownloadFlag" f: u32, "ThumbUrl" g: String, "ThumbUUID" h: String,
    "ThumbSize" i: u64, "ThumbWidth" j: u32, "ThumbHeight" k: u32, "ThumbFormat" l: String,
    "ThumbDownloadFlag" m: u32 });
model!(RelayMsg { "From_Account" from: String, "To_Account" to: Option<String>,
    "GroupId" group: Option<String>, "MsgSeq" seq: u32, "MsgRandom" random: u32,
    "MsgTimeStamp" ts: u64, "MsgBody" body: Vec<Elem>, "CloudCustomData" ccd: Option<String> });
model!(Relay { "Title" title: String, "MsgNum" num: u32, "CompatibleText" compat: String,
    "AbstractList" abs: Vec<String>, "MsgList" list: Vec<RelayMsg>, "JsonMsgKey" key: Option<String> });

/// A message element: `MsgType` picks how `MsgContent` is read; unknown types keep it as JSON.
#[derive(Debug)]
struct Elem(J);
impl Skip for Elem {}
impl Serialize for Elem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}
impl<'de> Deserialize<'de> for Elem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Raw {
            #[serde(rename = "MsgType")]
            kind: Present<String>,
            #[serde(rename = "MsgContent")]
            content: Present<Box<RawValue>>,
        }
        let raw: Raw = object_only(d)?;
        let kind = match raw.kind {
            Present::Given(k) => k,
            Present::Absent => String::new(),
        };
        fn typed<T: DeserializeOwned + Default + Serialize, E: serde::de::Error>(
            c: &Present<Box<RawValue>>,
        ) -> Result<J, E> {
            let v: T = match c {
                Present::Given(raw) => serde_json::from_str(raw.get()).map_err(E::custom)?,
                Present::Absent => T::default(),
            };
            serde_json::to_value(v).map_err(E::custom)
        }
        let content = match kind.as_str() {
            "TIMTextElem" => Some(typed::<Text, D::Error>(&raw.content)?),
            "TIMLocationElem" => Some(typed::<Location, D::Error>(&raw.content)?),
            "TIMFaceElem" => Some(typed::<Face, D::Error>(&raw.content)?),
            "TIMCustomElem" => Some(typed::<Custom, D::Error>(&raw.content)?),
            "TIMSoundElem" => Some(typed::<Sound, D::Error>(&raw.content)?),
            "TIMImageElem" => Some(typed::<ImageElem, D::Error>(&raw.content)?),
            "TIMFileElem" => Some(typed::<File, D::Error>(&raw.content)?),
            "TIMVideoFileElem" => Some(typed::<Video, D::Error>(&raw.content)?),
            "TIMRelayElem" => Some(typed::<Relay, D::Error>(&raw.content)?),
            _ => match &raw.content {
                Present::Given(r) => Some(serde_json::from_str(r.get()).map_err(D::Error::custom)?),
                Present::Absent => None,
            },
        };
        let mut out = serde_json::Map::new();
        out.insert("MsgType".into(), J::String(kind));
        if let Some(c) = content {
            out.insert("MsgContent".into(), c);
        }
        Ok(Elem(J::Object(out)))
    }
}

model!(StateChange { "CallbackCommand" cmd: Option<String>, "EventTime" t: Option<Time>,
    "Info" info: Info, "KickedDevice" kicked: Vec<Kicked> });
model!(PrevFriendAdd { "CallbackCommand" cmd: Option<String>, "Requester_Account" req: String,
    "From_Account" from: String, "FriendItem" items: Vec<FItem>, "AddType" add: String,
    "ForceAddFlags" force: u32, "EventTime" t: Option<Time> });
model!(PrevFriendResponse { "CallbackCommand" cmd: Option<String>, "Requester_Account" req: String,
    "From_Account" from: String, "ResponseFriendItem" items: Vec<RItem>, "EventTime" t: Option<Time> });
model!(FriendAdd { "CallbackCommand" cmd: Option<String>, "PairList" pairs: Vec<FPair>,
    "ClientCmd" client: String, "Admin_Account" admin: String, "ForceFlag" force: u32,
    "EventTime" t: Option<Time> });
model!(Pairs { "CallbackCommand" cmd: Option<String>, "PairList" pairs: Vec<Pair>, "EventTime" t: Option<Time> });
model!(C2cBefore { "CallbackCommand" cmd: Option<String>, "From_Account" from: String,
    "To_Account" to: String, "MsgSeq" seq: u32, "MsgRandom" random: u32, "MsgTime" time: u64,
    "MsgKey" key: String, "OnlineOnlyFlag" online: u32, "MsgBody" body: Vec<Elem>,
    "CloudCustomData" ccd: String, "EventTime" t: Option<Time> });
model!(C2cAfter { "CallbackCommand" cmd: Option<String>, "From_Account" from: String,
    "To_Account" to: String, "MsgSeq" seq: u32, "MsgRandom" random: u32, "MsgTime" time: u64,
    "MsgKey" key: String, "OnlineOnlyFlag" online: u32, "SendMsgResult" result: i64,
    "ErrorInfo" info: String, "UnreadMsgNum" unread: i64, "MsgBody" body: Vec<Elem>,
    "CloudCustomData" ccd: String, "EventTime" t: Option<Time> });
model!(C2cReport { "CallbackCommand" cmd: Option<String>, "Report_Account" report: String,
    "Peer_Account" peer: String, "LastReadTime" last: u64, "UnreadMsgNum" unread: i64,
    "EventTime" t: Option<Time> });
model!(C2cWithdraw { "CallbackCommand" cmd: Option<String>, "From_Account" from: String,
    "To_Account" to: String, "MsgKey" key: String, "UnreadMsgNum" unread: i64, "EventTime" t: Option<Time> });
model!(BeforeCreate { "CallbackCommand" cmd: Option<String>, "Operator_Account" op: String,
    "Owner_Account" owner: String, "Type" kind: String, "Name" name: String,
    "CreateGroupNum" | "CreatedGroupNum" num: u32, "MemberList" members: Vec<Member>,
    "EventTime" t: Option<Time> });
model!(AfterCreate { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "Operator_Account" op: String, "Owner_Account" owner: String, "Type" kind: String,
    "Name" name: String, "Introduction" intro: Option<String>, "Notification" note: Option<String>,
    "MemberList" members: Vec<Member>, "CreateGroupNum" | "CreatedGroupNum" num: Option<u32>,
    "UserDefinedDataList" udd: Vec<Udd>, "EventTime" t: Option<Time> });
model!(ApplyJoin { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "Requestor_Account" req: String, "EventTime" t: Option<Time> });
model!(InviteJoin { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "Operator_Account" op: String, "DestinationMembers" members: Vec<Member>, "EventTime" t: Option<Time> });
model!(NewMember { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "JoinType" join: String, "Operator_Account" op: String, "NewMemberList" members: Vec<Member>,
    "EventTime" t: Option<Time> });
model!(MemberExit { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "ExitType" exit: String, "Operator_Account" op: String, "ExitMemberList" members: Vec<Member>,
    "EventTime" t: Option<Time> });
model!(GroupBefore { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "From_Account" from: String, "Operator_Account" op: String, "Random" random: u32,
    "OnlineOnlyFlag" online: u32, "MsgBody" body: Vec<Elem>, "CloudCustomData" ccd: String,
    "TopicId" topic: Option<String>, "EventTime" t: Option<Time> });
model!(GroupAfter { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "From_Account" from: String, "Operator_Account" op: String, "Random" random: u32,
    "MsgSeq" seq: u32, "MsgTime" time: u64, "OnlineOnlyFlag" online: u32, "MsgBody" body: Vec<Elem>,
    "CloudCustomData" ccd: String, "TopicId" topic: Option<String>, "MsgId" id: Option<String>,
    "EventTime" t: Option<Time> });
model!(Full { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "EventTime" t: Option<Time> });
model!(Destroyed { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "Owner_Account" owner: String, "Name" name: String, "MemberList" members: Vec<Member>,
    "EventTime" t: Option<Time> });
model!(InfoChanged { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "Operator_Account" op: String, "Name" name: Option<String>, "Introduction" intro: Option<String>,
    "Notification" note: Option<String>, "FaceUrl" face: Option<String>, "EventTime" t: Option<Time> });

// The commands beyond the Go SDK's.
model!(Ext { "Key" key: String, "Value" value: String, "Seq" seq: u64 });
model!(Followed { "To_Account" to: String });
model!(ProfileItem { "Tag" tag: String, "Value" value: Present<J> });
model!(Recalled { "MsgSeq" seq: u32 });
model!(Attr { "key" key: String, "value" value: String });
model!(Receipt { "MsgSeq" seq: u32, "ReadNum" read: u64, "UnreadNum" unread: u64,
    "ReadReceiptMembers" members: Vec<Member> });
model!(Contact { "ContactType" | "Type" kind: u32, "To_Account" to: Option<String>,
    "ToGroupId" group: Option<String> });
model!(Subscriber { "Subscriber_Account" account: String });
model!(Withdrawn { "MsgKey" key: String });
model!(OfflineEvt { "CallbackCommand" cmd: Is<0>, "EventType" kind: u32, "EventTime" t: u64,
    "From_Account" from: String, "To_Account" to: String, "PushPlatform" platform: u32,
    "PushStage" stage: u32, "MsgKey" key: Option<String>, "MsgSeq" seq: u32, "MsgRandom" random: u32,
    "MsgTime" time: u64, "PushID" id: String, "ErrCode" code: i64, "ErrInfo" info: String,
    "GroupID" group: Option<String> });
model!(AllMemberEvt { "CallbackCommand" cmd: Is<1>, "EventType" kind: u32, "TaskId" task: String,
    "TaskTime" task_time: u64, "EventTime" t: u64, "To_Account" to: String,
    "PushPlatform" platform: u32, "PushStage" stage: u32, "ErrCode" code: i64, "ErrInfo" info: String });

/// A push event's own `CallbackCommand`: absent or the batch's; written as the batch's.
#[derive(Debug, Default)]
struct Is<const K: usize>;
const PUSH: [&str; 2] = ["Push.OfflinePush", "Push.AllMemberPush"];
impl<const K: usize> Skip for Is<K> {}
impl<const K: usize> Serialize for Is<K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(PUSH[K])
    }
}
impl<'de, const K: usize> Deserialize<'de> for Is<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let c = String::deserialize(d)?;
        if c == PUSH[K] {
            Ok(Is)
        } else {
            Err(D::Error::custom("push event of another command"))
        }
    }
}

model!(RequestOverLimit { "CallbackCommand" cmd: Option<String>, "ServiceName" service: String,
    "Command" command: String, "Request" request: u64, "Limit" limit: u64 });
model!(QuotaAlarm { "CallbackCommand" cmd: Option<String>, "QuotaUsed" used: u64, "Quota" quota: u64,
    "EventTime" t: Option<Time> });
model!(PortraitSet { "CallbackCommand" cmd: Option<String>, "Operator_Account" op: String,
    "From_Account" from: String, "ProfileItem" items: Vec<ProfileItem>, "EventTime" t: Option<Time> });
model!(FollowAdd { "CallbackCommand" cmd: Option<String>, "From_Account" from: String,
    "FollowList" list: Vec<Followed>, "EventTime" t: Option<Time> });
model!(FollowDelete { "CallbackCommand" cmd: Option<String>, "From_Account" from: String,
    "To_Account" to: Vec<String>, "EventTime" t: Option<Time> });
model!(C2cModify { "CallbackCommand" cmd: Option<String>, "Operator_Account" op: String,
    "From_Account" from: String, "To_Account" to: String, "MsgSeq" seq: u32, "MsgRandom" random: u32,
    "MsgTime" time: u64, "MsgKey" key: String, "MsgBody" body: Vec<Elem>,
    "CloudCustomData" ccd: String, "EventTime" t: Option<Time> });
model!(C2cExtension { "CallbackCommand" cmd: Option<String>, "From_Account" from: String,
    "To_Account" to: String, "MsgKey" key: String, "OperateType" op: u32, "ExtensionList" list: Vec<Ext>,
    "Seq" seq: u64, "EventTime" t: Option<Time> });
model!(BotC2c { "CallbackCommand" cmd: Option<String>, "From_Account" from: String,
    "To_Account" to: String, "MsgSeq" seq: u32, "MsgRandom" random: u32, "MsgTime" time: u64,
    "MsgKey" key: String, "OnlineOnlyFlag" online: u32, "SendMsgResult" result: i64,
    "ErrorInfo" info: String, "MsgBody" body: Vec<Elem>, "CloudCustomData" ccd: String,
    "EventTime" t: Option<Time> });
model!(BotGroup { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "From_Account" from: String, "Operator_Account" op: String, "Random" random: u32,
    "MsgSeq" seq: u32, "MsgTime" time: u64, "OnlineOnlyFlag" online: u32, "MsgBody" body: Vec<Elem>,
    "AtRobots_Account" | "AtRobotAccount" robots: Vec<String>, "CloudCustomData" ccd: String,
    "EventTime" t: Option<Time> });
model!(Signal { "CallbackCommand" cmd: Option<String>, "From_Account" from: String,
    "To_Account" to: String, "MsgSeq" seq: Option<u32>, "MsgRandom" random: Option<u32>,
    "MsgKey" key: Option<String>, "Data" data: Option<String>, "EventTime" t: Option<Time> });
model!(MemberState { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "Type" kind: Option<String>, "EventType" event: String, "MemberList" members: Vec<Member>,
    "EventTime" t: Option<Time> });
model!(SendException { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "Type" kind: String, "From_Account" from: String, "Operator_Account" op: String,
    "Random" random: u32, "OnlineOnlyFlag" online: u32, "MsgBody" body: Vec<Elem>,
    "CloudCustomData" ccd: String, "ErrorCode" code: i64, "ErrorInfo" info: String,
    "EventTime" t: Option<Time> });
model!(BeforeTopic { "CallbackCommand" cmd: Option<String>, "GroupId" group: Option<String>,
    "Operator_Account" op: String, "Type" kind: String, "Name" name: String, "EventTime" t: Option<Time> });
model!(AfterTopic { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "TopicId" topic: String, "Operator_Account" op: String, "Owner_Account" owner: String,
    "Type" kind: String, "Name" name: String, "UserDefinedDataList" udd: Vec<Udd>,
    "EventTime" t: Option<Time> });
model!(TopicDestroyed { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "Type" kind: String, "TopicIdList" topics: Vec<String>, "EventTime" t: Option<Time> });
model!(TopicInfo { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "TopicId" topic: Option<String>, "Type" kind: String, "Operator_Account" op: String,
    "Name" name: Option<String>, "Introduction" intro: Option<String>,
    "Notification" note: Option<String>, "FaceUrl" face: Option<String>, "EventTime" t: Option<Time> });
model!(Recall { "CallbackCommand" cmd: Option<String>, "GroupId" group: String, "Type" kind: String,
    "Operator_Account" op: String, "MsgSeqList" list: Vec<Recalled>, "TopicId" topic: Option<String>,
    "EventTime" t: Option<Time> });
model!(MemberField { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "Type" kind: String, "Operator_Account" op: String,
    "Member_Account" | "Modified_Account" member: String, "Role" role: Option<String>,
    "NameCard" card: Option<String>, "EventTime" t: Option<Time> });
model!(AttrChanged { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "Type" kind: String, "Operator_Account" op: String, "OptionType" option: String,
    "GroupAttr" attrs: Vec<Attr>, "EventTime" t: Option<Time> });
model!(ReadReceipt { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "Type" kind: String, "GroupMsgReceiptList" list: Vec<Receipt>, "EventTime" t: Option<Time> });
model!(OwnerChanged { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "Type" kind: String, "Operator_Account" op: String, "OldOwner_Account" old: String,
    "NewOwner_Account" new: String, "EventTime" t: Option<Time> });
model!(GroupExtension { "CallbackCommand" cmd: Option<String>, "GroupId" group: String,
    "MsgSeq" seq: u32, "OperateType" op: u32, "ExtensionList" list: Vec<Ext>, "Seq" version: u64,
    "EventTime" t: Option<Time> });
model!(Moderation { "CallbackCommand" cmd: Option<String>, "Scene" scene: String,
    "SdkAppId" app: u64, "From_Account" from: String, "ContactItem" contact: Contact,
    "ContentType" kind: String, "TextContent" texts: Vec<String>, "FileURL" file: Option<String>,
    "MsgID" id: String, "CtxcbResult" result: u32, "CtxcbRequestId" request: String,
    "CtxcbKeywords" keywords: Vec<String>, "CtxcbSuggestion" suggestion: Option<String>,
    "CtxcbLabel" label: Option<String>, "CtxcbSubLabel" sub: Option<String>,
    "CtxcbSubLabelDesc" sub_desc: Option<String>, "CtxcbLibName" lib: Option<String>,
    "CloudCustomData" ccd: Option<String> });
model!(OaBeforeCreate { "CallbackCommand" cmd: Option<String>, "Operator_Account" op: String,
    "Owner_Account" owner: String, "Name" name: String, "EventTime" t: Option<Time> });
model!(OaAfterCreate { "CallbackCommand" cmd: Option<String>, "Operator_Account" op: String,
    "Official_Account" oa: String, "Owner_Account" owner: String, "Name" name: String,
    "EventTime" t: Option<Time> });
model!(OaInfo { "CallbackCommand" cmd: Option<String>, "Official_Account" oa: String,
    "Operator_Account" op: String, "Introduction" intro: Option<String>, "Name" name: Option<String>,
    "FaceUrl" face: Option<String>, "Organization" org: Option<String>, "EventTime" t: Option<Time> });
model!(OaDestroyed { "CallbackCommand" cmd: Option<String>, "Official_Account" oa: String,
    "Owner_Account" owner: String, "Name" name: String, "EventTime" t: Option<Time> });
model!(OaSubscribers { "CallbackCommand" cmd: Option<String>, "Official_Account" oa: String,
    "Operator_Account" op: String, "SubscribeAccountList" list: Vec<Subscriber>,
    "EventTime" t: Option<Time> });
model!(OaFull { "CallbackCommand" cmd: Option<String>, "Official_Account" oa: String,
    "EventTime" t: Option<Time> });
model!(OaBeforeSend { "CallbackCommand" cmd: Option<String>, "Official_Account" oa: String,
    "OnlineOnlyFlag" online: u32, "MsgBody" body: Vec<Elem>, "CloudCustomData" ccd: String,
    "EventTime" t: Option<Time> });
model!(OaAfterSend { "CallbackCommand" cmd: Option<String>, "Official_Account" oa: String,
    "MsgKey" key: String, "MsgTime" time: u64, "OnlineOnlyFlag" online: u32, "MsgBody" body: Vec<Elem>,
    "CloudCustomData" ccd: String, "EventTime" t: Option<Time> });
model!(OaWithdraw { "CallbackCommand" cmd: Option<String>, "Official_Account" oa: String,
    "WithdrawMsgList" list: Vec<Withdrawn>, "EventTime" t: Option<Time> });
model!(OfflinePush { "CallbackCommand" cmd: Option<String>, "Events" events: Vec<OfflineEvt> });
model!(AllMemberPush { "CallbackCommand" cmd: Option<String>, "Events" events: Vec<AllMemberEvt> });

impl Skip for Time {}
never_skip!(Contact);

/// What the model makes of `text` as `command`: the event as JSON, or a rejection.
pub fn model(command: &str, text: &[u8]) -> Result<J, String> {
    fn go<T: DeserializeOwned + Serialize>(command: &str, text: &[u8]) -> Result<J, String> {
        // RFC 8259: the whole text is UTF-8 and every string is well-formed. serde_json skips
        // these checks inside values a typed struct ignores, so check the document first.
        serde_json::from_slice::<J>(text).map_err(|e| e.to_string())?;
        let v: T = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        let mut j = serde_json::to_value(v).map_err(|e| e.to_string())?;
        match j.get("CallbackCommand") {
            Some(J::String(c)) if c != command => return Err("command mismatch".into()),
            _ => {}
        }
        j["CallbackCommand"] = J::String(command.into());
        Ok(j)
    }
    match command {
        "State.StateChange" => go::<StateChange>(command, text),
        "Sns.CallbackPrevFriendAdd" => go::<PrevFriendAdd>(command, text),
        "Sns.CallbackPrevFriendResponse" => go::<PrevFriendResponse>(command, text),
        "Sns.CallbackFriendAdd" => go::<FriendAdd>(command, text),
        "Sns.CallbackFriendDelete" | "Sns.CallbackBlackListAdd" | "Sns.CallbackBlackListDelete" => {
            go::<Pairs>(command, text)
        }
        "C2C.CallbackBeforeSendMsg" => go::<C2cBefore>(command, text),
        "C2C.CallbackAfterSendMsg" => go::<C2cAfter>(command, text),
        "C2C.CallbackAfterMsgReport" => go::<C2cReport>(command, text),
        "C2C.CallbackAfterMsgWithDraw" => go::<C2cWithdraw>(command, text),
        "Group.CallbackBeforeCreateGroup" => go::<BeforeCreate>(command, text),
        "Group.CallbackAfterCreateGroup" => go::<AfterCreate>(command, text),
        "Group.CallbackBeforeApplyJoinGroup" => go::<ApplyJoin>(command, text),
        "Group.CallbackBeforeInviteJoinGroup" => go::<InviteJoin>(command, text),
        "Group.CallbackAfterNewMemberJoin" => go::<NewMember>(command, text),
        "Group.CallbackAfterMemberExit" => go::<MemberExit>(command, text),
        "Group.CallbackBeforeSendMsg" => go::<GroupBefore>(command, text),
        "Group.CallbackAfterSendMsg" => go::<GroupAfter>(command, text),
        "Group.CallbackAfterGroupFull" => go::<Full>(command, text),
        "Group.CallbackAfterGroupDestroyed" => go::<Destroyed>(command, text),
        "Group.CallbackAfterGroupInfoChanged" => go::<InfoChanged>(command, text),
        "Alert.RequestOverLimit" => go::<RequestOverLimit>(command, text),
        "Group.CallbackOnDailyGroupQuotaAlarm" => go::<QuotaAlarm>(command, text),
        "Profile.CallbackPortraitSet" => go::<PortraitSet>(command, text),
        "Follow.CallbackAfterFollowAdd" => go::<FollowAdd>(command, text),
        "Follow.CallbackAfterFollowDelete" => go::<FollowDelete>(command, text),
        "C2C.CallbackAfterModifyMsg" => go::<C2cModify>(command, text),
        "C2C.CallbackAfterC2CMsgExtension" => go::<C2cExtension>(command, text),
        "Bot.OnC2CMessage" => go::<BotC2c>(command, text),
        "Bot.OnGroupMessage" => go::<BotGroup>(command, text),
        "Chatbot.OnC2CSignalMessage" => go::<Signal>(command, text),
        "Group.CallbackOnMemberStateChange" => go::<MemberState>(command, text),
        "Group.CallbackSendMsgException" => go::<SendException>(command, text),
        "Group.CallbackBeforeCreateTopic" => go::<BeforeTopic>(command, text),
        "Group.CallbackAfterCreateTopic" => go::<AfterTopic>(command, text),
        "Group.CallbackAfterTopicDestroyed" => go::<TopicDestroyed>(command, text),
        "Group.CallbackAfterTopicInfoChanged" => go::<TopicInfo>(command, text),
        "Group.CallbackAfterRecallMsg" => go::<Recall>(command, text),
        "Group.CallbackAfterMemberFieldChanged" => go::<MemberField>(command, text),
        "Group.CallbackAfterGroupAttrChanged" => go::<AttrChanged>(command, text),
        "Group.CallbackAfterReadReceipt" => go::<ReadReceipt>(command, text),
        "Group.CallbackAfterChangeGroupOwner" => go::<OwnerChanged>(command, text),
        "Group.CallbackAfterGroupMsgExtension" => go::<GroupExtension>(command, text),
        "ContentCallback.ResultNotify" => go::<Moderation>(command, text),
        "OfficialAccount.CallbackBeforeCreateOfficialAccount" => {
            go::<OaBeforeCreate>(command, text)
        }
        "OfficialAccount.CallbackAfterCreateOfficialAccount" => go::<OaAfterCreate>(command, text),
        "OfficialAccount.CallbackAfterOfficialAccountInfoChanged" => go::<OaInfo>(command, text),
        "OfficialAccount.CallbackAfterOfficialAccountDestroyed" => go::<OaDestroyed>(command, text),
        "OfficialAccount.CallbackBeforeAddSubscriber"
        | "OfficialAccount.CallbackAfterAddSubscriber"
        | "OfficialAccount.CallbackAfterDeleteSubscriber" => go::<OaSubscribers>(command, text),
        "OfficialAccount.CallbackAfterOfficialAccountFull" => go::<OaFull>(command, text),
        "OfficialAccount.CallbackBeforeSendMsg" => go::<OaBeforeSend>(command, text),
        "OfficialAccount.CallbackAfterSendMsg" => go::<OaAfterSend>(command, text),
        "OfficialAccount.CallbackAfterMsgWithDraw" => go::<OaWithdraw>(command, text),
        "Push.OfflinePush" => go::<OfflinePush>(command, text),
        "Push.AllMemberPush" => go::<AllMemberPush>(command, text),
        other => panic!("no model for {other}"),
    }
}
