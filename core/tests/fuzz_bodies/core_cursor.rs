// The body of the `core_cursor` fuzz target, shared with the stable replay test
// (fuzz/fuzz_targets/core_cursor.rs includes this file).

/// Drives Cursor and Writer with an operation script taken from `data`.
pub fn run(data: &[u8]) {
    use meterwire_core::{Cursor, Writer};
    let mut c = Cursor::new(data);
    let mut out = [0u8; 64];
    let mut w = Writer::new(&mut out);
    while let Ok(op) = c.read_u8() {
        let before = c.remaining();
        let ok = match op % 8 {
            0 => c.read_u16_be().is_ok(),
            1 => c.read_u32_le().is_ok(),
            2 => c.read_u64_be().is_ok(),
            3 => c.read_uint_le(usize::from(op >> 4)).is_ok(),
            4 => c.take(usize::from(op >> 3)).is_ok(),
            5 => w.write_u32_be(u32::from(op)).is_ok(),
            6 => w.write_uint_le(u64::from(op), usize::from(op >> 4)).is_ok(),
            _ => c.skip(usize::from(op >> 5)).is_ok(),
        };
        // a failed read consumes nothing
        if !ok && op % 8 < 5 {
            assert_eq!(c.remaining(), before);
        }
        assert!(w.position() <= 64);
    }
}
