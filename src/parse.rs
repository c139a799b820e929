//! The entry points: [`parse`], [`parse_as`] and [`Parser`]. They join the command search
//! (`command::search`), the command table's typed decoders and the reader that runs them.

use crate::command::{Callback, Command, Event, search};
use crate::error::{Error, ErrorKind};
use crate::json::{self, FoundFrom, MAX_DEPTH, Walk};
use crate::read::FirstReader;

/// Parses a callback body in place, choosing the event type from its top-level
/// `CallbackCommand`.
///
/// Escaped strings are unescaped inside `body`, and the keys of list elements are rewritten
/// for their lazy re-reads, so afterwards `body` holds rewritten bytes (it is no longer the
/// JSON that was received). Every field at every depth is validated before
/// this returns `Ok`.
#[inline]
pub fn parse(body: &mut [u8]) -> Result<Callback<'_>, Error> {
    Parser::new().parse(body)
}

/// Parses a callback body in place as one event type, linking that type's decoder and no other:
/// for a program that handles one command (on a microcontroller, say), where [`parse`] links
/// the decoders of every command family built. A `CallbackCommand` in the body must be the
/// event's ([`ErrorKind::CommandMismatch`] otherwise); a body without one is read as the
/// event, as [`parse_as`] reads it. Everything else is as [`parse`]: in place, validated whole.
///
/// ```
/// use tim_callback::events::state::StateChange;
///
/// let mut body = br#"{"CallbackCommand":"State.StateChange","Info":{"To_Account":"a","Action":"Login"}}"#.to_vec();
/// let event = tim_callback::parse_event::<StateChange>(&mut body)?;
/// assert_eq!(event.info.to_account, "a");
///
/// let mut other = br#"{"CallbackCommand":"Sns.CallbackFriendAdd"}"#.to_vec();
/// let e = tim_callback::parse_event::<StateChange>(&mut other).unwrap_err();
/// assert_eq!(e.kind(), tim_callback::error::ErrorKind::CommandMismatch);
/// # Ok::<(), tim_callback::Error>(())
/// ```
#[inline]
pub fn parse_event<E: Event>(body: &mut [u8]) -> Result<E::Of<'_>, Error> {
    Parser::new().parse_event::<E>(body)
}

/// Parses a callback body in place as `command` (from the query string's `CallbackCommand`).
///
/// Works for bodies without a `CallbackCommand` (`ContentCallback.ResultNotify`, `Push.*`).
/// When the body names a command too and it differs, the result is
/// [`ErrorKind::CommandMismatch`]. The result borrows only the body, not `command`; for a
/// command this crate does not model, [`Callback::Unknown`]'s `command` is then the body's own
/// (empty when it has none).
#[inline]
pub fn parse_as<'b>(command: &str, body: &'b mut [u8]) -> Result<Callback<'b>, Error> {
    Parser::new().parse_as(command, body)
}

/// [`parse`] and [`parse_as`] with limits of your choosing: for now the nesting depth, which
/// bounds the stack that typed decoding needs (relayed messages nest, and each level is a
/// recursion). The default is [`MAX_DEPTH`], serde_json's limit; a lower one makes a smaller
/// stack enough (docs/SAFETY.md in the repository gives the stack needed per level).
///
/// ```
/// let mut body = br#"{"CallbackCommand":"State.StateChange","Info":{"To_Account":"a","Action":"Login"}}"#.to_vec();
/// let parser = tim_callback::Parser::new().max_depth(8);
/// assert!(parser.parse(&mut body).is_ok());
///
/// let mut deep = br#"{"CallbackCommand":"State.StateChange","x":[[[[[[[[[]]]]]]]]]}"#.to_vec();
/// let e = parser.parse(&mut deep).unwrap_err();
/// assert_eq!(e.kind(), tim_callback::error::ErrorKind::TooDeep);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Parser {
    max_depth: u32,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new()
    }
}

impl Parser {
    /// The defaults: nesting up to [`MAX_DEPTH`].
    pub const fn new() -> Self {
        Parser {
            max_depth: MAX_DEPTH,
        }
    }

    /// At most `max_depth` nested objects and arrays, counted from the top-level object
    /// (depth 1), as [`MAX_DEPTH`] is; deeper is [`ErrorKind::TooDeep`]. Clamped to
    /// `1..=MAX_DEPTH`: the limit can only be lowered.
    #[must_use]
    pub const fn max_depth(self, max_depth: u32) -> Self {
        let max_depth = if max_depth == 0 {
            1
        } else if max_depth > MAX_DEPTH {
            MAX_DEPTH
        } else {
            max_depth
        };
        Parser { max_depth }
    }

    /// The nesting limit in force.
    pub const fn depth_limit(&self) -> u32 {
        self.max_depth
    }

    /// The levels below [`MAX_DEPTH`] that this limit takes away: the readers start counting
    /// there, so each of their checks against `MAX_DEPTH` enforces this limit, at no cost.
    const fn skipped(&self) -> u32 {
        MAX_DEPTH - self.max_depth
    }

