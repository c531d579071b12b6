//! DLMS/COSEM (meterwire-dlms-cosem): `dlms-hdlc`, `dlms-wrapper`, `dlms-apdu`.
//!
//! HDLC records carry the frame fields; the record of the frame that completes an
//! APDU (a single frame, or the last segment) also carries the APDU's fields.
//! Ciphered APDUs show their security header; with `--ek` (and `--ak`,
//! `--system-title`) [`Decryptor::decrypt`] adds `"plaintext_hex"` (the decrypted
//! APDU, lower-case hex) and `"decrypted"` (the decoded inner APDU); a frame that
//! fails authentication under the given keys is rejected (kind `authentication`).

use super::{
    ErrorJson, FramerStream, Options, Protocol, StreamCtx, StreamDecoder, ToJsonWith, object,
};
use meterwire_core::{Classify, Framer};
use meterwire_dlms_cosem::apdu::{Apdu, ApduFramer};
use meterwire_dlms_cosem::hdlc::{HdlcFrame, HdlcFramer, Reassembler};
use meterwire_dlms_cosem::wrapper::{self, WrapperFrame, WrapperFramer};
use serde_json::{Map, Value};

/// Largest reassembled APDU from segmented HDLC frames.
const MAX_APDU: usize = 1 << 16;

/// Decryption of ciphered APDUs with the keys from the command line (the hook the
/// security layer plugs into).
#[derive(Debug, Clone, Default)]
pub struct Decryptor {
    ek: Option<Vec<u8>>,
    ak: Option<Vec<u8>>,
    system_title: Option<[u8; 8]>,
}

impl Decryptor {
    fn from_options(opts: &Options) -> Result<Self, String> {
        let system_title = match &opts.system_title {
            None => None,
            Some(st) => Some(
                <[u8; 8]>::try_from(st.as_slice())
                    .map_err(|_| format!("--system-title must be 8 bytes, got {}", st.len()))?,
            ),
        };
        Ok(Decryptor {
            ek: opts.ek.clone(),
            ak: opts.ak.clone(),
            system_title,
        })
    }

    /// The plaintext APDU of a ciphered APDU, when keys were given; `None` without keys.
    pub fn decrypt(&self, ciphered_apdu: &[u8]) -> Option<Result<Vec<u8>, ErrorJson>> {
        let ek = self.ek.as_ref()?;
        Some((|| {
            let keys =
                meterwire_dlms_cosem::security::SecurityKeys::from_slices(ek, self.ak.as_deref())
                    .map_err(|e| ErrorJson::from_error(&e))?;
            meterwire_dlms_cosem::security::decrypt_apdu_vec(
                ciphered_apdu,
                &keys,
                self.system_title,
            )
            .map_err(|e| ErrorJson::from_error(&e))
        })())
    }
}

/// JSON of one APDU (its raw bytes are needed for decryption).
fn apdu_fields(
    raw: &[u8],
    apdu: &Apdu<'_>,
    dec: &Decryptor,
) -> Result<Map<String, Value>, ErrorJson> {
    let mut m = object(apdu)?;
    if let Apdu::Ciphered(_) = apdu {
        if let Some(r) = dec.decrypt(raw) {
            let plain = r?;
            m.insert("plaintext_hex".into(), Value::String(hex::encode(&plain)));
            let inner = Apdu::parse(&plain).map_err(|e| {
                ErrorJson::new(
                    e.kind().as_str(),
                    format!("decrypted apdu: {e} (plaintext {})", hex::encode(&plain)),
                )
            })?;
            m.insert("decrypted".into(), Value::Object(object(&inner)?));
        }
    }
    Ok(m)
}

fn apdu_json(raw: &[u8], dec: &Decryptor) -> Result<(String, Map<String, Value>), ErrorJson> {
    let apdu = Apdu::parse(raw).map_err(|e| ErrorJson::from_error(&e))?;
    Ok((apdu.name().to_string(), apdu_fields(raw, &apdu, dec)?))
}

/// Per-stream state: HDLC reassembly and keys.
struct State {
    reasm: Reassembler<Vec<u8>>,
    dec: Decryptor,
}

/// Maps one frame to a record body (`Err` = rejected record).
type MapFn<F> = ToJsonWith<F, State>;

