//! What each command's answer may say: the intents it supports, its range of custom codes and
//! its extra keys (`tim-callbacks.md` §1.5), for each [`Kind`] of command (every known command
//! names its kind in the command table).

use crate::command::Kind;

/// The answer rules of one family of commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rules {
    /// `ErrorCode` 1 stops the event.
    pub(crate) reject: bool,
    /// `ErrorCode` 2 drops the message while the sender is told it was sent.
    pub(crate) drop: bool,
    /// `ActionStatus` `FAIL` is harmless: the answer is ignored, or a failure lets the event
    /// through.
    pub(crate) fail: bool,
    /// Custom rejection codes passed on to the client, inclusive.
    pub(crate) codes: Option<(u32, u32)>,
    /// `MsgBody` and `CloudCustomData` may replace the message's.
    pub(crate) replace_msg: bool,
    /// `RefusedMembers_Account` may refuse some of the invited.
    pub(crate) refuse_members: bool,
    /// `ResultItem` decides per target.
    pub(crate) result_items: bool,
}

const NONE: Rules = Rules {
    reject: false,
    drop: false,
    fail: false,
    codes: None,
    replace_msg: false,
    refuse_members: false,
    result_items: false,
};

/// After-event callbacks: Tencent ignores the answer ("忽略应答结果").
pub(crate) const AFTER: Rules = Rules { fail: true, ..NONE };

/// `Group.CallbackSendMsgException`: the answer is fixed, `OK`/0/`""` ("固定填").
pub(crate) const FIXED: Rules = NONE;

/// A command this crate does not model: only the default answer (allow), since `FAIL` or
/// `ErrorCode` 1 to an unknown before-callback could block users.
pub(crate) const UNKNOWN: Rules = NONE;

/// `C2C.CallbackBeforeSendMsg`: 0 allow, 1 reject (sender gets 20006), 2 drop; custom codes
/// 120001–130000; a replacement `MsgBody` / `CloudCustomData` with 0.
pub(crate) const C2C_SEND: Rules = Rules {
    reject: true,
    drop: true,
    codes: Some((120_001, 130_000)),
    replace_msg: true,
    ..NONE
};

/// `Group.CallbackBeforeSendMsg`: as C2C, with the group range 10100–10200.
pub(crate) const GROUP_SEND: Rules = Rules {
    codes: Some((10_100, 10_200)),
    ..C2C_SEND
};

/// Group before-callbacks that can only be allowed or rejected (`BeforeCreateGroup`,
/// `BeforeApplyJoinGroup`): 0 allow, 1 reject (10016), custom codes 10100–10200.
pub(crate) const GROUP_BEFORE: Rules = Rules {
    reject: true,
    codes: Some((10_100, 10_200)),
    ..NONE
};

/// `Group.CallbackBeforeInviteJoinGroup`: as [`GROUP_BEFORE`], and `RefusedMembers_Account`
/// with 0 to refuse some of the invited while the others join.
pub(crate) const GROUP_INVITE: Rules = Rules {
    refuse_members: true,
    ..GROUP_BEFORE
};

/// The official-account before-callbacks (`OfficialAccount.CallbackBefore*`): 0 allows, 1
/// rejects, as in every before-callback of Tencent's; no custom range or extras are documented
/// for them (tim-callbacks.md §5.6).
pub(crate) const OFFICIAL_BEFORE: Rules = Rules {
    reject: true,
    ..NONE
};

/// `Sns.CallbackPrevFriendAdd` / `PrevFriendResponse`: a top-level non-zero code is an app
/// failure that lets the request through ("默认放过"); the decision is per target, in
/// `ResultItem` (0 allow, 38000–39000 deny).
pub(crate) const FRIEND_PREV: Rules = Rules {
    fail: true,
    result_items: true,
    ..NONE
};

/// `ResultItem[].ResultCode` values that deny a friend request.
pub(crate) const FRIEND_DENY_CODES: (u32, u32) = (38_000, 39_000);

/// The rules of a kind of command.
pub(crate) const fn of(kind: Kind) -> Rules {
    match kind {
        Kind::After => AFTER,
        Kind::Fixed => FIXED,
        Kind::Unknown => UNKNOWN,
        Kind::C2cSend => C2C_SEND,
        Kind::GroupSend => GROUP_SEND,
        Kind::GroupBefore => GROUP_BEFORE,
        Kind::GroupInvite => GROUP_INVITE,
        Kind::OfficialBefore => OFFICIAL_BEFORE,
        Kind::FriendPrev => FRIEND_PREV,
    }
}

#[cfg(test)]
mod tests {
    use crate::command::Command;

    /// `Command::is_before` is derived from the command's kind without the rules (the command
    /// table does not depend on answers); it must say what the rules say.
    #[test]
    fn a_before_callback_is_one_whose_answer_can_stop_the_event() {
        for &command in Command::KNOWN.iter().chain(&[Command::Unknown("X.Y")]) {
            let rules = super::of(command.kind());
            assert_eq!(
                command.is_before(),
                rules.reject || rules.result_items,
                "{command}"
            );
        }
    }
}
