// Fuzz body shared by fuzz/fuzz_targets/c1218_packet.rs and tests/fuzz_replay.rs.
// The C12.18 framer over arbitrary bytes: no panic, every packet re-encodes to its
// own bytes, every parsed service re-encodes to the packet data, reassembly never panics.
#[allow(dead_code)]
pub fn run(data: &[u8]) {
    use meterwire_ansi_c1222::c1218::{LinkFrame, PacketFramer, PacketRepr, Reassembler};
    use meterwire_ansi_c1222::psem::{Service, Variant};
    use meterwire_core::{Decoded, Encode, Framer};
    let mut f = PacketFramer::new();
    let mut buf = [0u8; 4096];
    let mut r = Reassembler::new(&mut buf);
    let mut i = 0usize;
    while i < data.len() {
        match f.decode(&data[i..]) {
            Ok(Decoded::Frame { frame, consumed }) => {
                assert!(consumed >= 1);
                if let LinkFrame::Packet(p) = frame {
                    let mut out = vec![0u8; p.as_bytes().len()];
                    let n = PacketRepr::parse(&p).encode(&mut out).unwrap();
                    assert_eq!(&out[..n], p.as_bytes());
                    for v in [Variant::C1218, Variant::C1222] {
                        if let Ok(s) = Service::parse(p.data(), v) {
                            if let Ok(b) = s.encode_to_vec() {
                                assert_eq!(b, p.data());
                            }
                        }
                    }
                    let _ = r.push(&p);
                }
                i += consumed;
            }
            Ok(Decoded::Incomplete { needed }) => {
                assert!(needed.bytes() >= 1);
                break;
            }
            Err(_) => {
                let skip = f.resync(&data[i..]);
                assert!(skip >= 1);
                i += skip;
            }
        }
    }
}
