//! The shape of every command's body: its fields, their types, and how long its lists may be.
//!
//! One schema per command (58), written from the protocol reference, and one per message
//! element type. A key written `"Key|Alias"` has two spellings that Tencent uses for the same
//! field; a body gives one of them.

/// The type of a field, as the generator fills it.
#[derive(Clone, Copy, Debug)]
pub enum S {
    /// A string.
    Str,
    /// A number that fits `u32`.
    U32,
    /// A number that fits `u64`.
    U64,
    /// A number that fits `i64`.
    I64,
    /// A finite number.
    F64,
    /// A time: a `u64` number, or (a Tencent quirk) a string of digits.
    Time,
    /// A string from a vocabulary.
    Vocab(&'static [&'static str]),
    /// An object with these fields.
    Obj(&'static [(&'static str, S)]),
    /// A list of this type, with at most this many elements.
    List(&'static S, usize),
    /// Any JSON value.
    Any,
    /// A message body: a list of message elements (see [`ELEMENTS`]).
    Elems,
}

/// A command's name and fields.
pub type Schema = (&'static str, &'static [(&'static str, S)]);

const MEMBER: S = S::Obj(&[("Member_Account", S::Str)]);
const MEMBERS: S = S::List(&MEMBER, 300);
const GROUP_TYPE: S = S::Vocab(&[
    "Public",
    "Private",
    "Work",
    "ChatRoom",
    "AVChatRoom",
    "Community",
    "Live",
]);
const PAIRS: S = S::List(
    &S::Obj(&[("From_Account", S::Str), ("To_Account", S::Str)]),
    300,
);
const TIME: (&str, S) = ("EventTime", S::Time);

/// The Go SDK's 22 commands.
pub(crate) const OLDER: &[Schema] = &[
    (
        "State.StateChange",
        &[
            TIME,
            (
                "Info",
                S::Obj(&[
                    ("Action", S::Vocab(&["Login", "Logout", "Disconnect"])),
                    ("To_Account", S::Str),
                    (
                        "Reason",
                        S::Vocab(&["Register", "Unregister", "LinkClose", "TimeOut"]),
                    ),
                ]),
            ),
            (
                "KickedDevice",
                S::List(
                    &S::Obj(&[(
                        "Platform",
                        S::Vocab(&["iOS", "Android", "Web", "Windows", "iPad", "Mac", "Linux"]),
                    )]),
                    8,
                ),
            ),
        ],
    ),
    (
        "Sns.CallbackPrevFriendAdd",
        &[
            ("Requester_Account", S::Str),
            ("From_Account", S::Str),
            (
                "FriendItem",
                S::List(
                    &S::Obj(&[
                        ("To_Account", S::Str),
                        ("Remark", S::Str),
                        ("GroupName", S::Str),
                        ("AddSource", S::Str),
                        ("AddWording", S::Str),
                    ]),
                    20,
                ),
            ),
            ("AddType", S::Vocab(&["Add_Type_Single", "Add_Type_Both"])),
            ("ForceAddFlags", S::U32),
            TIME,
        ],
    ),
    (
        "Sns.CallbackPrevFriendResponse",
        &[
            ("Requester_Account", S::Str),
            ("From_Account", S::Str),
            (
                "ResponseFriendItem",
                S::List(
                    &S::Obj(&[
                        ("To_Account", S::Str),
                        ("Remark", S::Str),
                        ("TagName", S::Str),
                        (
                            "ResponseAction",
                            S::Vocab(&[
                                "Response_Action_AgreeAndAdd",
                                "Response_Action_Agree",
                                "Response_Action_Reject",
                            ]),
                        ),
                    ]),
                    20,
                ),
            ),
            TIME,
        ],
    ),
    (
        "Sns.CallbackFriendAdd",
        &[
            (
                "PairList",
                S::List(
                    &S::Obj(&[
                        ("From_Account", S::Str),
                        ("To_Account", S::Str),
                        ("Initiator_Account", S::Str),
                    ]),
                    50,
                ),
            ),
            (
                "ClientCmd",
                S::Vocab(&[
                    "friend_add",
                    "FriendAdd",
                    "friend_response",
                    "FriendResponse",
                ]),
            ),
            ("Admin_Account", S::Str),
            ("ForceFlag", S::U32),
            TIME,
        ],
    ),
    ("Sns.CallbackFriendDelete", &[("PairList", PAIRS), TIME]),
    ("Sns.CallbackBlackListAdd", &[("PairList", PAIRS), TIME]),
    ("Sns.CallbackBlackListDelete", &[("PairList", PAIRS), TIME]),
    (
        "C2C.CallbackBeforeSendMsg",
        &[
            ("From_Account", S::Str),
            ("To_Account", S::Str),
            ("MsgSeq", S::U32),
            ("MsgRandom", S::U32),
            ("MsgTime", S::U64),
            ("MsgKey", S::Str),
            ("OnlineOnlyFlag", S::U32),
            ("MsgBody", S::Elems),
            ("CloudCustomData", S::Str),
            TIME,
        ],
    ),
    (
        "C2C.CallbackAfterSendMsg",
        &[
            ("From_Account", S::Str),
            ("To_Account", S::Str),
            ("MsgSeq", S::U32),
            ("MsgRandom", S::U32),
            ("MsgTime", S::U64),
            ("MsgKey", S::Str),
            ("OnlineOnlyFlag", S::U32),
            ("SendMsgResult", S::I64),
            ("ErrorInfo", S::Str),
            ("UnreadMsgNum", S::I64),
            ("MsgBody", S::Elems),
            ("CloudCustomData", S::Str),
            TIME,
        ],
    ),
    (
        "C2C.CallbackAfterMsgReport",
        &[
            ("Report_Account", S::Str),
            ("Peer_Account", S::Str),
            ("LastReadTime", S::U64),
            ("UnreadMsgNum", S::I64),
            TIME,
        ],
    ),
    (
        "C2C.CallbackAfterMsgWithDraw",
        &[
            ("From_Account", S::Str),
            ("To_Account", S::Str),
            ("MsgKey", S::Str),
            ("UnreadMsgNum", S::I64),
            TIME,
        ],
    ),
    (
        "Group.CallbackBeforeCreateGroup",
        &[
            ("Operator_Account", S::Str),
            ("Owner_Account", S::Str),
            ("Type", GROUP_TYPE),
            ("Name", S::Str),
            ("CreateGroupNum|CreatedGroupNum", S::U32),
            ("MemberList", MEMBERS),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterCreateGroup",
        &[
            ("GroupId", S::Str),
            ("Operator_Account", S::Str),
            ("Owner_Account", S::Str),
            ("Type", GROUP_TYPE),
            ("Name", S::Str),
            ("Introduction", S::Str),
            ("Notification", S::Str),
            ("MemberList", MEMBERS),
            ("CreateGroupNum|CreatedGroupNum", S::U32),
            (
                "UserDefinedDataList",
                S::List(&S::Obj(&[("Key", S::Str), ("Value", S::Any)]), 8),
            ),
            TIME,
        ],
    ),
    (
        "Group.CallbackBeforeApplyJoinGroup",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("Requestor_Account", S::Str),
            TIME,
        ],
    ),
    (
        "Group.CallbackBeforeInviteJoinGroup",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("Operator_Account", S::Str),
            ("DestinationMembers", MEMBERS),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterNewMemberJoin",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("JoinType", S::Vocab(&["Apply", "Invited"])),
            ("Operator_Account", S::Str),
            ("NewMemberList", MEMBERS),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterMemberExit",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("ExitType", S::Vocab(&["Kicked", "Quit"])),
            ("Operator_Account", S::Str),
            ("ExitMemberList", MEMBERS),
            TIME,
        ],
    ),
    (
        "Group.CallbackBeforeSendMsg",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("From_Account", S::Str),
            ("Operator_Account", S::Str),
            ("Random", S::U32),
            ("OnlineOnlyFlag", S::U32),
            ("MsgBody", S::Elems),
            ("CloudCustomData", S::Str),
            ("TopicId", S::Str),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterSendMsg",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("From_Account", S::Str),
            ("Operator_Account", S::Str),
            ("Random", S::U32),
            ("MsgSeq", S::U32),
            ("MsgTime", S::U64),
            ("OnlineOnlyFlag", S::U32),
            ("MsgBody", S::Elems),
            ("CloudCustomData", S::Str),
            ("TopicId", S::Str),
            ("MsgId", S::Str),
            TIME,
        ],
    ),
    ("Group.CallbackAfterGroupFull", &[("GroupId", S::Str), TIME]),
    (
        "Group.CallbackAfterGroupDestroyed",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("Owner_Account", S::Str),
            ("Name", S::Str),
            ("MemberList", MEMBERS),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterGroupInfoChanged",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("Operator_Account", S::Str),
            ("Name", S::Str),
            ("Introduction", S::Str),
            ("Notification", S::Str),
            ("FaceUrl", S::Str),
            TIME,
        ],
    ),
];

