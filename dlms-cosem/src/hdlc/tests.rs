//! Unit tests.
use super::*;

use crate::util::unhex;

/// Green Book (DLMS UA 1000-2) 8.4 example / Gurux "HDLC SNRM" exchange: client 0x10
/// (public client, 1 byte 0x21) to server 1 (2-byte 0x0003... here 1-byte 0x03).
#[test]
fn snrm_without_info() {
    // gurux-dlms client (server 1, client 16) snrmRequest(): 7E A0 07 03 21 93 0F 01 7E
    let gurux = unhex("7EA0070321930F017E");
    let repr = HdlcRepr {
        segmented: false,
        destination: Address::one(1),
        source: Address::one(0x10),
        control: Control::SNRM { pf: true },
        info: &[],
    };
    let mut w = [0u8; 16];
    let n = repr.encode(&mut w).unwrap();
    assert_eq!(&w[..n], &gurux[..]);
    let parsed = HdlcFrame::parse(&gurux).unwrap();
    assert_eq!(parsed.repr(), repr);
    assert!(parsed.info.is_empty() && parsed.llc().is_none());
    // a flipped FCS bit is a checksum error naming the field
    let mut bad = gurux.clone();
    bad[6] ^= 1;
    let e = HdlcFrame::parse(&bad).unwrap_err();
    assert!(std::format!("{e}").contains("hdlc fcs"), "{e}");
}

#[test]
fn control_bytes_roundtrip() {
    for b in 0u8..=255 {
        if let Ok(c) = Control::from_byte(b) {
            assert_eq!(c.to_byte(), b, "{b:#x}");
        }
    }
    assert_eq!(
        Control::from_byte(0x93).unwrap(),
        Control::SNRM { pf: true }
    );
    assert_eq!(Control::from_byte(0x73).unwrap(), Control::UA { pf: true });
    assert_eq!(Control::from_byte(0x13).unwrap(), Control::UI { pf: true });
    assert_eq!(
        Control::from_byte(0x53).unwrap(),
        Control::DISC { pf: true }
    );
    assert_eq!(Control::from_byte(0x1F).unwrap(), Control::DM { pf: true });
    assert_eq!(
        Control::from_byte(0x97).unwrap(),
        Control::FRMR { pf: true }
    );
    assert_eq!(
        Control::from_byte(0x31).unwrap(),
        Control::RR { nr: 1, pf: true }
    );
    assert_eq!(
        Control::from_byte(0x35).unwrap(),
        Control::RNR { nr: 1, pf: true }
    );
    assert_eq!(
        Control::from_byte(0x32).unwrap(),
        Control::I {
            ns: 1,
            nr: 1,
            pf: true
        }
    );
}

#[test]
fn addresses_all_sizes() {
    for a in [
        Address::one(0x10),
        Address::two(1, 0x11),
        Address::four(0x3FFF, 0x1234),
    ] {
        let (b, n) = a.bytes().unwrap();
        let mut c = Cursor::new(&b[..n]);
        assert_eq!(Address::parse(&mut c).unwrap(), a);
    }
    assert!(Address::parse(&mut Cursor::new(&[0x02, 0x02, 0x03])).is_err());
    assert!(Address::parse(&mut Cursor::new(&[0x02, 0x02, 0x02, 0x02, 0x02])).is_err());
}

#[test]
fn parameters_roundtrip() {
    let p = HdlcParameters {
        max_info_tx: Some(128),
        max_info_rx: Some(0x400),
        window_tx: Some(1),
        window_rx: Some(7),
    };
    let mut b = [0u8; 32];
    let n = p.encode(&mut b).unwrap();
    assert_eq!(
        &b[..n],
        &unhex("818013 050180 06020400 070400000001 080400000007")[..]
    );
    assert_eq!(HdlcParameters::parse(&b[..n]).unwrap(), p);
}
