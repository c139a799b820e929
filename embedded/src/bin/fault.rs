//! Ends in a HardFault on purpose (an undefined instruction), to show that a fault exits QEMU
//! with a failure instead of hanging. CI expects exit code 1 and "HardFault".
#![no_std]
#![no_main]

use tim_callback_embedded::print;

#[cortex_m_rt::entry]
fn main() -> ! {
    print("about to execute an undefined instruction\n");
    cortex_m::asm::udf()
}
