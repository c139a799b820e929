//! Online state (`State.*`).

use crate::read::List;
use crate::read::record;
use crate::value::EventTime;
use crate::vocab::{Platform, StateAction, StateReason};

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
