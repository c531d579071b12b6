//! The stack framer (HDLC / wrapper / M-Bus / bare APDUs -> reassembly -> decryption ->
//! APDU) on real frames, and the tolerated deviations of issue 12, each with its public
//! source and a strict-mode test. (JSON checks need the `serde` feature:
//! `cargo test -p meterwire-dlms-cosem --all-features`.)
#![cfg(all(feature = "serde", feature = "crypto"))]

use meterwire_core::{Classify, Decoded, DiagnosticKind, ErrorKind, Framer};
use meterwire_dlms_cosem::apdu::{Apdu, DateTimeForm, InitiateRequest};
use meterwire_dlms_cosem::axdr::Data;
use meterwire_dlms_cosem::security::{
    Key, MapKeyRing, PreparedKeys, SecurityKeys, TagCheck, Verification,
};
use meterwire_dlms_cosem::stack::{DlmsFrame, DlmsFramer, Link};
use meterwire_dlms_cosem::{Error, Strictness};
use meterwire_testkit::{Ev, assert_streaming, hex};

/// toreamun/amshan tests/test_hdlc.py, FRAME_WITH_FLAG_SEQUENCE_CHARACTER_IN_INFO: a
/// Kaifa (Norway) list-1 push whose date-time is `09 0c` + 12 bytes (and whose payload
/// holds a 0x7e byte).
const KAIFA_LIST1_HDLC: &str =
    "7ea027010201105a87e6e7000f40000000090c07e4020f06011922ff8000000201060000157eea5e7e";
/// toreamun/amshan tests/test_kaifa.py, list_2 (LLC PDU of a Kaifa MA304H3E list-2 push).
const KAIFA_LIST2_LLC: &str = "e6e7000f40000000090c07e40119060d091eff800000020d09074b464d5f30303109103639373036333134303236313434373609084d4133303448334506000026110600000000060000000006000001b3060000841506000\
06dc70600004702060000087806000000000600000 88c";
/// toreamun/amshan tests/test_hdlc.py, FRAME_WITH_ESCAPE_CHARACTER_IN_INFO: an Aidon push
/// whose date-time is absent (`00`, the standard empty octet string).
const AIDON_HDLC: &str =
    "7ea02a410883130413e6e7000f40000000000101020309060100010700ff060000067d02020f00161b1c057e";
/// athombv/node-dsmr-parser tests/telegrams/dlms/aidon-example-2-segmented.txt: one
/// data-notification in three HDLC I-frames (segmentation bit set on the first two),
/// every one with N(S) = 0 (the sender does not advance it).
const AIDON_SEGMENTED: &str = include_str!("vectors/aidon_segmented_push.hex");

/// EVN (Austria) Kaifa MA309 push, general-glo-ciphering, security control 0x20
/// (encryption only), key 36C66639E48A8CA4D6BC8B282A793BBB published in
/// athombv/node-dsmr-parser's test data.
const EVN_PUSH: &str = include_str!("vectors/security/evn_kaifa_ma309_push.hex");
const EVN_KEY: &str = "36c66639e48a8ca4d6bc8b282a793bbb";
/// Luxembourg Smarty (Sagemcom T210-D) general-glo-ciphering frame carrying DSMR P1
/// text, authenticated and encrypted: the NEXXTLAB go-smarty-reader test vector (key
/// D491470F47126332B07D1923B3504188, the Luxembourg-wide AK 00112233445566778899AABBCCDDEEFF),
/// as quoted in a public gridmeter Go test suite.
const SMARTY_PUSH: &str = include_str!("vectors/security/smarty_p1_push.hex");
const SMARTY_EK: &str = "d491470f47126332b07d1923b3504188";
const SMARTY_AK: &str = "00112233445566778899aabbccddeeff";
/// DLMS UA Green Book 9.2.7.2.4 example: glo-get-request, SC 0x30 (authenticated and
/// encrypted), EK 000102..0F, AK D0..DF, system title 4D4D4D0000BC614E.
const GB_GLO_GET: &str = "c81e3001234567411312ff935a47566827c467bc7d825c3be4a77c3fcc056b6b";
const GB_EK: &str = "000102030405060708090a0b0c0d0e0f";
const GB_AK: &str = "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf";
const GB_ST: [u8; 8] = [0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E];
/// dlms-cosem (PyPI, pwitab/dlms-cosem) tests/test_asce/test_aarq.py line 41: an AARQ
/// whose user-information is a glo-initiateRequest (calling AP title 4D4D4D0000BC614E,
/// the Green Book keys).
const AARQ_GLO_INITIATE: &str = "6066a109060760857405080103a60a04084d4d4d0000bc614e8a0207808b0760857405080201ac0a80083132333435363738be34043221303001234567801302ff8a7874133d414ced25b42534d28db0047720606b175bd52211be6841db204d39ee6fdb8e356855";

