//! tim-callback against serde_json, sonic-rs and simd-json on the same bytes, in one process,
//! with the contenders interleaved round by round.
//!
//! Every contender reads every field of every body: each result is folded into a checksum
//! through serde (`tim_callback_testkit::checksum`), and the checksums of all contenders must agree before
//! anything is timed. Every contender is given the command, as a gateway has it from the query
//! string; `tim-callback` (`parse`) finds it in the body all the same, `parse_as` takes it.
//! tim-callback's time includes copying each body into a reusable buffer (it parses in place);
//! simd-json's includes the same copy (it mutates its input too).
//!
//! Timing: for each workload, a round times one sample of every contender (about 10 ms of
//! passes over all its bodies; the order rotates from round to round), and each contender's
//! ratio to serde_json typed is taken within the round, so that drift of the machine between
//! rounds cancels. The figures are medians over the rounds.
//!
//! ```text
//! cargo bench --bench compare -- [--rounds N] [--only TEXT] [--json PATH]
//! ```
//!
//! `python3 scripts/bench_table.py` runs it and writes the table and chart of benches/README.md from the
//! JSON it leaves in `target/bench/compare.json`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tim_callback::Command;

use tim_callback_testkit::workloads::{self, Workload};
use tim_callback_testkit::{checksum, forms, mirror, typed_dispatch};

/// Counts allocations while `COUNTING` is on, to check that tim-callback parses and walks every
/// bench body without allocating (the check costs the other contenders one relaxed load per
/// allocation, while timing).
struct CountingAlloc;
static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to the system allocator with the caller's arguments unchanged.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Allocations made by `f` (the bench is single-threaded).
fn allocations<R>(f: impl FnOnce() -> R) -> usize {
    ALLOCATIONS.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    let r = f();
    COUNTING.store(false, Ordering::Relaxed);
    drop(black_box(r));
    ALLOCATIONS.load(Ordering::Relaxed)
}

fn tim(buf: &mut Vec<u8>, body: &[u8]) -> u64 {
    buf.clear();
    buf.extend_from_slice(body);
    match tim_callback::parse(buf) {
        Ok(cb) => checksum::of(&cb),
        Err(e) => panic!("tim-callback rejected a bench body: {e}"),
    }
}

fn tim_as(buf: &mut Vec<u8>, command: Command, body: &[u8]) -> u64 {
    buf.clear();
    buf.extend_from_slice(body);
    match tim_callback::parse_as(command.as_str(), buf) {
        Ok(cb) => checksum::of(&cb),
        Err(e) => panic!("tim-callback rejected a bench body: {e}"),
    }
}

fn tim_parse_only(buf: &mut Vec<u8>, body: &[u8]) -> u64 {
    buf.clear();
    buf.extend_from_slice(body);
    tim_callback::parse(buf)
        .map(|c| c.command().as_str().len())
        .unwrap_or(0) as u64
}

fn serde_json_typed(command: Command, body: &[u8]) -> u64 {
    fn de<'a, T: Deserialize<'a> + Serialize>(b: &'a [u8]) -> u64 {
        checksum::of(&serde_json::from_slice::<T>(b).expect("serde_json"))
    }
    typed_dispatch!(command, de, body)
}

fn serde_json_tagged(body: &[u8]) -> u64 {
    checksum::of(&serde_json::from_slice::<mirror::Tagged>(body).expect("serde_json tagged"))
}

fn sonic_typed(command: Command, body: &[u8]) -> u64 {
    fn de<'a, T: Deserialize<'a> + Serialize>(b: &'a [u8]) -> u64 {
        checksum::of(&sonic_rs::from_slice::<T>(b).expect("sonic-rs"))
    }
    typed_dispatch!(command, de, body)
}

fn simd_typed(buf: &mut Vec<u8>, command: Command, body: &[u8]) -> u64 {
    fn de<'a, T: Deserialize<'a> + Serialize>(b: &'a mut [u8]) -> u64 {
        checksum::of(&simd_json::serde::from_slice::<T>(b).expect("simd-json"))
    }
    buf.clear();
    buf.extend_from_slice(body);
    typed_dispatch!(command, de, buf.as_mut_slice())
}

