//! What makes an invalid body invalid: one flaw each, named, with the rejection it must get.

use core::fmt;
use core::str::FromStr;

use tim_callback::error::ErrorKind;

use crate::schema::{self, S};
use crate::source::Source;
use crate::tree::Tree;

/// The one thing wrong with an invalid body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Flaw {
    /// The body stops in the middle (after a `{`, `[`, `,` or `:`).
    Truncated,
    /// A field of the command holds a value of the wrong type (a number for a string, an
    /// object for a list, …).
    WrongType,
    /// A numeric field holds a well-formed number past its type's range (`4294967296` for a
    /// `u32`, `1e400`, …).
    OutOfRange,
    /// A numeric field holds a number cut short (`1.`, `1e`, `1e+`, `-`, `1.e5`).
    InvalidNumber,
    /// A field of the command is given twice.
    DuplicateKey,
    /// The body's `CallbackCommand` names another command than the query string does (the
    /// body's `command`), and a text inside the body holds the query's command, as if to fool a
    /// sniffer that searches the bytes.
    SpoofedCommand,
    /// A string holds bytes that are not UTF-8 (a stray continuation byte, a cut sequence, an
    /// overlong or surrogate encoding, `0xFF`).
    BadUtf8,
    /// A string holds a `\uXXXX` surrogate without its pair.
    LoneSurrogate,
    /// A string holds an escape JSON does not define (`\x`, `\'`, `\u12G4`).
    InvalidEscape,
    /// A string holds a raw control character (below U+0020; never a line break, so that a
    /// body stays on its line).
    ControlCharacter,
    /// Arrays nested past the parser's depth limit.
    TooDeep,
    /// Bytes after the body's closing brace.
    TrailingBytes,
}

impl Flaw {
    /// Every flaw.
    pub const ALL: &'static [Flaw] = &[
        Flaw::Truncated,
        Flaw::WrongType,
        Flaw::OutOfRange,
        Flaw::InvalidNumber,
        Flaw::DuplicateKey,
        Flaw::SpoofedCommand,
        Flaw::BadUtf8,
        Flaw::LoneSurrogate,
        Flaw::InvalidEscape,
        Flaw::ControlCharacter,
        Flaw::TooDeep,
        Flaw::TrailingBytes,
    ];

    /// Its label, e.g. `wrong-type`: what `tim-callback gen` writes as `why`.
    pub const fn name(self) -> &'static str {
        match self {
            Flaw::Truncated => "truncated",
            Flaw::WrongType => "wrong-type",
            Flaw::OutOfRange => "out-of-range",
            Flaw::InvalidNumber => "invalid-number",
            Flaw::DuplicateKey => "duplicate-key",
            Flaw::SpoofedCommand => "spoofed-command",
            Flaw::BadUtf8 => "bad-utf8",
            Flaw::LoneSurrogate => "lone-surrogate",
            Flaw::InvalidEscape => "invalid-escape",
            Flaw::ControlCharacter => "control-character",
            Flaw::TooDeep => "too-deep",
            Flaw::TrailingBytes => "trailing-bytes",
        }
    }

    /// Whether `kind` is the rejection this flaw must get from
    /// [`tim_callback::parse_as`] with the body's command.
    pub fn matches(self, kind: ErrorKind) -> bool {
        match self {
            Flaw::Truncated => kind == ErrorKind::Eof,
            Flaw::WrongType => matches!(kind, ErrorKind::Expected(_)),
            Flaw::OutOfRange => matches!(kind, ErrorKind::OutOfRange(_)),
            Flaw::InvalidNumber => kind == ErrorKind::InvalidNumber,
            Flaw::DuplicateKey => kind == ErrorKind::DuplicateKey,
            Flaw::SpoofedCommand => kind == ErrorKind::CommandMismatch,
            Flaw::BadUtf8 => kind == ErrorKind::InvalidUtf8,
            Flaw::LoneSurrogate => kind == ErrorKind::LoneSurrogate,
            Flaw::InvalidEscape => kind == ErrorKind::InvalidEscape,
            Flaw::ControlCharacter => kind == ErrorKind::ControlCharacter,
            Flaw::TooDeep => kind == ErrorKind::TooDeep,
            Flaw::TrailingBytes => kind == ErrorKind::TrailingBytes,
        }
    }
}

