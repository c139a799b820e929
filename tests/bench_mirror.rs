//! The benchmark's serde mirror (`tim_callback_testkit::mirror`) reads every command the crate does,
//! and reads the same values: on every fixture that names its command, the mirror's checksum
//! equals tim-callback's. A command added to the crate without a mirror type fails here, not
//! only when a benchmark body happens to use it.
#![cfg(feature = "serde")]

mod common;

use serde::{Deserialize, Serialize};
use tim_callback::Command;
use tim_callback_testkit::{checksum, typed_dispatch};

/// The mirror's checksum of `body`, or 0 when serde cannot read it (the mirror, like most serde
/// users, has no variant for unknown message elements).
fn serde_json_typed(command: Command<'_>, body: &[u8]) -> u64 {
    fn de<'a, T: Deserialize<'a> + Serialize>(b: &'a [u8]) -> u64 {
        serde_json::from_slice::<T>(b).map_or(0, |v| checksum::of(&v))
    }
    typed_dispatch!(command, de, body)
}

#[test]
fn the_mirror_has_a_type_for_every_command() {
    for &command in Command::KNOWN {
        // Panics for a command the mirror lacks.
        assert_ne!(serde_json_typed(command, b"{}"), 0, "{command}");
    }
}

#[test]
// A consistency check of text and mirror, not of memory: not run under Miri.
#[cfg_attr(miri, ignore)]
fn the_mirror_reads_what_the_crate_reads_on_every_fixture() {
    // The command fixtures all; the older fixtures where serde can read them.
    let mut bodies: Vec<(String, Vec<u8>, bool)> = common::fixtures()
        .into_iter()
        .map(|(name, bytes)| (name, bytes, false))
        .collect();
    bodies.extend(
        common::command_fixtures()
            .into_iter()
            .map(|(name, _, bytes)| (name, bytes, true)),
    );
    let mut compared = 0;
    for (name, bytes, required) in bodies {
        // The mirror, like a serde user, is dispatched by the body's own command.
        let Ok(command) = tim_callback::sniff(&bytes) else {
            continue;
        };
        let Some(command) = command.known() else {
            continue;
        };
        let mut buf = bytes.clone();
        let ours = checksum::of(&tim_callback::parse(&mut buf).unwrap());
        let theirs = serde_json_typed(command, &bytes);
        if theirs == 0 && !required {
            continue;
        }
        assert_eq!(theirs, ours, "{name}");
        compared += 1;
    }
    assert!(compared >= 70, "{compared} fixtures compared");
}

/// The benchmark's generated workloads (`gen/…`) are read alike too: every command, relays,
/// escapes, unknown keys.
#[test]
#[cfg_attr(miri, ignore)]
fn the_mirror_reads_what_the_crate_reads_on_generated_bodies() {
    let options = [
        tim_callback_gen::Options::default(),
        tim_callback_gen::Options {
            mix: tim_callback_gen::Mix::Uniform,
            key_order: tim_callback_gen::KeyOrder::Shuffled,
            unknown_keys: 0.3,
            ..tim_callback_gen::Options::default()
        },
    ];
    for options in options {
        for (i, body) in tim_callback_gen::Generator::new(5, options)
            .take(1_000)
            .enumerate()
        {
            let command = tim_callback::sniff(&body.bytes).unwrap().known().unwrap();
            let mut buf = body.bytes.clone();
            let ours = checksum::of(&tim_callback::parse(&mut buf).unwrap());
            let theirs = serde_json_typed(command, &body.bytes);
            assert_eq!(
                theirs,
                ours,
                "#{i}: {}",
                String::from_utf8_lossy(&body.bytes)
            );
        }
    }
}
