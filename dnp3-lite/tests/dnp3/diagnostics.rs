//! Issue 12: real traffic that departs from the letter of IEEE 1815-2012 decodes with
//! a typed diagnostic (lenient, the default), and strict mode rejects it. Typed
//! Secure Authentication and file-transfer objects.
//!
//! Sources: Zeek's DNP3 test traces (testing/btest/Traces/dnp3, BSD-3-Clause; copies in
//! tests/data/captures/, payloads in tests/oracle/captures.json; frame numbers are
//! Wireshark's) and opendnp3's Secure Authentication tests (Apache-2.0). Where no public
//! capture carries a case (reserved link function, TEST_LINK_STATES with data, a
//! user-data function without data, an object the crate cannot size), the vector is a
//! public frame with only the named byte changed and its CRCs recomputed.

use crate::common::{first_point, json_gv, payload};
use meterwire_core::crc::CRC16_DNP;
use meterwire_core::{Classify, DiagnosticKind, ErrorKind, Event, Frames};
use meterwire_dnp3_lite::objects::{Auth, FileObject, ObjectBlocks, TypedValue};
use meterwire_dnp3_lite::{Dnp3Framer, Error, Fragment, LinkFrame, LinkFramer, Value};
use meterwire_testkit::hex;

/// Frames and errors of a stream through a framer.
fn run(framer: Dnp3Framer, data: &[u8]) -> (Vec<serde_json::Value>, Vec<Error>) {
    let (mut frames, mut errors) = (vec![], vec![]);
    for ev in Frames::new(framer, data) {
        match ev {
            Event::Frame { frame, .. } => frames.push(serde_json::to_value(&frame).unwrap()),
            Event::Error { error, .. } => errors.push(error),
            Event::Truncated { .. } => panic!("truncated"),
        }
    }
    (frames, errors)
}

fn nonconforming(e: &Error) -> bool {
    e.kind() == ErrorKind::Nonconforming
}

/// Rewrites a link frame's control byte and recomputes the header CRC.
fn with_control(frame: &[u8], control: u8) -> Vec<u8> {
    let mut f = frame.to_vec();
    f[3] = control;
    let crc = CRC16_DNP.checksum(&f[..8]);
    f[8..10].copy_from_slice(&crc.to_le_bytes());
    f
}

#[test]
fn mid_message_segment_decodes_with_unreassembled() {
    // dnp3_link_only.pcap frame 10 on its own: a capture that starts mid-message
    // (transport 0x23: FIR=0, FIN=0, seq 35)
    let bytes = payload("dnp3_link_only.pcap", 10);
    let (frames, errors) = run(Dnp3Framer::new(), &bytes);
    assert!(errors.is_empty());
    assert_eq!(frames.len(), 1);
    let j = &frames[0];
    assert_eq!(j["link"]["length"], 255);
    assert_eq!(j["link"]["function_name"], "unconfirmed_user_data");
    assert_eq!(
        j["transport"],
        serde_json::json!({"fir": false, "fin": false, "seq": 35})
    );
    assert!(j.get("application").is_none());
    assert_eq!(j["diagnostics"][0]["kind"], "unreassembled");
    assert_eq!(j["diagnostics"][0]["field"], "transport sequence");
    // strict: rejected, and resync moves on
    let (frames, errors) = run(Dnp3Framer::new().strict(), &bytes);
    assert!(frames.is_empty());
    assert!(matches!(errors.as_slice(), [e] if nonconforming(e)));
}

#[test]
fn flowbuffer_capture_overflow_then_continuations_never_reject() {
    // dnp3-flowbuffer-overflow-assert.pcap frames 4-7 (the trace of a Zeek crash): a
    // FIR segment followed by 16 continuation segments of 249 bytes, 4233 bytes in all,
    // past the 2048-byte fragment bound
    let mut data = vec![];
    for n in 4..=7 {
        data.extend(payload("dnp3-flowbuffer-overflow-assert.pcap", n));
    }
    let (frames, errors) = run(Dnp3Framer::new(), &data);
    assert!(errors.is_empty());
    assert_eq!(frames.len(), 17);
    for (i, j) in frames.iter().enumerate() {
        assert_eq!(j["transport"]["fir"], i == 0);
        assert_eq!(j["transport"]["seq"], i);
        assert!(j.get("application").is_none());
        let kind = j["diagnostics"][0]["kind"].as_str();
        match i {
            // 0..=7: 8 x 249 = 1992 bytes collected
            0..=7 => assert_eq!(kind, None, "{i}"),
            // the ninth segment would make 2241 bytes: the fragment is dropped
            8 => {
                assert_eq!(kind, Some("out_of_range"));
                assert_eq!(j["diagnostics"][0]["field"], "transport fragment");
            }
            // then no fragment is in progress
            _ => assert_eq!(kind, Some("unreassembled"), "{i}"),
        }
    }
    let (frames, errors) = run(Dnp3Framer::new().strict(), &data);
    assert_eq!((frames.len(), errors.len()), (8, 9));
    assert!(errors.iter().all(nonconforming));
}

