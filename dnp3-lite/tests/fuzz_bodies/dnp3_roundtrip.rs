// Fuzz body shared by fuzz/fuzz_targets/dnp3_roundtrip.rs and tests/fuzz_replay.rs.
// parse -> encode -> parse -> encode is stable for every fragment that parses fully,
// and the encoded length is what `encoded_len` promised.
use meterwire_core::Encode;
use meterwire_dnp3_lite::{Fragment, FragmentRepr, ObjectRepr, Point};

fn reencode(data: &[u8]) -> Option<Vec<u8>> {
    let f = Fragment::parse(data).ok()?;
    let blocks: Vec<_> = f.objects().collect::<Result<_, _>>().ok()?;
    let points: Vec<Vec<Point<'_>>> = blocks.iter().map(|b| b.points().collect()).collect();
    // a block whose points stop early (cannot happen after a successful parse) is skipped
    if blocks.iter().zip(&points).any(|(b, p)| p.len() as u64 != u64::from(b.count)) {
        return None;
    }
    let objs: Vec<ObjectRepr<'_>> = blocks
        .iter()
        .zip(&points)
        .map(|(b, p)| ObjectRepr { header: b.header, points: p })
        .collect();
    let repr = FragmentRepr { header: f.header(), objects: &objs };
    let out = repr.encode_to_vec().ok()?;
    assert_eq!(out.len(), repr.encoded_len());
    Some(out)
}

pub fn run(data: &[u8]) {
    if let Some(e1) = reencode(data) {
        let e2 = reencode(&e1).expect("an encoded fragment parses");
        assert_eq!(e1, e2);
    }
}