fn key(h: &str) -> Key {
    Key::from_slice(&hex(h)).unwrap()
}

fn one<K: meterwire_dlms_cosem::security::KeyRing>(
    framer: &mut DlmsFramer<K>,
    bytes: &[u8],
) -> Result<DlmsFrame<'static>, Error> {
    let leaked: &'static [u8] = Box::leak(bytes.to_vec().into_boxed_slice());
    match framer.decode(leaked)? {
        Decoded::Frame { frame, consumed } => {
            assert_eq!(consumed, leaked.len());
            Ok(frame)
        }
        Decoded::Incomplete { .. } => panic!("incomplete"),
    }
}

fn kinds(f: &DlmsFrame<'_>) -> Vec<DiagnosticKind> {
    f.diagnostics().map(|d| d.kind).collect()
}

fn nonconforming(e: &Error) -> DiagnosticKind {
    match e {
        Error::Core(meterwire_core::Error::Nonconforming(d)) => d.kind,
        other => panic!("expected nonconforming, got {other:?}"),
    }
}

#[test]
fn kaifa_tagged_date_time_is_a_vendor_quirk() {
    let bytes = hex(KAIFA_LIST1_HDLC);
    let f = one(&mut DlmsFramer::hdlc(), &bytes).unwrap();
    let Some(Apdu::DataNotification(n)) = f.inner() else {
        panic!("{:?}", f.inner())
    };
    assert_eq!(n.date_time_form, DateTimeForm::TaggedOctetString);
    let dt = n.date_time().unwrap();
    assert_eq!((dt.date.year, dt.date.month, dt.date.day), (2020, 2, 15));
    assert_eq!((dt.time.hour, dt.time.minute, dt.time.second), (1, 25, 34));
    let Data::Structure(s) = n.data else { panic!() };
    let v: Vec<_> = s.iter().collect();
    assert_eq!(v, [Data::DoubleLongUnsigned(0x157E)]);
    assert_eq!(kinds(&f), [DiagnosticKind::VendorQuirk]);
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["apdu"], "data-notification");
    assert_eq!(json["diagnostics"][0]["kind"], "vendor_quirk");
    assert_eq!(
        json["diagnostics"][0]["field"],
        "data-notification date-time"
    );
    // re-encoding writes the standard form (encoders stay strict)
    let std_form = meterwire_core::Encode::encode_to_vec(&Apdu::DataNotification(n)).unwrap();
    assert_eq!(&std_form[5..7], [0x0C, 0x07]);
    // strict: rejected
    let e = one(&mut DlmsFramer::hdlc().strict(), &bytes).unwrap_err();
    assert_eq!(nonconforming(&e), DiagnosticKind::VendorQuirk);
    assert_eq!(e.kind(), ErrorKind::Nonconforming);
}

#[test]
fn kaifa_list2_values() {
    let llc = hex(&KAIFA_LIST2_LLC.replace(' ', ""));
    let apdu = Apdu::parse(&llc[3..]).unwrap();
    assert_eq!(
        apdu.diagnostics().map(|d| d.kind).collect::<Vec<_>>(),
        [DiagnosticKind::VendorQuirk]
    );
    let Apdu::DataNotification(n) = apdu else {
        panic!()
    };
    let dt = n.date_time().unwrap();
    assert_eq!((dt.date.year, dt.date.month, dt.date.day), (2020, 1, 25));
    let Data::Structure(s) = n.data else { panic!() };
    let v: Vec<_> = s.iter().collect();
    assert_eq!(v.len(), 13);
    assert_eq!(v[0], Data::OctetString(b"KFM_001"));
    assert_eq!(v[1], Data::OctetString(b"6970631402614476"));
    assert_eq!(v[2], Data::OctetString(b"MA304H3E"));
    assert_eq!(v[3], Data::DoubleLongUnsigned(0x2611));
    assert_eq!(v[12], Data::DoubleLongUnsigned(0x088C));
    let mut strict = DlmsFramer::apdu().strict();
    assert_eq!(
        nonconforming(&one(&mut strict, &llc[3..]).unwrap_err()),
        DiagnosticKind::VendorQuirk
    );
}

