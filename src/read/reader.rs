//! The two cursors the typed decoders run on. Of Tencent it knows one thing: whether the
//! top-level `CallbackCommand` member was read ([`Source::command_read`]), so that the decoder
//! can insist on it when a pre-pass found the command in the body.
//!
//! [`MutReader`] reads raw input: it validates everything and unescapes strings in place
//! (see the invariant in [`crate::json::format`]). [`SharedReader`] re-reads a region that a
//! `MutReader` already validated and rewrote; lists use it to decode elements lazily. Both run
//! the same [`Decode`] code, so they visit the same values in the same way, which is what keeps
//! the invariant true: every string the shared reader reads as a string was rewritten (or had
//! no escapes) when the mutable reader read it.
//!
//! A list element in its usual shape (every key rewritten, taking in the whitespace around it;
//! every value noted or a plain integer) is re-read without a reader at all: [`Decode::reread`]
//! walks from tag to tag with [`reread_key`] and [`reread_str`], trusting the notes the same
//! way, and gives up — before moving — on anything else, which the shared reader then reads.
//! Trusting a note decides where a value is, never whether it is sound: every `&str` of a second
//! read is checked (`utf8::as_str`), so a desync between the reads gives a wrong value
//! (which the fuzz targets check for, see `first_read`) and never undefined behaviour.

use crate::error::{Error, ErrorKind, Expected, NumberType};
use crate::json::format::{clear_note, mark_rewritten, pad_end, read_note, write_note};
use crate::json::{self, CLOSE, KEY, MAX_DEPTH, OPEN};
use crate::read::Decode;

/// No key is waiting for its value's note.
const NO_SLOT: usize = usize::MAX;

/// Second read: the string at `buf[i]` whose noted length (+ 1) is `noted` — plain (`"…"`) or
/// rewritten (`OPEN` decoded text `CLOSE` padding) — and the index after it (after the padding
/// of a rewritten one).
#[inline]
pub(crate) fn reread_str(buf: &[u8], i: usize, noted: usize) -> Option<(&str, usize)> {
    let n = noted.checked_sub(1)?;
    let from = i + 1;
    let close = match *buf.get(i)? {
        b'"' => b'"',
        OPEN => CLOSE,
        _ => return None,
    };
    if buf.get(from + n) != Some(&close) {
        return None;
    }
    let text = buf.get(from..from + n)?;
    let end = if close == CLOSE {
        pad_end(buf, from + n + 1)
    } else {
        from + n + 1
    };
    // Checked, not trusted: the note and the marker bytes say where the text is, but nothing
    // local proves that the first read left UTF-8 there, and a desync between the two reads
    // must give a wrong value (caught by the fuzz targets' reread check), never a bad `&str`.
    let text = crate::utf8::as_str(text)?;
    Some((text, end))
}

/// After a key ending at `after`: its colon (usually right there), and the index of its value,
/// past the space that pretty JSON puts after a colon; `Err` with where the colon should be.
#[inline(always)]
fn value_after_key(buf: &[u8], after: usize) -> Result<usize, usize> {
    let colon = match buf.get(after) {
        Some(b':') => after,
        _ => json::skip_ws(buf, after),
    };
    if buf.get(colon) != Some(&b':') {
        return Err(colon);
    }
    Ok(json::skip_ws(buf, colon + 1))
}

