//! A loop to profile under `perf` or `valgrind --tool=callgrind`: the benchmark's traffic mix,
//! parsed (and/or read in full) a given number of times, with no harness around it.
//!
//! ```text
//! cargo run --release --example profile -- <parse|parse_as|walk|full> [compact|pretty|shuffled|escaped] [passes]
//! ```
//!
//! `parse` copies each body into a buffer and parses it (`parse_as`: with the command given, as
//! from the query string); `walk` reads every field of bodies
//! parsed beforehand (what lazy lists cost); `full` does both, as the benchmark does. Counting
//! instructions per pass: run callgrind with two pass counts and divide the difference.

use std::hint::black_box;
use std::time::Instant;

#[path = "../benches/common/checksum.rs"]
mod checksum;
#[path = "../benches/common/traffic.rs"]
mod traffic;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map_or("full", String::as_str);
    let form = args.get(1).map_or("compact", String::as_str);
    let passes: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let bodies: Vec<Vec<u8>> = traffic::mix(400, 0x7153_2026)
        .into_iter()
        .map(|b| match form {
            "pretty" => traffic::pretty(&b),
            "shuffled" => traffic::shuffled(&b),
            "escaped" => traffic::all_escaped(&b),
            _ => b,
        })
        .collect();
    let bytes: usize = bodies.iter().map(Vec::len).sum();

    let mut buf = Vec::with_capacity(1 << 16);
    let mut parsed_bufs = bodies.clone();
    let parsed: Vec<_> = parsed_bufs
        .iter_mut()
        .map(|b| tim_callback::parse(b).expect("the mix parses"))
        .collect();
    let commands: Vec<String> = bodies
        .iter()
        .map(|b| tim_callback::sniff(b).unwrap().as_str().to_string())
        .collect();
    let start = Instant::now();
    let mut acc = 0u64;
    for _ in 0..passes {
        match mode {
            "parse" => {
                for body in &bodies {
                    buf.clear();
                    buf.extend_from_slice(black_box(body));
                    let cb = tim_callback::parse(&mut buf).expect("the mix parses");
                    acc ^= cb.command().as_str().len() as u64;
                }
            }
            "parse_as" => {
                for (body, cmd) in bodies.iter().zip(&commands) {
                    buf.clear();
                    buf.extend_from_slice(black_box(body));
                    let cb = tim_callback::parse_as(cmd, &mut buf).expect("the mix parses");
                    acc ^= cb.command().as_str().len() as u64;
                }
            }
            "walk" => {
                for cb in &parsed {
                    acc ^= checksum::of(black_box(cb));
                }
            }
            _ => {
                for body in &bodies {
                    buf.clear();
                    buf.extend_from_slice(black_box(body));
                    acc ^= checksum::of(&tim_callback::parse(&mut buf).expect("the mix parses"));
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
