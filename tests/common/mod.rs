//! Helpers shared by the integration tests: where the inputs are, and how to compare.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `../shared` beside the checkout. Absent in a user's clone: the tests that need it are
/// ignored there (`cfg(has_shared)`, from `build.rs`), and the ones that only add its files to
/// their own skip them, with a message. In this repository's CI its absence fails the build
/// (`build.rs`); the packaged crate has no `.ci/`, so there it is only skipped.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    if cfg!(has_shared) {
        // The build script saw it: a test that needs it must not pass without it.
        panic!(
            "{} was there when the tests were built and is gone: `touch build.rs` to rebuild",
            dir.display()
        );
    }
    eprintln!(
        "skipping: {} not found (these tests need Tencent's published examples)",
        dir.display()
    );
    None
}

/// Files in `dir` with extension `ext`, sorted by name, with their bytes.
pub fn files(dir: &Path, ext: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&p).unwrap();
            (name, bytes)
        })
        .collect();
    out.sort();
    out
}

/// The project's own fixtures (tests/fixtures/*.json).
pub fn fixtures() -> Vec<(String, Vec<u8>)> {
    let f = files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        "json",
    );
    assert!(f.len() >= 23, "fixtures missing");
    f
}

/// The project's fixtures of every command (tests/fixtures/commands/<Command>.<case>.json),
/// with the command each file's name gives: `(name, command, bytes)`.
pub fn command_fixtures() -> Vec<(String, String, Vec<u8>)> {
    files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/commands"),
        "json",
    )
    .into_iter()
    .map(|(name, bytes)| {
        let command = name.split('.').take(2).collect::<Vec<_>>().join(".");
        (name, command, bytes)
    })
    .collect()
}

/// Tencent's request examples (top-level `*.json` of the corpus that are callback bodies), with
/// the command each was published for.
pub fn corpus_requests(shared: &Path) -> Vec<(String, String, Vec<u8>)> {
    files(&shared.join("corpus/tim-docs"), "json")
        .into_iter()
        .filter(|(name, _)| {
            !name.contains(".response.")
                && !name.starts_with("Response.")
                && !name.starts_with("MsgBody.")
        })
        .map(|(name, bytes)| {
            let command = name.split('.').take(2).collect::<Vec<_>>().join(".");
            (name, command, bytes)
        })
        .collect()
}

/// The key spellings the crate reads as another key (`alias`, `key`), from the conflicts the
/// protocol reference lists.
pub const ALIASES: &[(&str, &str)] = &[
    ("CreatedGroupNum", "CreateGroupNum"),
    ("Modified_Account", "Member_Account"),
    ("AtRobotAccount", "AtRobots_Account"),
    ("Type", "ContactType"),
];

/// Checks that every member of `body` (recursively) is present in `ser` with an equal value.
/// `ser` may have more members: defaults of keys the body did not send.
pub fn covers(body: &serde_json::Value, ser: &serde_json::Value, path: &str) -> Result<(), String> {
    covers_except(body, ser, path, &[])
}

/// [`covers`], passing over members named in `unknown` (keys the crate does not model).
pub fn covers_except(
    body: &serde_json::Value,
    ser: &serde_json::Value,
    path: &str,
    unknown: &[&str],
) -> Result<(), String> {
    use serde_json::Value;
    match (body, ser) {
        (Value::Object(b), Value::Object(s)) => {
            for (k, bv) in b {
                if unknown.contains(&k.as_str()) {
                    continue;
                }
                let here = format!("{path}.{k}");
                // A key read under its alias is written back under the key it stands for.
                let written = s.get(k).or_else(|| {
                    let (_, key) = ALIASES.iter().find(|(alias, _)| alias == k)?;
                    s.get(*key)
                });
                match written {
                    Some(sv) => covers_except(bv, sv, &here, unknown)?,
                    None => return Err(format!("{here}: missing from the serialized event")),
                }
            }
            Ok(())
        }
        (Value::Array(b), Value::Array(s)) => {
            if b.len() != s.len() {
                return Err(format!("{path}: {} elements vs {}", b.len(), s.len()));
            }
            for (i, (bv, sv)) in b.iter().zip(s).enumerate() {
                covers_except(bv, sv, &format!("{path}[{i}]"), unknown)?;
            }
            Ok(())
        }
        (b, s) if b == s => Ok(()),
        (b, s) => Err(format!("{path}: body has {b}, serialized {s}")),
    }
}

/// Each element example of the corpus (`MsgBody.*.json`: one element, or a whole `MsgBody`)
/// placed in a `C2C.CallbackBeforeSendMsg` body, as JSON.
pub fn element_events(shared: &Path) -> Vec<(String, serde_json::Value)> {
    files(&shared.join("corpus/tim-docs"), "json")
        .into_iter()
        .filter(|(name, _)| name.starts_with("MsgBody."))
        .map(|(name, bytes)| {
            let elem: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let mut event = serde_json::json!({
                "CallbackCommand": "C2C.CallbackBeforeSendMsg",
                "From_Account": "a", "To_Account": "b", "MsgSeq": 1, "MsgRandom": 2,
            });
            if let Some(obj) = elem.get("MsgBody").and(elem.as_object()) {
                for (k, v) in obj {
                    event[k] = v.clone();
                }
            } else {
                event["MsgBody"] = serde_json::json!([elem]);
            }
            (name, event)
        })
        .collect()
}

/// A C2C before-send body whose one element is `levels` relays nested in each other, the
/// innermost holding a text element `text`. Each level is five containers (the element, its
/// `MsgContent`, `MsgList`, the message and its `MsgBody`); the body and its `MsgBody` add two.
pub fn nested_relays(levels: usize, text: &str) -> String {
    let mut relay = format!(r#"{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"{text}"}}}}"#);
    for _ in 0..levels {
        relay = format!(
            r#"{{"MsgType":"TIMRelayElem","MsgContent":{{"MsgList":[{{"MsgBody":[{relay}]}}]}}}}"#
        );
    }
    format!(
        r#"{{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","MsgSeq":1,"MsgBody":[{relay}]}}"#
    )
}

/// The most relay levels a depth limit lets through: the innermost text element sits at depth
/// 5 × levels + 3 and its `MsgContent` one deeper.
pub fn relay_levels_within(max_depth: u32) -> usize {
    (max_depth as usize - 4) / 5
}
