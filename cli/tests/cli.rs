//! The `tim-callback` binary as a user runs it: output, carets, exit codes, `--help`, and
//! `serve` driven by `send` over loopback, with a graceful stop on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tim-callback"))
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../samples")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn parse_prints_each_event_as_json_in_tencents_keys() {
    for name in [
        "group_after_send_msg.json",
        "state_change.json",
        "friend_add.json",
        "c2c_before_send_msg.json",
    ] {
        let path = sample(name);
        let out = run(&["parse", path.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let original: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        // The samples hold no unknown keys: the event printed is the body read.
        assert_eq!(printed, original, "{name}");
        assert_eq!(text(&out.stdout).lines().count(), 1);
    }
}

#[test]
fn summary_is_one_line_per_body_and_lines_reads_ndjson() {
    let path = sample("callbacks.ndjson");
    let out = run(&[
        "parse",
        "--lines",
        "--format",
        "summary",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].contains("callbacks.ndjson:1: Group.CallbackAfterNewMemberJoin"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("GroupId=@TGS#2SAMPLE"), "{}", lines[0]);
    assert!(
        lines[2].contains(":3: C2C.CallbackAfterMsgWithDraw From_Account=alice To_Account=bob"),
        "{}",
        lines[2]
    );
    let state = sample("state_change.json");
    let out = run(&["parse", "--format", "summary", state.to_str().unwrap()]);
    assert!(
        text(&out.stdout).contains("Info.Action=Login Info.To_Account=dave"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_bad_body_shows_file_line_column_key_and_a_caret() {
    let path = sample("invalid/msg_seq_as_string.json");
    let out = run(&["parse", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("invalid/msg_seq_as_string.json:5:13: expected an integer"),
        "{stderr}"
    );
    assert!(stderr.contains("key: MsgSeq"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let code = lines
        .iter()
        .position(|l| l.starts_with("5 | "))
        .expect(&stderr);
    assert_eq!(lines[code], "5 |   \"MsgSeq\": \"1024\",");
    let caret = lines[code + 1];
    let at = caret.find('^').unwrap();
    assert_eq!(
        &lines[code][at..at + 6],
        "\"1024\"",
        "the caret is under the value:\n{stderr}"
    );
    assert!(stderr.contains("1 of 1 bodies failed"));
}

#[test]
fn ndjson_errors_name_their_line_and_the_good_lines_still_print() {
    let dir = std::env::temp_dir().join(format!("tim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mixed.ndjson");
    let good = std::fs::read_to_string(sample("state_change.json")).unwrap();
    let good = good.trim();
    let bad =
        r#"{"CallbackCommand":"State.StateChange","Info":{"Action":"Login","To_Account":"x\q"}}"#;
    std::fs::write(&file, format!("{good}\n{bad}\n{good}")).unwrap();
    let out = run(&["parse", "--lines", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout).lines().count(), 2);
    let stderr = text(&out.stderr);
    let col = bad.find("\\q").unwrap() + 1;
    assert!(
        stderr.contains(&format!("mixed.ndjson:2:{col}: invalid escape sequence")),
        "{stderr}"
    );
    assert!(stderr.contains("key: To_Account"), "{stderr}");
    assert!(stderr.contains("1 of 3 bodies failed"), "{stderr}");
}

#[test]
fn stdin_command_option_and_sniff() {
    let mut child = bin()
        .args(["parse", "--command", "C2C.CallbackAfterSendMsg", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(sample("state_change.json")).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("-:1:"), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).to_lowercase().contains("callbackcommand"),
        "{}",
        text(&out.stderr)
    );

    let files: Vec<String> = ["c2c_before_send_msg.json", "state_change.json"]
        .iter()
        .map(|n| sample(n).display().to_string())
        .collect();
    // One file: the command alone.
    let out = run(&["sniff", &files[0]]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "C2C.CallbackBeforeSendMsg\n");
    // Several bodies: each line says which one.
    let out = run(&["sniff", &files[0], &files[1]]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        format!(
            "{}:1: C2C.CallbackBeforeSendMsg\n{}:1: State.StateChange\n",
            files[0], files[1]
        )
    );
    let ndjson = sample("callbacks.ndjson").display().to_string();
    let out = run(&["sniff", "--lines", &ndjson]);
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    let commands: Vec<&str> = lines
        .iter()
        .map(|l| l.rsplit(": ").next().unwrap())
        .collect();
    assert_eq!(
        commands,
        [
            "Group.CallbackAfterNewMemberJoin",
            "Group.CallbackAfterMemberExit",
            "C2C.CallbackAfterMsgWithDraw"
        ]
    );
    assert!(
        lines.iter().all(|l| l.starts_with(&format!("{ndjson}:"))),
        "{lines:?}"
    );
}

#[test]
fn every_subcommand_has_help() {
    for (sub, needles) in [
        (
            "serve",
            &[
                "--listen",
                "--app-id",
                "--token",
                "--max-body",
                "--mask-words",
                "--log-format",
                "TIM_APP_ID",
                "--nats",
                "--nats-buffer",
                "--decide",
                "--decide-budget",
                "--record",
                "--record-max",
            ][..],
        ),
        (
            "parse",
            &["--lines", "--command", "--format", "summary"][..],
        ),
        ("sniff", &["--lines", "FILE"][..]),
        (
            "send",
            &[
                "--url",
                "--app-id",
                "--token",
                "--rate",
                "--count",
                "--concurrency",
                "--labels",
                "--replay",
            ][..],
        ),
        (
            "bench",
            &["--seconds", "FILE", "--generate", "--script"][..],
        ),
        (
            "gen",
            &[
                "--seed",
                "--count",
                "--command",
                "--family",
                "--mix",
                "--text-len",
                "--script",
                "--escapes",
                "--relay-depth",
                "--list-len",
                "--key-order",
                "--pretty",
                "--unknown-keys",
                "--invalid",
                "--labels",
                "--out",
            ][..],
        ),
        (
            "worker",
            &[
                "--nats",
                "--durable",
                "--ack-wait",
                "--decide",
                "--mask-words",
                "--format",
            ][..],
        ),
    ] {
        let out = run(&[sub, "--help"]);
        assert!(out.status.success(), "{sub}");
        let help = text(&out.stdout);
        for needle in needles {
            assert!(
                help.contains(needle),
                "{sub} --help lacks {needle}:\n{help}"
            );
        }
    }
    let out = run(&["--help"]);
    for sub in [
        "serve", "parse", "sniff", "send", "bench", "worker", "gen", "spool",
    ] {
        assert!(text(&out.stdout).contains(sub));
    }
}

#[test]
fn bench_reports_zero_allocations_for_the_core() {
    let files: Vec<String> = [
        "c2c_before_send_msg.json",
        "group_after_send_msg.json",
        "state_change.json",
    ]
    .iter()
    .map(|n| sample(n).display().to_string())
    .collect();
    let out = run(&["bench", "--seconds", "0.3", &files[0], &files[1], &files[2]]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let row = stdout
        .lines()
        .find(|l| l.starts_with("tim-callback parse"))
        .expect(&stdout);
    assert_eq!(row.split_whitespace().last(), Some("0.00"), "{stdout}");
    let theirs = stdout
        .lines()
        .find(|l| l.starts_with("serde_json::Value"))
        .expect(&stdout);
    let allocs: f64 = theirs.split_whitespace().last().unwrap().parse().unwrap();
    assert!(allocs > 1.0, "serde_json's Value allocates: {stdout}");

    // Nothing that parses: no figures, no ratio, and a failure.
    let bad = sample("invalid/msg_seq_as_string.json");
    let out = run(&["bench", "--seconds", "0.1", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        !text(&out.stdout).contains("serde_json::Value"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("nothing to measure"),
        "{}",
        text(&out.stderr)
    );
}

/// `serve` on a free loopback port; returns the child and its base URL.
fn serve(extra: &[&str]) -> (Child, String, BufReader<std::process::ChildStderr>) {
    let mut child = bin()
        .args(["serve"])
        .args(extra)
        // The listen address and app id from the environment, as a container would set them.
        .env("TIM_LISTEN", "127.0.0.1:0")
        .env("TIM_APP_ID", "888888")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve exited");
        if let Some(rest) = line.trim().strip_prefix("tim-callback listening on ") {
            break rest.to_owned();
        }
    };
    (child, url, stderr)
}

fn terminate(child: &Child) {
    signal(child, "-TERM");
}

fn signal(child: &Child, which: &str) {
    let ok = Command::new("kill")
        .args([which, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

#[test]
fn serve_and_send_over_loopback_signed_with_masking() {
    let words = sample("mask-words.txt");
    let (mut child, url, stderr) = serve(&[
        "--token",
        "t0ken",
        "--mask-words",
        words.to_str().unwrap(),
        "--log-format",
        "json",
    ]);
    let files: Vec<String> = [
        "c2c_before_send_msg.json",
        "group_after_send_msg.json",
        "state_change.json",
        "friend_add.json",
    ]
    .iter()
    .map(|n| sample(n).display().to_string())
    .collect();
    let mut args = vec![
        "send",
        "--url",
        &url,
        "--token",
        "t0ken",
        "--show",
        "--concurrency",
        "1",
    ];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("200 C2C.CallbackBeforeSendMsg"), "{stdout}");
    assert!(
        stdout.contains(r#"Want a free ******* ticket? Reply \"YES\"\n** today only"#),
        "{stdout}"
    );
    assert!(stdout.contains("status 200: 4"), "{stdout}");

    // Unsigned against a signed gateway: every answer 401, exit code 1.
    let out = run(&["send", "--url", &url, "--count", "20", "--json", &files[2]]);
    assert_eq!(out.status.code(), Some(1));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["statuses"]["401"], 20, "{summary}");
    assert_eq!(summary["count"], 20);

    // --rate spreads the requests: 20 at 200/s take at least 95 ms, whatever the machine.
    let started = Instant::now();
    let out = run(&[
        "send", "--url", &url, "--token", "t0ken", "--rate", "200", "--count", "20", &files[2],
    ]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(started.elapsed() >= Duration::from_millis(95));
    assert!(
        text(&out.stdout).contains("status 200: 20"),
        "{}",
        text(&out.stdout)
    );

    let metrics = reqwest_get(&format!("{url}/metrics"));
    assert!(
        metrics.contains(
            "tim_callbacks_total{command=\"C2C.CallbackBeforeSendMsg\",outcome=\"masked\"} 1"
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains("tim_errors_total{kind=\"sign\"} 20"),
        "{metrics}"
    );

    // Ctrl-C (SIGINT) stops it as SIGTERM does (the next test).
    signal(&child, "-INT");
    let status = wait(&mut child, Duration::from_secs(10));
    assert!(status.success());
    let log: Vec<String> = stderr.lines().map(Result::unwrap).collect();
    let callbacks: Vec<serde_json::Value> = log
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["message"] == "callback")
        .collect();
    assert_eq!(
        callbacks.len(),
        44,
        "one log line per callback:\n{}",
        log.join("\n")
    );
    assert!(
        log.iter().any(|l| l.contains("Ctrl-C: shutting down")),
        "{}",
        log.join("\n")
    );
    assert!(
        callbacks.iter().all(|v| v["latency_us"].is_u64()
            && v["command"].is_string()
            && v["outcome"].is_string())
    );
}

#[test]
fn the_token_can_come_from_a_file() {
    let dir = std::env::temp_dir().join(format!("tim-cli-token-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token");
    // The line break a text editor leaves is not part of the token.
    std::fs::write(&file, "t0ken\n").unwrap();
    let file = file.to_str().unwrap();
    let (child, url, _stderr) = serve(&["--token-file", file]);
    let body = sample("state_change.json").display().to_string();
    // Signed from the same file, and with the token given plainly: both accepted.
    for how in [["--token-file", file], ["--token", "t0ken"]] {
        let out = run(&["send", "--url", &url, how[0], how[1], &body]);
        assert!(out.status.success(), "{}", text(&out.stdout));
        assert!(
            text(&out.stdout).contains("status 200: 1"),
            "{}",
            text(&out.stdout)
        );
    }
    // A wrong token: refused.
    let out = run(&["send", "--url", &url, "--token", "other", &body]);
    assert!(
        text(&out.stdout).contains("status 401: 1"),
        "{}",
        text(&out.stdout)
    );
    terminate(&child);

    // An empty or missing file stops the start, naming the file.
    let empty = dir.join("empty");
    std::fs::write(&empty, "\n").unwrap();
    for path in [empty.to_str().unwrap(), "/nonexistent/token"] {
        let out = bin()
            .args(["serve", "--app-id", "1", "--token-file", path])
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(
            text(&out.stderr).contains(&format!("--token-file {path}")),
            "{}",
            text(&out.stderr)
        );
    }
    // Not both.
    let out = bin()
        .args([
            "serve",
            "--app-id",
            "1",
            "--token",
            "a",
            "--token-file",
            file,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("cannot be used with"),
        "{}",
        text(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn send_says_why_and_skips_bodies_without_a_command() {
    // A port nothing listens on: the cause and the address are in the summary.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let url = format!("http://{closed}/tim");
    let dir = std::env::temp_dir().join(format!("tim-cli-send-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "not json").unwrap();
    let good = sample("state_change.json").display().to_string();
    let out = run(&["send", "--url", &url, bad.to_str().unwrap(), &good]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("sent 1 callbacks"), "{stdout}");
    assert!(stdout.contains(&format!("posting to {url}")), "{stdout}");
    assert!(stdout.contains("Connection refused"), "{stdout}");
    assert!(
        stderr.contains("bad.json:1: at byte 0") && stderr.contains("skipped"),
        "{stderr}"
    );
    // URLs it cannot post to are refused before anything is sent, saying why.
    for (url, why) in [
        ("https://127.0.0.1:1/tim", "plain HTTP only"),
        ("127.0.0.1:1", "http://HOST:PORT/PATH"),
    ] {
        let out = run(&["send", "--url", url, &good]);
        assert!(!out.status.success());
        assert!(text(&out.stderr).contains(why), "{}", text(&out.stderr));
        assert!(out.stdout.is_empty());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn reports_escape_control_bytes_and_sniff_names_files() {
    let dir = std::env::temp_dir().join(format!("tim-cli-esc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A raw escape sequence inside a string (invalid JSON): the report must not echo it.
    let hostile = dir.join("hostile.json");
    std::fs::write(
        &hostile,
        b"{\"CallbackCommand\":\"State.StateChange\",\"Info\":{\"To_Account\":\"a\x1b]0;pwned\x07\"}}",
    )
    .unwrap();
    let out = run(&["parse", hostile.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !out.stderr.iter().any(|&b| b == 0x1b || b == 0x07),
        "{:?}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains(r"a\u{1b}]0;pwned\u{7}"),
        "{}",
        text(&out.stderr)
    );
    // Several files: each line names its body.
    let (a, b) = (sample("state_change.json"), sample("friend_add.json"));
    let out = run(&["sniff", a.to_str().unwrap(), b.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("{}:1: State.StateChange", a.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{}:1: Sns.CallbackFriendAdd", b.display())),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A minimal GET over a raw socket (the binary under test is the only HTTP code involved).
fn reqwest_get(url: &str) -> String {
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let path = url
        .splitn(4, '/')
        .nth(3)
        .map_or("/".to_owned(), |p| format!("/{p}"));
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(start.elapsed() < limit, "serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_finishes_the_request_in_flight() {
    let (mut child, url, _stderr) = serve(&[]);
    let addr = url.trim_start_matches("http://").to_owned();
    let body = std::fs::read(sample("state_change.json")).unwrap();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "POST /tim?SdkAppid=888888&CallbackCommand=State.StateChange HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(&body[..10]).unwrap();
    s.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    terminate(&child);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "still serving the request in flight"
    );
    s.write_all(&body[10..]).unwrap();
    let mut response = vec![0u8; 4096];
    let n = s.read(&mut response).unwrap();
    let response = text(&response[..n]);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.ends_with(r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#),
        "{response}"
    );
    drop(s);
    assert!(wait(&mut child, Duration::from_secs(10)).success());
    // And no new connection is taken after the stop.
    assert!(std::net::TcpStream::connect(&addr).is_err());
}

/// Drains a child's standard error on a thread, so that its log never fills the pipe.
fn drain(mut stderr: BufReader<std::process::ChildStderr>) {
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
}

#[test]
fn gen_writes_labelled_bodies_that_are_what_their_labels_say() {
    let dir = tempdir("gen");
    let labels = dir.join("labels.ndjson");
    let args = [
        "gen",
        "--count",
        "3000",
        "--seed",
        "7",
        "--invalid",
        "0.3",
        "--family",
        "c2c",
        "--family",
        "group",
        "--escapes",
        "0.2",
        "--key-order",
        "shuffled",
        "--labels",
        labels.to_str().unwrap(),
    ];
    let out = run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The same seed and knobs: the same bytes.
    assert_eq!(run(&args).stdout, out.stdout);
    let bodies: Vec<&[u8]> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let labels = std::fs::read_to_string(&labels).unwrap();
    let labels: Vec<serde_json::Value> = labels
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!((bodies.len(), labels.len()), (3000, 3000));
    let mut invalid = 0;
    for (i, (body, label)) in bodies.iter().zip(&labels).enumerate() {
        assert_eq!(label["n"], i + 1);
        let command = label["command"].as_str().unwrap();
        assert!(
            command.starts_with("C2C.") || command.starts_with("Group."),
            "{command}"
        );
        let mut buf = body.to_vec();
        let parsed = tim_callback::parse_as(command, &mut buf);
        if label["valid"] == true {
            assert!(
                parsed.is_ok(),
                "#{}: {:?}: {}",
                i + 1,
                parsed.err(),
                String::from_utf8_lossy(body)
            );
        } else {
            invalid += 1;
            let flaw: tim_callback_gen::Flaw = label["why"].as_str().unwrap().parse().unwrap();
            let e = parsed.expect_err("an invalid body is refused");
            assert!(flaw.matches(e.kind()), "#{}: {flaw} refused as {e}", i + 1);
        }
    }
    assert!((700..1100).contains(&invalid), "{invalid} invalid of 3000");

    // One file each, and the labels beside them; pretty needs that.
    let out_dir = dir.join("bodies");
    let out = run(&[
        "gen",
        "--count",
        "5",
        "--pretty",
        "--command",
        "State.StateChange",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first = std::fs::read_to_string(out_dir.join("000001.json")).unwrap();
    assert!(
        first.starts_with("{\n  \"CallbackCommand\": \"State.StateChange\""),
        "{first}"
    );
    assert!(out_dir.join("000005.json").exists() && !out_dir.join("000006.json").exists());
    assert_eq!(
        std::fs::read_to_string(out_dir.join("labels.ndjson"))
            .unwrap()
            .lines()
            .count(),
        5
    );
    for (args, why) in [
        (&["gen", "--pretty"][..], "--out"),
        (&["gen", "--command", "C2C.Nope"][..], "not one of the 58"),
        (&["gen", "--family", "nope"][..], "not a family"),
        (&["gen", "--invalid", "2"][..], "not between 0 and 1"),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(why),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn gen_feeds_send_and_the_gateway_refuses_exactly_the_invalid_bodies() {
    let dir = tempdir("gen-send");
    let labels = dir.join("labels.ndjson");
    let bodies = dir.join("bodies.ndjson");
    let out = run(&[
        "gen",
        "--count",
        "400",
        "--invalid",
        "0.25",
        "--mix",
        "uniform",
        "--labels",
        labels.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    std::fs::write(&bodies, &out.stdout).unwrap();
    let (mut child, url, stderr) = serve(&["--token", "t0k"]);
    drain(stderr);
    let out = run(&[
        "send",
        "--url",
        &format!("{url}/tim"),
        "--token",
        "t0k",
        "--json",
        "--lines",
        "--labels",
        labels.to_str().unwrap(),
        bodies.to_str().unwrap(),
    ]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(out.status.success(), "{summary}");
    assert_eq!(summary["count"], 400);
    assert_eq!(summary["valid_not_200"], 0, "{summary}");
    assert_eq!(summary["invalid_refused"], summary["invalid"], "{summary}");
    assert!(summary["invalid"].as_u64().unwrap() > 50, "{summary}");
    terminate(&child);
    wait(&mut child, Duration::from_secs(10));
}

/// The lines of a record file, with what a replay changes (the signature and its time) taken
/// out of the query.
fn recorded(
    path: &std::path::Path,
) -> Vec<(
    String,
    serde_json::Value,
    serde_json::Value,
    serde_json::Value,
)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let query: Vec<&str> = v["query"]
                .as_str()
                .unwrap()
                .split('&')
                .filter(|p| !p.starts_with("Sign=") && !p.starts_with("RequestTime="))
                .collect();
            (
                query.join("&"),
                v["body"].clone(),
                v["status"].clone(),
                v["answer"].clone(),
            )
        })
        .collect()
}

#[test]
fn record_then_replay_reproduces_the_run_same_bodies_same_answers() {
    let dir = tempdir("record");
    let first = dir.join("first.ndjson");
    let second = dir.join("second.ndjson");
    let words = sample("mask-words.txt");
    let gateway = |record: &std::path::Path| {
        serve(&[
            "--token",
            "s3cret",
            "--mask-words",
            words.to_str().unwrap(),
            "--record",
            record.to_str().unwrap(),
        ])
    };
    // Traffic with bodies masked, refused and allowed; sent at 400/s so the pace is recorded.
    let labels = dir.join("labels.ndjson");
    let bodies = dir.join("bodies.ndjson");
    let out = run(&[
        "gen",
        "--count",
        "200",
        "--invalid",
        "0.2",
        "--seed",
        "3",
        "--labels",
        labels.to_str().unwrap(),
    ]);
    std::fs::write(&bodies, &out.stdout).unwrap();
    let (mut a, url_a, stderr) = gateway(&first);
    drain(stderr);
    let out = run(&[
        "send",
        "--url",
        &format!("{url_a}/tim"),
        "--token",
        "s3cret",
        "--rate",
        "400",
        "--lines",
        "--labels",
        labels.to_str().unwrap(),
        bodies.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    terminate(&a);
    wait(&mut a, Duration::from_secs(10));
    let original = recorded(&first);
    assert_eq!(original.len(), 200);
    // Owner-only: the file holds message texts.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&first).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    // Replayed against a fresh gateway: signed afresh, at the recorded pace.
    let (mut b, url_b, stderr) = gateway(&second);
    drain(stderr);
    let started = Instant::now();
    let out = run(&[
        "send",
        "--url",
        &format!("{url_b}/tim"),
        "--token",
        "s3cret",
        "--json",
        "--replay",
        first.to_str().unwrap(),
    ]);
    let took = started.elapsed();
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(out.status.success(), "{summary}");
    assert_eq!(summary["same_answer"], 200, "{summary}");
    assert_eq!(summary["different_answer"], 0, "{summary}");
    // 200 requests recorded at 400/s span about half a second; a replay keeps that pace.
    assert!(took >= Duration::from_millis(400), "{took:?}");
    terminate(&b);
    wait(&mut b, Duration::from_secs(10));
    let mut again = recorded(&second);
    let mut original = original;
    // Concurrent sends may be recorded in another order.
    original.sort_by_key(|x| x.1.to_string());
    again.sort_by_key(|x| x.1.to_string());
    assert_eq!(again, original);
    assert!(original.iter().any(|r| r.2 == 400) && original.iter().any(|r| r.2 == 200));

    // A wrong token: every answer differs (401), and the exit code says so.
    let (mut c, url_c, stderr) = serve(&["--token", "other"]);
    drain(stderr);
    let out = run(&[
        "send",
        "--url",
        &format!("{url_c}/tim"),
        "--token",
        "s3cret",
        "--rate",
        "10000",
        "--json",
        "--replay",
        first.to_str().unwrap(),
    ]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!out.status.success());
    assert_eq!(summary["different_answer"], 200, "{summary}");
    terminate(&c);
    wait(&mut c, Duration::from_secs(10));
}

#[test]
fn the_record_file_rotates_by_size_and_keeps_what_it_is_told() {
    let dir = tempdir("rotate");
    let file = dir.join("rec.ndjson");
    let (mut child, url, stderr) = serve(&[
        "--record",
        file.to_str().unwrap(),
        "--record-max",
        "20000",
        "--record-keep",
        "100",
    ]);
    drain(stderr);
    let out = run(&["gen", "--count", "300", "--mix", "uniform"]);
    let bodies = dir.join("bodies.ndjson");
    std::fs::write(&bodies, &out.stdout).unwrap();
    let out = run(&[
        "send",
        "--url",
        &format!("{url}/tim"),
        "--lines",
        bodies.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    terminate(&child);
    wait(&mut child, Duration::from_secs(10));
    let mut lines = 0;
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("rec.ndjson") {
            files += 1;
            let size = std::fs::metadata(&path).unwrap().len();
            assert!(size <= 20000 + 4096, "{name}: {size} bytes");
            lines += std::fs::read_to_string(&path).unwrap().lines().count();
        }
    }
    assert!(files > 3, "{files} files");
    assert_eq!(lines, 300, "every exchange in one of the files");
}

#[test]
fn bench_measures_generated_traffic() {
    let out = run(&[
        "bench",
        "--seconds",
        "0.2",
        "--generate",
        "200",
        "--script",
        "emoji",
        "--escapes",
        "0.5",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("200 bodies"), "{stdout}");
    assert!(stdout.contains("tim-callback parse"), "{stdout}");
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tim-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
