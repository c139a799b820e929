//! Overflows the stack on purpose. With flip-link the stack sits below the statics, so the
//! overflow runs off the start of RAM and faults (a HardFault) instead of silently overwriting
//! them. CI expects exit code 1 and "HardFault".
#![no_std]
#![no_main]

use tim_callback_embedded::print;

/// Recurses with a frame that cannot be optimized away, without end.
#[allow(unconditional_recursion)]
#[inline(never)]
fn deeper(n: u32) -> u32 {
    let frame = core::hint::black_box([n; 64]);
    deeper(frame[usize::from(n as u8) % 64].wrapping_add(1)).wrapping_add(frame[0])
}

#[cortex_m_rt::entry]
fn main() -> ! {
    print("about to overflow the stack\n");
    let n = deeper(0);
    tim_callback_embedded::exit(n == 0)
}
