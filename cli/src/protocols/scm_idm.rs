//! ERT SCM, SCM+, IDM, NetIDM and Neptune R900 / R900 BCD (meterwire-scm-idm).
//!
//! `--hex`: the packet bytes from the preamble/sync word through the checksum (R900:
//! the 14-byte form, 105 payload bits MSB-first, last 7 bits zero). `--bits`: an ERT
//! bit stream after Manchester decoding (SCM, SCM+, IDM, NetIDM) or an R900 chip
//! stream, searched at every bit offset. `--correct`: SCM up to 2 bit errors, R900 up
//! to 2 symbol errors (in a chip stream: errors and erasures, 2e + f <= 5); the record
//! then carries `corrected_bits` / `corrected_symbols`. Departures (IDM length byte and
//! serial CRC, R900 pad bits, R900 erasures) are `diagnostics`; `--strict` rejects them.

use super::{ErrorJson, Fields, FramerStream, Options, Protocol, StreamDecoder, ToJson};
use super::{object, record};
use crate::output::Record;
use meterwire_core::Strictness;
use meterwire_scm_idm::{
    BitScan, Found, Framer, Idm, IdmFramer, IntervalKind, Kinds, NetIdm, NetIdmFramer, Packet,
    R900, R900Bcd, R900BcdFramer, R900Framer, R900Kind, ScanEvent, Scm, ScmFramer, ScmPlus,
    ScmPlusFramer,
};
use serde_json::{Map, Value};

fn with_corrected(mut m: Map<String, Value>, key: &str, n: Option<u8>) -> Map<String, Value> {
    if let Some(n) = n {
        m.insert(key.into(), Value::from(n));
    }
    m
}

fn scm_fields<T: AsRef<[u8]>>(p: &Scm<T>, corrected: Option<u8>) -> Fields {
    Ok((
        format!("scm:{}", p.commodity().as_str()),
        with_corrected(object(p)?, "corrected_bits", corrected),
    ))
}

fn scm_plus_fields<T: AsRef<[u8]>>(p: &ScmPlus<T>) -> Fields {
    Ok((format!("scm-plus:{}", p.commodity().as_str()), object(p)?))
}

fn idm_fields<T: AsRef<[u8]>>(p: &Idm<T>) -> Fields {
    Ok((format!("idm:{}", p.commodity().as_str()), object(p)?))
}

fn netidm_fields<T: AsRef<[u8]>>(p: &NetIdm<T>) -> Fields {
    Ok((format!("netidm:{}", p.commodity().as_str()), object(p)?))
}

fn r900_fields<T: AsRef<[u8]>>(p: &R900<T>, corrected: Option<u8>) -> Fields {
    Ok((
        "r900".into(),
        with_corrected(object(p)?, "corrected_symbols", corrected),
    ))
}

fn r900_bcd_fields<T: AsRef<[u8]>>(p: &R900Bcd<T>, corrected: Option<u8>) -> Fields {
    Ok((
        "r900-bcd".into(),
        with_corrected(object(p)?, "corrected_symbols", corrected),
    ))
}

/// JSON of a packet found in a bit stream.
fn found_json(f: &Found) -> Fields {
    let b = f.packet.bytes();
    let (label, mut m) = match f.packet {
        Packet::Scm(_) => scm_fields(&Scm::new_unchecked(b), f.corrected)?,
        Packet::ScmPlus(_) => scm_plus_fields(&ScmPlus::new_unchecked(b))?,
        Packet::Idm(_) => idm_fields(&Idm::new_unchecked(b))?,
        Packet::NetIdm(_) => netidm_fields(&NetIdm::new_unchecked(b))?,
        Packet::R900(_) => r900_fields(&R900::new_unchecked(b), f.corrected)?,
        Packet::R900Bcd(_) => r900_bcd_fields(&R900Bcd(R900::new_unchecked(b)), f.corrected)?,
    };
    m.insert("bit_offset".into(), Value::from(f.bit_offset));
    if f.erasures != 0 && !m.contains_key("diagnostics") {
        // the packet view's own diagnostics are already in `m`; add the erasures
        let d: Vec<_> = f.diagnostics().collect();
        m.insert(
            "diagnostics".into(),
            serde_json::to_value(d).unwrap_or(Value::Null),
        );
    }
    Ok((label, m))
}

/// A byte-framer stream that also searches `--bits` input.
struct ScmIdmStream {
    inner: Box<dyn StreamDecoder>,
    kinds: Kinds,
    correct: bool,
    strictness: Strictness,
}