/// A cursor over JSON bytes that typed decoders pull values from.
pub trait Source<'a>: Sized {
    /// Whether the bytes were already validated and rewritten by a [`MutReader`].
    #[doc(hidden)]
    fn trusted(&self) -> bool;
    #[doc(hidden)]
    fn buf(&self) -> &[u8];
    #[doc(hidden)]
    fn pos(&self) -> usize;
    #[doc(hidden)]
    fn set_pos(&mut self, i: usize);
    /// Absolute offset of `buf()[0]` within the body, for error offsets.
    #[doc(hidden)]
    fn base(&self) -> usize;
    #[doc(hidden)]
    fn depth(&self) -> u32;
    #[doc(hidden)]
    fn set_depth(&mut self, depth: u32);
    /// Sets the key whose value is read next, for its note ([`NO_SLOT`]: none).
    #[doc(hidden)]
    fn set_slot(&mut self, key: usize);
    /// [`Source::next_field`] for a key with escapes (or, second read, one that the first
    /// read unescaped) at `quote`, `lead` being where the whitespace before it starts: reads
    /// it and its colon; returns its index in `keys`, the cursor on its value.
    #[doc(hidden)]
    #[inline(never)]
    fn escaped_key(&mut self, lead: usize, quote: usize, keys: &[&str]) -> Result<usize, Error> {
        if let Some((index, value, tagged)) = self.escaped_key_in_list(lead, quote, keys)? {
            self.set_pos(value);
            if tagged {
                self.set_slot(lead);
            }
            return Ok(index);
        }
        // Read (and so unescaped in place) as a string.
        self.set_pos(quote);
        let key = self.string()?;
        let index = json::lookup(keys, key.as_bytes()).unwrap_or(usize::MAX);
        match value_after_key(self.buf(), self.pos()) {
            Ok(value) => self.set_pos(value),
            Err(colon) => {
                self.set_pos(colon);
                return self.expected(Expected::Colon);
            }
        }
        Ok(index)
    }
    /// First read, inside a list: reads the escaped key whose `"` is at `quote`, and its colon,
    /// and rewrites it into [`KEY`] form from `lead` to its value like a plain key when that
    /// fits (else into the rewritten string form). Returns its index, its value's start and
    /// whether it was put in [`KEY`] form; `None` outside lists and on the second read, where
    /// the key is read as a string.
    #[doc(hidden)]
    fn escaped_key_in_list(
        &mut self,
        lead: usize,
        quote: usize,
        keys: &[&str],
    ) -> Result<Option<(usize, usize, bool)>, Error> {
        let _ = (lead, quote, keys);
        Ok(None)
    }
    /// First read: rewrites `buf()[start..value]` — a plain key (index `index` in its table),
    /// its colon and the whitespace around them — into [`KEY`] form, when it is in a list and
    /// fits; returns whether it did. Second read: `false`.
    #[doc(hidden)]
    fn tag_key(&mut self, start: usize, value: usize, index: usize) -> bool;
    /// First read: writes `a` (and `b`) as the note of the key whose value was just read, if
    /// any. Second read: nothing. Either way the key's note is used up.
    #[doc(hidden)]
    fn note(&mut self, a: usize, b: Option<usize>);
    /// Second read: the note (each value + 1, 0 when absent) of the key whose value is read
    /// now, used up. First read: `(0, 0)`.
    #[doc(hidden)]
    fn noted(&mut self) -> (usize, usize);
    /// First read: marks the key whose value is read next as having no note. Second read:
    /// nothing. Either way the key's note is used up.
    #[doc(hidden)]
    fn no_note(&mut self);
    /// First read: records that the body's top-level `CallbackCommand` member was read (and
    /// matched). Second read: nothing (lists hold no events).
    #[doc(hidden)]
    #[inline]
    fn command_read(&mut self) {}
    /// Reads the string at the cursor.
    #[doc(hidden)]
    fn string(&mut self) -> Result<&'a str, Error>;
    /// Skips the value at the cursor, returning its raw JSON text.
    #[doc(hidden)]
    fn raw(&mut self) -> Result<&'a str, Error>;
    /// Reads the array at the cursor (validating every element as a `T` when untrusted) and
    /// returns its bytes, `[` to `]`, and its element count: what a lazy list is made of.
    #[doc(hidden)]
    fn array<T: Decode>(&mut self) -> Result<(&'a [u8], usize), Error>;

    /// An error of `kind` at cursor-relative index `i`.
    #[doc(hidden)]
    #[inline]
    fn error<T>(&self, kind: ErrorKind, i: usize) -> Result<T, Error> {
        Err(Error::new(kind, self.base() + i))
    }

    /// "expected `what`" at the cursor (or end of input).
    #[doc(hidden)]
    #[inline]
    fn expected<T>(&self, what: Expected) -> Result<T, Error> {
        json::expected(what, self.buf(), self.pos()).map_err(|e| e.shift(self.base()))
    }

    /// Skips whitespace and returns the next byte without consuming it.
    #[doc(hidden)]
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        let i = json::skip_ws(self.buf(), self.pos());
        self.set_pos(i);
        self.buf().get(i).copied()
    }

    /// Consumes `{`.
    #[doc(hidden)]
    #[cfg_attr(feature = "perf", inline(always))]
    fn begin_object(&mut self) -> Result<(), Error> {
        if self.peek() != Some(b'{') {
            return self.expected(Expected::Object);
        }
        if self.depth() + 1 > MAX_DEPTH {
            return self.error(ErrorKind::TooDeep, self.pos());
        }
        self.set_depth(self.depth() + 1);
        self.set_pos(self.pos() + 1);
        // Object values carry no note; their own keys do.
        self.set_slot(NO_SLOT);
        Ok(())
    }

    /// Reads the next key and its `:` and finds it in `keys`, trying `keys[hint.0]` first (keys
    /// usually come in the documented order), then `keys[hint.1]` (the key that follows the
    /// last one alphabetically: a body built from a sorted map). Returns the key's index
    /// (`usize::MAX` when it is not in `keys`) and absolute offset, or consumes the closing `}`
    /// and returns `None`.
    ///
    /// A key without escapes is compared where it lies; only an escaped key is read (and so
    /// unescaped in place) as a string.
    ///
    /// With `perf`, inlined into every record's decoder, where the keys and hints are
    /// constants; without it, one copy per reader.
    #[doc(hidden)]
    #[cfg_attr(feature = "perf", inline(always))]
    fn next_field(
        &mut self,
        first: &mut bool,
        keys: &[&str],
        hint: (usize, usize),
    ) -> Result<Option<(usize, usize)>, Error> {
        self.set_slot(NO_SLOT);
        let buf = self.buf();
        // Where the whitespace before the key starts (a rewritten key takes it in).
        let mut lead = self.pos();
        let mut i = json::skip_ws(buf, lead);
        let after_comma = !core::mem::replace(first, false);
        if after_comma {
            match buf.get(i) {
                Some(b',') => {
                    lead = i + 1;
                    i = json::skip_ws(buf, lead);
                }
                Some(b'}') => return Ok(self.close_object(i)),
                _ => {
                    self.set_pos(i);
                    return self.expected(Expected::CommaOrBrace);
                }
            }
        }
        let at = self.base() + i;
        // `plain`: a key without escapes, still where it was read (`"` at `i`); keys with
        // escapes are read out of line.
        let (index, after, plain) = match buf.get(i) {
            Some(&KEY) if self.trusted() => {
                // Rewritten by the first read: the index is stored and the colon is inside.
                let Some((tag, after)) = json::tagged_key(buf, i) else {
                    return self.error(ErrorKind::Eof, buf.len());
                };
                self.set_slot(i);
                self.set_pos(after);
                let index = if tag == 0xFF {
                    usize::MAX
                } else {
                    usize::from(tag)
                };
                return Ok(Some((index, at)));
            }
            Some(b'"') => {
                let k = i + 1;
                let is = |guess: usize| {
                    let guess = keys.get(guess).map_or(&[][..], |g| g.as_bytes());
                    (!guess.is_empty()
                        && buf.get(k + guess.len()) == Some(&b'"')
                        && json::same_bytes(buf.get(k..k + guess.len()).unwrap_or_default(), guess))
                    .then_some(k + guess.len() + 1)
                };
                if let Some(after) = is(hint.0) {
                    (hint.0, after, true)
                } else if let Some(after) = is(hint.1) {
                    (hint.1, after, true)
                } else {
                    let (end, non_ascii) = json::next_special(buf, k);
                    if buf.get(end) == Some(&b'"') {
                        if !self.trusted() {
                            json::utf8_if(non_ascii, buf, k, end)
                                .map_err(|e| e.shift(self.base()))?;
                        }
                        let name = buf.get(k..end).unwrap_or_default();
                        (
                            json::lookup(keys, name).unwrap_or(usize::MAX),
                            end + 1,
                            true,
                        )
                    } else {
                        return Ok(Some((self.escaped_key(lead, i, keys)?, at)));
                    }
                }
            }
            Some(&OPEN) if self.trusted() => {
                return Ok(Some((self.escaped_key(lead, i, keys)?, at)));
            }
            Some(b'}') if !after_comma => return Ok(self.close_object(i)),
            _ => {
                self.set_pos(i);
                return self.expected(Expected::Key);
            }
        };
        let value = match value_after_key(self.buf(), after) {
            Ok(value) => value,
            Err(colon) => {
                self.set_pos(colon);
                return self.expected(Expected::Colon);
            }
        };
        self.set_pos(value);
        // A plain key (`"…"` at `i`) inside a list: rewritten for the second read, with the
        // whitespace around it, so that a pretty-printed element reads as a compact one.
        if !self.trusted() && plain && self.tag_key(lead, value, index) {
            self.set_slot(lead);
        }
        Ok(Some((index, at)))
    }

    /// Consumes the `}` at `i` and leaves the object.
    #[doc(hidden)]
    #[inline]
    fn close_object(&mut self, i: usize) -> Option<(usize, usize)> {
        self.set_pos(i + 1);
        self.set_depth(self.depth().saturating_sub(1));
        None
    }

    /// Skips (and, when untrusted, validates) the value at the cursor.
    #[doc(hidden)]
    #[inline]
    fn skip(&mut self) -> Result<(), Error> {
        let start = self.pos();
        if let (n @ 1.., _) = self.noted() {
            self.set_pos(start + n - 1);
            return Ok(());
        }
        let end = json::skip_value(self.buf(), start, self.depth(), self.trusted())
            .map_err(|e| e.shift(self.base()))?;
        self.note(end - start, None);
        self.set_pos(end);
        Ok(())
    }

    /// Consumes `null` if it is next.
    #[doc(hidden)]
    #[inline]
    fn null(&mut self) -> Result<bool, Error> {
        if self.peek() == Some(b'n') {
            self.skip()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Scans the number at the cursor; returns it and its start.
    #[doc(hidden)]
    #[inline]
    fn number(&mut self, what: Expected) -> Result<(json::NumberToken, usize), Error> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {}
            _ => return self.expected(what),
        }
        let start = self.pos();
        let t = json::scan_number(self.buf(), start).map_err(|e| e.shift(self.base()))?;
        self.set_pos(t.end);
        Ok((t, start))
    }

    /// Reads a non-negative integer no larger than `max`.
    #[doc(hidden)]
    #[inline]
    fn unsigned(&mut self, ty: NumberType, max: u64) -> Result<u64, Error> {
        let start = json::skip_ws(self.buf(), self.pos());
        let (v, end) =
            json::unsigned_at(self.buf(), start, ty, max).map_err(|e| e.shift(self.base()))?;
        self.set_pos(end);
        Ok(v)
    }

    /// Reads an `i64`.
    #[doc(hidden)]
    #[inline]
    fn signed(&mut self) -> Result<i64, Error> {
        let (t, start) = self.number(Expected::Integer)?;
        let digits = self.buf().get(start..t.end).unwrap_or_default();
        if !t.integer || digits == b"-0" {
            return self.error(ErrorKind::Expected(Expected::Integer), start);
        }
        let v = match digits.split_first() {
            Some((b'-', mag)) => json::parse_u64(mag).and_then(|m| 0i64.checked_sub_unsigned(m)),
            _ => json::parse_u64(digits).and_then(|m| i64::try_from(m).ok()),
        };
        match v {
            Some(v) => Ok(v),
            None => self.error(ErrorKind::OutOfRange(NumberType::I64), start),
        }
    }

    /// Reads a `u64` given as a number or as a string of ASCII digits; returns whether it was
    /// a string.
    #[doc(hidden)]
    #[inline]
    fn u64_or_digits(&mut self) -> Result<(u64, bool), Error> {
        match self.peek() {
            Some(b'"') => {}
            Some(OPEN) if self.trusted() => {}
            Some(b'-' | b'0'..=b'9') => {
                return Ok((self.unsigned(NumberType::U64, u64::MAX)?, false));
            }
            _ => return self.expected(Expected::NumberOrNumericString),
        }
        // Absolute: reading the string may move `base`.
        let at = self.base() + self.pos();
        let s = self.string()?;
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(Error::new(ErrorKind::InvalidNumericString, at));
        }
        match json::parse_u64(s.as_bytes()) {
            Some(v) => Ok((v, true)),
            None => Err(Error::new(ErrorKind::OutOfRange(NumberType::U64), at)),
        }
    }
}

