// Fuzz body shared by fuzz/fuzz_targets/scm_idm_streaming.rs and tests/fuzz_replay.rs:
// streaming equivalence and byte accounting (issue 18) for every framer of the crate.
// The first byte picks the framer and its options, the next two a split point; the rest
// is fed to core's FrameReader whole and in two pieces, and the events must agree
// (frames and error runs by offset and bytes, error runs merged), covering every input
// byte once (meterwire_testkit::check_stream_properties).
use meterwire_core::Framer;
use meterwire_scm_idm::*;

/// The stream properties (meterwire-testkit) with the reader's default 1 MiB bound.
fn check<F: Framer + Clone>(framer: F, data: &[u8], split: usize) {
    meterwire_testkit::check_stream_properties(framer, data, &[split.min(data.len())], 1 << 20);
}

pub fn run(data: &[u8]) {
    let [sel, s0, s1, rest @ ..] = data else { return };
    let split = usize::from(u16::from_le_bytes([*s0, *s1]));
    let st = meterwire_testkit::strictness_if(sel & 0x10 != 0);
    let correct = sel & 0x08 != 0;
    match sel & 7 {
        0 => {
            let f = ScmFramer::new().strictness(st);
            check(if correct { f.correct() } else { f }, rest, split)
        }
        1 => check(ScmPlusFramer::new().strictness(st), rest, split),
        2 => check(IdmFramer::new().strictness(st), rest, split),
        3 => check(NetIdmFramer::new().strictness(st), rest, split),
        4 => {
            let f = R900Framer::new().strictness(st);
            check(if correct { f.correct() } else { f }, rest, split)
        }
        5 => {
            let f = R900BcdFramer::new().strictness(st);
            check(if correct { f.correct() } else { f }, rest, split)
        }
        _ => {
            let kinds = if sel & 0x20 != 0 { Kinds::R900 } else { Kinds::ERT };
            let f = BitStreamFramer::new(kinds).strictness(st);
            check(if correct { f.correct() } else { f }, rest, split)
        }
    }
}
