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

use super::{ErrorJson, FramerStream, Options, Protocol, Sample, StreamCtx, StreamDecoder, object};
use meterwire_dlms_cosem::security::{Key, PreparedKeys, SecurityKeys, TagCheck};
use meterwire_dlms_cosem::stack::{DlmsFrame, DlmsFramer, Link, Transport};
use meterwire_dlms_cosem::wrapper;
use serde_json::{Map, Value};

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
fn to_json(frame: &DlmsFrame<'_>) -> Result<(String, Map<String, Value>), ErrorJson> {
    let label = match (&frame.link, frame.apdu_bytes()) {
        (Link::Hdlc(h), None) => format!("hdlc:{}", h.control.name()),
        _ => frame.name().to_string(),
    };
    Ok((label, object(frame)?))
}

fn stream(
    protocol: &'static str,
    transport: Transport,
    opts: &Options,
) -> Result<Box<dyn StreamDecoder>, String> {
    Ok(FramerStream::boxed(
        protocol,
        framer(transport, opts)?,
        |f| to_json(f),
    ))
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
    fn samples(&self) -> &'static [Sample] {
        HDLC_SAMPLES
    }
    fn stream(&self, opts: &Options, _ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        stream("dlms-hdlc", Transport::Hdlc, opts)
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
    fn samples(&self) -> &'static [Sample] {
        WRAPPER_SAMPLES
    }
    fn stream(&self, opts: &Options, _ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        stream("dlms-wrapper", Transport::Wrapper, opts)
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
    fn samples(&self) -> &'static [Sample] {
        APDU_SAMPLES
    }
    fn stream(&self, opts: &Options, _ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        stream("dlms-apdu", Transport::Apdu, opts)
    }
}

static HDLC_SAMPLES: &[Sample] = &[
    Sample {
        title: "UI push: data-notification with 27 registers (clock, powers, voltages, energies)",
        source: "dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_hdlc/test_hdlc.py line 216",
        hex: "7ea2434108831385ebe6e7000f4000000000011b020209060000010000ff090c07e30c1001073b28ff8000ff020309060100010700ff060000046202020f00161b020309060100020700ff060000000002020f00161b020309060100030700ff06000005e302020f00161d020309060100040700ff060000000002020f00161d0203090601001f0700ff10000002020fff1621020309060100330700ff10004b02020fff1621020309060100470700ff10000002020fff1621020309060100200700ff12090302020fff1623020309060100340700ff1209c302020fff1623020309060100480700ff12090402020fff1623020309060100150700ff060000000002020f00161b020309060100160700ff060000000002020f00161b020309060100170700ff060000000002020f00161d020309060100180700ff060000000002020f00161d020309060100290700ff060000046202020f00161b0203090601002a0700ff060000000002020f00161b0203090601002b0700ff06000005e202020f00161d0203090601002c0700ff060000000002020f00161d0203090601003d0700ff060000000002020f00161b0203090601003e0700ff060000000002020f00161b0203090601003f0700ff060000000002020f00161d020309060100400700ff060000000002020f00161d020309060100010800ff060099598602020f00161e020309060100020800ff060000000802020f00161e020309060100030800ff060064ed4b02020f001620020309060100040800ff060000000502020f001620be407e",
        direction: None,
    },
    Sample {
        title: "SNRM, client 0x10 to server 1/17",
        source: "dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_hdlc/test_hdlc.py line 89",
        hex: "7ea00802232193bd647e",
        direction: None,
    },
    Sample {
        title: "UA with parameter negotiation (max info 154, window 1)",
        source: "dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_hdlc/test_hdlc.py line 105",
        hex: "7ea01f21022373e6c781801205019a06019a070400000001080400000001cca27e",
        direction: None,
    },
    Sample {
        title: "I-frame carrying an AARQ (LN, no security)",
        source: "dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_hdlc/test_hdlc.py line 137",
        hex: "7ea02c02232110af9fe6e600601da109060760857405080101be10040e01000000065f1f0400001e1dffffc5e47e",
        direction: None,
    },
    Sample {
        title: "I-frame carrying an AARE (accepted)",
        source: "dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_hdlc/test_hdlc.py line 168",
        hex: "7ea0382102233034e7e6e7006129a109060760857405080101a203020100a305a103020100be10040e0800065f1f0400001e1d04c80007b86a7e",
        direction: None,
    },
];

static WRAPPER_SAMPLES: &[Sample] = &[Sample {
    title: "UDP push: general-glo-ciphering data-notification (encrypted, suite 0)",
    source: "dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_udp_message.py line 6",
    hex: "0001000100010046db082f192291991641033b30000001e5025ce9d2271fd78be8c204211a916a9d7f587e0a7a814cadea89e9593f01f92ea8c087b5bdfdefeab6becf282dfe49c08f5be6dc8400",
    direction: None,
}];

