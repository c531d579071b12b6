//! Unit tests.
use super::*;

use crate::Error;
use crate::util::unhex;
use meterwire_core::Encode;

/// dlms-cosem (PyPI) tests/test_a_xdr.py line 84: structure of 5 elements.
#[test]
fn pypi_structure() {
    let b = unhex("02051202d0120ca81112111e0fc0");
    let d = Data::parse(&b).unwrap();
    let s = d.as_seq().unwrap();
    let v: std::vec::Vec<_> = s.iter().collect();
    assert_eq!(
        v,
        [
            Data::LongUnsigned(720),
            Data::LongUnsigned(3240),
            Data::Unsigned(18),
            Data::Unsigned(30),
            Data::Integer(-64)
        ]
    );
    let mut out = [0u8; 32];
    let n = d.encode(&mut out).unwrap();
    assert_eq!(&out[..n], &b[..]);
}

/// Blue Book example of a compact-array: array of 3 structures {long-unsigned, octet-string}.
#[test]
fn compact_array_typed_walk() {
    // 13 | desc: 02 02 12 09 | contents len 0x0c: (0001 02 aabb) (0002 01 cc) (0003 00)
    let b = unhex("13 02021209 0c 0001 02aabb 0002 01cc 0003 00");
    let d = Data::parse(&b).unwrap();
    let Data::CompactArray(ca) = d else { panic!() };
    let items: std::vec::Vec<_> = ca.elements().iter().collect();
    assert_eq!(items.len(), 3);
    let first: std::vec::Vec<_> = items[0].as_seq().unwrap().iter().collect();
    assert_eq!(
        first,
        [Data::LongUnsigned(1), Data::OctetString(&[0xAA, 0xBB])]
    );
    let last: std::vec::Vec<_> = items[2].as_seq().unwrap().iter().collect();
    assert_eq!(last, [Data::LongUnsigned(3), Data::OctetString(&[])]);
    let mut out = [0u8; 64];
    let n = d.encode(&mut out).unwrap();
    assert_eq!(&out[..n], &b[..]);
    // an element as tagged data re-encodes with its tags
    let n = items[1].encode(&mut out).unwrap();
    assert_eq!(&out[..n], &unhex("0202 120002 0901cc")[..]);
    // array inside the description
    let b = unhex("13 01000311 03 010203");
    let d = Data::parse(&b).unwrap();
    let e: std::vec::Vec<_> = d.as_seq().unwrap().iter().collect();
    assert_eq!(e.len(), 1);
    let inner: std::vec::Vec<_> = e[0].as_seq().unwrap().iter().collect();
    assert_eq!(
        inner,
        [Data::Unsigned(1), Data::Unsigned(2), Data::Unsigned(3)]
    );
}

#[test]
fn date_time_not_specified() {
    // dlms-cosem (PyPI) tests/test_time.py line 21: 07e2020cff00000000800000
    let b = unhex("19 07e2020cff00000000800000");
    let Data::DateTime(dt) = Data::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(dt.date.year(), Some(2018));
    assert_eq!(dt.date.weekday, 0xFF);
    assert_eq!(dt.deviation(), None);
    assert_eq!(std::format!("{dt}"), "2018-02-12T00:00:00");
    let dt = DateTime::from_octets(&unhex("07e30c1001073b28ff8000ff")).unwrap();
    assert_eq!(std::format!("{dt}"), "2019-12-16T07:59:40");
    let dt = DateTime::from_octets(&unhex("07e50118ff0e303950ffc400")).unwrap();
    assert_eq!(dt.deviation(), Some(-60));
    assert_eq!(std::format!("{dt}"), "2021-01-24T14:48:57.80+01:00");
    let d = DateTime::from_octets(&unhex("ffffffffffffffffff8000ff")).unwrap();
    assert_eq!(std::format!("{d}"), "XXXX-XX-XXTXX:XX:XX");
}

#[test]
fn depth_limit_and_errors() {
    let mut b = std::vec![];
    for _ in 0..40 {
        b.extend_from_slice(&[1, 1]);
    }
    b.push(0);
    assert!(matches!(Data::parse(&b), Err(Error::DepthLimit { .. })));
    assert!(Data::parse(&[7]).is_err());
    assert!(Data::parse(&[9, 5, 1]).is_err());
    assert!(Data::parse(&[1, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]).is_err());
    // zero-size compact array elements are rejected, not looped on
    assert!(Data::parse(&unhex("13 0100ff00 01 00")).is_err());
}

#[test]
fn bit_string() {
    let d = Data::parse(&[4, 0x0A, 0b1010_0000, 0b0100_0000]).unwrap();
    let Data::BitString(bs) = d else { panic!() };
    assert_eq!(bs.bits, 10);
    assert_eq!(bs.get(0), Some(true));
    assert_eq!(bs.get(1), Some(false));
    assert_eq!(bs.get(9), Some(true));
    assert_eq!(bs.get(10), None);
}
