//! Departures from the standard that real devices and tools send (issue 12): each
//! decodes, with a typed diagnostic, and strict mode rejects it. Frames are from
//! public captures, named next to each vector:
//!
//! - zeek/zeek `testing/btest/Traces/modbus/modbus-and-non-modbus-p502.pcap` (a
//!   Modbus server answering zgrab's non-Modbus probes on port 502: it echoes the
//!   probe's bytes 2-3 as the protocol id), `fuzz-72.pcap` (a function-code sweep,
//!   each probe `unit | fc | 00 00 00 00`) and `fuzz-1011.pcap` (a read of 147
//!   registers); frame numbers as tshark shows them.
//! - rapid7/metasploit-framework `modules/auxiliary/scanner/scada/modbusdetect.rb`
//!   (its probe reads 0 input registers).
//! - cisagov/icsnpp-modbus `testing/traces/modbus_example.pcap` frames 64-70 (FC
//!   20/21 with byte count 0) are in `golden.rs`.

use meterwire_core::{Decoded, Diagnostic, DiagnosticKind, Encode, Framer};
use meterwire_modbus::{
    AsciiAdu, AsciiFramer, Direction, Error, Pdu, Request, Response, RtuFrame, RtuFramer, TcpFrame,
    TcpFramer,
};
use meterwire_testkit::hex;

/// Decodes `raw` leniently (one-shot and streaming agree), checks the diagnostics'
/// kinds, and that the strict parser and framer reject it with the first one.
fn tolerated<'a>(raw: &'a [u8], d: Option<Direction>, kinds: &[DiagnosticKind]) -> TcpFrame<'a> {
    let f = TcpFrame::parse(raw, d).unwrap();
    let diags: Vec<Diagnostic> = f.diagnostics().collect();
    assert_eq!(
        diags.iter().map(|d| d.kind).collect::<Vec<_>>(),
        kinds,
        "{f:?}"
    );
    let mut framer = TcpFramer::with_direction(d);
    let Decoded::Frame { frame, consumed } = framer.decode(raw).unwrap() else {
        panic!("incomplete")
    };
    assert_eq!((consumed, &frame), (raw.len(), &f));
    let json = serde_json::to_value(f).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), kinds.len());
    let strict = TcpFramer::with_direction(d).strict();
    assert_eq!(
        strict.parse(raw).unwrap_err(),
        Error::Core(meterwire_core::Error::Nonconforming(diags[0]))
    );
    let mut strict_stream = strict;
    assert_eq!(
        strict_stream.decode(raw).unwrap_err(),
        Error::Core(meterwire_core::Error::Nonconforming(diags[0]))
    );
    // the strict framer drops exactly the rejected frame
    assert_eq!(strict_stream.resync(raw), raw.len());
    f
}

#[test]
fn non_zero_protocol_id_echoed_by_a_device() {
    // modbus-and-non-modbus-p502.pcap frames 31, 41, 51, 72, 82 and fuzz-72.pcap
    // frames 8 and 12: exception responses (illegal function) whose protocol id is
    // whatever the client sent
    for (src, raw, pid, unit, code) in [
        ("p502 frame 31", "05000b030003008001", 0x0b03, 0, 0x80),
        ("p502 frame 41", "800000280003abca01", 0x0028, 0xab, 0xca),
        ("p502 frame 51", "160301000003008001", 0x0100, 0, 0x80),
        ("p502 frame 72", "4d474c4e00035fb101", 0x4c4e, 0x5f, 0xb1),
        ("p502 frame 82", "0300002b0003008001", 0x002b, 0, 0x80),
        ("fuzz-72 frame 8", "00000200000301a201", 0x0200, 1, 0xa2),
        ("fuzz-72 frame 12", "00000041000301a501", 0x0041, 1, 0xa5),
    ] {
        let raw = hex(raw);
        let f = tolerated(
            &raw,
            Some(Direction::Response),
            &[DiagnosticKind::NonZeroProtocolId],
        );
        assert_eq!((f.protocol_id, f.unit_id), (pid, unit), "{src}");
        assert_eq!(
            f.pdu,
            Pdu::Response(Response::Exception {
                function_code: code,
                exception_code: 1
            }),
            "{src}"
        );
        assert_eq!(f.diagnostics().next().unwrap().value, Some(u64::from(pid)));
        // undirected, the same
        assert_eq!(TcpFrame::parse(&raw, None).unwrap(), f, "{src}");
        // the encoder stays strict: it refuses a protocol id other than 0
        assert!(f.encode_to_vec().is_err());
    }
}

