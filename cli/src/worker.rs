//! `tim-callback worker`: the reference worker. It takes events from the stream with a durable
//! pull consumer, parses each in place with the core, prints it, and acknowledges it only once
//! the line is written; with `--decide`, it also answers the gateways' decision requests.

use std::cell::Cell;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use async_nats::jetstream::AckKind;
use async_nats::jetstream::consumer::{AckPolicy, pull};
use futures_util::StreamExt;
use tim_callback_axum::nats::{
    COMMAND_HEADER, Nats, NatsOptions, envelope_header, serve_decisions,
};
use tim_callback_axum::{Gateway, TimConfig};

use crate::Format;
use crate::alloc_count::allocations;
use crate::serve::{LogFormat, init_logs, read_lines, read_words, shutdown};

/// `tim-callback worker`.
#[derive(clap::Args)]
pub struct Args {
    /// The NATS servers the gateways publish to, comma-separated.
    #[arg(long, env = "TIM_NATS", value_name = "URL")]
    nats: String,
    /// How many servers hold the stream, when the worker creates it (as serve --nats-replicas).
    #[arg(long, default_value_t = 1, value_name = "N",
          value_parser = clap::value_parser!(u8).range(1..=5))]
    nats_replicas: u8,
    /// The JetStream stream (created when missing, as the gateway would).
    #[arg(long, default_value = "TIM", value_name = "NAME")]
    stream: String,
    /// The first token of every NATS subject (the gateways' --nats-prefix).
    #[arg(long, default_value = "tim", value_name = "TOKEN")]
    prefix: String,
    /// The durable consumer's name: workers with the same name share the events, and a
    /// worker started again goes on where its name left off.
    #[arg(long, default_value = "tim-worker", value_name = "NAME")]
    durable: String,
    /// How long an event handed to a worker may stay unacknowledged before the broker hands
    /// it to another (a worker that died holding it).
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    ack_wait: u64,
    /// Output format, one line per event on standard output.
    #[arg(long, value_enum, default_value = "summary")]
    format: Format,
    /// Also answer the gateways' decision requests (serve --decide nats): allow, or with
    /// --mask-words the masked message, with --blocked-accounts a denial or refusal.
    #[arg(long)]
    decide: bool,
    /// The queue group of deciding workers (each request goes to one of them).
    #[arg(long, default_value = "tim-deciders", value_name = "NAME")]
    queue: String,
    /// With --decide: the words to mask, one per line (as serve --mask-words).
    #[arg(long, value_name = "FILE", requires = "decide")]
    mask_words: Option<PathBuf>,
    /// With --decide: blocked accounts, one per line (as serve --blocked-accounts): friend
    /// requests from or to one are denied, blocked invitees refused.
    #[arg(long, value_name = "FILE", requires = "decide")]
    blocked_accounts: Option<PathBuf>,
    /// Log line format (on standard error).
    #[arg(long, value_enum, default_value = "text")]
    log_format: LogFormat,
}

/// What one run handled (read at the end however the run ends).
#[derive(Default)]
struct Tally {
    events: Cell<u64>,
    malformed: Cell<u64>,
    parse_allocations: Cell<u64>,
}

fn add(counter: &Cell<u64>, n: u64) {
    counter.set(counter.get() + n);
}

pub fn run(args: Args) -> std::io::Result<ExitCode> {
    // The tally reports allocations in parsing.
    crate::alloc_count::enable();
    let _guard = init_logs(args.log_format);
    // One thread: the parse of each event is synchronous, so the allocation counter read
    // around it counts that parse alone.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let options = NatsOptions::new(&args.nats)
            .stream(&args.stream)
            .prefix(&args.prefix)
            .replicas(usize::from(args.nats_replicas));
        let nats = Nats::connect(options)
            .await
            .map_err(std::io::Error::other)?;
        if args.decide {
            let mut gateway = Gateway::new(TimConfig::new(0));
            if let Some(path) = &args.mask_words {
                gateway = gateway.mask_words(read_words(path)?);
            }
            if let Some(path) = &args.blocked_accounts {
                gateway = gateway.block_accounts(read_lines(path, "blocking accounts")?);
            }
            let client = nats.client().clone();
            let (prefix, queue) = (args.prefix.clone(), args.queue.clone());
            tokio::spawn(async move {
                let decide = move |cb: &_| gateway.decide(cb).0;
                if let Err(e) = serve_decisions(client, &prefix, &queue, decide).await {
                    tracing::error!(error = %e, "decisions stopped");
                }
            });
        }
        let tally = Tally::default();
        let result = tokio::select! {
            result = consume(&nats, &args, &tally) => result,
            () = shutdown() => Ok(()),
        };
        eprintln!(
            "tim-callback worker: {} events, {} malformed, {} allocations in parsing",
            tally.events.get(),
            tally.malformed.get(),
            tally.parse_allocations.get()
        );
        result.map(|()| ExitCode::SUCCESS)
    })
}

/// Takes events until the consumer ends (the broker deleted it).
async fn consume(nats: &Nats, args: &Args, tally: &Tally) -> std::io::Result<()> {
    let stream = loop {
        match nats.ensure_stream().await {
            Ok(stream) => break stream,
            Err(e) => {
                tracing::warn!(error = %e, "waiting for the stream");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    };
    let config = pull::Config {
        durable_name: Some(args.durable.clone()),
        ack_policy: AckPolicy::Explicit,
        ack_wait: Duration::from_secs(args.ack_wait),
        ..Default::default()
    };
    let consumer = stream
        .get_or_create_consumer(&args.durable, config)
        .await
        .map_err(std::io::Error::other)?;
    let mut messages = consumer.messages().await.map_err(std::io::Error::other)?;
    eprintln!(
        "tim-callback worker: consuming {} as {}",
        args.stream, args.durable
    );
    // One buffer for every event: after the first few, parsing allocates nothing.
    let mut buffer: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut out = std::io::stdout().lock();
    while let Some(message) = messages.next().await {
        let message = match message {
            Ok(message) => message,
            Err(e) => {
                tracing::warn!(error = %e, "consumer");
                continue;
            }
        };
        let command = envelope_header(message.headers.as_ref(), COMMAND_HEADER);
        buffer.clear();
        buffer.extend_from_slice(&message.payload);
        let before = allocations();
        let parsed = tim_callback::parse_as(command, &mut buffer);
        add(&tally.parse_allocations, allocations() - before);
        let line = match parsed {
            Ok(callback) => match args.format {
                Format::Json => serde_json::to_string(&callback)?,
                Format::Summary => crate::inspect::describe(&callback, message.payload.len())?,
            },
            Err(error) => {
                // The gateway published it after the same parse: only another publisher's
                // message gets here. It is terminated, not redelivered forever.
                tracing::error!(subject = %message.subject, %error, "malformed event");
                add(&tally.malformed, 1);
                message
                    .ack_with(AckKind::Term)
                    .await
                    .map_err(std::io::Error::other)?;
                continue;
            }
        };
        writeln!(out, "{line}")?;
        out.flush()?;
        // Acknowledged only once handled: a worker that dies before this line leaves the
        // event to be delivered again.
        message.ack().await.map_err(std::io::Error::other)?;
        add(&tally.events, 1);
    }
    Ok(())
}
