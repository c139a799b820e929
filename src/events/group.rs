//! Groups (`Group.*`, topics aside).

use super::shared::{Extension, Member, UserDefinedData};
use crate::msg::MsgElem;
use crate::read::List;
use crate::read::record;
use crate::value::EventTime;
use crate::vocab::{
    AttrOption, ExitType, ExtensionOperation, GroupType, JoinType, MemberEventType, MemberRole,
};

record! {
    /// `Group.CallbackBeforeCreateGroup`: before a group is created.
    pub struct GroupBeforeCreateGroup<'a> command "Group.CallbackBeforeCreateGroup"; {
        /// Who asked.
        "Operator_Account" operator_account: &'a str,
        /// The future owner.
        "Owner_Account" owner_account: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Group name.
        "Name" name: &'a str,
        /// How many groups of this type the owner created already (`CreatedGroupNum` before
        /// 2023).
        "CreateGroupNum" | "CreatedGroupNum" create_group_num: u32,
        /// Initial members.
        "MemberList" member_list: List<'a, Member<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterCreateGroup`: after a group was created.
    pub struct GroupAfterCreateGroup<'a> command "Group.CallbackAfterCreateGroup"; {
        /// The new group.
        "GroupId" group_id: &'a str,
        /// Who created it.
        "Operator_Account" operator_account: &'a str,
        /// Owner.
        "Owner_Account" owner_account: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Group name.
        "Name" name: &'a str,
        /// Introduction (newer bodies).
        "Introduction" introduction: Option<&'a str>,
        /// Announcement (newer bodies).
        "Notification" notification: Option<&'a str>,
        /// Initial members.
        "MemberList" member_list: List<'a, Member<'a>>,
        /// How many groups the owner created (the Go SDK's field; absent from Tencent's
        /// examples).
        "CreateGroupNum" | "CreatedGroupNum" create_group_num: Option<u32>,
        /// Custom group fields given at creation.
        "UserDefinedDataList" user_defined_data_list: List<'a, UserDefinedData<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackBeforeApplyJoinGroup`: before a join request is accepted.
    pub struct GroupBeforeApplyJoinGroup<'a> command "Group.CallbackBeforeApplyJoinGroup"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Who asked to join (spelled `Requestor`, with an o).
        "Requestor_Account" requestor_account: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackBeforeInviteJoinGroup`: before invited users are added (the answer may
    /// refuse some with `RefusedMembers_Account`).
    pub struct GroupBeforeInviteJoinGroup<'a> command "Group.CallbackBeforeInviteJoinGroup"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Who invited.
        "Operator_Account" operator_account: &'a str,
        /// Who is invited.
        "DestinationMembers" destination_members: List<'a, Member<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterNewMemberJoin`: after members joined.
    pub struct GroupAfterNewMemberJoin<'a> command "Group.CallbackAfterNewMemberJoin"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// By application or by invitation.
        "JoinType" join_type: JoinType<'a>,
        /// Who let them in.
        "Operator_Account" operator_account: &'a str,
        /// The new members.
        "NewMemberList" new_member_list: List<'a, Member<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterMemberExit`: after members left or were removed.
    pub struct GroupAfterMemberExit<'a> command "Group.CallbackAfterMemberExit"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Kicked or quit.
        "ExitType" exit_type: ExitType<'a>,
        /// Who removed them (or the member who quit).
        "Operator_Account" operator_account: &'a str,
        /// The members who left.
        "ExitMemberList" exit_member_list: List<'a, Member<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackBeforeSendMsg`: before a group message is delivered (the answer may
    /// allow, reject, drop or replace it).
    pub struct GroupBeforeSendMsg<'a> command "Group.CallbackBeforeSendMsg"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Sender.
        "From_Account" from_account: &'a str,
        /// Who made the request (an admin may send as another user).
        "Operator_Account" operator_account: &'a str,
        /// Random number (u32; exceeds i32).
        "Random" random: u32,
        /// 1 for an online-only message, else 0.
        "OnlineOnlyFlag" online_only_flag: u32,
        /// The message.
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Topic, in community groups with topics.
        "TopicId" topic_id: Option<&'a str>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterSendMsg`: after a group message was sent.
    pub struct GroupAfterSendMsg<'a> command "Group.CallbackAfterSendMsg"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Sender.
        "From_Account" from_account: &'a str,
        /// Who made the request.
        "Operator_Account" operator_account: &'a str,
        /// Random number (u32; exceeds i32).
        "Random" random: u32,
        /// Sequence number (u32).
        "MsgSeq" msg_seq: u32,
        /// Send time in seconds.
        "MsgTime" msg_time: u64,
        /// 1 for an online-only message, else 0.
        "OnlineOnlyFlag" online_only_flag: u32,
        /// The message.
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Topic, in community groups with topics.
        "TopicId" topic_id: Option<&'a str>,
        /// Message id in live groups, e.g. `144115233406643804-1727580296-4026038328`.
        "MsgId" msg_id: Option<&'a str>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterGroupFull`: after a group reached its member limit.
    pub struct GroupAfterGroupFull<'a> command "Group.CallbackAfterGroupFull"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterGroupDestroyed`: after a group was disbanded.
    pub struct GroupAfterGroupDestroyed<'a> command "Group.CallbackAfterGroupDestroyed"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Owner.
        "Owner_Account" owner_account: &'a str,
        /// Group name.
        "Name" name: &'a str,
        /// Members at the time (not sent for communities).
        "MemberList" member_list: List<'a, Member<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterGroupInfoChanged`: after group profile fields changed; only the
    /// changed ones are present.
    pub struct GroupAfterGroupInfoChanged<'a> command "Group.CallbackAfterGroupInfoChanged"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Who changed it.
        "Operator_Account" operator_account: &'a str,
        /// New name, if changed.
        "Name" name: Option<&'a str>,
        /// New introduction, if changed.
        "Introduction" introduction: Option<&'a str>,
        /// New announcement, if changed.
        "Notification" notification: Option<&'a str>,
        /// New avatar URL, if changed.
        "FaceUrl" face_url: Option<&'a str>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackOnMemberStateChange`: live-group (AVChatRoom) members went online or
    /// offline.
    pub struct GroupOnMemberStateChange<'a> command "Group.CallbackOnMemberStateChange"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type (in the Java SDK's model; not in Tencent's example).
        "Type" group_type: Option<GroupType<'a>>,
        /// Online or offline.
        "EventType" event_type: MemberEventType<'a>,
        /// The members concerned.
        "MemberList" member_list: List<'a, Member<'a>>,
        /// Event time in milliseconds (not in Tencent's example).
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackSendMsgException`: a group message failed to send. `ErrorCode` and
    /// `ErrorInfo` are the failure, in the request; the answer is always the default.
    pub struct GroupSendMsgException<'a> command "Group.CallbackSendMsgException"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Sender.
        "From_Account" from_account: &'a str,
        /// Who made the request.
        "Operator_Account" operator_account: &'a str,
        /// Random number (u32; exceeds i32).
        "Random" random: u32,
        /// 1 for an online-only message, else 0.
        "OnlineOnlyFlag" online_only_flag: u32,
        /// The message.
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Why sending failed, e.g. 10023.
        "ErrorCode" error_code: i64,
        /// The failure in words.
        "ErrorInfo" error_info: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// A recalled message (`MsgSeqList[]`).
    pub struct RecalledMsg {
        /// Its sequence number.
        "MsgSeq" msg_seq: u32,
    }
}

record! {
    /// `Group.CallbackAfterRecallMsg`: after group messages were recalled.
    pub struct GroupAfterRecallMsg<'a> command "Group.CallbackAfterRecallMsg"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Who recalled them.
        "Operator_Account" operator_account: &'a str,
        /// The messages recalled.
        "MsgSeqList" msg_seq_list: List<'a, RecalledMsg>,
        /// Topic, in community groups with topics.
        "TopicId" topic_id: Option<&'a str>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterMemberFieldChanged`: after a member's role or group card changed;
    /// only the changed fields are present.
    pub struct GroupAfterMemberFieldChanged<'a> command "Group.CallbackAfterMemberFieldChanged"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Who changed it.
        "Operator_Account" operator_account: &'a str,
        /// The member whose fields changed (`Member_Account` in Tencent's docs,
        /// `Modified_Account` in the Java SDK).
        "Member_Account" | "Modified_Account" member_account: &'a str,
        /// The new role, if changed.
        "Role" role: Option<MemberRole<'a>>,
        /// The new group card name, if changed.
        "NameCard" name_card: Option<&'a str>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// A group attribute (`GroupAttr[]`; lower-case `key`/`value`, unlike `UserDefinedDataList`).
    pub struct GroupAttr<'a> {
        /// Attribute name.
        "key" key: &'a str,
        /// Attribute value.
        "value" value: &'a str,
    }
}