/// A stream decoder over any DLMS framer, with HDLC reassembly and keys as state.
fn dlms_stream<F: Framer + 'static>(
    protocol: &'static str,
    framer: F,
    opts: &Options,
    map: MapFn<F>,
) -> Result<Box<dyn StreamDecoder>, String> {
    let state = State {
        reasm: Reassembler::new(vec![0u8; MAX_APDU]),
        dec: Decryptor::from_options(opts)?,
    };
    Ok(FramerStream::boxed_with(protocol, framer, state, map))
}

fn hdlc_json(
    frame: &HdlcFrame<'_>,
    st: &mut State,
) -> Result<(String, Map<String, Value>), ErrorJson> {
    let mut fields = object(frame)?;
    let mut label = format!("hdlc:{}", frame.control.name());
    match st
        .reasm
        .push(frame)
        .map_err(|e| ErrorJson::from_error(&e))?
    {
        None => {
            if frame.segmented {
                fields.insert("segment".into(), Value::Bool(true));
            }
        }
        Some(apdu) => {
            let (name, m) = apdu_json(apdu, &st.dec)?;
            label = name;
            fields.remove("info");
            fields.extend(m);
        }
    }
    Ok((label, fields))
}

fn wrapper_json(
    frame: &WrapperFrame<'_>,
    st: &mut State,
) -> Result<(String, Map<String, Value>), ErrorJson> {
    let mut m = object(frame)?;
    let (label, fields) = apdu_json(frame.apdu, &st.dec)?;
    m.extend(fields);
    Ok((label, m))
}

fn bare_json(
    apdu: &Apdu<'_>,
    raw: &[u8],
    st: &mut State,
) -> Result<(String, Map<String, Value>), ErrorJson> {
    Ok((apdu.name().to_string(), apdu_fields(raw, apdu, &st.dec)?))
}

/// `dlms-hdlc`: HDLC frames with segment reassembly.
pub struct DlmsHdlc;

impl Protocol for DlmsHdlc {
    fn name(&self) -> &'static str {
        "dlms-hdlc"
    }
    fn description(&self) -> &'static str {
        "DLMS/COSEM over HDLC (IEC 62056-46), segments reassembled"
    }
    fn stream(&self, opts: &Options, _ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        dlms_stream("dlms-hdlc", HdlcFramer::new(), opts, |f, _raw, s| {
            hdlc_json(f, s)
        })
    }
}

/// `dlms-wrapper`: IEC 62056-47 frames (TCP/UDP 4059).
pub struct DlmsWrapper;

impl Protocol for DlmsWrapper {
    fn name(&self) -> &'static str {
        "dlms-wrapper"
    }
    fn description(&self) -> &'static str {
        "DLMS/COSEM wrapper (IEC 62056-47), port 4059"
    }
    fn ports(&self) -> &'static [u16] {
        &[wrapper::PORT]
    }
    fn stream(&self, opts: &Options, _ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        dlms_stream("dlms-wrapper", WrapperFramer::new(), opts, |f, _raw, s| {
            wrapper_json(f, s)
        })
    }
}

/// `dlms-apdu`: bare APDUs.
pub struct DlmsApdu;

impl Protocol for DlmsApdu {
    fn name(&self) -> &'static str {
        "dlms-apdu"
    }
    fn description(&self) -> &'static str {
        "DLMS/COSEM APDU (xDLMS, ACSE) without framing"
    }
    fn stream(&self, opts: &Options, _ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        dlms_stream("dlms-apdu", ApduFramer, opts, |f, raw, s| {
            bare_json(f, raw, s)
        })
    }
}

