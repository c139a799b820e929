//! Sets `cfg(has_shared)` when `../shared` (Tencent's published examples and JSONTestSuite,
//! beside a checkout of this repository) is there: the tests that read it run, and without it
//! they show as ignored. In this repository's CI (`CI=true` with `.ci/run` beside this file) a
//! missing `../shared` is an error. Nothing here affects the library itself.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_shared)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CI");
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let root = Path::new(&manifest);
    if root.join("../shared").is_dir() {
        println!("cargo::rustc-cfg=has_shared");
    } else if root.join(".ci/run").is_file() && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but ../shared is missing (the tests need Tencent's published examples)");
    }
}
