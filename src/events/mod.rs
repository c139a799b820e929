//! The callback bodies, one struct per command, with Tencent's keys, in one module per family
//! of commands. Nothing here reads bytes: each `record!` line names a JSON key, a field and its
//! type.
//!
//! Missing keys read as the field's default (`""`, `0`, an empty list), as the Go SDK does;
//! keys whose absence means something (`EventTime` in old bodies, `TopicId` outside
//! communities, the changed fields of an info-changed event) are `Option`s, as are keys that
//! only one source documents and that a body may well lack.

pub mod alert;
pub mod bot;
pub mod c2c;
pub mod content;
pub mod follow;
pub mod group;
pub mod official_account;
pub mod profile;
pub mod push;
pub mod relationship;
pub mod shared;
pub mod state;
pub mod topic;

pub(crate) use alert::*;
pub(crate) use bot::*;
pub(crate) use c2c::*;
pub(crate) use content::*;
pub(crate) use follow::*;
pub(crate) use group::*;
pub(crate) use official_account::*;
pub(crate) use profile::*;
pub(crate) use push::*;
pub(crate) use relationship::*;
pub(crate) use state::*;
pub(crate) use topic::*;
