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
    /// time); 0 sends as fast as the connections allow (with --replay: at the recorded pace).
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
    /// The labels `tim-callback gen` wrote for these bodies (--labels): each body is sent
    /// with its label's command, and the summary counts valid bodies not answered 200 and
    /// invalid ones not refused with a 4xx.
    #[arg(long, value_name = "FILE", conflicts_with = "replay")]
    labels: Option<std::path::PathBuf>,
    /// Post again what `serve --record` recorded in FILE: each body with its original query
    /// (Sign and RequestTime made afresh with --token, dropped without), at the recorded pace
    /// unless --rate says otherwise; the summary counts answers that differ from the recorded.
    #[arg(long, value_name = "FILE", conflicts_with = "files")]
    replay: Option<std::path::PathBuf>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    inputs: Inputs,
}

struct Outcome {
    status: Option<u16>,
    /// From the labels: whether the body was valid.
    valid: Option<bool>,
    /// In a replay: whether the answer was the recorded one.
    same: Option<bool>,
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

/// One request to send.
struct Prepared {
    command: String,
    /// The query string without `RequestTime` and `Sign`.
    query: String,
    body: bytes::Bytes,
    /// From the labels: whether the body is valid.
    valid: Option<bool>,
    /// From a record: when it was sent after the first, and the answer it got then.
    recorded: Option<(Duration, u16, bytes::Bytes)>,
}

/// A query string without its `RequestTime` and `Sign`, which a replay makes afresh.
fn unsigned(query: &str) -> String {
    query
        .split('&')
        .filter(|p| !p.starts_with("RequestTime=") && !p.starts_with("Sign=") && !p.is_empty())
        .collect::<Vec<_>>()
        .join("&")
}

fn read_labels(path: &std::path::Path) -> std::io::Result<Vec<(String, bool)>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| std::io::Error::other(format!("{}:{}: {e}", path.display(), i + 1)))?;
            match (v["command"].as_str(), v["valid"].as_bool()) {
                (Some(c), Some(valid)) => Ok((c.to_owned(), valid)),
                _ => Err(std::io::Error::other(format!(
                    "{}:{}: a label needs \"command\" and \"valid\"",
                    path.display(),
                    i + 1
                ))),
            }
        })
        .collect()
}

fn read_record(path: &std::path::Path) -> std::io::Result<Vec<Prepared>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    let mut out = Vec::new();
    let mut first = None;
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let e = crate::record::Exchange::from_line(line)
            .map_err(|why| std::io::Error::other(format!("{}:{}: {why}", path.display(), i + 1)))?;
        let first = *first.get_or_insert(e.time_ms);
        let command = e
            .query
            .split('&')
            .find_map(|p| p.strip_prefix("CallbackCommand="))
            .unwrap_or("")
            .to_owned();
        out.push(Prepared {
            command,
            query: unsigned(&e.query),
            body: e.body,
            valid: None,
            recorded: Some((
                Duration::from_millis(e.time_ms.saturating_sub(first)),
                e.status,
                e.answer,
            )),
        });
    }
    Ok(out)
}

