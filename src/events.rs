//! The callback bodies, one struct per command, with Tencent's keys. Nothing here reads bytes:
//! each `record!` line names a JSON key, a field and its type.
//!
//! Missing keys read as the field's default (`""`, `0`, an empty list), as the Go SDK does;
//! keys whose absence means something (`EventTime` in old bodies, `TopicId` outside
//! communities, the changed fields of an info-changed event) are `Option`s.

use crate::decode::{EventTime, record};
use crate::list::List;
use crate::msg::MsgElem;
use crate::value::Value;
use crate::vocab::{
    AddType, ClientCmd, ExitType, GroupType, JoinType, Platform, ResponseAction, StateAction,
    StateReason,
};

// ---------------------------------------------------------------------------------------------
// Shared pieces

record! {
    /// A group member (`{"Member_Account": …}`).
    pub struct Member<'a> {
        /// The member's UserID.
        "Member_Account" member_account: &'a str,
    }
}

record! {
    /// A relationship pair (`PairList[]` of friend and blocklist callbacks).
    pub struct AccountPair<'a> {
        /// The user whose list changed.
        "From_Account" from_account: &'a str,
        /// The user added to or removed from that list.
        "To_Account" to_account: &'a str,
    }
}

record! {
    /// A friend pair added (`PairList[]` of `Sns.CallbackFriendAdd`).
    pub struct FriendPair<'a> {
        /// `To_Account` was added to this user's friend list.
        "From_Account" from_account: &'a str,
        /// The user added to `From_Account`'s friend list.
        "To_Account" to_account: &'a str,
        /// Who sent the friend request.
        "Initiator_Account" initiator_account: &'a str,
    }
}

record! {
    /// A custom group field (`UserDefinedDataList[]`).
    pub struct UserDefinedData<'a> {
        /// Field name.
        "Key" key: &'a str,
        /// Field value (a string in Tencent's examples; other JSON is kept raw).
        "Value" value: Value<'a>,
    }
}

// ---------------------------------------------------------------------------------------------
// Online state

record! {
    /// The connection change in `State.StateChange` (`Info`).
    pub struct StateInfo<'a> {
        /// Login, Logout or Disconnect.
        "Action" action: StateAction<'a>,
        /// The user whose state changed.
        "To_Account" to_account: &'a str,
        /// Why: Register, Unregister, LinkClose, TimeOut.
        "Reason" reason: StateReason<'a>,
    }
}

record! {
    /// A device logged out by a new login (`KickedDevice[]`).
    pub struct KickedDevice<'a> {
        /// The kicked device's platform.
        "Platform" platform: Platform<'a>,
    }
}

record! {
    /// `State.StateChange`: a user logged in, logged out or lost the connection.
    pub struct StateChange<'a> command "State.StateChange"; {
        /// Event time in milliseconds (absent in bodies from before 2023).
        "EventTime" event_time: Option<EventTime>,
        /// What changed.
        "Info" info: StateInfo<'a>,
        /// Devices kicked by this login (only on a Login that kicked others).
        "KickedDevice" kicked_device: List<'a, KickedDevice<'a>>,
    }
}

// ---------------------------------------------------------------------------------------------
// Relationship chain

record! {
    /// One friend request (`FriendItem[]` of `Sns.CallbackPrevFriendAdd`).
    pub struct FriendItem<'a> {
        /// The user to add.
        "To_Account" to_account: &'a str,
        /// Remark `From_Account` set for `To_Account`.
        "Remark" remark: &'a str,
        /// Friend group `From_Account` put `To_Account` in.
        "GroupName" group_name: &'a str,
        /// Source, e.g. `AddSource_Type_Android`.
        "AddSource" add_source: &'a str,
        /// Request message.
        "AddWording" add_wording: &'a str,
    }
}

record! {
    /// `Sns.CallbackPrevFriendAdd`: before a friend request is sent (answer per target with
    /// `ResultItem`).
    pub struct SnsPrevFriendAdd<'a> command "Sns.CallbackPrevFriendAdd"; {
        /// Who made the request (spelled `Requester`, with an e).
        "Requester_Account" requester_account: &'a str,
        /// The user adding friends.
        "From_Account" from_account: &'a str,
        /// The friends to add.
        "FriendItem" friend_item: List<'a, FriendItem<'a>>,
        /// One-way or two-way.
        "AddType" add_type: AddType<'a>,
        /// 1 when an admin forces the add, else 0.
        "ForceAddFlags" force_add_flags: u32,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// One answer to a friend request (`ResponseFriendItem[]`).
    pub struct ResponseFriendItem<'a> {
        /// The user who asked.
        "To_Account" to_account: &'a str,
        /// Remark for `To_Account`.
        "Remark" remark: &'a str,
        /// Friend group for `To_Account`.
        "TagName" tag_name: &'a str,
        /// Agree, agree and add, or reject.
        "ResponseAction" response_action: ResponseAction<'a>,
    }
}

