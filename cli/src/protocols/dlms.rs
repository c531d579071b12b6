//! DLMS/COSEM (meterwire-dlms-cosem): `dlms-hdlc`, `dlms-wrapper`, `dlms-apdu`.
//!
//! A thin mapper over the library's stack framer
//! ([`meterwire_dlms_cosem::stack::DlmsFramer`]): it does the HDLC reassembly,
//! general-block-transfer, decryption and diagnostics; this module only builds it from
//! the options (`--ek`, `--ak`, `--system-title`, `--no-verify`, `--strict`) and
//! prints the frame's serde JSON. Ciphered APDUs show their security header; with keys,
//! `"plaintext_hex"` and `"decrypted"` (the inner APDU) are added; a missing key is a
//! `not_decrypted` diagnostic, not an error; a wrong key is an error (kind
//! `authentication`).

use super::{Fields, FramerStream, Options, StreamDecoder, object};
use meterwire_dlms_cosem::security::{Key, PreparedKeys, SecurityKeys, TagCheck};
use meterwire_dlms_cosem::stack::{DlmsFrame, DlmsFramer, Link, Transport};
use meterwire_dlms_cosem::wrapper;
use serde_json::Value;

/// The stack framer the options ask for.
fn framer(
    transport: Transport,
    opts: &Options,
) -> Result<DlmsFramer<Option<PreparedKeys>>, String> {
    let keys = match &opts.ek {
        None => None,
        Some(ek) => {
            let mut k = SecurityKeys::new(Key::from_slice(ek).map_err(|e| format!("--ek: {e}"))?);
            if let Some(ak) = &opts.ak {
                k = k.with_authentication(Key::from_slice(ak).map_err(|e| format!("--ak: {e}"))?);
            }
            Some(PreparedKeys::new(&k))
        }
    };
    let mut f = DlmsFramer::new(transport)
        .keys(keys)
        .strictness(opts.strictness)
        .tag_check(if opts.no_verify {
            TagCheck::Skip
        } else {
            TagCheck::Verify
        });
    if let Some(st) = &opts.system_title {
        let st = <[u8; 8]>::try_from(st.as_slice())
            .map_err(|_| format!("--system-title must be 8 bytes, got {}", st.len()))?;
        f = f.system_title(st);
    }
    Ok(f)
}

/// The record: the frame's JSON; the label is the APDU's name (or `hdlc:<control>`).
fn to_json(frame: &DlmsFrame<'_>) -> Fields {
    let label = match (&frame.link, frame.apdu_bytes()) {
        (Link::Hdlc(h), None) => format!("hdlc:{}", h.control.name()),
        _ => frame.name().to_string(),
    };
    Ok((label, object(frame)?))
}

/// `--readings`: a complete (decrypted or plain) data-notification becomes
/// `{"meter","time","readings":[..]}` (see [`crate::readings`]), with the frame's own
/// diagnostics added; any other frame (a segment, a request, a push that cannot be
/// mapped) is printed as usual plus the `not_mapped` diagnostic.
fn to_readings_json(frame: &DlmsFrame<'_>) -> Fields {
    let apdu = match frame.plaintext() {
        Some(p) => Some(p),
        None if frame.security.is_none() => frame.apdu_bytes(),
        None => None, // ciphered and not decrypted: nothing to read
    };
    let Some(apdu) = apdu.filter(|_| !frame.partial) else {
        return to_json(frame);
    };
    let meter = frame.security.as_ref().map(|s| s.system_title);
    let Value::Object(mut r) =
        crate::readings::dlms_readings_json(apdu, meter.as_ref().map(|m| &m[..]))
    else {
        return to_json(frame);
    };
    let mut diags: Vec<Value> = frame
        .diagnostics()
        .map(|d| serde_json::to_value(d).unwrap_or(Value::Null))
        .collect();
    if let Some(Value::Array(more)) = r.remove("diagnostics") {
        diags.extend(more);
    }
    let mapped = r
        .get("readings")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    let (label, mut out) = if mapped {
        ("readings".to_string(), r)
    } else {
        to_json(frame)?
    };
    if !diags.is_empty() {
        out.insert("diagnostics".into(), Value::Array(diags));
    }
    Ok((label, out))
}

