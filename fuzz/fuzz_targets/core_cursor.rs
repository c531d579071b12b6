#![no_main]
//! Cursor/Writer never panic: read a script of operations driven by the input.
use libfuzzer_sys::fuzz_target;
use meterwire_core::{Cursor, Writer};

fuzz_target!(|data: &[u8]| {
    let mut c = Cursor::new(data);
    let mut out = [0u8; 64];
    let mut w = Writer::new(&mut out);
    while let Ok(op) = c.read_u8() {
        let _ = match op % 8 {
            0 => c.read_u16_be().map(u64::from),
            1 => c.read_u32_le().map(u64::from),
            2 => c.read_u64_be(),
            3 => c.read_uint_le(usize::from(op >> 4)),
            4 => c.take(usize::from(op >> 3)).map(|s| s.len() as u64),
            5 => w.write_u32_be(u32::from(op)).map(|_| 0).map_err(|_| meterwire_core::Error::Truncated { needed: 0 }),
            6 => w.write_uint_le(u64::from(op), usize::from(op >> 4)).map(|_| 0).map_err(|_| meterwire_core::Error::Truncated { needed: 0 }),
            _ => c.skip(usize::from(op >> 5)).map(|_| 0),
        };
    }
});
