//! Property tests: every owned form roundtrips through its encoder; arbitrary bytes and
//! bit streams never panic; correction of up to 2 errors restores the packet.

use meterwire_core::{Decoded, Framer};
use meterwire_scm_idm::*;
use proptest::prelude::*;

fn scm_repr() -> impl Strategy<Value = ScmRepr> {
    (
        0u32..1 << 26,
        0u8..16,
        0u8..4,
        0u8..4,
        0u32..1 << 24,
        any::<bool>(),
    )
        .prop_map(
            |(id, ert_type, physical_tamper, encoder_tamper, consumption, reserved)| ScmRepr {
                id,
                ert_type,
                physical_tamper,
                encoder_tamper,
                consumption,
                reserved,
            },
        )
}

fn r900_repr() -> impl Strategy<Value = R900Repr> {
    (
        any::<u32>(),
        any::<u8>(),
        0u8..64,
        0u8..4,
        0u32..1 << 24,
        0u8..4,
        0u8..16,
        0u8..4,
    )
        .prop_map(
            |(id, unkn1, nouse, backflow, consumption, unkn3, leak, leaknow)| R900Repr {
                id,
                unkn1,
                nouse,
                backflow,
                consumption,
                unkn3,
                leak,
                leaknow,
            },
        )
}

/// An IDM or NetIDM Repr from the five header bytes `h` (hamming code, application
/// version, ERT type, interval count, programming state), the serial, the tamper
/// counters and the fields of its own kind.
macro_rules! with_header {
    ($repr:ident, $h:expr, $serial:expr, $tamper:expr, { $($f:ident: $v:expr),* $(,)? }) => {
        $repr {
            hamming_code: $h[0],
            application_version: $h[1],
            ert_type: $h[2],
            serial: $serial,
            interval_count: $h[3],
            programming_state: $h[4],
            tamper_counters: $tamper,
            $($f: $v,)*
        }
    };
}

fn idm_repr() -> impl Strategy<Value = IdmRepr> {
    (
        any::<[u8; 5]>(),
        any::<u32>(),
        any::<[u8; 6]>(),
        any::<u16>(),
        any::<[u8; 6]>(),
        any::<u32>(),
        proptest::collection::vec(0u16..512, 47),
        0u8..2,
        any::<u16>(),
    )
        .prop_map(|(h, serial, tamper, asy, pof, last, iv, pad, tto)| {
            with_header!(IdmRepr, h, serial, tamper, {
                async_counters: asy,
                power_outage_flags: pof,
                last_consumption: last,
                intervals: iv.try_into().unwrap(),
                padding: pad,
                tx_time_offset: tto,
            })
        })
}

fn netidm_repr() -> impl Strategy<Value = NetIdmRepr> {
    (
        any::<[u8; 5]>(),
        any::<u32>(),
        any::<[u8; 6]>(),
        any::<[u8; 4]>(),
        (0u32..1 << 24, 0u32..1 << 24),
        any::<[u8; 3]>(),
        any::<u32>(),
        proptest::collection::vec(0u16..1 << 14, 27),
        (0u8..64, any::<u16>()),
    )
        .prop_map(
            |(h, serial, tamper, u1, (lc, lg), u2, net, iv, (pad, tto))| {
                with_header!(NetIdmRepr, h, serial, tamper, {
                    unknown_1: u1,
                    last_consumption: lc,
                    last_generation: lg,
                    unknown_2: u2,
                    last_consumption_net: net,
                    intervals: iv.try_into().unwrap(),
                    padding: pad,
                    tx_time_offset: tto,
                })
            },
        )
}