#[test]
fn secondary_frames_name_bit_4_dfc() {
    // dnp3_link_only.pcap frame 1: request link status (primary, 0x49), frame 2: link
    // status (secondary, 0x8b)
    let primary = payload("dnp3_link_only.pcap", 1);
    let secondary = payload("dnp3_link_only.pcap", 2);
    let p = serde_json::to_value(LinkFrame::parse(&primary).unwrap()).unwrap();
    let s = serde_json::to_value(LinkFrame::parse(&secondary).unwrap()).unwrap();
    assert_eq!(
        (p["prm"].as_bool(), p["fcv"].as_bool()),
        (Some(true), Some(false))
    );
    assert!(p.get("dfc").is_none());
    assert_eq!(
        (s["prm"].as_bool(), s["dfc"].as_bool()),
        (Some(false), Some(false))
    );
    assert!(s.get("fcv").is_none());
    assert_eq!(s["function_name"], "link_status");
    let link = LinkFrame::parse(&secondary).unwrap();
    assert_eq!(
        (link.dfc(), link.header().dfc()),
        (Some(false), Some(false))
    );
    assert_eq!(LinkFrame::parse(&primary).unwrap().dfc(), None);
    // DFC set (0x9b): named, and no diagnostic (it is a defined bit)
    let busy = with_control(&secondary, 0x9b);
    let s = serde_json::to_value(LinkFrame::parse(&busy).unwrap()).unwrap();
    assert_eq!(s["dfc"], true);
    assert!(s.get("diagnostics").is_none());
    assert!(LinkFramer::new().strict().parse(&busy).is_ok());
}

#[test]
fn reserved_link_function_still_offers_its_user_data() {
    // dnp3_read.pcap frame 4 (an integrity poll, control 0xc4) with the function changed
    // to the reserved primary code 5
    let poll = payload("dnp3_read.pcap", 4);
    let reserved = with_control(&poll, 0xc5);
    let link = LinkFrame::parse(&reserved).unwrap();
    let d: Vec<_> = link.diagnostics().collect();
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].kind, d[0].field),
        (DiagnosticKind::ReservedCode, "link function")
    );
    let (frames, errors) = run(Dnp3Framer::new(), &reserved);
    assert!(errors.is_empty());
    let j = &frames[0];
    assert_eq!(j["link"]["function_name"], "reserved");
    assert_eq!(j["diagnostics"][0]["kind"], "reserved_code");
    // as Wireshark does, the data goes up: the read of classes 1, 2, 3, 0
    assert_eq!(j["application"]["function_name"], "read");
    assert_eq!(j["application"]["objects"].as_array().unwrap().len(), 4);
    // obsolete primary function 1 (reset user process) is reported too
    let obsolete = with_control(&payload("dnp3_link_only.pcap", 1), 0x41);
    assert_eq!(
        LinkFrame::parse(&obsolete)
            .unwrap()
            .diagnostics()
            .next()
            .map(|d| d.kind),
        Some(DiagnosticKind::ReservedCode)
    );
    // strict
    assert!(nonconforming(
        &LinkFramer::new().strict().parse(&reserved).unwrap_err()
    ));
    let (frames, errors) = run(Dnp3Framer::new().strict(), &reserved);
    assert!(frames.is_empty() && errors.len() == 1 && nonconforming(&errors[0]));
}