#[test]
fn aidon_empty_date_time_is_standard() {
    let bytes = hex(AIDON_HDLC);
    for mut framer in [DlmsFramer::hdlc(), DlmsFramer::hdlc().strict()] {
        let f = one(&mut framer, &bytes).unwrap();
        let Some(Apdu::DataNotification(n)) = f.inner() else {
            panic!()
        };
        assert!(n.date_time.is_empty());
        assert_eq!(n.date_time_form, DateTimeForm::Standard);
        assert_eq!(kinds(&f), []);
        let json = serde_json::to_value(&f).unwrap();
        assert!(json.get("diagnostics").is_none(), "{json}");
        assert_eq!(json["data"][0][1], 0x067D);
    }
}

#[test]
fn segmented_hdlc_push_reassembles() {
    let stream = hex(AIDON_SEGMENTED.trim());
    let evs = assert_streaming(DlmsFramer::hdlc(), &stream);
    let shape: Vec<_> = evs
        .iter()
        .map(|e| match e {
            Ev::Frame(..) => "frame",
            Ev::Error(..) => "error",
            Ev::Truncated(..) => "truncated",
        })
        .collect();
    assert_eq!(shape, ["frame", "frame", "frame"]);
    let mut framer = DlmsFramer::hdlc();
    let mut rest = &stream[..];
    let mut frames = vec![];
    while !rest.is_empty() {
        let Decoded::Frame { frame, consumed } = framer.decode(rest).unwrap() else {
            panic!()
        };
        frames.push(frame);
        rest = &rest[consumed..];
    }
    assert_eq!(
        frames.iter().map(|f| f.partial).collect::<Vec<_>>(),
        [true, true, false]
    );
    // Aidon sends every segment with N(S) = 0: reassembled, with a vendor-quirk diagnostic
    assert_eq!(kinds(&frames[0]), []);
    assert_eq!(kinds(&frames[1]), [DiagnosticKind::VendorQuirk]);
    assert_eq!(frames[1].diagnostics().next().unwrap().field, "hdlc n(s)");
    let mut strict = DlmsFramer::hdlc().strict();
    let Decoded::Frame { consumed, .. } = strict.decode(&stream).unwrap() else {
        panic!()
    };
    assert_eq!(
        nonconforming(&strict.decode(&stream[consumed..]).unwrap_err()),
        DiagnosticKind::VendorQuirk
    );
    assert!(frames[0].apdu_bytes().is_none());
    let Some(Apdu::DataNotification(n)) = frames[2].inner() else {
        panic!()
    };
    let Data::Array(a) = n.data else { panic!() };
    assert_eq!(a.iter().count(), 27);
    let json = serde_json::to_value(&frames[2]).unwrap();
    assert_eq!(json["apdu"], "data-notification");
    assert_eq!(json["data"][1][1], 1122);
    assert!(json.get("info").is_none());
    let json = serde_json::to_value(&frames[0]).unwrap();
    assert_eq!(json["segment"], true);
    assert!(json.get("info").is_some());
}

#[test]
fn missing_key_shows_the_ciphered_header() {
    let push = hex(EVN_PUSH.trim());
    let f = one(&mut DlmsFramer::apdu(), &push).unwrap();
    assert_eq!(kinds(&f), [DiagnosticKind::NotDecrypted]);
    let Some(Apdu::Ciphered(c)) = f.apdu().map(Result::unwrap) else {
        panic!()
    };
    assert_eq!(c.system_title, Some(&hex("4b464d6750000009")[..]));
    assert_eq!(c.security_control.0, 0x20);
    assert_eq!(c.invocation_counter, 0x0000_0023);
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["apdu"], "general-glo-ciphering");
    assert_eq!(json["system_title"], "4b464d6750000009");
    assert_eq!(json["diagnostics"][0]["kind"], "not_decrypted");
    assert!(json.get("decrypted").is_none());
    // a ring that knows other meters only: the same
    let mut ring = MapKeyRing::new();
    ring.insert([1; 8], SecurityKeys::new(key(EVN_KEY)));
    let f = one(&mut DlmsFramer::apdu().keys(ring), &push).unwrap();
    assert_eq!(kinds(&f), [DiagnosticKind::NotDecrypted]);
    let e = one(&mut DlmsFramer::apdu().strict(), &push).unwrap_err();
    assert_eq!(nonconforming(&e), DiagnosticKind::NotDecrypted);
}

