//! Writes `bodies.rs`: the bodies the device parses from flash, each with the host's reading of
//! it (ok or the error's offset, a hash of the parsed callback's `Debug` text, and the default
//! answer's bytes), which the device must reproduce. With the `checks` feature: the samples,
//! the project's fixtures, and Tencent's examples from `../shared` (required
//! under `CI=true`); without it, the two sample bodies the size table measures.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// FNV-1a, 64 bits: the device computes the same over the same text.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A C2C message whose one element is a relay of a relay … `levels` deep, then a text.
fn nested_relays(levels: usize) -> String {
    let mut relay = r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"deepest"}}"#.to_string();
    for _ in 0..levels {
        relay = format!(
            r#"{{"MsgType":"TIMRelayElem","MsgContent":{{"MsgList":[{{"MsgBody":[{relay}]}}]}}}}"#
        );
    }
    format!(
        r#"{{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","MsgSeq":1,"MsgBody":[{relay}]}}"#
    )
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "json"));
    files.sort();
    files
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=memory.x");
    println!("cargo::rerun-if-env-changed=CI");
    // memory.x where cortex-m-rt's link.x looks for it.
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    std::fs::copy(root.join("embedded/memory.x"), out.join("memory.x")).unwrap();
    println!("cargo::rustc-link-search={}", out.display());

    // (name, the command to parse it as, path)
    let mut bodies: Vec<(String, String, PathBuf)> = Vec::new();
    for name in ["c2c_before_send_msg.json", "group_after_send_msg.json"] {
        bodies.push((
            format!("samples/{name}"),
            String::new(),
            root.join("samples").join(name),
        ));
    }
    if std::env::var_os("CARGO_FEATURE_CHECKS").is_some() {
        for name in ["friend_add.json", "state_change.json"] {
            bodies.push((
                format!("samples/{name}"),
                String::new(),
                root.join("samples").join(name),
            ));
        }
        let top = root.join("tests/fixtures");
        println!("cargo::rerun-if-changed={}", top.display());
        for path in json_files(&top) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            bodies.push((format!("tests/fixtures/{name}"), String::new(), path));
        }
        let fixtures = root.join("tests/fixtures/commands");
        println!("cargo::rerun-if-changed={}", fixtures.display());
        for path in json_files(&fixtures) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let command = name.split('.').take(2).collect::<Vec<_>>().join(".");
            bodies.push((format!("tests/fixtures/commands/{name}"), command, path));
        }
        // The deepest relay the default depth limit lets through (the most stack a parse takes),
        // and one level more, which is too deep.
        for levels in [24, 25] {
            let path = out.join(format!("relay-{levels}.json"));
            std::fs::write(&path, nested_relays(levels)).unwrap();
            bodies.push((
                format!("generated/relay-{levels}.json"),
                String::new(),
                path,
            ));
        }
        let corpus = root.join("../shared/corpus/tim-docs");
        if corpus.is_dir() {
            println!("cargo::rerun-if-changed={}", corpus.display());
            for path in json_files(&corpus) {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if name.contains(".response.")
                    || name.starts_with("Response.")
                    || name.starts_with("MsgBody.")
                {
                    continue;
                }
                let command = name.split('.').take(2).collect::<Vec<_>>().join(".");
                bodies.push((format!("corpus/{name}"), command, path));
            }
        } else if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but {} is missing", corpus.display());
        }
    }

    let mut code =
        String::from("/// Written by build.rs.\npub static BODIES: &[crate::Body] = &[\n");
    for (name, command, path) in &bodies {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut buf = bytes.clone();
        let parsed = if command.is_empty() {
            tim_callback::parse(&mut buf)
        } else {
            tim_callback::parse_as(command, &mut buf)
        };
        // The command the body is of: the one it is parsed as, else its own.
        let of = match command.as_str() {
            "" => tim_callback::sniff(&bytes)
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            given => given.to_string(),
        };
        let (ok, offset, hash, answer) = match &parsed {
            Ok(cb) => {
                let mut answer = [0u8; 256];
                let n = cb.answer().write_into(&mut answer).unwrap();
                (true, 0, fnv(&format!("{cb:?}")), answer[..n].to_vec())
            }
            Err(e) => (false, e.offset(), 0, Vec::new()),
        };
        writeln!(
            code,
            "    crate::Body {{ name: {name:?}, command: {command:?}, of: {of:?}, bytes: include_bytes!({:?}), \
             ok: {ok}, offset: {offset}, hash: {hash:#x}, answer: b{:?} }},",
            path.canonicalize().unwrap(),
            String::from_utf8(answer).unwrap(),
        )
        .unwrap();
    }
    code.push_str("];\n");
    std::fs::write(out.join("bodies.rs"), code).unwrap();
}
