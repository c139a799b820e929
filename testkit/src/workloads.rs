//! The benchmark's workloads, by name: the same bodies for `benches/compare.rs`, `examples/profile.rs`
//! and the CLI's tests. Each is deterministic (fixed seeds).

use crate::traffic::{self, Style};

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

/// Long texts: tens of words per text element.
const LONG: Style = Style {
    words: (20, 80),
    text_elems: 8,
    custom_elems: 1,
    ..Style::MIX
};

/// Every workload, in the order of benches/README.md. `corpus` adds Tencent's examples when `../shared` is
/// there.
pub fn all(corpus: bool) -> Vec<Workload> {
    let mix = traffic::mix(400, SEED);
    let form = |name: &str, about: &'static str, f: &dyn Fn(&[u8]) -> Vec<u8>| Workload {
        name: name.into(),
        about,
        bodies: mix.iter().map(|b| f(b)).collect(),
    };
    let mut out = vec![
        form(
            "mix/compact",
            "400 callbacks: 40% C2C and 40% group messages (1–12 words of CJK/ASCII text, custom elements, images), 12% state changes, 8% member joins",
            &|b| b.to_vec(),
        ),
        form("mix/pretty", "the mix pretty-printed", &traffic::pretty),
        form(
            "mix/shuffled-keys",
            "the mix, every object's keys reversed and rotated",
            &traffic::shuffled,
        ),
        form(
            "mix/sorted-keys",
            "the mix, every object's keys in alphabetical order",
            &traffic::sorted,
        ),
        form(
            "mix/random-keys",
            "the mix, every object's keys in a random order",
            &|b| traffic::random_order(b, b.len() as u64 ^ SEED),
        ),
        form(
            "mix/all-escaped",
            "the mix, every character of every string as `\\uXXXX`",
            &traffic::all_escaped,
        ),
        Workload {
            name: "long/cjk".into(),
            about: "300 messages, texts of 20–80 CJK words",
            bodies: traffic::messages(300, SEED, &Style { cjk: 100, ..LONG }),
        },
        Workload {
            name: "long/ascii".into(),
            about: "300 messages, texts of 20–80 ASCII words",
            bodies: traffic::messages(300, SEED, &Style { cjk: 0, ..LONG }),
        },
        Workload {
            name: "escape-dense".into(),
            about: "300 messages, texts of 10–40 words, a newline every 3rd word and a quoted word every 4th",
            bodies: traffic::messages(
                300,
                SEED,
                &Style {
                    words: (10, 40),
                    newline: 3,
                    quote: 4,
                    text_elems: 8,
                    custom_elems: 1,
                    ..Style::MIX
                },
            ),
        },
        Workload {
            name: "large-data".into(),
            about: "300 messages, mostly custom elements whose `Data` is ~1.5 KB of JSON in a string, and ~500 B of `CloudCustomData`",
            bodies: traffic::messages(
                300,
                SEED,
                &Style {
                    text_elems: 2,
                    custom_elems: 7,
                    data_entries: 24,
                    cloud_entries: 8,
                    ..Style::MIX
                },
            ),
        },
        Workload {
            name: "gen/realistic".into(),
            about: "400 bodies of `tim-callback gen`'s default traffic: every command, message callbacks about 80%, mixed-script texts, JSON text (escaped quotes) in `Data`, relays",
            bodies: generated(tim_callback_gen::Options::default()),
        },
        Workload {
            name: "gen/every-command".into(),
            about: "400 bodies of `tim-callback gen --mix uniform`: all 58 commands equally often, in Tencent's key order",
            bodies: generated(tim_callback_gen::Options {
                mix: tim_callback_gen::Mix::Uniform,
                ..tim_callback_gen::Options::default()
            }),
        },
        Workload {
            name: "gen/every-command-shuffled".into(),
            about: "400 bodies of `tim-callback gen --mix uniform --key-order shuffled --unknown-keys 0.3`: all 58 commands, every object's keys in a random order (the command's too), unknown keys in 30% of objects",
            bodies: generated(tim_callback_gen::Options {
                mix: tim_callback_gen::Mix::Uniform,
                key_order: tim_callback_gen::KeyOrder::Shuffled,
                unknown_keys: 0.3,
                ..tim_callback_gen::Options::default()
            }),
        },
        Workload {
            name: "tiny".into(),
            about: "1 000 state changes (~150 B each)",
            bodies: traffic::states(1000, SEED),
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
                bodies: examples.iter().map(|(_, b)| traffic::pretty(b)).collect(),
            });
        }
    }
    out
}

/// 400 bodies from the workspace's generator, seeded by the benchmark's seed.
fn generated(options: tim_callback_gen::Options) -> Vec<Vec<u8>> {
    tim_callback_gen::Generator::new(SEED, options)
        .take(400)
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
