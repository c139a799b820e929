//! `tim-callback bench`: the core's parse of the inputs against serde_json's `Value` parse of
//! the same bodies, interleaved round by round in one process.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::Inputs;
use crate::alloc_count::allocations;
use crate::input;

/// `tim-callback bench`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// How long to run, in seconds, both contenders together.
    #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
    seconds: f64,
    /// Measure N bodies from the generator (shaped by the knobs below, as `gen` takes them)
    /// instead of files.
    #[arg(long, value_name = "N", conflicts_with = "files")]
    generate: Option<usize>,
    #[command(flatten)]
    knobs: crate::generate::Knobs,
}

#[derive(Default)]
struct Tally {
    time: Duration,
    bodies: u64,
    bytes: u64,
    allocations: u64,
}

pub fn run(args: Args) -> std::io::Result<ExitCode> {
    crate::alloc_count::enable();
    let bodies: Vec<Vec<u8>> = match args.generate {
        Some(n) => args.knobs.generator()?.take(n).map(|b| b.bytes).collect(),
        None => input::read(&args.inputs)?
            .into_iter()
            .map(|b| b.bytes)
            .collect(),
    };
    if bodies.is_empty() {
        return Err(std::io::Error::other("no bodies to measure"));
    }
    let mut scratch = Vec::with_capacity(bodies.iter().map(Vec::len).max().unwrap_or(0));
    let mut failures = 0usize;
    for body in &bodies {
        scratch.clear();
        scratch.extend_from_slice(body);
        if tim_callback::parse(&mut scratch).is_err() {
            failures += 1;
        }
    }
    if failures == bodies.len() {
        return Err(std::io::Error::other(format!(
            "none of the {failures} bodies parses: nothing to measure (see `tim-callback parse`)"
        )));
    }
    if failures > 0 {
        eprintln!(
            "note: {failures} of {} bodies fail to parse (measured as they are)",
            bodies.len()
        );
    }

    let budget = Duration::from_secs_f64(args.seconds.max(0.01));
    let bar = if budget >= Duration::from_secs(1) {
        let bar = ProgressBar::new(budget.as_millis() as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {bar:40} {elapsed}/{duration} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let (mut ours, mut theirs) = (Tally::default(), Tally::default());
    let started = Instant::now();
    // Rounds of about 10 MB of bodies per contender, alternating, so drift hits both alike.
    let per_round =
        (10_000_000 / bodies.iter().map(Vec::len).sum::<usize>().max(1)).clamp(1, 10_000);
    let mut sink = 0usize;
    while started.elapsed() < budget {
        let a0 = allocations();
        let t0 = Instant::now();
        for _ in 0..per_round {
            for body in &bodies {
                scratch.clear();
                scratch.extend_from_slice(body);
                if let Ok(callback) = tim_callback::parse(&mut scratch) {
                    sink = sink.wrapping_add(callback.command().as_str().len());
                }
            }
        }
        ours.time += t0.elapsed();
        ours.allocations += allocations() - a0;

        let a0 = allocations();
        let t0 = Instant::now();
        for _ in 0..per_round {
            for body in &bodies {
                if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
                    sink = sink.wrapping_add(value.as_object().map_or(0, |o| o.len()));
                }
            }
        }
        theirs.time += t0.elapsed();
        theirs.allocations += allocations() - a0;

        let round_bodies = (per_round * bodies.len()) as u64;
        let round_bytes = (per_round * bodies.iter().map(Vec::len).sum::<usize>()) as u64;
        for tally in [&mut ours, &mut theirs] {
            tally.bodies += round_bodies;
            tally.bytes += round_bytes;
        }
        bar.set_position(started.elapsed().as_millis() as u64);
        bar.set_message(format!("{} rounds", ours.bodies / round_bodies));
    }
    bar.finish_and_clear();
    std::hint::black_box(sink);

    let mean = bodies.iter().map(Vec::len).sum::<usize>() / bodies.len();
    println!(
        "{} bodies, {mean} bytes on average, {:.1} s",
        bodies.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<36} {:>10} {:>10} {:>14}",
        "", "MB/s", "ns/body", "allocs/body"
    );
    for (name, t) in [
        ("tim-callback parse (copy + in place)", &ours),
        ("serde_json::Value", &theirs),
    ] {
        let secs = t.time.as_secs_f64().max(1e-12);
        println!(
            "{name:<36} {:>10.0} {:>10.0} {:>14.2}",
            t.bytes as f64 / secs / 1e6,
            secs * 1e9 / t.bodies.max(1) as f64,
            t.allocations as f64 / t.bodies.max(1) as f64
        );
    }
    println!(
        "tim-callback is {:.2}x serde_json::Value (the copy into the parse buffer included)",
        theirs.time.as_secs_f64() / ours.time.as_secs_f64().max(1e-12)
    );
    Ok(ExitCode::SUCCESS)
}
