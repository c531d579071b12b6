//! A no_std binary without an allocator that calls every decoder and encoder,
//! so the linker (not a comment) proves they need neither std nor alloc.
//! Build: `cargo build --release --target thumbv7em-none-eabihf` in this folder.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use core::hint::black_box;

/// Core: cursor and writer.
fn core_smoke(input: &[u8], out: &mut [u8]) -> usize {
    let mut c = meterwire_core::Cursor::new(input);
    let v = c.read_u32_be().unwrap_or(0);
    let mut w = meterwire_core::Writer::new(out);
    let _ = w.write_u32_le(v);
    w.position()
}

// Protocol crates add a `fn <proto>_smoke(input: &[u8], out: &mut [u8]) -> usize`
// here and call it from `_start` below.

/// The entry point: runs every smoke function on opaque input.
// The one unsafe attribute: an unmangled entry symbol the linker keeps.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let input = black_box([0u8; 300]);
    let mut out = [0u8; 300];
    let mut total = 0usize;
    total = total.wrapping_add(core_smoke(&input, &mut out));
    black_box(total);
    black_box(out);
    loop {}
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
