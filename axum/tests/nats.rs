//! The gateway against a real `nats-server` with JetStream on loopback: after-callbacks land
//! in the stream once each, a broker outage is ridden out by the buffer (and refused with 503
//! when it is full), and before-callbacks are decided by workers or fail open.
//!
//! They need `nats-server` and are ignored unless asked for (`cargo test -- --ignored`); CI runs
//! them (`.ci/run`).

#![cfg(feature = "nats")]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_nats::jetstream;
use futures_util::StreamExt;
use serde_json::Value;
use tim_callback_axum::nats::{Nats, NatsOptions, serve_decisions};
use tim_callback_axum::{Gateway, TimAnswer, TimConfig};
use tim_callback_testkit::nats_server::{self, NatsServer};

const APP: u64 = 1_400_000_000;

/// Subjects and a stream no other test uses, so tests can share one broker.
fn names() -> (String, String) {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let id = format!("{}x{n}", std::process::id());
    (format!("t{id}"), format!("T{id}"))
}

async fn start(gateway: Gateway) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, gateway.router()).await.unwrap() });
    addr
}

async fn gateway(options: NatsOptions, words: &[&str]) -> (SocketAddr, Gateway) {
    let nats = Nats::connect(options).await.unwrap();
    let gateway = Gateway::new(TimConfig::new(APP))
        .mask_words(words.iter().copied())
        .nats(nats);
    (start(gateway.clone()).await, gateway)
}

fn query(command: &str) -> String {
    format!(
        "SdkAppid={APP}&CallbackCommand={command}&contenttype=json&ClientIP=10.0.0.1&OptPlatform=Web"
    )
}

/// A distinct C2C after-send body for each `n`.
fn after_send(n: usize) -> Vec<u8> {
    format!(
        r#"{{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"u{a}","To_Account":"u{b}","MsgSeq":{n},"MsgRandom":{r},"MsgTime":1764547200,"MsgKey":"{n}_{r}_1764547200","OnlineOnlyFlag":0,"SendMsgResult":0,"ErrorInfo":"","UnreadMsgNum":1,"MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"message \"{n}\"\n\u62bd\u5956"}}}}],"CloudCustomData":"","EventTime":1764547200123}}"#,
        a = n % 97,
        b = n % 89,
        r = n * 7919 % 4_294_967_291,
    )
    .into_bytes()
}

fn before_send(text: &str) -> Vec<u8> {
    serde_json::json!({
        "CallbackCommand": "C2C.CallbackBeforeSendMsg",
        "From_Account": "alice", "To_Account": "bob",
        "MsgSeq": 1, "MsgRandom": 2, "MsgTime": 1764547200, "MsgKey": "1_2_1764547200",
        "OnlineOnlyFlag": 0,
        "MsgBody": [
            {"MsgType": "TIMTextElem", "MsgContent": {"Text": text}},
            {"MsgType": "TIMFaceElem", "MsgContent": {"Index": 3, "Data": "wink"}}
        ],
        "CloudCustomData": "",
        "EventTime": 1764547200123u64
    })
    .to_string()
    .into_bytes()
}

