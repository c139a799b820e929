//! What the embedded binaries share: the bodies in flash and the host's reading of them, a
//! static buffer to parse them in, semihosting output and exit, the stack measured by painting,
//! and a panic and a HardFault that end QEMU with a failure instead of hanging.
#![no_std]

use core::sync::atomic::{AtomicBool, Ordering};

use cortex_m_semihosting::{debug, hio};
use tim_callback::{Callback, Command, Error};

/// A body in flash and what the host's parser made of it (build.rs).
pub struct Body {
    /// Where it came from, relative to the repository.
    pub name: &'static str,
    /// The command to parse it as (`parse_as`); empty: its own (`parse`).
    pub command: &'static str,
    /// The command it is of (the host's `sniff`, or the one it is parsed as).
    pub of: &'static str,
    /// The body as received.
    pub bytes: &'static [u8],
    /// Whether the host parsed it.
    pub ok: bool,
    /// The host's error offset, when it did not.
    pub offset: usize,
    /// FNV-1a of the host's `Debug` text of the callback (the device's must equal it).
    pub hash: u64,
    /// The host's default answer, as written.
    pub answer: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/bodies.rs"));

/// The largest body the device parses; larger ones are reported and skipped.
pub const BUFFER: usize = 32 * 1024;

/// Writes to the host's standard output (semihosting); nothing if the host does not listen.
pub fn print(text: &str) {
    if let Ok(mut out) = hio::hstdout() {
        let _ = out.write_all(text.as_bytes());
    }
}

/// Writes a number in decimal.
pub fn print_number(mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    print(core::str::from_utf8(&digits[i..]).unwrap_or("?"));
}

/// Ends the program: QEMU exits with 0 when `ok`, else with 1.
pub fn exit(ok: bool) -> ! {
    debug::exit(if ok {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Without a debugger that takes the exit, stay here.
    loop {
        cortex_m::asm::wfi();
    }
}

/// How far below the stack pointer `paint` reaches: the deepest body the default depth limit
/// allows needs about 34 KB at opt-level `z` (docs/EMBEDDED.md), and RAM is 4 MB.
const PAINT: usize = 64 * 1024;
/// What painted stack holds until something uses it.
const COLOR: u32 = 0xA5A5_A5A5;

/// Paints the `PAINT` bytes below this frame; returns the stack pointer it painted below.
#[inline(never)]
pub fn paint() -> usize {
    let sp = cortex_m::register::msp::read() as usize;
    // This function's own frame is above `sp - 256`.
    let mut addr = sp - PAINT;
    while addr < sp - 256 {
        // SAFETY: the addresses lie between `sp - PAINT` and `sp - 256`: stack that no live
        // frame uses (the stack grows down from `sp`, and with flip-link the 4 MB of RAM
        // below the statics are all stack), aligned to 4 as `sp` is.
        unsafe { (addr as *mut u32).write_volatile(COLOR) };
        addr += 4;
    }
    sp
}

/// The bytes of stack used below `sp` since `paint(sp)`: up to the lowest word that changed.
#[inline(never)]
pub fn stack_used(sp: usize) -> usize {
    let mut addr = sp - PAINT;
    // SAFETY: as in `paint`: painted stack, below every live frame, aligned to 4.
    while addr < sp && unsafe { (addr as *const u32).read_volatile() } == COLOR {
        addr += 4;
    }
    sp - addr
}

/// FNV-1a over text written through `core::fmt`, as build.rs hashes the host's.
#[cfg(feature = "checks")]
struct Fnv(u64);

#[cfg(feature = "checks")]
impl core::fmt::Write for Fnv {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        for b in s.bytes() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Ok(())
    }
}

/// FNV-1a of the callback's `Debug` text (which reads every list).
#[cfg(feature = "checks")]
pub fn hash(cb: &Callback<'_>) -> u64 {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    let _ = core::fmt::write(&mut h, format_args!("{cb:?}"));
    h.0
}

/// Only one `run` holds the buffer.
static TAKEN: AtomicBool = AtomicBool::new(false);

/// How a binary parses a body.
pub type Parse = for<'b> fn(&Body, &'b mut [u8]) -> Result<Callback<'b>, Error>;

/// `parse`, or `parse_as` the body's command when it has one to give.
pub fn parse_any<'b>(body: &Body, input: &'b mut [u8]) -> Result<Callback<'b>, Error> {
    if body.command.is_empty() {
        tim_callback::parse(input)
    } else {
        tim_callback::parse_as(body.command, input)
    }
}

/// The command a body is of, as the host read it.
pub fn command_of(body: &Body) -> Command<'static> {
    Command::from_name(body.of)
}

/// Parses the bodies of `BODIES` that `select` takes from a static buffer with `parse`, checks
/// each against the host's reading (typed exactly when `typed` says it should be: a body whose
/// command's family this build left out must come back `Callback::Unknown`), writes its
/// default answer, then calls `more` with the callback for the binary's own checks. Prints a
/// line per body with the stack it took; returns whether every check passed.
pub fn run(
    select: impl Fn(&Body) -> bool,
    parse: Parse,
    typed: impl Fn(&Body) -> bool,
    more: impl Fn(&Body, &Callback<'_>) -> bool,
) -> bool {
    static mut BUF: [u8; BUFFER] = [0; BUFFER];
    if TAKEN.swap(true, Ordering::AcqRel) {
        return false;
    }
    // SAFETY: `TAKEN` lets one call through, once; nothing else names `BUF`.
    let buf: &mut [u8; BUFFER] = unsafe { &mut *core::ptr::addr_of_mut!(BUF) };
    let mut all_ok = true;
    let mut deepest = 0;
    let mut count = 0;
    for body in BODIES.iter().filter(|b| select(b)) {
        count += 1;
        print(body.name);
        if body.bytes.len() > BUFFER {
            print(": skipped, larger than the buffer\n");
            continue;
        }
        let input = &mut buf[..body.bytes.len()];
        input.copy_from_slice(body.bytes);
        let sp = paint();
        let ok = check(body, input, parse, typed(body), &more);
        let used = stack_used(sp);
        deepest = deepest.max(used);
        print(if ok {
            ": ok, stack "
        } else {
            ": FAILED, stack "
        });
        print_number(used);
        print(" B\n");
        all_ok &= ok;
    }
    print("bodies: ");
    print_number(count);
    print(", deepest stack: ");
    print_number(deepest);
    print(" B\n");
    all_ok
}

#[inline(never)]
fn check(
    body: &Body,
    input: &mut [u8],
    parse: Parse,
    typed_expected: bool,
    more: &impl Fn(&Body, &Callback<'_>) -> bool,
) -> bool {
    let cb = match parse(body, input) {
        Ok(cb) => cb,
        Err(e) => return !body.ok && e.offset() == body.offset,
    };
    if !body.ok {
        return false;
    }
    let typed = !matches!(cb, Callback::Unknown { .. });
    if typed != typed_expected {
        return false;
    }
    #[cfg(feature = "checks")]
    if typed && hash(&cb) != body.hash {
        return false;
    }
    let mut answer = [0u8; 256];
    let written = cb.answer().write_into(&mut answer).ok();
    written.and_then(|n| answer.get(..n)) == Some(body.answer) && more(body, &cb)
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    print("panic\n");
    exit(false)
}

#[cortex_m_rt::exception]
unsafe fn HardFault(_: &cortex_m_rt::ExceptionFrame) -> ! {
    print("HardFault\n");
    exit(false)
}
