//! Test support for the tim-callback workspace, in one crate so that the core's tests,
//! benchmarks, examples and fuzz targets, the axum tests and the CLI tests share it without
//! including each other's files. Not published.
//!
//! - [`model`]: the serde reference model of every event, for differential tests.
//! - [`mirror`] and [`checksum`]: the benchmark's serde mirror of every event and the
//!   serializer that reads any result in full.
//! - [`traffic`] and [`workloads`]: the benchmark's generated traffic and named workloads.
//! - [`nats_server`]: a real `nats-server` with JetStream on loopback.
#![allow(missing_docs)]

pub mod checksum;
#[macro_use]
pub mod mirror;
pub mod model;
pub mod nats_server;
pub mod traffic;
pub mod workloads;

use std::path::{Path, PathBuf};

/// The repository's root (the core's package): the testkit is its `testkit/` folder.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}
