//! ANSI C12.22: decrypt a real capture with a key ring, library only.
//!
//! Wireshark's `c1222_std_example8.pcap` (the C12.22 standard's example 8; also in
//! parsitects/icsnpp-c1222 `testing/traces`): a request (security + partial read of ST1)
//! and its response over TCP, EAX' mode 2 with key id 2, relative AP titles under
//! 2.16.124.113620.1.22.0. The key ring holds several keys, each a prepared EAX' key
//! schedule; the stack framer looks them up by key id (and calling AP title), decrypts,
//! and pairs the response with the read it answers.
//!
//! Run: `cargo run -p meterwire-examples --example c1222_keyring`
use meterwire_ansi_c1222::psem::Service;
use meterwire_ansi_c1222::stack::{BaseOid, C1222Framer, KeyMap};
use meterwire_ansi_c1222::{Decoded, Framer};
use meterwire_examples::or_empty;

/// TCP payloads of frames 1 and 2 (one stream).
const FRAMES: [&str; 2] = [
    "604fa20580037bc175a60480027b04a803020103ac0fa20da00ba109800102810448f3d061be2a282881268841d10cda76206811b36f781489a11997773e117cb07aa3aa40374a7107c50da7f799c5d4e8",
    "6048a20480027b04a403020103a60580037bc175a803020103ac0fa20da00ba109800102810448f3d060be1e281c811a884baee4349631ab5e56a0e6e0e90dfad558591ee4ea334cb268",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut stream = Vec::new();
    for f in FRAMES {
        let mut buf = vec![0u8; f.len() / 2];
        meterwire_core::hex::decode_hex_into(f.as_bytes(), &mut buf).ok_or("bad hex")?;
        stream.extend(buf);
    }
    // a head-end's key ring: keys by key id, one bound to a calling AP title
    let mut ring = KeyMap::new();
    ring.insert(1, &[0x11; 16]);
    ring.insert(2, &[1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
    ring.insert_for(3, &[0x7b, 0x04], &[0x33; 16]);
    let base: BaseOid = "2.16.124.113620.1.22.0".parse()?;
    let mut framer = C1222Framer::with_keys(ring).base_oid(base);

    let mut rest = &stream[..];
    while let Ok(Decoded::Frame { frame, consumed }) = framer.decode(rest) {
        let a = &frame.apdu;
        println!(
            "{} -> {} ({:?}, key id {:?}): {}",
            or_empty(a.calling_ap_title()),
            or_empty(a.called_ap_title()),
            frame.decryption,
            a.auth_value().map(|v| v.key_id),
            frame.label()
        );
        for (i, m) in frame.messages().enumerate() {
            match (m.service, frame.answers().get(i).copied().flatten()) {
                (Service::Request(r), _) => println!("  request {}: {r:?}", r.name()),
                (Service::Response(r), Some(q)) if q.is_read() => {
                    let d = r.read_data()?;
                    println!(
                        "  response to read of table {:?}: {:?} (checksum ok)",
                        q.table,
                        String::from_utf8_lossy(d.data)
                    );
                }
                (Service::Response(r), _) => println!("  response {:?}", r.response_code()),
            }
        }
        rest = &rest[consumed..];
    }
    Ok(())
}