    /// [`parse`] with this parser's limits.
    pub fn parse<'b>(&self, body: &'b mut [u8]) -> Result<Callback<'b>, Error> {
        if let Some(command) = search::known_command_first(body) {
            // A command of a family left out parses as an unknown one, without a second search.
            return if command.is_linked() {
                parse_known(command, body, self.skipped(), Named::ByBody)
            } else {
                parse_unknown(None, body, self.skipped())
            };
        }
        let (command, from) = search::find_unchecked(body)?;
        // A command of a family left out of the build parses as an unknown one.
        match command.known().filter(Command::is_linked) {
            // The result is returned as it comes, never held in a local first: a `Callback` is
            // large enough for each move to be a `memcpy` call. Only the back path holds it,
            // for its error's fix-up, which therefore stays here and not in `parse_known`,
            // where it would put the copy on every path.
            Some(command) => match from {
                FoundFrom::Front => parse_known(command, body, self.skipped(), Named::ByBody),
                FoundFrom::Back(key) => {
                    let mut result = parse_known(command, body, self.skipped(), Named::ByBody);
                    if let Err(e) = &mut result {
                        // Read as a command that may not be the first top-level one, the body
                        // named another one before it: the error is the duplicate, as when the
                        // first one is read first.
                        if e.kind() == ErrorKind::CommandMismatch
                            && e.key() == Some("CallbackCommand")
                        {
                            *e = crate::read::duplicate(key, "CallbackCommand");
                        }
                    }
                    result
                }
            },
            None => parse_unknown(None, body, self.skipped()),
        }
    }

    /// [`parse_event`] with this parser's limits.
    pub fn parse_event<'b, E: Event>(&self, body: &'b mut [u8]) -> Result<E::Of<'b>, Error> {
        let mut r = FirstReader::new(body, self.skipped());
        let event = E::decode(&mut r)?;
        r.finish()?;
        Ok(event)
    }

    /// [`parse_as`] with this parser's limits.
    pub fn parse_as<'b>(&self, command: &str, body: &'b mut [u8]) -> Result<Callback<'b>, Error> {
        match Command::from_name(command) {
            known if known.is_linked() => parse_known(known, body, self.skipped(), Named::ByCaller),
            other => parse_unknown(Some(other.as_str()), body, self.skipped()),
        }
    }
}

/// Where the command a body is decoded as came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Named {
    /// A pre-pass found it in the body: the decoder must then read it there, as the body's
    /// top-level `CallbackCommand` member. The pre-passes only say where to look; the
    /// validating decoder has the last word, so a pre-pass that took something else for the
    /// member (a bug) rejects the body rather than types it.
    ByBody,
    /// The caller gave it (the query string's): the body may omit it.
    ByCaller,
}

fn parse_known<'a>(
    command: Command<'_>,
    body: &'a mut [u8],
    skipped: u32,
    named: Named,
) -> Result<Callback<'a>, Error> {
    let len = body.len();
    let mut r = FirstReader::new(body, skipped);
    let mut result = crate::command::decode_known(command, &mut r);
    if result.is_ok() {
        if let Err(e) = r.finish() {
            result = Err(e);
        } else if named == Named::ByBody && !r.read_command() {
            result = Err(Error::new(ErrorKind::MissingCommand, len));
        }
    }
    result
}

fn parse_unknown<'a>(
    query: Option<&str>,
    body: &'a mut [u8],
    skipped: u32,
) -> Result<Callback<'a>, Error> {
    let body: &'a [u8] = body;
    let text = core::str::from_utf8(body)
        .map_err(|e| Error::new(ErrorKind::InvalidUtf8, e.valid_up_to()))?;
    let (found, end) = json::find_key(body, 0, skipped, "CallbackCommand", Walk::Whole, false)?;
    let end = json::skip_ws(body, end);
    if end != body.len() {
        return Err(Error::new(ErrorKind::TrailingBytes, end));
    }
    let in_body = found.map(|f| (f, text.get(f.start..f.end).unwrap_or_default()));
    let command = match (query, in_body) {
        (Some(q), Some((f, raw))) => {
            let same = if f.escaped {
                json::unescaped_eq(raw.as_bytes(), q)
            } else {
                raw == q
            };
            if !same {
                return Err(
                    Error::new(ErrorKind::CommandMismatch, f.start.saturating_sub(1))
                        .in_key("CallbackCommand"),
                );
            }
            raw
        }
        (Some(_), None) => "",
        (None, Some((_, raw))) => raw,
        (None, None) => return Err(Error::new(ErrorKind::MissingCommand, end)),
    };
    Ok(Callback::Unknown {
        command,
        body: text,
    })
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;

    #[test]
    fn a_command_found_in_the_body_must_be_read_there_by_the_decoder() {
        // As if a pre-pass had taken something else for the body's command: every known
        // command, on a body that names none, is rejected when the body was to name it, and
        // accepted when the caller named it.
        for &command in Command::KNOWN {
            let body = r#"{"x\"CallbackCommand":"y","z":[1]}"#;
            let mut b = body.as_bytes().to_vec();
            let e = parse_known(command, &mut b, 0, Named::ByBody).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (ErrorKind::MissingCommand, body.len())
            );
            let mut b = body.as_bytes().to_vec();
            assert!(
                parse_known(command, &mut b, 0, Named::ByCaller).is_ok(),
                "{command:?}"
            );
            // Named, it is read.
            let body = format!(r#"{{"z":[1],"CallbackCommand":"{}"}}"#, command.as_str());
            let mut b = body.into_bytes();
            assert!(
                parse_known(command, &mut b, 0, Named::ByBody).is_ok(),
                "{command:?}"
            );
        }
    }
}
