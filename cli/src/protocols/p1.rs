//! IEC 62056-21 / DSMR P1 (meterwire-iec62056-21): `p1` and `iec62056-21`.
//!
//! `p1`: telegrams from a serial line (`cat /dev/ttyUSB0 | meterwire decode -p p1 -`),
//! plain or encrypted (general-glo-ciphering frames, start byte 0xDB). With `--ek HEX`
//! encrypted frames are decrypted (AES-128-GCM; `--ak HEX` overrides the public Smarty
//! authentication key) and their telegram decoded; without it they print their header
//! with a `not_decrypted` diagnostic. `--strict` rejects telegrams with diagnostics;
//! `--readings` prints `{"protocol","meter","time","readings":[...]}` per telegram.
//! `iec62056-21`: both directions of an optical-port session in time order.

use super::{ErrorJson, Fields, FramerStream, Options, StreamDecoder, object};
use meterwire_core::Strictness;
use meterwire_iec62056_21::iec::{Message, Session};
use meterwire_iec62056_21::p1::{Telegram, TelegramParser};
use meterwire_iec62056_21::smarty::Keys;
use meterwire_iec62056_21::stack::{P1Frame, P1StackFramer};
use serde_json::{Map, Value};

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

fn p1_stream(name: &'static str, opts: &Options) -> Result<Box<dyn StreamDecoder>, String> {
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
    let parser = TelegramParser::new().strictness(opts.strictness);
    let framer = P1StackFramer::new().strictness(opts.strictness);
    let state = P1State {
        keys,
        parser,
        readings: opts.readings,
    };
    Ok(FramerStream::boxed_with(
        name,
        framer,
        state,
        |f, raw, st| p1_fields(f, raw, st),
    ))
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

protocols! {
    /// `-p p1`.
    P1Protocol "p1"
        => "DSMR P1 telegrams (NL/BE/LU/SE/CH/HU/AT), plain or encrypted (Smarty, --ek)",
        |name, opts, _| p1_stream(name, opts);
    /// `-p iec62056-21`.
    Iec21Protocol "iec62056-21"
        => "IEC 62056-21 optical port (modes A-E): both directions of a session, BCC checked",
        |name, _, _| Ok(FramerStream::boxed(name, Session::new(), |m| iec_fields(m)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocols::Protocol;
    use crate::protocols::testing::{sample, stream as run};

    #[test]
    fn samples_decode() {
        let mut all = Vec::new();
        for s in P1Protocol.samples() {
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
            &sample(&Iec21Protocol, 0),
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
