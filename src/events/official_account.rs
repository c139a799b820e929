//! Official accounts (`OfficialAccount.*`). Tencent's pages were seen for the send and recall
//! callbacks only; the fields of the others come from one third-party SDK (the Java SDK's
//! models), so keys it alone names are `Option`s where their absence is plausible.

use crate::msg::MsgElem;
use crate::read::List;
use crate::read::record;
use crate::value::EventTime;

record! {
    /// A subscriber (`SubscribeAccountList[]`).
    pub struct Subscriber<'a> {
        /// The subscriber's UserID.
        "Subscriber_Account" subscriber_account: &'a str,
    }
}

record! {
    /// A recalled official-account message (`WithdrawMsgList[]`).
    pub struct WithdrawnMsg<'a> {
        /// The message's key.
        "MsgKey" msg_key: &'a str,
    }
}

record! {
    /// `OfficialAccount.CallbackBeforeCreateOfficialAccount`: before an official account is
    /// created (the answer may reject it).
    pub struct OfficialAccountBeforeCreateOfficialAccount<'a>
        command "OfficialAccount.CallbackBeforeCreateOfficialAccount"; {
        /// Who asked.
        "Operator_Account" operator_account: &'a str,
        /// The future owner.
        "Owner_Account" owner_account: &'a str,
        /// The account's name.
        "Name" name: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackAfterCreateOfficialAccount`: after an official account was
    /// created.
    pub struct OfficialAccountAfterCreateOfficialAccount<'a>
        command "OfficialAccount.CallbackAfterCreateOfficialAccount"; {
        /// Who created it.
        "Operator_Account" operator_account: &'a str,
        /// The new account, e.g. `@TOA#_2J4SZEAEL`.
        "Official_Account" official_account: &'a str,
        /// Its owner.
        "Owner_Account" owner_account: &'a str,
        /// Its name.
        "Name" name: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`: after an official account's
    /// profile changed; only the changed fields are present.
    pub struct OfficialAccountAfterOfficialAccountInfoChanged<'a>
        command "OfficialAccount.CallbackAfterOfficialAccountInfoChanged"; {
        /// The account.
        "Official_Account" official_account: &'a str,
        /// Who changed it.
        "Operator_Account" operator_account: &'a str,
        /// New introduction, if changed.
        "Introduction" introduction: Option<&'a str>,
        /// New name, if changed.
        "Name" name: Option<&'a str>,
        /// New avatar URL, if changed.
        "FaceUrl" face_url: Option<&'a str>,
        /// New organization, if changed.
        "Organization" organization: Option<&'a str>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackAfterOfficialAccountDestroyed`: after an official account was
    /// disbanded.
    pub struct OfficialAccountAfterOfficialAccountDestroyed<'a>
        command "OfficialAccount.CallbackAfterOfficialAccountDestroyed"; {
        /// The account.
        "Official_Account" official_account: &'a str,
        /// Its owner.
        "Owner_Account" owner_account: &'a str,
        /// Its name.
        "Name" name: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackBeforeAddSubscriber`: before users subscribe (the answer may
    /// reject it).
    pub struct OfficialAccountBeforeAddSubscriber<'a>
        command "OfficialAccount.CallbackBeforeAddSubscriber"; {
        /// The account.
        "Official_Account" official_account: &'a str,
        /// Who asked.
        "Operator_Account" operator_account: &'a str,
        /// The users subscribing.
        "SubscribeAccountList" subscribe_account_list: List<'a, Subscriber<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackAfterAddSubscriber`: after users subscribed.
    pub struct OfficialAccountAfterAddSubscriber<'a>
        command "OfficialAccount.CallbackAfterAddSubscriber"; {
        /// The account.
        "Official_Account" official_account: &'a str,
        /// Who asked.
        "Operator_Account" operator_account: &'a str,
        /// The new subscribers.
        "SubscribeAccountList" subscribe_account_list: List<'a, Subscriber<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackAfterOfficialAccountFull`: after an official account reached its
    /// subscriber limit.
    pub struct OfficialAccountAfterOfficialAccountFull<'a>
        command "OfficialAccount.CallbackAfterOfficialAccountFull"; {
        /// The account.
        "Official_Account" official_account: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackAfterDeleteSubscriber`: after users unsubscribed or were
    /// removed.
    pub struct OfficialAccountAfterDeleteSubscriber<'a>
        command "OfficialAccount.CallbackAfterDeleteSubscriber"; {
        /// The account.
        "Official_Account" official_account: &'a str,
        /// Who removed them.
        "Operator_Account" operator_account: &'a str,
        /// The former subscribers.
        "SubscribeAccountList" subscribe_account_list: List<'a, Subscriber<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackBeforeSendMsg`: before an official account's message is sent
    /// (the answer may reject it).
    pub struct OfficialAccountBeforeSendMsg<'a> command "OfficialAccount.CallbackBeforeSendMsg"; {
        /// The account, e.g. `@TOA#_2J4SZEAEL`.
        "Official_Account" official_account: &'a str,
        /// 1 for an online-only message, else 0.
        "OnlineOnlyFlag" online_only_flag: u32,
        /// The message.
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackAfterSendMsg`: after an official account's message was sent.
    pub struct OfficialAccountAfterSendMsg<'a> command "OfficialAccount.CallbackAfterSendMsg"; {
        /// The account.
        "Official_Account" official_account: &'a str,
        /// Unique message key, e.g. `71_1_1698741698` (for recall).
        "MsgKey" msg_key: &'a str,
        /// Send time in seconds.
        "MsgTime" msg_time: u64,
        /// 1 for an online-only message, else 0.
        "OnlineOnlyFlag" online_only_flag: u32,
        /// The message.
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// Custom data stored with the message.
        "CloudCustomData" cloud_custom_data: &'a str,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `OfficialAccount.CallbackAfterMsgWithDraw`: after official-account messages were
    /// recalled.
    pub struct OfficialAccountAfterMsgWithDraw<'a> command "OfficialAccount.CallbackAfterMsgWithDraw"; {
        /// The account.
        "Official_Account" official_account: &'a str,
        /// The messages recalled.
        "WithdrawMsgList" withdraw_msg_list: List<'a, WithdrawnMsg<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}
