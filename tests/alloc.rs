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
fn parse_and_walk(body: &mut [u8], out: &mut [u8]) -> usize {
    let cb = tim_callback::parse(body).expect("fixture parses");
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
    let mut bodies: Vec<(String, Vec<u8>)> = common::fixtures();
    if let Some(shared) = common::shared_dir() {
        for (name, command, bytes) in common::corpus_requests(&shared) {
            if tim_callback::Command::from_name(&command).is_known() {
                bodies.push((name, bytes));
            }
        }
    }
    let mut out = vec![0u8; 1 << 20];
    // The counter sees allocations (so a zero below means something).
    assert_eq!(allocations(|| drop(Vec::<u8>::with_capacity(8))).0, 1);
    for (name, bytes) in &bodies {
        let mut body = bytes.clone();
        let (n, visited) = allocations(|| parse_and_walk(&mut body, &mut out));
        assert!(visited > 0, "{name}: nothing visited");
        assert_eq!(n, 0, "{name}: {n} allocations");
    }
    assert!(bodies.len() >= 23);
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
