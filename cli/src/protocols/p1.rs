//! IEC 62056-21 / DSMR P1 (meterwire-iec62056-21): `p1` and `iec62056-21`.
//!
//! `p1`: telegrams from a serial line (`cat /dev/ttyUSB0 | meterwire decode -p p1 -`),
//! plain or encrypted (general-glo-ciphering frames, start byte 0xDB). With `--ek HEX`
//! encrypted frames are decrypted (AES-128-GCM; `--ak HEX` overrides the public Smarty
//! authentication key) and their telegram decoded; without it they print their header
//! with a `not_decrypted` diagnostic. `--strict` rejects telegrams with diagnostics;
//! `--readings` prints `{"protocol","meter","time","readings":[...]}` per telegram.
//! `iec62056-21`: both directions of an optical-port session in time order.

use super::{ErrorJson, FramerStream, Options, Protocol, Sample, StreamCtx, StreamDecoder, object};
use meterwire_core::{Decoded, Framer, Strictness};
use meterwire_iec62056_21::Error;
use meterwire_iec62056_21::iec::{Message, Session};
use meterwire_iec62056_21::p1::{P1Framer, Telegram, TelegramParser};
use meterwire_iec62056_21::smarty::{EncryptedFramer, EncryptedTelegram, Keys};
use serde_json::{Map, Value};

type Fields = Result<(String, Map<String, Value>), ErrorJson>;

