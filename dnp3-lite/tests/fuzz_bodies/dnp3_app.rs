// Fuzz body shared by fuzz/fuzz_targets/dnp3_app.rs and tests/fuzz_replay.rs.
// Application parser over arbitrary fragments: never panics, object iteration ends,
// every header yields at most `count` points.
use meterwire_dnp3_lite::Fragment;

pub fn run(data: &[u8]) {
    if let Ok(f) = Fragment::parse(data) {
        let _ = f.iin().map(|i| i.set_bits().count());
        for block in f.objects().flatten() {
            let n = block.points().count();
            assert!(n as u64 <= u64::from(block.count));
        }
        let _ = f.validate();
    }
}
