// Fuzz body shared by fuzz/fuzz_targets/scm_idm_streaming.rs and tests/fuzz_replay.rs:
// streaming equivalence and byte accounting (issue 18) for every framer of the crate.
// The first byte picks the framer and its options, the next two a split point; the rest
// is fed to core's FrameReader whole and in two pieces, and the events must agree
// (frames by offset and bytes, error runs merged), covering every input byte once.
use meterwire_core::{Event, FrameReader, Framer};
use meterwire_scm_idm::*;

#[derive(Debug, PartialEq, Eq)]
enum E {
    Frame(u64, Vec<u8>),
    Error(u64, usize),
    Rest(u64, usize),
}

fn events<F: Framer>(framer: F, parts: &[&[u8]]) -> Vec<E> {
    let mut r = FrameReader::new(framer, Vec::new());
    let mut out: Vec<E> = Vec::new();
    let drain = |r: &mut FrameReader<F, Vec<u8>>, out: &mut Vec<E>| {
        while let Some(ev) = r.next_event() {
            let e = match ev {
                Event::Frame { offset, raw, .. } => E::Frame(offset, raw.to_vec()),
                Event::Error { offset, skipped, .. } => E::Error(offset, skipped.len()),
                Event::Truncated { offset, rest, .. } => E::Rest(offset, rest.len()),
            };
            if let (Some(E::Error(o, n)), E::Error(o2, m)) = (out.last_mut(), &e) {
                if *o + *n as u64 == *o2 {
                    *n += m;
                    continue;
                }
            }
            out.push(e);
        }
    };
    for p in parts {
        r.push(p).unwrap();
        drain(&mut r, &mut out);
    }
    r.finish();
    drain(&mut r, &mut out);
    out
}

fn check<F: Framer + Clone>(framer: F, data: &[u8], split: usize) {
    let whole = events(framer.clone(), &[data]);
    let (a, b) = data.split_at(split.min(data.len()));
    assert_eq!(events(framer, &[a, b]), whole, "split at {split}");
    // byte accounting: consecutive spans covering the input exactly once
    let mut pos = 0u64;
    for e in &whole {
        let (o, n) = match e {
            E::Frame(o, raw) => (*o, raw.len()),
            E::Error(o, n) | E::Rest(o, n) => (*o, *n),
        };
        assert_eq!(o, pos, "gap or overlap at {e:?}");
        pos += n as u64;
    }
    assert_eq!(pos, data.len() as u64);
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