fn all_decoders(data: &[u8]) {
    let _ = Scm::new_checked(data).map(|p| ScmRepr::parse(&p));
    let _ = ScmPlus::new_checked(data).map(|p| ScmPlusRepr::parse(&p));
    let _ = ScmPlusRepr::parse_bytes(data);
    let _ = Idm::new_checked(data).map(|p| IdmRepr::parse(&p));
    let _ = NetIdm::new_checked(data).map(|p| NetIdmRepr::parse(&p));
    let _ = R900::new_checked(data).map(|p| R900Repr::parse(&p));
    let _ = R900Bcd::new_checked(data).map(|p| R900BcdRepr::parse(&p));
    // unchecked getters on short input never panic either
    let u = Idm::new_unchecked(data);
    let _ = (
        u.intervals().count(),
        u.serial(),
        u.padding(),
        u.crc_status(),
    );
    let u = R900::new_unchecked(data);
    let _ = (u.symbols(), u.parity(), u.consumption_bcd());
    let mut b = data.to_vec();
    let _ = scm::correct(&mut b);
    let _ = r900::correct(&mut b);
    for correct in [false, true] {
        let _ = (if correct {
            ScmFramer::new().correct()
        } else {
            ScmFramer::new()
        })
        .decode(data);
        let _ = (if correct {
            R900Framer::new().correct()
        } else {
            R900Framer::new()
        })
        .decode(data);
        let _ = (if correct {
            R900BcdFramer::new().correct()
        } else {
            R900BcdFramer::new()
        })
        .decode(data);
        let mut f = if correct {
            BitStreamFramer::new(Kinds::ERT).correct()
        } else {
            BitStreamFramer::new(Kinds::ERT)
        };
        if f.decode(data).is_err() {
            assert!(f.resync(data) >= 1);
        }
        for k in [Kinds::ERT, Kinds::R900] {
            for ev in {
                let s = BitScan::new(data, data.len() * 8, k);
                if correct { s.correct() } else { s }
            } {
                let _ = ev;
            }
        }
    }
    let _ = ScmPlusFramer::new().decode(data);
    let _ = IdmFramer::new().decode(data);
    let _ = NetIdmFramer::new().decode(data);
    let _ = bitstream::r900_chips_to_symbols(data, 3);
    let mut out = [0u8; 64];
    let _ = bitstream::manchester_decode(data, data.len() * 8, Manchester::OneIsHighLow, &mut out);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn scm_roundtrip(r in scm_repr()) {
        let b = r.to_bytes().unwrap();
        let p = Scm::new_checked(&b[..]).unwrap();
        prop_assert_eq!(ScmRepr::parse(&p), r);
        let Ok(Decoded::Frame { frame, consumed: 12 }) = ScmFramer::new().decode(&b) else { panic!() };
        prop_assert_eq!(frame.packet.id(), r.id);
    }

    #[test]
    fn scm_plus_roundtrip(et in any::<u8>(), id in any::<u32>(), c in any::<u32>(), t in any::<u16>()) {
        let r = ScmPlusRepr { endpoint_type: et, endpoint_id: id, consumption: c, tamper: t };
        let b = r.to_bytes().unwrap();
        prop_assert_eq!(ScmPlusRepr::parse(&ScmPlus::new_checked(&b[..]).unwrap()), r);
    }

    #[test]
    fn idm_and_netidm_roundtrip(r in idm_repr(), n in netidm_repr()) {
        let b = r.to_bytes().unwrap();
        prop_assert_eq!(IdmRepr::parse(&Idm::new_checked(&b[..]).unwrap()), r);
        let b = n.to_bytes().unwrap();
        prop_assert_eq!(NetIdmRepr::parse(&NetIdm::new_checked(&b[..]).unwrap()), n);
    }

    #[test]
    fn r900_roundtrip(r in r900_repr()) {
        let b = r.to_bytes().unwrap();
        prop_assert_eq!(R900Repr::parse(&R900::new_checked(&b[..]).unwrap()), r);
        // through chips and the bit-stream scanner too
        let (chips, n) = bitstream::r900_transmission(&b);
        let ev: Vec<_> = BitScan::new(&chips, n, Kinds::R900).collect();
        prop_assert_eq!(ev.len(), 1);
        let ok = matches!(ev[0], ScanEvent::Packet(Found { packet: Packet::R900(p), .. }) if p == b);
        prop_assert!(ok);
    }

    #[test]
    fn r900_errors_and_erasures_in_chips_are_corrected(
        r in r900_repr(),
        picks in proptest::collection::vec((0usize..21, 1u8..32, 0u8..16), 0..6),
        shape in 0usize..3,
    ) {
        // random packet; e errors and f erasures with 2e + f <= 5 written into its chips
        let b = r.to_bytes().unwrap();
        let (mut chips, n) = bitstream::r900_transmission(&b);
        let sym = R900::new_unchecked(&b[..]).symbols();
        let (e, f) = [(0usize, 5usize), (1, 3), (2, 1)][shape];
        let mut used = 0u32;
        let (mut ne, mut nf) = (0, 0);
        for (pos, err, bad_group) in picks {
            if used & (1 << pos) != 0 { continue; }
            let at = 63 + 8 * pos;
            if nf < f {
                // an invalid 4-chip group (0000, 0001, 0010, 0100, 0111, 1000, 1011, 1101, 1110, 1111)
                let invalid = [0u8, 1, 2, 4, 7, 8, 11, 13, 14, 15][usize::from(bad_group) % 10];
                for c in 0..4 {
                    let bit = at + c;
                    let m = 0x80u8 >> (bit % 8);
                    if invalid & (8 >> c) != 0 { chips[bit / 8] |= m } else { chips[bit / 8] &= !m }
                }
                nf += 1;
            } else if ne < e {
                let mut s = sym;
                s[pos] ^= err;
                let g = bitstream::r900_symbols_to_chips(&s)[pos];
                for c in 0..8 {
                    let bit = at + c;
                    let m = 0x80u8 >> (bit % 8);
                    if g & (0x80 >> c) != 0 { chips[bit / 8] |= m } else { chips[bit / 8] &= !m }
                }
                ne += 1;
            } else {
                break;
            }
            used |= 1 << pos;
        }
        let ev: Vec<_> = BitScan::new(&chips, n, Kinds::R900).correct().collect();
        prop_assert_eq!(ev.len(), 1);
        let ScanEvent::Packet(found) = ev[0] else { panic!("{ev:?}") };
        prop_assert_eq!(found.packet, Packet::R900(b));
        prop_assert_eq!(usize::from(found.erasures), nf);
        prop_assert_eq!(found.diagnostics().count(), usize::from(nf > 0));
        prop_assert_eq!(found.corrected, Some((ne + nf) as u8));
    }

    #[test]
    fn r900_bcd_roundtrip(r in r900_repr(), c in 0u32..1_000_000) {
        let r = R900BcdRepr(R900Repr { consumption: c, ..r });
        let b = r.to_bytes().unwrap();
        prop_assert_eq!(R900BcdRepr::parse(&R900Bcd::new_checked(&b[..]).unwrap()), r);
    }

    #[test]
    fn scm_corrects_up_to_two_random_bits(r in scm_repr(), i in 16usize..96, j in 16usize..96) {
        let good = r.to_bytes().unwrap();
        let mut b = good;
        b[i / 8] ^= 0x80 >> (i % 8);
        b[j / 8] ^= 0x80 >> (j % 8);
        let n = scm::correct(&mut b).unwrap();
        prop_assert_eq!(n, if i == j { 0 } else { 2 });
        prop_assert_eq!(b, good);
    }

    #[test]
    fn r900_corrects_up_to_two_random_symbols(r in r900_repr(), p in 0usize..21, q in 0usize..21, e1 in 1u8..32, e2 in 1u8..32) {
        let good = r.to_bytes().unwrap();
        let mut s = R900::new_unchecked(&good[..]).symbols();
        s[p] ^= e1;
        s[q] ^= e2;
        let mut b = r900::symbols_to_bytes(&s);
        let res = r900::correct(&mut b);
        if p == q && e1 == e2 {
            prop_assert_eq!(res, Ok(0));
        } else {
            prop_assert!(res.is_ok());
        }
        prop_assert_eq!(b, good);
    }

    #[test]
    fn r900_three_symbol_errors_never_miscorrect(r in r900_repr(), pos in proptest::sample::subsequence((0usize..21).collect::<Vec<_>>(), 3), e in proptest::array::uniform3(1u8..32)) {
        let good = r.to_bytes().unwrap();
        let mut s = R900::new_unchecked(&good[..]).symbols();
        for (p, e) in pos.iter().zip(e) {
            s[*p] ^= e;
        }
        let mut b = r900::symbols_to_bytes(&s);
        prop_assert!(r900::correct(&mut b).is_err());
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        all_decoders(&data);
    }

    #[test]
    fn arbitrary_prefixes_never_panic(r in scm_repr(), cut in 0usize..12, junk in proptest::collection::vec(any::<u8>(), 0..20)) {
        let b = r.to_bytes().unwrap();
        let mut d = b[..cut].to_vec();
        d.extend(junk);
        all_decoders(&d);
    }

    #[test]
    fn bit_stream_finds_packets_at_random_offsets(rs in proptest::collection::vec(scm_repr(), 1..5), gaps in proptest::collection::vec(0usize..40, 5), noise in any::<u64>()) {
        let mut bits = vec![];
        let mut expect = vec![];
        let mut x = meterwire_testkit::rng::XorShift(noise | 1);
        for (r, gap) in rs.iter().zip(gaps) {
            for _ in 0..gap {
                bits.push(x.next_u64() & 1 == 1);
            }
            expect.push((bits.len(), r.id));
            let b = r.to_bytes().unwrap();
            for i in 0..96 {
                bits.push(b[i / 8] & (0x80 >> (i % 8)) != 0);
            }
        }
        let mut packed = vec![0u8; bits.len().div_ceil(8)];
        for (i, &b) in bits.iter().enumerate() {
            if b { packed[i / 8] |= 0x80 >> (i % 8); }
        }
        let kinds = Kinds { scm: true, ..Kinds::NONE };
        let got: Vec<(usize, u32)> = BitScan::new(&packed, bits.len(), kinds)
            .filter_map(|e| match e {
                ScanEvent::Packet(f) => Some((f.bit_offset, Scm::new_unchecked(f.packet.bytes()).id())),
                _ => None,
            })
            .collect();
        // noise may contain a preamble, but every real packet is found at its offset
        for e in &expect {
            prop_assert!(got.contains(e), "{:?} not in {:?}", e, got);
        }
    }
}
