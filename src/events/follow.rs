//! Follows and fans (`Follow.*`).

use crate::read::List;
use crate::read::record;
use crate::value::EventTime;

record! {
    /// A user followed (`FollowList[]`).
    pub struct Followed<'a> {
        /// The user followed.
        "To_Account" to_account: &'a str,
    }
}

record! {
    /// `Follow.CallbackAfterFollowAdd`: after a user followed others.
    pub struct FollowAfterFollowAdd<'a> command "Follow.CallbackAfterFollowAdd"; {
        /// The follower.
        "From_Account" from_account: &'a str,
        /// The users followed.
        "FollowList" follow_list: List<'a, Followed<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Follow.CallbackAfterFollowDelete`: after a user unfollowed others.
    pub struct FollowAfterFollowDelete<'a> command "Follow.CallbackAfterFollowDelete"; {
        /// The former follower.
        "From_Account" from_account: &'a str,
        /// The users unfollowed (an array here, unlike `To_Account` everywhere else).
        "To_Account" to_account: List<'a, &'a str>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}