async fn post(
    client: &reqwest::Client,
    addr: SocketAddr,
    query: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let response = client
        .post(format!("http://{addr}/tim?{query}"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn is_allow(json: &Value) -> bool {
    json == &serde_json::json!({"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""})
}

/// A counter's value in a gateway's exposition (0 when absent).
fn metric(gateway: &Gateway, line_start: &str) -> f64 {
    gateway
        .metrics()
        .render()
        .lines()
        .find_map(|l| l.strip_prefix(line_start)?.trim().parse().ok())
        .unwrap_or(0.0)
}

/// Every message in `stream`, as (subject, headers, payload), read with an ordered consumer.
async fn read_stream(url: &str, stream: &str) -> Vec<(String, async_nats::HeaderMap, Vec<u8>)> {
    let client = async_nats::connect(url).await.unwrap();
    let js = jetstream::new(client);
    let mut stream = js.get_stream(stream).await.unwrap();
    let count = stream.info().await.unwrap().state.messages as usize;
    let consumer = stream
        .create_consumer(jetstream::consumer::pull::OrderedConfig::default())
        .await
        .unwrap();
    let mut messages = consumer.messages().await.unwrap();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let message = tokio::time::timeout(Duration::from_secs(10), messages.next())
            .await
            .expect("the stream's messages arrive")
            .unwrap()
            .unwrap();
        out.push((
            message.subject.to_string(),
            message.headers.clone().unwrap_or_default(),
            message.payload.to_vec(),
        ));
    }
    out
}

/// Waits until the gateway's buffer is empty; fails after `within`.
async fn drained(gateway: &Gateway, within: Duration) {
    let deadline = Instant::now() + within;
    while metric(gateway, "tim_nats_buffered_events ") > 0.0 {
        assert!(Instant::now() < deadline, "the buffer did not drain");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sends `bodies` with up to 64 in flight, each to `addrs[i % addrs.len()]`; returns the
/// statuses in order.
async fn send_all(addrs: &[SocketAddr], command: &str, bodies: Vec<Vec<u8>>) -> Vec<u16> {
    let client = reqwest::Client::new();
    let limit = Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = Vec::with_capacity(bodies.len());
    for (i, body) in bodies.into_iter().enumerate() {
        let client = client.clone();
        let addr = addrs[i % addrs.len()];
        let q = query(command);
        let permit = limit.clone().acquire_owned().await.unwrap();
        tasks.push(tokio::spawn(async move {
            let (status, json) = post(&client, addr, &q, body).await;
            drop(permit);
            if status == 200 {
                assert!(is_allow(&json), "{json}");
            }
            status
        }));
    }
    let mut statuses = Vec::with_capacity(tasks.len());
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
async fn after_callbacks_from_two_gateways_land_in_the_stream_once_each() {
    let (_own, url) = nats_server::shared_or_own();
    let (prefix, stream) = names();
    let options = NatsOptions::new(&url).prefix(&prefix).stream(&stream);
    let (a, gateway_a) = gateway(options.clone(), &[]).await;
    let (b, gateway_b) = gateway(options, &[]).await;

    let bodies: Vec<Vec<u8>> = (0..10_000).map(after_send).collect();
    let statuses = send_all(&[a, b], "C2C.CallbackAfterSendMsg", bodies.clone()).await;
    assert!(statuses.iter().all(|&s| s == 200));
    // Tencent's retries of 300 of them, each through the other gateway: stored once.
    let retried: Vec<Vec<u8>> = bodies[..300].to_vec();
    let statuses = send_all(&[b, a], "C2C.CallbackAfterSendMsg", retried).await;
    assert!(statuses.iter().all(|&s| s == 200));
    // A push batch of two events: two messages, each a batch of one.
    let push = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/commands/Push.OfflinePush.documented.json"),
    )
    .unwrap();
    assert_eq!(
        send_all(&[a], "Push.OfflinePush", vec![push.clone()]).await,
        [200]
    );

    let messages = read_stream(&url, &stream).await;
    assert_eq!(
        messages.len(),
        10_002,
        "every body once, each push event once"
    );
    let expected: HashSet<&[u8]> = bodies.iter().map(|b| &b[..]).collect();
    let mut seen = HashSet::new();
    let mut push_events = Vec::new();
    for (subject, headers, payload) in &messages {
        let id = headers.get("Nats-Msg-Id").expect("a message id").as_str();
        assert_eq!(id.len(), 64, "a SHA-256 in hex");
        let query_header = headers.get("Tim-Query").expect("the query").as_str();
        if subject.ends_with("Push.OfflinePush") {
            assert_eq!(subject, &format!("{prefix}.event.Push.OfflinePush"));
            assert_eq!(query_header, query("Push.OfflinePush"));
            let mut buf = payload.clone();
            match tim_callback::parse_as("Push.OfflinePush", &mut buf).unwrap() {
                tim_callback::Callback::PushOfflinePush(batch) => {
                    assert_eq!(batch.events.len(), 1);
                    push_events.push(batch.events.get(0).unwrap().push_id.to_owned());
                }
                other => panic!("{other:?}"),
            }
            continue;
        }
        assert_eq!(subject, &format!("{prefix}.event.C2C.CallbackAfterSendMsg"));
        assert_eq!(query_header, query("C2C.CallbackAfterSendMsg"));
        assert_eq!(
            headers.get("Tim-Command").unwrap().as_str(),
            "C2C.CallbackAfterSendMsg"
        );
        assert!(
            expected.contains(&payload[..]),
            "a body that was sent, byte for byte"
        );
        assert!(seen.insert(payload.clone()), "stored once");
    }
    assert_eq!(seen.len(), 10_000);
    push_events.sort();
    assert_eq!(push_events, ["push-1", "push-2"]);

    let published = metric(&gateway_a, "tim_nats_published_total ")
        + metric(&gateway_b, "tim_nats_published_total ");
    let duplicates = metric(&gateway_a, "tim_nats_duplicates_total ")
        + metric(&gateway_b, "tim_nats_duplicates_total ");
    assert_eq!(published, 10_302.0);
    assert_eq!(duplicates, 300.0);
    assert_eq!(metric(&gateway_a, "tim_nats_buffered_events "), 0.0);
    assert!(
        gateway_a
            .metrics()
            .render()
            .contains("tim_nats_publish_duration_seconds_count")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
async fn a_stream_deleted_while_serving_is_made_again_and_nothing_after_is_lost() {
    let (_own, url) = nats_server::shared_or_own();
    let (prefix, stream) = names();
    let (addr, gateway) =
        gateway(NatsOptions::new(&url).prefix(&prefix).stream(&stream), &[]).await;
    let command = "C2C.CallbackAfterSendMsg";
    let statuses = send_all(&[addr], command, (0..50).map(after_send).collect()).await;
    assert!(statuses.iter().all(|&s| s == 200));
    assert_eq!(metric(&gateway, "tim_nats_answered_buffered_total "), 0.0);

    // Someone deletes the stream: the broker answers the next publishes "no responders", and
    // the gateway makes the stream again and publishes them there.
    let js = jetstream::new(async_nats::connect(&url).await.unwrap());
    js.delete_stream(&stream).await.unwrap();
    let later: Vec<Vec<u8>> = (50..100).map(after_send).collect();
    let statuses = send_all(&[addr], command, later.clone()).await;
    assert!(statuses.iter().all(|&s| s == 200));
    drained(&gateway, Duration::from_secs(10)).await;
    // The first publish after the deletion found no stream: answered 200 from the buffer.
    assert!(metric(&gateway, "tim_nats_answered_buffered_total ") > 0.0);
    let stored: HashSet<Vec<u8>> = read_stream(&url, &stream)
        .await
        .into_iter()
        .map(|(_, _, payload)| payload)
        .collect();
    let expected: HashSet<Vec<u8>> = later.into_iter().collect();
    assert_eq!(stored, expected, "every body sent after the deletion, once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
async fn answers_are_due_at_the_publish_wait_while_the_stream_cannot_even_be_made() {
    // Down from the start: the gateway's first act, making the stream, waits its whole attempt
    // timeout (1 s here) for a broker that never answers. Each callback is still answered
    // at its publish wait (well before that 1 s), with its event kept and published once the
    // broker is up.
    let mut server = NatsServer::start();
    server.kill();
    let (prefix, stream) = names();
    let publish_wait = Duration::from_millis(150);
    let options = NatsOptions::new(server.url())
        .prefix(&prefix)
        .stream(&stream)
        .publish_wait(publish_wait)
        .attempt_timeout(Duration::from_secs(1));
    let (addr, gateway) = gateway(options, &[]).await;
    let client = reqwest::Client::new();
    let command = "C2C.CallbackAfterSendMsg";
    let bodies: Vec<Vec<u8>> = (0..8).map(after_send).collect();
    let answers = futures_util::future::join_all(bodies.iter().map(|body| {
        let (client, q, body) = (client.clone(), query(command), body.clone());
        async move {
            let start = Instant::now();
            let (status, json) = post(&client, addr, &q, body).await;
            (status, json, start.elapsed())
        }
    }))
    .await;
    for (status, json, took) in &answers {
        assert_eq!(*status, 200, "{json}");
        assert!(is_allow(json));
        assert!(
            *took >= publish_wait && *took < publish_wait + Duration::from_millis(800),
            "answered after {took:?}, due at {publish_wait:?}"
        );
    }
    assert_eq!(metric(&gateway, "tim_nats_answered_buffered_total "), 8.0);
    assert_eq!(metric(&gateway, "tim_nats_buffered_events "), 8.0);

    server.restart();
    drained(&gateway, Duration::from_secs(30)).await;
    let stored: Vec<Vec<u8>> = read_stream(&server.url(), &stream)
        .await
        .into_iter()
        .map(|(_, _, payload)| payload)
        .collect();
    assert_eq!(stored.len(), 8, "each event once");
    let stored: HashSet<Vec<u8>> = stored.into_iter().collect();
    assert_eq!(stored, bodies.into_iter().collect::<HashSet<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
async fn a_broker_outage_is_buffered_refused_when_full_and_published_after() {
    let mut server = NatsServer::start();
    let (prefix, stream) = names();
    let options = NatsOptions::new(server.url())
        .prefix(&prefix)
        .stream(&stream)
        .buffer(40)
        .publish_wait(Duration::from_millis(300))
        .attempt_timeout(Duration::from_millis(200));
    let (addr, gateway) = gateway(options, &[]).await;
    let client = reqwest::Client::new();
    let command = "C2C.CallbackAfterSendMsg";

    for n in 0..10 {
        let (status, json) = post(&client, addr, &query(command), after_send(n)).await;
        assert_eq!(status, 200);
        assert!(is_allow(&json));
    }
    assert_eq!(metric(&gateway, "tim_nats_published_total "), 10.0);

    server.kill();
    // 40 callbacks fill the buffer; each is answered 200 within Tencent's 2 s.
    let mut answered = (0..10).map(after_send).collect::<Vec<_>>();
    for n in 10..50 {
        let start = Instant::now();
        let (status, json) = post(&client, addr, &query(command), after_send(n)).await;
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(status, 200, "{json}");
        answered.push(after_send(n));
    }
    assert_eq!(metric(&gateway, "tim_nats_buffered_events "), 40.0);
    assert_eq!(metric(&gateway, "tim_nats_answered_buffered_total "), 40.0);
    // Ten more find it full: 503, never silently dropped.
    for n in 50..60 {
        let start = Instant::now();
        let response = client
            .post(format!("http://{addr}/tim?{}", query(command)))
            .body(after_send(n))
            .send()
            .await
            .unwrap();
        assert!(start.elapsed() < Duration::from_secs(2));
        assert_eq!(response.status().as_u16(), 503);
        assert_eq!(response.headers()["retry-after"], "1");
        let json: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(json["error"], "unavailable");
    }
    assert_eq!(
        metric(&gateway, "tim_nats_refused_total{reason=\"buffer_full\"} "),
        10.0
    );
    assert_eq!(
        metric(&gateway, "tim_errors_total{kind=\"unavailable\"} "),
        10.0
    );

    server.restart();
    drained(&gateway, Duration::from_secs(30)).await;
    assert!(metric(&gateway, "tim_nats_publish_retries_total ") > 0.0);
    // A new callback is acknowledged again.
    let (status, _) = post(&client, addr, &query(command), after_send(60)).await;
    assert_eq!(status, 200);
    answered.push(after_send(60));

    let stored: HashSet<Vec<u8>> = read_stream(&server.url(), &stream)
        .await
        .into_iter()
        .map(|(_, _, payload)| payload)
        .collect();
    let answered: HashSet<Vec<u8>> = answered.into_iter().collect();
    assert_eq!(
        stored, answered,
        "the stream holds every event answered 200, and only those"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
async fn an_event_larger_than_the_brokers_limit_is_refused_not_retried() {
    let server = NatsServer::with_max_payload(Some(4096));
    let (prefix, stream) = names();
    let options = NatsOptions::new(server.url())
        .prefix(&prefix)
        .stream(&stream);
    let (addr, gateway) = gateway(options, &[]).await;
    let client = reqwest::Client::new();
    let command = "C2C.CallbackAfterSendMsg";
    let small = after_send(1);
    let big = String::from_utf8(after_send(2))
        .unwrap()
        .replace("message", &"long ".repeat(2000))
        .into_bytes();
    assert_eq!(post(&client, addr, &query(command), small).await.0, 200);
    assert_eq!(post(&client, addr, &query(command), big).await.0, 503);
    assert_eq!(
        metric(&gateway, "tim_nats_refused_total{reason=\"too_large\"} "),
        1.0
    );
    assert_eq!(metric(&gateway, "tim_nats_buffered_events "), 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
async fn workers_decide_before_callbacks_and_the_gateway_fails_open() {
    let (_own, url) = nats_server::shared_or_own();
    let (prefix, stream) = names();
    let budget = Duration::from_millis(400);
    let options = NatsOptions::new(&url)
        .prefix(&prefix)
        .stream(&stream)
        .decide(budget);
    let (addr, gateway) = gateway(options, &[]).await;
    let client = reqwest::Client::new();
    let command = "C2C.CallbackBeforeSendMsg";

    // No worker yet: allow, within the budget.
    let start = Instant::now();
    let (status, json) = post(
        &client,
        addr,
        &query(command),
        before_send("win the lottery"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(is_allow(&json), "{json}");
    assert!(start.elapsed() < budget + Duration::from_millis(300));
    assert_eq!(
        metric(
            &gateway,
            "tim_nats_decisions_total{source=\"no_responder\"} "
        ),
        1.0
    );

    // Two workers in one queue group, masking as the gateway would.
    let worker_client = async_nats::connect(&url).await.unwrap();
    let served = Arc::new(AtomicUsize::new(0));
    for _ in 0..2 {
        let masker = Gateway::new(TimConfig::new(APP)).mask_words(["lottery"]);
        let served = served.clone();
        let client = worker_client.clone();
        let prefix = prefix.clone();
        tokio::spawn(async move {
            serve_decisions(client, &prefix, "deciders", move |cb| {
                served.fetch_add(1, Ordering::Relaxed);
                masker.decide(cb).0
            })
            .await
        });
    }
    worker_client.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, json) = post(
        &client,
        addr,
        &query(command),
        before_send("win the lottery"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(json["ErrorCode"], 0);
    assert_eq!(json["MsgBody"][0]["MsgContent"]["Text"], "win the *******");
    assert_eq!(
        json["MsgBody"][1],
        serde_json::json!({"MsgType":"TIMFaceElem","MsgContent":{"Index":3,"Data":"wink"}})
    );
    let (_, json) = post(&client, addr, &query(command), before_send("hello")).await;
    assert!(is_allow(&json), "{json}");
    assert_eq!(
        served.load(Ordering::Relaxed),
        2,
        "each request answered by one worker"
    );
    assert_eq!(
        metric(&gateway, "tim_nats_decisions_total{source=\"worker\"} "),
        2.0
    );
    assert_eq!(
        metric(
            &gateway,
            "tim_callbacks_total{command=\"C2C.CallbackBeforeSendMsg\",outcome=\"decided\"} "
        ),
        2.0
    );
}

/// A worker on `prefix` that replies `reply` (after `delay`) to every decision request.
async fn canned_worker(url: &str, prefix: &str, reply: &'static str, delay: Duration) {
    let client = async_nats::connect(url).await.unwrap();
    let mut requests = client
        .subscribe(format!("{prefix}.decide.>"))
        .await
        .unwrap();
    client.flush().await.unwrap();
    tokio::spawn(async move {
        while let Some(request) = requests.next().await {
            tokio::time::sleep(delay).await;
            let _ = client.publish(request.reply.unwrap(), reply.into()).await;
        }
    });
}

/// A gateway of its own whose decisions come from a canned worker replying `reply`.
async fn deciding_gateway(url: &str, reply: &'static str) -> (SocketAddr, Gateway) {
    let (prefix, stream) = names();
    canned_worker(url, &prefix, reply, Duration::ZERO).await;
    let options = NatsOptions::new(url)
        .prefix(&prefix)
        .stream(&stream)
        .decide(Duration::from_millis(500));
    gateway(options, &[]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
async fn worker_replies_are_checked_by_the_typed_answer_api() {
    let (_own, url) = nats_server::shared_or_own();
    let client = reqwest::Client::new();
    let command = "C2C.CallbackBeforeSendMsg";
    let cases: [(&str, Option<Value>, &str); 7] = [
        // A valid rejection with a code in C2C's range is passed on.
        (
            r#"{"ActionStatus":"OK","ErrorCode":120002,"ErrorInfo":"no"}"#,
            Some(serde_json::json!({"ActionStatus":"OK","ErrorCode":120002,"ErrorInfo":"no"})),
            "worker",
        ),
        (
            r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#,
            Some(serde_json::json!({"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""})),
            "worker",
        ),
        // A code outside C2C's range: invalid, so allow.
        (
            r#"{"ActionStatus":"OK","ErrorCode":10100,"ErrorInfo":"x"}"#,
            None,
            "invalid",
        ),
        // A key Tencent does not read.
        (
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","Extra":1}"#,
            None,
            "invalid",
        ),
        // A MsgBody whose element does not parse as one.
        (
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":5}}]}"#,
            None,
            "invalid",
        ),
        // Not JSON.
        ("allow", None, "invalid"),
        // An extra with a rejection.
        (
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"","CloudCustomData":"x"}"#,
            None,
            "invalid",
        ),
    ];
    for (reply, expected, source) in cases {
        let (addr, gateway) = deciding_gateway(&url, reply).await;
        let (status, json) = post(&client, addr, &query(command), before_send("hi")).await;
        assert_eq!(status, 200, "{reply}");
        match expected {
            Some(expected) => assert_eq!(json, expected, "{reply}"),
            None => assert!(is_allow(&json), "{reply}: {json}"),
        }
        let line = format!("tim_nats_decisions_total{{source=\"{source}\"}} ");
        assert_eq!(metric(&gateway, &line), 1.0, "{reply}");
    }

    // A worker slower than the budget: allow, within the budget.
    let (prefix, stream) = names();
    canned_worker(
        &url,
        &prefix,
        r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#,
        Duration::from_secs(2),
    )
    .await;
    let budget = Duration::from_millis(300);
    let options = NatsOptions::new(&url)
        .prefix(&prefix)
        .stream(&stream)
        .decide(budget);
    let (addr, gateway) = gateway(options, &["hi"]).await;
    let start = Instant::now();
    let (_, json) = post(&client, addr, &query(command), before_send("hi there")).await;
    let took = start.elapsed();
    assert!(
        took >= budget && took < budget + Duration::from_millis(400),
        "{took:?}"
    );
    // Fail-open is the gateway's own answer: here its own masking.
    assert_eq!(json["MsgBody"][0]["MsgContent"]["Text"], "** there");
    assert_eq!(
        metric(&gateway, "tim_nats_decisions_total{source=\"timeout\"} "),
        1.0
    );
}

/// One of the core's fixtures by name.
fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../tests/fixtures/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
async fn worker_replies_carry_every_extra_their_command_allows() {
    let (_own, url) = nats_server::shared_or_own();
    let client = reqwest::Client::new();
    let ok = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"""#;
    // (fixture, command, reply, passed on as sent, or None: invalid, so allow)
    let cases: Vec<(&str, &str, String, bool)> = vec![
        // Friend requests: a verdict per target, denials in 38000–39000.
        (
            "sns_prev_friend_add",
            "Sns.CallbackPrevFriendAdd",
            format!(
                r#"{ok},"ResultItem":[{{"To_Account":"bob","ResultCode":0,"ResultInfo":""}},{{"To_Account":"carol","ResultCode":38001,"ResultInfo":"no"}}]}}"#
            ),
            true,
        ),
        (
            "sns_prev_friend_response",
            "Sns.CallbackPrevFriendResponse",
            format!(
                r#"{ok},"ResultItem":[{{"To_Account":"dave","ResultCode":38500,"ResultInfo":"blocked"}}]}}"#
            ),
            true,
        ),
        // A code outside the deny range.
        (
            "sns_prev_friend_add",
            "Sns.CallbackPrevFriendAdd",
            format!(
                r#"{ok},"ResultItem":[{{"To_Account":"bob","ResultCode":1,"ResultInfo":""}}]}}"#
            ),
            false,
        ),
        // An account the request does not name.
        (
            "sns_prev_friend_add",
            "Sns.CallbackPrevFriendAdd",
            format!(
                r#"{ok},"ResultItem":[{{"To_Account":"mallory","ResultCode":38000,"ResultInfo":""}}]}}"#
            ),
            false,
        ),
        // A key a ResultItem does not have.
        (
            "sns_prev_friend_add",
            "Sns.CallbackPrevFriendAdd",
            format!(r#"{ok},"ResultItem":[{{"To_Account":"bob","ResultCode":0,"Why":""}}]}}"#),
            false,
        ),
        // Invitations: some of the invited refused.
        (
            "group_before_invite_join_group",
            "Group.CallbackBeforeInviteJoinGroup",
            format!(r#"{ok},"RefusedMembers_Account":["x","z"]}}"#),
            true,
        ),
        (
            "group_before_invite_join_group",
            "Group.CallbackBeforeInviteJoinGroup",
            format!(r#"{ok},"RefusedMembers_Account":["x","nobody"]}}"#),
            false,
        ),
        // Refusing members only goes with an allow.
        (
            "group_before_invite_join_group",
            "Group.CallbackBeforeInviteJoinGroup",
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":"","RefusedMembers_Account":["x"]}"#
                .into(),
            false,
        ),
        // An extra of another command.
        (
            "group_before_create_group",
            "Group.CallbackBeforeCreateGroup",
            format!(r#"{ok},"RefusedMembers_Account":["x"]}}"#),
            false,
        ),
        (
            "group_before_create_group",
            "Group.CallbackBeforeCreateGroup",
            r#"{"ActionStatus":"OK","ErrorCode":10150,"ErrorInfo":"full"}"#.into(),
            true,
        ),
        // Group messages: a replacement body and custom data.
        (
            "group_before_send_msg",
            "Group.CallbackBeforeSendMsg",
            format!(
                r#"{ok},"MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"**"}}}}],"CloudCustomData":"checked"}}"#
            ),
            true,
        ),
        (
            "group_before_send_msg",
            "Group.CallbackBeforeSendMsg",
            format!(r#"{ok},"ResultItem":[]}}"#),
            false,
        ),
    ];
    for (name, command, reply, passed) in cases {
        let reply: &'static str = Box::leak(reply.into_boxed_str());
        let (addr, gateway) = deciding_gateway(&url, reply).await;
        let (status, json) = post(&client, addr, &query(command), fixture(name)).await;
        assert_eq!(status, 200, "{reply}");
        if passed {
            let sent: Value = serde_json::from_str(reply).unwrap();
            assert_eq!(json, sent, "{command}: {reply}");
        } else {
            assert!(is_allow(&json), "{command}: {reply}: {json}");
        }
        let source = if passed { "worker" } else { "invalid" };
        let line = format!("tim_nats_decisions_total{{source=\"{source}\"}} ");
        assert_eq!(metric(&gateway, &line), 1.0, "{command}: {reply}");
    }
}

#[test]
fn decisions_from_a_checked_answer_round_trip() {
    // The worker half needs no broker to build its answer: the masking gateway's decision.
    let masker = Gateway::new(TimConfig::new(APP)).mask_words(["lottery"]);
    let request = axum::http::Request::post(format!("/?{}", query("C2C.CallbackBeforeSendMsg")))
        .body(axum::body::Body::from(before_send("lottery")))
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let cb = runtime
        .block_on(tim_callback_axum::TimCallback::extract(
            request,
            masker.config(),
        ))
        .unwrap();
    let answer: TimAnswer = masker.decide(&cb).0;
    assert!(answer.body().contains("*******"));
    let copy =
        tim_callback_axum::TimCallback::from_parts(cb.query_string(), cb.original_body().clone())
            .unwrap();
    assert_eq!(copy.callback(), cb.callback());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server: cargo test -- --ignored (CI runs it)"]
async fn an_unknown_command_is_published_under_unknown_with_its_name_in_a_header() {
    let (_own, url) = nats_server::shared_or_own();
    let (prefix, stream) = names();
    let (addr, _gateway) =
        gateway(NatsOptions::new(&url).prefix(&prefix).stream(&stream), &[]).await;
    let client = reqwest::Client::new();
    // A command with a wildcard in it: never put into a subject.
    let body = br#"{"CallbackCommand":"Live.*.Callback>","Anything":[1,2]}"#.to_vec();
    let (status, json) = post(&client, addr, &query("Live.*.Callback>"), body.clone()).await;
    assert_eq!(status, 200);
    assert!(is_allow(&json));
    let messages = read_stream(&url, &stream).await;
    assert_eq!(messages.len(), 1);
    let (subject, headers, payload) = &messages[0];
    assert_eq!(subject, &format!("{prefix}.event.unknown"));
    // As the query string wrote it (the client percent-encoded the `>`).
    assert_eq!(
        headers.get("Tim-Command").unwrap().as_str(),
        "Live.*.Callback%3E"
    );
    assert_eq!(payload, &body);
}