impl StreamDecoder for ScmIdmStream {
    fn push(&mut self, data: &[u8], out: &mut dyn FnMut(Record)) {
        self.inner.push(data, out);
    }
    fn finish(&mut self, out: &mut dyn FnMut(Record)) {
        self.inner.finish(out);
    }
    fn push_bits(&mut self, protocol: &'static str, bits: &[bool], out: &mut dyn FnMut(Record)) {
        let mut packed = vec![0u8; bits.len().div_ceil(8)];
        for (i, &b) in bits.iter().enumerate() {
            if b {
                if let Some(byte) = packed.get_mut(i / 8) {
                    *byte |= 0x80 >> (i % 8);
                }
            }
        }
        let mut any = false;
        let scan = BitScan::new(&packed, bits.len(), self.kinds).strictness(self.strictness);
        let scan = if self.correct { scan.correct() } else { scan };
        for ev in scan {
            any = true;
            match ev {
                ScanEvent::Packet(f) => {
                    let raw = f.packet.bytes();
                    let offset = (f.bit_offset / 8) as u64;
                    out(record(protocol, found_json(&f), offset, raw));
                }
                ScanEvent::Rejected {
                    bit_offset,
                    kind,
                    error,
                } => {
                    let mut e = ErrorJson::from_error(&error);
                    e.message = format!("{kind} at bit {bit_offset}: {}", e.message);
                    out(Record::rejected(protocol, e, (bit_offset / 8) as u64, &[]));
                }
            }
        }
        if !any {
            out(Record::rejected(
                protocol,
                ErrorJson::new(
                    "malformed",
                    format!(
                        "no {protocol} preamble or sync word in {} bit(s)",
                        bits.len()
                    ),
                ),
                0,
                &[],
            ));
        }
    }
}

/// A stream over `framer` that also searches `--bits` input for `kinds`.
fn boxed<F: Framer + 'static>(
    name: &'static str,
    opts: &Options,
    kinds: Kinds,
    framer: F,
    to_json: ToJson<F>,
) -> Result<Box<dyn StreamDecoder>, String> {
    Ok(Box::new(ScmIdmStream {
        inner: FramerStream::boxed(name, framer, to_json),
        kinds,
        correct: opts.correct,
        strictness: opts.strictness,
    }))
}

/// `framer` with `correct` applied when `--correct` is given.
fn correcting<F>(framer: F, opts: &Options, correct: fn(F) -> F) -> F {
    if opts.correct {
        correct(framer)
    } else {
        framer
    }
}

protocols! {
    /// `scm`.
    ScmProtocol "scm"
        => "Itron ERT Standard Consumption Message (96 bits); --correct fixes 2 bit errors",
        |name, o, _| {
            let f = ScmFramer::new().strictness(o.strictness);
            let f = correcting(f, o, ScmFramer::correct);
            let kinds = Kinds { scm: true, ..Kinds::NONE };
            boxed(name, o, kinds, f, |f| scm_fields(&f.packet, f.corrected))
        };
    /// `scm-plus`.
    ScmPlusProtocol "scm-plus" => "Itron ERT SCM+ (16 bytes)",
        |name, o, _| {
            let f = ScmPlusFramer::new().strictness(o.strictness);
            let kinds = Kinds { scm_plus: true, ..Kinds::NONE };
            boxed(name, o, kinds, f, |p| scm_plus_fields(p))
        };
    /// `idm`.
    IdmProtocol "idm" => "Itron ERT Interval Data Message",
        |name, o, _| {
            let f = IdmFramer::new().strictness(o.strictness);
            let kinds = Kinds { interval: Some(IntervalKind::Idm), ..Kinds::NONE };
            boxed(name, o, kinds, f, |p| idm_fields(p))
        };
    /// `netidm`.
    NetIdmProtocol "netidm" => "Itron ERT Net-meter Interval Data Message",
        |name, o, _| {
            let f = NetIdmFramer::new().strictness(o.strictness);
            let kinds = Kinds { interval: Some(IntervalKind::NetIdm), ..Kinds::NONE };
            boxed(name, o, kinds, f, |p| netidm_fields(p))
        };
    /// `r900`.
    R900Protocol "r900"
        => "Neptune R900 water meter packet (14-byte form; --bits: chips); \
            --correct fixes 2 symbols",
        |name, o, _| {
            let f = R900Framer::new().strictness(o.strictness);
            let f = correcting(f, o, R900Framer::correct);
            let kinds = Kinds { r900: Some(R900Kind::Binary), ..Kinds::NONE };
            boxed(name, o, kinds, f, |f| r900_fields(&f.packet, f.corrected))
        };
    /// `r900-bcd`.
    R900BcdProtocol "r900-bcd" => "Neptune R900 BCD variant",
        |name, o, _| {
            let f = R900BcdFramer::new().strictness(o.strictness);
            let f = correcting(f, o, R900BcdFramer::correct);
            let kinds = Kinds { r900: Some(R900Kind::Bcd), ..Kinds::NONE };
            boxed(name, o, kinds, f, |f| r900_bcd_fields(&f.packet, f.corrected))
        };
}