/// A P1 telegram or an encrypted P1 frame.
#[derive(Debug, Clone, Copy)]
pub enum P1Frame<'a> {
    /// A plain telegram.
    Plain(Telegram<'a>),
    /// A general-glo-ciphering frame.
    Encrypted(EncryptedTelegram<'a>),
}

/// Plain telegrams and 0xDB frames on one line.
#[derive(Debug, Clone, Copy)]
pub struct AnyP1Framer {
    plain: P1Framer,
    encrypted: EncryptedFramer,
}

fn first_db(input: &[u8]) -> Option<usize> {
    let slash = input.iter().position(|&b| b == b'/').unwrap_or(usize::MAX);
    input.iter().position(|&b| b == 0xDB).filter(|&d| d < slash)
}

impl Framer for AnyP1Framer {
    type Frame<'a> = P1Frame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<P1Frame<'a>>, Error> {
        match first_db(input) {
            Some(0) => Ok(match self.encrypted.decode(input)? {
                Decoded::Frame { frame, consumed } => Decoded::Frame {
                    frame: P1Frame::Encrypted(frame),
                    consumed,
                },
                Decoded::Incomplete { needed } => Decoded::Incomplete { needed },
            }),
            Some(_) => Err(Error::malformed(
                "p1 stream",
                "bytes before an encrypted frame",
            )),
            None => Ok(match self.plain.decode(input)? {
                Decoded::Frame { frame, consumed } => Decoded::Frame {
                    frame: P1Frame::Plain(frame),
                    consumed,
                },
                Decoded::Incomplete { needed } => Decoded::Incomplete { needed },
            }),
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        match first_db(input) {
            Some(0) => self.encrypted.resync(input),
            Some(d) => d,
            None => self.plain.resync(input),
        }
    }
}

/// Per-stream settings.
pub struct P1State {
    keys: Option<Keys>,
    parser: TelegramParser,
    readings: bool,
}

fn key16(v: &[u8], name: &str) -> Result<[u8; 16], String> {
    <[u8; 16]>::try_from(v).map_err(|_| format!("--{name} must be 16 bytes, got {}", v.len()))
}

fn readings_fields(t: &Telegram<'_>) -> Result<Map<String, Value>, ErrorJson> {
    let mut m = Map::new();
    let mut idbuf = [0u8; 64];
    let meter = t.equipment_id().map(|hex| {
        meterwire_iec62056_21::p1::value::decode_hex_text(hex, &mut idbuf)
            .unwrap_or(hex)
            .to_string()
    });
    m.insert("meter".into(), meter.map_or(Value::Null, Value::String));
    m.insert(
        "time".into(),
        t.time()
            .map_or(Value::Null, |d| Value::String(d.to_string())),
    );
    let mut text = vec![0u8; 4096];
    let r: Vec<Value> = t
        .readings(&mut text)
        .map(|r| serde_json::to_value(r).map_err(|e| ErrorJson::new("malformed", e.to_string())))
        .collect::<Result<_, _>>()?;
    m.insert("readings".into(), Value::Array(r));
    let d: Vec<Value> = t
        .diagnostics()
        .filter_map(|d| serde_json::to_value(d).ok())
        .collect();
    if !d.is_empty() {
        m.insert("diagnostics".into(), Value::Array(d));
    }
    Ok(m)
}

fn telegram_fields(t: &Telegram<'_>, st: &P1State) -> Result<Map<String, Value>, ErrorJson> {
    if st.readings {
        readings_fields(t)
    } else {
        object(t)
    }
}

fn p1_fields(f: &P1Frame<'_>, _raw: &[u8], st: &mut P1State) -> Fields {
    match f {
        P1Frame::Plain(t) => Ok(("telegram".into(), telegram_fields(t, st)?)),
        P1Frame::Encrypted(e) => {
            let Some(keys) = &st.keys else {
                let mut m = Map::new();
                m.insert("encrypted".into(), Value::Object(object(e)?));
                m.insert(
                    "diagnostics".into(),
                    serde_json::json!([{"kind": "not_decrypted", "field": "encrypted p1", "message": "no --ek given"}]),
                );
                return Ok(("encrypted".into(), m));
            };
            let mut buf = vec![0u8; e.ciphertext().len()];
            let t = e
                .telegram_with(keys, &mut buf, st.parser)
                .map_err(|e| ErrorJson::from_error(&e))?;
            let mut m = Map::new();
            if !st.readings {
                m.insert("encrypted".into(), Value::Object(object(e)?));
            }
            m.extend(telegram_fields(&t, st)?);
            Ok(("encrypted-telegram".into(), m))
        }
    }
}

/// `-p p1`.
pub struct P1Protocol;

/// Public samples for the demo.
static P1_SAMPLES: &[Sample] = &[
    Sample {
        title: "DSMR 4.2 telegram (Kaifa), power-failure log and M-Bus gas",
        source: "ndokter/dsmr_parser test/example_telegrams.py TELEGRAM_V4_2",
        hex: "2f4b464d354b414946412d4d455445520d0a0d0a312d333a302e322e38283432290d0a302d303a312e302e302831363131313332303537353757290d0a302d303a39362e312e312833393630323231393736393637313737303832313531303337383831333335373133290d0a312d303a312e382e31283030313538312e3132332a6b5768290d0a312d303a312e382e32283030313433352e3730362a6b5768290d0a312d303a322e382e31283030303030302e3030302a6b5768290d0a312d303a322e382e32283030303030302e3030302a6b5768290d0a302d303a39362e31342e302830303032290d0a312d303a312e372e302830322e3032372a6b57290d0a312d303a322e372e302830302e3030302a6b57290d0a302d303a39362e372e3231283030303135290d0a302d303a39362e372e39283030303037290d0a312d303a39392e39372e3028332928302d303a39362e372e31392928303030313034313830333230572928303030303233373132362a732928303030313031303030303031572928323134373538333634362a732928303030313032303030303033572928323331373438323634372a73290d0a312d303a33322e33322e30283030303030290d0a312d303a35322e33322e30283030303030290d0a312d303a37322e33322e30283030303030290d0a312d303a33322e33362e30283030303030290d0a312d303a35322e33362e30283030303030290d0a312d303a37322e33362e30283030303030290d0a302d303a39362e31332e3128290d0a302d303a39362e31332e3028290d0a312d303a33312e372e30283030302a41290d0a312d303a35312e372e30283030362a41290d0a312d303a37312e372e30283030322a41290d0a312d303a32312e372e302830302e3137302a6b57290d0a312d303a32322e372e302830302e3030302a6b57290d0a312d303a34312e372e302830312e3234372a6b57290d0a312d303a34322e372e302830302e3030302a6b57290d0a312d303a36312e372e302830302e3230392a6b57290d0a312d303a36322e372e302830302e3030302a6b57290d0a302d313a32342e312e3028303033290d0a302d313a39362e312e302834383139323433393933333733373535333737353039373238363039343931343634290d0a302d313a32342e322e312831363131323932303030303057292830303938312e3434332a6d33290d0a21363739360d0a",
        direction: None,
    },
    Sample {
        title: "Belgian e-MUCS 1.7.1 telegram (Fluvius): peak demand and 3-month history",
        source: "ndokter/dsmr_parser test/example_telegrams.py TELEGRAM_FLUVIUS_V171",
        hex: "2f464c55355c3235333736393438345f410d0a0d0a302d303a39362e312e34283530323137290d0a302d303a39362e312e312833313533343134373333333133303331333033323331333633303335290d0a302d303a312e302e302832303035313231333534303953290d0a312d303a312e382e31283030303030302e3033342a6b5768290d0a312d303a312e382e32283030303031352e3735382a6b5768290d0a312d303a322e382e31283030303030302e3030302a6b5768290d0a312d303a322e382e32283030303030302e3031312a6b5768290d0a312d303a312e342e302830322e3335312a6b57290d0a312d303a312e362e302832303035303931333435353853292830322e3538392a6b57290d0a302d303a39382e312e3028332928312d303a312e362e302928312d303a312e362e30292832303035303130303030303053292832303034323331393235333853292830332e3639352a6b57292832303034303130303030303053292832303033303531323231333953292830352e3938302a6b57292832303033303130303030303053292832303032313030333534323157292830342e3331382a6b57290d0a302d303a39362e31342e302830303031290d0a312d303a312e372e302830302e3030302a6b57290d0a312d303a322e372e302830302e3030302a6b57290d0a312d303a32312e372e302830302e3030302a6b57290d0a312d303a34312e372e302830302e3030302a6b57290d0a312d303a36312e372e302830302e3030302a6b57290d0a312d303a32322e372e302830302e3030302a6b57290d0a312d303a34322e372e302830302e3030302a6b57290d0a312d303a36322e372e302830302e3030302a6b57290d0a312d303a33322e372e30283233342e372a56290d0a312d303a35322e372e30283233342e372a56290d0a312d303a37322e372e30283233342e372a56290d0a312d303a33312e372e30283030302e30302a41290d0a312d303a35312e372e30283030302e30302a41290d0a312d303a37312e372e30283030302e30302a41290d0a302d303a39362e332e31302831290d0a302d303a31372e302e30283939392e392a6b57290d0a312d303a33312e342e30283939392a41290d0a302d303a39362e31332e3028290d0a302d313a32342e312e3028303033290d0a302d313a39362e312e312833373436344334463332333133313339333033333333333733333333290d0a302d313a32342e342e302831290d0a302d313a32342e322e332832303035313231333435353853292830303131322e3338342a6d33290d0a302d323a32342e312e3028303037290d0a302d323a39362e312e312833383533343134373331333233333334333533363337333833393330290d0a302d323a32342e322e312832303035313231333435353853292830303837322e3233342a6d33290d0a21334144370d0a",
        direction: None,
    },
    Sample {
        title: "encrypted P1 (Smarty frame, public AK, demo EK AA..AA) around TELEGRAM_SAGEMCOM_T210_D_R",
        source: "built as in dsmr_parser test/test_parse_sagemcom_t210_d_r.py; meterwire iec62056-21/tests/data/encrypted/t210_public_ak.hex",
        hex: "db0853595354454d49448201f23010000001c20f3ead08548c7ffc90a5936b7d020aa8382210c7de89b8141c5e9b8b7f63ba0322a254bae5d11158c6821e961e849cff758e389df9992163a1930935074a9bb183c95b2d2d2e2d19fcadd76a5fa89c64b7bc91e7cf6fc8a3f26341254dc5b336dfa9439c724dd4d130f9922f86bfd195cc36271311d25aeb74f1a8df0261e7fc7456e57f19e6a29220dcc56619297abaeb2bdd2860bfb2f69f03ea063b41acbb473037483de78fc51f3197d8d2f3527a5bf5c7ab45a82e02da1f35e85d27443cfcdbc3d543a3259e40b355dbaac215fff9f278c0d1112c3663b28637e043af44b11472b9e7800e21b2c4d753e1166669150f2ad29cdd4b52c82433ced6ac42874808c89220777de949eb5d68673fa9a731f632c372971a72b7e0dad3dd5380078f803fb714c79d075183e82bed0ac67ff4f7203bd4aced206c38d1f49ace78c40e9963250ed42103dea98bfc2f1af2062a95ee96db2ed339b6007fcfce2b62bfc24232d8defa287e6c27da2899504ea692c06762016902b6f3545da839889da1ceae84aa2f1869c1774cff8752af6d72ae1dc2c6a6e7dc8e5e463e2c46b97df6163da4c935e42840876a651cd1cdd9be7a5ffa2f7ae9db4d3f243cf2934363368f5a6f4358fdeef2ad0a63aa88f333104f513b5eaffe3c0797d7cd59265f1ce60e724e62d6924ad8591064ad",
        direction: None,
    },
];

impl Protocol for P1Protocol {
    fn name(&self) -> &'static str {
        "p1"
    }
    fn description(&self) -> &'static str {
        "DSMR P1 telegrams (NL/BE/LU/SE/CH/HU/AT), plain or encrypted (Smarty, --ek)"
    }
    fn samples(&self) -> &'static [Sample] {
        P1_SAMPLES
    }
    fn stream(&self, opts: &Options, _ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        let keys = match &opts.ek {
            None => None,
            Some(ek) => {
                let k = Keys::new(key16(ek, "ek")?);
                Some(match &opts.ak {
                    Some(ak) => k.with_ak(key16(ak, "ak")?),
                    None => k,
                })
            }
        };
        let plain = P1Framer::new().strictness(opts.strictness);
        let parser = TelegramParser::new().strictness(opts.strictness);
        let framer = AnyP1Framer {
            plain,
            encrypted: EncryptedFramer::new(),
        };
        let state = P1State {
            keys,
            parser,
            readings: opts.readings,
        };
        Ok(FramerStream::boxed_with(
            "p1",
            framer,
            state,
            |f, raw, st| p1_fields(f, raw, st),
        ))
    }
}

