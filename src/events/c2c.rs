//! One-to-one messages (`C2C.*`).

use super::shared::Extension;
use crate::msg::MsgElem;
use crate::read::List;
use crate::read::record;
use crate::value::EventTime;
use crate::vocab::ExtensionOperation;

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

record! {
    /// `C2C.CallbackAfterModifyMsg`: after a one-to-one message was edited (the body is the
    /// edited one).
    pub struct C2cAfterModifyMsg<'a> command "C2C.CallbackAfterModifyMsg"; {
        /// Who edited it.
        "Operator_Account" operator_account: &'a str,
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
        /// Unique message key.
        "MsgKey" msg_key: &'a str,
        /// The edited message.
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `C2C.CallbackAfterC2CMsgExtension`: after a one-to-one message's extensions changed.
    pub struct C2cAfterC2cMsgExtension<'a> command "C2C.CallbackAfterC2CMsgExtension"; {
        /// Sender of the message.
        "From_Account" from_account: &'a str,
        /// Recipient of the message.
        "To_Account" to_account: &'a str,
        /// The message's key.
        "MsgKey" msg_key: &'a str,
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