/// The contenders, in the table's order. The first reads every field and is the one the
/// targets are about; "serde_json typed" is the base of every ratio.
const CONTENDERS: &[&str] = &[
    "tim-callback",
    "tim-callback parse_as",
    "tim-callback parse only",
    "serde_json typed",
    "serde_json tagged",
    "sonic-rs typed",
    "simd-json typed",
];
const BASE: usize = 3;

/// One pass of contender `c` over every body of `w` (with its commands).
fn pass(c: usize, bodies: &[(Command, Vec<u8>)], buf: &mut Vec<u8>) -> u64 {
    let mut acc = 0u64;
    for (command, body) in bodies {
        let (command, body) = (*command, black_box(body.as_slice()));
        acc ^= match c {
            0 => tim(buf, body),
            1 => tim_as(buf, command, body),
            2 => tim_parse_only(buf, body),
            3 => serde_json_typed(command, body),
            4 => serde_json_tagged(body),
            5 => sonic_typed(command, body),
            6 => simd_typed(buf, command, body),
            _ => unreachable!(),
        };
    }
    acc
}

/// Every contender must read the same values before its speed means anything. (Strings are
/// folded by length and end bytes, numbers by value, so the checksums match across parsers.)
fn check_agreement(name: &str, bodies: &[(Command, Vec<u8>)]) {
    let mut buf = Vec::with_capacity(bodies.iter().map(|b| b.1.len()).max().unwrap_or(0));
    // Parsing and reading every field allocates nothing (the buffer is reused, as in the timing).
    for c in [0, 1, 2] {
        let n = allocations(|| pass(c, bodies, &mut buf));
        assert_eq!(n, 0, "{name}: {} allocated {n} times", CONTENDERS[c]);
    }
    // The check sees allocations when there are some.
    assert_eq!(allocations(|| Vec::<u8>::with_capacity(16)), 1);
    for (command, body) in bodies {
        let want = serde_json_typed(*command, body);
        let one = [(*command, body.clone())];
        let one = one.as_slice();
        for c in [0, 1, 4, 5, 6] {
            assert_eq!(
                pass(c, one, &mut buf),
                want,
                "{name}: {} reads other values than serde_json",
                CONTENDERS[c]
            );
        }
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The lower and upper quartile.
fn quartiles(v: &mut [f64]) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    (q(0.25), q(0.75))
}

struct Row {
    name: &'static str,
    mbps: f64,
    ratio: f64,
    ratio_q: (f64, f64),
}

/// Times `contenders` (indices into `CONTENDERS`) on `bodies`, `rounds` rounds interleaved;
/// returns each one's median throughput and median ratio to the base.
fn measure(bodies: &[(Command, Vec<u8>)], contenders: &[usize], rounds: usize) -> Vec<Row> {
    let bytes: usize = bodies.iter().map(|b| b.1.len()).sum();
    let mut buf = Vec::with_capacity(1 << 16);
    // Passes per sample: ~10 ms of the base contender (warmed up once).
    black_box(pass(BASE, bodies, &mut buf));
    let t = Instant::now();
    black_box(pass(BASE, bodies, &mut buf));
    let one = t.elapsed().as_secs_f64();
    let passes = ((0.010 / one.max(1e-9)).ceil() as usize).clamp(1, 100_000);
    let mut secs: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); contenders.len()];
    for round in 0..rounds {
        for k in 0..contenders.len() {
            let slot = (k + round) % contenders.len();
            let c = contenders[slot];
            let t = Instant::now();
            let mut acc = 0;
            for _ in 0..passes {
                acc ^= pass(c, bodies, &mut buf);
            }
            black_box(acc);
            secs[slot].push(t.elapsed().as_secs_f64() / passes as f64);
        }
    }
    let base = contenders
        .iter()
        .position(|&c| c == BASE)
        .expect("the base contender is measured");
    contenders
        .iter()
        .enumerate()
        .map(|(slot, &c)| {
            let mut ratios: Vec<f64> = (0..rounds).map(|r| secs[base][r] / secs[slot][r]).collect();
            let ratio = median(&mut ratios);
            Row {
                name: CONTENDERS[c],
                mbps: bytes as f64 / median(&mut secs[slot].clone()) / 1e6,
                ratio,
                ratio_q: quartiles(&mut ratios),
            }
        })
        .collect()
}

fn with_commands(bodies: &[Vec<u8>]) -> Vec<(Command<'_>, Vec<u8>)> {
    bodies
        .iter()
        .map(|b| (tim_callback::sniff(b).expect("sniff"), b.clone()))
        .collect()
}

