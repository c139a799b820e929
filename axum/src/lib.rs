#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod config;
mod extract;
mod gateway;
mod metrics;
#[cfg(feature = "nats")]
pub mod nats;
mod rejection;
mod response;

pub use config::{DEFAULT_MAX_BODY, TimConfig};
pub use extract::TimCallback;
pub use gateway::{BLOCKED_CODE, Gateway};
pub use metrics::{Metrics, Outcome};
pub use rejection::TimRejection;
pub use response::TimAnswer;
