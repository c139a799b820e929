//! The embedded programs' parses as a WebAssembly module (`wasm32-unknown-unknown`), measured
//! by `scripts/embedded_sizes.py`: the host writes a body at `input()` and calls
//! `handle(len)`, which parses it in place and writes the answer at `output()`.
#![no_std]

use core::cell::UnsafeCell;

/// The module's buffers; wasm32-unknown-unknown runs one thread.
struct Buffers(UnsafeCell<([u8; 65536], [u8; 4096])>);

// SAFETY: the target has one thread, and `handle` is not reentrant (it calls nothing of the
// host), so no two references to the buffers are ever live at once.
unsafe impl Sync for Buffers {}

static BUFFERS: Buffers = Buffers(UnsafeCell::new(([0; 65536], [0; 4096])));

/// Where the host writes the body.
#[unsafe(no_mangle)]
pub extern "C" fn input() -> *mut u8 {
    BUFFERS.0.get().cast()
}

/// Parses the `len` bytes at `input()` and writes the answer at `output()`; returns its length,
/// or -1 when the body is rejected (or longer than the input buffer).
#[unsafe(no_mangle)]
pub extern "C" fn handle(len: usize) -> isize {
    // SAFETY: see `Buffers`: this is the only reference while `handle` runs.
    let (input, output) = unsafe { &mut *BUFFERS.0.get() };
    let Some(body) = input.get_mut(..len) else {
        return -1;
    };
    answer(body, output).map_or(-1, |n| n as isize)
}

/// Where `handle` writes the answer.
#[unsafe(no_mangle)]
pub extern "C" fn output() -> *const u8 {
    // SAFETY: a pointer into the buffers, not a reference.
    unsafe { (*BUFFERS.0.get()).1.as_ptr() }
}

#[cfg(any(feature = "all-commands", feature = "c2c"))]
fn answer(body: &mut [u8], out: &mut [u8]) -> Option<usize> {
    let callback = tim_callback::parse(body).ok()?;
    callback.answer().write_into(out).ok()
}

#[cfg(not(any(feature = "all-commands", feature = "c2c")))]
fn answer(body: &mut [u8], out: &mut [u8]) -> Option<usize> {
    use tim_callback::MsgElem;
    use tim_callback::answer::ReplyElem;
    let msg =
        tim_callback::parse_event::<tim_callback::events::c2c::C2cBeforeSendMsg>(body).ok()?;
    let mask = |e| match e {
        MsgElem::Text(t) => Some(ReplyElem::masked(t.text, &["lottery"])),
        other => Some(ReplyElem::Elem(other)),
    };
    let answer = msg.answer().msg_body_mapped(msg.msg_body, &mask).ok()?;
    answer.write_into(out).ok()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
