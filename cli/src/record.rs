//! `serve --record FILE`: every callback received and the answer given, one NDJSON line each,
//! for `send --replay`. The file holds message texts and account names: personal data.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::mpsc;

/// One recorded exchange, as a line of the record file.
pub struct Exchange {
    /// When the request arrived, in milliseconds since the Unix epoch.
    pub time_ms: u64,
    /// The query string as received, without the `?`.
    pub query: String,
    pub body: bytes::Bytes,
    pub status: u16,
    pub answer: bytes::Bytes,
}

impl Exchange {
    /// The NDJSON line: a body that is not UTF-8 goes as `body_hex` instead of `body`.
    pub fn to_line(&self) -> String {
        let mut line = json!({"time_ms": self.time_ms, "query": self.query, "status": self.status});
        match std::str::from_utf8(&self.body) {
            Ok(text) => line["body"] = json!(text),
            Err(_) => line["body_hex"] = json!(hex(&self.body)),
        }
        line["answer"] = json!(String::from_utf8_lossy(&self.answer));
        line.to_string()
    }

    /// An exchange from a line `to_line` wrote.
    pub fn from_line(line: &str) -> Result<Exchange, String> {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let text = |k: &str| v.get(k).and_then(|x| x.as_str());
        let body = match (text("body"), text("body_hex")) {
            (Some(b), _) => b.as_bytes().to_vec(),
            (None, Some(h)) => unhex(h).ok_or("body_hex is not hex")?,
            (None, None) => return Err("no body".into()),
        };
        Ok(Exchange {
            time_ms: v
                .get("time_ms")
                .and_then(|x| x.as_u64())
                .ok_or("no time_ms")?,
            query: text("query").ok_or("no query")?.to_owned(),
            body: body.into(),
            status: v
                .get("status")
                .and_then(|x| x.as_u64())
                .and_then(|s| u16::try_from(s).ok())
                .ok_or("no status")?,
            answer: bytes::Bytes::copy_from_slice(text("answer").unwrap_or_default().as_bytes()),
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let t = text.as_bytes();
    if !t.len().is_multiple_of(2) {
        return None;
    }
    t.chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect()
}

/// Where and how much is kept.
#[derive(Clone, Debug)]
pub struct RecordOptions {
    pub path: PathBuf,
    /// Rotate when the file passes this many bytes.
    pub max_bytes: u64,
    /// Rotated files kept (FILE.1 the newest … FILE.N).
    pub keep: u32,
}

/// Exchanges waiting for the writer at most: past them (a disk that cannot keep up), callbacks
/// are still answered but not recorded, and the log says how many were left out.
const QUEUE: usize = 65_536;

/// The recorder the middleware hands exchanges to; a thread writes them.
#[derive(Clone)]
pub struct Recorder {
    tx: mpsc::Sender<Exchange>,
    max_body: usize,
    left_out: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Recorder {
    /// Opens (appends to) the record file, readable by its owner only, and starts the writer.
    pub fn start(options: RecordOptions, max_body: usize) -> std::io::Result<Recorder> {
        let file = open(&options.path)?;
        let size = file.metadata()?.len();
        let (tx, rx) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("tim-record".into())
            .spawn(move || write_all(rx, file, size, &options))?;
        Ok(Recorder {
            tx,
            max_body,
            left_out: Default::default(),
        })
    }
}

impl Recorder {
    /// Queues `exchange` for the writer; when the queue is full, counts it as left out and says
    /// so in the log now and then (the 1st, 2nd, 4th, 8th… time), never once per callback.
    fn hand_over(&self, exchange: Exchange) {
        if self.tx.try_send(exchange).is_err() {
            let n = 1 + self
                .left_out
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if n.is_power_of_two() {
                tracing::warn!(
                    left_out = n,
                    "the record file's writer is behind: callbacks left out of it"
                );
            }
        }
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("--record {}: {e}", path.display())))
}

fn rotate(options: &RecordOptions) -> std::io::Result<()> {
    let named = |i: u32| PathBuf::from(format!("{}.{i}", options.path.display()));
    if options.keep == 0 {
        return std::fs::remove_file(&options.path);
    }
    let _ = std::fs::remove_file(named(options.keep));
    for i in (1..options.keep).rev() {
        if named(i).exists() {
            std::fs::rename(named(i), named(i + 1))?;
        }
    }
    std::fs::rename(&options.path, named(1))
}

fn write_all(mut rx: mpsc::Receiver<Exchange>, file: File, mut size: u64, options: &RecordOptions) {
    let mut out = std::io::BufWriter::new(file);
    while let Some(first) = rx.blocking_recv() {
        let mut next = Some(first);
        while let Some(exchange) = next {
            let mut line = exchange.to_line();
            line.push('\n');
            if size > 0 && size + line.len() as u64 > options.max_bytes {
                let rotated = out
                    .flush()
                    .and_then(|()| rotate(options))
                    .and_then(|()| open(&options.path));
                match rotated {
                    Ok(file) => {
                        out = std::io::BufWriter::new(file);
                        size = 0;
                    }
                    Err(e) => tracing::error!(error = %e, "rotating the record file"),
                }
            }
            if let Err(e) = out.write_all(line.as_bytes()) {
                tracing::error!(error = %e, "writing the record file");
            }
            size += line.len() as u64;
            next = rx.try_recv().ok();
        }
        // Everything that arrived together is on its way to the file before waiting again.
        if let Err(e) = out.flush() {
            tracing::error!(error = %e, "writing the record file");
        }
    }
    let _ = out.flush();
}

/// The middleware: records each POST and the answer it got.
pub async fn record(State(recorder): State<Recorder>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let time_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let query = request.uri().query().unwrap_or_default().to_owned();
    let (parts, body) = request.into_parts();
    // One byte over the limit still reaches the gateway, which answers 413 as it would.
    let Ok(bytes) = axum::body::to_bytes(body, recorder.max_body.saturating_add(1)).await else {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let (parts, body) = response.into_parts();
    let answer = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let exchange = Exchange {
        time_ms,
        query,
        body: bytes,
        status: parts.status.as_u16(),
        answer: answer.clone(),
    };
    recorder.hand_over(exchange);
    Response::from_parts(parts, Body::from(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(body: &[u8]) -> Exchange {
        Exchange {
            time_ms: 1_765_000_000_123,
            query: "SdkAppid=1&CallbackCommand=State.StateChange".into(),
            body: bytes::Bytes::copy_from_slice(body),
            status: 400,
            answer: bytes::Bytes::from_static(br#"{"ActionStatus":"FAIL"}"#),
        }
    }

    #[test]
    fn a_line_reads_back_as_the_exchange_it_was_bodies_not_utf8_as_hex() {
        for body in [&b"{\"a\":\"\xe4\xbd\xa0\"}"[..], b"{\"a\":\"\xff\"}", b""] {
            let line = exchange(body).to_line();
            assert!(!line.contains('\n'));
            assert_eq!(
                line.contains("body_hex"),
                std::str::from_utf8(body).is_err(),
                "{line}"
            );
            let back = Exchange::from_line(&line).unwrap();
            assert_eq!(back.body, body);
            assert_eq!((back.time_ms, back.status), (1_765_000_000_123, 400));
            assert_eq!(back.query, exchange(body).query);
            assert_eq!(back.answer, exchange(body).answer);
        }
        assert!(
            Exchange::from_line(r#"{"time_ms":1,"query":"","status":200,"body_hex":"f"}"#).is_err()
        );
        assert!(Exchange::from_line(r#"{"time_ms":1,"query":"","status":200}"#).is_err());
    }

    #[test]
    fn a_full_queue_leaves_exchanges_out_and_counts_them() {
        let (tx, _rx) = mpsc::channel(2);
        let recorder = Recorder {
            tx,
            max_body: 1024,
            left_out: Default::default(),
        };
        for _ in 0..5 {
            recorder.hand_over(exchange(b"{}"));
        }
        assert_eq!(
            recorder.left_out.load(std::sync::atomic::Ordering::Relaxed),
            3
        );
    }
}
