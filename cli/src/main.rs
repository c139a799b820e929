//! `tim-callback`: serve Tencent Cloud IM callbacks, read callback bodies from files and logs,
//! send bodies the way Tencent does, and measure the parser.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod alloc_count;
mod bench;
mod generate;
mod input;
mod inspect;
mod record;
mod report;
mod secret;
mod send;
mod serve;
mod spool;
mod worker;

#[global_allocator]
static ALLOC: alloc_count::Counting = alloc_count::Counting;

/// Tencent Cloud IM (TIM) server callbacks: serve them, read them, send them, measure them.
#[derive(Parser)]
#[command(name = "tim-callback", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the callback gateway: check, parse and answer every callback Tencent POSTs.
    ///
    /// Callbacks are taken on any path but /healthz and /metrics (GET). Every
    /// before-callback is answered with allow, after masking --mask-words in C2C and group
    /// messages; one log line per callback; graceful shutdown on SIGTERM or Ctrl-C.
    Serve(serve::Args),
    /// Parse callback bodies and print each event as JSON, in Tencent's key names.
    ///
    /// A bad body prints the file, line, column, key and what was expected, with the line
    /// and a caret under the offending byte; the exit code is 1 when any input failed.
    Parse(inspect::ParseArgs),
    /// Print the command of each callback body, one per line.
    Sniff(inspect::SniffArgs),
    /// POST bodies to a URL the way Tencent does, and print status codes and latencies.
    ///
    /// Each body goes with Tencent's query string (SdkAppid, CallbackCommand from the body,
    /// contenttype, ClientIP, OptPlatform) and, with --token, RequestTime and Sign. Plain
    /// HTTP only. The exit code is 1 unless every answer was 200.
    Send(send::Args),
    /// Write generated callback bodies: every command, realistic or hostile, deterministic
    /// for a --seed.
    ///
    /// NDJSON on standard output (one compact body per line, ready for `send --lines -`), or
    /// one file each with --out. With --invalid, that share of bodies has one flaw each
    /// (truncated, wrong-type, out-of-range, duplicate-key, spoofed-command, bad-utf8, …),
    /// named per body in the labels (--labels FILE, or DIR/labels.ndjson).
    Gen(generate::Args),
    /// Parse the inputs repeatedly: throughput, ns per body and allocations, beside
    /// serde_json's Value parse of the same bodies.
    Bench(bench::Args),
    /// Take events from the NATS JetStream stream the gateways publish to (serve --nats),
    /// print one line per event, and acknowledge each once handled; with --decide, also
    /// answer the gateways' decision requests.
    Worker(worker::Args),
    /// Show what a gateway's spool (serve --spool) holds: events waiting for the broker, and
    /// any it refused for good; --dump prints each.
    Spool(spool::Args),
}

/// Where inputs come from: files, or `-` for standard input (the default).
#[derive(clap::Args, Clone, Debug)]
pub struct Inputs {
    /// Files with one body each (or one per line with --lines); `-` is standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Each input is NDJSON: one body per non-empty line.
    #[arg(long)]
    pub lines: bool,
}

/// How events are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The event as one line of JSON, in Tencent's key names.
    Json,
    /// One short line per event: command and the accounts, group and message it names.
    Summary,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Parse(args) => inspect::parse(args),
        Command::Sniff(args) => inspect::sniff(args),
        Command::Send(args) => send::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Gen(args) => generate::run(args),
        Command::Worker(args) => worker::run(args),
        Command::Spool(args) => spool::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tim-callback: {e}");
            ExitCode::from(2)
        }
    }
}
