//! Profiles (`Profile.*`).

use crate::read::List;
use crate::read::record;
use crate::value::EventTime;
use crate::value::Value;

record! {
    /// One changed profile field (`ProfileItem[]`).
    pub struct ProfileItem<'a> {
        /// The field, e.g. `Tag_Profile_IM_Nick`, `Tag_Profile_Custom_Data`.
        "Tag" tag: &'a str,
        /// Its new value: a string or a number, depending on the tag
        /// ([`Value::as_str`] / [`Value::as_u64`]).
        "Value" value: Value<'a>,
    }
}

record! {
    /// `Profile.CallbackPortraitSet`: after a user's profile changed.
    pub struct ProfilePortraitSet<'a> command "Profile.CallbackPortraitSet"; {
        /// Who changed it (the user, or an admin).
        "Operator_Account" operator_account: &'a str,
        /// Whose profile changed.
        "From_Account" from_account: &'a str,
        /// The changed fields.
        "ProfileItem" profile_item: List<'a, ProfileItem<'a>>,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}