/// `"text"` as a JSON string (the names and descriptions here need no escapes beyond these).
fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{cpu}, {cores} cores, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let rounds: usize = opt("--rounds").and_then(|n| n.parse().ok()).unwrap_or(15);
    let only = opt("--only");
    let json_path = opt("--json").unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench/compare.json").into()
    });
    let all: Vec<usize> = (0..CONTENDERS.len()).collect();

    let mut out = String::new();
    out.push_str(&format!(
        "{{\n\"machine\":{},\n\"rounds\":{rounds},\n\"contenders\":[{}],\n\"workloads\":[",
        js(&machine()),
        CONTENDERS
            .iter()
            .map(|c| js(c))
            .collect::<Vec<_>>()
            .join(",")
    ));
    let mut first = true;
    for w in workloads::all(true) {
        if only.as_ref().is_some_and(|o| !w.name.contains(o.as_str())) {
            continue;
        }
        let Workload {
            name,
            about,
            bodies,
        } = &w;
        let bodies = with_commands(bodies);
        check_agreement(name, &bodies);
        let rows = measure(&bodies, &all, rounds);
        println!(
            "{name} ({} bodies, {} bytes, mean {} B)",
            bodies.len(),
            w.bytes(),
            w.bytes() / bodies.len().max(1)
        );
        for r in &rows {
            println!(
                "  {:<24} {:>7.0} MB/s  {:.2}× ({:.2}–{:.2})",
                r.name, r.mbps, r.ratio, r.ratio_q.0, r.ratio_q.1
            );
        }
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&format!(
            "\n{{\"name\":{},\"about\":{},\"bodies\":{},\"bytes\":{},\"rows\":[{}]}}",
            js(name),
            js(about),
            bodies.len(),
            w.bytes(),
            rows.iter()
                .map(|r| format!(
                    "{{\"name\":{},\"mbps\":{:.1},\"ratio\":{:.4},\"q1\":{:.4},\"q3\":{:.4}}}",
                    js(r.name),
                    r.mbps,
                    r.ratio,
                    r.ratio_q.0,
                    r.ratio_q.1
                ))
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    out.push_str("\n],\n\"examples\":[");

    // Each corpus example alone: tim-callback against serde_json typed.
    let mut first = true;
    if only.is_none() {
        for (file, bytes) in workloads::examples() {
            let compact =
                serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(&bytes).unwrap())
                    .unwrap();
            let bodies = with_commands(std::slice::from_ref(&compact));
            check_agreement(&file, &bodies);
            let rows = measure(&bodies, &[0, BASE], rounds.min(7));
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&format!(
                "\n{{\"name\":{},\"ratio\":{:.4}}}",
                js(&file),
                rows[0].ratio
            ));
        }
    }
    out.push_str("\n],\n");

    // The sniffer alone: command first (the usual order), and command last.
    let c2c = tim_callback_gen::Options {
        commands: vec!["C2C.CallbackAfterSendMsg"],
        ..tim_callback_gen::Options::default()
    };
    let first_body = tim_callback_gen::Generator::new(7, c2c)
        .next()
        .expect("endless")
        .bytes;
    let last_body = forms::shuffled(&first_body);
    assert_eq!(
        tim_callback::sniff(&last_body).unwrap(),
        tim_callback::sniff(&first_body).unwrap()
    );
    let mut ns = [Vec::new(), Vec::new()];
    for _ in 0..rounds {
        for (k, body) in [&first_body, &last_body].into_iter().enumerate() {
            let t = Instant::now();
            for _ in 0..100_000 {
                black_box(tim_callback::sniff(black_box(body)).ok());
            }
            ns[k].push(t.elapsed().as_secs_f64() * 1e9 / 100_000.0);
        }
    }
    let (a, b) = (median(&mut ns[0]), median(&mut ns[1]));
    println!("sniff: command first {a:.1} ns, command elsewhere {b:.1} ns");
    out.push_str(&format!(
        "\"sniff_first_ns\":{a:.2},\n\"sniff_elsewhere_ns\":{b:.2}\n}}\n"
    ));
    if let Some(dir) = std::path::Path::new(&json_path).parent() {
        std::fs::create_dir_all(dir).expect("the JSON's directory");
    }
    std::fs::write(&json_path, out).expect("the JSON written");
    println!("written: {json_path}");
}
