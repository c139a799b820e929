//! Building a body: a command, a tree of realistic (or edge-case) values from its schema, and
//! at most one flaw.

use crate::flaw::{self, Flaw};
use crate::options::{KeyOrder, Mix, Options, Script};
use crate::schema::{self, ELEMENTS, S};
use crate::source::Source;
use crate::tree::{self, Style, Tree};
use crate::{Body, Expect};

/// Message callbacks, which dominate a chat app's traffic, and their weights in the realistic
/// mix; every other command weighs 1.
const HEAVY: &[(&str, u32)] = &[
    ("C2C.CallbackBeforeSendMsg", 60),
    ("C2C.CallbackAfterSendMsg", 60),
    ("Group.CallbackBeforeSendMsg", 40),
    ("Group.CallbackAfterSendMsg", 40),
    ("State.StateChange", 12),
];

/// The deepest relay nesting a valid body gets: each level nests five containers, and the
/// deepest that [`tim_callback::MAX_DEPTH`] allows in a top-level `MsgBody` is refused one level
/// down in other callbacks' lists.
pub const MAX_RELAY_DEPTH: u32 = (tim_callback::MAX_DEPTH - 4) / 5 - 1;

pub(crate) fn body(src: &mut dyn Source, o: &Options) -> Body {
    let command = choose_command(src, o);
    let (name, fields) = *schema::command(command).expect("commands come from the schemas");
    let ctx = Ctx { o };
    let flaw = (!o.edge_cases && src.chance(o.invalid)).then(|| *src.pick(Flaw::ALL));
    // The depth in message elements that relays may use: the edge cases' own, or the knob's,
    // capped a level below the parser's nesting limit so that valid bodies stay valid.
    let depth = if o.edge_cases {
        2
    } else {
        o.relay_depth.min(MAX_RELAY_DEPTH) + 1
    };
    let mut members = ctx.members(fields, depth, src);
    // Where the command goes: first in Tencent's order; in the edge cases anywhere, or nowhere.
    let command_member = ("CallbackCommand".to_string(), Tree::Str(name.into()));
    if o.edge_cases {
        if src.chance(0.95) {
            let at = src.below(members.len() as u64 + 1) as usize;
            members.insert(at, command_member);
        }
    } else {
        members.insert(0, command_member);
        ctx.order(&mut members, src);
    }
    let mut tree = Tree::Obj(members);
    let style = Style {
        layout: o.layout,
        escapes: o.escapes,
        escape_all: o.edge_cases && src.chance(0.5),
        random_spaces: o.edge_cases && src.chance(0.5),
    };
    let flaw = flaw.map(|f| flaw::apply_to_tree(f, &mut tree, name, fields, src));
    let mut bytes = Vec::with_capacity(256);
    tree::render(&tree, &mut bytes, &style, src);
    if let Some(f) = flaw {
        flaw::apply_to_bytes(f, &mut bytes, src);
    }
    Body {
        command: name,
        bytes,
        expect: match (flaw, o.edge_cases) {
            (Some(f), _) => Expect::Invalid(f),
            (None, true) => Expect::Unknown,
            (None, false) => Expect::Valid,
        },
    }
}

fn choose_command(src: &mut dyn Source, o: &Options) -> &'static str {
    let all: Vec<&'static str>;
    let commands: &[&'static str] = if o.commands.is_empty() {
        all = schema::commands().map(|(c, _)| *c).collect();
        &all
    } else {
        &o.commands
    };
    match o.mix {
        Mix::Uniform => src.pick::<&str>(commands),
        Mix::Realistic => {
            let weights: Vec<u32> = commands
                .iter()
                .map(|c| HEAVY.iter().find(|(h, _)| h == c).map_or(1, |(_, w)| *w))
                .collect();
            commands[src.weighted(&weights)]
        }
    }
}

struct Ctx<'o> {
    o: &'o Options,
}

