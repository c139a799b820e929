//! Zero-allocation, in-place parser for Tencent Cloud IM (TIM) server callbacks, and the
//! writer of their answers.
//!
//! Tencent's IM backend POSTs a JSON body to your callback URL before and after every message,
//! friend, group and login event. `tim-callback` reads that body **in place**: strings with
//! escapes are unescaped inside your buffer, so every string field is a `&str` into it, lists
//! are lazy views, and no parse allocates. The whole body is validated before [`parse`] returns.
//!
//! # Parsing
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
//! - [`parse`] finds the command in the body; [`parse_as`] takes it from the caller (the query
//!   string's `CallbackCommand`, which `ContentCallback.ResultNotify` and `Push.*` bodies need).
//! - [`sniff`] reads only the top-level `CallbackCommand`, to route before parsing.
//! - [`parse_event`] parses one event type, e.g. `parse_event::<C2cBeforeSendMsg>`, and links
//!   that type's decoder alone.
//! - [`Parser`] sets a lower nesting limit.
//!
//! Each command's event is a struct of [`events`] (one module per family), a variant of
//! [`Callback`] of the same name. A command the crate does not know is
//! [`Callback::Unknown`], with the body validated.
//!
//! # Lists and the buffer
//!
//! - **The buffer is rewritten.** `parse` unescapes strings in the buffer you pass and marks
//!   list elements for a cheap second read, so the buffer no longer holds the original JSON
//!   afterwards, even when `parse` returns an error. Keep a copy of the body if you need it as
//!   it came.
//! - **Borrowed events.** The event borrows the buffer: keep the buffer while you use the event.
//! - **Lazy lists.** List fields ([`List`]: `MsgBody`, member lists, relayed messages) are
//!   views. [`List::iter`] decodes one element at a time from bytes the parse already checked,
//!   so it never fails. [`List::len`] is O(1). With `alloc` or `heapless`, `List::to_vec` and
//!   `List::to_heapless` collect them.
//!
//! # Answering
//!
//! Every event, [`Callback`] and [`Command`] has `answer()`: the default answer (allow). Its
//! methods build the other intents, each checked against the command's documented rules (the
//! [`answer`] module): reject, drop silently, rewrite `MsgBody`, refuse members, deny friend
//! requests. [`Answer::write_into`] writes the JSON into a byte slice.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use tim_callback::{Callback, answer::ReplyElem, MsgElem};
//!
//! let mut body = br#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a",
//!   "To_Account":"b","MsgSeq":1,"MsgRandom":2,"MsgTime":1669872112,"MsgKey":"k",
//!   "OnlineOnlyFlag":0,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"darn it"}}]}"#
//!     .to_vec();
//! let Callback::C2cBeforeSendMsg(msg) = tim_callback::parse(&mut body)? else { unreachable!() };
//! let answer = msg.answer().msg_body_mapped(msg.msg_body, &|e| match e {
//!     MsgElem::Text(t) => Some(ReplyElem::masked(t.text, &["darn"])),
//!     other => Some(ReplyElem::Elem(other)),
//! })?;
//! let mut out = [0u8; 256];
//! let n = answer.write_into(&mut out)?;
//! assert!(std::str::from_utf8(&out[..n])?.contains(r#""Text":"**** it""#));
//! # Ok(())
//! # }
//! ```
//!
//! # The envelope and `Sign`
//!
//! Tencent's POST carries a query string: `SdkAppid`, `CallbackCommand`, and with a token set
//! in the console, `Sign` and `RequestTime`. [`Query`] parses it. [`Verifier`] checks the app
//! id and, with the `sign` feature, the `Sign` and its freshness, then parses the body as the
//! query's command. The `sign` module (feature `sign`) computes and checks `Sign` itself.
//!
#![cfg_attr(all(feature = "sign", feature = "std"), doc = include_str!("doc/moderation.md"))]
//!
//! # Errors
//!
//! [`Error`] is small and `Copy`. It holds what went wrong ([`error::ErrorKind`]), the byte
//! offset in the body, the innermost key, and the index in a list. Its `Display` reads
//! `MsgSeq at byte 212: number does not fit u32`. Answers that a command does not allow are
//! [`answer::AnswerError`]s, when the answer is built; a slice too small for an answer is
//! reported with the length it needs.
//!
//! # Features
//!
//! - `std` (default): `std::error::Error` for [`Error`]; implies `alloc`. Long strings are
//!   checked for UTF-8 by `simdutf8` (SIMD, CPU features detected at run time).
//! - `perf` (default): faster decoding for more code. Without it the decoders are compact and
//!   every decoder is compiled once; the values are the same.
//! - `all-commands` (default): every command family. One feature per family (`state`, `sns`,
//!   `c2c`, `group`, `alert`, `profile`, `follow`, `bot`, `content`, `official-account`,
//!   `push`) links the typed decoders of its commands; a command of a family left out parses
//!   as [`Callback::Unknown`]. [`parse_event`] links one event type's decoder alone.
//! - `alloc`: `List::to_vec`.
//! - `serde`: `Serialize` for every event, element and [`Callback`], in Tencent's key names,
//!   and for [`Answer`].
//! - `heapless`: `List::to_heapless`, `Answer::to_heapless`.
//! - `sign`: the `sign` module and `Verifier::token`: the `Sign` query parameter checked.
//!
//! # `no_std` and stack
//!
//! Without default features the crate is `#![no_std]` with no allocator. It links no command
//! family until you name one. `docs/EMBEDDED.md` in the repository gives what each
//! configuration costs on a Cortex-M.
//!
//! Nesting is limited to [`MAX_DEPTH`] (127, serde_json's limit). Typed decoding recurses once
//! per relayed message, so the stack it needs grows with that limit. A [`Parser`] with a lower
//! [`Parser::max_depth`] bounds it. `docs/SAFETY.md` gives the bytes per level: a static bound
//! of 6 KiB + 170 B per level on a Cortex-M4, without `perf`.

#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
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

/// The README's examples, compiled and run as doc-tests (they use `std`).
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