/// Reads raw input, validating it and unescaping strings in place.
pub struct MutReader<'a> {
    /// What is not yet split off: absolute offsets `base..`.
    rest: &'a mut [u8],
    pos: usize,
    base: usize,
    depth: u32,
    /// The rewritten key (in `rest`) whose value is read next, or [`NO_SLOT`].
    slot: usize,
    /// Whether keys are rewritten: only inside lists, the only values read twice.
    tags: bool,
    /// Whether the event's top-level `CallbackCommand` member was read.
    command_read: bool,
}

/// Text this module knows to be UTF-8, as `&str`, without checking it again.
///
/// Only the first read uses it, each call right after the check that proves its text; the
/// second read of a list ([`reread_str`], [`SharedReader`]) checks with `utf8::as_str`, since
/// what it trusts there is a note written earlier, not a check next to the conversion.
///
/// # Safety
/// `bytes` must be valid UTF-8. Every caller below passes one of: the content of a string that
/// [`json::scan_string`] checked (it validates every string with a non-ASCII byte); a whole JSON
/// value that [`json::skip_value`] checked, which is such strings plus grammar bytes, all ASCII;
/// or text written by [`json::decode_string_in_place`] from content it checked, which moves whole
/// UTF-8 sequences (its sixteen-byte blocks are cut where characters start, and checked) and
/// writes `char::encode_utf8` output or a one-character escape's ASCII byte. The marker bytes
/// (0xF8, 0xF9) are written only around such text, never inside a region returned as `&str`.
#[allow(unsafe_code)]
#[inline]
unsafe fn utf8_unchecked(bytes: &[u8]) -> &str {
    debug_assert!(core::str::from_utf8(bytes).is_ok());
    // SAFETY: the caller guarantees `bytes` is UTF-8 (see above).
    unsafe { core::str::from_utf8_unchecked(bytes) }
}

