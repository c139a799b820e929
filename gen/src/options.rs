//! The knobs: which commands, and what in their bodies stresses a parser or a handler.

use crate::schema;

/// How objects' keys are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOrder {
    /// As Tencent's documentation lists them, `CallbackCommand` first.
    Documented,
    /// In byte order, as a sorted map writes them.
    Sorted,
    /// In a random order.
    Shuffled,
}

/// How a body is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// No whitespace, one line: what Tencent sends.
    Compact,
    /// Two-space indentation, a member or element per line.
    Pretty,
}

/// The characters texts are made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// ASCII words.
    Ascii,
    /// CJK ideographs (3 bytes each in UTF-8).
    Cjk,
    /// Emoji (4 bytes each, a surrogate pair when escaped).
    Emoji,
    /// Mostly ASCII and CJK, some emoji: a chat app's texts.
    Mixed,
}

/// How commands are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mix {
    /// Message callbacks dominate, as in a chat app's traffic: about 75% are C2C and group
    /// message callbacks (before and after send), the other commands share the rest.
    Realistic,
    /// Every chosen command equally often.
    Uniform,
}

/// Everything the generator can be asked for. [`Options::default`] is realistic traffic: every
/// command in the realistic mix, compact bodies in documented key order, mixed-script texts of
/// up to 40 characters, only the escapes JSON requires, and no invalid bodies.
#[derive(Clone, Debug)]
pub struct Options {
    /// The commands to generate (their names, e.g. `C2C.CallbackAfterSendMsg`); empty means all.
    /// A command listed `n` times is chosen `n` times as often.
    pub commands: Vec<&'static str>,
    /// How often each is chosen.
    pub mix: Mix,
    /// Longest text, in characters (texts are `text_min` to this long, most short).
    pub text_len: usize,
    /// Shortest text, in characters.
    pub text_min: usize,
    /// What texts are made of.
    pub script: Script,
    /// The chance that a character which may be written as itself is escaped instead
    /// (`\uXXXX`, `\/`), in keys too: 0 (the default, as Tencent writes) gives only the
    /// escapes JSON requires.
    pub escapes: f64,
    /// The chance that a piece of a text (a word, a CJK word, an emoji) is followed by a
    /// character JSON must escape (`"`, `\`, a line break, a tab): 0.025 by default.
    pub specials: f64,
    /// Custom elements' `Data` and `CloudCustomData` hold JSON text (escaped quotes) half of
    /// the time.
    pub json_in_data: bool,
    /// About how many bytes that JSON text has at least (entries are added until it does);
    /// 0 keeps it to one small object.
    pub data_len: usize,
    /// Message element types (`TIMTextElem`, …) and their weights; empty is a chat app's mix
    /// (mostly text, then custom elements and images).
    pub elements: Vec<(&'static str, u32)>,
    /// How deep relayed (`TIMRelayElem`) messages nest; 0 sends none.
    pub relay_depth: u32,
    /// Longest list (members, pairs, message elements, …), capped by each list's own limit.
    pub list_len: usize,
    /// Key order of every object.
    pub key_order: KeyOrder,
    /// Compact or pretty.
    pub layout: Layout,
    /// The chance that an object gets a key no schema has (which a parser must skip).
    pub unknown_keys: f64,
    /// The share of bodies made invalid, each by one [`Flaw`](crate::Flaw).
    pub invalid: f64,
    /// Bodies at the edges of what must be accepted or refused (numbers at and past their
    /// types' limits, `null`s, keys given twice or misspelt, odd element shapes, random
    /// whitespace): their validity is [`Expect::Unknown`](crate::Expect::Unknown), for
    /// differential tests against a reference parser.
    pub edge_cases: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            commands: Vec::new(),
            mix: Mix::Realistic,
            text_len: 40,
            text_min: 0,
            script: Script::Mixed,
            escapes: 0.0,
            specials: 0.025,
            json_in_data: true,
            data_len: 0,
            elements: Vec::new(),
            relay_depth: 1,
            list_len: 4,
            key_order: KeyOrder::Documented,
            layout: Layout::Compact,
            unknown_keys: 0.05,
            invalid: 0.0,
            edge_cases: false,
        }
    }
}

impl Options {
    /// The commands of one family, by its cargo feature name (`c2c`, `group`, `sns`, `state`,
    /// `alert`, `profile`, `follow`, `bot`, `content`, `official-account`, `push`); `None` for a
    /// name that is none of them.
    pub fn family(name: &str) -> Option<Vec<&'static str>> {
        let commands: Vec<&'static str> = schema::commands()
            .map(|(c, _)| *c)
            .filter(|c| tim_callback::Command::from_name(c).family() == Some(name))
            .collect();
        (!commands.is_empty()).then_some(commands)
    }

    /// The command `name` as the generator spells it, if it is one of the 58.
    pub fn command(name: &str) -> Option<&'static str> {
        schema::command(name).map(|(c, _)| *c)
    }

    /// Bodies at the edges of validity, for differential testing (see [`Options::edge_cases`]).
    pub fn edge_cases() -> Self {
        Options {
            edge_cases: true,
            list_len: 300,
            relay_depth: 2,
            unknown_keys: 0.5,
            ..Options::default()
        }
    }
}
