//! The gateway on a loopback port, driven by a real HTTP client: every status the extractor
//! can answer, answers checked as JSON, the counters, and 1 000 concurrent callbacks.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tim_callback_axum::{BLOCKED_CODE, Gateway, TimConfig};

const APP: u64 = 1_400_000_000;
const TOKEN: &str = "callback-token";

async fn start(gateway: Gateway) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, gateway.router()).await.unwrap() });
    addr
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let body = std::fs::read(&p).unwrap();
            let command = tim_callback::sniff(&body).unwrap().as_str().to_owned();
            (command, body)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 20, "the core's fixtures are the inputs");
    out
}

/// One of the core's fixtures by name.
fn fixture(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    std::fs::read(dir.join(format!("{name}.json"))).unwrap()
}

fn query(app: u64, command: &str) -> String {
    format!(
        "SdkAppid={app}&CallbackCommand={command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=Android"
    )
}

fn signed(app: u64, command: &str, time: u64) -> String {
    let sign = tim_callback::sign::sign(TOKEN, time);
    format!("{}&RequestTime={time}&Sign={sign}", query(app, command))
}

async fn post(addr: SocketAddr, query: &str, body: Vec<u8>) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/tim/callback?{query}"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, json)
}

fn is_allow(json: &Value) -> bool {
    json == &serde_json::json!({"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""})
}

#[tokio::test]
async fn every_fixture_is_allowed_unsigned_and_signed() {
    let open = start(Gateway::new(TimConfig::new(APP))).await;
    let strict = start(Gateway::new(TimConfig::new(APP).token(TOKEN))).await;
    let mut commands = std::collections::BTreeSet::new();
    for (command, body) in fixtures() {
        let (status, json) = post(open, &query(APP, &command), body.clone()).await;
        assert_eq!(status, 200, "{command}: {json}");
        assert!(is_allow(&json), "{command}: {json}");
        let (status, json) = post(strict, &signed(APP, &command, now()), body).await;
        assert_eq!(status, 200, "{command} signed: {json}");
        assert!(is_allow(&json), "{command}: {json}");
        commands.insert(command);
    }
    assert!(commands.len() >= 15, "several commands: {commands:?}");
    assert!(
        commands.contains("Live.CallbackAfterCreateRoom"),
        "an unknown command is allowed"
    );
}

#[tokio::test]
async fn signature_failures_are_401() {
    let addr = start(Gateway::new(TimConfig::new(APP).token(TOKEN))).await;
    let body = fixture("state_change");
    let command = "State.StateChange";
    let t = now();
    let wrong = format!(
        "{}&RequestTime={t}&Sign={}",
        query(APP, command),
        tim_callback::sign::sign("other", t)
    );
    let stale = signed(APP, command, t - 3600);
    let unsigned = query(APP, command);
    let garbled = format!("{}&RequestTime={t}&Sign=xyz", query(APP, command));
    for (case, q, needle) in [
        ("wrong token", wrong, "does not match"),
        ("stale", stale, ""),
        ("missing", unsigned, "no Sign"),
        ("malformed", garbled, "hex"),
    ] {
        let (status, json) = post(addr, &q, body.clone()).await;
        assert_eq!(status, 401, "{case}: {json}");
        assert_eq!(json["error"], "sign", "{case}");
        assert!(
            json["message"].as_str().unwrap().contains(needle),
            "{case}: {json}"
        );
    }
    let (status, _) = post(addr, &signed(APP, command, t), body).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn wrong_app_id_is_403_and_checked_after_the_signature() {
    let addr = start(Gateway::new(TimConfig::new(APP))).await;
    let body = fixture("state_change");
    let (status, json) = post(addr, &query(APP + 1, "State.StateChange"), body.clone()).await;
    assert_eq!(status, 403, "{json}");
    assert_eq!(json["error"], "app_id");
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains(&(APP + 1).to_string())
    );
    let (status, _) = post(addr, "CallbackCommand=State.StateChange", body.clone()).await;
    assert_eq!(status, 403, "a missing SdkAppid");
    // With a token, a forged request learns nothing about the app id: the signature is first.
    let strict = start(Gateway::new(TimConfig::new(APP).token(TOKEN))).await;
    let (status, _) = post(strict, &query(APP + 1, "State.StateChange"), body).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn malformed_bodies_and_mismatches_are_400_with_the_parsers_message() {
    let addr = start(Gateway::new(TimConfig::new(APP))).await;
    let bad = br#"{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"a","MsgSeq":"x"}"#;
    let (status, json) = post(addr, &query(APP, "C2C.CallbackAfterSendMsg"), bad.to_vec()).await;
    assert_eq!(status, 400, "{json}");
    assert_eq!(json["error"], "body");
    assert_eq!(json["key"], "MsgSeq");
    let offset = bad.windows(3).position(|w| w == b"\"x\"").unwrap();
    assert_eq!(json["offset"], offset, "{json}");
    assert!(
        json["message"].as_str().unwrap().contains("MsgSeq"),
        "{json}"
    );

    let (status, json) = post(
        addr,
        &query(APP, "C2C.CallbackAfterSendMsg"),
        b"{\"CallbackCommand\":".to_vec(),
    )
    .await;
    assert_eq!(status, 400, "{json}");
    assert_eq!(json["offset"], 19);

    let body = fixture("state_change");
    let (status, json) = post(addr, &query(APP, "C2C.CallbackAfterSendMsg"), body).await;
    assert_eq!(status, 400, "a command mismatch: {json}");
    assert_eq!(json["error"], "body");
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("CallbackCommand"),
        "{json}"
    );

    let (status, json) = post(
        addr,
        &format!("{}&ClientIP=1.2.3.4", query(APP, "State.StateChange")),
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(status, 400, "a repeated parameter: {json}");
    assert_eq!(json["error"], "query");
}

#[tokio::test]
async fn oversized_bodies_are_413_by_length_and_while_streaming() {
    let addr = start(Gateway::new(TimConfig::new(APP).max_body(1000))).await;
    let mut big = br#"{"CallbackCommand":"State.StateChange","Info":{"To_Account":""#.to_vec();
    big.extend(std::iter::repeat_n(b'a', 2000));
    big.extend(br#""}}"#);
    let (status, json) = post(addr, &query(APP, "State.StateChange"), big.clone()).await;
    assert_eq!(status, 413, "{json}");
    assert_eq!(json["error"], "too_large");

    // Chunked, without Content-Length: the limit holds while reading.
    let status = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let q = query(APP, "State.StateChange");
        let mut request = Vec::new();
        write!(request, "POST /cb?{q} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").unwrap();
        for chunk in big.chunks(300) {
            write!(request, "{:x}\r\n", chunk.len()).unwrap();
            request.extend_from_slice(chunk);
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(b"0\r\n\r\n");
        // The server may answer 413 and close before it has read the rest, so a
        // write can fail with a broken pipe; the answer is what is tested.
        let _ = s.write_all(&request);
        let mut response = String::new();
        let _ = s.read_to_string(&mut response);
        response
    })
    .await
    .unwrap();
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");

    let small = fixture("state_change");
    assert!(small.len() < 1000);
    assert_eq!(
        post(addr, &query(APP, "State.StateChange"), small).await.0,
        200
    );
}

#[tokio::test]
async fn only_post_is_a_callback_and_health_is_get() {
    let addr = start(Gateway::new(TimConfig::new(APP))).await;
    let client = reqwest::Client::new();
    let r = client
        .get(format!(
            "http://{addr}/cb?{}",
            query(APP, "State.StateChange")
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    assert_eq!(r.headers()["allow"], "POST");
    let r = client.put(format!("http://{addr}/")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let r = client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.text().await.unwrap(), "ok\n");
}

#[tokio::test]
async fn listed_words_are_masked_in_c2c_and_group_messages() {
    let addr =
        start(Gateway::new(TimConfig::new(APP)).mask_words(["red packet", "红包", ""])).await;
    let c2c = r#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b","MsgSeq":1,"MsgRandom":2,"MsgTime":3,"MsgKey":"k","OnlineOnlyFlag":0,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"a red packet: \u7ea2\u5305!"}},{"MsgType":"TIMFaceElem","MsgContent":{"Index":1,"Data":"x"}}],"CloudCustomData":""}"#;
    let (status, json) = post(addr, &query(APP, "C2C.CallbackBeforeSendMsg"), c2c.into()).await;
    assert_eq!(status, 200);
    assert_eq!(json["ErrorCode"], 0);
    assert_eq!(
        json["MsgBody"][0]["MsgContent"]["Text"],
        "a **********: **!"
    );
    assert_eq!(
        json["MsgBody"][1],
        serde_json::json!({"MsgType":"TIMFaceElem","MsgContent":{"Index":1,"Data":"x"}})
    );

    let group = r#"{"CallbackCommand":"Group.CallbackBeforeSendMsg","GroupId":"g","Type":"Public","From_Account":"a","Operator_Account":"a","Random":1,"OnlineOnlyFlag":0,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"\u7ea2\u5305"}}],"CloudCustomData":""}"#;
    let (_, json) = post(
        addr,
        &query(APP, "Group.CallbackBeforeSendMsg"),
        group.into(),
    )
    .await;
    assert_eq!(
        json["MsgBody"],
        serde_json::json!([{"MsgType":"TIMTextElem","MsgContent":{"Text":"**"}}])
    );

    let clean = c2c.replace("a red packet: \\u7ea2\\u5305!", "hello");
    let (_, json) = post(addr, &query(APP, "C2C.CallbackBeforeSendMsg"), clean.into()).await;
    assert!(is_allow(&json), "nothing to mask: the plain allow, {json}");
}

#[tokio::test]
async fn blocked_accounts_are_denied_friend_requests_and_refused_invitations() {
    let gateway = Gateway::new(TimConfig::new(APP)).block_accounts(["carol", "y", ""]);
    let addr = start(gateway.clone()).await;
    let deny =
        serde_json::json!({"To_Account":"carol","ResultCode":BLOCKED_CODE,"ResultInfo":"blocked"});
    let allow = |to: &str| serde_json::json!({"To_Account":to,"ResultCode":0,"ResultInfo":""});

    // A request to a blocked account is denied for that target only.
    let add = fixture("sns_prev_friend_add");
    let (status, json) = post(addr, &query(APP, "Sns.CallbackPrevFriendAdd"), add.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(json["ErrorCode"], 0, "{json}");
    assert_eq!(json["ResultItem"], serde_json::json!([allow("bob"), deny]));

    // A request from a blocked account is denied for every target.
    let from_blocked = String::from_utf8(add)
        .unwrap()
        .replace(r#""From_Account": "alice""#, r#""From_Account": "carol""#);
    let (_, json) = post(
        addr,
        &query(APP, "Sns.CallbackPrevFriendAdd"),
        from_blocked.into(),
    )
    .await;
    let codes: Vec<&Value> = json["ResultItem"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["ResultCode"])
        .collect();
    assert_eq!(codes, [BLOCKED_CODE, BLOCKED_CODE], "{json}");

    // No blocked account among the answers to a request: the plain allow.
    let response = fixture("sns_prev_friend_response");
    let (_, json) = post(
        addr,
        &query(APP, "Sns.CallbackPrevFriendResponse"),
        response,
    )
    .await;
    assert!(is_allow(&json), "{json}");

    // Blocked invitees are refused, the others join.
    let invite = fixture("group_before_invite_join_group");
    let (_, json) = post(
        addr,
        &query(APP, "Group.CallbackBeforeInviteJoinGroup"),
        invite,
    )
    .await;
    assert_eq!(
        json,
        serde_json::json!({"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["y"]})
    );
    let text = gateway.metrics().render();
    assert_eq!(
        metric(
            &text,
            "tim_callbacks_total{command=\"Group.CallbackBeforeInviteJoinGroup\",outcome=\"decided\"} "
        ),
        1
    );
}

fn metric(text: &str, line_start: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(line_start))
        .map_or(0, |v| v.trim().parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_what_was_sent_and_1000_concurrent_callbacks_all_answer() {
    let addr = start(Gateway::new(TimConfig::new(APP)).mask_words(["bad"])).await;
    let client = reqwest::Client::new();
    let fixtures = fixtures();
    let mut tasks = Vec::new();
    for i in 0..1000 {
        let (command, body) = fixtures[i % fixtures.len()].clone();
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(format!("http://{addr}/cb?{}", query(APP, &command)))
                .body(body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let json: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
            (command, status, json)
        }));
    }
    let mut per_command = std::collections::BTreeMap::<String, u64>::new();
    for task in tasks {
        let (command, status, json) = task.await.unwrap();
        assert_eq!(status, 200, "{command}");
        assert!(is_allow(&json), "{command}: {json}");
        *per_command.entry(command).or_default() += 1;
    }
    // Two refusals of different kinds.
    post(addr, &query(APP + 1, "State.StateChange"), b"{}".to_vec()).await;
    post(addr, &query(APP, "State.StateChange"), b"[".to_vec()).await;

    let text = client
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut total = 0;
    for (command, n) in &per_command {
        let label = if tim_callback::Command::from_name(command).is_known() {
            command.as_str()
        } else {
            "unknown"
        };
        let unknown_n: u64 = if label == "unknown" {
            per_command
                .iter()
                .filter(|(c, _)| !tim_callback::Command::from_name(c).is_known())
                .map(|(_, n)| n)
                .sum()
        } else {
            *n
        };
        let got = metric(
            &text,
            &format!("tim_callbacks_total{{command=\"{label}\",outcome=\"allowed\"}} "),
        );
        assert_eq!(got, unknown_n, "{command}\n{text}");
        total += n;
    }
    assert_eq!(total, 1000);
    assert_eq!(
        metric(&text, "tim_errors_total{kind=\"app_id\"} "),
        1,
        "{text}"
    );
    assert_eq!(
        metric(&text, "tim_errors_total{kind=\"body\"} "),
        1,
        "{text}"
    );
    assert_eq!(
        metric(
            &text,
            "tim_callbacks_total{command=\"State.StateChange\",outcome=\"refused\"} "
        ),
        2,
        "{text}"
    );
    assert_eq!(
        metric(&text, "tim_callback_duration_seconds_count "),
        1002,
        "{text}"
    );
}

#[tokio::test]
async fn after_callbacks_are_answered_before_they_are_processed() {
    let (release_tx, release_rx) = tokio::sync::watch::channel(false);
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    let gateway = Gateway::new(TimConfig::new(APP)).on_after_callback(move |cb| {
        let mut release = release_rx.clone();
        let done = done_tx.clone();
        async move {
            // The processing waits until the test has its answer: an answer that waited for
            // processing would never arrive.
            release.wait_for(|r| *r).await.unwrap();
            let group = match cb.callback() {
                tim_callback::Callback::GroupAfterGroupFull(e) => e.group_id.to_owned(),
                other => other.command().as_str().to_owned(),
            };
            done.send(group).unwrap();
        }
    });
    let addr = start(gateway).await;
    let body = br#"{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"@TGS#1"}"#;
    let (status, json) = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        post(
            addr,
            &query(APP, "Group.CallbackAfterGroupFull"),
            body.to_vec(),
        ),
    )
    .await
    .expect("answered within Tencent's 2 s while processing is still waiting");
    assert_eq!(status, 200);
    assert!(is_allow(&json));
    assert!(done_rx.try_recv().is_err(), "not processed yet");
    release_tx.send(true).unwrap();
    assert_eq!(done_rx.recv().await.unwrap(), "@TGS#1");
    // A before-callback is not handed on: its answer is the decision.
    let before = fixture("c2c_before_send_msg");
    assert_eq!(
        post(addr, &query(APP, "C2C.CallbackBeforeSendMsg"), before)
            .await
            .0,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(done_rx.try_recv().is_err());
}

#[tokio::test]
async fn an_ordinary_handler_sees_refusals_as_a_result() {
    use axum::http::StatusCode;
    use tim_callback_axum::{TimAnswer, TimCallback, TimRejection};
    async fn handle(
        cb: Result<TimCallback, TimRejection>,
    ) -> Result<TimAnswer, (StatusCode, String)> {
        match cb {
            Ok(cb) => Ok(cb.answer().into()),
            // The app's own policy: every refusal as 418, with the cause.
            Err(rejection) => Err((StatusCode::IM_A_TEAPOT, rejection.kind().to_owned())),
        }
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(TimConfig::new(APP));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = reqwest::Client::new();
    let r = client
        .post(format!(
            "http://{addr}/x?{}",
            query(APP + 5, "State.StateChange")
        ))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 418);
    assert_eq!(r.text().await.unwrap(), "app_id");
    let body =
        r#"{"CallbackCommand":"State.StateChange","Info":{"Action":"Login","To_Account":"u"}}"#;
    let (status, json) = post(addr, &query(APP, "State.StateChange"), body.into()).await;
    assert_eq!(status, 200);
    assert!(is_allow(&json));
}

#[tokio::test]
async fn one_connection_carries_many_callbacks() {
    let addr = start(Gateway::new(TimConfig::new(APP))).await;
    let body = fixture("state_change");
    let answers = tokio::task::spawn_blocking(move || {
        // HTTP/1.1 keep-alive, as Tencent uses it: three requests, one TCP connection.
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let mut reader = std::io::BufReader::new(s.try_clone().unwrap());
        let mut answers = Vec::new();
        for _ in 0..3 {
            write!(
                s,
                "POST /cb?{} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
                query(APP, "State.StateChange"),
                body.len()
            )
            .unwrap();
            s.write_all(&body).unwrap();
            let mut length = 0;
            let mut status = String::new();
            std::io::BufRead::read_line(&mut reader, &mut status).unwrap();
            loop {
                let mut line = String::new();
                std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
                if line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut answer = vec![0; length];
            reader.read_exact(&mut answer).unwrap();
            answers.push((status, String::from_utf8(answer).unwrap()));
        }
        answers
    })
    .await
    .unwrap();
    for (status, answer) in answers {
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        assert!(is_allow(&serde_json::from_str(&answer).unwrap()));
    }
}