const WORDS: &[&str] = &[
    "hello",
    "ok",
    "see",
    "you",
    "at",
    "the",
    "meeting",
    "tomorrow",
    "thanks",
    "lol",
    "where",
    "are",
    "what",
    "time",
    "price",
    "order",
    "photo",
    "call",
    "me",
    "when",
    "free",
    "good",
    "night",
    "morning",
    "yes",
    "no",
    "maybe",
    "send",
    "link",
    "https://example.com/a?b=1&c=2",
];
const CJK: &[&str] = &[
    "你好",
    "谢谢",
    "明天",
    "见",
    "好的",
    "我们",
    "今天",
    "开会",
    "吃饭",
    "了吗",
    "没问题",
    "图片",
    "收到",
    "在吗",
    "晚安",
    "早上好",
    "价格",
    "订单",
    "发货",
    "可以",
];
const EMOJI: &[char] = &[
    '😀', '😂', '👍', '🙏', '❤', '🎉', '🔥', '😭', '🤔', '👀', '🚀', '🌸',
];

impl Ctx<'_> {
    fn members(
        &self,
        fields: &'static [(&'static str, S)],
        depth: u32,
        src: &mut dyn Source,
    ) -> Vec<(String, Tree)> {
        let edge = self.o.edge_cases;
        let mut members = Vec::with_capacity(fields.len() + 1);
        for &(key, s) in fields {
            if edge && !src.chance(0.85) {
                continue;
            }
            let v = match s {
                // In Tencent's traffic a profile item's value is a text or an integer, a group's
                // custom data value a text.
                S::Any if !edge && key == "Value" => {
                    let profile = fields.iter().any(|(k, _)| *k == "Tag");
                    if profile && src.below(3) == 0 {
                        Tree::Lit(src.below(1_000_000).to_string())
                    } else {
                        Tree::Str(self.text(src))
                    }
                }
                _ => self.value(key, s, depth, src),
            };
            match key.split_once('|') {
                None => members.push((key.to_string(), v)),
                Some((a, b)) => {
                    let pick = src.below(20);
                    if !edge || pick < 10 {
                        members.push((a.to_string(), v));
                    } else if pick < 19 {
                        members.push((b.to_string(), v));
                    } else {
                        // Both spellings: a duplicate, which must be refused.
                        members.push((a.to_string(), v.clone()));
                        members.push((b.to_string(), v));
                    }
                }
            }
            if edge && src.below(80) == 0 {
                let last = members.last().cloned().expect("a member was pushed");
                members.push(last);
            }
        }
        if edge {
            for _ in 0..src.below(3) {
                let k = self.unknown_key(fields, src);
                let v = self.any(2, src);
                members.push((k, v));
            }
        } else if src.chance(self.o.unknown_keys) {
            for _ in 0..=src.below(2) {
                let k = format!(
                    "X{}",
                    src.pick(&["Ext", "Trace", "Version", "Tag", "Extra"])
                );
                if !members.iter().any(|(m, _)| *m == k) {
                    let v = self.any(2, src);
                    members.push((k, v));
                }
            }
        }
        members
    }

    fn order(&self, members: &mut [(String, Tree)], src: &mut dyn Source) {
        let order = if self.o.edge_cases {
            if src.below(4) == 0 {
                KeyOrder::Sorted
            } else {
                KeyOrder::Shuffled
            }
        } else {
            self.o.key_order
        };
        match order {
            KeyOrder::Documented => {}
            KeyOrder::Sorted => members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes())),
            KeyOrder::Shuffled => {
                for i in (1..members.len()).rev() {
                    let j = src.below(i as u64 + 1) as usize;
                    members.swap(i, j);
                }
            }
        }
    }

    fn object(
        &self,
        fields: &'static [(&'static str, S)],
        depth: u32,
        src: &mut dyn Source,
    ) -> Tree {
        let mut members = self.members(fields, depth, src);
        self.order(&mut members, src);
        Tree::Obj(members)
    }

    fn list_len(&self, max: usize, src: &mut dyn Source) -> usize {
        let max = max.min(self.o.list_len);
        if self.o.edge_cases {
            return src.below(max as u64 + 1) as usize;
        }
        // Mostly short lists, now and then as long as allowed.
        match src.below(10) {
            0 => max,
            1..=3 => src.below(max as u64 + 1) as usize,
            _ => (src.below(3) as usize + 1).min(max),
        }
    }

    fn value(&self, key: &str, s: S, depth: u32, src: &mut dyn Source) -> Tree {
        let edge = self.o.edge_cases;
        match s {
            S::Str if edge && src.below(61) == 0 => Tree::Lit("null".into()),
            S::Str => Tree::Str(self.string(key, src)),
            S::U32 | S::U64 | S::I64 | S::F64 if edge => Tree::Lit(edge_number(s, src)),
            S::U32 | S::U64 | S::I64 | S::F64 => Tree::Lit(number(key, s, src)),
            S::Time => {
                if edge {
                    return match src.below(13) {
                        0..=5 => Tree::Lit(src.below(u64::MAX).to_string()),
                        6..=11 => Tree::Str(src.below(2_000_000_000_000).to_string()),
                        _ => Tree::Str((*src.pick(&["", "12a", "-1"])).into()),
                    };
                }
                let ms = 1_700_000_000_000 + src.below(100_000_000_000);
                // A Tencent quirk: some callbacks send the time as a string of digits.
                if src.chance(0.15) {
                    Tree::Str(ms.to_string())
                } else {
                    Tree::Lit(ms.to_string())
                }
            }
            S::Vocab(words) => {
                if edge && src.below(5) == 0 {
                    Tree::Str(self.text(src))
                } else {
                    Tree::Str((*src.pick(words)).into())
                }
            }
            S::Obj(fields) => self.object(fields, depth, src),
            S::List(item, max) => {
                let n = self.list_len(max, src);
                Tree::Arr((0..n).map(|_| self.value(key, *item, depth, src)).collect())
            }
            S::Any => self.any(2, src),
            S::Elems => {
                let n = if edge {
                    if depth == 0 { 0 } else { src.below(5) as usize }
                } else {
                    (src.weighted(&[0, 8, 2, 1])).min(self.o.list_len.max(1))
                };
                Tree::Arr(
                    (0..n)
                        .map(|_| self.element(depth.saturating_sub(1), src))
                        .collect(),
                )
            }
        }
    }

    /// A message element: mostly text, as in chat traffic.
    fn element(&self, depth: u32, src: &mut dyn Source) -> Tree {
        let edge = self.o.edge_cases;
        let relay_ok = if edge {
            true
        } else {
            depth > 0 && self.o.relay_depth > 0
        };
        // Weights in the order of `ELEMENTS`: text, location, face, custom, sound, image,
        // file, video, relay, group tip (group tips are system messages: in the edge cases
        // only, where they stand for an element the crate does not type).
        let mut weights = [60, 3, 4, 10, 4, 8, 3, 3, 3, 0];
        if edge {
            weights = [1; 10];
        } else if !self.o.elements.is_empty() {
            for (i, (name, _)) in ELEMENTS.iter().enumerate() {
                weights[i] = self
                    .o
                    .elements
                    .iter()
                    .filter(|(e, _)| e == name)
                    .map(|(_, w)| *w)
                    .sum();
            }
        }
        if !relay_ok {
            weights[8] = 0;
        }
        if weights.iter().all(|&w| w == 0) {
            // Only relays were asked for, and none may nest here: a text.
            weights[0] = 1;
        }
        let (name, fields) = ELEMENTS[src.weighted(&weights)];
        let content = self.object(fields, depth, src);
        let kind = Tree::Str(name.into());
        let mut members = vec![
            ("MsgType".to_string(), kind.clone()),
            ("MsgContent".to_string(), content.clone()),
        ];
        if !edge {
            return Tree::Obj(members);
        }
        if src.below(2) == 0 {
            members.reverse();
        }
        // Now and then an element the parser must judge as a reference would: without a
        // `MsgType`, with one that is not a string, with a key twice, or not an object.
        let at = members
            .iter()
            .position(|(k, _)| k == "MsgType")
            .expect("MsgType is there");
        match src.below(60) {
            0 => drop(members.remove(at)),
            1 => members[at].1 = Tree::Lit("7".into()),
            2 => members[at].1 = Tree::Lit("null".into()),
            3 => members[at].1 = Tree::Obj(vec![]),
            4 => members[at].1 = Tree::Arr(vec![kind.clone()]),
            5 => members.push(("MsgType".into(), kind)),
            6 => members.insert(0, ("MsgContent".into(), content)),
            7 => return Tree::Arr(members.into_iter().map(|(_, v)| v).collect()),
            _ => {}
        }
        for _ in 0..src.below(3) {
            let k = self.unknown_key(&[("MsgType", S::Str), ("MsgContent", S::Any)], src);
            let v = self.any(2, src);
            members.push((k, v));
        }
        Tree::Obj(members)
    }

    /// Any JSON value, at most `depth` containers deep.
    fn any(&self, depth: u32, src: &mut dyn Source) -> Tree {
        let leaf = |src: &mut dyn Source| {
            if src.below(2) == 0 {
                Tree::Str(self.text(src))
            } else {
                // An integer past 64 bits only in the edge cases: some parsers refuse it.
                let literals: &[&str] = if self.o.edge_cases {
                    &[
                        "true",
                        "false",
                        "null",
                        "0",
                        "-1.5e10",
                        "123456789012345678901234567890",
                        "42",
                    ]
                } else {
                    &["true", "false", "null", "0", "-1.5e10", "42"]
                };
                Tree::Lit((*src.pick(literals)).into())
            }
        };
        if depth == 0 {
            return leaf(src);
        }
        match src.below(4) {
            0 | 1 => leaf(src),
            2 => Tree::Arr(
                (0..src.below(4))
                    .map(|_| self.any(depth - 1, src))
                    .collect(),
            ),
            _ => Tree::Obj(
                (0..src.below(4))
                    .map(|i| (format!("k{i}{}", self.word(src)), self.any(depth - 1, src)))
                    .collect(),
            ),
        }
    }

    /// A key no field of `fields` has: an `X`-prefixed text, or (edge cases) a known key
    /// misspelt the ways a client might, never one that equals a known spelling.
    fn unknown_key(&self, fields: &[(&'static str, S)], src: &mut dyn Source) -> String {
        let spellings: Vec<&str> = fields.iter().flat_map(|(k, _)| k.split('|')).collect();
        loop {
            let k = match src.below(4) {
                0 | 1 => format!("X{}", self.text(src)),
                2 => {
                    let mut targets = spellings.clone();
                    targets.extend(["CallbackCommand", "MsgType"]);
                    let k = *src.pick(&targets);
                    match src.below(8) {
                        0 => k.to_lowercase(),
                        1 => k.to_uppercase(),
                        2 => k[..k.len() - 1].to_string(),
                        3 => format!("{k}s"),
                        4 => format!(" {k}"),
                        5 => format!("x\"{k}"),
                        6 => format!("\\\"{k}"),
                        _ => format!("{k}\u{0}"),
                    }
                }
                _ => String::new(),
            };
            if !spellings.contains(&k.as_str()) {
                return k;
            }
        }
    }

    fn word(&self, src: &mut dyn Source) -> &'static str {
        src.pick::<&str>(WORDS)
    }

    /// A text of the chosen script and length; in the edge cases, any characters at all.
    fn text(&self, src: &mut dyn Source) -> String {
        let mut out = String::new();
        if self.o.edge_cases {
            for _ in 0..src.below(12) {
                let c = match src.weighted(&[4, 2, 1, 1, 1]) {
                    0 => char::from(b'a' + src.below(26) as u8),
                    1 => char::from_u32(0x4e00 + src.below(0x9fa5 - 0x4e00 + 1) as u32)
                        .unwrap_or('x'),
                    2 => char::from_u32(0x1F600 + src.below(0x50) as u32).unwrap_or('x'),
                    3 => *src.pick(&[
                        '"', '\\', '/', '\n', '\t', '\u{1}', '\u{1f}', '\u{7f}', 'é', '\u{ffff}',
                        ' ',
                    ]),
                    _ => char::from_u32(src.below(0x11_0000) as u32).unwrap_or('\u{fffd}'),
                };
                out.push(c);
            }
            return out;
        }
        let min = self.o.text_min.min(self.o.text_len);
        let span = self.o.text_len - min;
        let target = min
            + match src.below(10) {
                0 => span,
                1..=3 => src.below(span as u64 + 1) as usize,
                _ => src.below((span.min(16) as u64) + 1) as usize,
            };
        let mut len = 0;
        while len < target {
            let script = match self.o.script {
                Script::Mixed => *src.pick(&[
                    Script::Ascii,
                    Script::Ascii,
                    Script::Cjk,
                    Script::Cjk,
                    Script::Emoji,
                ]),
                s => s,
            };
            let piece: String = match script {
                Script::Ascii => {
                    let w = self.word(src);
                    if out.is_empty() {
                        w.to_string()
                    } else {
                        format!(" {w}")
                    }
                }
                Script::Cjk => (*src.pick(CJK)).to_string(),
                _ => src.pick(EMOJI).to_string(),
            };
            for c in piece.chars() {
                if len == target {
                    break;
                }
                out.push(c);
                len += 1;
            }
            // Now and then what a user types that JSON must escape.
            if len < target && src.chance(self.o.specials) {
                out.push(*src.pick(&['"', '\\', '\n', '\t', '/']));
                len += 1;
            }
        }
        out
    }

    /// A realistic string for a field named `key`.
    fn string(&self, key: &str, src: &mut dyn Source) -> String {
        if self.o.edge_cases {
            return self.text(src);
        }
        let hex = |src: &mut dyn Source, n: usize| -> String {
            (0..n)
                .map(|_| char::from(*src.pick(b"0123456789abcdef")))
                .collect()
        };
        match key {
            k if k.ends_with("_Account") || k == "Account" => match src.below(20) {
                0 => "administrator".into(),
                1 => format!("用户{}", src.below(1000)),
                _ => format!("user{}", src.below(100_000)),
            },
            "GroupId" => {
                if src.below(3) == 0 {
                    format!("group_{}", src.below(100_000))
                } else {
                    let id: String = (0..9)
                        .map(|_| char::from(*src.pick(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789")))
                        .collect();
                    format!("@TGS#{id}")
                }
            }
            "MsgKey" | "JsonMsgKey" => format!(
                "{}_{}_{}",
                src.below(1 << 31),
                src.below(1 << 31),
                1_700_000_000 + src.below(100_000_000)
            ),
            "MsgId" => format!(
                "{}-{}-{}",
                src.below(1 << 40),
                src.below(1 << 31),
                src.below(1 << 31)
            ),
            k if k.contains("Url") || k.contains("URL") => {
                format!(
                    "https://cos.ap-shanghai.myqcloud.com/{}/{}.jpg",
                    src.below(1_000_000),
                    hex(src, 32)
                )
            }
            k if k.contains("UUID") => hex(src, 32),
            "Data" | "CloudCustomData" | "Ext" | "Value"
                if self.o.json_in_data && src.below(2) == 0 =>
            {
                // JSON in a string: every quote escaped, as apps put structured data there.
                let mut json = format!(
                    r#"{{"type":"{}","id":{},"text":"{}","items":[{},{}]"#,
                    self.word(src),
                    src.below(1 << 40),
                    self.text(src).replace(['"', '\\'], "").replace('\n', " "),
                    src.below(100),
                    src.below(100)
                );
                let mut i = 0;
                while json.len() < self.o.data_len {
                    json.push_str(&format!(
                        r#","item{i}":{{"sku":"{:08x}","tags":["{}","{}"],"price":{}.{:02},"note":"{}"}}"#,
                        src.below(1 << 32),
                        src.pick::<&str>(CJK),
                        self.word(src),
                        src.below(1000),
                        src.below(100),
                        self.word(src)
                    ));
                    i += 1;
                }
                json.push('}');
                json
            }
            "Platform" | "ClientIP" | "OptPlatform" | "ImageFormat" | "VideoFormat"
            | "ThumbFormat" | "Tag" | "Key" | "Type" | "Action" => self.word(src).to_string(),
            _ => self.text(src),
        }
    }
}

/// A realistic number for a field named `key` of type `s`.
fn number(key: &str, s: S, src: &mut dyn Source) -> String {
    match s {
        S::U32 => match key {
            "MsgRandom" => src.below(1 << 32).to_string(),
            // A Tencent quirk: u32 values above i32::MAX, which an i32 field would not hold.
            _ if src.below(40) == 0 => (2_147_483_648 + src.below(2_147_483_648)).to_string(),
            "MsgSeq" => (1 + src.below(1_000_000)).to_string(),
            k if k.contains("Flag") => src.below(3).to_string(),
            "Width" | "Height" | "ThumbWidth" | "ThumbHeight" => {
                (16 * (1 + src.below(120))).to_string()
            }
            _ => src.below(2_000).to_string(),
        },
        S::U64 => match key {
            k if k.contains("Time") => (1_700_000_000 + src.below(100_000_000)).to_string(),
            _ if src.below(50) == 0 => src.below(u64::MAX).to_string(),
            _ => src.below(10_000_000).to_string(),
        },
        S::I64 => match key {
            // A Tencent quirk: -1 when the unread count is not known.
            "UnreadMsgNum" if src.below(3) == 0 => "-1".into(),
            "UnreadMsgNum" => src.below(200).to_string(),
            _ if src.below(5) == 0 => (20_000 + src.below(80_000)).to_string(),
            _ => "0".into(),
        },
        S::F64 => {
            let range = if key == "Latitude" { 90 } else { 180 };
            let micro = src.below(2 * range * 1_000_000) as i64 - (range * 1_000_000) as i64;
            let sign = if micro < 0 { "-" } else { "" };
            let abs = micro.unsigned_abs();
            format!("{sign}{}.{:06}", abs / 1_000_000, abs % 1_000_000)
        }
        _ => unreachable!("number() is called for numbers"),
    }
}

/// A number at or past the edges of its type, for the edge cases.
fn edge_number(s: S, src: &mut dyn Source) -> String {
    let pick =
        |src: &mut dyn Source, w: &[u32], random: String, edges: &[&str], past: &[&str]| match src
            .weighted(w)
        {
            0 => random,
            1 => (*src.pick(edges)).to_string(),
            _ => (*src.pick(past)).to_string(),
        };
    match s {
        S::U32 => {
            let r = src.below(1 << 32).to_string();
            pick(
                src,
                &[12, 8, 1],
                r,
                &["0", "1", "2147483647", "2147483648", "4294967295"],
                &["4294967296", "-1", "1.0", "1e3", "-0", "00"],
            )
        }
        S::U64 => {
            let r = src.below(u64::MAX).to_string();
            pick(
                src,
                &[12, 2, 1],
                r,
                &["18446744073709551615", "0"],
                &["18446744073709551616", "1.5"],
            )
        }
        S::I64 => {
            let r = (src.below(u64::MAX) as i64).to_string();
            pick(
                src,
                &[12, 3, 1],
                r,
                &["-1", "-9223372036854775808", "9223372036854775807"],
                &["9223372036854775808", "-9223372036854775809"],
            )
        }
        S::F64 => match src.weighted(&[6, 6, 2, 1]) {
            0 => {
                let v = f64::from_bits(src.below(u64::MAX));
                if v.is_finite() {
                    format!("{v:e}")
                } else {
                    "0.5".into()
                }
            }
            1 => format!("{}", (src.below(360_000_000) as f64 / 1e6) - 180.0),
            2 => (*src.pick(&["0", "-0", "-1.5E-3", "7", "18446744073709551616"])).to_string(),
            _ => "1e400".into(),
        },
        _ => unreachable!("edge_number() is called for numbers"),
    }
}
