// Finds `nats-server` for the broker tests: with it they run (cfg `has_nats_server`, its path
// in `TIM_NATS_SERVER`); without it they show as ignored, except in this repository's CI
// (`CI=true` beside `.ci/run`), where a missing server is an error. A server installed
// later is seen once `PATH` or `TIM_NATS_SERVER` changes, or after `cargo clean`.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_nats_server)");
    println!("cargo::rerun-if-env-changed=TIM_NATS_SERVER");
    println!("cargo::rerun-if-env-changed=CI");
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(path) = std::env::var_os("TIM_NATS_SERVER") {
        candidates.push(path.into());
    }
    if let Some(paths) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&paths).map(|dir| dir.join("nats-server")));
    }
    candidates.extend(["/usr/sbin/nats-server", "/usr/bin/nats-server"].map(PathBuf::from));
    println!("cargo::rerun-if-env-changed=PATH");
    match candidates.iter().find(|path| path.is_file()) {
        Some(server) => {
            println!("cargo::rerun-if-changed={}", server.display());
            println!("cargo::rustc-cfg=has_nats_server");
            println!("cargo::rustc-env=TIM_NATS_SERVER={}", server.display());
        }
        None => {
            let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
            let in_repo = Path::new(&manifest).join("../.ci/run").is_file();
            if in_repo && std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true but nats-server is not installed (apt-get install nats-server)");
            }
        }
    }
}