#[test]
fn key_ring_decrypts_by_system_title_and_wrong_key_says_so() {
    let push = hex(EVN_PUSH.trim());
    let mut ring = MapKeyRing::new();
    ring.insert([1; 8], SecurityKeys::new(key(SMARTY_EK)));
    ring.insert(
        hex("4b464d6750000009").try_into().unwrap(),
        SecurityKeys::new(key(EVN_KEY)),
    );
    let f = one(&mut DlmsFramer::apdu().keys(ring).strict(), &push).unwrap();
    assert_eq!(kinds(&f), []);
    assert_eq!(f.verification, Some(Verification::NoTag));
    assert_eq!(
        f.plaintext().unwrap(),
        hex(include_str!("vectors/security/evn_kaifa_ma309_push.plain.hex").trim())
    );
    let Some(Apdu::DataNotification(n)) = f.decrypted() else {
        panic!()
    };
    let Data::Structure(s) = n.data else { panic!() };
    assert_eq!(s.iter().nth(2).unwrap(), Data::DoubleLongUnsigned(12937));
    // wrong key on an encryption-only push: not "unsupported apdu tag"
    let mut bad = hex(EVN_KEY);
    bad[0] ^= 1;
    let ring = PreparedKeys::new(&SecurityKeys::new(Key::from_slice(&bad).unwrap()));
    let e = one(&mut DlmsFramer::apdu().keys(ring), &push).unwrap_err();
    assert!(matches!(e, Error::PlaintextNotApdu { .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("decrypted plaintext is not an apdu: wrong key?"),
        "{e}"
    );
}

#[test]
fn replay_guard_rejects_a_repeated_counter() {
    let push = hex(EVN_PUSH.trim());
    let keys = PreparedKeys::new(&SecurityKeys::new(key(EVN_KEY)));
    let mut framer = DlmsFramer::apdu().keys(keys).replay_guard();
    assert!(one(&mut framer, &push).is_ok());
    let e = one(&mut framer, &push).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert!(e.to_string().contains("replay"), "{e}");
}

#[test]
fn encryption_key_only_needs_opt_in() {
    let apdu = hex(GB_GLO_GET);
    let ek_only = PreparedKeys::new(&SecurityKeys::new(key(GB_EK)));
    // without opt-in: the header, NotDecrypted
    let mut framer = DlmsFramer::apdu().keys(ek_only.clone()).system_title(GB_ST);
    let f = one(&mut framer, &apdu).unwrap();
    assert_eq!(kinds(&f), [DiagnosticKind::NotDecrypted]);
    assert!(f.plaintext().is_none());
    // opt-in: decrypted, NotVerified
    let mut framer = DlmsFramer::apdu()
        .keys(ek_only.clone())
        .system_title(GB_ST)
        .tag_check(TagCheck::Skip);
    let f = one(&mut framer, &apdu).unwrap();
    assert_eq!(kinds(&f), [DiagnosticKind::NotVerified]);
    assert_eq!(f.verification, Some(Verification::NotVerified));
    assert_eq!(f.plaintext().unwrap(), hex("c0010000080000010000ff0200"));
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["decrypted"]["apdu"], "get-request-normal");
    assert_eq!(json["verification"], "not_verified");
    // strict rejects both
    let mut strict = DlmsFramer::apdu()
        .keys(ek_only)
        .system_title(GB_ST)
        .tag_check(TagCheck::Skip)
        .strictness(Strictness::Strict);
    assert_eq!(
        nonconforming(&one(&mut strict, &apdu).unwrap_err()),
        DiagnosticKind::NotVerified
    );
    // both keys: verified, no diagnostic; one wrong AK bit: authentication error
    let with_ak = |ak: Key| {
        let keys = SecurityKeys::new(key(GB_EK)).with_authentication(ak);
        one(
            &mut DlmsFramer::apdu()
                .keys(PreparedKeys::new(&keys))
                .system_title(GB_ST),
            &apdu,
        )
    };
    let f = with_ak(key(GB_AK)).unwrap();
    assert_eq!(kinds(&f), []);
    assert_eq!(f.verification, Some(Verification::Verified));
    let mut ak = hex(GB_AK);
    ak[15] ^= 1;
    let e = with_ak(Key::from_slice(&ak).unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
}

#[test]
fn p1_text_inside_general_glo_ciphering() {
    let push = hex(SMARTY_PUSH.trim());
    let keys = SecurityKeys::new(key(SMARTY_EK)).with_authentication(key(SMARTY_AK));
    let f = one(
        &mut DlmsFramer::apdu().keys(PreparedKeys::new(&keys)),
        &push,
    )
    .unwrap();
    assert_eq!(f.verification, Some(Verification::Verified));
    assert_eq!(kinds(&f), [DiagnosticKind::UnexpectedPayload]);
    let text = f.plaintext_text().unwrap();
    assert!(text.starts_with("/Lux5\\253663629_D\r\n"), "{text}");
    assert!(text.contains("1-0:1.8.0(000006.695*kWh)"));
    assert!(text.ends_with("!CFDE\r\n"));
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["plaintext_text"], text);
    assert!(
        json["plaintext_hex"]
            .as_str()
            .unwrap()
            .starts_with("2f4c7578")
    );
    assert_eq!(json["diagnostics"][0]["kind"], "unexpected_payload");
    // EK only + opt-in: the same text, not verified
    let ek_only = PreparedKeys::new(&SecurityKeys::new(key(SMARTY_EK)));
    let f = one(
        &mut DlmsFramer::apdu().keys(ek_only).tag_check(TagCheck::Skip),
        &push,
    )
    .unwrap();
    assert_eq!(
        kinds(&f),
        [
            DiagnosticKind::UnexpectedPayload,
            DiagnosticKind::NotVerified
        ]
    );
    assert_eq!(f.plaintext_text(), Some(text));
    let mut strict = DlmsFramer::apdu().keys(PreparedKeys::new(&keys)).strict();
    assert_eq!(
        nonconforming(&one(&mut strict, &push).unwrap_err()),
        DiagnosticKind::UnexpectedPayload
    );
}

#[test]
fn aarq_with_ciphered_initiate_request_decrypts() {
    let aarq = hex(AARQ_GLO_INITIATE);
    let keys = SecurityKeys::new(key(GB_EK)).with_authentication(key(GB_AK));
    let mut ring = MapKeyRing::new();
    ring.insert(GB_ST, keys);
    let f = one(&mut DlmsFramer::apdu().keys(ring).strict(), &aarq).unwrap();
    assert_eq!(f.name(), "aarq");
    let Some(Apdu::InitiateRequest(InitiateRequest {
        proposed_conformance,
        client_max_receive_pdu_size,
        ..
    })) = f.decrypted()
    else {
        panic!("{:?}", f.plaintext())
    };
    assert_eq!(client_max_receive_pdu_size, 1200);
    assert!(proposed_conformance.0 != 0);
    assert_eq!(f.verification, Some(Verification::Verified));
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["decrypted"]["apdu"], "initiate-request");
    // without keys: NotDecrypted, the AARQ itself decoded
    let f = one(&mut DlmsFramer::apdu(), &aarq).unwrap();
    assert_eq!(kinds(&f), [DiagnosticKind::NotDecrypted]);
    assert!(matches!(f.link, Link::Apdu));
}

