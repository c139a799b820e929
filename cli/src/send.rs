//! `tim-callback send`: POST bodies the way Tencent does; status codes and latency
//! percentiles. A way to test an endpoint, and the load generator of the gateway benchmark.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::Inputs;
use crate::input;

/// `tim-callback send`.
#[derive(clap::Args)]
pub struct Args {
    /// The endpoint, e.g. http://127.0.0.1:8080/tim (Tencent's parameters are appended to
    /// its query string).
    #[arg(long, value_name = "URL")]
    url: String,
    /// SdkAppid sent in the query string.
    #[arg(long, env = "TIM_APP_ID", default_value_t = 888888, value_name = "ID")]
    app_id: u64,
    /// Callback token: signs each request (RequestTime = now, Sign = sha256(token + time)).
    #[arg(long, env = "TIM_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// A file holding the token (one line), instead of --token.
    #[arg(
        long,
        env = "TIM_TOKEN_FILE",
        value_name = "FILE",
        conflicts_with = "token"
    )]
    token_file: Option<std::path::PathBuf>,
    /// Requests per second, spread evenly (latency counted from each request's scheduled
    /// time); 0 sends as fast as the connections allow.
    #[arg(long, default_value_t = 0, value_name = "N")]
    rate: u64,
    /// Requests in all, cycling through the bodies (default: each body once).
    #[arg(long, value_name = "N")]
    count: Option<usize>,
    /// Requests in flight at once (each on its own keep-alive connection).
    #[arg(long, default_value_t = 8, value_name = "N")]
    concurrency: usize,
    /// Print each answer (status and body) as it arrives.
    #[arg(long)]
    show: bool,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    inputs: Inputs,
}

struct Outcome {
    status: Option<u16>,
    /// Why no answer came: the error and its causes.
    error: Option<String>,
    latency: Duration,
}

/// `e` and every error beneath it, joined: reqwest's own message ("error sending request")
/// hides the cause ("Connection refused") a level down.
fn causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        next = cause.source();
    }
    text
}

/// The URL, if `send` can post to it: plain HTTP only, said before anything is sent.
fn check_url(url: &str) -> std::io::Result<()> {
    let invalid = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, why);
    let parsed = reqwest::Url::parse(url).map_err(|e| {
        invalid(format!(
            "--url {url}: {e} (write it as http://HOST:PORT/PATH)"
        ))
    })?;
    match parsed.scheme() {
        "http" => Ok(()),
        "https" => Err(invalid(format!(
            "--url {url}: send speaks plain HTTP only (no TLS): point it at the gateway's own \
             port, e.g. http://127.0.0.1:8080/tim"
        ))),
        other => Err(invalid(format!("--url {url}: scheme {other}: is not http"))),
    }
}

pub fn run(args: Args) -> std::io::Result<ExitCode> {
    let token = crate::secret::token(args.token.as_deref(), args.token_file.as_ref())?;
    check_url(&args.url)?;
    let bodies = input::read(&args.inputs)?;
    let mut prepared = Vec::with_capacity(bodies.len());
    let mut skipped = 0;
    for body in &bodies {
        // A body without a command cannot be sent as Tencent would: reported and skipped.
        match tim_callback::sniff(&body.bytes) {
            Ok(command) => {
                let bytes = bytes::Bytes::copy_from_slice(&body.bytes);
                prepared.push((command.as_str().to_owned(), bytes));
            }
            Err(e) => {
                eprintln!("error: {}:{}: {e}; skipped", body.source, body.line);
                skipped += 1;
            }
        }
    }
    if prepared.is_empty() {
        return Err(std::io::Error::other("no bodies to send"));
    }
    let count = args.count.unwrap_or(prepared.len());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (outcomes, elapsed) =
        runtime.block_on(send_all(&args, token, Arc::new(prepared), count))?;
    let code = print_summary(&args, &outcomes, elapsed);
    if skipped > 0 {
        eprintln!("{skipped} of {} bodies skipped", bodies.len());
        return Ok(ExitCode::FAILURE);
    }
    Ok(code)
}