#[test]
fn quantities_outside_the_standard() {
    // fuzz-1011.pcap frame 1: read 147 input registers (the server answered 200 bytes)
    let raw = hex("045f00000006ff0403840093");
    let f = tolerated(&raw, None, &[DiagnosticKind::OutOfRange]);
    assert_eq!(
        f.pdu,
        Pdu::Request(Request::ReadInputRegisters {
            starting_address: 0x0384,
            quantity: 147
        })
    );
    let d = f.diagnostics().next().unwrap();
    assert_eq!((d.field, d.value), ("quantity", Some(147)));
    assert_eq!(
        d.to_string(),
        "out_of_range in quantity: outside 1..=125 (got 147)"
    );
    // modbusdetect.rb: read 0 input registers from address 1
    let raw = hex("210000000006010400010000");
    let f = tolerated(
        &raw,
        Some(Direction::Request),
        &[DiagnosticKind::OutOfRange],
    );
    assert_eq!(
        f.pdu,
        Pdu::Request(Request::ReadInputRegisters {
            starting_address: 1,
            quantity: 0
        })
    );
    assert_eq!(f.diagnostics().next().unwrap().value, Some(0));
    // the encoder refuses both
    assert!(f.encode_to_vec().is_err());
}

#[test]
fn unknown_reserved_and_user_defined_codes_are_frames() {
    // fuzz-72.pcap, the function-code sweep to port 502
    for (src, raw, code, data, kind) in [
        (
            "frame 3",
            "000000000006011d00000000",
            0x1d,
            "00000000",
            DiagnosticKind::ReservedCode,
        ),
        (
            "frame 7",
            "000000000006012200000000",
            0x22,
            "00000000",
            DiagnosticKind::ReservedCode,
        ),
        (
            "frame 10",
            "0000000000060124080000aa",
            0x24,
            "080000aa",
            DiagnosticKind::ReservedCode,
        ),
        (
            "frame 28",
            "002500000006014700000000",
            0x47,
            "00000000",
            DiagnosticKind::Unrecognized,
        ),
        (
            "frame 36",
            "00000000000601464e000000",
            0x46,
            "4e000000",
            DiagnosticKind::Unrecognized,
        ),
        // FC 43 with MEI type 0: the MEI type is the reserved code
        (
            "frame 16",
            "000000000006012b00000000",
            0x2b,
            "00000000",
            DiagnosticKind::ReservedCode,
        ),
    ] {
        let raw = hex(raw);
        let f = tolerated(&raw, Some(Direction::Request), &[kind]);
        let (fc, bytes) = f.pdu.unsupported().unwrap();
        assert_eq!(
            (fc, meterwire_testkit::to_hex(bytes).as_str()),
            (code, data),
            "{src}"
        );
        let json = serde_json::to_value(f).unwrap();
        assert_eq!(json["function"], "unsupported");
        assert_eq!(json["data"], data);
        if code == 0x2b {
            assert_eq!(f.diagnostics().next().unwrap().field, "mei_type");
        }
    }
    // the same sweep probe in ASCII framing (fuzz-72.pcap frame 3's PDU, address 1):
    // delimited by ':' and CR LF, so it decodes too
    let raw = b":011D00000000E2\r\n";
    let adu = AsciiAdu::parse(raw, None).unwrap();
    assert_eq!(
        adu.pdu().unwrap().unsupported(),
        Some((0x1d, &[0u8; 4][..]))
    );
    let d = adu.diagnostics().next().unwrap();
    assert_eq!(d.kind, DiagnosticKind::ReservedCode);
    let Decoded::Frame { frame, .. } = AsciiFramer::new().decode(raw).unwrap() else {
        panic!()
    };
    assert_eq!(frame.frame().unwrap().diagnostics().count(), 1);
    assert_eq!(
        AsciiFramer::new().strict().parse(raw).unwrap_err(),
        Error::Core(meterwire_core::Error::Nonconforming(d))
    );
    // FC 0 (p502 frame 41's device answered exception 0x80 to it): a frame too
    let f = TcpFrame::parse(h("000100000004010000ff"), Some(Direction::Request)).unwrap();
    assert_eq!(f.pdu.unsupported(), Some((0, &[0u8, 0xff][..])));
}

