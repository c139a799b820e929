//! Scale-out with the binaries, against a real `nats-server`: two `serve --nats` gateways, two
//! `worker`s sharing a durable consumer (one killed and started again midway), and `send`;
//! and decisions by a `worker --decide`, with the gateway failing open when none runs.
//!
//! They need `nats-server` and are ignored unless asked for (`cargo test -- --ignored`); CI runs
//! them (`.ci/run`).

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tim_callback_testkit::nats_server::{NatsCluster, NatsServer};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tim-callback"))
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../samples")
        .join(name)
}

/// Lines a child writes, collected by a thread as they come.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<String>>>);

impl Lines {
    fn drain(reader: impl std::io::Read + Send + 'static) -> Lines {
        let lines = Lines::default();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(reader).lines() {
                let Ok(line) = line else { break };
                sink.0.lock().unwrap().push(line);
            }
        });
        lines
    }

    fn snapshot(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    fn wait_for(&self, what: &str, limit: Duration, done: impl Fn(&[String]) -> bool) {
        let start = Instant::now();
        while !done(&self.snapshot()) {
            assert!(
                start.elapsed() < limit,
                "waited {limit:?} for {what}: {:?}",
                self.snapshot().last()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A gateway on a free port handing events to `url`; returns the child, its base URL and
/// its standard error.
fn gateway(url: &str, prefix: &str, stream: &str, extra: &[&str]) -> (Child, String, Lines) {
    let mut child = bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--app-id", "888888"])
        .args([
            "--nats",
            url,
            "--nats-prefix",
            prefix,
            "--nats-stream",
            stream,
        ])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let base = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve exited");
        if let Some(rest) = line.trim().strip_prefix("tim-callback listening on ") {
            break rest.to_owned();
        }
    };
    (child, base, Lines::drain(stderr))
}

/// A worker; returns the child, its standard output and its standard error.
fn worker(url: &str, prefix: &str, stream: &str, extra: &[&str]) -> (Child, Lines, Lines) {
    let mut child = bin()
        .args([
            "worker", "--nats", url, "--prefix", prefix, "--stream", stream,
        ])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = Lines::drain(child.stdout.take().unwrap());
    let err = Lines::drain(child.stderr.take().unwrap());
    err.wait_for("the worker to consume", Duration::from_secs(20), |lines| {
        lines.iter().any(|l| l.contains("consuming"))
    });
    (child, out, err)
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A distinct C2C after-send body for each `n`, on one line.
fn after_send(n: usize) -> String {
    format!(
        r#"{{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"u{}","To_Account":"u{}","MsgSeq":{n},"MsgRandom":{},"MsgTime":1764547200,"OnlineOnlyFlag":0,"SendMsgResult":0,"ErrorInfo":"","UnreadMsgNum":0,"MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"hello \"{n}\""}}}}],"CloudCustomData":"","EventTime":1764547200123}}"#,
        n % 13,
        n % 7,
        n * 31,
    )
}

/// The `MsgSeq=` of a worker's summary line.
fn seq(line: &str) -> Option<usize> {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("MsgSeq="))?
        .parse()
        .ok()
}

fn names(test: &str) -> (String, String) {
    let id = format!("{}{test}", std::process::id());
    (format!("c{id}"), format!("C{id}"))
}

#[test]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
fn two_gateways_and_two_workers_handle_every_event_when_a_worker_dies() {
    const EVENTS: usize = 10_000;
    let server = NatsServer::start();
    let url = server.url();
    let (prefix, stream) = names("scale");
    let (mut gw_a, base_a, _) = gateway(&url, &prefix, &stream, &[]);
    let (mut gw_b, base_b, _) = gateway(&url, &prefix, &stream, &[]);
    let durable = ["--durable", "shared", "--ack-wait", "2"];
    let (mut first, first_out, _) = worker(&url, &prefix, &stream, &durable);
    let (mut second, second_out, second_err) = worker(&url, &prefix, &stream, &durable);

    let dir = std::env::temp_dir().join(format!("tim-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut senders = Vec::new();
    for (half, base) in [(0, &base_a), (1, &base_b)] {
        let path = dir.join(format!("half{half}.ndjson"));
        let mut file = std::fs::File::create(&path).unwrap();
        for n in (half..EVENTS).step_by(2) {
            writeln!(file, "{}", after_send(n)).unwrap();
        }
        let sender = bin()
            .args([
                "send",
                "--url",
                &format!("{base}/tim"),
                "--concurrency",
                "16",
                "--lines",
            ])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        senders.push(sender);
    }

    // The first worker dies (SIGKILL, holding unacknowledged events) once it has handled
    // some, and a new one takes its place under the same durable name.
    first_out.wait_for("the first worker's share", Duration::from_secs(60), |l| {
        l.len() >= 1500
    });
    first.kill().unwrap();
    first.wait().unwrap();
    let (mut third, third_out, third_err) = worker(&url, &prefix, &stream, &durable);

    for sender in senders {
        let out = sender.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!("status 200: {}", EVENTS / 2)),
            "{stdout}"
        );
    }

    let all = [first_out.clone(), second_out.clone(), third_out.clone()];
    let handled = || -> HashSet<usize> {
        all.iter()
            .flat_map(|lines| lines.snapshot())
            .filter_map(|line| seq(&line))
            .collect()
    };
    let start = Instant::now();
    while handled().len() < EVENTS {
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "{} of {EVENTS} handled",
            handled().len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(handled(), (0..EVENTS).collect::<HashSet<_>>());
    assert!(
        !second_out.snapshot().is_empty(),
        "the workers share the events"
    );
    assert!(
        !third_out.snapshot().is_empty(),
        "the restarted worker goes on"
    );
    for line in second_out.snapshot() {
        assert!(
            line.starts_with("C2C.CallbackAfterSendMsg From_Account=u"),
            "{line}"
        );
    }

    // The stream holds each event exactly once.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let stored = runtime.block_on(async {
        let client = async_nats::connect(&url).await.unwrap();
        let js = async_nats::jetstream::new(client);
        js.get_stream(&stream)
            .await
            .unwrap()
            .info()
            .await
            .unwrap()
            .state
            .messages
    });
    assert_eq!(stored, EVENTS as u64);

    for (child, err) in [(&mut second, &second_err), (&mut third, &third_err)] {
        assert!(terminate(child).success());
        err.wait_for("the tally", Duration::from_secs(5), |lines| {
            lines.iter().any(|l| l.contains("allocations in parsing"))
        });
        let tally = err
            .snapshot()
            .into_iter()
            .find(|l| l.contains("allocations in parsing"))
            .unwrap();
        assert!(
            tally.ends_with(" 0 malformed, 0 allocations in parsing"),
            "{tally}"
        );
    }
    assert!(terminate(&mut gw_a).success());
    assert!(terminate(&mut gw_b).success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
fn a_deciding_worker_masks_and_without_one_the_gateway_allows() {
    let server = NatsServer::start();
    let url = server.url();
    let (prefix, stream) = names("decide");
    let (mut gw, base, gw_err) = gateway(
        &url,
        &prefix,
        &stream,
        &[
            "--decide",
            "nats",
            "--decide-budget",
            "300",
            "--log-format",
            "json",
        ],
    );
    let send = |expect_masked: bool| {
        let start = Instant::now();
        let out = bin()
            .args(["send", "--url", &format!("{base}/tim"), "--show"])
            .arg(sample("c2c_before_send_msg.json"))
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(out.status.success(), "{stdout}");
        assert!(start.elapsed() < Duration::from_secs(2));
        assert_eq!(
            stdout.contains("Want a free ******* ticket"),
            expect_masked,
            "{stdout}"
        );
        stdout
    };
    // No worker: the gateway's own answer, allow.
    let stdout = send(false);
    assert!(
        stdout.contains(r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#),
        "{stdout}"
    );
    gw_err.wait_for("the fail-open warning", Duration::from_secs(5), |lines| {
        lines
            .iter()
            .any(|l| l.contains("fail-open") && l.contains("no_responder"))
    });

    let words = sample("mask-words.txt");
    let words = words.to_str().unwrap();
    let dir = std::env::temp_dir().join(format!("tim-decide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let blocked = dir.join("blocked.txt");
    std::fs::write(&blocked, "carol\n\ny\n").unwrap();
    let (mut decider, _, _) = worker(
        &url,
        &prefix,
        &stream,
        &[
            "--decide",
            "--mask-words",
            words,
            "--blocked-accounts",
            blocked.to_str().unwrap(),
        ],
    );
    send(true);
    // A friend request to a blocked account is denied for that target by the worker, and a
    // blocked invitee refused.
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let out = bin()
        .args(["send", "--url", &format!("{base}/tim"), "--show"])
        .arg(fixtures.join("sns_prev_friend_add.json"))
        .arg(fixtures.join("group_before_invite_join_group.json"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(r#""ResultItem":[{"To_Account":"bob","ResultCode":0,"ResultInfo":""},{"To_Account":"carol","ResultCode":38000,"ResultInfo":"blocked"}]"#),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#""RefusedMembers_Account":["y"]"#),
        "{stdout}"
    );
    assert!(terminate(&mut decider).success());
    let _ = std::fs::remove_dir_all(&dir);
    assert!(terminate(&mut gw).success());
}

const AFTER_QUERY: &str = "SdkAppid=888888&CallbackCommand=C2C.CallbackAfterSendMsg&contenttype=json&ClientIP=10.0.0.1&OptPlatform=Web";

/// One POST on a connection of its own, as Tencent sends them: the status and how long the
/// answer took, or `None` when the gateway is not there or hung up.
fn post(base: &str, query: &str, body: &str) -> Option<(u16, Duration)> {
    use std::io::Read;
    let addr = base.strip_prefix("http://")?;
    let start = Instant::now();
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "POST /tim?{query} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, start.elapsed()))
}

/// `senders` threads posting the events `events` (each thread every `senders`-th) to `base`
/// until the list ends or the gateway goes away; each result is (event, status, latency).
fn load(
    base: &str,
    events: std::ops::Range<usize>,
    senders: usize,
    answered: &Arc<std::sync::atomic::AtomicUsize>,
) -> Vec<std::thread::JoinHandle<Vec<(usize, u16, Duration)>>> {
    (0..senders)
        .map(|t| {
            let (base, answered) = (base.to_owned(), answered.clone());
            let events: Vec<usize> = events.clone().skip(t).step_by(senders).collect();
            std::thread::spawn(move || {
                let mut out = Vec::new();
                for n in events {
                    let Some((status, took)) = post(&base, AFTER_QUERY, &after_send(n)) else {
                        break;
                    };
                    if status == 200 {
                        answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    out.push((n, status, took));
                }
                out
            })
        })
        .collect()
}

/// The `MsgSeq` of every message in `stream`, read from the server at `url` (with repeats,
/// if the stream holds any); empty while the stream does not exist.
fn stream_seqs(url: &str, stream: &str) -> Vec<usize> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let Ok(client) = async_nats::connect(url).await else {
            return Vec::new();
        };
        let js = async_nats::jetstream::new(client);
        let Ok(mut stream) = js.get_stream(stream).await else {
            return Vec::new();
        };
        let Ok(info) = stream.info().await else {
            return Vec::new();
        };
        let (first, last) = (info.state.first_sequence, info.state.last_sequence);
        let mut seqs = Vec::new();
        for seq in first..=last {
            if let Ok(message) = stream.get_raw_message(seq).await {
                let event: serde_json::Value = serde_json::from_slice(&message.payload).unwrap();
                seqs.push(event["MsgSeq"].as_u64().unwrap() as usize);
            }
        }
        seqs
    })
}

/// Waits until `stream` holds every event of `answered`; returns what it holds.
fn wait_for_stream(url: &str, stream: &str, answered: &HashSet<usize>) -> Vec<usize> {
    let start = Instant::now();
    loop {
        let seqs = stream_seqs(url, stream);
        let held: HashSet<usize> = seqs.iter().copied().collect();
        let missing = answered.difference(&held).count();
        if missing == 0 {
            return seqs;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "{missing} of {} events answered 200 are not in the stream",
            answered.len()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A gateway with a spool is killed with SIGKILL under load (with the broker away, or up),
/// started again on the same spool, and takes more; then every event it answered 200 is in
/// the stream.
fn spooled_events_survive_a_killed_gateway(outage: bool) {
    const SENDERS: usize = 4;
    let mut server = NatsServer::start();
    let url = server.url();
    if outage {
        server.kill();
    }
    let (prefix, stream) = names(if outage { "spool-outage" } else { "spool-load" });
    let dir = std::env::temp_dir().join(format!("tim-spool-{}-{prefix}", std::process::id()));
    let spool = dir.join("spool");
    let spool_arg = ["--spool", spool.to_str().unwrap()];
    let (mut gw, base, _) = gateway(&url, &prefix, &stream, &spool_arg);

    let answered = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let senders = load(&base, 0..1_000_000, SENDERS, &answered);
    let start = Instant::now();
    while answered.load(std::sync::atomic::Ordering::Relaxed) < 600 {
        assert!(start.elapsed() < Duration::from_secs(60), "too slow");
        std::thread::sleep(Duration::from_millis(10));
    }
    gw.kill().unwrap();
    gw.wait().unwrap();
    let results: Vec<(usize, u16, Duration)> = senders
        .into_iter()
        .flat_map(|s| s.join().unwrap())
        .collect();
    let mut ok: HashSet<usize> = HashSet::new();
    for (n, status, took) in &results {
        assert_eq!(*status, 200, "event {n}");
        assert!(*took < Duration::from_secs(2), "event {n} took {took:?}");
        ok.insert(*n);
    }
    let before_kill = ok.len();

    // Started again on the same spool: what it holds goes first, new events after.
    let (mut gw, base, _) = gateway(&url, &prefix, &stream, &spool_arg);
    let after = load(&base, 2_000_000..2_000_400, SENDERS, &answered);
    for (n, status, took) in after.into_iter().flat_map(|s| s.join().unwrap()) {
        assert_eq!(status, 200, "event {n}");
        assert!(took < Duration::from_secs(2), "event {n} took {took:?}");
        ok.insert(n);
    }
    assert_eq!(ok.len(), before_kill + 400);
    if outage {
        server.restart();
    }
    let seqs = wait_for_stream(&url, &stream, &ok);
    let held: HashSet<usize> = seqs.iter().copied().collect();
    let duplicates = seqs.len() - held.len();
    // Taken (on disk) but not answered when the process died: one per sender at most.
    let unanswered = held.difference(&ok).count();
    eprintln!(
        "outage={outage}: {} answered 200 ({before_kill} before the kill), all in the stream; \
         {unanswered} more taken but unanswered at the kill, {duplicates} duplicates",
        ok.len()
    );
    assert!(unanswered <= SENDERS, "{unanswered}");
    assert!(duplicates <= SENDERS, "{duplicates}");
    assert!(terminate(&mut gw).success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
fn a_spooled_gateway_killed_in_a_broker_outage_loses_no_answered_event() {
    spooled_events_survive_a_killed_gateway(true);
}

#[test]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
fn a_spooled_gateway_killed_under_load_loses_no_answered_event() {
    spooled_events_survive_a_killed_gateway(false);
}

/// The value of a line of the gateway's `/metrics` (0 when absent).
fn metric(base: &str, line_start: &str) -> u64 {
    use std::io::Read;
    let addr = base.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(line_start)?.trim().parse().ok())
        .unwrap_or(0)
}

/// `serve --spool DIR` that must not start: its standard error.
fn spool_start_fails(dir: &std::path::Path) -> String {
    let out = bin()
        .args(["serve", "--listen", "127.0.0.1:0", "--app-id", "888888"])
        .args(["--nats", "nats://127.0.0.1:1", "--spool"])
        .arg(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot open the spool") && stderr.contains("Nothing was discarded"),
        "{stderr}"
    );
    stderr
}

// No broker needed: the broker is away throughout, which is what fills a spool.
#[test]
fn a_full_spool_answers_503_and_a_spool_that_cannot_be_opened_stops_the_start() {
    let dir = std::env::temp_dir().join(format!("tim-spool-limits-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let full = dir.join("full");
    let (prefix, stream) = names("spool-full");
    // An event is 450 to 600 bytes as spooled: three fit.
    let (mut gw, base, _) = gateway(
        "nats://127.0.0.1:1",
        &prefix,
        &stream,
        &["--spool", full.to_str().unwrap(), "--spool-max", "1800"],
    );
    let statuses: Vec<u16> = (0..6)
        .map(|n| post(&base, AFTER_QUERY, &after_send(n)).unwrap().0)
        .collect();
    assert_eq!(statuses, [200, 200, 200, 503, 503, 503]);
    assert_eq!(
        metric(&base, "tim_nats_refused_total{reason=\"spool_full\"} "),
        3
    );
    assert_eq!(metric(&base, "tim_nats_spool_events "), 3);

    // Another gateway on a spool in use.
    let stderr = spool_start_fails(&full);
    assert!(stderr.contains("in use"), "{stderr}");
    gw.kill().unwrap();
    gw.wait().unwrap();

    // What it held is still there, and readable.
    let out = bin()
        .arg("spool")
        .arg(&full)
        .arg("--dump")
        .output()
        .unwrap();
    assert!(out.status.success());
    let dump = String::from_utf8(out.stdout).unwrap();
    assert_eq!(dump.lines().count(), 3, "{dump}");
    assert!(
        dump.contains(r#""command":"C2C.CallbackAfterSendMsg""#),
        "{dump}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("3 events waiting"),
        "{:?}",
        out.stderr
    );

    // A corrupt spool stops the start, and is left as it was.
    let corrupt = dir.join("corrupt");
    std::fs::create_dir_all(&corrupt).unwrap();
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(corrupt.join("spool.redb"), &garbage).unwrap();
    let stderr = spool_start_fails(&corrupt);
    assert!(stderr.contains("corrupt"), "{stderr}");
    assert_eq!(std::fs::read(corrupt.join("spool.redb")).unwrap(), garbage);

    // A read-only directory stops the start.
    let read_only = dir.join("read-only");
    std::fs::create_dir_all(&read_only).unwrap();
    let mut permissions = std::fs::metadata(&read_only).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&read_only, permissions.clone()).unwrap();
    let stderr = spool_start_fails(&read_only);
    assert!(stderr.contains("read-only"), "{stderr}");
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&read_only, permissions).unwrap();

    // A path under a file is no directory.
    let file = dir.join("file");
    std::fs::write(&file, b"x").unwrap();
    let stderr = spool_start_fails(&file.join("spool"));
    assert!(stderr.contains("cannot create its directory"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The stream's replica count and the server name of its leader, as `url` reports them.
fn stream_leader(url: &str, stream: &str) -> Option<(usize, String)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = async_nats::connect(url).await.ok()?;
        let js = async_nats::jetstream::new(client);
        let mut stream = js.get_stream(stream).await.ok()?;
        let info = stream.info().await.ok()?;
        let leader = info.cluster.as_ref()?.leader.clone()?;
        Some((info.config.num_replicas, leader))
    })
}

#[test]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
fn a_replicated_stream_keeps_every_answered_event_when_its_leader_dies() {
    const SENDERS: usize = 4;
    let mut cluster = NatsCluster::start(3);
    let (prefix, stream) = names("cluster");
    let (mut gw, base, _) = gateway(&cluster.urls(), &prefix, &stream, &["--nats-replicas", "3"]);

    // The first event creates the stream once the cluster has elected its JetStream leader.
    let first = HashSet::from([0]);
    assert_eq!(post(&base, AFTER_QUERY, &after_send(0)).unwrap().0, 200);
    wait_for_stream(&cluster.url(0), &stream, &first);
    let (replicas, leader) = stream_leader(&cluster.url(0), &stream).unwrap();
    assert_eq!(replicas, 3);
    let leader: usize = leader.strip_prefix('n').unwrap().parse().unwrap();

    // The stream's leader dies (SIGKILL) while callbacks arrive.
    let answered = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let senders = load(&base, 1..3001, SENDERS, &answered);
    let start = Instant::now();
    while answered.load(std::sync::atomic::Ordering::Relaxed) < 500 {
        assert!(start.elapsed() < Duration::from_secs(60), "too slow");
        std::thread::sleep(Duration::from_millis(5));
    }
    cluster.kill(leader);
    let mut ok = first;
    let mut slowest = Duration::ZERO;
    for (n, status, took) in senders.into_iter().flat_map(|s| s.join().unwrap()) {
        assert_eq!(status, 200, "event {n}");
        assert!(took < Duration::from_secs(2), "event {n} took {took:?}");
        slowest = slowest.max(took);
        ok.insert(n);
    }
    assert_eq!(ok.len(), 3001);

    // Read from a server that survived: every event answered 200 is there, once.
    let survivor = (leader + 1) % 3;
    let seqs = wait_for_stream(&cluster.url(survivor), &stream, &ok);
    assert_eq!(seqs.len(), ok.len(), "no duplicates");
    let (_, new_leader) = stream_leader(&cluster.url(survivor), &stream).unwrap();
    eprintln!(
        "leader n{leader} killed: 3001 events answered 200 (slowest {slowest:?}), all on n{survivor}; new leader {new_leader}"
    );
    assert_ne!(new_leader, format!("n{leader}"));
    assert!(terminate(&mut gw).success());
}

/// Waits until a counter of the gateway's `/metrics` reaches `value`.
fn wait_for_metric(base: &str, line_start: &str, value: u64) {
    let start = Instant::now();
    while metric(base, line_start) < value {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waited for {line_start}{value}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
fn an_event_the_broker_refuses_is_held_in_the_spool_across_restarts() {
    let server = NatsServer::with_max_payload(Some(1024));
    let url = server.url();
    let (prefix, stream) = names("spool-held");
    let dir = std::env::temp_dir().join(format!("tim-spool-{}-{prefix}", std::process::id()));
    let spool = dir.join("spool");
    let spool_arg = ["--spool", spool.to_str().unwrap()];
    let big = |n: usize| after_send(n).replace("hello", &"x".repeat(1500));
    let held = "tim_nats_spool_held_total ";

    // Taken (200: on disk), then refused by the broker for good: held, not retried or dropped.
    let (mut gw, base, _) = gateway(&url, &prefix, &stream, &spool_arg);
    assert_eq!(post(&base, AFTER_QUERY, &big(1)).unwrap().0, 200);
    wait_for_metric(&base, held, 1);
    assert!(terminate(&mut gw).success());

    // Started again: another one held beside it, and a small one published.
    let (mut gw, base, _) = gateway(&url, &prefix, &stream, &spool_arg);
    assert_eq!(post(&base, AFTER_QUERY, &big(2)).unwrap().0, 200);
    wait_for_metric(&base, held, 1);
    assert_eq!(post(&base, AFTER_QUERY, &after_send(3)).unwrap().0, 200);
    wait_for_stream(&url, &stream, &HashSet::from([3]));
    assert!(terminate(&mut gw).success());

    let out = bin()
        .arg("spool")
        .arg(&spool)
        .arg("--dump")
        .output()
        .unwrap();
    assert!(out.status.success());
    let dump = String::from_utf8(out.stdout).unwrap();
    let held: Vec<&str> = dump
        .lines()
        .filter(|l| l.contains(r#""held":true"#))
        .collect();
    assert_eq!(held.len(), 2, "{dump}");
    assert!(
        held[0].contains(r#"\"MsgSeq\":1"#) && held[1].contains(r#"\"MsgSeq\":2"#),
        "{dump}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("0 events waiting"),
        "{:?}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}
