//! The stack that parsing needs at the depth limit, measured, and the figure docs/SAFETY.md gives
//! tried on a thread of exactly that size.
//!
//! Typed decoding recurses once per nesting level it decodes (relayed messages nest five
//! containers per relay); skipping untyped values does not recurse. The deepest body a limit
//! lets through is relays nested to it, so each run parses that body and reads it in full,
//! on a thread whose stack is set by `Builder::stack_size`. A thread that runs out of stack
//! aborts its process, so every try runs in a child process: this test binary again, with
//! `TIM_STACK_CHILD=<limit>:<bytes>` telling it which try it is.
//!
//! `cargo test --test stack -- --nocapture` (or `--release`) prints the measured figures.

mod common;

use std::process::Command;

use tim_callback::{Callback, MAX_DEPTH, MsgElem, Parser, msg::TextElem};

/// The stack docs/SAFETY.md documents for parsing at depth limit `limit`, for this build's
/// profile, as (bytes at any depth) + (bytes per nesting level) × `limit`. Debug builds with the
/// `__check-rereads` check (the test suite's `--all-features`) need no more than plain ones.
fn documented(limit: u32) -> usize {
    let (base, per_level) = if cfg!(debug_assertions) {
        DEBUG
    } else {
        RELEASE
    };
    base + per_level * limit as usize
}

/// (bytes at any depth, bytes per nesting level) of thread stack, x86_64 Linux.
const RELEASE: (usize, usize) = (8 * 1024, 512);
const DEBUG: (usize, usize) = (16 * 1024, 4 * 1024);

/// Parses the deepest body `limit` allows and reads it down to its innermost element.
fn parse_deepest(limit: u32) {
    let levels = common::relay_levels_within(limit);
    let mut body = common::nested_relays(levels, "deepest").into_bytes();
    let parser = Parser::new().max_depth(limit);
    let Ok(Callback::C2cBeforeSendMsg(ev)) = parser.parse(&mut body) else {
        panic!("the deepest body for {limit} was rejected")
    };
    let mut elem = ev.msg_body.get(0).expect("an element");
    for _ in 0..levels {
        let MsgElem::Relay(relay) = elem else {
            panic!("not a relay")
        };
        elem = relay
            .msg_list
            .get(0)
            .expect("a message")
            .msg_body
            .get(0)
            .expect("an element");
    }
    assert_eq!(elem, MsgElem::Text(TextElem { text: "deepest" }));
}

/// Whether a child process completes `parse_deepest(limit)` on a thread of `bytes`.
fn fits(limit: u32, bytes: usize) -> bool {
    let exe = std::env::current_exe().expect("the test binary");
    let out = Command::new(exe)
        .args([
            "--exact",
            "stack_at_the_depth_limit",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TIM_STACK_CHILD", format!("{limit}:{bytes}"))
        .output()
        .expect("run the child");
    out.status.success()
}

/// The smallest stack (to 1 KiB, under the thread size the platform rounds to) that fits.
fn smallest(limit: u32) -> usize {
    let (mut lo, mut hi) = (0usize, 4 << 20);
    assert!(fits(limit, hi), "{limit}: not even 4 MiB is enough");
    while hi - lo > 1024 {
        let mid = (lo + hi) / 2;
        if fits(limit, mid) { hi = mid } else { lo = mid }
    }
    hi
}

#[test]
#[cfg_attr(miri, ignore = "spawns processes")]
fn stack_at_the_depth_limit() {
    if let Ok(child) = std::env::var("TIM_STACK_CHILD") {
        let (limit, bytes) = child.split_once(':').expect("limit:bytes");
        let (limit, bytes): (u32, usize) = (limit.parse().unwrap(), bytes.parse().unwrap());
        std::thread::Builder::new()
            .stack_size(bytes)
            .spawn(move || parse_deepest(limit))
            .expect("spawn")
            .join()
            .expect("parsed");
        return;
    }
    // The figure docs/SAFETY.md gives, on a thread of exactly that size, at the default limit and
    // at a lower one that an embedded user might choose.
    if std::env::var_os("TIM_STACK_MEASURE_ONLY").is_none() {
        for limit in [MAX_DEPTH, 32] {
            assert!(
                fits(limit, documented(limit)),
                "depth {limit}: {} bytes of stack are not enough",
                documented(limit)
            );
        }
    }
    // What it takes, for the record (and for the figures of docs/SAFETY.md).
    let sizes: Vec<(u32, usize)> = [8, 32, 64, MAX_DEPTH]
        .into_iter()
        .map(|limit| (limit, smallest(limit)))
        .collect();
    for (limit, bytes) in &sizes {
        if *bytes <= 16 * 1024 {
            // Smaller requests get the smallest thread the platform makes, which fits.
            println!("depth limit {limit:>3}: the smallest thread the platform makes suffices");
        } else {
            println!("depth limit {limit:>3}: {bytes:>7} bytes of thread stack suffice");
        }
    }
    // The slope between the two deepest limits, both well above that smallest thread.
    let ((l0, b0), (l1, b1)) = (sizes[2], sizes[3]);
    println!(
        "about {} bytes per nesting level from depth {l0} to {l1}",
        (b1 - b0) / (l1 - l0) as usize
    );
    // The children that failed ran out of stack, not into a bug: deeper bodies need more.
    assert!(sizes[3].1 > sizes[0].1, "{sizes:?}");
}