#[test]
fn mbap_length_longer_than_the_pdu_is_trailing_bytes() {
    // Constructed, no capture found for these in this round: the fuzz-72.pcap sweep's
    // probe shape (unit 1, fc, four zero bytes, MBAP length 6) applied to the
    // public codes without a request body (11, 12, 17), with a short body (24, 43/14)
    // and with a byte count (20, 21); an exception response with one byte appended;
    // FC 6 with two extra bytes.
    use DiagnosticKind::{OutOfRange, TrailingBytes};
    const REQ: Option<Direction> = Some(Direction::Request);
    let cases: [(&str, Option<Direction>, &[DiagnosticKind], usize); 9] = [
        ("000000000006010b00000000", REQ, &[TrailingBytes], 4),
        ("000000000006010c00000000", REQ, &[TrailingBytes], 4),
        ("000000000006011100000000", None, &[TrailingBytes], 4),
        ("000000000006011800000000", REQ, &[TrailingBytes], 2),
        ("000000000006012b0e010000", REQ, &[TrailingBytes], 1),
        (
            "000000000006011400000000",
            REQ,
            &[OutOfRange, TrailingBytes],
            3,
        ),
        (
            "000000000006011500000000",
            REQ,
            &[OutOfRange, TrailingBytes],
            3,
        ),
        ("00010000000401830200", None, &[TrailingBytes], 1),
        ("0001000000080106000100030000", REQ, &[TrailingBytes], 2),
    ];
    for (raw, d, kinds, n) in cases {
        let bytes = hex(raw);
        let f = tolerated(&bytes, d, kinds);
        assert_eq!(f.trailing.len(), n, "{raw}");
        assert_eq!(f.diagnostics().last().unwrap().value, Some(n as u64));
        let json = serde_json::to_value(f).unwrap();
        assert_eq!(json["trailing_bytes"], raw[raw.len() - 2 * n..]);
    }
    let f = TcpFrame::parse(h("000000000006011100000000"), None).unwrap();
    assert_eq!(f.pdu, Pdu::Request(Request::ReportServerId));
    let f = TcpFrame::parse(h("00010000000401830200"), None).unwrap();
    assert_eq!(f.pdu.exception(), Some((0x83, 2)));
    let f = TcpFrame::parse(h("0001000000080106000100030000"), None).unwrap();
    assert_eq!(
        f.pdu,
        Pdu::Request(Request::WriteSingleRegister {
            register_address: 1,
            value: 3
        })
    );
    // re-encoding writes the standard parts only (MBAP length 6, no trailing bytes)
    assert_eq!(f.encode_to_vec().unwrap(), hex("000100000006010600010003"));
    // clean frames have no diagnostics and no "diagnostics" key in JSON
    let f = TcpFrame::parse(h("000100000006010600010003"), None).unwrap();
    assert_eq!(f.diagnostics().count(), 0);
    assert!(
        serde_json::to_value(f)
            .unwrap()
            .get("diagnostics")
            .is_none()
    );
}

#[test]
fn rtu_frame_given_whole_with_a_bad_crc_is_a_checksum_error() {
    // Modbus Application Protocol V1.1b3 6.3 request and response in RTU framing
    // (Serial Line V1.02 2.5.1), last CRC byte altered: whatever the direction, the
    // CRC over the whole ADU is checked first
    for (raw, good) in [
        ("1103006b00037688", "1103006b00037687"),
        ("110306022b00000064c8bb", "110306022b00000064c8ba"),
        ("118302c135", "118302c134"),
    ] {
        for d in [None, Some(Direction::Request), Some(Direction::Response)] {
            let e = RtuFrame::parse(&hex(raw), d).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Core(meterwire_core::Error::Checksum { field: "crc", .. })
                ),
                "{raw} {d:?}: {e:?}"
            );
        }
        assert!(RtuFramer::new().parse(&hex(good)).is_ok());
    }
    // a user-defined code cannot be framed on a byte stream, but given whole it is
    // a frame (fuzz-72.pcap frame 28's PDU, address 1, CRC appended)
    let raw = hex("014700000000b5c5");
    let f = RtuFrame::parse(&raw, None).unwrap();
    assert_eq!(f.pdu.unsupported(), Some((0x47, &[0u8; 4][..])));
    assert_eq!(
        f.diagnostics().next().unwrap().kind,
        DiagnosticKind::Unrecognized
    );
    assert!(RtuFramer::new().strict().parse(&raw).is_err());
    // FC 6 with two extra bytes before the CRC
    let raw = hex("1106000100030000");
    let mut with_crc = raw.clone();
    with_crc.extend(crc(&raw).to_le_bytes());
    let f = RtuFrame::parse(&with_crc, Some(Direction::Request)).unwrap();
    assert_eq!(f.trailing, [0, 0]);
    assert_eq!(
        f.diagnostics().next().unwrap().kind,
        DiagnosticKind::TrailingBytes
    );
}

/// Hex bytes that live for the test.
fn h(s: &str) -> &'static [u8] {
    Box::leak(hex(s).into_boxed_slice())
}

fn crc(b: &[u8]) -> u16 {
    meterwire_core::crc::CRC16_MODBUS.checksum(b)
}
