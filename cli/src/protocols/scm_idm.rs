//! ERT SCM, SCM+, IDM, NetIDM and Neptune R900 / R900 BCD (meterwire-scm-idm).
//!
//! `--hex`: the packet bytes from the preamble/sync word through the checksum (R900:
//! the 14-byte form, 105 payload bits MSB-first, last 7 bits zero). `--bits`: an ERT
//! bit stream after Manchester decoding (SCM, SCM+, IDM, NetIDM) or an R900 chip
//! stream, searched at every bit offset. `--correct`: SCM up to 2 bit errors, R900 up
//! to 2 symbol errors; the record then carries `corrected_bits` / `corrected_symbols`.

use super::{ErrorJson, FramerStream, Options, Protocol, StreamCtx, StreamDecoder, object};
use crate::output::Record;
use meterwire_core::Framer;
use meterwire_scm_idm::{
    BitScan, Found, Idm, IdmFramer, IntervalKind, Kinds, NetIdm, NetIdmFramer, Packet, R900,
    R900Bcd, R900BcdFramer, R900Framer, R900Kind, ScanEvent, Scm, ScmFramer, ScmPlus,
    ScmPlusFramer,
};
use serde_json::{Map, Value};

type Fields = Result<(String, Map<String, Value>), ErrorJson>;

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

fn scm_json(f: &<ScmFramer as Framer>::Frame<'_>) -> Fields {
    scm_fields(&f.packet, f.corrected)
}
fn scm_plus_json(p: &<ScmPlusFramer as Framer>::Frame<'_>) -> Fields {
    scm_plus_fields(p)
}
fn idm_json(p: &<IdmFramer as Framer>::Frame<'_>) -> Fields {
    idm_fields(p)
}
fn netidm_json(p: &<NetIdmFramer as Framer>::Frame<'_>) -> Fields {
    netidm_fields(p)
}
fn r900_json(f: &<R900Framer as Framer>::Frame<'_>) -> Fields {
    r900_fields(&f.packet, f.corrected)
}
fn r900_bcd_json(f: &<R900BcdFramer as Framer>::Frame<'_>) -> Fields {
    r900_bcd_fields(&f.packet, f.corrected)
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
    Ok((label, m))
}

