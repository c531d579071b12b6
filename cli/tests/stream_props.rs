//! Streaming equivalence and byte accounting (issue 18) for every stack framer:
//! replays fuzz/corpus/stream_props (and artifacts) and checks each framer on
//! random streams built from the demo samples with noise and cut points.

mod body {
    include!("fuzz_bodies/stream_props.rs");
}

#[test]
fn corpus_and_artifacts_replay() {
    meterwire_testkit::replay_all(env!("CARGO_MANIFEST_DIR"), &[("stream_props", body::run)]);
}

#[test]
fn every_framer_on_sample_streams_with_noise() {
    // the demo samples of every protocol, concatenated with noise between them
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut frames: Vec<Vec<u8>> = vec![];
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "txt") {
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                let hex = line.rsplit('\t').next().unwrap();
                frames.push(meterwire_testkit::hex(hex));
            }
        }
    }
    assert!(frames.len() > 20, "{} sample frames", frames.len());
    let mut rng = meterwire_testkit::rng::XorShift(0x9E37_79B9_7F4A_7C15);
    for round in 0..200u32 {
        let mut stream = vec![];
        for _ in 0..4 {
            let f = &frames[rng.index(frames.len())];
            stream.extend_from_slice(f);
            let noise = rng.index(8);
            for _ in 0..noise {
                stream.push(rng.next_u64() as u8);
            }
        }
        let mut input = vec![(round % u32::from(body::FRAMERS)) as u8];
        input.extend_from_slice(&(rng.next_u64() as u32).to_le_bytes());
        input.extend_from_slice(&stream);
        body::run(&input);
    }
}
