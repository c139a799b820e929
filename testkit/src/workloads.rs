//! The benchmark's workloads, by name: the same bodies for `benches/compare.rs`, `examples/profile.rs`
//! and the CLI's tests. Each is deterministic (fixed seeds).

use tim_callback_gen::{Generator, KeyOrder, Mix, Options, Script};

use crate::forms;

/// A set of bodies measured together.
pub struct Workload {
    pub name: String,
    /// What the bodies are, for benches/README.md.
    pub about: &'static str,
    pub bodies: Vec<Vec<u8>>,
}

impl Workload {
    pub fn bytes(&self) -> usize {
        self.bodies.iter().map(Vec::len).sum()
    }
}

const SEED: u64 = 0x7153_2026;

const MESSAGES: &[&str] = &[
    "C2C.CallbackBeforeSendMsg",
    "C2C.CallbackAfterSendMsg",
    "Group.CallbackBeforeSendMsg",
    "Group.CallbackAfterSendMsg",
];

/// Message callbacks only, their elements mostly text (8 in 10), then custom elements and
/// images.
fn messages() -> Options {
    Options {
        commands: MESSAGES.to_vec(),
        mix: Mix::Uniform,
        elements: vec![
            ("TIMTextElem", 8),
            ("TIMCustomElem", 1),
            ("TIMImageElem", 1),
        ],
        ..Options::default()
    }
}

/// Every workload, in the order of benches/README.md, all from the workspace's generator
/// (`tim-callback-gen`) with the benchmark's seed. `corpus` adds Tencent's examples when
/// `../shared` is there.
pub fn all(corpus: bool) -> Vec<Workload> {
    // 40% C2C and 40% group messages, 12% state changes, 8% member joins (a command listed n
    // times is chosen n times as often).
    let mut mix_commands = Vec::new();
    for (command, n) in [
        ("C2C.CallbackBeforeSendMsg", 10),
        ("C2C.CallbackAfterSendMsg", 10),
        ("Group.CallbackBeforeSendMsg", 10),
        ("Group.CallbackAfterSendMsg", 10),
        ("State.StateChange", 6),
        ("Group.CallbackAfterNewMemberJoin", 4),
    ] {
        mix_commands.extend(std::iter::repeat_n(command, n));
    }
    let mix = generated(
        400,
        Options {
            commands: mix_commands,
            mix: Mix::Uniform,
            list_len: 200,
            ..Options::default()
        },
    );
    let form = |name: &str, about: &'static str, f: &dyn Fn(&[u8]) -> Vec<u8>| Workload {
        name: name.into(),
        about,
        bodies: mix.iter().map(|b| f(b)).collect(),
    };
    let mut out = vec![
        form(
            "mix/compact",
            "400 callbacks: 40% C2C and 40% group messages (mixed-script texts of up to 40 characters, custom elements with JSON in `Data`, images, relays), 12% state changes, 8% member joins (up to 200 members)",
            &|b| b.to_vec(),
        ),
        form("mix/pretty", "the mix pretty-printed", &forms::pretty),
        form(
            "mix/shuffled-keys",
            "the mix, every object's keys reversed and rotated",
            &forms::shuffled,
        ),
        form(
            "mix/sorted-keys",
            "the mix, every object's keys in alphabetical order",
            &forms::sorted,
        ),
        form(
            "mix/random-keys",
            "the mix, every object's keys in a random order",
            &|b| forms::random_order(b, b.len() as u64 ^ SEED),
        ),
        form(
            "mix/all-escaped",
            "the mix, every character of every string as `\\uXXXX`",
            &forms::all_escaped,
        ),
        Workload {
            name: "long/cjk".into(),
            about: "300 messages, texts of 60–240 CJK characters",
            bodies: generated(
                300,
                Options {
                    script: Script::Cjk,
                    text_min: 60,
                    text_len: 240,
                    ..messages()
                },
            ),
        },
        Workload {
            name: "long/ascii".into(),
            about: "300 messages, texts of 100–400 characters of ASCII words",
            bodies: generated(
                300,
                Options {
                    script: Script::Ascii,
                    text_min: 100,
                    text_len: 400,
                    ..messages()
                },
            ),
        },
        Workload {
            name: "escape-dense".into(),
            about: "300 messages, texts of 50–200 characters with a quote, backslash, line break or tab after 3 words in 10",
            bodies: generated(
                300,
                Options {
                    text_min: 50,
                    text_len: 200,
                    specials: 0.3,
                    ..messages()
                },
            ),
        },
        Workload {
            name: "large-data".into(),
            about: "300 messages, mostly custom elements whose `Data` is at least 1.5 KB of JSON in a string, as `CloudCustomData` is half of the time",
            bodies: generated(
                300,
                Options {
                    elements: vec![
                        ("TIMTextElem", 2),
                        ("TIMCustomElem", 7),
                        ("TIMImageElem", 1),
                    ],
                    data_len: 1500,
                    ..messages()
                },
            ),
        },
        Workload {
            name: "gen/realistic".into(),
            about: "400 bodies of `tim-callback gen`'s default traffic: every command, message callbacks about 75%, mixed-script texts, JSON text (escaped quotes) in `Data`, relays",
            bodies: generated(400, Options::default()),
        },
        Workload {
            name: "gen/every-command".into(),
            about: "400 bodies of `tim-callback gen --mix uniform`: all 58 commands equally often, in Tencent's key order",
            bodies: generated(
                400,
                Options {
                    mix: Mix::Uniform,
                    ..Options::default()
                },
            ),
        },
        Workload {
            name: "gen/every-command-shuffled".into(),
            about: "400 bodies of `tim-callback gen --mix uniform --key-order shuffled --unknown-keys 0.3`: all 58 commands, every object's keys in a random order (the command's too), unknown keys in 30% of objects",
            bodies: generated(
                400,
                Options {
                    mix: Mix::Uniform,
                    key_order: KeyOrder::Shuffled,
                    unknown_keys: 0.3,
                    ..Options::default()
                },
            ),
        },
        Workload {
            name: "tiny".into(),
            about: "1 000 state changes (~200 B each)",
            bodies: generated(
                1000,
                Options {
                    commands: vec!["State.StateChange"],
                    list_len: 2,
                    ..Options::default()
                },
            ),
        },
    ];
    if corpus {
        let examples = examples();
        if !examples.is_empty() {
            let compact = |b: &[u8]| {
                serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(b).unwrap())
                    .unwrap()
            };
            out.push(Workload {
                name: "corpus/compact".into(),
                about: "Tencent's published examples of the modelled commands, compact",
                bodies: examples.iter().map(|(_, b)| compact(b)).collect(),
            });
            out.push(Workload {
                name: "corpus/pretty".into(),
                about: "the same, pretty-printed",
                bodies: examples.iter().map(|(_, b)| forms::pretty(b)).collect(),
            });
        }
    }
    out
}

/// `n` bodies from the workspace's generator, seeded by the benchmark's seed.
fn generated(n: usize, options: Options) -> Vec<Vec<u8>> {
    Generator::new(SEED, options)
        .take(n)
        .map(|b| b.bytes)
        .collect()
}

/// Tencent's request examples of the modelled commands that name their command in the body,
/// when ../shared is there, by file name.
pub fn examples() -> Vec<(String, Vec<u8>)> {
    let dir = crate::repo().join("../shared/corpus/tim-docs");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("{} not found: corpus workloads skipped", dir.display());
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            let bytes = std::fs::read(&p).ok()?;
            tim_callback::sniff(&bytes).ok().filter(|c| c.is_known())?;
            Some((name, bytes))
        })
        .collect();
    out.sort();
    out
}