impl fmt::Display for Flaw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A label that names no flaw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownFlaw;

impl fmt::Display for UnknownFlaw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a flaw's name")
    }
}

impl std::error::Error for UnknownFlaw {}

impl FromStr for Flaw {
    type Err = UnknownFlaw;
    fn from_str(s: &str) -> Result<Self, UnknownFlaw> {
        Flaw::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or(UnknownFlaw)
    }
}

/// The top-level members of `tree` that are fields of the command and whose type `want`
/// accepts, as indices.
fn fields_where(tree: &Tree, fields: &[(&str, S)], want: impl Fn(S) -> bool) -> Vec<(usize, S)> {
    let Tree::Obj(members) = tree else {
        return vec![];
    };
    members
        .iter()
        .enumerate()
        .filter_map(|(i, (k, _))| {
            let (_, s) = fields.iter().find(|(f, _)| f.split('|').any(|f| f == k))?;
            want(*s).then_some((i, *s))
        })
        .collect()
}

fn numeric(s: S) -> bool {
    matches!(s, S::U32 | S::U64 | S::I64 | S::F64 | S::Time)
}

/// Puts `value` under a key the command does not have, at a random place among the top-level
/// members: the parser must validate what it skips, so every command can carry it.
fn insert_unknown(tree: &mut Tree, value: Tree, src: &mut dyn Source) {
    if let Tree::Obj(members) = tree {
        let at = 1 + src.below(members.len() as u64) as usize;
        members.insert(at.min(members.len()), ("XNote".into(), value));
    }
}