/// The demo's encryption key for the encrypted sample (a published test key).
pub fn demo_options() -> Options {
    Options {
        ek: hex::decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").ok(),
        strictness: Strictness::Lenient,
        ..Options::default()
    }
}

fn iec_fields(m: &Message<'_>) -> Fields {
    let label = match m {
        Message::Request { .. } => "request",
        Message::Identification(_) => "identification",
        Message::OptionSelect { .. } => "option_select",
        Message::Ack => "ack",
        Message::Nak => "nak",
        Message::Readout(_) => "readout",
        Message::ModeD(_) => "mode_d",
        Message::Command { .. } => "command",
        Message::Answer { .. } => "answer",
    };
    Ok((label.into(), object(m)?))
}

/// `-p iec62056-21`.
pub struct Iec21Protocol;

static IEC_SAMPLES: &[Sample] = &[Sample {
    title: "optical-port programming session: request, identification (mode E capable), option select, P0 seed, R1, answer, B0",
    source: "messages and BCCs of pwitab/iec62056-21 tests/test_data.py and tests/test_bcc.py",
    hex: "2f3f210d0a2f456c73365c32454b3238300d0a063036310d0a01503002283132333435363729035001523102312e382e30283129036b02333a3137312e3028302903120142300371",
    direction: None,
}];