#[test]
fn test_link_states_with_data_is_decoded_not_offered() {
    // the same poll under TEST_LINK_STATES (0xc2): the link frame decodes, the user
    // data is not transport data
    let poll = payload("dnp3_read.pcap", 4);
    let tls = with_control(&poll, 0xc2);
    let (frames, errors) = run(Dnp3Framer::new(), &tls);
    assert!(errors.is_empty());
    let j = &frames[0];
    assert_eq!(j["link"]["function_name"], "test_link_states");
    assert_eq!(j["link"]["length"], 20);
    assert!(j.get("transport").is_none() && j.get("application").is_none());
    assert_eq!(j["diagnostics"][0]["kind"], "unexpected_payload");
    assert_eq!(j["diagnostics"][0]["field"], "link user data");
    assert!(nonconforming(
        &LinkFramer::new().strict().parse(&tls).unwrap_err()
    ));
}

#[test]
fn user_data_function_without_data() {
    // dnp3_link_only.pcap frame 1 (request link status, no data) as unconfirmed user
    // data (0x44)
    let empty = with_control(&payload("dnp3_link_only.pcap", 1), 0x44);
    let (frames, errors) = run(Dnp3Framer::new(), &empty);
    assert!(errors.is_empty());
    let j = &frames[0];
    assert_eq!(j["link"]["function_name"], "unconfirmed_user_data");
    assert!(j.get("transport").is_none());
    assert_eq!(j["diagnostics"][0]["kind"], "out_of_range");
    assert_eq!(
        j["diagnostics"][0]["message"],
        "user-data link function without user data"
    );
    let (frames, errors) = run(Dnp3Framer::new().strict(), &empty);
    assert!(frames.is_empty() && nonconforming(&errors[0]));
    // conforming frames carry no diagnostics and pass strict mode
    let poll = payload("dnp3_read.pcap", 4);
    let (frames, errors) = run(Dnp3Framer::new().strict(), &poll);
    assert!(errors.is_empty() && frames[0].get("diagnostics").is_none());
}

#[test]
fn unsized_object_keeps_earlier_objects_and_the_raw_rest() {
    // dnp3_read.pcap frame 6 (a response: g1v2, g10v2, g30v1, ...) with the second
    // header's group changed from 10 to 99, an object the crate cannot size
    let rsp = payload("dnp3_read.pcap", 6);
    let link = LinkFrame::parse(&rsp).unwrap();
    let (data, n) = link.user_data_array();
    let mut frag = data[1..n].to_vec();
    let f = Fragment::parse(&frag).unwrap();
    let blocks: Vec<_> = f.objects().map(Result::unwrap).collect();
    assert_eq!(
        (blocks[1].header.group, blocks[1].header.variation),
        (10, 2)
    );
    let at = 4 + 3 + blocks[0].header.encoded_len() - 3 + blocks[0].data.len();
    assert_eq!(frag[at], 10);
    frag[at] = 99;
    let f = Fragment::parse(&frag).unwrap();
    let blocks: Vec<_> = f.objects().map(Result::unwrap).collect();
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].header.group, 1);
    assert_eq!(blocks[0].points().count(), 9);
    assert!(blocks[1].undecoded);
    assert_eq!(blocks[1].header.group, 99);
    assert_eq!(blocks[1].raw_rest().unwrap(), &frag[at + 5..]);
    assert_eq!(blocks[1].points().count(), 0);
    let d: Vec<_> = f.diagnostics().collect();
    assert_eq!((d.len(), d[0].kind), (1, DiagnosticKind::Unrecognized));
    assert_eq!(d[0].value, Some((99 << 8) | 2));
    let j = serde_json::to_value(f).unwrap();
    assert_eq!(j["objects"][1]["raw"], hex::encode(&frag[at + 5..]));
    assert_eq!(j["diagnostics"][0]["field"], "object header");
    assert!(j.get("error").is_none());
    // strict: the parser and the object iterator reject it
    assert!(nonconforming(
        &Fragment::parser().strict().parse(&frag).unwrap_err()
    ));
    let strict: Vec<_> = ObjectBlocks::new(&frag[4..])
        .strictness(meterwire_core::Strictness::Strict)
        .collect();
    assert!(strict[0].is_ok() && nonconforming(strict[1].as_ref().unwrap_err()));
}

