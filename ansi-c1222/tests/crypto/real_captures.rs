//! Real C12.22 captures. Expected values are what tshark 4.0.17's c1222 dissector
//! reports for the same frames (`tshark -r <file> -o c1222.decrypt:TRUE
//! -o c1222.baseoid:2.16.124.113620.1.22.0 -o 'uat:c1222_decryption_table:"02",0102..08' -V`).
//!
//! * `c1222_std_example8.pcap`: Wireshark's test capture (test/captures, bug 9196: the
//!   C12.22 standard's example 8), as redistributed in parsitects/icsnpp-c1222
//!   testing/traces (BSD-3-Clause). EAX' mode 2, key id 2 = 0102030405060708 0102030405060708,
//!   relative AP titles under 2.16.124.113620.1.22.0.
//! * `c1222overIPv4.cap`: the C12.22-over-TCP sample of parsitects/icsnpp-c1222
//!   testing/traces; its key is not published, so only the clear header is checked.

use crate::common::*;
use meterwire_ansi_c1222::Error;
use meterwire_ansi_c1222::c1222::{ApduFramer, SecurityMode, services_of};
use meterwire_ansi_c1222::psem::{Request, Response, Service};
use meterwire_core::{Decoded, Framer};

/// std example 8, frame 1 (TCP payload, 10.1.1.1:1153 -> 10.2.2.2:50000).
const EX8_F1: &str = "604fa20580037bc175a60480027b04a803020103ac0fa20da00ba109800102810448f3d061be2a282881268841d10cda76206811b36f781489a11997773e117cb07aa3aa40374a7107c50da7f799c5d4e8";
/// std example 8, frame 2.
const EX8_F2: &str = "6048a20480027b04a403020103a60580037bc175a803020103ac0fa20da00ba109800102810448f3d060be1e281c811a884baee4349631ab5e56a0e6e0e90dfad558591ee4ea334cb268";
/// c1222overIPv4.cap frames 1 and 2.
const V4_F1: &str = "6047a211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421ac0fa20da00ba10980010081044c97f489be0d280b81098865f1e271a71f7f27";
const V4_F2: &str = "606da20a06082b06010401828563a406020413e81421a611060f2b060104018285638e7f85f1c24e00a80302012cac0fa20da00ba10980010081044c97f489be2e282c812a88e6976be9206159ccea0cd39941f3f24409e294a1f98463865e8b96c5e576039a90e4e70fa138a2d998";

const KEY2: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8];
/// 2.16.124.113620.1.22.0
const BASE: &[u8] = &[0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00];

#[test]
fn std_example8_request_decrypts_to_security_and_partial_read_of_st1() {
    let raw = hex(EX8_F1);
    let a = apdu_with_header(&raw, (".123.8437", ".123.4"), (None, Some(3)));
    let av = a.auth_value().unwrap();
    assert_eq!((av.key_id, av.iv), (2, &[0x48, 0xf3, 0xd0, 0x61][..]));
    let e = a.epsem();
    assert_eq!(
        (e.control(), e.security_mode(), e.response_control()),
        (0x88, SecurityMode::Encrypted, 0)
    );
    assert_eq!(e.mac(), Some([0x99, 0xc5, 0xd4, 0xe8]));
    let mut buf = [0u8; 128];
    let plain = a.decrypt_into(&[(2u8, KEY2)], BASE, &mut buf).unwrap();
    let s = parsed_services(e.control(), plain);
    assert_eq!(
        s,
        [
            Service::Request(Request::Security {
                password: b"PASSWORD            ",
                user_id: Some(2)
            }),
            Service::Request(Request::PartialReadOffset {
                table: meterwire_ansi_c1222::c1219::TableId(1),
                offset: 0x10,
                count: 16
            }),
        ]
    );
    // the relative titles must be canonified under the right base OID
    assert_eq!(
        a.decrypt_into(&[(2u8, KEY2)], &[], &mut buf),
        Err(Error::AuthenticationFailed)
    );
}

#[test]
fn std_example8_response_carries_st1_serial_number() {
    let raw = hex(EX8_F2);
    let a = apdu_with_header(&raw, (".123.4", ".123.8437"), (Some(3), Some(3)));
    let mut buf = [0u8; 128];
    let plain = a.decrypt_into(&[(2u8, KEY2)], BASE, &mut buf).unwrap();
    let s: Vec<&[u8]> = services_of(a.epsem().control(), plain)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(s.len(), 1);
    // tshark: c1222.err 0x00, c1222.data 00104d414e55464143545552455220534e2092
    assert_eq!(to_hex(s[0]), "0000104d414e55464143545552455220534e2092");
    let d = Response::parse(s[0]).unwrap().read_data().unwrap();
    assert_eq!(d.data, b"MANUFACTURER SN "); // ST1 bytes 16..32: MFG_SERIAL_NUMBER
    assert_eq!(d.checksum, 0x92);
    assert!(d.checksum_ok());
}

#[test]
fn std_example8_is_one_tcp_stream() {
    let mut s = hex(EX8_F1);
    s.extend(hex(EX8_F2));
    let mut f = ApduFramer::new();
    let Ok(Decoded::Frame { consumed, .. }) = f.decode(&s) else {
        panic!()
    };
    assert_eq!(consumed, hex(EX8_F1).len());
    assert!(matches!(
        f.decode(&s[consumed..]),
        Ok(Decoded::Frame { .. })
    ));
}

#[test]
fn c1222_over_ipv4_headers_match_tshark() {
    let r1 = hex(V4_F1);
    let a = apdu_with_header(
        &r1,
        ("1.3.6.1.4.1.33507.1919.12345678.0", "1.3.6.1.4.1.33507"),
        (None, Some(0x13e81421)),
    );
    assert_eq!(a.auth_value().unwrap().key_id, 0);
    assert_eq!(a.auth_value().unwrap().iv, &[0x4c, 0x97, 0xf4, 0x89]);
    assert_eq!(a.epsem().control(), 0x88);
    assert_eq!(a.epsem().payload(), &[0x65, 0xf1, 0xe2, 0x71]);
    let r2 = hex(V4_F2);
    let b = apdu_with_header(
        &r2,
        ("1.3.6.1.4.1.33507", "1.3.6.1.4.1.33507.1919.12345678.0"),
        (Some(0x13e81421), Some(44)),
    );
    assert_eq!(b.epsem().mac(), Some([0x38, 0xa2, 0xd9, 0x98]));
    // without its key the MAC cannot verify
    let mut buf = [0u8; 128];
    assert_eq!(
        b.decrypt_into(&[(0u8, KEY2)], &[], &mut buf),
        Err(Error::AuthenticationFailed)
    );
}