/// A byte-framer stream that also searches `--bits` input.
struct ScmIdmStream {
    inner: Box<dyn StreamDecoder>,
    kinds: Kinds,
    correct: bool,
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
        for ev in BitScan::new(&packed, bits.len(), self.kinds, self.correct) {
            any = true;
            match ev {
                ScanEvent::Packet(f) => {
                    let raw = f.packet.bytes();
                    let offset = (f.bit_offset / 8) as u64;
                    out(match found_json(&f) {
                        Ok((label, fields)) => Record::frame(protocol, label, fields, offset, raw),
                        Err(e) => Record::rejected(protocol, e, offset, raw),
                    });
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

fn boxed(inner: Box<dyn StreamDecoder>, kinds: Kinds, correct: bool) -> Box<dyn StreamDecoder> {
    Box::new(ScmIdmStream {
        inner,
        kinds,
        correct,
    })
}

const K_SCM: Kinds = Kinds {
    scm: true,
    ..Kinds::NONE
};
const K_SCM_PLUS: Kinds = Kinds {
    scm_plus: true,
    ..Kinds::NONE
};
const K_IDM: Kinds = Kinds {
    interval: Some(IntervalKind::Idm),
    ..Kinds::NONE
};
const K_NETIDM: Kinds = Kinds {
    interval: Some(IntervalKind::NetIdm),
    ..Kinds::NONE
};
const K_R900: Kinds = Kinds {
    r900: Some(R900Kind::Binary),
    ..Kinds::NONE
};
const K_R900_BCD: Kinds = Kinds {
    r900: Some(R900Kind::Bcd),
    ..Kinds::NONE
};

macro_rules! protocol {
    ($ty:ident, $name:literal, $desc:literal, |$o:ident| $stream:expr, $kinds:expr) => {
        #[doc = concat!("`", $name, "`.")]
        pub struct $ty;

        impl Protocol for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn description(&self) -> &'static str {
                $desc
            }
            fn stream(
                &self,
                opts: &Options,
                _ctx: StreamCtx,
            ) -> Result<Box<dyn StreamDecoder>, String> {
                let $o = opts;
                Ok(boxed($stream, $kinds, opts.correct))
            }
        }
    };
}

protocol!(
    ScmProtocol,
    "scm",
    "Itron ERT Standard Consumption Message (96 bits); --correct fixes 2 bit errors",
    |o| FramerStream::boxed("scm", ScmFramer::new(o.correct), |f| scm_json(f)),
    K_SCM
);
protocol!(
    ScmPlusProtocol,
    "scm-plus",
    "Itron ERT SCM+ (16 bytes)",
    |o| {
        let _ = o;
        FramerStream::boxed("scm-plus", ScmPlusFramer, |f| scm_plus_json(f))
    },
    K_SCM_PLUS
);
protocol!(
    IdmProtocol,
    "idm",
    "Itron ERT Interval Data Message",
    |o| {
        let _ = o;
        FramerStream::boxed("idm", IdmFramer, |f| idm_json(f))
    },
    K_IDM
);
protocol!(
    NetIdmProtocol,
    "netidm",
    "Itron ERT Net-meter Interval Data Message",
    |o| {
        let _ = o;
        FramerStream::boxed("netidm", NetIdmFramer, |f| netidm_json(f))
    },
    K_NETIDM
);
protocol!(
    R900Protocol,
    "r900",
    "Neptune R900 water meter packet (14-byte form; --bits: chips); --correct fixes 2 symbols",
    |o| FramerStream::boxed("r900", R900Framer::new(o.correct), |f| r900_json(f)),
    K_R900
);
protocol!(
    R900BcdProtocol,
    "r900-bcd",
    "Neptune R900 BCD variant",
    |o| FramerStream::boxed(
        "r900-bcd",
        R900BcdFramer::new(o.correct),
        |f| r900_bcd_json(f)
    ),
    K_R900_BCD
);

#[cfg(test)]
mod tests {
    use super::*;

    fn run(p: &dyn Protocol, opts: &Options, hex: &str) -> Vec<Value> {
        let mut s = p.stream(opts, StreamCtx::default()).unwrap();
        let mut out = vec![];
        s.push_hex_frame(&hex::decode(hex).unwrap(), &mut |r| {
            out.push(r.to_json(&[]))
        });
        out
    }

    #[test]
    fn samples_decode() {
        for p in [
            &ScmProtocol as &dyn Protocol,
            &ScmPlusProtocol,
            &IdmProtocol,
            &NetIdmProtocol,
            &R900Protocol,
            &R900BcdProtocol,
        ] {
            for s in p.samples() {
                let out = run(p, &Options::default(), s.hex);
                assert_eq!(out.len(), 1, "{}", p.name());
                assert!(out[0].get("error").is_none(), "{}: {}", p.name(), out[0]);
            }
        }
        let v = &run(
            &ScmProtocol,
            &Options::default(),
            ScmProtocol.samples()[0].hex,
        )[0];
        assert_eq!(v["id"], 61412301);
        assert_eq!(v["commodity"], "electric");
        let v = &run(
            &R900BcdProtocol,
            &Options::default(),
            R900BcdProtocol.samples()[0].hex,
        )[0];
        assert_eq!(v["consumption"], 223700);
        let v = &run(
            &NetIdmProtocol,
            &Options::default(),
            IdmProtocol.samples()[0].hex,
        )[0];
        assert_eq!(v["last_generation"], 21);
    }

    #[test]
    fn correct_option() {
        let mut b = hex::decode(ScmProtocol.samples()[0].hex).unwrap();
        b[6] ^= 0x41;
        let h = hex::encode(&b);
        let v = &run(&ScmProtocol, &Options::default(), &h)[0];
        assert_eq!(v["error"]["kind"], "checksum");
        assert!(v["error"]["message"].as_str().unwrap().contains("scm crc"));
        let opts = Options {
            correct: true,
            ..Options::default()
        };
        let v = &run(&ScmProtocol, &opts, &h)[0];
        assert_eq!(
            (v["id"].as_u64(), v["corrected_bits"].as_u64()),
            (Some(61412301), Some(2))
        );
        let mut r = hex::decode(R900Protocol.samples()[0].hex).unwrap();
        r[2] ^= 0xFF;
        let v = &run(&R900Protocol, &opts, &hex::encode(&r))[0];
        assert_eq!(v["corrected_symbols"], 2);
        assert_eq!(v["id"], 1568447122);
    }

    #[test]
    fn bits_input() {
        let b = hex::decode(ScmProtocol.samples()[0].hex).unwrap();
        let mut bits = vec![false, true, true];
        for i in 0..96 {
            bits.push(b[i / 8] & (0x80 >> (i % 8)) != 0);
        }
        let mut s = ScmProtocol
            .stream(&Options::default(), StreamCtx::default())
            .unwrap();
        let mut out = vec![];
        s.push_bits("scm", &bits, &mut |r| out.push(r.to_json(&[])));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["bit_offset"], 3);
        assert_eq!(out[0]["consumption"], 9480659);
        // R900 chips
        let p = hex::decode(R900Protocol.samples()[0].hex).unwrap();
        let (chips, n) = meterwire_scm_idm::bitstream::r900_transmission(&p);
        let bits: Vec<bool> = (0..n)
            .map(|i| chips[i / 8] & (0x80 >> (i % 8)) != 0)
            .collect();
        let mut s = R900Protocol
            .stream(&Options::default(), StreamCtx::default())
            .unwrap();
        let mut out = vec![];
        s.push_bits("r900", &bits, &mut |r| out.push(r.to_json(&[])));
        assert_eq!(out[0]["id"], 1568447122);
    }
}