static APDU_SAMPLES: &[Sample] = &[
    Sample {
        title: "get-request-normal with selective access by range (profile generic 1-0:99.1.0)",
        source: "dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_xdlms/test_selective_access.py line 29",
        hex: "c001c100070100630100ff0201010204020412000809060000010000ff0f02120000090c07e20601ff000300ffff8880090c07e50106ff000300ffffc4000100",
        direction: None,
    },
    Sample {
        title: "AARQ with glo-ciphered InitiateRequest (HLS, system title 4D4D4D0000BC614E)",
        source: "dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_asce/test_aarq.py line 41",
        hex: "6066a109060760857405080103a60a04084d4d4d0000bc614e8a0207808b0760857405080201ac0a80083132333435363738be34043221303001234567801302ff8a7874133d414ced25b42534d28db0047720606b175bd52211be6841db204d39ee6fdb8e356855",
        direction: None,
    },
    Sample {
        title: "set-request-normal: clock time",
        source: "dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_xdlms/test_set.py line 9",
        hex: "c101c100080000010000ff0200090c07e50118ff0e303950ffc400",
        direction: None,
    },
    Sample {
        title: "EVN Kaifa MA309 encrypted push (general-glo-ciphering), decrypted with its published key",
        source: "athombv/node-dsmr-parser test data (EVN Kaifa MA309 push and key 36C66639E48A8CA4D6BC8B282A793BBB); a copy of dlms-cosem/tests/vectors/security/evn_kaifa_ma309_push.hex",
        hex: include_str!("dlms_evn_kaifa_push.hex"),
        direction: None,
    },
];

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
        let apdu = include_str!("dlms_evn_kaifa_push.hex").trim();
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
        assert_eq!(out[0]["error"]["kind"], "authentication", "{}", out[0]);
        let msg = out[0]["error"]["message"].as_str().unwrap();
        assert!(
            msg.starts_with("decrypted plaintext is not an apdu: wrong key?"),
            "{msg}"
        );

        // no key: the ciphered header with a not_decrypted diagnostic, not an error
        let mut s = DlmsApdu
            .stream(&Options::default(), StreamCtx::default())
            .unwrap();
        let mut out = vec![];
        s.push_hex_frame(&hex::decode(apdu).unwrap(), &mut |r| {
            out.push(r.to_json(&[]))
        });
        assert!(out[0].get("error").is_none(), "{}", out[0]);
        assert_eq!(out[0]["system_title"], "4b464d6750000009");
        assert_eq!(out[0]["diagnostics"][0]["kind"], "not_decrypted");
        // --strict turns the diagnostic into an error
        let opts = Options {
            strictness: meterwire_core::Strictness::Strict,
            ..Options::default()
        };
        let mut s = DlmsApdu.stream(&opts, StreamCtx::default()).unwrap();
        let mut out = vec![];
        s.push_hex_frame(&hex::decode(apdu).unwrap(), &mut |r| {
            out.push(r.to_json(&[]))
        });
        assert_eq!(out[0]["error"]["kind"], "nonconforming", "{}", out[0]);
    }

    /// `--no-verify` with the EK only (Green Book glo-get-request, SC 0x30): decrypted,
    /// marked not_verified; without it: not_decrypted.
    #[test]
    fn no_verify_decrypts_with_the_ek_only() {
        let apdu = hex::decode("c81e3001234567411312ff935a47566827c467bc7d825c3be4a77c3fcc056b6b")
            .unwrap();
        let mut opts = Options {
            ek: Some(hex::decode("000102030405060708090a0b0c0d0e0f").unwrap()),
            system_title: Some(hex::decode("4d4d4d0000bc614e").unwrap()),
            ..Options::default()
        };
        let decode = |opts: &Options| {
            let mut s = DlmsApdu.stream(opts, StreamCtx::default()).unwrap();
            let mut out = vec![];
            s.push_hex_frame(&apdu, &mut |r| out.push(r.to_json(&[])));
            out.remove(0)
        };
        let r = decode(&opts);
        assert_eq!(r["diagnostics"][0]["kind"], "not_decrypted", "{r}");
        assert!(r.get("decrypted").is_none());
        opts.no_verify = true;
        let r = decode(&opts);
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
        let opts = Options {
            strictness: meterwire_core::Strictness::Strict,
            ..Options::default()
        };
        let mut s = DlmsHdlc.stream(&opts, StreamCtx::default()).unwrap();
        let mut out = vec![];
        s.push_hex_frame(&hex::decode(frame).unwrap(), &mut |r| {
            out.push(r.to_json(&[]))
        });
        assert_eq!(out[0]["error"]["kind"], "nonconforming", "{}", out[0]);
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
        let r = &run(&DlmsHdlc, HDLC_SAMPLES[4].hex)[0];
        assert_eq!(r["apdu"], "aare");
        assert_eq!(r["frame_type"], "I");
        let r = &run(&DlmsHdlc, HDLC_SAMPLES[0].hex)[0];
        assert_eq!(r["apdu"], "data-notification");
        assert_eq!(r["data"][1][1], 1122);
        let r = &run(&DlmsApdu, APDU_SAMPLES[0].hex)[0];
        assert_eq!(r["apdu"], "get-request-normal");
        assert_eq!(r["obis"], "1-0:99.1.0*255");
        assert_eq!(r["class_id"], 7);
        let r = &run(&DlmsWrapper, WRAPPER_SAMPLES[0].hex)[0];
        assert_eq!(r["apdu"], "general-glo-ciphering");
        assert_eq!(r["system_title"], "2f19229199164103");
        assert_eq!(r["invocation_counter"], 0x1e5);
    }
}