async fn send_all(
    args: &Args,
    token: Option<String>,
    bodies: Arc<Vec<(String, bytes::Bytes)>>,
    count: usize,
) -> std::io::Result<(Vec<Outcome>, Duration)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .map_err(std::io::Error::other)?;
    let separator = if args.url.contains('?') { '&' } else { '?' };
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (client, bodies, next) = (client.clone(), bodies.clone(), next.clone());
        let (url, app_id, token, rate, show) = (
            args.url.clone(),
            args.app_id,
            token.clone(),
            args.rate,
            args.show,
        );
        workers.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let scheduled = if rate > 0 {
                    let at = start + Duration::from_secs_f64(i as f64 / rate as f64);
                    tokio::time::sleep_until(at.into()).await;
                    at
                } else {
                    Instant::now()
                };
                let (command, body) = &bodies[i % bodies.len()];
                let mut target = format!(
                    "{url}{separator}SdkAppid={app_id}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
                );
                if let Some(token) = &token {
                    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
                    let sign = tim_callback::sign::sign(token, now);
                    target.push_str(&format!("&RequestTime={now}&Sign={sign}"));
                }
                let result = client
                    .post(&target)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                let (status, error) = match result {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let text = response.text().await.unwrap_or_default();
                        if show {
                            println!("{status} {command} {text}");
                        }
                        (Some(status), None)
                    }
                    Err(e) => {
                        // Without the URL, which differs per request (the query); the summary
                        // names the URL once.
                        let why = causes(&e.without_url());
                        if show {
                            println!("error {command} {why}");
                        }
                        (None, Some(why))
                    }
                };
                outcomes.push(Outcome { status, error, latency: scheduled.elapsed() });
            }
            outcomes
        }));
    }
    let mut outcomes = Vec::with_capacity(count);
    for worker in workers {
        outcomes.extend(worker.await.map_err(std::io::Error::other)?);
    }
    Ok((outcomes, start.elapsed()))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn print_summary(args: &Args, outcomes: &[Outcome], elapsed: Duration) -> ExitCode {
    let mut statuses = BTreeMap::<String, usize>::new();
    let mut errors = BTreeMap::<&str, usize>::new();
    for o in outcomes {
        if let Some(why) = &o.error {
            *errors.entry(why).or_default() += 1;
        }
        let key = o
            .status
            .map_or_else(|| "error".to_owned(), |s| s.to_string());
        *statuses.entry(key).or_default() += 1;
    }
    let mut latencies: Vec<Duration> = outcomes.iter().map(|o| o.latency).collect();
    latencies.sort_unstable();
    let per_second = outcomes.len() as f64 / elapsed.as_secs_f64().max(1e-9);
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let (p50, p90, p99) = (
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
    );
    let max = latencies.last().copied().unwrap_or_default();
    if args.json {
        let json = serde_json::json!({
            "count": outcomes.len(),
            "seconds": elapsed.as_secs_f64(),
            "per_second": per_second,
            "statuses": statuses,
            "errors": errors,
            "p50_us": us(p50), "p90_us": us(p90), "p99_us": us(p99), "max_us": us(max),
        });
        println!("{json}");
    } else {
        println!(
            "sent {} callbacks in {:.2} s ({per_second:.0}/s, {} at once)",
            outcomes.len(),
            elapsed.as_secs_f64(),
            args.concurrency
        );
        let listed: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}: {n}")).collect();
        println!("status {}", listed.join(", "));
        for (why, n) in &errors {
            println!("error ({n}) posting to {}: {why}", args.url);
        }
        println!(
            "latency p50 {:.0} µs, p90 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
            us(p50),
            us(p90),
            us(p99),
            us(max)
        );
    }
    let all_ok = outcomes.iter().all(|o| o.status == Some(200));
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
