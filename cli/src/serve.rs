//! `tim-callback serve`: the gateway of `tim-callback-axum` on a socket.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
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
    /// Log line format (one line per callback, on standard error; RUST_LOG filters them).
    #[arg(long, value_enum, default_value = "text")]
    log_format: LogFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    /// Human-readable.
    Text,
    /// One JSON object per line.
    Json,
}

pub fn run(args: Args) -> std::io::Result<ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Log lines are written by a thread of their own, through a buffer it flushes whenever it
    // has caught up: under load many lines go in one write, and no request waits for one.
    // Dropping the guard at the end of `run` flushes what is left.
    let (writer, _guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::BufWriter::new(std::io::stderr()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    match args.log_format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }

    let mut config = TimConfig::new(args.app_id)
        .max_body(args.max_body)
        .replay_window(args.replay_window);
    if let Some(token) = &args.token {
        config = config.token(token.clone());
    }
    let mut gateway = Gateway::new(config);
    if let Some(path) = &args.mask_words {
        let text = std::fs::read_to_string(path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        let words: Vec<String> = text
            .lines()
            .map(|l| l.trim().to_owned())
            .filter(|w| !w.is_empty())
            .collect();
        tracing::info!(words = words.len(), file = %path.display(), "masking words");
        gateway = gateway.mask_words(words);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen).await?;
        let addr = listener.local_addr()?;
        // Printed before any log line so that scripts can read the port they asked for.
        eprintln!("tim-callback listening on http://{addr}");
        tracing::info!(
            %addr,
            app_id = args.app_id,
            signed = args.token.is_some(),
            max_body = args.max_body,
            "serving callbacks"
        );
        axum::serve(listener, gateway.router())
            .with_graceful_shutdown(shutdown())
            .await?;
        tracing::info!("stopped: every request in flight was answered");
        Ok(ExitCode::SUCCESS)
    })
}

/// Resolves on Ctrl-C or SIGTERM; axum then stops accepting and finishes what is in flight.
async fn shutdown() {
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