pub fn run(args: Args) -> std::io::Result<ExitCode> {
    let token = crate::secret::token(args.token.as_deref(), args.token_file.as_ref())?;
    check_url(&args.url)?;
    let mut prepared = Vec::new();
    let mut skipped = 0;
    let total;
    if let Some(path) = &args.replay {
        prepared = read_record(path)?;
        total = prepared.len();
    } else {
        let bodies = input::read(&args.inputs)?;
        total = bodies.len();
        let labels = match &args.labels {
            Some(path) => {
                let labels = read_labels(path)?;
                if labels.len() != bodies.len() {
                    return Err(std::io::Error::other(format!(
                        "{} labels for {} bodies",
                        labels.len(),
                        bodies.len()
                    )));
                }
                Some(labels)
            }
            None => None,
        };
        for (i, body) in bodies.iter().enumerate() {
            let query = |command: &str| {
                format!(
                    "SdkAppid={}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI",
                    args.app_id
                )
            };
            let bytes = bytes::Bytes::copy_from_slice(&body.bytes);
            if let Some(labels) = &labels {
                let (command, valid) = &labels[i];
                prepared.push(Prepared {
                    query: query(command),
                    command: command.clone(),
                    body: bytes,
                    valid: Some(*valid),
                    recorded: None,
                });
                continue;
            }
            // A body without a command cannot be sent as Tencent would: reported and skipped.
            match tim_callback::sniff(&body.bytes) {
                Ok(command) => prepared.push(Prepared {
                    query: query(command.as_str()),
                    command: command.as_str().to_owned(),
                    body: bytes,
                    valid: None,
                    recorded: None,
                }),
                Err(e) => {
                    eprintln!("error: {}:{}: {e}; skipped", body.source, body.line);
                    skipped += 1;
                }
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
        eprintln!("{skipped} of {total} bodies skipped");
        return Ok(ExitCode::FAILURE);
    }
    Ok(code)
}

async fn send_all(
    args: &Args,
    token: Option<String>,
    bodies: Arc<Vec<Prepared>>,
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
        let (url, token, rate, show) = (args.url.clone(), token.clone(), args.rate, args.show);
        workers.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                let request = &bodies[i % bodies.len()];
                let at = match (rate, &request.recorded) {
                    (0, Some((offset, _, _))) => Some(start + *offset),
                    (0, None) => None,
                    (rate, _) => Some(start + Duration::from_secs_f64(i as f64 / rate as f64)),
                };
                let scheduled = match at {
                    Some(at) => {
                        tokio::time::sleep_until(at.into()).await;
                        at
                    }
                    None => Instant::now(),
                };
                let (command, body) = (&request.command, &request.body);
                let mut target = format!("{url}{separator}{}", request.query);
                if let Some(token) = &token {
                    let now = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs());
                    let sign = tim_callback::sign::sign(token, now);
                    target.push_str(&format!("&RequestTime={now}&Sign={sign}"));
                }
                let result = client
                    .post(&target)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                let mut same = None;
                let (status, error) = match result {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let text = response.bytes().await.unwrap_or_default();
                        if show {
                            println!("{status} {command} {}", String::from_utf8_lossy(&text));
                        }
                        if let Some((_, was, answer)) = &request.recorded {
                            let matched = *was == status && *answer == text;
                            if !matched && show {
                                println!(
                                    "differs from the recorded {was} {}",
                                    String::from_utf8_lossy(answer)
                                );
                            }
                            same = Some(matched);
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
                outcomes.push(Outcome {
                    status,
                    error,
                    latency: scheduled.elapsed(),
                    valid: request.valid,
                    same,
                });
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
    let refused = |o: &&&Outcome| o.status.is_some_and(|s| (400..500).contains(&s));
    let valid_not_200 = outcomes
        .iter()
        .filter(|o| o.valid == Some(true) && o.status != Some(200))
        .count();
    let invalid: Vec<&Outcome> = outcomes.iter().filter(|o| o.valid == Some(false)).collect();
    let invalid_refused = invalid.iter().filter(refused).count();
    let same = outcomes.iter().filter(|o| o.same == Some(true)).count();
    let different = outcomes.iter().filter(|o| o.same == Some(false)).count();
    let (labelled, replayed) = (args.labels.is_some(), args.replay.is_some());
    if args.json {
        let json = serde_json::json!({
            "count": outcomes.len(),
            "seconds": elapsed.as_secs_f64(),
            "per_second": per_second,
            "statuses": statuses,
            "errors": errors,
            "p50_us": us(p50), "p90_us": us(p90), "p99_us": us(p99), "max_us": us(max),
        });
        let mut json = json;
        if labelled {
            json["valid_not_200"] = valid_not_200.into();
            json["invalid"] = invalid.len().into();
            json["invalid_refused"] = invalid_refused.into();
        }
        if replayed {
            json["same_answer"] = same.into();
            json["different_answer"] = different.into();
        }
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
    if labelled && !args.json {
        println!(
            "labels: {valid_not_200} valid bodies not answered 200; {invalid_refused} of {} invalid bodies refused with a 4xx",
            invalid.len()
        );
    }
    if replayed && !args.json {
        println!("replay: {same} answers as recorded, {different} different");
    }
    let all_ok = if labelled {
        valid_not_200 == 0 && invalid_refused == invalid.len()
    } else if replayed {
        different == 0 && outcomes.iter().all(|o| o.same.is_some())
    } else {
        outcomes.iter().all(|o| o.status == Some(200))
    };
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