/// Options for `meterwire demo`: the published key of the EVN push sample.
pub fn demo_options() -> Options {
    Options {
        ek: hex::decode("36c66639e48a8ca4d6bc8b282a793bbb").ok(),
        ..Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(p: &dyn Protocol, hex_in: &str) -> Vec<Value> {
        let mut s = p.stream(&Options::default(), StreamCtx::default()).unwrap();
        let bytes = hex::decode(hex_in).unwrap();
        let mut out = vec![];
        s.push_hex_frame(&bytes, &mut |r| out.push(r.to_json(&[])));
        out
    }

    /// The EVN Kaifa MA309 push (athombv/node-dsmr-parser, key published there) through
    /// `--ek`: the record carries the decrypted data-notification.
    #[test]
    fn decrypts_with_ek() {
        let apdu = DlmsApdu.samples()[3].hex;
        let opts = Options {
            ek: Some(hex::decode("36c66639e48a8ca4d6bc8b282a793bbb").unwrap()),
            ..Options::default()
        };
        let mut s = DlmsApdu.stream(&opts, StreamCtx::default()).unwrap();
        let mut out = vec![];
        s.push_hex_frame(&hex::decode(apdu).unwrap(), &mut |r| {
            out.push(r.to_json(&[]))
        });
        assert_eq!(out.len(), 1);
        let r = &out[0];
        assert_eq!(r["apdu"], "general-glo-ciphering");
        assert_eq!(r["decrypted"]["apdu"], "data-notification");
        assert_eq!(r["decrypted"]["data"][2], 12937);
        let plain = r["plaintext_hex"].as_str().unwrap();
        assert!(plain.starts_with("0f"), "data-notification tag: {plain}");
        assert_eq!(plain, plain.to_lowercase());

        // this push is encryption-only (security control 0x20, no tag): a wrong key
        // gives bytes that do not parse, and the record is rejected, not printed
        let mut bad = hex::decode("36c66639e48a8ca4d6bc8b282a793bbb").unwrap();
        bad[0] ^= 1;
        let opts = Options {
            ek: Some(bad),
            ..Options::default()
        };
        let mut s = DlmsApdu.stream(&opts, StreamCtx::default()).unwrap();
        let mut out = vec![];
        s.push_hex_frame(&hex::decode(apdu).unwrap(), &mut |r| {
            out.push(r.to_json(&[]))
        });
        assert_eq!(out.len(), 1);
        assert!(out[0].get("error").is_some(), "{}", out[0]);
        assert!(out[0].get("decrypted").is_none());
    }

    /// Green Book 9.2.7.2.4 glo-get-request with authentication and encryption (EK
    /// 000102..0F, AK D0..DF, system title 4D4D4D0000BC614E): decrypts with the right
    /// keys; one wrong AK bit is an authentication failure.
    #[test]
    fn authenticated_apdu_checks_the_tag() {
        let apdu = hex::decode("c81e3001234567411312ff935a47566827c467bc7d825c3be4a77c3fcc056b6b")
            .unwrap();
        let mut opts = Options {
            ek: Some(hex::decode("000102030405060708090a0b0c0d0e0f").unwrap()),
            ak: Some(hex::decode("d0d1d2d3d4d5d6d7d8d9dadbdcdddedf").unwrap()),
            system_title: Some(hex::decode("4d4d4d0000bc614e").unwrap()),
            ..Options::default()
        };
        let decode = |opts: &Options| {
            let mut s = DlmsApdu.stream(opts, StreamCtx::default()).unwrap();
            let mut out = vec![];
            s.push_hex_frame(&apdu, &mut |r| out.push(r.to_json(&[])));
            out.remove(0)
        };
        let ok = decode(&opts);
        assert_eq!(ok["plaintext_hex"], "c0010000080000010000ff0200", "{ok}");
        assert_eq!(ok["decrypted"]["apdu"], "get-request-normal");
        assert_eq!(ok["decrypted"]["obis"], "0-0:1.0.0*255");
        opts.ak.as_mut().unwrap()[15] ^= 1;
        let bad = decode(&opts);
        assert_eq!(bad["error"]["kind"], "authentication", "{bad}");
        assert!(bad.get("plaintext_hex").is_none());
    }

    #[test]
    fn samples_decode() {
        for p in [&DlmsHdlc as &dyn Protocol, &DlmsWrapper, &DlmsApdu] {
            for s in p.samples() {
                let recs = run(p, s.hex.trim());
                assert_eq!(recs.len(), 1, "{}", s.title);
                assert!(recs[0].get("error").is_none(), "{}: {}", s.title, recs[0]);
            }
        }
        let r = &run(&DlmsHdlc, DlmsHdlc.samples()[4].hex)[0];
        assert_eq!(r["apdu"], "aare");
        assert_eq!(r["frame_type"], "I");
        let r = &run(&DlmsHdlc, DlmsHdlc.samples()[0].hex)[0];
        assert_eq!(r["apdu"], "data-notification");
        assert_eq!(r["data"][1][1], 1122);
        let r = &run(&DlmsApdu, DlmsApdu.samples()[0].hex)[0];
        assert_eq!(r["apdu"], "get-request-normal");
        assert_eq!(r["obis"], "1-0:99.1.0*255");
        assert_eq!(r["class_id"], 7);
        let r = &run(&DlmsWrapper, DlmsWrapper.samples()[0].hex)[0];
        assert_eq!(r["apdu"], "general-glo-ciphering");
        assert_eq!(r["system_title"], "2f19229199164103");
        assert_eq!(r["invocation_counter"], 0x1e5);
    }
}