impl<'a> MutReader<'a> {
    /// A reader over a whole body, counting depth from `skipped` (so that its checks against
    /// [`MAX_DEPTH`] enforce `MAX_DEPTH - skipped`).
    pub(crate) fn new(buf: &'a mut [u8], skipped: u32) -> Self {
        MutReader {
            rest: buf,
            pos: 0,
            base: 0,
            depth: skipped,
            slot: NO_SLOT,
            tags: false,
            command_read: false,
        }
    }

    /// Whether the body's top-level `CallbackCommand` member was read (and matched the command
    /// it was decoded as).
    pub(crate) fn read_command(&self) -> bool {
        self.command_read
    }

    /// Splits `rest[start..end]` off for good; the cursor moves to `end`.
    fn take(&mut self, start: usize, end: usize) -> &'a mut [u8] {
        let rest = core::mem::take(&mut self.rest);
        let end = end.min(rest.len());
        let (head, tail) = rest.split_at_mut(end);
        self.rest = tail;
        self.base += end;
        self.pos = 0;
        self.slot = NO_SLOT;
        let start = start.min(head.len());
        &mut head[start..]
    }

    /// Whitespace only after the top-level value.
    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        if self.peek().is_some() {
            return self.error(ErrorKind::TrailingBytes, self.pos);
        }
        Ok(())
    }
}

