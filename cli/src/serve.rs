//! `tim-callback serve`: the gateway of `tim-callback-axum` on a socket.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use std::time::Duration;

use tim_callback_axum::nats::{Nats, NatsOptions, SpoolOptions};
use tim_callback_axum::{DEFAULT_MAX_BODY, Gateway, TimConfig};

/// `tim-callback serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free one; the address is printed).
    #[arg(
        long,
        env = "TIM_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR"
    )]
    listen: SocketAddr,
    /// The app's SdkAppid: callbacks naming another are refused (403).
    #[arg(long, env = "TIM_APP_ID", value_name = "ID")]
    app_id: u64,
    /// The console's callback token: with it, Sign and RequestTime are verified (401 when
    /// wrong, missing or older than the replay window).
    #[arg(long, env = "TIM_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// A file holding the token (one line), instead of --token: not visible in `ps` or in the
    /// environment of the process.
    #[arg(
        long,
        env = "TIM_TOKEN_FILE",
        value_name = "FILE",
        conflicts_with = "token"
    )]
    token_file: Option<PathBuf>,
    /// Seconds a RequestTime may be away from this machine's clock.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    replay_window: u64,
    /// Largest body accepted (413 above it).
    #[arg(long, default_value_t = DEFAULT_MAX_BODY, value_name = "BYTES")]
    max_body: usize,
    /// A file of words, one per line: each character of a listed word in the text of C2C and
    /// group before-send messages is replaced by `*`, and the answer carries the new MsgBody.
    #[arg(long, value_name = "FILE")]
    mask_words: Option<PathBuf>,
    /// A file of blocked accounts (UserIDs), one per line: friend requests from or to one are
    /// denied for that target (ResultItem, code 38000) and blocked invitees are refused
    /// (RefusedMembers_Account).
    #[arg(long, value_name = "FILE")]
    blocked_accounts: Option<PathBuf>,
    /// Append every callback received (time, query string, body) and the answer given to this
    /// file, one JSON line each, for `send --replay`. It holds message texts and accounts:
    /// personal data, written readable by its owner only.
    #[arg(long, env = "TIM_RECORD", value_name = "FILE")]
    record: Option<PathBuf>,
    /// Rotate the record file when it passes this many bytes (FILE.1 the newest rotated).
    #[arg(long, default_value_t = 256 << 20, value_name = "BYTES")]
    record_max: u64,
    /// Rotated record files kept.
    #[arg(long, default_value_t = 4, value_name = "N")]
    record_keep: u32,
    /// Log line format (one line per callback, on standard error; RUST_LOG filters them).
    #[arg(long, value_enum, default_value = "text")]
    log_format: LogFormat,
    /// NATS servers, comma-separated (e.g. nats://127.0.0.1:4222): each after-callback is published to a
    /// JetStream stream and answered 200 once the broker acknowledged it or it waits in the
    /// buffer; 503 when the buffer is full.
    #[arg(long, env = "TIM_NATS", value_name = "URL")]
    nats: Option<String>,
    /// How many servers of the cluster hold the stream, when the gateway creates it (1 to 5;
    /// 3 survives the loss of a server).
    #[arg(long, default_value_t = 1, value_name = "N", requires = "nats",
          value_parser = clap::value_parser!(u8).range(1..=5))]
    nats_replicas: u8,
    /// The JetStream stream (created when missing, subjects PREFIX.event.>, PREFIX being --nats-prefix).
    #[arg(long, default_value = "TIM", value_name = "NAME", requires = "nats")]
    nats_stream: String,
    /// The first token of every NATS subject.
    #[arg(long, default_value = "tim", value_name = "TOKEN", requires = "nats")]
    nats_prefix: String,
    /// How many events may wait for the broker's acknowledgement at once.
    #[arg(
        long,
        default_value_t = 10_000,
        value_name = "EVENTS",
        requires = "nats"
    )]
    nats_buffer: usize,
    /// How long an answer waits for the broker's acknowledgement before it says 200 with the
    /// event still buffered.
    #[arg(long, default_value_t = 1000, value_name = "MS", requires = "nats",
          value_parser = clap::value_parser!(u64).range(1..=1900))]
    publish_wait: u64,
    /// A directory for the spool: every after-callback is written to it and synced to disk
    /// before it is answered 200, then published from there (also after a crash or restart);
    /// 503 only when it is full or its disk fails. Without it, events wait in memory.
    #[arg(long, env = "TIM_SPOOL", value_name = "DIR", requires = "nats")]
    spool: Option<PathBuf>,
    /// The most the spool may hold (event bytes); past it callbacks are answered 503.
    #[arg(long, env = "TIM_SPOOL_MAX", default_value_t = 1 << 30, value_name = "BYTES",
          requires = "spool")]
    spool_max: u64,
    /// Who answers before-callbacks: this gateway (allow, or --mask-words), or workers over
    /// NATS request-reply (tim-callback worker --decide), with this gateway's answer when
    /// none replies within --decide-budget.
    #[arg(long, value_enum, default_value = "local", requires_if("nats", "nats"))]
    decide: Decide,
    /// How long a decision may take before the gateway answers itself (at most 1900 ms:
    /// Tencent waits 2 s).
    #[arg(long, default_value_t = 1500, value_name = "MS",
          value_parser = clap::value_parser!(u64).range(1..=1900))]
    decide_budget: u64,
}