/// Every protocol of this module: the radio packets, each protected by a CRC or a
/// Reed-Solomon code.
pub static PACKETS: &[&dyn Protocol] = &[
    &ScmProtocol,
    &ScmPlusProtocol,
    &IdmProtocol,
    &NetIdmProtocol,
    &R900Protocol,
    &R900BcdProtocol,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocols::testing::{assert_samples_decode, assert_strict_rejects};
    use crate::protocols::testing::{bits as push_bits, hex_frame, sample, strict};

    /// The record of `p` decoding the first sample of `of`.
    fn first_sample(p: &dyn Protocol, of: &dyn Protocol) -> Value {
        hex_frame(p, &Options::default(), &sample(of, 0)).remove(0)
    }

    #[test]
    fn samples_decode() {
        assert_samples_decode(PACKETS);
        let v = first_sample(&ScmProtocol, &ScmProtocol);
        assert_eq!(v["id"], 61412301);
        assert_eq!(v["commodity"], "electric");
        let v = first_sample(&R900BcdProtocol, &R900BcdProtocol);
        assert_eq!(v["consumption"], 223700);
        let v = first_sample(&NetIdmProtocol, &IdmProtocol);
        assert_eq!(v["last_generation"], 21);
    }

    #[test]
    fn correct_option() {
        let mut b = sample(&ScmProtocol, 0);
        b[6] ^= 0x41;
        let v = &hex_frame(&ScmProtocol, &Options::default(), &b)[0];
        assert_eq!(v["error"]["kind"], "checksum");
        assert!(v["error"]["message"].as_str().unwrap().contains("scm crc"));
        let opts = Options {
            correct: true,
            ..Options::default()
        };
        let v = &hex_frame(&ScmProtocol, &opts, &b)[0];
        assert_eq!(
            (v["id"].as_u64(), v["corrected_bits"].as_u64()),
            (Some(61412301), Some(2))
        );
        let mut r = sample(&R900Protocol, 0);
        r[2] ^= 0xFF;
        let v = &hex_frame(&R900Protocol, &opts, &r)[0];
        assert_eq!(v["corrected_symbols"], 2);
        assert_eq!(v["id"], 1568447122);
    }

    /// The first `n` bits of `bytes`, MSB first.
    fn bits_of(bytes: &[u8], n: usize) -> Vec<bool> {
        (0..n)
            .map(|i| bytes[i / 8] & (0x80 >> (i % 8)) != 0)
            .collect()
    }

    /// The chip stream of the R900 sample's transmission.
    fn r900_chips() -> Vec<bool> {
        let p = sample(&R900Protocol, 0);
        let (chips, n) = meterwire_scm_idm::bitstream::r900_transmission(&p);
        bits_of(&chips, n)
    }

    #[test]
    fn bits_input() {
        let b = sample(&ScmProtocol, 0);
        let mut bits = vec![false, true, true];
        bits.extend(bits_of(&b, 96));
        let out = push_bits(&ScmProtocol, &Options::default(), &bits);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["bit_offset"], 3);
        assert_eq!(out[0]["consumption"], 9480659);
        // R900 chips
        let out = push_bits(&R900Protocol, &Options::default(), &r900_chips());
        assert_eq!(out[0]["id"], 1568447122);
    }

    #[test]
    fn strict_option_reaches_the_framers() {
        // IDM sample with the serial CRC broken and the packet CRC recomputed
        let mut b = sample(&IdmProtocol, 0);
        b[86] ^= 0xFF;
        let crc = meterwire_core::crc::CRC16_GENIBUS.checksum(&b[2..88]);
        b[88..90].copy_from_slice(&crc.to_be_bytes());
        let v = &hex_frame(&IdmProtocol, &Options::default(), &b)[0];
        assert_eq!(v["serial"], 1551327421u32);
        assert_eq!(v["diagnostics"][0]["kind"], "vendor_quirk");
        assert_eq!(v["diagnostics"][0]["field"], "idm serial crc");
        assert_strict_rejects(&IdmProtocol, &b);
        assert_strict_rejects(&NetIdmProtocol, &b);
        // the clean sample has no diagnostics key at all
        let v = &hex_frame(&IdmProtocol, &strict(), &sample(&IdmProtocol, 0))[0];
        assert!(
            v.get("diagnostics").is_none() && v.get("error").is_none(),
            "{v}"
        );
        // R900 pad bits
        let mut r = sample(&R900Protocol, 0);
        r[13] |= 0x01;
        let v = &hex_frame(&R900Protocol, &Options::default(), &r)[0];
        assert_eq!(
            (v["id"].as_u64(), v["diagnostics"][0]["kind"].as_str()),
            (Some(1568447122), Some("noise"))
        );
        assert_strict_rejects(&R900Protocol, &r);
    }

    #[test]
    fn r900_erasures_in_chips() {
        let mut bits = r900_chips();
        // symbols 2 and 11: their first 4 chips become 1111 (no base-6 digit)
        for sym in [2, 11] {
            for c in 0..4 {
                bits[63 + 8 * sym + c] = true;
            }
        }
        let go = |opts: &Options| push_bits(&R900Protocol, opts, &bits);
        let v = &go(&Options::default())[0];
        assert_eq!(v["error"]["kind"], "malformed", "{v}");
        let corr = Options {
            correct: true,
            ..Options::default()
        };
        let v = &go(&corr)[0];
        assert_eq!(v["id"], 1568447122);
        assert_eq!(v["corrected_symbols"], 2);
        assert_eq!(v["diagnostics"][0]["field"], "r900 chips");
        let v = &go(&Options {
            strictness: Strictness::Strict,
            ..corr
        })[0];
        assert_eq!(v["error"]["kind"], "nonconforming", "{v}");
    }
}
