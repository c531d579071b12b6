//! `arbitrary::Arbitrary` for the encodable types (feature `fuzzing`, not a public
//! API): written by hand so that every generated value encodes and parses back to
//! itself (OIDs that `ber::check_oid` accepts, service lists that parse, a control
//! byte whose ED-class bit and MAC agree with the fields, packet data within
//! [`MAX_DATA_LEN`](crate::c1218::MAX_DATA_LEN)). Used by `fuzz/fuzz_targets/c12_structured.rs`.

use crate::ber;
use crate::c1218::{MAX_DATA_LEN, PacketRepr};
use crate::c1222::{ApTitle, ApduRepr, AuthValue, EpsemRepr, SecurityMode, ServiceIter};
use crate::psem::{Message, Variant};
use arbitrary::{Arbitrary, Result, Unstructured};

/// Stands in for generated OID content that `ber::check_oid` rejects:
/// 2.16.124.113620.1.22 (the C12.22 root).
const FALLBACK_OID: &[u8] = &[0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16];
/// Stands in for a generated service list that does not parse: one ident request.
const FALLBACK_SERVICES: &[u8] = &[0x01, 0x20];

/// Up to `max` bytes of the input.
fn some_bytes<'a>(u: &mut Unstructured<'a>, max: usize) -> Result<&'a [u8]> {
    let n = u.int_in_range(0..=max)?;
    u.bytes(n.min(u.len()))
}

fn oid<'a>(u: &mut Unstructured<'a>, relative: bool) -> Result<&'a [u8]> {
    let b = some_bytes(u, 16)?;
    Ok(if ber::check_oid(b, relative).is_ok() {
        b
    } else {
        FALLBACK_OID
    })
}

/// True when `b` is a service list every service of which parses (C12.22 variant).
fn services_parse(b: &[u8]) -> bool {
    ServiceIter::new(b).all(|s| s.is_ok_and(|s| Message::parse(s, Variant::C1222).is_ok()))
}

impl<'a> Arbitrary<'a> for ApTitle<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.arbitrary()? {
            ApTitle::Relative(oid(u, true)?)
        } else {
            ApTitle::Absolute(oid(u, false)?)
        })
    }
}

impl<'a> Arbitrary<'a> for AuthValue<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(AuthValue {
            key_id: u.arbitrary()?,
            iv: some_bytes(u, 16)?,
        })
    }
}

impl<'a> Arbitrary<'a> for EpsemRepr<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mode = u.int_in_range(0u8..=2)?;
        let bits: u8 = u.arbitrary()?;
        // bit 7 set, security mode in bits 2-3; the ED-class bit follows the field
        let control = (bits & !0x1c) | 0x80 | (mode << 2);
        let mac = if mode == 0 {
            None
        } else {
            Some(u.arbitrary()?)
        };
        if SecurityMode::from_bits(mode) == SecurityMode::Encrypted {
            // ciphertext: any bytes; the ED class is inside it
            return Ok(EpsemRepr {
                control,
                ed_class: None,
                services: some_bytes(u, 300)?,
                mac,
            });
        }
        let ed_class: Option<[u8; 4]> = u.arbitrary()?;
        let services = some_bytes(u, 300)?;
        Ok(EpsemRepr {
            control: if ed_class.is_some() {
                control | 0x10
            } else {
                control & !0x10
            },
            ed_class,
            services: if services_parse(services) {
                services
            } else {
                FALLBACK_SERVICES
            },
            mac,
        })
    }
}

impl<'a> Arbitrary<'a> for ApduRepr<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let context = if u.arbitrary()? {
            Some(oid(u, false)?)
        } else {
            None
        };
        let mechanism_name = if u.arbitrary()? {
            Some(oid(u, false)?)
        } else {
            None
        };
        Ok(ApduRepr {
            context,
            called_ap_title: u.arbitrary()?,
            called_ap_invocation_id: u.arbitrary()?,
            calling_ap_title: u.arbitrary()?,
            calling_ae_qualifier: u.arbitrary()?,
            calling_ap_invocation_id: u.arbitrary()?,
            mechanism_name,
            auth_value: u.arbitrary()?,
            epsem: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for PacketRepr<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(PacketRepr {
            identity: u.arbitrary()?,
            control: u.arbitrary()?,
            seq: u.arbitrary()?,
            data: some_bytes(u, MAX_DATA_LEN)?,
        })
    }
}