/// Issue 18: hostile streams never grow the reassembly beyond its configured maximum.
/// HDLC: an endless segmented APDU (valid FCS, advancing N(S)); GBT: blocks that never
/// end; both with random lengths from a fixed-seed generator.
#[test]
fn reassembly_stays_bounded_under_hostile_input() {
    use meterwire_dlms_cosem::hdlc::{Address, Segmenter};
    const MAX: usize = 4096;
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    // HDLC: 1 MB of one never-ending segmented APDU
    let info: Vec<u8> = (0..1_000_000).map(|_| rnd() as u8).collect();
    let mut framer = DlmsFramer::hdlc().max_apdu(MAX);
    let mut too_long = 0;
    let mut frames = 0;
    for (i, repr) in
        Segmenter::new(&info, 128, Address::one(0x10), Address::one(1), 0, 0).enumerate()
    {
        let bytes = meterwire_core::Encode::encode_to_vec(&repr).unwrap();
        if let Ok(Decoded::Frame { frame, .. }) = framer.decode(&bytes) {
            frames += 1;
            too_long += frame
                .diagnostics()
                .filter(|d| d.kind == DiagnosticKind::Unreassembled)
                .count();
        }
        assert!(framer.reassembly_capacity() <= MAX, "frame {i}");
    }
    assert!(frames > 7000, "{frames}");
    assert!(too_long >= 200, "{too_long}");
    // GBT: 20,000 blocks with random sizes, never the last one
    let mut framer = DlmsFramer::apdu().max_apdu(MAX);
    let mut dropped = 0;
    for n in 0..20_000u16 {
        let len = (rnd() % 300) as usize;
        let mut apdu = vec![0xE0, 0x01];
        apdu.extend_from_slice(&n.to_be_bytes());
        apdu.extend_from_slice(&[0, 0]);
        if len < 0x80 {
            apdu.push(len as u8);
        } else {
            apdu.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
        }
        apdu.extend((0..len).map(|_| rnd() as u8));
        let Decoded::Frame { frame, .. } = framer.decode(&apdu).unwrap() else {
            panic!()
        };
        assert!(frame.partial || frame.diagnostics().count() > 0);
        dropped += frame.diagnostics().count();
        assert!(framer.reassembly_capacity() <= MAX, "block {n}");
    }
    assert!(dropped > 500, "{dropped}");
}

