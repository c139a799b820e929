//! Every generated body is what it says: a valid one parses with the core, agrees with the
//! serde reference model on every value, and re-serializes to the same values; an invalid one
//! is rejected with the kind its flaw names. Over every command and every knob.
//!
//! `TIM_GEN_COUNT` sets how many bodies per knob setting (default 2,000: 26,000 in all).

use std::collections::BTreeMap;

use tim_callback_gen::{Expect, Flaw, Generator, KeyOrder, Layout, Mix, Options, Script};
use tim_callback_testkit::model::model;

fn count() -> usize {
    std::env::var("TIM_GEN_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// One setting per knob turned away from the default, and the default.
fn settings() -> Vec<(&'static str, Options)> {
    let d = Options::default;
    vec![
        ("default", d()),
        (
            "uniform",
            Options {
                mix: Mix::Uniform,
                ..d()
            },
        ),
        (
            "ascii long",
            Options {
                script: Script::Ascii,
                text_len: 2_000,
                ..d()
            },
        ),
        (
            "cjk",
            Options {
                script: Script::Cjk,
                text_len: 200,
                ..d()
            },
        ),
        (
            "emoji escaped",
            Options {
                script: Script::Emoji,
                escapes: 1.0,
                ..d()
            },
        ),
        (
            "escapes",
            Options {
                escapes: 0.3,
                json_in_data: true,
                mix: Mix::Uniform,
                ..d()
            },
        ),
        (
            "deep relays",
            Options {
                relay_depth: tim_callback_gen::MAX_RELAY_DEPTH,
                list_len: 2,
                commands: vec!["C2C.CallbackBeforeSendMsg", "Group.CallbackAfterSendMsg"],
                ..d()
            },
        ),
        (
            "long lists",
            Options {
                list_len: 300,
                mix: Mix::Uniform,
                ..d()
            },
        ),
        (
            "sorted",
            Options {
                key_order: KeyOrder::Sorted,
                mix: Mix::Uniform,
                ..d()
            },
        ),
        (
            "shuffled pretty",
            Options {
                key_order: KeyOrder::Shuffled,
                layout: Layout::Pretty,
                mix: Mix::Uniform,
                ..d()
            },
        ),
        (
            "unknown keys",
            Options {
                unknown_keys: 1.0,
                mix: Mix::Uniform,
                ..d()
            },
        ),
        (
            "invalid",
            Options {
                invalid: 1.0,
                mix: Mix::Uniform,
                ..d()
            },
        ),
        (
            "half invalid",
            Options {
                invalid: 0.5,
                layout: Layout::Pretty,
                escapes: 0.2,
                ..d()
            },
        ),
    ]
}

/// Checks one body; returns its flaw's name or "valid".
fn check(
    name: &str,
    seed: u64,
    i: usize,
    command: &str,
    bytes: &[u8],
    expect: Expect,
) -> &'static str {
    let text = String::from_utf8_lossy(bytes);
    let mut buf = bytes.to_vec();
    let parsed = tim_callback::parse_as(command, &mut buf);
    match expect {
        Expect::Valid => {
            let event = parsed
                .unwrap_or_else(|e| panic!("{name} seed {seed} #{i}: rejected ({e}): {text}"));
            let have = serde_json::to_value(&event).unwrap();
            let want = model(command, bytes)
                .unwrap_or_else(|e| panic!("{name} #{i}: model rejected ({e}): {text}"));
            assert_eq!(have, want, "{name} seed {seed} #{i}: {text}");
            // Written back and read again: the same values.
            let mut again = serde_json::to_vec(&event).unwrap();
            let second = tim_callback::parse(&mut again)
                .unwrap_or_else(|e| panic!("{name} #{i}: re-parse: {e}"));
            assert_eq!(serde_json::to_value(&second).unwrap(), have, "{name} #{i}");
            "valid"
        }
        Expect::Invalid(flaw) => {
            let e = match parsed {
                Ok(_) => panic!("{name} seed {seed} #{i}: {flaw} accepted: {text}"),
                Err(e) => e,
            };
            assert!(
                flaw.matches(e.kind()),
                "{name} seed {seed} #{i}: {flaw} rejected as {e}: {text}"
            );
            // The reference agrees that it is invalid.
            assert!(
                model(command, bytes).is_err(),
                "{name} #{i}: {flaw}: the model accepted {text}"
            );
            flaw.name()
        }
        Expect::Unknown => panic!("edge cases were not asked for"),
    }
}

#[test]
fn generated_bodies_are_what_they_say_for_every_knob() {
    let n = count();
    let mut kinds = BTreeMap::<&str, usize>::new();
    let mut commands = BTreeMap::<&str, usize>::new();
    for (k, (name, options)) in settings().into_iter().enumerate() {
        let seed = 0x5EED + k as u64;
        for (i, body) in Generator::new(seed, options).take(n).enumerate() {
            *kinds
                .entry(check(name, seed, i, body.command, &body.bytes, body.expect))
                .or_default() += 1;
            *commands.entry(body.command).or_default() += 1;
        }
    }
    eprintln!("{kinds:?}");
    for flaw in Flaw::ALL {
        assert!(
            kinds.get(flaw.name()).copied().unwrap_or(0) > 0,
            "{flaw} never generated"
        );
    }
    assert_eq!(
        commands.len(),
        tim_callback::Command::KNOWN.len(),
        "commands generated: {commands:?}"
    );
}

#[test]
fn every_command_has_a_schema_and_a_model() {
    let mut generated: Vec<&str> = tim_callback_gen::schema::commands()
        .map(|(c, _)| *c)
        .collect();
    generated.sort_unstable();
    let mut known: Vec<&str> = tim_callback::Command::KNOWN
        .iter()
        .map(|c| c.as_str())
        .collect();
    known.sort_unstable();
    assert_eq!(generated, known);
    for command in known {
        assert!(model(command, b"{}").is_ok(), "{command}");
    }
}

#[test]
fn a_seed_gives_the_same_bodies_and_another_seed_others() {
    let a: Vec<_> = Generator::new(9, Options::default()).take(50).collect();
    let b: Vec<_> = Generator::new(9, Options::default()).take(50).collect();
    let c: Vec<_> = Generator::new(10, Options::default()).take(50).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn the_realistic_mix_is_mostly_messages_and_families_choose_commands() {
    let bodies: Vec<_> = Generator::new(1, Options::default()).take(2_000).collect();
    let messages = bodies
        .iter()
        .filter(|b| b.command.contains("SendMsg"))
        .count();
    // 200 of 265 weights: 75%.
    assert!(
        (1_400..1_620).contains(&messages),
        "{messages} of 2000 message callbacks"
    );
    let group = Options::family("group").unwrap();
    assert!(
        group.iter().all(|c| c.starts_with("Group.")) && group.len() > 20,
        "{group:?}"
    );
    assert!(Options::family("nope").is_none());
    let only = Options {
        commands: Options::family("sns").unwrap(),
        ..Options::default()
    };
    assert!(
        Generator::new(2, only)
            .take(200)
            .all(|b| b.command.starts_with("Sns."))
    );
}

#[test]
fn knobs_change_the_bodies_the_way_they_say() {
    let take =
        |o: Options| -> Vec<Vec<u8>> { Generator::new(3, o).take(300).map(|b| b.bytes).collect() };
    let d = Options::default;
    let pretty = take(Options {
        layout: Layout::Pretty,
        ..d()
    });
    assert!(pretty.iter().all(|b| b.contains(&b'\n')));
    assert!(take(d()).iter().all(|b| !b.contains(&b'\n')));
    let cjk = take(Options {
        script: Script::Cjk,
        escapes: 0.0,
        json_in_data: false,
        ..d()
    });
    assert!(
        cjk.iter().any(|b| String::from_utf8_lossy(b).contains('你')
            || String::from_utf8_lossy(b).contains('好'))
    );
    let escaped = take(Options {
        escapes: 1.0,
        ..d()
    });
    assert!(
        escaped.iter().all(|b| b.is_ascii()),
        "every non-ASCII character escaped"
    );
    let relays = take(Options {
        relay_depth: 1,
        commands: vec!["C2C.CallbackAfterSendMsg"],
        ..d()
    });
    assert!(
        relays
            .iter()
            .any(|b| String::from_utf8_lossy(b).contains("TIMRelayElem"))
    );
    let none = take(Options {
        relay_depth: 0,
        ..d()
    });
    assert!(
        none.iter()
            .all(|b| !String::from_utf8_lossy(b).contains("TIMRelayElem"))
    );
    // In byte order `CallbackCommand` comes before every other key of this command.
    let sorted = take(Options {
        key_order: KeyOrder::Sorted,
        escapes: 0.0,
        commands: vec!["State.StateChange"],
        ..d()
    });
    assert!(
        sorted
            .iter()
            .all(|b| b.starts_with(b"{\"CallbackCommand\""))
    );
    let shuffled = take(Options {
        key_order: KeyOrder::Shuffled,
        escapes: 0.0,
        commands: vec!["State.StateChange"],
        ..d()
    });
    assert!(
        !shuffled
            .iter()
            .all(|b| b.starts_with(b"{\"CallbackCommand\""))
    );
}