fn typed(v: &Value<'_>) -> TypedValue<'static> {
    match v.typed() {
        Some(object) => match object {
            // fixed-field variants only, detached from the input for comparisons
            TypedValue::Auth(a) => TypedValue::Auth(detach_auth(a)),
            TypedValue::File(f) => TypedValue::File(detach_file(f)),
        },
        other => panic!("not typed: {other:?}"),
    }
}
fn detach_auth(a: Auth<'_>) -> Auth<'static> {
    match a {
        Auth::KeyStatusRequest { user } => Auth::KeyStatusRequest { user },
        Auth::AggressiveModeRequest { csq, user } => Auth::AggressiveModeRequest { csq, user },
        Auth::Statistic {
            flags,
            association,
            value,
            time,
        } => Auth::Statistic {
            flags,
            association,
            value,
            time,
        },
        other => panic!("compare {other:?} by fields"),
    }
}
fn detach_file(f: FileObject<'_>) -> FileObject<'static> {
    panic!("compare {f:?} by fields")
}

#[test]
fn secure_authentication_objects_typed() {
    // opendnp3 (Apache-2.0) OutstationSecAuthTestSuite "CanChangeSessionKeys":
    // key status request, user 1 (g120v4, qualifier 0x07, fixed size)
    let req = hex("C0 20 78 04 07 01 01 00");
    let f = Fragment::parse(&req).unwrap();
    assert_eq!(f.function_name(), "authenticate_request");
    let b = f.objects().next().unwrap().unwrap();
    let p = b.points().next().unwrap();
    assert_eq!(
        typed(&p.value),
        TypedValue::Auth(Auth::KeyStatusRequest { user: 1 })
    );
    // its answer: g120v5 session key status (free format, size 15)
    let rsp = hex("C0 83 00 00 78 05 5B 01 0F 00 01 00 00 00 01 00 01 02 00 04 00 AA AA AA AA");
    let f = Fragment::parse(&rsp).unwrap();
    assert_eq!(f.function_name(), "authenticate_response");
    let p = first_point(&f);
    let Value::Typed { bytes, .. } = p.value else {
        panic!("{:?}", p.value)
    };
    let status = Auth::KeyStatus {
        ksq: 1,
        user: 1,
        key_wrap_algorithm: 1,
        key_status: 2,
        mac_algorithm: 0,
        challenge: &[0xAA; 4],
        mac: &[],
    };
    assert_eq!(p.value.typed(), Some(TypedValue::Auth(status)));
    assert_eq!(bytes.len(), 15);
    let j = serde_json::to_value(f).unwrap();
    let v = &j["objects"][0]["points"][0]["value"];
    assert_eq!(v["object"], "key_status");
    assert_eq!(v["challenge"], "aaaaaaaa");
    // opendnp3 APDUParserTest: g120v1 challenge, free format, size 8 (fixed fields only)
    let objs = hex("78 01 5B 01 08 00 FF FF FF FF FF FF FF FF");
    let b = ObjectBlocks::new(&objs).next().unwrap().unwrap();
    match b.points().next().unwrap().value.typed() {
        Some(TypedValue::Auth(Auth::Challenge {
            csq,
            user,
            mac_algorithm,
            reason,
            data,
        })) => {
            assert_eq!(
                (csq, user, mac_algorithm, reason),
                (u32::MAX, u16::MAX, 0xFF, 0xFF)
            );
            assert!(data.is_empty());
        }
        other => panic!("{other:?}"),
    }
    // the same suite's session key change with a size prefix past the end: truncation
    let bad = hex("C0 20 78 06 5B 01 CC CC 01 00 00 00 01 00 FF FF FF FF");
    let f = Fragment::parse(&bad).unwrap();
    assert_eq!(
        f.objects().next().unwrap().unwrap_err().kind(),
        ErrorKind::Truncated
    );
    // g121v1 / g122v2 fixed-size statistics (IEEE 1815-2012 A.46, A.47): built here
    let stat = hex("79 01 00 02 03 01 05 00 2A 00 00 00 01 05 00 2B 00 00 00");
    let b = ObjectBlocks::new(&stat).next().unwrap().unwrap();
    let vals: Vec<_> = b.points().map(|p| (p.index, typed(&p.value))).collect();
    assert_eq!(
        vals,
        [2, 3].map(|i| (
            i,
            TypedValue::Auth(Auth::Statistic {
                flags: 1,
                association: 5,
                value: if i == 2 { 42 } else { 43 },
                time: None
            })
        ))
    );
}

#[test]
fn file_transfer_objects_typed() {
    // dnp3_file_read.pcap frame 4: open file "./test.xml" for reading (g70v3)
    let (frames, errors) = run(Dnp3Framer::new(), &payload("dnp3_file_read.pcap", 4));
    assert!(errors.is_empty());
    let v = &frames[0]["application"]["objects"][0]["points"][0]["value"];
    assert_eq!(
        *v,
        serde_json::json!({"object": "command", "name": "./test.xml", "created": 0,
            "permissions": 0, "key": 0, "size": 0, "mode": 1, "max_block": 1024, "request_id": 4})
    );
    // frame 6: the outstation's file command status (g70v4): handle, size 830
    let (frames, _) = run(Dnp3Framer::new(), &payload("dnp3_file_read.pcap", 6));
    let v = &frames[0]["application"]["objects"][0]["points"][0]["value"];
    assert_eq!(
        *v,
        serde_json::json!({"object": "command_status", "handle": 0x1234_5678u32, "size": 830,
            "max_block": 1024, "request_id": 4, "status": 0, "text": ""})
    );
    // frames 9-15: one g70v5 file transport in 4 link frames, last block, 830 bytes of
    // XML (the size the command status announced)
    let mut data = vec![];
    for n in [9, 11, 13, 15] {
        data.extend(payload("dnp3_file_read.pcap", n));
    }
    let mut r = crate::common::reader();
    r.push(&data).unwrap();
    let mut fragment = None;
    while let Some(ev) = r.next_event() {
        if let Event::Frame { frame, .. } = ev {
            if let Some(f) = frame.fragment {
                fragment = Some(f);
            }
        }
    }
    let fragment = fragment.unwrap();
    let f = Fragment::parse(&fragment).unwrap();
    let p = first_point(&f);
    match p.value.typed() {
        Some(TypedValue::File(FileObject::Transport {
            handle,
            block,
            last,
            data,
        })) => {
            assert_eq!(
                (handle, block, last, data.len()),
                (0x1234_5678, 0, true, 830)
            );
            assert!(data.starts_with(b"\xef\xbb\xbf<?xml version=\"1.0\""));
        }
        other => panic!("{other:?}"),
    }
    // dnp3_file_write.pcap frame 15: file transport status (g70v6), last block, success
    let (frames, _) = run(Dnp3Framer::new(), &payload("dnp3_file_write.pcap", 15));
    let v = &frames[0]["application"]["objects"][0]["points"][0]["value"];
    assert_eq!(
        *v,
        serde_json::json!({"object": "transport_status", "handle": 0x1234_5678u32, "block": 0,
            "last": true, "status": 0, "text": ""})
    );
    // dnp3_file_write.pcap frame 4: open for writing, a 59-byte name, permissions 0o777
    let (frames, _) = run(Dnp3Framer::new(), &payload("dnp3_file_write.pcap", 4));
    let v = &frames[0]["application"]["objects"][0]["points"][0]["value"];
    assert_eq!(
        v["name"],
        "C:/temp/DNPDeviceConfiguration written to Remote Device.xml"
    );
    assert_eq!(
        (v["permissions"].as_u64(), v["mode"].as_u64()),
        (Some(0o777), Some(2))
    );
}

#[test]
fn reserved_qualifier_keeps_the_header_and_the_raw_rest() {
    // dnp3.pcap frame 154: disable unsolicited (function 21) for classes 1, 2, 3 whose
    // third header (g60v4) has the qualifier 0xed (reserved bit 7, prefix 6, range 13)
    let (frames, errors) = run(Dnp3Framer::new(), &payload("dnp3.pcap", 154));
    assert!(errors.is_empty());
    let app = &frames[0]["application"];
    assert_eq!(app["function_name"], "disable_unsolicited");
    let objs = app["objects"].as_array().unwrap();
    assert_eq!(objs.len(), 3);
    assert_eq!(json_gv(&objs[0]), (Some(60), Some(2)));
    assert_eq!(json_gv(&objs[1]), (Some(60), Some(3)));
    assert_eq!(objs[2]["qualifier"], 0xed);
    assert_eq!(objs[2]["range"], "reserved");
    assert_eq!(objs[2]["raw"], "");
    assert!(app.get("error").is_none());
    assert_eq!(app["diagnostics"][0]["kind"], "reserved_code");
    assert_eq!(app["diagnostics"][0]["field"], "object qualifier");
    // strict
    let (frames, errors) = run(Dnp3Framer::new().strict(), &payload("dnp3.pcap", 154));
    assert!(frames.is_empty() && errors.len() == 1 && nonconforming(&errors[0]));
}
