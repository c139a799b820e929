//! [axum](https://docs.rs/axum) integration for [`tim_callback`]: an extractor that takes
//! Tencent Cloud IM's callback POSTs, checks and parses them, typed answers as responses, and
//! a ready [`Gateway`].
//!
//! ```no_run
//! use axum::Router;
//! use tim_callback::Callback;
//! use tim_callback_axum::{TimAnswer, TimCallback, TimConfig};
//!
//! async fn handle(cb: TimCallback) -> TimAnswer {
//!     match cb.callback() {
//!         Callback::C2cBeforeSendMsg(msg) if msg.from_account == "blocked" => {
//!             cb.answer().reject().map_or_else(|_| cb.answer().into(), TimAnswer::from)
//!         }
//!         _ => cb.answer().into(),
//!     }
//! }
//!
//! # async fn run() -> std::io::Result<()> {
//! let config = TimConfig::new(1400000000).token("console-callback-token");
//! let app = Router::new().fallback(handle).with_state(config);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await
//! # }
//! ```
//!
//! Status codes of refused callbacks ([`TimRejection`]): bad, missing or stale signature
//! 401; wrong `SdkAppid` 403; malformed query or body, or a body naming another command than
//! the query, 400 with the parser's message; body over the limit 413; not POST 405. An
//! unknown command is not refused: its default answer is allow.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod config;
mod extract;
mod gateway;
mod metrics;
mod rejection;
mod response;

pub use config::{DEFAULT_MAX_BODY, TimConfig};
pub use extract::TimCallback;
pub use gateway::Gateway;
pub use metrics::{Metrics, Outcome};
pub use rejection::TimRejection;
pub use response::TimAnswer;
