//! The relationship chain: friend requests, friends and blocklists (`Sns.*`).

use crate::read::List;
use crate::read::record;
use crate::value::EventTime;
use crate::vocab::{AddType, ClientCmd, ResponseAction};

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
