// Fuzz body shared by fuzz/fuzz_targets/c1218_packet.rs and tests/fuzz_replay.rs.
// The C12.18 framer over arbitrary bytes: no panic, every packet re-encodes to its
// own bytes, every parsed service re-encodes to the packet data, reassembly never panics.
#[allow(dead_code)]
pub fn run(data: &[u8]) {
    use meterwire_ansi_c1222::c1218::{LinkFrame, PacketFramer, PacketRepr, Reassembler};
    use meterwire_ansi_c1222::psem::{Service, Variant};
    use meterwire_core::{Decoded, Encode, Framer, Strictness};
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
                    // the lenient PSEM path: a message that decodes re-encodes its
                    // service to the bytes before the trailing ones
                    if let Ok(m) = meterwire_ansi_c1222::psem::Message::parse(p.data(), Variant::C1218) {
                        let _ = m.diagnostics().count();
                        if let Ok(b) = m.service.encode_to_vec() {
                            assert_eq!(b.len() + m.trailing.len(), p.data().len());
                        }
                    }
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
    // the stack framer (reassembly bounded at 1 KiB, pairing, strict and lenient)
    for s in [Strictness::Lenient, Strictness::Strict] {
        let mut st = meterwire_ansi_c1222::stack::C1218Framer::new()
            .max_message(1024)
            .strictness(s);
        let mut i = 0usize;
        while i < data.len() {
            match st.decode(&data[i..]) {
                Ok(Decoded::Frame { frame, consumed }) => {
                    let _ = (frame.label(), frame.diagnostics().count(), frame.psem());
                    assert!(frame.reassembled().is_none_or(|m| m.len() <= 1024));
                    i += consumed;
                }
                Ok(Decoded::Incomplete { .. }) => break,
                Err(_) => i += st.resync(&data[i..]),
            }
            assert!(st.reassembly_capacity() <= 1024);
        }
    }
}
