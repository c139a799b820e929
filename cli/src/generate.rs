//! `tim-callback gen`: Tencent-shaped callback bodies from `tim-callback-gen`, as NDJSON or
//! one file each, deterministic for a seed, with labelled invalid ones.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use tim_callback_gen::{Expect, Generator, KeyOrder, Layout, Mix, Options, Script};

/// The generator's knobs, shared by `gen` and `bench --generate`.
#[derive(clap::Args, Clone, Debug)]
pub struct Knobs {
    /// Seed: the same seed and knobs give the same bodies.
    #[arg(long, default_value_t = 1, value_name = "N")]
    seed: u64,
    /// Only this command (repeat for several), e.g. C2C.CallbackAfterSendMsg.
    #[arg(long = "command", value_name = "NAME")]
    commands: Vec<String>,
    /// Only this family's commands (repeat for several): state, sns, c2c, group, alert,
    /// profile, follow, bot, content, official-account, push.
    #[arg(long = "family", value_name = "NAME")]
    families: Vec<String>,
    /// How commands are chosen: realistic (message callbacks about 75%) or uniform.
    #[arg(long, value_enum, default_value_t = MixArg::Realistic)]
    mix: MixArg,
    /// Longest text, in characters.
    #[arg(long, default_value_t = 40, value_name = "N")]
    text_len: usize,
    /// Shortest text, in characters.
    #[arg(long, default_value_t = 0, value_name = "N")]
    text_min: usize,
    /// What texts are made of.
    #[arg(long, value_enum, default_value_t = ScriptArg::Mixed)]
    script: ScriptArg,
    /// Chance that a word of a text is followed by a character JSON must escape (a quote, a
    /// backslash, a line break, a tab).
    #[arg(long, default_value_t = 0.025, value_name = "P")]
    specials: f64,
    /// Chance that a character that may be written as itself is escaped, in keys too (0 to
    /// 1; Tencent escapes none).
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    escapes: f64,
    /// No JSON text in custom elements' Data and CloudCustomData.
    #[arg(long)]
    no_json_in_data: bool,
    /// Bytes that JSON text has at least (0: one small object).
    #[arg(long, default_value_t = 0, value_name = "BYTES")]
    data_len: usize,
    /// A message element type and its weight, e.g. TIMCustomElem=7 (repeat for several; none:
    /// a chat app's mix, mostly text).
    #[arg(long = "element", value_name = "TYPE=WEIGHT")]
    elements: Vec<String>,
    /// How deep relayed messages nest (0: none).
    #[arg(long, default_value_t = 1, value_name = "N")]
    relay_depth: u32,
    /// Longest list (members, pairs, message elements), within each list's own limit.
    #[arg(long, default_value_t = 4, value_name = "N")]
    list_len: usize,
    /// Key order of every object.
    #[arg(long, value_enum, default_value_t = OrderArg::Documented)]
    key_order: OrderArg,
    /// Indented bodies over several lines (needs --out: NDJSON holds one line per body).
    #[arg(long)]
    pretty: bool,
    /// Chance that an object gets a key no schema has (0 to 1).
    #[arg(long, default_value_t = 0.05, value_name = "P")]
    unknown_keys: f64,
    /// Share of invalid bodies (0 to 1), each with one flaw, named in the labels.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    invalid: f64,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum MixArg {
    Realistic,
    Uniform,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ScriptArg {
    Ascii,
    Cjk,
    Emoji,
    Mixed,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OrderArg {
    Documented,
    Sorted,
    Shuffled,
}

impl Knobs {
    /// The generator these knobs ask for.
    pub fn generator(&self) -> std::io::Result<Generator> {
        let invalid = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, why);
        let mut commands = Vec::new();
        for name in &self.commands {
            commands.push(
                Options::command(name).ok_or_else(|| {
                    invalid(format!("--command {name}: not one of the 58 commands"))
                })?,
            );
        }
        for family in &self.families {
            commands.extend(Options::family(family).ok_or_else(|| {
                invalid(format!(
                    "--family {family}: not a family (state, sns, c2c, group, alert, profile, \
                     follow, bot, content, official-account, push)"
                ))
            })?);
        }
        let mut elements = Vec::new();
        for spec in &self.elements {
            let (name, weight) = spec.split_once('=').unwrap_or((spec, "1"));
            let known = tim_callback_gen::schema::ELEMENTS
                .iter()
                .find(|(e, _)| *e == name)
                .map(|(e, _)| *e)
                .ok_or_else(|| {
                    invalid(format!(
                        "--element {spec}: not a message element type (TIMTextElem, TIMCustomElem, …)"
                    ))
                })?;
            let weight = weight.parse().map_err(|_| {
                invalid(format!(
                    "--element {spec}: the weight is not a whole number"
                ))
            })?;
            elements.push((known, weight));
        }
        for (name, p) in [
            ("--escapes", self.escapes),
            ("--specials", self.specials),
            ("--unknown-keys", self.unknown_keys),
            ("--invalid", self.invalid),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(invalid(format!("{name} {p}: not between 0 and 1")));
            }
        }
        if self.relay_depth > tim_callback_gen::MAX_RELAY_DEPTH {
            return Err(invalid(format!(
                "--relay-depth {}: at most {} (deeper relays pass the parser's nesting limit)",
                self.relay_depth,
                tim_callback_gen::MAX_RELAY_DEPTH
            )));
        }
        let options = Options {
            commands,
            mix: match self.mix {
                MixArg::Realistic => Mix::Realistic,
                MixArg::Uniform => Mix::Uniform,
            },
            text_len: self.text_len,
            text_min: self.text_min,
            specials: self.specials,
            data_len: self.data_len,
            elements,
            script: match self.script {
                ScriptArg::Ascii => Script::Ascii,
                ScriptArg::Cjk => Script::Cjk,
                ScriptArg::Emoji => Script::Emoji,
                ScriptArg::Mixed => Script::Mixed,
            },
            escapes: self.escapes,
            json_in_data: !self.no_json_in_data,
            relay_depth: self.relay_depth,
            list_len: self.list_len,
            key_order: match self.key_order {
                OrderArg::Documented => KeyOrder::Documented,
                OrderArg::Sorted => KeyOrder::Sorted,
                OrderArg::Shuffled => KeyOrder::Shuffled,
            },
            layout: if self.pretty {
                Layout::Pretty
            } else {
                Layout::Compact
            },
            unknown_keys: self.unknown_keys,
            invalid: self.invalid,
            edge_cases: false,
        };
        Ok(Generator::new(self.seed, options))
    }
}

