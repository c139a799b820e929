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

use tim_callback_testkit::nats_server::NatsServer;

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
    let (mut decider, _, _) = worker(&url, &prefix, &stream, &["--decide", "--mask-words", words]);
    send(true);
    assert!(terminate(&mut decider).success());
    assert!(terminate(&mut gw).success());
}
