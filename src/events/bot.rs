//! Chatbots (`Bot.*`, `Chatbot.*`).

use crate::msg::MsgElem;
use crate::read::List;
use crate::read::record;
use crate::value::EventTime;
use crate::vocab::GroupType;

record! {
    /// `Bot.OnC2CMessage`: a one-to-one message to a chatbot (bot ids look like `@RBT#001`).
    pub struct BotOnC2cMessage<'a> command "Bot.OnC2CMessage"; {
        /// Sender.
        "From_Account" from_account: &'a str,
        /// The chatbot.
        "To_Account" to_account: &'a str,
        /// Sequence number (u32).
        "MsgSeq" msg_seq: u32,
        /// Random number (u32; exceeds i32).
        "MsgRandom" msg_random: u32,
        /// Send time in seconds.
        "MsgTime" msg_time: u64,
        /// Unique message key.
        "MsgKey" msg_key: &'a str,
        /// 1 for an online-only message, else 0.
        "OnlineOnlyFlag" online_only_flag: u32,
        /// 0 when delivered, else an error code.
        "SendMsgResult" send_msg_result: i64,
        /// `send msg succeed`, or why delivery failed.
        "ErrorInfo" error_info: &'a str,
        /// The message.
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Bot.OnGroupMessage`: a group message that mentions chatbots.
    pub struct BotOnGroupMessage<'a> command "Bot.OnGroupMessage"; {
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
        /// The chatbots mentioned (`AtRobots_Account` in Tencent's docs, `AtRobotAccount` in the
        /// Java SDK).
        "AtRobots_Account" | "AtRobotAccount" at_robots_account: List<'a, &'a str>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Chatbot.OnC2CSignalMessage`: a custom signal message to a smart chatbot. Its fields come
    /// from one third-party SDK only (no Tencent page seen), so the less certain are `Option`s.
    pub struct ChatbotOnC2cSignalMessage<'a> command "Chatbot.OnC2CSignalMessage"; {
        /// Sender.
        "From_Account" from_account: &'a str,
        /// The chatbot.
        "To_Account" to_account: &'a str,
        /// Sequence number (u32).
        "MsgSeq" msg_seq: Option<u32>,
        /// Random number (u32).
        "MsgRandom" msg_random: Option<u32>,
        /// Unique message key.
        "MsgKey" msg_key: Option<&'a str>,
        /// The signal's data.
        "Data" data: Option<&'a str>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}
