//! A JSON tree whose number texts the generator chose, and its rendering with the chosen
//! layout and escapes.

use crate::options::Layout;
use crate::source::Source;

/// A JSON value as it will be written.
#[derive(Clone, Debug)]
pub(crate) enum Tree {
    Obj(Vec<(String, Tree)>),
    Arr(Vec<Tree>),
    Str(String),
    /// A number, `true`, `false` or `null`, written as it is.
    Lit(String),
    /// Bytes written as they are: hostile strings (bad UTF-8, bad escapes) and other breakage.
    Raw(Vec<u8>),
}

/// How a tree is written.
pub(crate) struct Style {
    pub layout: Layout,
    /// The chance that a character which may be written as itself is escaped.
    pub escapes: f64,
    /// Every non-ASCII character escaped as `\uXXXX` (as some JSON writers do).
    pub escape_all: bool,
    /// Random whitespace (space, tab, CR, LF) around every token.
    pub random_spaces: bool,
}

pub(crate) fn render(t: &Tree, out: &mut Vec<u8>, st: &Style, src: &mut dyn Source) {
    value(t, out, st, src, 0);
}

fn spaces(out: &mut Vec<u8>, st: &Style, src: &mut dyn Source) {
    if st.random_spaces {
        for _ in 0..src.below(3) {
            out.push(*src.pick(b" \n\t\r"));
        }
    }
}

fn newline(out: &mut Vec<u8>, st: &Style, depth: usize) {
    if st.layout == Layout::Pretty {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', 2 * depth));
    }
}

fn value(t: &Tree, out: &mut Vec<u8>, st: &Style, src: &mut dyn Source, depth: usize) {
    spaces(out, st, src);
    match t {
        Tree::Obj(members) => {
            out.push(b'{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, st, depth + 1);
                spaces(out, st, src);
                string(k, out, st, src);
                spaces(out, st, src);
                out.push(b':');
                if st.layout == Layout::Pretty {
                    out.push(b' ');
                }
                value(v, out, st, src, depth + 1);
            }
            if !members.is_empty() {
                newline(out, st, depth);
            }
            spaces(out, st, src);
            out.push(b'}');
        }
        Tree::Arr(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, st, depth + 1);
                value(v, out, st, src, depth + 1);
            }
            if !items.is_empty() {
                newline(out, st, depth);
            }
            spaces(out, st, src);
            out.push(b']');
        }
        Tree::Str(s) => string(s, out, st, src),
        Tree::Lit(l) => out.extend_from_slice(l.as_bytes()),
        Tree::Raw(bytes) => out.extend_from_slice(bytes),
    }
    spaces(out, st, src);
}

/// `s` as a JSON string: quotes, backslashes and control characters always escaped, any other
/// character escaped by chance (`\uXXXX` in either case of hex, surrogate pairs beyond the
/// BMP, `\/`).
pub(crate) fn string(s: &str, out: &mut Vec<u8>, st: &Style, src: &mut dyn Source) {
    out.push(b'"');
    for c in s.chars() {
        let escape =
            (st.escape_all && !c.is_ascii()) || (st.escapes > 0.0 && src.chance(st.escapes));
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' if !escape => out.extend_from_slice(b"\\n"),
            '\t' if !escape => out.extend_from_slice(b"\\t"),
            '/' if escape => out.extend_from_slice(b"\\/"),
            c if (c as u32) < 0x20 || escape => {
                let mut units = [0u16; 2];
                let upper = src.below(2) == 1;
                for u in c.encode_utf16(&mut units) {
                    let hex = if upper {
                        format!("\\u{u:04X}")
                    } else {
                        format!("\\u{u:04x}")
                    };
                    out.extend_from_slice(hex.as_bytes());
                }
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}
