//! The callback bodies, one struct per command, with Tencent's keys, in one module per family
//! of commands. Nothing here reads bytes: each `record!` line names a JSON key, a field and its
//! type.
//!
//! Missing keys read as the field's default (`""`, `0`, an empty list), as the Go SDK does;
//! keys whose absence means something (`EventTime` in old bodies, `TopicId` outside
//! communities, the changed fields of an info-changed event) are `Option`s, as are keys that
//! only one source documents and that a body may well lack.

mod alert;
mod bot;
mod c2c;
mod content;
mod follow;
mod group;
mod official_account;
mod profile;
mod push;
mod relationship;
mod shared;
mod state;
mod topic;

pub use alert::*;
pub use bot::*;
pub use c2c::*;
pub use content::*;
pub use follow::*;
pub use group::*;
pub use official_account::*;
pub use profile::*;
pub use push::*;
pub use relationship::*;
pub use shared::*;
pub use state::*;
pub use topic::*;
