//! tim-callback against serde_json, sonic-rs and simd-json on the same bytes, in one run.
//!
//! Every contender reads every field of every body: each result is folded into a checksum
//! through serde (`common::checksum`), and the checksums of all contenders must agree before
//! anything is timed. tim-callback's time includes copying each body into a reusable buffer
//! (it parses in place); simd-json's includes the same copy (it mutates its input too).
//!
//! `cargo bench` runs it all; `python3 scripts/bench_table.py` turns criterion's estimates into
//! the README's table.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};

mod common {
    pub mod checksum;
    pub mod mirror;
    pub mod traffic;
}
use common::{checksum, mirror, traffic};

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

/// A set of bodies measured together.
struct Workload {
    name: String,
    bodies: Vec<Vec<u8>>,
}

impl Workload {
    fn bytes(&self) -> u64 {
        self.bodies.iter().map(|b| b.len() as u64).sum()
    }
}

fn tim(buf: &mut Vec<u8>, body: &[u8]) -> u64 {
    buf.clear();
    buf.extend_from_slice(body);
    match tim_callback::parse(buf) {
        Ok(cb) => checksum::of(&cb),
        Err(e) => panic!("tim-callback rejected a bench body: {e}"),
    }
}

fn serde_json_typed(body: &[u8]) -> u64 {
    fn de<'a, T: Deserialize<'a> + Serialize>(b: &'a [u8]) -> u64 {
        checksum::of(&serde_json::from_slice::<T>(b).expect("serde_json"))
    }
    let command = tim_callback::sniff(body).expect("sniff");
    typed_dispatch!(command, de, body)
}

fn serde_json_tagged(body: &[u8]) -> u64 {
    checksum::of(&serde_json::from_slice::<mirror::Tagged>(body).expect("serde_json tagged"))
}

fn sonic_typed(body: &[u8]) -> u64 {
    fn de<'a, T: Deserialize<'a> + Serialize>(b: &'a [u8]) -> u64 {
        checksum::of(&sonic_rs::from_slice::<T>(b).expect("sonic-rs"))
    }
    let command = tim_callback::sniff(body).expect("sniff");
    typed_dispatch!(command, de, body)
}

fn simd_typed(buf: &mut Vec<u8>, body: &[u8]) -> u64 {
    fn de<'a, T: Deserialize<'a> + Serialize>(b: &'a mut [u8]) -> u64 {
        checksum::of(&simd_json::serde::from_slice::<T>(b).expect("simd-json"))
    }
    let command = tim_callback::sniff(body).expect("sniff");
    buf.clear();
    buf.extend_from_slice(body);
    typed_dispatch!(command, de, buf.as_mut_slice())
}

/// Every contender must read the same values before its speed means anything. (Strings are
/// folded by length and end bytes, numbers by value, so the checksums match across parsers.)
fn check_agreement(w: &Workload) {
    let mut buf = Vec::with_capacity(w.bodies.iter().map(Vec::len).max().unwrap_or(0));
    // Parsing and reading every field allocates nothing (the buffer is reused, as in the timing).
    let n = allocations(|| {
        w.bodies
            .iter()
            .fold(0, |acc, body| acc ^ tim(&mut buf, body))
    });
    assert_eq!(n, 0, "{}: tim-callback allocated {n} times", w.name);
    // The check sees allocations when there are some.
    assert_eq!(allocations(|| Vec::<u8>::with_capacity(16)), 1);
    for body in &w.bodies {
        let want = serde_json_typed(body);
        assert_eq!(
            tim(&mut buf, body),
            want,
            "{}: tim-callback reads other values",
            w.name
        );
        assert_eq!(
            sonic_typed(body),
            want,
            "{}: sonic-rs reads other values",
            w.name
        );
        assert_eq!(
            simd_typed(&mut buf, body),
            want,
            "{}: simd-json reads other values",
            w.name
        );
    }
}

