//! Panics on purpose, to show that a panic exits QEMU with a failure. CI expects exit code 1
//! and "panic".
#![no_std]
#![no_main]

use tim_callback_embedded::print;

#[cortex_m_rt::entry]
fn main() -> ! {
    print("about to panic\n");
    let limit = core::hint::black_box(3usize);
    let items = [1u8, 2, 3];
    // Out of bounds: a panic.
    let _ = core::hint::black_box(items[limit]);
    tim_callback_embedded::exit(true)
}