impl<'a> Source<'a> for MutReader<'a> {
    #[inline(always)]
    fn trusted(&self) -> bool {
        false
    }

    #[inline]
    fn buf(&self) -> &[u8] {
        self.rest
    }
    #[inline]
    fn pos(&self) -> usize {
        self.pos
    }
    #[inline]
    fn set_pos(&mut self, i: usize) {
        self.pos = i;
    }
    #[inline]
    fn base(&self) -> usize {
        self.base
    }
    #[inline]
    fn depth(&self) -> u32 {
        self.depth
    }
    #[inline]
    fn set_depth(&mut self, depth: u32) {
        self.depth = depth;
    }
    #[inline]
    fn set_slot(&mut self, key: usize) {
        self.slot = key;
    }
    #[inline(always)]
    fn tag_key(&mut self, start: usize, value: usize, index: usize) -> bool {
        // Outside lists (most keys of a body) nothing else is looked at.
        if !self.tags {
            return false;
        }
        let len = value - start;
        // Index 0xFF means "not in the table"; a table that long is never tagged.
        let index = match index {
            usize::MAX => 0xFF,
            i if i < 0xFF => i as u8,
            _ => return false,
        };
        if !(4..=255).contains(&len) {
            return false;
        }
        // The note bytes are left as they are: the value that reads a note always writes one
        // (see `write_note`), and no other value reads it.
        if let Some(head) = self
            .rest
            .get_mut(start..start + 4)
            .and_then(|h| h.first_chunk_mut::<4>())
        {
            *head = [KEY, index, len as u8, 0];
            return true;
        }
        false
    }
    #[inline(never)]
    fn escaped_key_in_list(
        &mut self,
        lead: usize,
        quote: usize,
        keys: &[&str],
    ) -> Result<Option<(usize, usize, bool)>, Error> {
        if !self.tags {
            return Ok(None);
        }
        let base = self.base;
        // The same checks, in the same order, as reading the key as a string would make.
        let (end, len, _) = json::decode_string_in_place(self.rest, quote + 1, quote + 1, false)
            .map_err(|e| e.shift(base))?;
        let buf: &[u8] = self.rest;
        let name = buf.get(quote + 1..quote + 1 + len).unwrap_or_default();
        let index = json::lookup(keys, name).unwrap_or(usize::MAX);
        let value = match value_after_key(buf, end) {
            Ok(value) => value,
            Err(colon) => {
                return json::expected(Expected::Colon, buf, colon).map_err(|e| e.shift(base));
            }
        };
        if self.tag_key(lead, value, index) {
            return Ok(Some((index, value, true)));
        }
        // Too long for a tag: put in the rewritten-string form, as an escaped string value is
        // (the second read reads it as a string).
        if let Some(s) = self.rest.get_mut(quote..end) {
            mark_rewritten(s, len);
        }
        Ok(Some((index, value, false)))
    }
    #[inline]
    fn note(&mut self, a: usize, b: Option<usize>) {
        let key = core::mem::replace(&mut self.slot, NO_SLOT);
        if key != NO_SLOT {
            write_note(self.rest, key, a, b);
        }
    }
    #[inline]
    fn noted(&mut self) -> (usize, usize) {
        (0, 0)
    }
    #[inline]
    fn no_note(&mut self) {
        let key = core::mem::replace(&mut self.slot, NO_SLOT);
        if key == NO_SLOT {
            return;
        }
        let len = self.rest.get(key + 2).map_or(0, |&l| usize::from(l));
        if let Some(note) = self.rest.get_mut(key + 3..key + len) {
            clear_note(note);
        }
    }

    #[inline]
    fn command_read(&mut self) {
        self.command_read = true;
    }

    fn string(&mut self) -> Result<&'a str, Error> {
        if self.peek() != Some(b'"') {
            return self.expected(Expected::String);
        }
        let start = self.pos;
        let base = self.base;
        // Most strings hold no escape: the first special byte closes them.
        let (at, non_ascii) = json::next_special(self.rest, start + 1);
        if self.rest.get(at) == Some(&b'"') {
            json::utf8_if(non_ascii, self.rest, start + 1, at).map_err(|e| e.shift(base))?;
            self.note(at - start - 1, None);
            let s = self.take(start + 1, at + 1);
            let text: &'a [u8] = s.split_last().map_or(&[], |(_, t)| t);
            // SAFETY: string content that `utf8_if` just checked when it held a non-ASCII
            // byte (see `utf8_unchecked`).
            #[allow(unsafe_code)]
            return Ok(unsafe { utf8_unchecked(text) });
        }
        // The content before `at` is checked with the decoder's first run.
        let (end, len, escaped) = json::decode_string_in_place(self.rest, start + 1, at, non_ascii)
            .map_err(|e| e.shift(base))?;
        self.note(len, None);
        let s = self.take(start, end);
        let text = if escaped {
            mark_rewritten(s, len)
        } else {
            s.get_mut(1..1 + len)
        };
        let Some(text) = text else {
            return Err(Error::new(ErrorKind::Eof, base + end));
        };
        let text: &'a [u8] = text;
        // SAFETY: `text` is string content that `decode_string_in_place` decoded and checked
        // (every run with a non-ASCII byte, before it returned `Ok`; see `utf8_unchecked`).
        #[allow(unsafe_code)]
        Ok(unsafe { utf8_unchecked(text) })
    }

    fn raw(&mut self) -> Result<&'a str, Error> {
        let start = json::skip_ws(self.rest, self.pos);
        let base = self.base;
        let end =
            json::skip_value(self.rest, start, self.depth, false).map_err(|e| e.shift(base))?;
        self.note(end - start, None);
        let text: &'a [u8] = self.take(start, end);
        // SAFETY: one whole JSON value that `skip_value` just checked, never rewritten (see
        // `utf8_unchecked`).
        #[allow(unsafe_code)]
        Ok(unsafe { utf8_unchecked(text) })
    }

    fn array<T: Decode>(&mut self) -> Result<(&'a [u8], usize), Error> {
        #[cfg(check_rereads)]
        let mut first = crate::read::Fingerprint::new();
        let (region, len) = self.array_by(|sub| {
            let len = items(sub, |s| {
                let value = T::decode(s)?;
                #[cfg(check_rereads)]
                first.add(&value);
                drop(value);
                Ok(())
            })?;
            Ok((sub.base + sub.pos, len))
        })?;
        #[cfg(check_rereads)]
        crate::read::check::<T>(region, len, first);
        Ok((region, len))
    }
}

