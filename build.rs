//! Sets `cfg(has_shared)` when `../shared` (Tencent's published examples and JSONTestSuite,
//! beside a checkout of this repository) is there: the tests that read it run, and without it
//! they show as ignored. In this repository's CI (`CI=true` with `.ci/run` beside this file) a
//! missing `../shared` is an error. Only in a checkout of the repository (`.ci/run` beside this
//! file): the published package has no `.ci/`, so there this script looks at no file.
//!
//! Also sets `cfg(check_rereads)`, the library's check that every list's second read equals its
//! first (see `src/read/first_read.rs`): in fuzz builds, and in debug builds with the hidden feature
//! `__check-rereads` (not under Miri). It changes no result, only panics on a bug of the crate.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_shared)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(check_rereads)");
    println!("cargo::rerun-if-env-changed=CI");
    let cfg = |name: &str| std::env::var_os(name).is_some();
    // Not under Miri: it checks for undefined behaviour, and formatting every element twice
    // would double its run; the second read's `&str`s are checked without this anyway.
    let debug_check = cfg("CARGO_CFG_DEBUG_ASSERTIONS")
        && cfg("CARGO_FEATURE___CHECK_REREADS")
        && !cfg("CARGO_CFG_MIRI");
    if cfg("CARGO_CFG_FUZZING") || debug_check {
        println!("cargo::rustc-cfg=check_rereads");
    }
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let root = Path::new(&manifest);
    // The published package (a user's dependency) has no tests to gate: nothing to look at.
    if !root.join(".ci/run").is_file() {
        return;
    }
    if root.join("../shared").is_dir() {
        println!("cargo::rustc-cfg=has_shared");
    } else if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but ../shared is missing (the tests need Tencent's published examples)");
    }
}