fn stream(
    protocol: &'static str,
    transport: Transport,
    opts: &Options,
) -> Result<Box<dyn StreamDecoder>, String> {
    let f = framer(transport, opts)?;
    Ok(if opts.readings {
        FramerStream::boxed(protocol, f, |f| to_readings_json(f))
    } else {
        FramerStream::boxed(protocol, f, |f| to_json(f))
    })
}

protocols! {
    /// `dlms-hdlc`: HDLC frames with segment reassembly.
    DlmsHdlc "dlms-hdlc" => "DLMS/COSEM over HDLC (IEC 62056-46), segments reassembled",
        |name, opts, _| stream(name, Transport::Hdlc, opts);
    /// `dlms-wrapper`: IEC 62056-47 frames (TCP/UDP 4059).
    DlmsWrapper "dlms-wrapper" ports [wrapper::PORT]
        => "DLMS/COSEM wrapper (IEC 62056-47), port 4059",
        |name, opts, _| stream(name, Transport::Wrapper, opts);
    /// `dlms-apdu`: bare APDUs.
    DlmsApdu "dlms-apdu" => "DLMS/COSEM APDU (xDLMS, ACSE) without framing",
        |name, opts, _| stream(name, Transport::Apdu, opts);
}

/// The key of the EVN Kaifa MA309 push sample (athombv/node-dsmr-parser, published
/// there).
const EVN_EK: &str = "36c66639e48a8ca4d6bc8b282a793bbb";

