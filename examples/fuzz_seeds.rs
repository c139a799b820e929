//! Writes the seeds of the fuzz targets that take the command from the first byte (`parse_as`,
//! `differential`): each fixture of a known command, behind the byte that picks that command,
//! so that fuzzing starts from bodies the target reads as what they are; and, from the workspace's
//! generator (`tim-callback-gen`, seed 1), a generated body of every command and one body with each
//! flaw, behind the same byte. With `--check`, only
//! verifies that the committed seeds are exactly these (CI runs it).
//!
//!     cargo run --example fuzz_seeds [-- --check]

use std::collections::BTreeMap;
use std::path::Path;

use tim_callback::Command;

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = BTreeMap::new();
    for dir in ["tests/fixtures", "tests/fixtures/commands"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("fixtures")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let body = std::fs::read(&path).expect("fixture");
            let name = path.file_stem().and_then(|s| s.to_str()).expect("name");
            // The command: the body's own, or for commands/<Command>.<case>.json the name's.
            let command = match tim_callback::sniff(&body) {
                Ok(command) if command.is_known() => command.known(),
                _ => {
                    let named = name.split('.').take(2).collect::<Vec<_>>().join(".");
                    Command::from_name(&named).known()
                }
            };
            let Some(command) = command else { continue };
            let index = Command::KNOWN
                .iter()
                .position(|c| *c == command)
                .expect("a known command is in KNOWN");
            let pick = u8::try_from(index).expect("fewer than 256 commands");
            let mut seed = vec![pick];
            seed.extend_from_slice(&body);
            seeds.insert(name.to_owned(), seed);
        }
    }
    // Generated bodies: one of every command (mixed scripts, escapes, unknown keys, lists up
    // to 3), and one with each flaw; the same for every run of this version of the generator.
    let index = |command: &str| {
        let pick = Command::KNOWN
            .iter()
            .position(|c| c.as_str() == command)
            .expect("the generator's commands are known");
        u8::try_from(pick).expect("fewer than 256 commands")
    };
    for command in Command::KNOWN {
        let options = tim_callback_gen::Options {
            commands: vec![
                tim_callback_gen::Options::command(command.as_str()).expect("generated"),
            ],
            text_len: 20,
            list_len: 3,
            escapes: 0.1,
            unknown_keys: 0.5,
            ..tim_callback_gen::Options::default()
        };
        let body = tim_callback_gen::Generator::new(1, options)
            .next()
            .expect("endless");
        let mut seed = vec![index(body.command)];
        seed.extend_from_slice(&body.bytes);
        seeds.insert(format!("gen.{}", body.command), seed);
    }
    let invalid = tim_callback_gen::Options {
        invalid: 1.0,
        ..tim_callback_gen::Options::default()
    };
    for body in tim_callback_gen::Generator::new(1, invalid).take(400) {
        let tim_callback_gen::Expect::Invalid(flaw) = body.expect else {
            continue;
        };
        let mut seed = vec![index(body.command)];
        seed.extend_from_slice(&body.bytes);
        seeds.entry(format!("gen.flaw.{flaw}")).or_insert(seed);
    }
    let mut stale = 0;
    for target in ["parse_as", "differential"] {
        let dir = root.join("fuzz/seeds").join(target);
        std::fs::create_dir_all(&dir).expect("seed directory");
        let mut present: Vec<String> = std::fs::read_dir(&dir)
            .expect("seed directory")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".seed"))
            .collect();
        present.sort();
        let wanted: Vec<String> = seeds.keys().map(|n| format!("{n}.seed")).collect();
        if present != wanted {
            stale += 1;
            eprintln!("{target}: seed files differ from the fixtures");
        }
        for (name, seed) in &seeds {
            let path = dir.join(format!("{name}.seed"));
            if std::fs::read(&path).ok().as_ref() != Some(seed) {
                stale += 1;
                if !check {
                    std::fs::write(&path, seed).expect("write seed");
                }
            }
        }
        println!("{target}: {} seeds", seeds.len());
    }
    if check && stale > 0 {
        eprintln!("the seeds are stale: cargo run --example fuzz_seeds");
        std::process::exit(1);
    }
}
