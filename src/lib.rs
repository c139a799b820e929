//! Zero-allocation, in-place parser for Tencent Cloud IM (TIM) server callbacks.
//!
//! Tencent's IM backend POSTs a JSON body to your callback URL before and after every message,
//! friend, group and login event. `tim-callback` reads that body **in place**: strings with
//! escapes are unescaped inside your buffer, so every string field is a `&str` into it, lists
//! are lazy views, and no parse allocates. The whole body is validated before [`parse`] returns.
//!
//! ```
//! # fn main() -> Result<(), tim_callback::Error> {
//! use tim_callback::{Callback, MsgElem};
//!
//! let mut body = br#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"jared",
//!   "To_Account":"Jonh","MsgSeq":48374,"MsgRandom":3998651049,"MsgTime":1557481126,
//!   "MsgKey":"48374_2837546_1557481126","OnlineOnlyFlag":1,
//!   "MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red \"packet\" \u7ea2\u5305"}}],
//!   "CloudCustomData":""}"#.to_vec();
//!
//! // Route cheaply before parsing, if you like: reads only up to the command.
//! assert_eq!(tim_callback::sniff(&body)?.as_str(), "C2C.CallbackBeforeSendMsg");
//!
//! match tim_callback::parse(&mut body)? {
//!     Callback::C2cBeforeSendMsg(msg) => {
//!         assert_eq!(msg.from_account, "jared");
//!         assert_eq!(msg.msg_random, 3998651049); // u32, above i32::MAX
//!         for elem in &msg.msg_body {
//!             if let MsgElem::Text(text) = elem {
//!                 assert_eq!(text.text, "red \"packet\" 红包");
//!             }
//!         }
//!     }
//!     other => println!("not handled: {}", other.command()),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Features
//! - `std` (default): `std::error::Error` for [`Error`]; implies `alloc`. Long strings are checked
//!   for UTF-8 by `simdutf8` (SIMD, CPU features detected at run time).
//! - `alloc`: [`List::to_vec`].
//! - `serde`: `Serialize` for every event, element and [`Callback`], in Tencent's key names,
//!   and for [`Answer`].
//! - `heapless`: [`List::to_heapless`], [`Answer::to_heapless`].
//! - `sign`: the [`sign`] module and [`Verifier::token`]: the `Sign` query parameter checked.
//!
//! - `all-commands` (default): every command family. One feature per family (`state`, `sns`,
//!   `c2c`, `group`, `alert`, `profile`, `follow`, `bot`, `content`, `official-account`,
//!   `push`) links the typed decoders of its commands; a command of a family left out parses
//!   as [`Callback::Unknown`]. [`parse_event`] links one event type's decoder alone.
//!
//! Without default features the crate is `#![no_std]` with no allocator, and links no command
//! family until you name one (`docs/EMBEDDED.md` in the repository: what each costs on a
//! Cortex-M).
//!
//! Nesting is limited to [`MAX_DEPTH`] (127, serde_json's limit). Typed decoding recurses once
//! per relayed message, so the stack it needs grows with that limit; a [`Parser`] with a lower
//! [`Parser::max_depth`] bounds it (the README's *Stack* section gives the bytes per level).

#![no_std]
#![deny(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod answer;
mod command;
mod emit;
pub mod envelope;
pub mod error;
pub mod events;
mod json;
pub mod msg;
mod parse;
mod read;
#[cfg(feature = "serde")]
mod ser;
#[cfg(feature = "sign")]
pub mod sign;
mod utf8;
pub mod value;
pub mod vocab;
mod word;

pub use answer::Answer;
pub use command::{Callback, Command, Event, sniff};
pub use envelope::{Query, Verifier};
pub use error::Error;
pub use json::MAX_DEPTH;
pub use msg::MsgElem;
pub use parse::{Parser, parse, parse_as, parse_event};
pub use read::List;

/// Lists: the lazy [`List`] view that list fields are, its iterator, and the [`Decode`](crate::list::Decode)
/// trait of the types a list can hold.
pub mod list {
    pub use crate::read::{Decode, Iter, List};
}

/// The README's examples, compiled and run as doc-tests (they use `std` and `sign`).
#[cfg(all(doctest, feature = "std", feature = "sign"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