/// Applies what of `flaw` is done to the tree; returns the flaw actually applied (a command
/// without a field the flaw needs gets another).
pub(crate) fn apply_to_tree(
    flaw: Flaw,
    tree: &mut Tree,
    command: &'static str,
    fields: &[(&str, S)],
    src: &mut dyn Source,
) -> Flaw {
    let raw = |b: &[u8]| Tree::Raw(b.to_vec());
    match flaw {
        Flaw::WrongType => {
            let candidates = fields_where(tree, fields, |s| !matches!(s, S::Any));
            let Some(&(i, s)) = (!candidates.is_empty()).then(|| src.pick(&candidates)) else {
                return apply_to_tree(Flaw::TrailingBytes, tree, command, fields, src);
            };
            let wrong = match s {
                S::Str | S::Vocab(_) => src.pick(&["7", "[]", "{}", "true"]),
                S::Obj(_) => src.pick(&["[]", "\"x\"", "1"]),
                S::List(..) | S::Elems => src.pick(&["{}", "\"x\"", "1"]),
                _ => src.pick(&["true", "[]", "{}"]),
            };
            set(tree, i, Tree::Lit((*wrong).into()));
        }
        Flaw::OutOfRange | Flaw::InvalidNumber => {
            let candidates = fields_where(tree, fields, numeric);
            let Some(&(i, s)) = (!candidates.is_empty()).then(|| src.pick(&candidates)) else {
                return apply_to_tree(Flaw::TooDeep, tree, command, fields, src);
            };
            let text = if flaw == Flaw::OutOfRange {
                match s {
                    S::U32 => "4294967296",
                    S::I64 => *src.pick(&["9223372036854775808", "-9223372036854775809"]),
                    S::F64 => *src.pick(&["1e400", "-1e309"]),
                    _ => "18446744073709551616",
                }
            } else {
                *src.pick(&["1.", "1e", "1e+", "-", "1.e5", "-."])
            };
            set(tree, i, Tree::Lit(text.into()));
        }
        Flaw::DuplicateKey => {
            let candidates = fields_where(tree, fields, |_| true);
            let Tree::Obj(members) = tree else {
                unreachable!("a body is an object")
            };
            let i = match candidates.is_empty() {
                false => src.pick(&candidates).0,
                // No field at all: the command itself, a known key too.
                true => members
                    .iter()
                    .position(|(k, _)| k == "CallbackCommand")
                    .unwrap_or(0),
            };
            let twin = members[i].clone();
            let at = src.below(members.len() as u64 + 1) as usize;
            members.insert(at, twin);
        }
        Flaw::SpoofedCommand => {
            let others: Vec<&str> = schema::commands()
                .map(|(c, _)| *c)
                .filter(|c| *c != command)
                .collect();
            let other = *src.pick(&others);
            let Tree::Obj(members) = tree else {
                unreachable!("a body is an object")
            };
            for (k, v) in members.iter_mut() {
                if k == "CallbackCommand" {
                    *v = Tree::Str(other.into());
                }
            }
            let bait = format!("\"CallbackCommand\":\"{command}\"");
            insert_unknown(tree, Tree::Str(bait), src);
        }
        Flaw::BadUtf8 => {
            let bad: &[u8] = src.pick::<&[u8]>(&[
                &b"\"a\x80b\""[..],
                b"\"\xe4\xb8\"",
                b"\"\xc0\xaf\"",
                b"\"\xed\xa0\x80\"",
                b"\"ok\xff\"",
                b"\"\xf8\x88\x80\x80\x80\"",
            ]);
            insert_unknown(tree, raw(bad), src);
        }
        Flaw::LoneSurrogate => {
            let bad: &[u8] =
                src.pick::<&[u8]>(&[&b"\"\\ud800\""[..], b"\"a\\udc00b\"", b"\"\\uD83D\\u0041\""]);
            insert_unknown(tree, raw(bad), src);
        }
        Flaw::InvalidEscape => {
            let bad: &[u8] = src.pick::<&[u8]>(&[
                &b"\"\\x41\""[..],
                b"\"\\'\"",
                b"\"\\u12G4\"",
                b"\"\\U0041\"",
            ]);
            insert_unknown(tree, raw(bad), src);
        }
        Flaw::ControlCharacter => {
            let c = *src.pick(&[0x01u8, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x00]);
            insert_unknown(tree, Tree::Raw(vec![b'"', b'a', c, b'"']), src);
        }
        Flaw::TooDeep => {
            let n = tim_callback::MAX_DEPTH as usize + 1 + src.below(4) as usize;
            let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
            insert_unknown(tree, Tree::Raw(deep.into_bytes()), src);
        }
        Flaw::Truncated | Flaw::TrailingBytes => {}
    }
    flaw
}

/// Applies what of `flaw` is done to the rendered bytes.
pub(crate) fn apply_to_bytes(flaw: Flaw, bytes: &mut Vec<u8>, src: &mut dyn Source) {
    match flaw {
        Flaw::Truncated => {
            // After a byte that leaves a value open, never at the very end.
            let cuts: Vec<usize> = (1..bytes.len().saturating_sub(1))
                .filter(|&i| matches!(bytes[i - 1], b'{' | b'[' | b',' | b':'))
                .collect();
            let at = if cuts.is_empty() { 1 } else { *src.pick(&cuts) };
            bytes.truncate(at);
        }
        Flaw::TrailingBytes => {
            let tail: &[u8] = src.pick::<&[u8]>(&[&b" x"[..], b"{}", b",", b"]", b"\"\"", b"0"]);
            bytes.extend_from_slice(tail);
        }
        _ => {}
    }
}

fn set(tree: &mut Tree, i: usize, value: Tree) {
    if let Tree::Obj(members) = tree {
        members[i].1 = value;
    }
}