const MSG: S = S::Elems;
const EXT: S = S::List(
    &S::Obj(&[("Key", S::Str), ("Value", S::Str), ("Seq", S::U64)]),
    20,
);
const SUBSCRIBERS: S = S::List(&S::Obj(&[("Subscriber_Account", S::Str)]), 50);
const UDD: S = S::List(&S::Obj(&[("Key", S::Str), ("Value", S::Any)]), 8);
const STRS: S = S::List(&S::Str, 50);
/// The three subscriber callbacks of official accounts share their fields.
const OA_SUBSCRIBERS: &[(&str, S)] = &[
    ("Official_Account", S::Str),
    ("Operator_Account", S::Str),
    ("SubscribeAccountList", SUBSCRIBERS),
    TIME,
];

/// The commands beyond the Go SDK's ([`commands`] gives both lists; a test checks that together
/// they are `Command::KNOWN`).
pub(crate) const NEWER: &[Schema] = &[
    (
        "Alert.RequestOverLimit",
        &[
            ("ServiceName", S::Str),
            ("Command", S::Str),
            ("Request", S::U64),
            ("Limit", S::U64),
        ],
    ),
    (
        "Group.CallbackOnDailyGroupQuotaAlarm",
        &[("QuotaUsed", S::U64), ("Quota", S::U64), TIME],
    ),
    (
        "Profile.CallbackPortraitSet",
        &[
            ("Operator_Account", S::Str),
            ("From_Account", S::Str),
            (
                "ProfileItem",
                S::List(&S::Obj(&[("Tag", S::Str), ("Value", S::Any)]), 12),
            ),
            TIME,
        ],
    ),
    (
        "Follow.CallbackAfterFollowAdd",
        &[
            ("From_Account", S::Str),
            (
                "FollowList",
                S::List(&S::Obj(&[("To_Account", S::Str)]), 50),
            ),
            TIME,
        ],
    ),
    (
        "Follow.CallbackAfterFollowDelete",
        &[("From_Account", S::Str), ("To_Account", STRS), TIME],
    ),
    (
        "C2C.CallbackAfterModifyMsg",
        &[
            ("Operator_Account", S::Str),
            ("From_Account", S::Str),
            ("To_Account", S::Str),
            ("MsgSeq", S::U32),
            ("MsgRandom", S::U32),
            ("MsgTime", S::U64),
            ("MsgKey", S::Str),
            ("MsgBody", MSG),
            ("CloudCustomData", S::Str),
            TIME,
        ],
    ),
    (
        "C2C.CallbackAfterC2CMsgExtension",
        &[
            ("From_Account", S::Str),
            ("To_Account", S::Str),
            ("MsgKey", S::Str),
            ("OperateType", S::U32),
            ("ExtensionList", EXT),
            ("Seq", S::U64),
            TIME,
        ],
    ),
    (
        "Bot.OnC2CMessage",
        &[
            ("From_Account", S::Str),
            ("To_Account", S::Str),
            ("MsgSeq", S::U32),
            ("MsgRandom", S::U32),
            ("MsgTime", S::U64),
            ("MsgKey", S::Str),
            ("OnlineOnlyFlag", S::U32),
            ("SendMsgResult", S::I64),
            ("ErrorInfo", S::Str),
            ("MsgBody", MSG),
            ("CloudCustomData", S::Str),
            TIME,
        ],
    ),
    (
        "Bot.OnGroupMessage",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("From_Account", S::Str),
            ("Operator_Account", S::Str),
            ("Random", S::U32),
            ("MsgSeq", S::U32),
            ("MsgTime", S::U64),
            ("OnlineOnlyFlag", S::U32),
            ("MsgBody", MSG),
            ("AtRobots_Account|AtRobotAccount", STRS),
            ("CloudCustomData", S::Str),
            TIME,
        ],
    ),
    (
        "Chatbot.OnC2CSignalMessage",
        &[
            ("From_Account", S::Str),
            ("To_Account", S::Str),
            ("MsgSeq", S::U32),
            ("MsgRandom", S::U32),
            ("MsgKey", S::Str),
            ("Data", S::Str),
            TIME,
        ],
    ),
    (
        "Group.CallbackOnMemberStateChange",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("EventType", S::Vocab(&["Online", "Offline"])),
            ("MemberList", MEMBERS),
            TIME,
        ],
    ),
    (
        "Group.CallbackSendMsgException",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("From_Account", S::Str),
            ("Operator_Account", S::Str),
            ("Random", S::U32),
            ("OnlineOnlyFlag", S::U32),
            ("MsgBody", MSG),
            ("CloudCustomData", S::Str),
            ("ErrorCode", S::I64),
            ("ErrorInfo", S::Str),
            TIME,
        ],
    ),
    (
        "Group.CallbackBeforeCreateTopic",
        &[
            ("GroupId", S::Str),
            ("Operator_Account", S::Str),
            ("Type", GROUP_TYPE),
            ("Name", S::Str),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterCreateTopic",
        &[
            ("GroupId", S::Str),
            ("TopicId", S::Str),
            ("Operator_Account", S::Str),
            ("Owner_Account", S::Str),
            ("Type", GROUP_TYPE),
            ("Name", S::Str),
            ("UserDefinedDataList", UDD),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterTopicDestroyed",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("TopicIdList", STRS),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterTopicInfoChanged",
        &[
            ("GroupId", S::Str),
            ("TopicId", S::Str),
            ("Type", GROUP_TYPE),
            ("Operator_Account", S::Str),
            ("Name", S::Str),
            ("Introduction", S::Str),
            ("Notification", S::Str),
            ("FaceUrl", S::Str),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterRecallMsg",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("Operator_Account", S::Str),
            ("MsgSeqList", S::List(&S::Obj(&[("MsgSeq", S::U32)]), 50)),
            ("TopicId", S::Str),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterMemberFieldChanged",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("Operator_Account", S::Str),
            ("Member_Account|Modified_Account", S::Str),
            ("Role", S::Vocab(&["Owner", "Admin", "Member"])),
            ("NameCard", S::Str),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterGroupAttrChanged",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("Operator_Account", S::Str),
            (
                "OptionType",
                S::Vocab(&["set", "modify", "clear", "delete"]),
            ),
            (
                "GroupAttr",
                S::List(&S::Obj(&[("key", S::Str), ("value", S::Str)]), 20),
            ),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterReadReceipt",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            (
                "GroupMsgReceiptList",
                S::List(
                    &S::Obj(&[
                        ("MsgSeq", S::U32),
                        ("ReadNum", S::U64),
                        ("UnreadNum", S::U64),
                        ("ReadReceiptMembers", S::List(&MEMBER, 20)),
                    ]),
                    10,
                ),
            ),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterChangeGroupOwner",
        &[
            ("GroupId", S::Str),
            ("Type", GROUP_TYPE),
            ("Operator_Account", S::Str),
            ("OldOwner_Account", S::Str),
            ("NewOwner_Account", S::Str),
            TIME,
        ],
    ),
    (
        "Group.CallbackAfterGroupMsgExtension",
        &[
            ("GroupId", S::Str),
            ("MsgSeq", S::U32),
            ("OperateType", S::U32),
            ("ExtensionList", EXT),
            ("Seq", S::U64),
            TIME,
        ],
    ),
    (
        "ContentCallback.ResultNotify",
        &[
            ("Scene", S::Vocab(&["C2C", "Group", "UserInfo"])),
            ("SdkAppId", S::U64),
            ("From_Account", S::Str),
            (
                "ContactItem",
                S::Obj(&[
                    ("ContactType|Type", S::U32),
                    ("To_Account", S::Str),
                    ("ToGroupId", S::Str),
                ]),
            ),
            (
                "ContentType",
                S::Vocab(&["Text", "Image", "Audio", "Video"]),
            ),
            ("TextContent", STRS),
            ("FileURL", S::Str),
            ("MsgID", S::Str),
            ("CtxcbResult", S::U32),
            ("CtxcbRequestId", S::Str),
            ("CtxcbKeywords", STRS),
            ("CtxcbSuggestion", S::Vocab(&["Block", "Review", "Normal"])),
            ("CtxcbLabel", S::Str),
            ("CtxcbSubLabel", S::Str),
            ("CtxcbSubLabelDesc", S::Str),
            ("CtxcbLibName", S::Str),
            ("CloudCustomData", S::Str),
        ],
    ),
    (
        "OfficialAccount.CallbackBeforeCreateOfficialAccount",
        &[
            ("Operator_Account", S::Str),
            ("Owner_Account", S::Str),
            ("Name", S::Str),
            TIME,
        ],
    ),
    (
        "OfficialAccount.CallbackAfterCreateOfficialAccount",
        &[
            ("Operator_Account", S::Str),
            ("Official_Account", S::Str),
            ("Owner_Account", S::Str),
            ("Name", S::Str),
            TIME,
        ],
    ),
    (
        "OfficialAccount.CallbackAfterOfficialAccountInfoChanged",
        &[
            ("Official_Account", S::Str),
            ("Operator_Account", S::Str),
            ("Introduction", S::Str),
            ("Name", S::Str),
            ("FaceUrl", S::Str),
            ("Organization", S::Str),
            TIME,
        ],
    ),
    (
        "OfficialAccount.CallbackAfterOfficialAccountDestroyed",
        &[
            ("Official_Account", S::Str),
            ("Owner_Account", S::Str),
            ("Name", S::Str),
            TIME,
        ],
    ),
    (
        "OfficialAccount.CallbackBeforeAddSubscriber",
        OA_SUBSCRIBERS,
    ),
    ("OfficialAccount.CallbackAfterAddSubscriber", OA_SUBSCRIBERS),
    (
        "OfficialAccount.CallbackAfterOfficialAccountFull",
        &[("Official_Account", S::Str), TIME],
    ),
    (
        "OfficialAccount.CallbackAfterDeleteSubscriber",
        OA_SUBSCRIBERS,
    ),
    (
        "OfficialAccount.CallbackBeforeSendMsg",
        &[
            ("Official_Account", S::Str),
            ("OnlineOnlyFlag", S::U32),
            ("MsgBody", MSG),
            ("CloudCustomData", S::Str),
            TIME,
        ],
    ),
    (
        "OfficialAccount.CallbackAfterSendMsg",
        &[
            ("Official_Account", S::Str),
            ("MsgKey", S::Str),
            ("MsgTime", S::U64),
            ("OnlineOnlyFlag", S::U32),
            ("MsgBody", MSG),
            ("CloudCustomData", S::Str),
            TIME,
        ],
    ),
    (
        "OfficialAccount.CallbackAfterMsgWithDraw",
        &[
            ("Official_Account", S::Str),
            (
                "WithdrawMsgList",
                S::List(&S::Obj(&[("MsgKey", S::Str)]), 20),
            ),
            TIME,
        ],
    ),
    (
        "Push.OfflinePush",
        &[(
            "Events",
            S::List(
                &S::Obj(&[
                    ("CallbackCommand", S::Vocab(&["Push.OfflinePush"])),
                    ("EventType", S::U32),
                    ("EventTime", S::U64),
                    ("From_Account", S::Str),
                    ("To_Account", S::Str),
                    ("PushPlatform", S::U32),
                    ("PushStage", S::U32),
                    ("MsgKey", S::Str),
                    ("MsgSeq", S::U32),
                    ("MsgRandom", S::U32),
                    ("MsgTime", S::U64),
                    ("PushID", S::Str),
                    ("ErrCode", S::I64),
                    ("ErrInfo", S::Str),
                    ("GroupID", S::Str),
                ]),
                100,
            ),
        )],
    ),
    (
        "Push.AllMemberPush",
        &[(
            "Events",
            S::List(
                &S::Obj(&[
                    ("CallbackCommand", S::Vocab(&["Push.AllMemberPush"])),
                    ("EventType", S::U32),
                    ("TaskId", S::Str),
                    ("TaskTime", S::U64),
                    ("EventTime", S::U64),
                    ("To_Account", S::Str),
                    ("PushPlatform", S::U32),
                    ("PushStage", S::U32),
                    ("ErrCode", S::I64),
                    ("ErrInfo", S::Str),
                ]),
                100,
            ),
        )],
    ),
];

/// Every message element type (`MsgType`) and the fields of its `MsgContent`.
pub const ELEMENTS: &[Schema] = &[
    ("TIMTextElem", &[("Text", S::Str)]),
    (
        "TIMLocationElem",
        &[
            ("Desc", S::Str),
            ("Latitude", S::F64),
            ("Longitude", S::F64),
        ],
    ),
    ("TIMFaceElem", &[("Index", S::U32), ("Data", S::Str)]),
    (
        "TIMCustomElem",
        &[
            ("Data", S::Str),
            ("Desc", S::Str),
            ("Ext", S::Str),
            ("Sound", S::Str),
        ],
    ),
    (
        "TIMSoundElem",
        &[
            ("Url", S::Str),
            ("UUID", S::Str),
            ("Size", S::U64),
            ("Second", S::U32),
            ("Download_Flag", S::U32),
        ],
    ),
    (
        "TIMImageElem",
        &[
            ("UUID", S::Str),
            ("ImageFormat", S::U32),
            (
                "ImageInfoArray",
                S::List(
                    &S::Obj(&[
                        ("Type", S::U32),
                        ("Size", S::U64),
                        ("Width", S::U32),
                        ("Height", S::U32),
                        ("URL", S::Str),
                    ]),
                    4,
                ),
            ),
        ],
    ),
    (
        "TIMFileElem",
        &[
            ("Url", S::Str),
            ("UUID", S::Str),
            ("FileSize", S::U64),
            ("FileName", S::Str),
            ("Download_Flag", S::U32),
        ],
    ),
    (
        "TIMVideoFileElem",
        &[
            ("VideoUrl", S::Str),
            ("VideoUUID", S::Str),
            ("VideoSize", S::U64),
            ("VideoSecond", S::U32),
            ("VideoFormat", S::Str),
            ("VideoDownloadFlag", S::U32),
            ("ThumbUrl", S::Str),
            ("ThumbUUID", S::Str),
            ("ThumbSize", S::U64),
            ("ThumbWidth", S::U32),
            ("ThumbHeight", S::U32),
            ("ThumbFormat", S::Str),
            ("ThumbDownloadFlag", S::U32),
        ],
    ),
    (
        "TIMRelayElem",
        &[
            ("Title", S::Str),
            ("MsgNum", S::U32),
            ("CompatibleText", S::Str),
            ("AbstractList", S::List(&S::Str, 5)),
            (
                "MsgList",
                S::List(
                    &S::Obj(&[
                        ("From_Account", S::Str),
                        ("To_Account", S::Str),
                        ("GroupId", S::Str),
                        ("MsgSeq", S::U32),
                        ("MsgRandom", S::U32),
                        ("MsgTimeStamp", S::U64),
                        ("MsgBody", S::Elems),
                        ("CloudCustomData", S::Str),
                    ]),
                    3,
                ),
            ),
            ("JsonMsgKey", S::Str),
        ],
    ),
    (
        "TIMGroupTipElem",
        &[("OpType", S::U32), ("GroupId", S::Str)],
    ),
];

/// Every command's schema, in a fixed order: the Go SDK's 22 commands, then the rest.
pub fn commands() -> impl Iterator<Item = &'static Schema> {
    OLDER.iter().chain(NEWER)
}

/// The schema of `command`, if it is one of the 58.
pub fn command(command: &str) -> Option<&'static Schema> {
    commands().find(|(name, _)| *name == command)
}