fn compare(c: &mut Criterion, w: &Workload, contenders: &[&str]) {
    check_agreement(w);
    let mut g = c.benchmark_group(&w.name);
    g.throughput(Throughput::Bytes(w.bytes()));
    let mut buf = Vec::with_capacity(1 << 16);
    for &name in contenders {
        match name {
            "tim-callback" => g.bench_function(name, |b| {
                b.iter(|| {
                    w.bodies
                        .iter()
                        .fold(0, |acc, body| acc ^ tim(&mut buf, black_box(body)))
                })
            }),
            "tim-callback parse only" => g.bench_function(name, |b| {
                b.iter(|| {
                    w.bodies.iter().fold(0, |acc, body| {
                        buf.clear();
                        buf.extend_from_slice(black_box(body));
                        acc ^ tim_callback::parse(&mut buf)
                            .map(|c| c.command().as_str().len())
                            .unwrap_or(0) as u64
                    })
                })
            }),
            "serde_json typed" => g.bench_function(name, |b| {
                b.iter(|| {
                    w.bodies
                        .iter()
                        .fold(0, |acc, body| acc ^ serde_json_typed(black_box(body)))
                })
            }),
            "serde_json tagged" => g.bench_function(name, |b| {
                b.iter(|| {
                    w.bodies
                        .iter()
                        .fold(0, |acc, body| acc ^ serde_json_tagged(black_box(body)))
                })
            }),
            "sonic-rs typed" => g.bench_function(name, |b| {
                b.iter(|| {
                    w.bodies
                        .iter()
                        .fold(0, |acc, body| acc ^ sonic_typed(black_box(body)))
                })
            }),
            "simd-json typed" => g.bench_function(name, |b| {
                b.iter(|| {
                    w.bodies
                        .iter()
                        .fold(0, |acc, body| acc ^ simd_typed(&mut buf, black_box(body)))
                })
            }),
            other => panic!("no contender {other}"),
        };
    }
    g.finish();
}

const ALL: &[&str] = &[
    "tim-callback",
    "tim-callback parse only",
    "serde_json typed",
    "serde_json tagged",
    "sonic-rs typed",
    "simd-json typed",
];

/// Tencent's request examples of the modelled commands, when ../shared is there.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tim-docs");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("{} not found: corpus benchmarks skipped", dir.display());
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

fn benches(c: &mut Criterion) {
    let mix = traffic::mix(400, 0x7153_2026);
    type Form = fn(&[u8]) -> Vec<u8>;
    let forms: [(&str, Form); 4] = [
        ("mix/compact", |b| b.to_vec()),
        ("mix/pretty", traffic::pretty),
        ("mix/shuffled-keys", traffic::shuffled),
        ("mix/all-escaped", traffic::all_escaped),
    ];
    for (name, form) in forms {
        let w = Workload {
            name: name.into(),
            bodies: mix.iter().map(|b| form(b)).collect(),
        };
        compare(c, &w, ALL);
    }

    let corpus = corpus();
    if !corpus.is_empty() {
        let compact = |b: &[u8]| {
            serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(b).unwrap()).unwrap()
        };
        let w = Workload {
            name: "corpus/compact".into(),
            bodies: corpus.iter().map(|(_, b)| compact(b)).collect(),
        };
        compare(c, &w, ALL);
        let w = Workload {
            name: "corpus/pretty".into(),
            bodies: corpus.iter().map(|(_, b)| traffic::pretty(b)).collect(),
        };
        compare(c, &w, ALL);
        for (name, bytes) in &corpus {
            let w = Workload {
                name: format!("example/{name}"),
                bodies: vec![compact(bytes)],
            };
            compare(c, &w, &["tim-callback", "serde_json typed"]);
        }
    }

    // The sniffer alone: command first (the usual order), and command last.
    let mut g = c.benchmark_group("sniff");
    let first = traffic::c2c(&mut traffic::Rng::new(7)).into_bytes();
    let last = traffic::shuffled(&first);
    assert_eq!(
        tim_callback::sniff(&last).unwrap(),
        tim_callback::sniff(&first).unwrap()
    );
    g.throughput(Throughput::Elements(1));
    g.bench_function("command first", |b| {
        b.iter(|| tim_callback::sniff(black_box(&first)))
    });
    g.bench_function("command elsewhere", |b| {
        b.iter(|| tim_callback::sniff(black_box(&last)))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

criterion_group! { name = compare_all; config = config(); targets = benches }
criterion_main!(compare_all);