impl<'a> MutReader<'a> {
    /// Reads the array at the cursor: `read` validates (and rewrites) every element through a
    /// shorter-lived reader over the same bytes, whose `[` it gets consumed, and returns the
    /// absolute offset after the `]` and the element count. The decoded values are dropped and
    /// re-decoded on iteration.
    #[inline]
    pub(crate) fn array_by(
        &mut self,
        read: impl FnOnce(&mut MutReader<'_>) -> Result<(usize, usize), Error>,
    ) -> Result<(&'a [u8], usize), Error> {
        let start = self.array_start()?;
        let (end, len) = read(&mut self.elements(start))?;
        Ok(self.array_end(start, end, len))
    }

    /// Checks the `[` at the cursor and the depth it opens; returns where the array starts.
    #[inline]
    pub(crate) fn array_start(&mut self) -> Result<usize, Error> {
        if self.peek() != Some(b'[') {
            return self.expected(Expected::Array);
        }
        if self.depth + 1 > MAX_DEPTH {
            return self.error(ErrorKind::TooDeep, self.pos);
        }
        Ok(self.pos)
    }

    /// A reader of the elements of the array at `start`, past its `[`, over the same bytes: what
    /// it splits off for the values it reads is split off a reborrow, so the whole array is
    /// still here for [`array_end`](Self::array_end).
    #[inline]
    pub(crate) fn elements(&mut self, start: usize) -> MutReader<'_> {
        MutReader {
            rest: &mut *self.rest,
            pos: start + 1,
            base: self.base,
            depth: self.depth + 1,
            slot: NO_SLOT,
            tags: true,
            command_read: false,
        }
    }

