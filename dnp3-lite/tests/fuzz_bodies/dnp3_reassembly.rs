// Fuzz body shared by fuzz/fuzz_targets/dnp3_reassembly.rs and tests/fuzz_replay.rs.
// Link + transport reassembly over arbitrary bytes (small bound), and the bare
// reassembler over arbitrary segments cut by length bytes: never panics, fragments
// never exceed the bound.
use meterwire_core::{Event, Frames};
use meterwire_dnp3_lite::{Dnp3Framer, Reassembler};

pub fn run(data: &[u8]) {
    for ev in Frames::new(Dnp3Framer::new().max_fragment(300), data) {
        if let Event::Frame { frame, .. } = ev {
            if let Some(f) = &frame.fragment {
                assert!(f.len() <= 300);
                let _ = frame.application();
            }
        }
    }
    let mut r = Reassembler::new([0u8; 100]);
    let mut rest = data;
    while let Some((&n, tail)) = rest.split_first() {
        let n = usize::from(n % 32).min(tail.len());
        let (seg, next) = tail.split_at(n);
        if r.push(seg).is_ok() {
            assert!(r.fragment().len() <= 100);
        }
        rest = next;
    }
}
