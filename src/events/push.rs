//! Push results (`Push.*`): the body is a batch `{"Events":[…]}` of 1–100 events, each with
//! its own `CallbackCommand` (which must be the batch's), `EventTime` in **seconds**, and
//! `GroupID` with a capital ID. The batch has no top-level command: parse it with
//! [`parse_as`](crate::parse_as) and the query's.

use crate::read::List;
use crate::read::record;
use crate::vocab::{AllMemberPushKind, OfflinePushKind};

record! {
    /// One offline-push result (`Events[]` of `Push.OfflinePush`).
    pub struct OfflinePushEvent<'a> command "Push.OfflinePush"; {
        /// One-to-one or group message.
        "EventType" event_type: OfflinePushKind,
        /// Event time in **seconds**.
        "EventTime" event_time: u64,
        /// Sender.
        "From_Account" from_account: &'a str,
        /// Recipient.
        "To_Account" to_account: &'a str,
        /// The push vendor.
        "PushPlatform" push_platform: u32,
        /// The push stage.
        "PushStage" push_stage: u32,
        /// The message's key (one-to-one messages).
        "MsgKey" msg_key: Option<&'a str>,
        /// Sequence number (u32).
        "MsgSeq" msg_seq: u32,
        /// Random number (u32).
        "MsgRandom" msg_random: u32,
        /// Send time in seconds.
        "MsgTime" msg_time: u64,
        /// The push's id.
        "PushID" push_id: &'a str,
        /// The result: 0 on success.
        "ErrCode" err_code: i64,
        /// The result in words (may be empty).
        "ErrInfo" err_info: &'a str,
        /// The group (group messages; spelled `GroupID` here).
        "GroupID" group_id: Option<&'a str>,
    }
}

record! {
    /// `Push.OfflinePush`: a batch of offline-push results.
    pub struct PushOfflinePush<'a> command "Push.OfflinePush"; {
        /// The results (1–100), decoded as you iterate.
        "Events" events: List<'a, OfflinePushEvent<'a>>,
    }
}

record! {
    /// One all-member push result (`Events[]` of `Push.AllMemberPush`).
    pub struct AllMemberPushEvent<'a> command "Push.AllMemberPush"; {
        /// Offline or online push.
        "EventType" event_type: AllMemberPushKind,
        /// The push task, e.g. `657bf434_537529d8_2000005e80aa873_2780d131_bc614e`.
        "TaskId" task_id: &'a str,
        /// When the task started, in seconds.
        "TaskTime" task_time: u64,
        /// Event time in **seconds**.
        "EventTime" event_time: u64,
        /// Recipient.
        "To_Account" to_account: &'a str,
        /// The push vendor.
        "PushPlatform" push_platform: u32,
        /// The push stage.
        "PushStage" push_stage: u32,
        /// The result: 0 on success.
        "ErrCode" err_code: i64,
        /// The result in words (may be empty).
        "ErrInfo" err_info: &'a str,
    }
}

record! {
    /// `Push.AllMemberPush`: a batch of all-member (or tag, or single) push results.
    pub struct PushAllMemberPush<'a> command "Push.AllMemberPush"; {
        /// The results (1–100), decoded as you iterate.
        "Events" events: List<'a, AllMemberPushEvent<'a>>,
    }
}