impl Protocol for Iec21Protocol {
    fn name(&self) -> &'static str {
        "iec62056-21"
    }
    fn description(&self) -> &'static str {
        "IEC 62056-21 optical port (modes A-E): both directions of a session, BCC checked"
    }
    fn samples(&self) -> &'static [Sample] {
        IEC_SAMPLES
    }
    fn stream(&self, _opts: &Options, _ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        Ok(FramerStream::boxed("iec62056-21", Session::new(), |m| {
            iec_fields(m)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(p: &dyn Protocol, opts: &Options, bytes: &[u8]) -> Vec<Value> {
        let mut s = p.stream(opts, StreamCtx::default()).unwrap();
        let mut out = vec![];
        s.push(bytes, &mut |r| out.push(r.to_json(&[])));
        s.finish(&mut |r| out.push(r.to_json(&[])));
        out
    }

    #[test]
    fn samples_decode() {
        let mut all = Vec::new();
        for s in P1_SAMPLES {
            all.extend(hex::decode(s.hex).unwrap());
        }
        let out = run(&P1Protocol, &demo_options(), &all);
        assert_eq!(out.len(), 3, "{out:?}");
        assert_eq!(out[0]["manufacturer"], "KFM");
        assert_eq!(out[2]["encrypted"]["system_title"], "53595354454d4944");
        assert_eq!(out[2]["manufacturer"], "EST");
        // readings
        let opts = Options {
            readings: true,
            ..demo_options()
        };
        let out = run(&P1Protocol, &opts, &all);
        assert_eq!(out[0]["time"], "2016-11-13T20:57:57");
        assert_eq!(out[1]["meter"], "1SAG3101021605");
        let r = out[0]["readings"].as_array().unwrap();
        let e = r.iter().find(|r| r["obis"] == "1-0:1.8.1").unwrap();
        assert_eq!(
            (e["value"].as_str(), e["unit"].as_str()),
            (Some("1581123"), Some("Wh"))
        );
        // without a key the encrypted frame is shown, not decrypted
        let out = run(&P1Protocol, &Options::default(), &all);
        assert_eq!(out[2]["diagnostics"][0]["kind"], "not_decrypted");
        // strict: the V4_2 placeholder date is rejected
        let opts = Options {
            strictness: Strictness::Strict,
            ..demo_options()
        };
        let out = run(&P1Protocol, &opts, &all);
        assert_eq!(out[0]["error"]["kind"], "nonconforming");
        assert_eq!(out[1]["manufacturer"], "FLU");
        // wrong key: authentication
        let opts = Options {
            ek: Some(vec![0x11; 16]),
            ..Options::default()
        };
        let out = run(&P1Protocol, &opts, &all);
        assert_eq!(out[2]["error"]["kind"], "authentication");
    }

    #[test]
    fn iec_session() {
        let out = run(
            &Iec21Protocol,
            &Options::default(),
            &hex::decode(IEC_SAMPLES[0].hex).unwrap(),
        );
        let types: Vec<&str> = out.iter().map(|r| r["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            [
                "request",
                "identification",
                "option_select",
                "command",
                "command",
                "answer",
                "command"
            ]
        );
        assert_eq!(out[1]["mode_e"], true);
        assert_eq!(out[3]["command"], "P0");
    }
}