record! {
    /// `Sns.CallbackPrevFriendResponse`: before a friend request is answered.
    pub struct SnsPrevFriendResponse<'a> command "Sns.CallbackPrevFriendResponse"; {
        /// Who made the request (spelled `Requester`, with an e).
        "Requester_Account" requester_account: &'a str,
        /// The user answering.
        "From_Account" from_account: &'a str,
        /// The answers.
        "ResponseFriendItem" response_friend_item: List<'a, ResponseFriendItem<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Sns.CallbackFriendAdd`: after friends were added.
    pub struct SnsFriendAdd<'a> command "Sns.CallbackFriendAdd"; {
        /// The pairs added.
        "PairList" pair_list: List<'a, FriendPair<'a>>,
        /// The client command that triggered it.
        "ClientCmd" client_cmd: ClientCmd<'a>,
        /// The admin account for an add made by the backend, else empty.
        "Admin_Account" admin_account: &'a str,
        /// 1 when forced by an admin, else 0.
        "ForceFlag" force_flag: u32,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Sns.CallbackFriendDelete`: after friends were deleted.
    pub struct SnsFriendDelete<'a> command "Sns.CallbackFriendDelete"; {
        /// The pairs deleted.
        "PairList" pair_list: List<'a, AccountPair<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Sns.CallbackBlackListAdd`: after users were blocked.
    pub struct SnsBlackListAdd<'a> command "Sns.CallbackBlackListAdd"; {
        /// The pairs added to blocklists.
        "PairList" pair_list: List<'a, AccountPair<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Sns.CallbackBlackListDelete`: after users were unblocked.
    pub struct SnsBlackListDelete<'a> command "Sns.CallbackBlackListDelete"; {
        /// The pairs removed from blocklists.
        "PairList" pair_list: List<'a, AccountPair<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

// ---------------------------------------------------------------------------------------------
// One-to-one messages

record! {
    /// `C2C.CallbackBeforeSendMsg`: before a one-to-one message is delivered (the answer may
    /// allow, reject, drop or replace it).
    pub struct C2cBeforeSendMsg<'a> command "C2C.CallbackBeforeSendMsg"; {
        /// Sender.
        "From_Account" from_account: &'a str,
        /// Recipient.
        "To_Account" to_account: &'a str,
        /// Sequence number (u32).
        "MsgSeq" msg_seq: u32,
        /// Random number (u32; exceeds i32).
        "MsgRandom" msg_random: u32,
        /// Send time in seconds.
        "MsgTime" msg_time: u64,
        /// Unique message key (for recall).
        "MsgKey" msg_key: &'a str,
        /// 1 for an online-only message, else 0.
        "OnlineOnlyFlag" online_only_flag: u32,
        /// The message.
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Event time in milliseconds (newer bodies).
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `C2C.CallbackAfterSendMsg`: after a one-to-one message was sent (also when delivery
    /// failed, e.g. by the profanity filter).
    pub struct C2cAfterSendMsg<'a> command "C2C.CallbackAfterSendMsg"; {
        /// Sender.
        "From_Account" from_account: &'a str,
        /// Recipient.
        "To_Account" to_account: &'a str,
        /// Sequence number (u32).
        "MsgSeq" msg_seq: u32,
        /// Random number (u32; exceeds i32).
        "MsgRandom" msg_random: u32,
        /// Send time in seconds.
        "MsgTime" msg_time: u64,
        /// Unique message key (for recall).
        "MsgKey" msg_key: &'a str,
        /// 1 for an online-only message, else 0.
        "OnlineOnlyFlag" online_only_flag: u32,
        /// 0 when delivered, else an error code.
        "SendMsgResult" send_msg_result: i64,
        /// `send msg succeed`, or why delivery failed.
        "ErrorInfo" error_info: &'a str,
        /// The recipient's unread one-to-one count; -1 when delivery failed.
        "UnreadMsgNum" unread_msg_num: i64,
        /// The message.
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Event time in milliseconds (newer bodies).
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `C2C.CallbackAfterMsgReport`: after a one-to-one read receipt.
    pub struct C2cAfterMsgReport<'a> command "C2C.CallbackAfterMsgReport"; {
        /// Who read.
        "Report_Account" report_account: &'a str,
        /// The other side of the conversation.
        "Peer_Account" peer_account: &'a str,
        /// Read time in seconds.
        "LastReadTime" last_read_time: u64,
        /// `Report_Account`'s unread one-to-one count.
        "UnreadMsgNum" unread_msg_num: i64,
        /// Event time in milliseconds (newer bodies).
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `C2C.CallbackAfterMsgWithDraw`: after a one-to-one message was recalled.
    pub struct C2cAfterMsgWithDraw<'a> command "C2C.CallbackAfterMsgWithDraw"; {
        /// Sender.
        "From_Account" from_account: &'a str,
        /// Recipient.
        "To_Account" to_account: &'a str,
        /// Key of the recalled message.
        "MsgKey" msg_key: &'a str,
        /// The recipient's unread one-to-one count.
        "UnreadMsgNum" unread_msg_num: i64,
        /// Event time in milliseconds (newer bodies).
        "EventTime" event_time: Option<EventTime>,
    }
}

// ---------------------------------------------------------------------------------------------
// Groups

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
        /// How many groups of this type the owner created already.
        "CreateGroupNum" create_group_num: u32,
        /// The same count under its pre-2023 spelling, when a body uses that.
        "CreatedGroupNum" created_group_num: Option<u32>,
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
