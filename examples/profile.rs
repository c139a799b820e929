//! A loop to profile under `perf` or `valgrind --tool=callgrind`: the benchmark's traffic mix,
//! parsed (and/or read in full) a given number of times, with no harness around it.
//!
//! ```text
//! cargo run --release --example profile -- <mode> [workload] [passes] [only]
//! ```
//!
//! `workload` is any of the bench's (`testkit/src/workloads.rs`: `mix/compact`, `long/cjk`,
//! `tiny`…); `compact`, `pretty`, `shuffled`, `escaped`, `sorted` and `random` name the mix's
//! forms.
//!
//! `only` keeps the bodies whose command contains it (e.g. `SendMsg`, `MemberJoin`).
//!
//! Modes (`stats` prints what the bodies hold): `parse` copies each body into a buffer and parses it (`parse_as`: with the command
//! given, as from the query string); `walk` reads every field of bodies parsed beforehand (what
//! lazy lists cost); `full` does both, as the benchmark does. For scale, on the same bodies:
//! `validate` parses them with the command renamed to an unknown one, so that `parse` only
//! validates them (UTF-8, then the generic walk of every value: the scanner's cost without
//! the typed layer); `simd_tape` copies them and builds simd-json's tape (its SIMD structural
//! index and untyped second stage, buffers reused: a SIMD parser's cost without serde);
//! `serde_parse` and `serde_full` are the benchmark's serde_json typed contender without and
//! with reading every field; `sniff` finds each body's command and nothing more. Counting instructions per pass: run callgrind with two pass counts
//! and divide the difference.

use std::hint::black_box;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tim_callback_testkit::{checksum, typed_dispatch, workloads};

/// The benchmark's serde_json typed contender (sniff, then the command's struct), reading every
/// field through the checksum when `read`.
fn serde_typed(body: &[u8], read: bool) -> u64 {
    fn full<'a, T: Deserialize<'a> + Serialize>(b: &'a [u8]) -> u64 {
        checksum::of(&serde_json::from_slice::<T>(b).expect("serde_json"))
    }
    fn parse<'a, T: Deserialize<'a> + Serialize>(b: &'a [u8]) -> u64 {
        black_box(serde_json::from_slice::<T>(b).expect("serde_json"));
        1
    }
    let command = tim_callback::sniff(body).expect("sniff");
    if read {
        typed_dispatch!(command, full, body)
    } else {
        typed_dispatch!(command, parse, body)
    }
}

/// `body` copied into the reused `buf`, as a gateway's receive buffer would hold it.
fn copy<'b>(buf: &'b mut Vec<u8>, body: &[u8]) -> &'b mut [u8] {
    buf.clear();
    buf.extend_from_slice(black_box(body));
    buf
}

/// The command `body` names.
fn command_of(body: &[u8]) -> &str {
    tim_callback::sniff(body).expect("sniff").as_str()
}

/// `body` with its `CallbackCommand` renamed to one the crate does not know (same length). The
/// first occurrence of the command's text is its value: the mix writes that member first.
fn unknown_command(body: &[u8]) -> Vec<u8> {
    let cmd = command_of(body).as_bytes();
    let at = body
        .windows(cmd.len())
        .position(|w| w == cmd)
        .expect("the command is in the body");
    let mut out = body.to_vec();
    out[at..at + cmd.len()].fill(b'X');
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map_or("full", String::as_str);
    let form = args.get(1).map_or("compact", String::as_str);
    let passes: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let only = args.get(3);
    // The old names of the mix's forms, and any workload of the bench by name.
    let name = match form {
        "compact" | "pretty" => format!("mix/{form}"),
        "shuffled" => "mix/shuffled-keys".into(),
        "escaped" => "mix/all-escaped".into(),
        "sorted" => "mix/sorted-keys".into(),
        "random" => "mix/random-keys".into(),
        _ => form.into(),
    };
    let workloads = workloads::all(name.starts_with("corpus"));
    let Some(workload) = workloads.into_iter().find(|w| w.name == name) else {
        eprintln!("no workload {name}");
        std::process::exit(2);
    };
    let bodies: Vec<Vec<u8>> = workload
        .bodies
        .into_iter()
        .filter(|b| only.is_none_or(|o| command_of(b).contains(o.as_str())))
        .map(|b| {
            if mode == "validate" {
                unknown_command(&b)
            } else {
                b
            }
        })
        .collect();
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    if mode == "stats" {
        let count = |c: u8| bodies.iter().flatten().filter(|&&b| b == c).count();
        let non_ascii = bodies.iter().flatten().filter(|&&b| b >= 0x80).count();
        println!(
            "{name}: {} bodies, {bytes} bytes, {} quotes, {} backslashes, {non_ascii} non-ASCII bytes",
            bodies.len(),
            count(b'"'),
            count(b'\\')
        );
        return;
    }

    let mut buf = Vec::with_capacity(1 << 16);
    let mut parsed_bufs = bodies.clone();
    let parsed: Vec<_> = parsed_bufs
        .iter_mut()
        .map(|b| tim_callback::parse(b).expect("the mix parses"))
        .collect();
    let commands: Vec<&str> = bodies.iter().map(|b| command_of(b)).collect();
    let mut buffers = simd_json::Buffers::new(1 << 16);
    let start = Instant::now();
    let mut acc = 0u64;
    for _ in 0..passes {
        match mode {
            "parse" | "validate" => {
                for body in &bodies {
                    let cb = tim_callback::parse(copy(&mut buf, body)).expect("the mix parses");
                    acc ^= cb.command().as_str().len() as u64;
                }
            }
            "parse_as" => {
                for (body, cmd) in bodies.iter().zip(&commands) {
                    let cb =
                        tim_callback::parse_as(cmd, copy(&mut buf, body)).expect("the mix parses");
                    acc ^= cb.command().as_str().len() as u64;
                }
            }
            "sniff" => {
                for body in &bodies {
                    let command = tim_callback::sniff(black_box(body)).expect("sniff");
                    acc ^= command.as_str().len() as u64;
                }
            }
            "simd_tape" => {
                for body in &bodies {
                    let tape = simd_json::to_tape_with_buffers(copy(&mut buf, body), &mut buffers)
                        .expect("simd-json reads the mix");
                    acc ^= tape.0.len() as u64;
                }
            }
            "serde_parse" | "serde_full" => {
                for body in &bodies {
                    acc ^= serde_typed(black_box(body), mode == "serde_full");
                }
            }
            "walk" => {
                for cb in &parsed {
                    acc ^= checksum::of(black_box(cb));
                }
            }
            _ => {
                for body in &bodies {
                    let cb = tim_callback::parse(copy(&mut buf, body)).expect("the mix parses");
                    acc ^= checksum::of(&cb);
                }
            }
        }
    }
    let per_pass = start.elapsed().as_secs_f64() / passes.max(1) as f64;
    black_box(acc);
    println!(
        "{mode} {form}: {} bodies, {bytes} bytes, {:.1} µs per pass ({:.0} MB/s)",
        bodies.len(),
        per_pass * 1e6,
        bytes as f64 / per_pass / 1e6
    );
}
