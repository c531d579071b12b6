// Fuzz body shared by fuzz/fuzz_targets/scm_idm_roundtrip.rs and tests/fuzz_replay.rs:
// owned forms built from fuzz bytes encode, decode and compare equal (every type),
// and the Reed-Solomon decoder on arbitrary symbols.
use meterwire_scm_idm::*;

fn take<const N: usize>(d: &mut &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    for (i, x) in a.iter_mut().enumerate() {
        *x = d.get(i).copied().unwrap_or(0);
    }
    *d = d.get(N..).unwrap_or(&[]);
    a
}

pub fn run(data: &[u8]) {
    let mut d = data;
    let [k] = take::<1>(&mut d);
    let w = take::<16>(&mut d);
    let u32at = |i: usize| u32::from_be_bytes([w[i], w[i + 1], w[i + 2], w[i + 3]]);
    match k % 7 {
        0 => {
            let r = ScmRepr {
                id: u32at(0) & 0x3FF_FFFF,
                ert_type: w[4] & 15,
                physical_tamper: w[5] & 3,
                encoder_tamper: w[6] & 3,
                consumption: u32at(7) & 0xFF_FFFF,
                reserved: w[11] & 1 == 1,
            };
            let b = r.to_bytes().unwrap();
            assert_eq!(ScmRepr::parse(&Scm::new_checked(&b[..]).unwrap()), r);
            // out-of-range fields are refused, never truncated
            let bad = ScmRepr { id: u32at(0) | 0x400_0000, ..r };
            assert!(bad.to_bytes().is_err());
        }
        1 => {
            let r = ScmPlusRepr { endpoint_type: w[0], endpoint_id: u32at(1), consumption: u32at(5), tamper: u16::from_be_bytes([w[9], w[10]]) };
            let b = r.to_bytes().unwrap();
            assert_eq!(ScmPlusRepr::parse(&ScmPlus::new_checked(&b[..]).unwrap()), r);
        }
        2 | 3 => {
            let body = take::<90>(&mut d);
            let mut b = body;
            b[..4].copy_from_slice(&[0x16, 0xA3, 0x1C, 0x5C]);
            let serial = meterwire_core::crc::CRC16_GENIBUS.checksum(&b[7..11]);
            b[86..88].copy_from_slice(&serial.to_be_bytes());
            let pc = meterwire_core::crc::CRC16_GENIBUS.checksum(&b[2..88]);
            b[88..90].copy_from_slice(&pc.to_be_bytes());
            if k % 7 == 2 {
                let p = Idm::new_checked(&b[..]).unwrap();
                assert_eq!(IdmRepr::parse(&p).to_bytes().unwrap(), b);
            } else {
                let p = NetIdm::new_checked(&b[..]).unwrap();
                assert_eq!(NetIdmRepr::parse(&p).to_bytes().unwrap(), b);
            }
        }
        4 | 5 => {
            let r = R900Repr {
                id: u32at(0),
                unkn1: w[4],
                nouse: w[5] & 63,
                backflow: w[6] & 3,
                consumption: u32at(7) & 0xFF_FFFF,
                unkn3: w[11] & 3,
                leak: w[12] & 15,
                leaknow: w[13] & 3,
            };
            let b = r.to_bytes().unwrap();
            assert_eq!(R900Repr::parse(&R900::new_checked(&b[..]).unwrap()), r);
            if k % 7 == 5 {
                let c = u32at(7) % 1_000_000;
                let rb = R900BcdRepr(R900Repr { consumption: c, ..r });
                let b = rb.to_bytes().unwrap();
                assert_eq!(R900BcdRepr::parse(&R900Bcd::new_checked(&b[..]).unwrap()), rb);
            }
            // up to 2 symbol errors from the fuzz bytes are corrected back
            let sym = R900::new_unchecked(&b[..]).symbols();
            let mut s = sym;
            s[usize::from(w[14]) % 21] ^= w[15] & 31;
            s[usize::from(w[15] >> 3) % 21] ^= w[14] & 31;
            let mut bb = r900::symbols_to_bytes(&s);
            assert!(r900::correct(&mut bb).is_ok());
            assert_eq!(bb, b);
        }
        _ => {
            // RS decoder on arbitrary symbols: whatever it returns is a valid codeword
            // within 2 symbols of the input
            let raw = take::<21>(&mut d);
            let mut s: [u8; 21] = core::array::from_fn(|i| raw[i] & 31);
            let orig = s;
            // (with an arbitrary erasure mask from the last byte: 2e + f <= 5 holds)
            let erased = (u32::from(raw[20] >> 5) * 0x8421) & 0x1F_FFFF;
            if let Ok(fix) = r900::correct_symbols(&mut s, erased) {
                let n = fix.total();
                assert_eq!(r900::syndromes(&s), [0; 5]);
                let changed = s.iter().zip(orig.iter()).filter(|(a, b)| a != b).count();
                assert!(changed <= usize::from(n));
                assert!(2 * u32::from(fix.errors) + u32::from(fix.erasures) <= r900::BOUND);
                assert_eq!(u32::from(fix.erasures), erased.count_ones());
            } else {
                assert_eq!(s, orig);
            }
        }
    }
}