    /// Ends the array that starts at `start` and ends at absolute offset `end`, `len` elements:
    /// notes it on its key and splits it off.
    #[inline]
    pub(crate) fn array_end(&mut self, start: usize, end: usize, len: usize) -> (&'a [u8], usize) {
        let end = end - self.base;
        self.note(end - start, Some(len));
        let region: &'a [u8] = self.take(start, end);
        (region, len)
    }
}

/// Without `perf`: [`items`] as a cursor, so that a list's decoder calls each element's
/// decoder itself (no closure, so no indirect call for the stack analysis to miss).
#[cfg(not(feature = "perf"))]
#[derive(Default)]
pub(crate) struct Items {
    started: bool,
    /// Elements read so far.
    pub(crate) count: usize,
}

#[cfg(not(feature = "perf"))]
impl Items {
    /// Whether an element starts at the cursor; consumes the `,` before it, or the closing `]`.
    pub(crate) fn next<'a, S: Source<'a>>(&mut self, s: &mut S) -> Result<bool, Error> {
        if core::mem::replace(&mut self.started, true) {
            self.count += 1;
            match s.peek() {
                Some(b',') => s.set_pos(s.pos() + 1),
                Some(b']') => {
                    s.set_pos(s.pos() + 1);
                    return Ok(false);
                }
                _ => return s.expected(Expected::CommaOrBracket),
            }
        } else if s.peek() == Some(b']') {
            s.set_pos(s.pos() + 1);
            return Ok(false);
        }
        Ok(true)
    }

    /// `e`, from the element at the cursor, with its index.
    #[cold]
    pub(crate) fn in_item(&self, e: Error) -> Error {
        e.in_item(self.count)
    }
}

/// Walks the elements of the array whose `[` was just consumed, calling `each` at every element
/// start; consumes the `]` and returns the element count.
#[inline]
pub(crate) fn items<'a, S: Source<'a>>(
    s: &mut S,
    mut each: impl FnMut(&mut S) -> Result<(), Error>,
) -> Result<usize, Error> {
    if s.peek() == Some(b']') {
        s.set_pos(s.pos() + 1);
        return Ok(0);
    }
    let mut n = 0usize;
    loop {
        each(s).map_err(|e| e.in_item(n))?;
        n += 1;
        match s.peek() {
            Some(b',') => s.set_pos(s.pos() + 1),
            Some(b']') => {
                s.set_pos(s.pos() + 1);
                return Ok(n);
            }
            _ => return s.expected(Expected::CommaOrBracket),
        }
    }
}

/// Re-reads bytes that a [`MutReader`] validated and rewrote.
#[derive(Clone)]
pub struct SharedReader<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: u32,
    /// The rewritten key whose value is read next, or [`NO_SLOT`].
    slot: usize,
}

impl<'a> SharedReader<'a> {
    pub(crate) fn new(buf: &'a [u8], pos: usize) -> Self {
        SharedReader {
            buf,
            pos,
            depth: 0,
            slot: NO_SLOT,
        }
    }

    /// The value at the cursor through [`Decode::reread`], moving past it; `None`, with the
    /// cursor where it was, when the fast path does not apply. Without the `perf` feature it
    /// never does: each type's `reread` is a second decoder, code a small target would rather
    /// not hold (the generic read gives the same values, only slower).
    #[inline]
    pub(crate) fn reread<T: Decode>(&mut self) -> Option<T::Of<'a>> {
        if !cfg!(feature = "perf") {
            return None;
        }
        let (v, end) = T::reread(self.buf, self.pos, (0, 0))?;
        self.pos = end;
        Some(v)
    }
}