/// `tim-callback gen`.
#[derive(clap::Args)]
pub struct Args {
    /// How many bodies; 0 writes until the reader stops reading.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    count: u64,
    /// Write each body to its own file in this directory (000001.json, …) and the labels to
    /// DIR/labels.ndjson, instead of NDJSON on standard output.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write a label per body to this file, one JSON line each, in the bodies' order:
    /// {"n":1,"command":"…","valid":false,"why":"truncated"}.
    #[arg(long, value_name = "FILE", conflicts_with = "out")]
    labels: Option<PathBuf>,
    #[command(flatten)]
    knobs: Knobs,
}

pub fn run(args: Args) -> std::io::Result<ExitCode> {
    if args.knobs.pretty && args.out.is_none() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "--pretty writes bodies over several lines: give --out DIR (NDJSON needs one line each)",
        ));
    }
    let generator = args.knobs.generator()?;
    let count = if args.count == 0 {
        u64::MAX
    } else {
        args.count
    };
    let labels_path = match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
            Some(dir.join("labels.ndjson"))
        }
        None => args.labels.clone(),
    };
    let mut labels = match &labels_path {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        )),
        None => None,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    for (i, body) in generator
        .take(count.try_into().unwrap_or(usize::MAX))
        .enumerate()
    {
        let n = i + 1;
        let written = match &args.out {
            Some(dir) => std::fs::write(dir.join(format!("{n:06}.json")), &body.bytes),
            None => out
                .write_all(&body.bytes)
                .and_then(|()| out.write_all(b"\n")),
        };
        if let Err(e) = written {
            // The reader went away (`gen | head`): done, not failed.
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(e);
        }
        if let Some(labels) = &mut labels {
            let label = match body.expect {
                Expect::Invalid(flaw) => {
                    serde_json::json!({"n": n, "command": body.command, "valid": false, "why": flaw.name()})
                }
                _ => serde_json::json!({"n": n, "command": body.command, "valid": true}),
            };
            writeln!(labels, "{label}")?;
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        r => r?,
    }
    if let Some(labels) = &mut labels {
        labels.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}
