//! Operations alerts: request rates and the daily group quota.

use crate::read::record;
use crate::value::EventTime;

record! {
    /// `Alert.RequestOverLimit`: a REST API command went over its rate limit.
    pub struct AlertRequestOverLimit<'a> command "Alert.RequestOverLimit"; {
        /// The service, e.g. `openim`.
        "ServiceName" service_name: &'a str,
        /// The REST command, e.g. `batchsendmsg`.
        "Command" command: &'a str,
        /// The current request rate (per second).
        "Request" request: u64,
        /// The limit (per second).
        "Limit" limit: u64,
    }
}

record! {
    /// `Group.CallbackOnDailyGroupQuotaAlarm`: the groups created today near the daily quota.
    pub struct GroupOnDailyGroupQuotaAlarm<'a> command "Group.CallbackOnDailyGroupQuotaAlarm";
        marker _lifetime; {
        /// Groups created today.
        "QuotaUsed" quota_used: u64,
        /// The daily limit.
        "Quota" quota: u64,
        /// Event time in milliseconds.
        "EventTime" event_time: Option<EventTime>,
    }
}
