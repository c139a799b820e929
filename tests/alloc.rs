//! A counting global allocator shows that parsing — and walking every list of the result —
//! allocates nothing, for every fixture, every corpus body, and a 10 MB member list.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: forwards the caller's layout to the system allocator unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout (see `alloc`).
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: as in `alloc` and `dealloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made on this thread by `f`.
fn allocations<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let before = ALLOCS.with(Cell::get);
    let r = f();
    (ALLOCS.with(Cell::get) - before, r)
}

/// Parses `body` and visits every value of the result (every list element at every depth, by
/// serializing into a preallocated buffer when `serde` is on). Returns bytes visited.
fn parse_and_walk(command: Option<&str>, body: &mut [u8], out: &mut [u8]) -> usize {
    let cb = match command {
        Some(command) => tim_callback::parse_as(command, body),
        None => tim_callback::parse(body),
    }
    .expect("fixture parses");
    #[cfg(feature = "serde")]
    {
        let mut w: &mut [u8] = out;
        let room = w.len();
        serde_json::to_writer(&mut w, &cb).expect("fits the buffer");
        room - w.len()
    }
    #[cfg(not(feature = "serde"))]
    {
        let _ = out;
        match &cb {
            tim_callback::Callback::C2cBeforeSendMsg(e) => e.msg_body.iter().count(),
            tim_callback::Callback::GroupAfterSendMsg(e) => e.msg_body.iter().count(),
            _ => 1,
        }
    }
}

#[test]
fn parsing_every_fixture_and_corpus_body_allocates_nothing() {
    let mut bodies: Vec<(String, Option<String>, Vec<u8>)> = common::fixtures()
        .into_iter()
        .map(|(name, bytes)| (name, None, bytes))
        .collect();
    // Under Miri (about 1000x slower), every twelfth of the per-command fixtures.
    let step = if cfg!(miri) { 12 } else { 1 };
    for (name, command, bytes) in common::command_fixtures().into_iter().step_by(step) {
        bodies.push((name, Some(command), bytes));
    }
    if let Some(shared) = common::shared_dir() {
        // Under Miri every fourth of Tencent's examples too.
        let corpus_step = if cfg!(miri) { 4 } else { 1 };
        for (name, command, bytes) in common::corpus_requests(&shared)
            .into_iter()
            .step_by(corpus_step)
        {
            if tim_callback::Command::from_name(&command).is_known() {
                bodies.push((name, Some(command), bytes));
            }
        }
    }
    let mut out = vec![0u8; 1 << 20];
    // The counter sees allocations (so a zero below means something).
    assert_eq!(allocations(|| drop(Vec::<u8>::with_capacity(8))).0, 1);
    for (name, command, bytes) in &bodies {
        let mut body = bytes.clone();
        let (n, visited) = allocations(|| parse_and_walk(command.as_deref(), &mut body, &mut out));
        assert!(visited > 0, "{name}: nothing visited");
        assert_eq!(n, 0, "{name}: {n} allocations");
    }
    assert!(bodies.len() >= 23, "{}", bodies.len());
}

#[test]
fn a_10_mb_member_list_parses_and_iterates_without_allocating() {
    let mut body = String::from(
        r#"{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#big","Type":"Community","JoinType":"Apply","Operator_Account":"op","NewMemberList":["#,
    );
    let mut count = 0usize;
    // 10 MB natively; 20 KB under Miri, which runs about 1000x slower.
    let size = if cfg!(miri) { 20 << 10 } else { 10 << 20 };
    while body.len() < size {
        if count > 0 {
            body.push(',');
        }
        body.push_str(&format!(r#"{{"Member_Account":"user_\u00e9{count:08}"}}"#));
        count += 1;
    }
    body.push_str(r#"],"EventTime":"1700000000000"}"#);
    let mut body = body.into_bytes();
    let (n, (len, walked, last_ok)) = allocations(|| {
        let Ok(tim_callback::Callback::GroupAfterNewMemberJoin(ev)) =
            tim_callback::parse(&mut body)
        else {
            panic!("parse failed")
        };
        let mut walked = 0usize;
        let mut last_ok = false;
        for (i, m) in ev.new_member_list.iter().enumerate() {
            walked += 1;
            // "user_é" then the 8-digit index: the \u00e9 escape was decoded in place.
            last_ok = m.member_account.starts_with("user_é")
                && m.member_account[7..].parse::<usize>().ok() == Some(i);
            if !last_ok {
                break;
            }
        }
        (ev.new_member_list.len(), walked, last_ok)
    });
    assert_eq!(n, 0, "{n} allocations");
    assert_eq!((len, walked), (count, count));
    assert!(last_ok);
}

/// The write-back half allocates nothing either: the query parsed and checked (signature
/// included, with `sign`), the body parsed as the query's command, and an answer that masks,
/// keeps and drops the event's own elements written into a slice and into `fmt::Write`.
#[test]
fn answering_a_callback_allocates_nothing() {
    let mut body = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/c2c_before_send_msg.json"),
    )
    .unwrap();
    #[cfg(feature = "sign")]
    let query = "SdkAppid=1400000000&CallbackCommand=C2C.CallbackBeforeSendMsg&contenttype=json\
        &ClientIP=127.0.0.1&OptPlatform=iOS\
        &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112";
    #[cfg(not(feature = "sign"))]
    let query = "SdkAppid=1400000000&CallbackCommand=C2C.CallbackBeforeSendMsg";
    let mut out = [0u8; 4096];
    struct Sink<'b>(&'b mut [u8], usize);
    impl std::fmt::Write for Sink<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let end = self.1 + s.len();
            self.0
                .get_mut(self.1..end)
                .ok_or(std::fmt::Error)?
                .copy_from_slice(s.as_bytes());
            self.1 = end;
            Ok(())
        }
    }
    let mut second = [0u8; 4096];
    let words = ["quoted"];
    let (n, (len, same)) = allocations(|| {
        let verifier = tim_callback::Verifier::new(1_400_000_000);
        #[cfg(feature = "sign")]
        let verifier = verifier.token("xxxxyyyy");
        let Ok(tim_callback::Callback::C2cBeforeSendMsg(msg)) =
            verifier.accept(query, 1_669_872_112, &mut body)
        else {
            panic!("accept failed")
        };
        let moderate = |e| match e {
            tim_callback::MsgElem::Text(t) => {
                Some(tim_callback::answer::ReplyElem::masked(t.text, &words))
            }
            tim_callback::MsgElem::Custom(_) => None,
            other => Some(tim_callback::answer::ReplyElem::Elem(other)),
        };
        let answer = msg
            .answer()
            .msg_body_mapped(msg.msg_body, &moderate)
            .and_then(|a| a.cloud_custom_data("{}"))
            .unwrap();
        let len = answer.write_into(&mut out).unwrap();
        let mut sink = Sink(&mut second, 0);
        std::fmt::Write::write_fmt(&mut sink, format_args!("{answer}")).unwrap();
        (len, sink.1 == len && answer.len() == len)
    });
    assert_eq!(n, 0, "{n} allocations");
    assert!(same);
    let text = std::str::from_utf8(&out[..len]).unwrap();
    assert!(
        text.contains(r#""Text":"line1\nline2 \"******\""#),
        "{text}"
    );
    assert_eq!(&second[..len], &out[..len]);
}
