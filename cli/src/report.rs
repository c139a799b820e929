//! A parse error shown the way a compiler shows one: where, what, and the line with a caret.

use std::fmt::Write;

use tim_callback::Error;

/// Characters of context kept on each side of the caret on long lines (bodies are often one
/// line of a kilobyte or more).
const CONTEXT: usize = 60;

/// The report of `error` in `body` (the bytes as read, not the parse buffer): `source` and
/// `first_line` place the body in its file.
pub fn render(source: &str, first_line: usize, body: &[u8], error: &Error) -> String {
    let offset = error.offset().min(body.len());
    let line_start = body[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = body[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(body.len(), |i| offset + i);
    // The core's line (its column counts bytes; the caret below counts characters).
    let line_no = first_line - 1 + error.line_column(body).0;
    let before = String::from_utf8_lossy(&body[line_start..offset]);
    let after = String::from_utf8_lossy(&body[offset..line_end]);
    let column = before.chars().count() + 1;

    let mut out = String::new();
    let _ = writeln!(out, "error: {source}:{line_no}:{column}: {}", error.kind());
    if let Some(key) = error.key() {
        let _ = write!(out, "  key: {key}");
        if let Some(index) = error.index() {
            let _ = write!(out, " (list index {index})");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "  at byte {} of the body", error.offset());
    // The visible window: at most CONTEXT characters each side of the caret, control characters
    // escaped (a body's bytes must not drive the terminal).
    let before_chars: Vec<char> = before.chars().filter(|c| *c != '\r').map(untab).collect();
    let skip = before_chars.len().saturating_sub(CONTEXT);
    let shown_before: String = visible(&before_chars[skip..].iter().collect::<String>()).into();
    let mut shown_after: String = visible(
        &after
            .chars()
            .filter(|c| *c != '\r')
            .map(untab)
            .take(CONTEXT)
            .collect::<String>(),
    )
    .into();
    if after.chars().count() > CONTEXT {
        shown_after.push('…');
    }
    let lead = if skip > 0 { "…" } else { "" };
    let gutter = line_no.to_string();
    let pad = " ".repeat(gutter.len());
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{gutter} | {lead}{shown_before}{shown_after}");
    let caret_col = lead.chars().count() + shown_before.chars().map(display_width).sum::<usize>();
    let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret_col));
    out
}

/// `text` with its control characters (C0, DEL, C1) written as `\u{1b}`-style escapes, so that
/// echoing a body's bytes cannot move the cursor, retitle the window or ring the bell.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.into()
}

fn untab(c: char) -> char {
    if c == '\t' { ' ' } else { c }
}

/// Columns a character takes in a terminal: two for the wide East Asian ranges most callback
/// texts use, one otherwise (tabs shown as one column: they are printed as a space).
fn display_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}