/// Who answers before-callbacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Decide {
    /// The gateway itself.
    Local,
    /// Workers, over NATS request-reply.
    Nats,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable.
    Text,
    /// One JSON object per line.
    Json,
}

/// Log lines on standard error, written by a thread of their own through a buffer it flushes
/// whenever it has caught up: under load many lines go in one write, and no request waits for
/// one. Dropping the guard flushes what is left.
pub fn init_logs(format: LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        // The NATS client's own lines repeat what the gateway logs of its connection.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,async_nats=warn"));
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::BufWriter::new(std::io::stderr()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
    guard
}

pub fn run(args: Args) -> std::io::Result<ExitCode> {
    let _guard = init_logs(args.log_format);

    let mut config = TimConfig::new(args.app_id)
        .max_body(args.max_body)
        .replay_window(args.replay_window);
    let token = crate::secret::token(args.token.as_deref(), args.token_file.as_ref())?;
    if let Some(token) = &token {
        config = config.token(token.clone());
    }
    let mut gateway = Gateway::new(config);
    if let Some(path) = &args.mask_words {
        gateway = gateway.mask_words(read_words(path)?);
    }
    if let Some(path) = &args.blocked_accounts {
        gateway = gateway.block_accounts(read_lines(path, "blocking accounts")?);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        if let Some(url) = &args.nats {
            let mut options = NatsOptions::new(url)
                .stream(&args.nats_stream)
                .prefix(&args.nats_prefix)
                .buffer(args.nats_buffer)
                .replicas(usize::from(args.nats_replicas))
                .publish_wait(Duration::from_millis(args.publish_wait));
            if args.decide == Decide::Nats {
                options = options.decide(Duration::from_millis(args.decide_budget));
            }
            if let Some(dir) = &args.spool {
                options = options.spool(SpoolOptions::new(dir, args.spool_max));
            }
            let nats = Nats::connect(options)
                .await
                .map_err(std::io::Error::other)?;
            tracing::info!(
                url,
                spool = args.spool.as_ref().map(|d| d.display().to_string()),
                stream = args.nats_stream,
                prefix = args.nats_prefix,
                decide = ?args.decide,
                "handing events to NATS"
            );
            gateway = gateway.nats(nats);
        }
        let listener = tokio::net::TcpListener::bind(args.listen).await?;
        let addr = listener.local_addr()?;
        // Printed before any log line so that scripts can read the port they asked for.
        eprintln!("tim-callback listening on http://{addr}");
        tracing::info!(
            %addr,
            app_id = args.app_id,
            signed = token.is_some(),
            max_body = args.max_body,
            "serving callbacks"
        );
        let mut router = gateway.router();
        if let Some(path) = &args.record {
            let options = crate::record::RecordOptions {
                path: path.clone(),
                max_bytes: args.record_max,
                keep: args.record_keep,
            };
            let recorder = crate::record::Recorder::start(options, args.max_body)?;
            router = router.layer(axum::middleware::from_fn_with_state(
                recorder,
                crate::record::record,
            ));
            tracing::info!(file = %path.display(), "recording callbacks");
        }
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown())
            .await?;
        tracing::info!("stopped: every request in flight was answered");
        Ok(ExitCode::SUCCESS)
    })
}

/// The words of a mask-words file: one per line, trimmed, empty lines skipped.
pub fn read_words(path: &std::path::Path) -> std::io::Result<Vec<String>> {
    read_lines(path, "masking words")
}

/// The lines of a list file (words, accounts): trimmed, empty lines skipped; logged as `what`.
pub fn read_lines(path: &std::path::Path, what: &str) -> std::io::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    tracing::info!(entries = lines.len(), file = %path.display(), "{what}");
    Ok(lines)
}

/// Resolves on Ctrl-C or SIGTERM; axum then stops accepting and finishes what is in flight.
pub async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: shutting down"),
        () = term => tracing::info!("SIGTERM: shutting down"),
    }
}