record! {
    /// `Group.CallbackAfterGroupAttrChanged`: after group attributes were set, modified,
    /// cleared or deleted.
    pub struct GroupAfterGroupAttrChanged<'a> command "Group.CallbackAfterGroupAttrChanged"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Who changed them.
        "Operator_Account" operator_account: &'a str,
        /// What was done.
        "OptionType" option_type: AttrOption<'a>,
        /// The attributes concerned.
        "GroupAttr" group_attr: List<'a, GroupAttr<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// Read receipts of one group message (`GroupMsgReceiptList[]`).
    pub struct MsgReceipt<'a> {
        /// The message.
        "MsgSeq" msg_seq: u32,
        /// How many members read it.
        "ReadNum" read_num: u64,
        /// How many have not.
        "UnreadNum" unread_num: u64,
        /// The members who read it now.
        "ReadReceiptMembers" read_receipt_members: List<'a, Member<'a>>,
    }
}

record! {
    /// `Group.CallbackAfterReadReceipt`: after members sent read receipts of group messages.
    pub struct GroupAfterReadReceipt<'a> command "Group.CallbackAfterReadReceipt"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type (communities have no read receipts).
        "Type" group_type: GroupType<'a>,
        /// The receipts, per message.
        "GroupMsgReceiptList" group_msg_receipt_list: List<'a, MsgReceipt<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterChangeGroupOwner`: after the group's owner changed.
    pub struct GroupAfterChangeGroupOwner<'a> command "Group.CallbackAfterChangeGroupOwner"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// Group type.
        "Type" group_type: GroupType<'a>,
        /// Who changed it.
        "Operator_Account" operator_account: &'a str,
        /// The former owner.
        "OldOwner_Account" old_owner_account: &'a str,
        /// The new owner.
        "NewOwner_Account" new_owner_account: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterGroupMsgExtension`: after a group message's extensions changed.
    pub struct GroupAfterGroupMsgExtension<'a> command "Group.CallbackAfterGroupMsgExtension"; {
        /// The group.
        "GroupId" group_id: &'a str,
        /// The message.
        "MsgSeq" msg_seq: u32,
        /// Set, delete or clear.
        "OperateType" operate_type: ExtensionOperation,
        /// The keys concerned.
        "ExtensionList" extension_list: List<'a, Extension<'a>>,
        /// The message's extension version after the change.
        "Seq" seq: u64,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}