/// athombv/node-dsmr-parser tests/telegrams/m-bus/austria-example-1.txt: the EVN Kaifa
/// MA309 push as sent on the customer port, in two M-Bus long frames (CI 0x00, 0x11),
/// through the M-Bus stack with the published key.
#[test]
fn evn_mbus_segments_reassemble_and_decrypt() {
    let stream = hex(include_str!("vectors/security/evn_kaifa_ma309_mbus.hex"));
    let keys = PreparedKeys::new(&SecurityKeys::new(key(EVN_KEY)));
    let evs = assert_streaming(DlmsFramer::mbus().keys(keys.clone()), &stream);
    assert_eq!(evs.len(), 2);
    let mut framer = DlmsFramer::mbus().keys(keys).strict();
    let Decoded::Frame { frame, consumed } = framer.decode(&stream).unwrap() else {
        panic!()
    };
    assert_eq!(consumed, 256);
    assert!(frame.partial);
    assert!(matches!(frame.link, Link::Mbus(m) if m.ci == 0x00));
    let Decoded::Frame { frame, consumed } = framer.decode(&stream[256..]).unwrap() else {
        panic!()
    };
    assert_eq!(consumed, 26);
    assert!(!frame.partial);
    assert_eq!(frame.apdu_bytes().unwrap(), hex(EVN_PUSH.trim()));
    let Some(Apdu::DataNotification(n)) = frame.decrypted() else {
        panic!()
    };
    assert_eq!(
        n.date_time().unwrap().to_string(),
        "2021-09-27T09:47:15+02:00"
    );
    let json = serde_json::to_value(&frame).unwrap();
    assert_eq!(json["decrypted"]["data"][2], 12937);
}

/// General-block-transfer blocks that are themselves ciphered (each block a
/// general-glo-ciphering APDU, Green Book keys) carrying the EVN plaintext push: the
/// stack decrypts each block and reassembles the data-notification.
#[test]
fn ciphered_gbt_blocks_reassemble() {
    use meterwire_dlms_cosem::security::{self, Envelope, Protection, SecurityControl};
    let plain = hex(include_str!("vectors/security/evn_kaifa_ma309_push.plain.hex").trim());
    let keys = SecurityKeys::new(key(GB_EK)).with_authentication(key(GB_AK));
    let (a, b) = plain.split_at(100);
    let mut stream = vec![];
    for (i, (part, last)) in [(a, false), (b, true)].into_iter().enumerate() {
        let mut block = vec![0xE0, if last { 0x80 } else { 0x00 }, 0, i as u8 + 1, 0, 0];
        if part.len() < 0x80 {
            block.push(part.len() as u8);
        } else {
            block.extend_from_slice(&[0x81, part.len() as u8]);
        }
        block.extend_from_slice(part);
        let p = Protection::new(
            Envelope::GeneralGlo,
            SecurityControl::new(0, true, true),
            10 + i as u32,
            GB_ST,
        );
        stream.extend(security::encrypt_apdu_vec(&block, &p, &keys).unwrap());
    }
    let mut ring = MapKeyRing::new();
    ring.insert(GB_ST, keys);
    let mut framer = DlmsFramer::apdu().keys(ring).strict().replay_guard();
    let Decoded::Frame { frame, consumed } = framer.decode(&stream).unwrap() else {
        panic!()
    };
    assert!(frame.partial);
    assert_eq!(frame.verification, Some(Verification::Verified));
    let Decoded::Frame { frame, .. } = framer.decode(&stream[consumed..]).unwrap() else {
        panic!()
    };
    assert!(!frame.partial);
    assert_eq!(frame.plaintext().unwrap(), &plain[..]);
    let Some(Apdu::DataNotification(n)) = frame.decrypted() else {
        panic!()
    };
    assert_eq!(
        n.date_time().unwrap().to_string(),
        "2021-09-27T09:47:15+02:00"
    );
}