/// Options for `meterwire demo`: the published key of the EVN push sample.
pub fn demo_options() -> Options {
    Options {
        ek: hex::decode(EVN_EK).ok(),
        ..Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocols::Protocol;
    use crate::protocols::testing::{assert_samples_decode, assert_strict_rejects, hex_frame};

    /// Green Book 9.2.7.2.4 glo-get-request with authentication and encryption (SC
    /// 0x30), its EK, AK and system title.
    const GLO_GET_REQUEST: &str =
        "c81e3001234567411312ff935a47566827c467bc7d825c3be4a77c3fcc056b6b";
    const GLO_EK: &str = "000102030405060708090a0b0c0d0e0f";
    const GLO_AK: &str = "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf";
    const GLO_SYSTEM_TITLE: &str = "4d4d4d0000bc614e";

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// The JSON records of a hex frame given to `p` with `opts`.
    fn decode(p: &dyn Protocol, opts: &Options, hex_in: &str) -> Vec<Value> {
        hex_frame(p, opts, &unhex(hex_in))
    }

    fn run(p: &dyn Protocol, hex_in: &str) -> Vec<Value> {
        decode(p, &Options::default(), hex_in)
    }

    /// Options with the Green Book example's EK and system title, and its AK when
    /// `with_ak`.
    fn glo_options(with_ak: bool) -> Options {
        Options {
            ek: Some(unhex(GLO_EK)),
            ak: with_ak.then(|| unhex(GLO_AK)),
            system_title: Some(unhex(GLO_SYSTEM_TITLE)),
            ..Options::default()
        }
    }

    /// The record of the Green Book glo-get-request decoded with `opts`.
    fn glo_get_request(opts: &Options) -> Value {
        decode(&DlmsApdu, opts, GLO_GET_REQUEST).remove(0)
    }

    /// `--readings` on the EVN Kaifa MA309 push (athombv/node-dsmr-parser, key
    /// published there): decrypted and mapped to OBIS readings with exact values.
    #[test]
    fn readings_of_the_encrypted_evn_push() {
        let opts = Options {
            readings: true,
            ..demo_options()
        };
        let apdu = DlmsApdu.samples()[3].hex;
        let out = decode(&DlmsApdu, &opts, apdu);
        assert_eq!(out.len(), 1);
        let r = &out[0];
        assert_eq!(r["protocol"], "dlms-apdu");
        assert_eq!(r["meter"], "4b464d6750000009");
        assert_eq!(r["time"], "2021-09-27T09:47:15+02:00");
        assert_eq!(
            r["readings"][0],
            serde_json::json!({"obis": "1-0:1.8.0", "name": "active energy import (+A), total",
                               "value": "12937", "unit": "Wh"})
        );
        // without the key there is nothing to read: the ciphered frame as usual
        let opts = Options {
            readings: true,
            ..Options::default()
        };
        let out = decode(&DlmsApdu, &opts, apdu);
        assert!(out[0].get("readings").is_none());
        assert_eq!(out[0]["diagnostics"][0]["kind"], "not_decrypted");
    }

    /// The EVN Kaifa MA309 push (athombv/node-dsmr-parser, key published there) through
    /// `--ek`: the record carries the decrypted data-notification.
    #[test]
    fn decrypts_with_ek() {
        let apdu = DlmsApdu.samples()[3].hex;
        let opts = Options {
            ek: Some(unhex(EVN_EK)),
            ..Options::default()
        };
        let out = decode(&DlmsApdu, &opts, apdu);
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
        let mut bad = unhex(EVN_EK);
        bad[0] ^= 1;
        let opts = Options {
            ek: Some(bad),
            ..Options::default()
        };
        let out = decode(&DlmsApdu, &opts, apdu);
        assert_eq!(out.len(), 1);
        assert!(out[0].get("error").is_some(), "{}", out[0]);
        assert!(out[0].get("decrypted").is_none());
        assert_eq!(out[0]["error"]["kind"], "authentication", "{}", out[0]);
        let msg = out[0]["error"]["message"].as_str().unwrap();
        assert!(
            msg.starts_with("decrypted plaintext is not an apdu: wrong key?"),
            "{msg}"
        );

        // no key: the ciphered header with a not_decrypted diagnostic, not an error
        let out = run(&DlmsApdu, apdu);
        assert!(out[0].get("error").is_none(), "{}", out[0]);
        assert_eq!(out[0]["system_title"], "4b464d6750000009");
        assert_eq!(out[0]["diagnostics"][0]["kind"], "not_decrypted");
        // --strict turns the diagnostic into an error
        assert_strict_rejects(&DlmsApdu, &unhex(apdu));
    }

    /// `--no-verify` with the EK only (Green Book glo-get-request, SC 0x30): decrypted,
    /// marked not_verified; without it: not_decrypted.
    #[test]
    fn no_verify_decrypts_with_the_ek_only() {
        let mut opts = glo_options(false);
        let r = glo_get_request(&opts);
        assert_eq!(r["diagnostics"][0]["kind"], "not_decrypted", "{r}");
        assert!(r.get("decrypted").is_none());
        opts.no_verify = true;
        let r = glo_get_request(&opts);
        assert_eq!(r["diagnostics"][0]["kind"], "not_verified", "{r}");
        assert_eq!(r["decrypted"]["apdu"], "get-request-normal");
        assert_eq!(r["plaintext_hex"], "c0010000080000010000ff0200");
    }

    /// A Kaifa push with a tagged date-time (toreamun/amshan tests/test_hdlc.py): a
    /// vendor_quirk diagnostic; `--strict` rejects it.
    #[test]
    fn strict_reaches_the_framer() {
        let frame =
            "7ea027010201105a87e6e7000f40000000090c07e4020f06011922ff8000000201060000157eea5e7e";
        let r = &run(&DlmsHdlc, frame)[0];
        assert_eq!(r["apdu"], "data-notification");
        assert_eq!(r["diagnostics"][0]["kind"], "vendor_quirk");
        assert_strict_rejects(&DlmsHdlc, &unhex(frame));
    }

    /// Green Book 9.2.7.2.4 glo-get-request with authentication and encryption (EK
    /// 000102..0F, AK D0..DF, system title 4D4D4D0000BC614E): decrypts with the right
    /// keys; one wrong AK bit is an authentication failure.
    #[test]
    fn authenticated_apdu_checks_the_tag() {
        let mut opts = glo_options(true);
        let ok = glo_get_request(&opts);
        assert_eq!(ok["plaintext_hex"], "c0010000080000010000ff0200", "{ok}");
        assert_eq!(ok["decrypted"]["apdu"], "get-request-normal");
        assert_eq!(ok["decrypted"]["obis"], "0-0:1.0.0*255");
        opts.ak.as_mut().unwrap()[15] ^= 1;
        let bad = glo_get_request(&opts);
        assert_eq!(bad["error"]["kind"], "authentication", "{bad}");
        assert!(bad.get("plaintext_hex").is_none());
    }

    #[test]
    fn samples_decode() {
        assert_samples_decode(&[&DlmsHdlc, &DlmsWrapper, &DlmsApdu]);
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