impl<'a> Source<'a> for SharedReader<'a> {
    #[inline(always)]
    fn trusted(&self) -> bool {
        true
    }

    #[inline]
    fn buf(&self) -> &[u8] {
        self.buf
    }
    #[inline]
    fn pos(&self) -> usize {
        self.pos
    }
    #[inline]
    fn set_pos(&mut self, i: usize) {
        self.pos = i;
    }
    #[inline]
    fn base(&self) -> usize {
        0
    }
    #[inline]
    fn depth(&self) -> u32 {
        self.depth
    }
    #[inline]
    fn set_depth(&mut self, depth: u32) {
        // Depth was enforced when the bytes were validated; keep counting, never fail.
        self.depth = depth.min(MAX_DEPTH - 1);
    }
    #[inline]
    fn set_slot(&mut self, key: usize) {
        self.slot = key;
    }
    #[inline]
    fn tag_key(&mut self, _start: usize, _value: usize, _index: usize) -> bool {
        false
    }
    #[inline]
    fn note(&mut self, _a: usize, _b: Option<usize>) {
        self.slot = NO_SLOT;
    }
    #[inline]
    fn no_note(&mut self) {
        self.slot = NO_SLOT;
    }
    #[inline]
    fn noted(&mut self) -> (usize, usize) {
        match core::mem::replace(&mut self.slot, NO_SLOT) {
            NO_SLOT => (0, 0),
            key => read_note(self.buf, key),
        }
    }

    fn string(&mut self) -> Result<&'a str, Error> {
        self.peek();
        // The usual re-read: the key's note gives the length, without a scan.
        let key = core::mem::replace(&mut self.slot, NO_SLOT);
        if key != NO_SLOT
            && let Some((text, end)) = reread_str(self.buf, self.pos, read_note(self.buf, key).0)
        {
            self.pos = end;
            return Ok(text);
        }
        let start = self.pos;
        let buf = self.buf;
        let (close, from) = match buf.get(start) {
            Some(b'"') => (b'"', start + 1),
            Some(&OPEN) => (CLOSE, start + 1),
            _ => return self.expected(Expected::String),
        };
        // Invariant: a `"` string here has no backslash or control byte, so the first special
        // byte closes it; rewritten text may hold anything but CLOSE.
        let rest = buf.get(from..).unwrap_or_default();
        let n = if close == b'"' {
            json::next_special(rest, 0).0
        } else {
            json::find_byte(rest, 0, close)
        };
        let Some(text) = rest.get(..n).filter(|_| rest.get(n) == Some(&close)) else {
            return self.error(ErrorKind::Eof, buf.len());
        };
        self.pos = from + n + 1;
        // Checked, as in `reread_str`: the first read's notes locate the text, a check proves it.
        match crate::utf8::as_str(text) {
            Some(text) => Ok(text),
            None => self.error(ErrorKind::InvalidUtf8, from),
        }
    }

    fn raw(&mut self) -> Result<&'a str, Error> {
        let start = json::skip_ws(self.buf, self.pos);
        let end = match self.noted() {
            (0, _) => json::skip_value(self.buf, start, 0, true)?,
            (n, _) => start + n - 1,
        };
        self.pos = end;
        let buf = self.buf;
        // Checked, as in `reread_str`: a whole value whose end came from a note.
        match crate::utf8::as_str(buf.get(start..end).unwrap_or_default()) {
            Some(text) => Ok(text),
            None => self.error(ErrorKind::InvalidUtf8, start),
        }
    }

    fn array<T: Decode>(&mut self) -> Result<(&'a [u8], usize), Error> {
        self.array_skip()
    }
}

impl<'a> SharedReader<'a> {
    /// [`Source::array`]: the region, found from its note or by skipping (the elements were
    /// checked on the first read).
    #[inline]
    pub(crate) fn array_skip(&mut self) -> Result<(&'a [u8], usize), Error> {
        if self.peek() != Some(b'[') {
            return self.expected(Expected::Array);
        }
        let start = self.pos;
        if let (bytes @ 1.., len @ 1..) = self.noted() {
            self.pos = start + bytes - 1;
            let region = self.buf.get(start..self.pos).unwrap_or_default();
            return Ok((region, len - 1));
        }
        self.pos += 1;
        let len = items(self, |s| s.skip())?;
        let buf = self.buf;
        Ok((buf.get(start..self.pos).unwrap_or_default(), len))
    }
}
