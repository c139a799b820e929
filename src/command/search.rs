//! Finding a body's command: at a glance for the usual body, by the validating walk of
//! [`sniff`], and, for [`parse`](crate::parse), by unchecked searches from both ends that the
//! typed decoder then confirms (it has the last word: see `Named::ByBody` in `parse.rs`).

use super::Command;
use crate::error::{Error, ErrorKind};
use crate::json::{self, FoundFrom, Walk};

/// The command of the usual body, read at a glance: `CallbackCommand` its first member (compact
/// or pretty-printed), and its value a known command word. Up to the first `"` after the
/// value's opening quote, the bytes must spell a known word; those are plain ASCII without a
/// backslash, so that quote closes the string and the string needs no check of its own.
#[inline]
pub(crate) fn known_command_first(body: &[u8]) -> Option<Command<'static>> {
    const COMPACT: &[u8] = b"{\"CallbackCommand\":\"";
    if json::same_bytes(body.get(..COMPACT.len())?, COMPACT) {
        return known_word_at(body, COMPACT.len());
    }
    pretty_command_first(body)
}

/// The known command word from `start` up to the next `"`, if there is that quote.
#[inline]
fn known_word_at(body: &[u8], start: usize) -> Option<Command<'static>> {
    let end = json::find_byte(body, start, b'"');
    Command::known_name(body.get(start..end).filter(|_| end < body.len())?)
}

/// [`known_command_first`] with whitespace around the tokens.
#[inline(never)]
fn pretty_command_first(body: &[u8]) -> Option<Command<'static>> {
    const KEY: &[u8] = b"\"CallbackCommand\"";
    let open = json::skip_ws(body, 0);
    if body.get(open) != Some(&b'{') {
        return None;
    }
    let key = json::skip_ws(body, open + 1);
    if !json::same_bytes(body.get(key..key + KEY.len())?, KEY) {
        return None;
    }
    let colon = json::skip_ws(body, key + KEY.len());
    if body.get(colon) != Some(&b':') {
        return None;
    }
    let value = json::skip_ws(body, colon + 1);
    if body.get(value) != Some(&b'"') {
        return None;
    }
    known_word_at(body, value + 1)
}

/// Reads the top-level `CallbackCommand` of `body` without decoding the rest.
///
/// Only a member of the top-level object counts: a `CallbackCommand` inside a string, inside
/// `MsgBody` or inside any inner object is never taken. Members before it are skipped and
/// validated; bytes after it are not read, so `Ok` here does not mean the body is valid —
/// [`parse`](crate::parse) checks everything. A command written with JSON escapes is matched
/// after decoding them; an unknown one comes back as sent, escapes included.
pub fn sniff(body: &[u8]) -> Result<Command<'_>, Error> {
    let (found, end) = json::find_key(body, 0, 0, "CallbackCommand", Walk::First, false)?;
    let Some(f) = found else {
        return Err(Error::new(ErrorKind::MissingCommand, end));
    };
    // `find_key` validated the string, so it is UTF-8.
    let raw = core::str::from_utf8(body.get(f.start..f.end).unwrap_or_default())
        .map_err(|_| Error::new(ErrorKind::InvalidUtf8, f.start))?;
    Ok(Command::from_raw(raw, f.escaped))
}

/// The command of a body that the typed decoder will validate whole, and where it was found,
/// when [`known_command_first`] did not find it: a search for the key from each end up to the
/// first bracket (no walk needed to know its depth there), else the walk from both ends (a body
/// built from a map may put it anywhere), else [`sniff`], which says precisely why a body has
/// no command. What precedes the command is not validated here; the decoder validates it all.
#[inline]
pub(crate) fn find_unchecked(body: &[u8]) -> Result<(Command<'_>, FoundFrom), Error> {
    let fast = json::find_key_near_ends(body, "CallbackCommand")
        .or_else(|| json::find_key_both_ends_unchecked(body, "CallbackCommand"))
        .and_then(|(f, from)| {
            // Unchecked unless plain ASCII: a known name matches only if it decodes (and an
            // unknown one is found again, validated, by `parse_unknown`).
            let raw = body.get(f.start..f.end)?;
            // Known names are ASCII: one that matches needs no UTF-8 check.
            let command = match Command::known_name(raw) {
                Some(known) if !f.escaped => known,
                _ => Command::from_raw(core::str::from_utf8(raw).ok()?, f.escaped),
            };
            Some((command, from))
        });
    match fast {
        Some(found) => Ok(found),
        None => Ok((sniff(body)?, FoundFrom::Front)),
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::parse;
    use std::format;

    #[test]
    fn the_glance_at_the_first_member_takes_only_known_plain_words() {
        // Every known command, then the general path's answer for the same body.
        for &command in Command::KNOWN {
            let body = format!(r#"{{"CallbackCommand":"{}","x":1}}"#, command.as_str());
            assert_eq!(known_command_first(body.as_bytes()), Some(command));
            assert_eq!(sniff(body.as_bytes()), Ok(command));
        }
        // Anything else goes to the walk, which reads it as `sniff` does.
        for body in [
            r#"{"CallbackCommand":"State.StateChangeX"}"#,
            r#"{"CallbackCommand":"State.State\u0043hange"}"#,
            r#"{"CallbackCommand":"State.StateChange\"}"#,
            r#"{"CallbackCommand":"State.StateChange\\"}"#,
            r#"{"CallbackCommand" "State.StateChange"}"#,
            r#"{"CallbackCommand":State.StateChange"}"#,
            r#"["CallbackCommand":"State.StateChange"]"#,
            r#"{"CallbackCommand":"State.StateChange"#,
            r#"{"CallbackCommand":"State.Stat"#,
            r#"{"CallbackCommand":""#,
            r#"{"CallbackCommand":"""#,
            r#"{"Info":{},"CallbackCommand":"State.StateChange"}"#,
        ] {
            assert_eq!(known_command_first(body.as_bytes()), None, "{body}");
        }
        // Pretty-printed, the glance reads it too.
        for body in [
            " {\"CallbackCommand\": \"State.StateChange\"}",
            "{\n  \"CallbackCommand\" :\t\"State.StateChange\",\n  \"x\": 1\n}",
        ] {
            let glance = known_command_first(body.as_bytes());
            assert_eq!(glance, Some(Command::StateChange), "{body}");
        }
        // The escaped spelling still parses, by the walk (compact or not).
        for body in [
            r#"{"CallbackCommand":"State.State\u0043hange","Info":{"To_Account":"a"}}"#,
            r#" { "CallbackCommand" : "State.State\u0043hange" , "Info" : {"To_Account":"a"}}"#,
        ] {
            let mut b = body.as_bytes().to_vec();
            assert_eq!(
                parse(&mut b).map(|c| c.command()),
                Ok(Command::StateChange),
                "{body}"
            );
        }
    }
}
