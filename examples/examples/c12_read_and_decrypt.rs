//! ANSI C12: decode a C12.18 optical-port table read, then verify and decrypt a C12.22
//! EAX' (security mode 2) request with its published test key.
//!
//! Run: `cargo run -p meterwire-examples --example c12_read_and_decrypt`
use meterwire_ansi_c1222::c1218::{LinkFrame, PacketFramer};
use meterwire_ansi_c1222::c1222::{Apdu, services_of};
use meterwire_ansi_c1222::psem::{Request, Service, Variant};
use meterwire_core::{Decoded, Framer};
use meterwire_examples::or_empty;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // C12.18: full read of ST1, as termineter 1.0.6 builds it, followed by the meter's ACK
    let stream = [
        0xee, 0x00, 0x00, 0x00, 0x00, 0x03, 0x30, 0x00, 0x01, 0x55, 0x0d, 0x06,
    ];
    let mut framer = PacketFramer::new();
    let mut rest = &stream[..];
    while let Ok(Decoded::Frame { frame, consumed }) = framer.decode(rest) {
        match frame {
            LinkFrame::Packet(p) => match Request::parse(p.data(), Variant::C1218)? {
                Request::FullRead { table } => println!("C12.18 packet: full read of {table}"),
                other => println!("C12.18 packet: {}", other.name()),
            },
            LinkFrame::Ack => println!("C12.18 link: ACK"),
            LinkFrame::Nak => println!("C12.18 link: NAK"),
        }
        rest = &rest[consumed..];
    }

    // C12.22: EAX' Cipher Mode test vector 1 (NIST, May 2011) as a full APDU; key id 2
    let apdu = [
        0x60, 0x53, 0xa2, 0x0c, 0x06, 0x0a, 0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00, 0x17,
        0x02, 0xa6, 0x0d, 0x06, 0x0b, 0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00, 0x17, 0x82,
        0x11, 0xa7, 0x03, 0x02, 0x01, 0x04, 0xa8, 0x03, 0x02, 0x01, 0x02, 0xac, 0x0f, 0xa2, 0x0d,
        0xa0, 0x0b, 0xa1, 0x09, 0x80, 0x01, 0x02, 0x81, 0x04, 0x48, 0xe9, 0x93, 0x88, 0xbe, 0x19,
        0x28, 0x17, 0x81, 0x15, 0x9a, 0x40, 0x31, 0xcc, 0x95, 0x7d, 0x4e, 0xdf, 0x9a, 0x35, 0x7f,
        0x3d, 0xb0, 0xfa, 0x9f, 0xe8, 0x38, 0x65, 0x55, 0xc0, 0x29,
    ];
    let key = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8];
    let a = Apdu::parse(&apdu)?;
    println!(
        "C12.22 from {} to {}, security mode {:?}",
        or_empty(a.calling_ap_title()),
        or_empty(a.called_ap_title()),
        a.epsem().security_mode()
    );
    let mut buf = [0u8; 64];
    let plain = a.decrypt_into(&[(2u8, key)], &[], &mut buf)?;
    for s in services_of(a.epsem().control(), plain).parsed() {
        if let Service::Request(Request::FullWrite { table, data }) = s? {
            println!(
                "  full write of {table}: {:02x?} (checksum ok: {})",
                data.data,
                data.checksum_ok()
            );
        }
    }
    // one flipped bit and the MAC no longer verifies
    let mut bad = apdu;
    bad[70] ^= 1;
    let e = Apdu::parse(&bad)?
        .decrypt_into(&[(2u8, key)], &[], &mut buf)
        .unwrap_err();
    println!("  tampered copy: {e}");
    Ok(())
}
