// Fuzz body shared by fuzz/fuzz_targets/dnp3_link.rs and tests/fuzz_replay.rs.
// Link framer over arbitrary bytes: never panics; every frame it accepts re-encodes
// to exactly the bytes it consumed.
use meterwire_core::{Encode, Event, Frames};
use meterwire_dnp3_lite::link::{LinkFrameOwned, LinkFramer};

pub fn run(data: &[u8]) {
    for ev in Frames::new(LinkFramer::new(), data) {
        if let Event::Frame { frame, raw, .. } = ev {
            let owned = LinkFrameOwned::from_view(&frame);
            assert_eq!(owned.user_data.len(), frame.user_data_len());
            let again = owned.encode_to_vec().expect("re-encode");
            assert_eq!(&again[..], raw);
        }
    }
}
